"""Agreements: a sentence naming an agreement type of the SKOS scheme ("accord de coopération",
"convention-cadre", "jumelage", "déclaration d'intention", "pacte"...) with a verb of concluding it
("signer", "conclure", "adopter", "renouveler", "parapher") or the word "signature". Parties are the
collectivities, organisations and foreign collectivities the sentence names (countries only when no
collectivity is named), signatories the people of the sentence, the date the first French date of the
sentence (or of the previous one, for "Cette signature..."), the place a town after "à", sectors the
sector labels of the sentence. Without two parties there is no agreement."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.dates import find_dates
from kg.extract.model import Context, Fact, Mention, Value, extractor
from kg.iris import slugify

KGC = "https://w3id.org/kgci/def/"
_CONCLUDE = re.compile(
    r"\b(?:sign[ée]\w*|sign(?:ent|ons|er|era|eront|aient|ait)|signature|conclu\w*|adopt[ée]\w*|"
    r"renouvel\w*|paraph\w*|scell\w*|approuv\w*)\b",
    re.I,
)
#: "accord(s)" without a type: an agreement whose type the text does not say.
_GENERIC = re.compile(r"\baccords?\b", re.I)
_PLURAL = re.compile(r"\b(?:accords|conventions|pactes|jumelages|partenariats|protocoles)\b", re.I)
_NEGATION = re.compile(r"\b(?:ne\s+|n['\u2019]\s*)\w+\s+(?:pas|jamais|plus)\b", re.I)


@extractor("agreement", "agreement-concluded")
def agreements(ctx: Context) -> Iterator[Fact]:
    """One candidate agreement per sentence naming a type and a verb of concluding it."""
    sentences = ctx.sentences()
    for index, (start, end) in enumerate(sentences):
        sentence = ctx.text[start:end]
        types = ctx.vocab.find("agreement-type", sentence)
        generic = _GENERIC.search(sentence)
        if (
            (not types and generic is None)
            or not _CONCLUDE.search(sentence)
            or _NEGATION.search(sentence)
        ):
            continue
        parties = [m for m in ctx.mentions_in(start, end, ("collectivity", "organisation"))]
        if not parties:  # "la France et le Japon ont signé ...": states as parties
            parties = ctx.mentions_in(start, end, ("country",))
        groups, implicit = _party_groups(ctx, parties, sentence)
        if not groups:
            continue
        term = types[0][2] if types else None
        dates = find_dates(sentence, ctx.document_date)
        inherited = False
        if not dates and index:
            # A signing sentence without a date takes the date of the sentence before it in the
            # same paragraph ("Le 15 mai 2024 à Dole, ... . X et Y ont signé ...").
            prev_start, prev_end = sentences[index - 1]
            if "\n" not in ctx.text[prev_end:start]:
                dates = find_dates(ctx.text[prev_start:prev_end], ctx.document_date)
                inherited = bool(dates)
        for unique in groups:
            props: list[tuple[str, Value]] = [(KGC + "agreementType", term.concept)] if term else []
            props += [(KGC + "party", iri) for iri in unique]
            year = ""
            if dates:
                props.append((KGC + "signingDate", (dates[0].lexical, dates[0].datatype)))
                year = str(dates[0].value.year)
            for place in ctx.mentions_in(start, end, ("place",)):
                props.append((KGC + "signingPlace", place.link.iri))
                break
            for _, _, sector in ctx.vocab.find("sector", sentence):
                props.append((KGC + "sector", sector.concept))
            names = " \u2013 ".join(_short(ctx, iri) for iri in unique)
            label = f"{term.label if term else 'accord'} {names}"
            props.append(("http://www.w3.org/2000/01/rdf-schema#label", (label, "@fr")))
            slug = "-".join(slugify(_short(ctx, iri)) for iri in unique[:3])
            subject = f"https://w3id.org/kgci/id/agreement/{slug}-{year or 'undated'}"
            confidence = (
                0.5
                + 0.1 * bool(term)
                + 0.2 * bool(dates)
                - 0.1 * inherited
                - 0.1 * implicit
                + 0.1 * (len(unique) == 2)
            )
            yield Fact(
                "agreement",
                "agreement-concluded",
                subject,
                (KGC + "Agreement",),
                label,
                start,
                end,
                round(confidence, 2),
                props,
            )


def _party_groups(
    ctx: Context, parties: list[Mention], sentence: str
) -> tuple[list[list[str]], bool]:
    """The party lists of the sentence's agreements, and whether the publisher was implied.

    All the named parties sign one agreement, unless they are all foreign and the sentence speaks
    of agreements in the plural ("trois accords signés avec A, B et C"): then one agreement each
    with the publisher, the collectivity the document names most.
    """
    unique = list(dict.fromkeys(m.link.iri for m in parties))
    publisher = _publisher(ctx)
    if (
        publisher
        and publisher not in unique
        and parties
        and all(m.link.country != "fr" for m in parties)
    ) and (len(unique) == 1 or _PLURAL.search(sentence)):
        return [[publisher, iri] for iri in unique], True
    return ([unique] if len(unique) >= 2 else []), False


def _publisher(ctx: Context) -> str | None:
    """The French collectivity the document names most: a press release's publisher."""
    french = [
        m.link.iri for m in ctx.entities if m.link.kind == "collectivity" and m.link.country == "fr"
    ]
    return max(set(french), key=lambda iri: (french.count(iri), iri)) if french else None


def _short(ctx: Context, iri: str) -> str:
    return iri.rsplit("/", 1)[-1]
