"""A country named by the adjective of nationality before a person: "la jeune togolaise Grace
Kovi Afande", "le Sénégalais Moussa Diop". French forms the adjective from the country's name
with a suffix (-ais, -ois, -ien, -ain, -éen, -an, -in and their feminines); the stem, as is or
completed by the name's last letter ("togol-aise" from Togo, "itali-enne" from Italie), is
looked up as an ISO country name in French, and only a single country found is kept. The
country is a mention at the adjective; a person's name must follow it (a market "allemand, belge"
names no one's nationality)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.link import Link
from kg.extract.model import Context, Fact, extractor
from kg.extract.rules.entities import _taken, entity_fact

_SUFFIXES = (
    "aises",
    "aise",
    "ais",
    "oises",
    "oise",
    "ois",
    "iennes",
    "ienne",
    "iens",
    "ien",
    "aines",
    "aine",
    "ains",
    "ain",
    "éennes",
    "éenne",
    "éens",
    "éen",
    "anes",
    "ane",
    "ans",
    "an",
    "ines",
    "ine",
    "ins",
    "in",
)
_BEFORE_PERSON = re.compile(
    r"\b(?:le|la|les|du|de\s+la|au|à\s+la)\s+(?:(?:jeunes?|célèbres?|grande?s?)\s+)?"
    r"(?P<adj>[A-Za-zà-ÿ]+)\s+(?P<name>[A-ZÀ-Þ][\w\u2019'-]+(?:\s+[A-ZÀ-Þ][\w\u2019'-]+){1,3})"
)


def _country_of(ctx: Context, adjective: str) -> Link | None:
    """The one country whose French name the adjective is formed on, or None."""
    word = adjective.lower()
    found: dict[str, Link] = {}
    for suffix in _SUFFIXES:
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        stem = word[: -len(suffix)]
        for name in {stem, stem + "e", stem + "a", stem + "i", stem + "o", stem[:-1]}:
            link = ctx.linker.country(name.capitalize()) if len(name) >= 3 else None
            if link is not None and link.country != "fr":
                found[link.iri] = link
    return next(iter(found.values())) if len(found) == 1 else None


@extractor("entity", "country-of-nationality")
def nationalities(ctx: Context) -> Iterator[Fact]:
    """ "la jeune togolaise Grace Kovi Afande": Togo."""
    for m in _BEFORE_PERSON.finditer(ctx.text):
        start, end = m.start("adj"), m.end("adj")
        if _taken(ctx, start, end):
            continue
        link = _country_of(ctx, m.group("adj"))
        if link is not None:
            yield entity_fact(ctx, "country-of-nationality", start, end, link)
