"""Rooms of a venue, as event programmes name them: a "Salle : Amphi Berger" or "Lieu : …" line of
practical information, and a session's room in brackets ("(salle Salle 2)", "(salle Lumière)").

A programme's label/value lines often come out of HTML or PDF with the value broken over two
lines ("Salle : Amphi" / "G. Berger"): a short next line with no label of its own continues the
value. A room has no register: its IRI is minted from its name in the place namespace, with no
country (the text does not say where the venue is, only its room).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.link import Link
from kg.extract.model import Context, Fact, extractor
from kg.extract.rules.entities import _taken, entity_fact
from kg.iris import slugify
from kg.namespaces import ID

#: "Salle : X" or "Lieu : X" at a line start; the value may go on over one short line.
_LABELLED = re.compile(
    r"^[ \t]*(?:[Ss]alle|[Ll]ieu)[ \t]*:[ \t]*(?P<name>[^\n:]{2,60}?)[ \t]*"
    r"(?:\n[ \t]*(?P<more>[A-ZÀ-Þ][^\n:]{0,30}?)[ \t]*)?$",
    re.MULTILINE,
)
#: "(salle Salle 2)", "(salle Lumière)": the room of a session, in brackets.
_BRACKETED = re.compile(r"\(\s*salle\s+(?P<name>[^()\n]{2,60}?)\s*\)", re.IGNORECASE)
#: Words a room's own name starts with; a bare name after "salle" is "Salle <name>".
_ROOM_WORD = re.compile(r"^(?:[Ss]alle|[Aa]mphi\w*|[Aa]uditorium|[Hh]all|[Ee]space)\b")
_MAX_WORDS = 4


def _room(name: str) -> str:
    return name if _ROOM_WORD.match(name) else f"Salle {name}"


def _venue(ctx: Context, start: int, end: int, name: str) -> Fact | None:
    if not name[:1].isalnum() or _taken(ctx, start, end):
        return None
    link = Link(f"{ID}place/{slugify(name)}", "venue", name, 0.6, "minted-from-text")
    return entity_fact(ctx, "venue-room", start, end, link)


@extractor("entity", "venue-room")
def rooms(ctx: Context) -> Iterator[Fact]:
    """The rooms a programme names on a "Salle :" line or in brackets after a session."""
    for m in _LABELLED.finditer(ctx.text):
        name, end = m.group("name").strip(), m.end("name")
        more = m.group("more")
        if more and len((name + " " + more).split()) <= _MAX_WORDS:
            name, end = f"{name} {more.strip()}", m.end("more")
        fact = _venue(ctx, m.start("name"), end, name)
        if fact is not None:
            yield fact
    for m in _BRACKETED.finditer(ctx.text):
        fact = _venue(ctx, m.start("name"), m.end("name"), _room(m.group("name").strip()))
        if fact is not None:
            yield fact
