"""Agreements: a sentence naming an agreement type of the SKOS scheme ("accord de coopération",
"convention-cadre", "jumelage", "déclaration d'intention", "pacte"...) with a verb of concluding it
("signer", "conclure", "adopter", "renouveler", "parapher") or the word "signature", not negated;
or, without a verb, a type word followed by its date and "avec" a party ("la déclaration
d'intention, en juillet 2017, avec la Confédération X": an agreement the text takes as made).

- Several agreements in one sentence: "La Région a signé un accord de coopération avec la province
  X en 2016 et une convention-cadre avec la ville Y en 2018" — each type word after the first
  opens a segment; a segment with a party of its own is an agreement of its own, with the parties
  named before the first type word (the signatory everyone shares) and the segment's date.
- Parties are the collectivities and organisations of the segment (countries only when no
  collectivity is named); all-foreign parties in the plural ("trois accords signés avec A, B et C")
  are one agreement each with the publisher. Without two parties there is no agreement.
- The type: the first type word of the segment; an untyped "accord" ("le nouvel accord signé
  avec…") takes the type the document named last before it, with a lower confidence.
- The date: the French date of the segment nearest to the verb of concluding (a dateline "Ajaccio,
  le 20 novembre, " is farther from "ont signé le 18 novembre" than the signing date), else the
  date of the sentence before it in the same paragraph ("Cette signature…").
- An agreement told over two sentences: a sentence opening on "La convention, signée le …" or
  "Cet accord …" with fewer than two parties takes the parties of the sentence before it (same
  paragraph); "un pacte similaire avec Y" takes the parties of the agreement told last, Y in
  place of the party of its kind ("la Région X et l'association Z ont signé un pacte … ; un
  pacte similaire avec la Région Y": Y and Z).
- The place: the first place of the segment; sectors: the sector labels of the segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.dates import FoundDate, find_dates
from kg.extract.model import Context, Fact, Mention, Value, extractor
from kg.extract.vocab import Term
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
_PARTY_KINDS = ("collectivity", "organisation")
#: A type word's next words up to "avec" (a date among them), within the clause.
_WITH = re.compile(r"[^.;:]{0,60}?(?P<with>\bavec\s+)")
#: "un pacte similaire", "une convention semblable", "un accord identique", "du même type".
_SIMILAR = re.compile(
    r"\b(?:similaires?|semblables?|identiques?|analogues?|du\s+m[êe]me\s+type)\b", re.I
)
#: A sentence opening on the agreement the text just told: "La convention, …", "Cet accord …".
_REFERRED = re.compile(
    r"^\W*(?:L['\u2019]\s*|La\s+|Le\s+|Cet\s+|Cette\s+|Ce\s+|Ces\s+)"
    r"(?:accords?|conventions?|pactes?|jumelages?|protocoles?|chartes?|d[ée]clarations?)\b"
)


@dataclass(frozen=True)
class Segment:
    """The part [start, end) of a sentence telling one agreement, with its type (if said)."""

    start: int
    end: int
    term: Term | None
    inherited_type: bool = False


def _segments(ctx: Context, start: int, end: int, sentence: str) -> list[Segment]:
    """One segment per type word that has a party of its own; else the whole sentence."""
    types = ctx.vocab.find("agreement-type", sentence)
    if not types:
        term = _type_named_before(ctx, start)
        return [Segment(start, end, term, term is not None)]
    cuts = [start + s for s, _, _ in types] + [end]
    segments = [Segment(cuts[i], cuts[i + 1], types[i][2]) for i in range(len(types))]
    own = [s for s in segments if ctx.mentions_in(s.start, s.end, _PARTY_KINDS)]
    if len(own) < 2:
        return [Segment(start, end, types[0][2])]
    return own


def _type_named_before(ctx: Context, offset: int) -> Term | None:
    """The type of "accord" the document names last before ``offset`` ("les accords de
    coopération … Le nouvel accord signé …"); only a type that is an "accord" ("partenariats" is
    not what "accord" refers back to)."""
    found = [
        term
        for _, _, term in ctx.vocab.find("agreement-type", ctx.text[:offset])
        if _GENERIC.search(term.label)
    ]
    return found[-1] if found else None


def _date(
    ctx: Context, segment: Segment, verb: int, sentences: list[tuple[int, int]], index: int
) -> tuple[FoundDate | None, bool]:
    """The signing date of ``segment`` (absolute offsets), and whether it came from the sentence
    before: the segment's date nearest to the verb, else the sentence's, else the previous one's."""
    sentence_start, sentence_end = sentences[index]
    for lo, hi in ((segment.start, segment.end), (sentence_start, sentence_end)):
        dates = find_dates(ctx.text[lo:hi], ctx.document_date)
        if dates:
            return min(dates, key=lambda d: abs(lo + d.start - verb)), False
    if index:
        # A signing sentence without a date takes the date of the sentence before it in the
        # same paragraph ("Le 15 mai 2024 à Dole, ... . X et Y ont signé ...").
        prev_start, prev_end = sentences[index - 1]
        if "\n" not in ctx.text[prev_end:sentence_start]:
            earlier = find_dates(ctx.text[prev_start:prev_end], ctx.document_date)
            if earlier:
                return earlier[0], True
    return None, False


@extractor("agreement", "agreement-concluded")
def agreements(ctx: Context) -> Iterator[Fact]:
    """The candidate agreements of every sentence naming a type and a verb of concluding it."""
    sentences = ctx.sentences()
    earlier: list[list[str]] = []  # the parties of each agreement told so far
    for index, (start, end) in enumerate(sentences):
        sentence = ctx.text[start:end]
        verb = _CONCLUDE.search(sentence)
        anchor = verb.start() if verb is not None else _dated_with(ctx, start, sentence)
        if (
            anchor is None
            or _NEGATION.search(sentence)
            or (not ctx.vocab.find("agreement-type", sentence) and not _GENERIC.search(sentence))
        ):
            continue
        segments = _segments(ctx, start, end, sentence)
        first = segments[0].start
        shared = ctx.mentions_in(start, first, _PARTY_KINDS) if len(segments) > 1 else []
        for segment in segments:
            told = _told_before(ctx, segment, shared, sentences, index, earlier)
            for fact in _agreements_of(ctx, segment, told, start + anchor, sentences, index):
                earlier.append([str(v) for p, v in fact.properties if p == KGC + "party"])
                yield fact


def _dated_with(ctx: Context, start: int, sentence: str) -> int | None:
    """Where a sentence names an agreement by its type, its date and its party without a verb
    ("comme l'indique la déclaration d'intention, en juillet 2017, avec la Confédération X"):
    the offset of the type word whose next words give a date and then "avec", a party named
    after it in the sentence (a long name may come before the acronym the model tags)."""
    for t_start, t_end, _term in ctx.vocab.find("agreement-type", sentence):
        tail = _WITH.match(sentence, t_end)
        if tail is None or not find_dates(sentence[t_end : tail.start("with")]):
            continue
        after = start + tail.end()
        if ctx.mentions_in(after, start + len(sentence), _PARTY_KINDS):
            return t_start
    return None


def _told_before(
    ctx: Context,
    segment: Segment,
    shared: list[Mention],
    sentences: list[tuple[int, int]],
    index: int,
    earlier: list[list[str]],
) -> list[Mention]:
    """The parties a segment takes from what the text told before it (its own are added later):

    - "un pacte similaire avec la Région Y": the parties of the agreement told last, the one of
      the same kind as Y left out (Y takes its place);
    - "La convention, signée le 12 mars, …", "Cet accord, signé …" opening a sentence that
      names fewer than two parties: the agreement the sentence before (same paragraph) told, so
      its parties are those of that sentence.
    """
    own = ctx.mentions_in(segment.start, segment.end, _PARTY_KINDS)
    text = ctx.text[segment.start : segment.end]
    if _SIMILAR.search(text) and earlier and own:
        links = {m.link.iri: m for m in ctx.entities}
        kept = [links[iri] for iri in earlier[-1] if iri in links]
        for new in own:
            same = [m for m in kept if _same_kind(m, new)]
            if same:
                kept.remove(same[0])
        return shared + kept
    sentence_start = sentences[index][0]
    if (
        index
        and segment.start == sentence_start
        and _REFERRED.match(text)
        and len({m.link.iri for m in shared + own}) < 2
    ):
        prev_start, prev_end = sentences[index - 1]
        if "\n" not in ctx.text[prev_end:sentence_start]:
            return shared + ctx.mentions_in(prev_start, prev_end, _PARTY_KINDS)
    return shared


def _same_kind(a: Mention, b: Mention) -> bool:
    """Both collectivities of the same side (French or foreign), or both organisations."""
    return a.link.kind == b.link.kind and (a.link.country == "fr") == (b.link.country == "fr")


def _agreements_of(
    ctx: Context,
    segment: Segment,
    shared: list[Mention],
    verb: int,
    sentences: list[tuple[int, int]],
    index: int,
) -> Iterator[Fact]:
    """The agreements one segment tells (one, or one per foreign party in the plural)."""
    text = ctx.text[segment.start : segment.end]
    parties = shared + ctx.mentions_in(segment.start, segment.end, _PARTY_KINDS)
    if not parties:  # "la France et le Japon ont signé ...": states as parties
        parties = ctx.mentions_in(segment.start, segment.end, ("country",))
    groups, implicit = _party_groups(ctx, parties, text)
    if not groups:
        return
    term = segment.term
    found, inherited = _date(ctx, segment, verb, sentences, index)
    for unique in groups:
        props: list[tuple[str, Value]] = [(KGC + "agreementType", term.concept)] if term else []
        props += [(KGC + "party", iri) for iri in unique]
        year = ""
        if found is not None:
            props.append((KGC + "signingDate", (found.lexical, found.datatype)))
            year = str(found.value.year)
        for place in ctx.mentions_in(segment.start, segment.end, ("place",)):
            props.append((KGC + "signingPlace", place.link.iri))
            break
        for _, _, sector in ctx.vocab.find("sector", text):
            props.append((KGC + "sector", sector.concept))
        names = " \u2013 ".join(_short(iri) for iri in unique)
        label = f"{term.label if term else 'accord'} {names}"
        props.append(("http://www.w3.org/2000/01/rdf-schema#label", (label, "@fr")))
        slug = "-".join(slugify(_short(iri)) for iri in unique[:3])
        subject = f"https://w3id.org/kgci/id/agreement/{slug}-{year or 'undated'}"
        confidence = (
            0.5
            + 0.1 * bool(term)
            - 0.1 * segment.inherited_type
            + 0.2 * (found is not None)
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
            segment.start,
            segment.end,
            round(min(confidence, 1.0), 2),
            props,
        )


def _party_groups(
    ctx: Context, parties: list[Mention], sentence: str
) -> tuple[list[list[str]], bool]:
    """The party lists of the sentence's agreements, and whether the publisher was implied.

    All the named parties sign one agreement, unless no French collectivity is among them and
    there is one party or the sentence speaks of agreements in the plural ("trois accords signés
    avec A, B et C", "la déclaration d'intention avec la Confédération X"): then one agreement
    each with the publisher, the collectivity the document names most.
    """
    unique = list(dict.fromkeys(m.link.iri for m in parties))
    found = ctx.publisher()
    publisher = found.link.iri if found else None
    if (
        publisher
        and publisher not in unique
        and parties
        and not any(m.link.kind == "collectivity" and m.link.country == "fr" for m in parties)
    ) and (len(unique) == 1 or _PLURAL.search(sentence)):
        return [[publisher, iri] for iri in unique], True
    return ([unique] if len(unique) >= 2 else []), False


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]
