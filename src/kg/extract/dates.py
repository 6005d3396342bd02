"""French dates in a text: "le 15 mai 2024", "du 12 au 19 avril 2025", "en juin 2018", "2 décembre".

Candidates are found by a regular expression over French month names, then parsed with
``dateparser`` (French settings). A day without a year takes the document's year and, when the text
says "dernier", the last such day before the document date. Returned dates carry their precision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|"
    "décembre|decembre"
)
DATE = re.compile(
    rf"(?:(?P<day>1er|\d{{1,2}})(?:\s+au\s+(?P<day2>\d{{1,2}}))?\s+)?(?P<month>{_MONTHS})"
    rf"(?:\s+(?P<year>(?:19|20)\d\d))?(?P<last>\s+dernier)?",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b(?:en|depuis|dès|au cours de l['\u2019]année)\s+((?:19|20)\d\d)\b", re.I)


@dataclass(frozen=True)
class FoundDate:
    """A date of the text at [start, end): ``value`` and its precision ("day", "month", "year")."""

    start: int
    end: int
    value: date
    precision: str

    @property
    def lexical(self) -> str:
        """The xsd lexical form: a date, a gYearMonth or a gYear."""
        if self.precision == "day":
            return self.value.isoformat()
        if self.precision == "month":
            return self.value.isoformat()[:7]
        return str(self.value.year)

    @property
    def datatype(self) -> str:
        """The XSD datatype of :attr:`lexical`."""
        xsd = "http://www.w3.org/2001/XMLSchema#"
        return xsd + {"day": "date", "month": "gYearMonth", "year": "gYear"}[self.precision]


def _parse(text: str) -> date | None:
    import dateparser

    parsed = dateparser.parse(
        text, languages=["fr"], settings={"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False}
    )
    return parsed.date() if parsed else None


def find_dates(text: str, reference: date | None = None) -> list[FoundDate]:
    """Every French date of ``text``, in order; ``reference`` is the document's date, if known."""
    found: list[FoundDate] = []
    for m in DATE.finditer(text):
        day, month, year = m.group("day"), m.group("month"), m.group("year")
        if day is None and year is None:
            continue  # a bare month name ("mai") is too often another word
        if year is None and reference is None:
            continue
        use_year = int(year) if year else reference.year  # type: ignore[union-attr]
        lexical = f"{(day or '1').replace('er', '')} {month} {use_year}"
        value = _parse(lexical)
        if value is None:
            continue
        if year is None and reference is not None and m.group("last") and value > reference:
            value = value.replace(year=value.year - 1)  # "le 18 décembre dernier"
        found.append(FoundDate(m.start(), m.end(), value, "day" if day else "month"))
    for m in YEAR.finditer(text):
        if not any(f.start <= m.start(1) < f.end for f in found):
            found.append(FoundDate(m.start(1), m.end(1), date(int(m.group(1)), 1, 1), "year"))
    return sorted(found, key=lambda f: f.start)
