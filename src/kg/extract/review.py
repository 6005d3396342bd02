"""Review of a document's candidates: list them as CSV, read the reviewer's decisions back, load
the accepted ones.

The CSV has one row per candidate subject. ``decision`` is ``accept``, ``reject``, ``correct`` (with
``corrected_iri``: the IRI the candidate should have, e.g. the right collectivity) or empty
(undecided, left as a candidate). ``indicator`` is the notation of a figure's indicator in
``vocab/indicator``: the extractor fills it when the text names one, the reviewer may fill or change
it (a figure without an indicator does not pass the shapes, so it cannot be accepted without one). Accepted and corrected facts, with their passages and the
document, go through :func:`kg.ingest.load_batches` (SHACL validation, one transaction, a load
record) into the document's graph ``graph/document/<slug>``; the load record names the extraction
activity and the decisions. Then the candidate graph records each decision.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, NotFoundError
from kg.extract.document import candidate_graph
from kg.extract.graph import CANDIDATE, CONFIDENCE, CURATION_STATUS, EXTRACTION_RULE, GENERATED
from kg.ingest import Batch, LoadReport, load_batches
from kg.namespaces import GRAPH, VOCAB
from kg.settings import Settings

COLUMNS = (
    "candidate",
    "kind",
    "label",
    "confidence",
    "start",
    "end",
    "quote",
    "rule",
    "decision",
    "corrected_iri",
    "indicator",
)
DECISIONS = ("accept", "reject", "correct", "")
ACCEPTED = ox.NamedNode(f"{VOCAB}curation-status/manually-curated")
REJECTED = ox.NamedNode(f"{VOCAB}curation-status/rejected")
#: Properties that describe the candidate, not the fact; they are not loaded.
_NOTATION = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
INDICATOR = ox.NamedNode("https://w3id.org/kgci/def/indicator")
_CANDIDATE_ONLY = {CURATION_STATUS, CONFIDENCE, EXTRACTION_RULE, GENERATED}

_LIST = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX kgc: <https://w3id.org/kgci/def/>
SELECT ?s ?t ?l ?c ?r ?i ?start ?end ?q
WHERE { GRAPH ?g {
  ?s kgc:curationStatus ?status ; a ?t ; kgc:confidence ?c ; kgc:extractionRule ?r ;
     prov:wasDerivedFrom ?p .
  ?p oa:start ?start ; oa:end ?end ; oa:exact ?q .
  OPTIONAL { ?s rdfs:label ?l FILTER (lang(?l) = "fr") }
  OPTIONAL { ?s kgc:indicator ?i }
} }
"""


@dataclass(frozen=True)
class Decisions:
    """What a review decided: subjects accepted, rejected, corrected (old IRI -> new IRI)."""

    accepted: tuple[str, ...]
    rejected: tuple[str, ...]
    corrected: dict[str, str]
    #: Figures whose indicator the review sets: subject -> notation in vocab/indicator.
    indicators: dict[str, str] = dataclasses.field(default_factory=dict)


def document_graph(slug: str) -> str:
    """The named graph of the reviewed facts of the document ``slug``."""
    return f"{GRAPH}document/{slug}"


def candidates_csv(store: ox.Store, slug: str) -> str:
    """The candidates of the document ``slug`` as CSV (undecided rows)."""
    graph = candidate_graph(slug)
    if not any(True for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))):
        raise NotFoundError(
            f"there are no candidates for the document {slug!r}; run kg extract first"
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    query = _LIST.replace("GRAPH ?g", f"GRAPH <{graph}>")
    # One row per candidate: its first passage (smallest start, then end) with that passage's quote.
    first: dict[str, tuple[int, int, list[str]]] = {}
    for row in store.query(query):  # type: ignore[union-attr]
        start, end = int(row["start"].value), int(row["end"].value)
        subject = row["s"].value
        known = first.get(subject)
        if known is not None and (known[0], known[1]) <= (start, end):
            continue
        first[subject] = (
            start,
            end,
            [
                subject,
                row["t"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1],
                row["l"].value if row["l"] else "",
                row["c"].value,
                str(start),
                str(end),
                row["q"].value,
                row["r"].value,
                "",
                "",
                row["i"].value.rsplit("/", 1)[-1] if row["i"] else "",
            ],
        )
    for _start, _end, cells in sorted(first.values(), key=lambda v: (v[0], v[1], v[2][0])):
        writer.writerow(cells)
    return out.getvalue()


def read_decisions(path: Path) -> Decisions:
    """Parse a reviewed CSV; a wrong decision or a missing corrected IRI is refused with its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} cannot be read as UTF-8 CSV ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = {"candidate", "decision"} - set(reader.fieldnames or [])
    if missing:
        raise InputError(f"{path} lacks the column(s) {', '.join(sorted(missing))}")
    accepted: list[str] = []
    rejected: list[str] = []
    corrected: dict[str, str] = {}
    indicators: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        decision = (row.get("decision") or "").strip().lower()
        subject = (row.get("candidate") or "").strip()
        if decision not in DECISIONS:
            raise InputError(
                f"{path}, line {line}: decision {decision!r} is not one of accept, reject, correct"
            )
        if decision == "accept":
            accepted.append(subject)
        elif decision == "reject":
            rejected.append(subject)
        elif decision == "correct":
            new = (row.get("corrected_iri") or "").strip()
            if not new.startswith(("http://", "https://")):
                raise InputError(f"{path}, line {line}: a correction needs an IRI in corrected_iri")
            corrected[subject] = new
        indicator = (row.get("indicator") or "").strip()
        if indicator and decision in ("accept", "correct"):
            if not _NOTATION.fullmatch(indicator):
                raise InputError(
                    f"{path}, line {line}: indicator {indicator!r} is not a notation of vocab/indicator"
                )
            indicators[subject] = indicator
    return Decisions(tuple(accepted), tuple(rejected), corrected, indicators)


def _value(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """The lexical value of a term (a quoted triple has none: its N-Triples form)."""
    return str(node) if isinstance(node, ox.Triple) else node.value


def _accepted_triples(
    store: ox.Store, graph: ox.NamedNode, decisions: Decisions
) -> list[ox.Triple]:
    keep = {*decisions.accepted, *decisions.corrected}
    known = {
        _value(q.subject) for q in store.quads_for_pattern(None, CURATION_STATUS, CANDIDATE, graph)
    }
    unknown = sorted(keep - known)
    if unknown:
        raise InputError(
            f"the review names {unknown[0]}, which is not a candidate of {graph.value}"
        )
    rename = {old: ox.NamedNode(new) for old, new in decisions.corrected.items()}

    def renamed(
        node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
    ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
        return rename.get(node.value, node) if isinstance(node, ox.NamedNode) else node

    triples: set[ox.Triple] = set()
    supports: set[str] = set()
    for quad in store.quads_for_pattern(None, None, None, graph):
        subject = _value(quad.subject)
        if subject in decisions.indicators and quad.predicate == INDICATOR:
            continue  # the review's indicator replaces the extractor's
        if subject in keep and quad.predicate not in _CANDIDATE_ONLY:
            triples.add(ox.Triple(renamed(quad.subject), quad.predicate, renamed(quad.object)))  # type: ignore[arg-type]
            if quad.predicate.value == "http://www.w3.org/ns/prov#wasDerivedFrom":
                supports.add(_value(quad.object))
    for quad in store.quads_for_pattern(None, None, None, graph):
        if _value(quad.subject) in supports:
            triples.add(ox.Triple(quad.subject, quad.predicate, quad.object))
            if quad.predicate.value == "http://purl.org/dc/terms/isPartOf":
                for doc in store.quads_for_pattern(quad.object, None, None, graph):  # type: ignore[arg-type]
                    triples.add(ox.Triple(doc.subject, doc.predicate, doc.object))
    for subject, notation in decisions.indicators.items():
        if subject in keep:
            node = rename.get(subject, ox.NamedNode(subject))
            triples.add(ox.Triple(node, INDICATOR, ox.NamedNode(f"{VOCAB}indicator/{notation}")))
    return sorted(triples, key=str)


def apply_review(
    store: ox.Store, settings: Settings, slug: str, decisions: Decisions, reviewer: str
) -> LoadReport | None:
    """Load the accepted facts of ``slug`` into its document graph and record every decision.

    Returns the load report, or None when nothing was accepted. A SHACL violation of the accepted
    facts raises :class:`kg.errors.ValidationFailed` and leaves the store as it was.
    """
    graph = ox.NamedNode(candidate_graph(slug))
    triples = _accepted_triples(store, graph, decisions)
    activity = next(
        (_value(q.object) for q in store.quads_for_pattern(None, GENERATED, None, graph)), ""
    )
    report = None
    if triples:
        target = document_graph(slug)
        # A later review adds to what earlier reviews accepted: the batch replaces the graph.
        earlier = {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(target))
        }
        batch = Batch.from_quads(
            target,
            sorted(earlier | set(triples), key=str),
            f"review of the candidates of {slug}",
            extra={
                "source": activity,
                "reviewer": reviewer,
                "decisions": (
                    f"{len(decisions.accepted)} accepted, {len(decisions.corrected)} corrected, "
                    f"{len(decisions.rejected)} rejected"
                ),
            },
        )
        report = load_batches(store, settings, [batch], progress=False)
    _record(store, graph, decisions)
    return report


def _record(store: ox.Store, graph: ox.NamedNode, decisions: Decisions) -> None:
    """Replace the status of each decided candidate in the candidate graph."""
    statuses: Sequence[tuple[str, ox.NamedNode]] = [
        *((s, ACCEPTED) for s in (*decisions.accepted, *decisions.corrected)),
        *((s, REJECTED) for s in decisions.rejected),
    ]
    if not statuses:
        return
    values = " ".join(f"(<{s}> <{status.value}>)" for s, status in statuses)
    store.update(
        f"DELETE {{ GRAPH <{graph.value}> {{ ?s <{CURATION_STATUS.value}> ?old }} }}\n"
        f"INSERT {{ GRAPH <{graph.value}> {{ ?s <{CURATION_STATUS.value}> ?new }} }}\n"
        f"WHERE {{ VALUES (?s ?new) {{ {values} }} GRAPH <{graph.value}> {{ ?s <{CURATION_STATUS.value}> ?old }} }}"
    )
