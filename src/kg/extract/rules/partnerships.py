"""Partnerships: a lasting cooperation the text states without an agreement being signed —
"X coopère avec Y", "le partenariat entre X et Y", "X et Y coopèrent". Parties are the
collectivities, countries and organisations of the sentence (at least two); a sentence that
concludes an agreement is left to the agreement rule. The partnership is a mention too, so a
figure of the sentence ("depuis 40 ans") can be about it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.link import Link
from kg.extract.model import Context, Fact, Mention, Value, extractor
from kg.iris import slugify
from kg.namespaces import ID

KGC = "https://w3id.org/kgci/def/"
_COOPERATE = re.compile(
    r"\b(?:coop[èée]r(?:e|ent|er|era|eront|ait|aient|é|ons)\b|partenariats?\s+(?:entre|avec)\b)",
    re.I,
)


@extractor("partnership", "partnership-stated")
def partnerships(ctx: Context) -> Iterator[Fact]:
    """One partnership per sentence stating a cooperation between two named parties."""
    for start, end in ctx.sentences():
        sentence = ctx.text[start:end]
        verb = _COOPERATE.search(sentence)
        if verb is None or ctx.vocab.find("agreement-type", sentence):
            continue
        parties = ctx.mentions_in(start, end, ("collectivity", "country", "organisation"))
        unique = list(dict.fromkeys(m.link.iri for m in parties))
        if len(unique) < 2:
            continue
        names = [iri.rsplit("/", 1)[-1] for iri in unique[:3]]
        iri = f"{ID}partnership/{'-'.join(slugify(n) for n in names)}"
        labels = " \u2013 ".join(dict.fromkeys(m.link.label for m in parties))
        label = f"Coopération {labels}"
        ctx.entities.append(
            Mention(
                start + verb.start(),
                start + verb.end(),
                Link(iri, "partnership", label, 0.5, "cooperation-verb"),
            )
        )
        props: list[tuple[str, Value]] = [(KGC + "party", p) for p in unique]
        props.append(("http://www.w3.org/2000/01/rdf-schema#label", (label, "@fr")))
        yield Fact(
            "partnership",
            "partnership-stated",
            iri,
            (KGC + "Partnership",),
            label,
            start,
            end,
            0.5,
            props,
        )
