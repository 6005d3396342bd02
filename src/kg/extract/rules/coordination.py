"""A bare town name coordinated with a collectivity is the commune, not the place: "les actions de
Bordeaux et Bordeaux Métropole", "entre Dijon et la ville japonaise de Kumamoto". French names a
commune by its bare name when it stands beside other collectivities; the same name after "à" is
a place (:func:`kg.extract.rules.entities.places`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.model import Context, Fact, extractor
from kg.extract.rules.entities import _taken, entity_fact
from kg.extract.rules.names import NAME

_BEFORE = re.compile(
    rf"\b(?:entre|de|d['\u2019]|avec)\s*(?P<name>{NAME})\s+et\s+(?:la\s+|le\s+|l['\u2019]\s*)?$"
)


@extractor("entity", "commune-coordinated")
def coordinated_communes(ctx: Context) -> Iterator[Fact]:
    """ "de Bordeaux et Bordeaux Métropole": the commune named beside a collectivity."""
    for mention in [m for m in ctx.entities if m.link.kind == "collectivity"]:
        start = ctx.sentence_of(mention.start)[0]
        # the article or kind word the collectivity's mention may start with is part of the text
        # before it; look at most 120 characters back, within the sentence
        window = ctx.text[max(start, mention.start - 120) : mention.start]
        found = _BEFORE.search(window)
        if found is None:
            continue
        name = found.group("name")
        n_start = mention.start - len(window) + found.start("name")
        if _taken(ctx, n_start, n_start + len(name)):
            continue
        link = ctx.linker.commune(name)
        if link is not None:
            yield entity_fact(ctx, "commune-coordinated", n_start, n_start + len(name), link)
