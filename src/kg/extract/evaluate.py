"""Score an extraction against a gold graph: precision and recall per kind of fact.

Both sides are read the same way from RDF (:func:`facts_of_graph`): the candidate graph ``kg extract``
writes and a hand-made gold graph (``data/seeds/*.trig``) give the same :class:`Facts`, so the
comparison never depends on how either was produced. A fact counts as found when its key matches:

- entities: the IRI of a collectivity, country, place or territory (linking to the right IRI) that
  the graph declares or that one of its facts names (a party, a role's organisation, a figure's
  subject or area, an event's place: a seed graph names an entity another seed declares); a
  territory stated only as what a listed collectivity governs is that collectivity's name, not a
  second mention, and is not counted twice;
- agreements: agreement type, the set of parties and the signing date (lexical form); an
  organisation party the extractor mints from its name is the gold organisation of that name
  (its label, or the acronym its label gives in brackets), since no register gives their IRIs;
- people: the person's name (accent- and case-folded) and the role concept;
- figures: value, unit and subject (a gold figure without subject matches any subject); a subject
  the extractor mints (an event, a partnership, a programme) cannot bear the hand-made gold slug,
  so it matches a gold subject of the same class whose passages overlap its own;
- passages: a span of the text; found when it overlaps a span of the other side.

A gold written by hand without passages (the fixtures' ``gold.json``, read by
:func:`facts_of_gold_json`) names a minted subject by its class only: a subject ending with "/"
(``id/partnership/``) matches any subject of that namespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from kg.importers.reconcile.normalise import fold

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
KGC = "https://w3id.org/kgci/def/"
ID = "https://w3id.org/kgci/id/"
ORG = "http://www.w3.org/ns/org#"
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"
OA = "http://www.w3.org/ns/oa#"
OBS_VALUE = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
UNIT = "http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure"
#: IRI namespaces of the entities whose linking is scored (all linked to a reference or the COG).
ENTITY_PREFIXES = tuple(
    f"{ID}{kind}/" for kind in ("collectivity", "country", "place", "territory")
)
KINDS = ("entities", "agreements", "people", "figures", "passages")
#: Properties whose object is an entity the text names (so a graph that references it, without
#: declaring it, still states it); kgc:country and kgc:governs are not among them: they are what a
#: reference knows about the entity, not what the text says.
NAMING_PROPERTIES = frozenset(
    {
        KGC + "party",
        KGC + "subject",
        KGC + "signingPlace",
        KGC + "actor",
        KGC + "targetArea",
        ORG + "organization",
        "https://schema.org/location",
        "https://schema.org/attendee",
        "https://schema.org/organizer",
        "http://purl.org/linked-data/sdmx/2009/dimension#refArea",
    }
)
#: Classes of the resources an extractor mints (no reference gives their IRI): matched by passage.
MINTED_CLASSES = frozenset(
    {
        "https://schema.org/Event",
        KGC + "Partnership",
        KGC + "Programme",
        KGC + "Agreement",
        KGC + "Action",
    }
)
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ORGANISATION = f"{ID}organisation/"
_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&.-]{1,11})\)")


def _names(labels: Iterable[str]) -> frozenset[str]:
    """The folded names of an organisation: each label, and the acronym a label gives in
    brackets ("Confédération … (CPLP)" is also "cplp")."""
    names = {fold(label) for label in labels}
    names.update(fold(a) for label in labels for a in _ACRONYM.findall(label))
    return frozenset(names)


Figure = tuple[Decimal, str, str | None]


@dataclass
class Facts:
    """The comparable keys of the facts of one document."""

    entities: set[str] = field(default_factory=set)
    agreements: set[tuple[str | None, frozenset[str], str | None]] = field(default_factory=set)
    people: set[tuple[str, str]] = field(default_factory=set)
    figures: set[Figure] = field(default_factory=set)
    passages: set[tuple[int, int]] = field(default_factory=set)
    #: Minted resources (events, partnerships, programmes...): IRI -> (classes, passage spans).
    minted: dict[str, tuple[frozenset[str], frozenset[tuple[int, int]]]] = field(
        default_factory=dict
    )
    #: Organisations (no register gives their IRI): IRI -> folded names (label, bracketed acronym).
    organisations: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    """Counts of one kind: found (true positives), extra (false positives), missed."""

    found: int
    extra: int
    missed: int
    #: Gold facts found, when it differs from ``found`` (passages: several may overlap one).
    gold_found: int | None = None

    @property
    def precision(self) -> float | None:
        """Share of the predicted facts that are in the gold; None when nothing was predicted."""
        total = self.found + self.extra
        return self.found / total if total else None

    @property
    def recall(self) -> float | None:
        """Share of the gold facts that were predicted; None when the gold has none."""
        hits = self.found if self.gold_found is None else self.gold_found
        total = hits + self.missed
        return hits / total if total else None

    def __add__(self, other: Score) -> Score:
        gold_found = (
            None
            if self.gold_found is None and other.gold_found is None
            else (self.gold_found if self.gold_found is not None else self.found)
            + (other.gold_found if other.gold_found is not None else other.found)
        )
        return Score(
            self.found + other.found,
            self.extra + other.extra,
            self.missed + other.missed,
            gold_found,
        )


def _value(term: object) -> str:
    return str(getattr(term, "value", term))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


def facts_of_graph(triples: Iterable[ox.Triple | ox.Quad]) -> Facts:
    """The scored facts stated by ``triples`` (a candidate graph or a gold graph)."""
    by_subject: dict[str, dict[str, list[str]]] = {}
    for t in triples:
        props = by_subject.setdefault(_value(t.subject), {})
        props.setdefault(_value(t.predicate), []).append(_value(t.object))
    facts = Facts()
    for subject, props in by_subject.items():
        types = set(props.get(RDF_TYPE, []))

        def one(predicate: str, props: dict[str, list[str]] = props) -> str | None:
            values = props.get(predicate)
            return sorted(values)[0] if values else None

        if subject.startswith(ENTITY_PREFIXES) and types:
            facts.entities.add(subject)
        for predicate in NAMING_PROPERTIES.intersection(props):
            facts.entities.update(v for v in props[predicate] if v.startswith(ENTITY_PREFIXES))
        if types & MINTED_CLASSES:
            spans = []
            for passage in props.get(PROV_DERIVED, []):
                bounds = by_subject.get(passage, {})
                if bounds.get(OA + "start") and bounds.get(OA + "end"):
                    spans.append((int(bounds[OA + "start"][0]), int(bounds[OA + "end"][0])))
            facts.minted[subject] = (frozenset(types & MINTED_CLASSES), frozenset(spans))
        if subject.startswith(ORGANISATION) and props.get(RDFS_LABEL):
            facts.organisations[subject] = _names(props[RDFS_LABEL])
        if KGC + "Agreement" in types:
            facts.agreements.add(
                (
                    one(KGC + "agreementType"),
                    frozenset(props.get(KGC + "party", [])),
                    one(KGC + "signingDate"),
                )
            )
        if ORG + "Membership" in types:
            member, role = one(ORG + "member"), one(ORG + "role")
            name = by_subject.get(member or "", {}).get(FOAF_NAME)
            if name and role:
                facts.people.add((fold(name[0]), role))
        if "http://purl.org/linked-data/cube#Observation" in types:
            value, unit = _decimal(one(OBS_VALUE) or ""), one(UNIT)
            if value is not None and unit:
                facts.figures.add((value, unit, one(KGC + "subject")))
        if KGC + "Passage" in types:
            start, end = one(OA + "start"), one(OA + "end")
            if start is not None and end is not None:
                facts.passages.add((int(start), int(end)))
    # A territory only stated as governed by a collectivity the graph lists is that collectivity's
    # name (the gold models the institution and its area apart; the text names them once).
    named = {
        v for props in by_subject.values() for p in NAMING_PROPERTIES for v in props.get(p, [])
    }
    for subject, props in by_subject.items():
        if subject in facts.entities:
            for territory in props.get(KGC + "governs", []):
                if territory not in named:
                    facts.entities.discard(territory)
    return facts


def facts_of_gold_json(entry: dict[str, Any]) -> Facts:
    """The facts of one text of a hand-written JSON gold (``tests/fixtures/extract/gold.json``):
    IRIs without the ``https://w3id.org/kgci/`` base, dates as lexical forms, a figure's subject
    an IRI or a ``subject_class`` (a namespace of minted resources, "partnership")."""
    base = ID.removesuffix("id/")
    vocab = base + "vocab/"
    facts = Facts()
    facts.entities = {base + iri for iri in entry["entities"]}
    for a in entry["agreements"]:
        facts.agreements.add(
            (
                f"{vocab}agreement-type/{a['type']}",
                frozenset(base + p for p in a["parties"]),
                a["date"],
            )
        )
    for p in entry["people"]:
        facts.people.add((fold(p["name"]), f"{vocab}membership-role/{p['role']}"))
    for f in entry["figures"]:
        subject = (
            base + f["subject"]
            if "subject" in f
            else f"{ID}{f['subject_class']}/"
            if "subject_class" in f
            else None
        )
        facts.figures.add((Decimal(f["value"]).normalize(), f"{vocab}unit/{f['unit']}", subject))
    return facts


def _overlaps(span: tuple[int, int], others: set[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def aligned(predicted: Facts, gold: Facts) -> set[tuple[str, str]]:
    """(predicted IRI, gold IRI) of the minted resources of one class whose passages overlap."""
    pairs = set()
    for p_iri, (p_types, p_spans) in predicted.minted.items():
        for g_iri, (g_types, g_spans) in gold.minted.items():
            if p_types & g_types and any(_overlaps(span, set(g_spans)) for span in p_spans):
                pairs.add((p_iri, g_iri))
    return pairs


def _figures(
    predicted: set[Figure], gold: set[Figure], pairs: AbstractSet[tuple[str, str]] = frozenset()
) -> Score:
    def same(p: Figure, g: Figure) -> bool:
        return (
            p[0] == g[0]
            and p[1] == g[1]
            and (
                g[2] is None
                or p[2] == g[2]
                or (p[2] or "", g[2]) in pairs
                or (g[2].endswith("/") and (p[2] or "").startswith(g[2]))
            )
        )

    found = sum(1 for g in gold if any(same(p, g) for p in predicted))
    extra = sum(1 for p in predicted if not any(same(p, g) for g in gold))
    return Score(found, extra, len(gold) - found)


def same_organisations(predicted: Facts, gold: Facts) -> dict[str, str]:
    """Predicted organisation IRI -> the gold one of the same name: organisations have no
    register, so each side mints its IRI (the gold's by hand, "cplp-business-confederation");
    they are the same organisation when a name of one (its label, or the acronym in brackets)
    is a name of the other."""
    return {
        p_iri: g_iri
        for p_iri, p_names in predicted.organisations.items()
        for g_iri, g_names in gold.organisations.items()
        if p_iri != g_iri and p_names & g_names
    }


def score(predicted: Facts, gold: Facts) -> dict[str, Score]:
    """Precision and recall counts per kind of :data:`KINDS`."""
    scores: dict[str, Score] = {}
    renamed = same_organisations(predicted, gold)
    agreements = {
        (kind, frozenset(renamed.get(p, p) for p in parties), when)
        for kind, parties, when in predicted.agreements
    }
    for kind in ("entities", "agreements", "people"):
        p = agreements if kind == "agreements" else getattr(predicted, kind)
        g = getattr(gold, kind)
        scores[kind] = Score(len(p & g), len(p - g), len(g - p))
    scores["figures"] = _figures(predicted.figures, gold.figures, aligned(predicted, gold))
    gold_found = sum(1 for g in gold.passages if _overlaps(g, predicted.passages))
    found = sum(1 for p in predicted.passages if _overlaps(p, gold.passages))
    scores["passages"] = Score(
        found, len(predicted.passages) - found, len(gold.passages) - gold_found, gold_found
    )
    return scores
