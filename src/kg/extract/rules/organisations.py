"""Organisations introduced by their kind: "le pôle de compétitivité Vitagora", "l'association
Bourgogne Coopération", "le cluster Robotics Valley", "l'agence Business France", "la fondation
X"; then the organisations the model tags (spaCy ORG entities) that are not already linked. The
kind word says what the small model's entity labels often miss (it takes a cluster's name
for a place); the IRI is minted from the name, as for every organisation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.model import Context, Fact, extractor
from kg.extract.rules.entities import _taken, entity_fact, organisation_link
from kg.extract.rules.names import NAME, trim_name

_KIND = re.compile(
    r"\b(?:[Pp][ôo]les?\s+de\s+comp[ée]titivit[ée]|[Cc]lusters?|[Aa]ssociations?|[Aa]gences?|"
    r"[Ff]ondations?|[Ff][ée]d[ée]rations?|[Ff]onds)\s+"
    rf"(?P<name>{NAME})"
)


@extractor("entity", "organisation-by-kind")
def organisations_by_kind(ctx: Context) -> Iterator[Fact]:
    """An organisation named after the word of its kind."""
    for m in _KIND.finditer(ctx.text):
        name = trim_name(m.group("name"))
        start, end = m.start("name"), m.start("name") + len(name)
        if len(name) < 3 or _taken(ctx, start, end) or ctx.linker.country(name) is not None:
            continue
        yield entity_fact(ctx, "organisation-by-kind", start, end, organisation_link(name))


@extractor("entity", "organisation-named")
def organisations(ctx: Context) -> Iterator[Fact]:
    """Organisations: spaCy organisation entities not already linked to a collectivity or country."""
    for ent in ctx.doc.ents:
        if ent.label_ == "ORG" and not _taken(ctx, ent.start_char, ent.end_char):
            name = ent.text.strip(' ,.;:«»"')
            if any(start == 0 for start, _, _ in ctx.vocab.find("membership-role", name)):
                continue  # "Directrice générale de l'association": a function, not a name
            if any(start == 0 for start, _, _ in ctx.vocab.find("event-type", name)):
                continue  # "Assises régionales de l'International", "Forum de la Mobilité": events
            if len(name) > 2 and name[0].isupper():
                yield entity_fact(
                    ctx,
                    "organisation-named",
                    ent.start_char,
                    ent.start_char + len(name),
                    organisation_link(name),
                )
