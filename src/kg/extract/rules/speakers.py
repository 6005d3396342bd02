"""The collectivity a speaker works for, named last on a programme's speaker line: "Regis Besse,
Directeur des relations internationales, Clermont-Ferrand". A programme lists a speaker as
name, function, employer; a bare town name closing the line is the commune (the employer), not
the place, when the COG knows it. The membership rule then takes it as the function's
organisation (:mod:`kg.extract.rules.people`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.model import Context, Fact, extractor
from kg.extract.rules.entities import _taken, entity_fact
from kg.extract.rules.names import NAME

#: "- Prénom Nom, fonction …, Ville" on a line of its own.
_SPEAKER_LINE = re.compile(
    rf"^[ \t]*(?:[-\u2013\u2022*][ \t]*)?[A-ZÀ-Þ][\w\u2019' -]+,[^\n]+,[ \t]*(?P<name>{NAME})[ \t]*$",
    re.MULTILINE,
)


@extractor("entity", "commune-of-speaker")
def speaker_communes(ctx: Context) -> Iterator[Fact]:
    """The commune closing a speaker line."""
    for m in _SPEAKER_LINE.finditer(ctx.text):
        name = m.group("name")
        start, end = m.start("name"), m.end("name")
        if _taken(ctx, start, end):
            continue
        link = ctx.linker.commune(name)
        if link is not None:
            yield entity_fact(ctx, "commune-of-speaker", start, end, link)
