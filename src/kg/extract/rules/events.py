"""Events and delegations: a sentence naming an event type of the SKOS scheme ("assises", "forum",
"mission", "atelier", "délégation"...) and a French date; where is the first place or country the
sentence links, who the collectivities and people it names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.dates import find_dates
from kg.extract.link import Link
from kg.extract.model import Context, Fact, Mention, Value, extractor

KGC = "https://w3id.org/kgci/def/"
SCHEMA = "https://schema.org/"
_DELEGATION = re.compile(r"\bd[ée]l[ée]gations?\b", re.I)


@extractor("event", "dated-event")
def events(ctx: Context) -> Iterator[Fact]:
    """One event per sentence with an event type (or "délégation") and a date."""
    for start, end in ctx.sentences():
        sentence = ctx.text[start:end]
        types = ctx.vocab.find("event-type", sentence)
        concept = types[0][2].concept if types else None
        if concept is None and _DELEGATION.search(sentence):
            concept = ctx.vocab.concept("event-type", "mission")
        dates = find_dates(sentence, ctx.document_date)
        if concept is None or not dates:
            continue
        props: list[tuple[str, Value]] = [
            (KGC + "eventType", concept),
            (SCHEMA + "startDate", (dates[0].lexical, dates[0].datatype)),
        ]
        where = ctx.mentions_in(start, end, ("place",)) or ctx.mentions_in(start, end, ("country",))
        if where:
            props.append((SCHEMA + "location", where[0].link.iri))
        for who in ctx.mentions_in(start, end, ("collectivity", "organisation")):
            props.append((SCHEMA + "attendee", who.link.iri))
        label = sentence[:120].strip()
        props.append(("http://www.w3.org/2000/01/rdf-schema#label", (label, "@fr")))
        subject = f"https://w3id.org/kgci/id/event/{ctx.document_iri.rsplit('/', 1)[-1]}-{start}"
        # The event is a mention at its type word, so a figure of the sentence can be about it.
        word = types[0][:2] if types else (0, 0)
        ctx.entities.append(
            Mention(start + word[0], start + word[1], Link(subject, "event", label, 0.5, "event"))
        )
        yield Fact(
            "event", "dated-event", subject, (SCHEMA + "Event",), label, start, end, 0.5, props
        )
