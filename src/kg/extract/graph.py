"""Write an extraction as RDF: the candidate graph ``graph/candidates/<document>``.

Facts with the same subject are merged (their passages and properties united, the highest
confidence kept). Every subject is marked ``kgc:curationStatus curation-status:candidate``, carries
``kgc:confidence`` and ``prov:wasGeneratedBy`` the extraction activity, and ``prov:wasDerivedFrom``
its passages; a passage is a ``kgc:Passage`` of the document with ``oa:start``, ``oa:end`` and the
quoted text as ``oa:exact``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import pyoxigraph as ox

from kg.extract.model import Fact, Value
from kg.extract.pipeline import Extraction
from kg.namespaces import ID, VOCAB

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
KGC = "https://w3id.org/kgci/def/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
CANDIDATE = ox.NamedNode(f"{VOCAB}curation-status/candidate")
CURATION_STATUS = ox.NamedNode(KGC + "curationStatus")
CONFIDENCE = ox.NamedNode(KGC + "confidence")
EXTRACTION_RULE = ox.NamedNode(KGC + "extractionRule")
DERIVED = ox.NamedNode(PROV + "wasDerivedFrom")
GENERATED = ox.NamedNode(PROV + "wasGeneratedBy")


RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: English words for the kinds of fact, to give every candidate the English label the shapes ask
#: for: a proper name is the same in English; other facts get "<kind>: <French label>" (no
#: translation is invented).
KIND_EN = {
    "agreement": "Agreement",
    "partnership": "Partnership",
    "membership": "Role",
    "event": "Event",
    "observation": "Figure",
}


def english_label(fact: Fact) -> str:
    """The English label of a fact without one: the name itself for entities."""
    prefix = KIND_EN.get(fact.kind)
    return f"{prefix}: {fact.label}" if prefix else fact.label


def title_of(text: str) -> str:
    """The document's title: its first line of words (a press release's headline), shortened."""
    for line in text.splitlines():
        line = line.strip()
        if any(c.isalpha() for c in line):
            return line if len(line) <= 200 else line[:199].rstrip() + "\u2026"
    return "document"


def term(value: Value) -> ox.NamedNode | ox.Literal:
    """The RDF term of a fact's property value."""
    if isinstance(value, str):
        return ox.NamedNode(value)
    text, kind = value
    if kind.startswith("@"):
        return ox.Literal(text, language=kind[1:])
    return ox.Literal(text, datatype=ox.NamedNode(kind))


def activity_iri(extraction: Extraction) -> str:
    """IRI of the extraction activity: document slug and the first digits of its digest."""
    return f"{ID}extraction/{extraction.document.slug}-{extraction.document.sha256[:12]}"


def passage_iri(slug: str, start: int, end: int) -> str:
    """IRI of the passage [start, end) of the document ``slug`` (the seeds' pattern)."""
    return f"{ID}passage/{slug}-{start}-{end}"


def candidate_quads(extraction: Extraction, *, when: datetime | None = None) -> list[ox.Quad]:
    """The quads of the candidate graph of ``extraction``."""
    doc = extraction.document
    graph = ox.NamedNode(doc.candidate_graph)
    document = ox.NamedNode(doc.iri)
    activity = ox.NamedNode(activity_iri(extraction))
    started = (when or datetime.now(UTC)).isoformat()
    triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (document, RDF_TYPE, ox.NamedNode(KGC + "SourceDocument")),
        (document, ox.NamedNode(DCT + "identifier"), ox.Literal(doc.path.name)),
        (
            document,
            ox.NamedNode(KGC + "sha256"),
            ox.Literal(doc.sha256, datatype=ox.NamedNode(XSD + "hexBinary")),
        ),
        (document, ox.NamedNode(DCT + "language"), ox.Literal("fr")),
        (document, ox.NamedNode(DCT + "title"), ox.Literal(title_of(doc.text), language="fr")),
        (document, ox.NamedNode(RDFS_LABEL), ox.Literal(title_of(doc.text), language="fr")),
        (
            document,
            ox.NamedNode(RDFS_LABEL),
            ox.Literal(f"Source document {doc.path.name}", language="en"),
        ),
        (activity, RDF_TYPE, ox.NamedNode(PROV + "Activity")),
        (activity, ox.NamedNode(PROV + "used"), document),
        (
            activity,
            ox.NamedNode(PROV + "startedAtTime"),
            ox.Literal(started, datatype=ox.NamedNode(XSD + "dateTime")),
        ),
        (
            activity,
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal(f"kg extract {doc.path.name}"),
        ),
    ]
    if extraction.document_date is not None:
        triples.append(
            (
                document,
                ox.NamedNode(DCT + "date"),
                ox.Literal(
                    extraction.document_date.isoformat(), datatype=ox.NamedNode(XSD + "date")
                ),
            )
        )
    confidence: dict[str, float] = defaultdict(float)
    by_subject: dict[str, list[Fact]] = defaultdict(list)
    for fact in extraction.facts:
        by_subject[fact.subject].append(fact)
        confidence[fact.subject] = max(confidence[fact.subject], fact.confidence)
    for subject_iri, facts in by_subject.items():
        subject = ox.NamedNode(subject_iri)
        for fact in facts:
            for rdf_type in fact.types:
                triples.append((subject, RDF_TYPE, ox.NamedNode(rdf_type)))
            for predicate, value in fact.properties:
                triples.append((subject, ox.NamedNode(predicate), term(value)))
            if not any(
                p == RDFS_LABEL and isinstance(v, tuple) and v[1] == "@en"
                for f in facts
                for p, v in f.properties
            ):
                triples.append(
                    (
                        subject,
                        ox.NamedNode(RDFS_LABEL),
                        ox.Literal(english_label(fact), language="en"),
                    )
                )
            triples.append((subject, EXTRACTION_RULE, ox.Literal(fact.rule)))
            passage = ox.NamedNode(passage_iri(doc.slug, fact.start, fact.end))
            triples += [
                (subject, DERIVED, passage),
                (passage, RDF_TYPE, ox.NamedNode(KGC + "Passage")),
                (passage, ox.NamedNode(DCT + "isPartOf"), document),
                (
                    passage,
                    ox.NamedNode(OA + "start"),
                    ox.Literal(str(fact.start), datatype=ox.NamedNode(XSD + "integer")),
                ),
                (
                    passage,
                    ox.NamedNode(OA + "end"),
                    ox.Literal(str(fact.end), datatype=ox.NamedNode(XSD + "integer")),
                ),
                (passage, ox.NamedNode(OA + "exact"), ox.Literal(doc.text[fact.start : fact.end])),
            ]
        triples += [
            (subject, CURATION_STATUS, CANDIDATE),
            (
                subject,
                CONFIDENCE,
                ox.Literal(
                    f"{confidence[subject_iri]:.2f}", datatype=ox.NamedNode(XSD + "decimal")
                ),
            ),
            (subject, GENERATED, activity),
        ]
    seen: set[tuple[str, str, str]] = set()
    quads = []
    for s, p, o in triples:
        key = (str(s), str(p), str(o))
        if key not in seen:
            seen.add(key)
            quads.append(ox.Quad(s, p, o, graph))
    return quads


def to_trig(quads: list[ox.Quad]) -> bytes:
    """TriG serialisation of the candidate quads, with the project's prefixes."""
    prefixes = {
        "kgc": KGC,
        "prov": PROV,
        "oa": OA,
        "dcterms": DCT,
        "xsd": XSD,
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "org": "http://www.w3.org/ns/org#",
        "schema": "https://schema.org/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "qb": "http://purl.org/linked-data/cube#",
    }
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""
