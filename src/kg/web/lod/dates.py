"""Dates for people: ``xsd:date``, ``xsd:gYearMonth`` and ``xsd:gYear`` literals written in French or
English at the precision the source gave ("19 novembre 2018", "June 2018", "2016")."""

from __future__ import annotations

import re

XSD = "http://www.w3.org/2001/XMLSchema#"
DATE_TYPES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear", XSD + "dateTime"}

MONTHS = {
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def format_date(value: str, lang: str) -> str:
    """``value`` (an ISO date at any precision) written for people in ``lang``.

    >>> format_date("2018-11-19", "fr"), format_date("2018-11-19", "en")
    ('19 novembre 2018', '19 November 2018')
    >>> format_date("2018-06", "fr"), format_date("2018-06", "en"), format_date("2016", "en")
    ('juin 2018', 'June 2018', '2016')
    >>> format_date("2018-11-01", "fr")
    '1er novembre 2018'
    >>> format_date("not a date", "fr")
    'not a date'
    """
    match = _DATE.match(value)
    if not match:
        return value
    year, month, day = match.groups()
    names = MONTHS.get(lang, MONTHS["en"])
    if month is None or not 1 <= int(month) <= 12:
        return year
    month_name = names[int(month) - 1]
    if day is None:
        return f"{month_name} {year}"
    d = int(day)
    if lang == "fr":
        return f"{'1er' if d == 1 else d} {month_name} {year}"
    return f"{d} {month_name} {year}"


def sort_key(value: str | None) -> str:
    """A key that orders ISO dates of mixed precision chronologically, unknown dates last.

    >>> sorted(["2019-03-02", None, "2018", "2019-01"], key=sort_key)
    ['2018', '2019-01', '2019-03-02', None]
    """
    return value if value else "\uffff"
