"""Review of a document's candidates: list them (CSV, or the /review page), read the reviewer's
decisions, load the accepted ones. ``kg review`` and the site's review page both go through here.

The CSV has one row per candidate subject, with its ``status`` (candidate, accepted, rejected).
``decision`` is ``accept``, ``reject``, ``correct`` (with ``corrected_iri``: the IRI the candidate
should have, e.g. the right collectivity) or empty (undecided, left as a candidate). ``indicator`` is
the notation of a figure's indicator in ``vocab/indicator``: the extractor fills it when the text
names one, the reviewer may fill or change it (a figure without an indicator does not pass the
shapes, so it cannot be accepted without one). A decision on a subject that is not a candidate, or
that an earlier review decided, is refused before anything is written. Accepted and corrected
facts, with their passages and the document, go through :func:`kg.ingest.load_batches` (SHACL
validation, one transaction, a load record) into the document's graph ``graph/document/<slug>``;
the load record names the extraction activity, the reviewer and the decisions. Then the candidate
graph records each decision.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, NotFoundError
from kg.extract.document import candidate_graph
from kg.extract.graph import CANDIDATE, CONFIDENCE, CURATION_STATUS, EXTRACTION_RULE, GENERATED
from kg.ingest import Batch, LoadReport, load_batches
from kg.namespaces import GRAPH, VOCAB
from kg.queries import get_library
from kg.settings import PROJECT_ROOT, Settings

COLUMNS = (
    "candidate",
    "kind",
    "label",
    "confidence",
    "start",
    "end",
    "quote",
    "rule",
    "status",
    "decision",
    "corrected_iri",
    "indicator",
)
DECISIONS = ("accept", "reject", "correct", "")
ACCEPTED = ox.NamedNode(f"{VOCAB}curation-status/manually-curated")
REJECTED = ox.NamedNode(f"{VOCAB}curation-status/rejected")
_NOTATION = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
INDICATOR = ox.NamedNode("https://w3id.org/kgci/def/indicator")
#: Properties that describe the candidate, not the fact; they are not loaded.
_CANDIDATE_ONLY = {CURATION_STATUS, CONFIDENCE, EXTRACTION_RULE, GENERATED}
#: Words for each curation status, as the review shows it (the last segment of its IRI).
STATUS_WORDS = {
    CANDIDATE.value: "candidate",
    ACCEPTED.value: "accepted",
    REJECTED.value: "rejected",
}


@dataclass(frozen=True)
class Decisions:
    """What a review decided: subjects accepted, rejected, corrected (old IRI -> new IRI)."""

    accepted: tuple[str, ...]
    rejected: tuple[str, ...]
    corrected: dict[str, str]
    #: Figures whose indicator the review sets: subject -> notation in vocab/indicator.
    indicators: dict[str, str] = dataclasses.field(default_factory=dict)
    #: Where each decision was read (``decided.csv, line 4``; ``form row 3``), for error messages.
    origins: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def named(self) -> tuple[str, ...]:
        """Every candidate a decision names, in the order they were read."""
        return tuple(self.origins) or (*self.accepted, *self.corrected, *self.rejected)


@dataclass(frozen=True)
class Candidate:
    """One candidate subject of a document, with its first passage (as ``kg review`` lists it)."""

    iri: str
    kind: str
    label: str
    confidence: str
    start: int
    end: int
    quote: str
    rule: str
    #: ``candidate``, ``accepted`` or ``rejected`` (:data:`STATUS_WORDS`).
    status: str
    indicator: str
    #: IRI of the document the passage is part of.
    document: str

    def row(self) -> list[str]:
        """The candidate's cells in the order of :data:`COLUMNS` (decision columns empty)."""
        return [
            self.iri,
            self.kind,
            self.label,
            self.confidence,
            str(self.start),
            str(self.end),
            self.quote,
            self.rule,
            self.status,
            "",
            "",
            self.indicator,
        ]


def document_graph(slug: str) -> str:
    """The named graph of the reviewed facts of the document ``slug``."""
    return f"{GRAPH}document/{slug}"


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def require_candidates(store: ox.Store, slug: str) -> str:
    """The candidate graph of ``slug``; :class:`NotFoundError` when the store has none (or when
    ``slug`` could not name one)."""
    graph = candidate_graph(slug)
    if not _SLUG.fullmatch(slug) or not any(
        True for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    ):
        raise NotFoundError(
            f"there are no candidates for the document {slug[:100]!r}; run kg extract first"
        )
    return graph


def list_candidates(store: ox.Store, slug: str) -> list[Candidate]:
    """The candidates of the document ``slug``, by their first passage (smallest start, then end);
    a document without a candidate graph is a :class:`NotFoundError`."""
    graph = require_candidates(store, slug)
    first: dict[str, Candidate] = {}
    rows = get_library(PROJECT_ROOT / "queries").run(store, "review-candidates", graph=graph)
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        subject = row["s"].value
        known = first.get(subject)
        if known is not None and (known.start, known.end) <= (start, end):
            continue
        status = row["status"].value
        first[subject] = Candidate(
            iri=subject,
            kind=_local(row["t"].value),
            label=row["l"].value if row["l"] else "",
            confidence=row["c"].value,
            start=start,
            end=end,
            quote=row["q"].value,
            rule=row["r"].value,
            status=STATUS_WORDS.get(status, _local(status)),
            indicator=_local(row["i"].value) if row["i"] else "",
            document=row["doc"].value if row["doc"] else "",
        )
    return sorted(first.values(), key=lambda c: (c.start, c.end, c.iri))


@dataclass(frozen=True)
class CandidateDocument:
    """A document with a candidate graph, and how many of its subjects are in each status."""

    slug: str
    graph: str
    title: str
    #: Status word (:data:`STATUS_WORDS`) -> number of subjects.
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """Every subject of the candidate graph, whatever its status."""
        return sum(self.counts.values())


def candidate_documents(store: ox.Store) -> list[CandidateDocument]:
    """Every document with a candidate graph (``graph/candidates/<slug>``), by slug."""
    prefix = candidate_graph("")
    found: dict[str, CandidateDocument] = {}
    for row in get_library(PROJECT_ROOT / "queries").run(store, "review-documents"):
        graph = row["graph"].value
        slug = graph.removeprefix(prefix)
        document = found.setdefault(
            slug, CandidateDocument(slug, graph, row["title"].value if row["title"] else "", {})
        )
        word = STATUS_WORDS.get(row["status"].value, _local(row["status"].value))
        document.counts[word] = document.counts.get(word, 0) + int(row["n"].value)
    return [found[slug] for slug in sorted(found)]


def candidates_csv(store: ox.Store, slug: str) -> str:
    """The candidates of the document ``slug`` as CSV, with their current status."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for candidate in list_candidates(store, slug):
        writer.writerow(candidate.row())
    return out.getvalue()


def read_decisions(path: Path) -> Decisions:
    """Parse a reviewed CSV; a wrong decision or a missing corrected IRI is refused with its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} cannot be read as UTF-8 CSV ({exc})") from None
    return decisions_from_csv(text, str(path))


def decisions_from_csv(text: str, source: str) -> Decisions:
    """Parse the text of a reviewed CSV named ``source`` (a file, an upload)."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    missing = {"candidate", "decision"} - set(reader.fieldnames or [])
    if missing:
        raise InputError(f"{source} lacks the column(s) {', '.join(sorted(missing))}")
    return parse_decisions((f"{source}, line {n}", row) for n, row in enumerate(reader, start=2))


def parse_decisions(rows: Iterable[tuple[str, Mapping[str, str | None]]]) -> Decisions:
    """The decisions of ``rows``, each a place (for messages) and the cells ``candidate``,
    ``decision``, ``corrected_iri``, ``indicator``: the one reader of the CSV and of the review page.
    A wrong decision, a correction without an IRI, a bad indicator or a candidate decided twice is
    refused with its place."""
    accepted: list[str] = []
    rejected: list[str] = []
    corrected: dict[str, str] = {}
    indicators: dict[str, str] = {}
    origins: dict[str, str] = {}
    for where, row in rows:
        decision = (row.get("decision") or "").strip().lower()
        subject = (row.get("candidate") or "").strip()
        if decision not in DECISIONS:
            raise InputError(
                f"{where}: decision {decision!r} is not one of accept, reject, correct"
            )
        if not decision:
            continue
        if not subject:
            raise InputError(f"{where}: the decision {decision!r} names no candidate")
        if subject in origins:
            raise InputError(f"{where}: {subject} is decided twice (also at {origins[subject]})")
        origins[subject] = where
        if decision == "accept":
            accepted.append(subject)
        elif decision == "reject":
            rejected.append(subject)
        else:
            new = (row.get("corrected_iri") or "").strip()
            if not new.startswith(("http://", "https://")) or any(c in new for c in ' <>"{}|^`'):
                raise InputError(f"{where}: a correction needs an IRI in corrected_iri")
            corrected[subject] = new
        indicator = (row.get("indicator") or "").strip()
        if indicator and decision in ("accept", "correct"):
            if not _NOTATION.fullmatch(indicator):
                raise InputError(
                    f"{where}: indicator {indicator!r} is not a notation of vocab/indicator"
                )
            indicators[subject] = indicator
    return Decisions(tuple(accepted), tuple(rejected), corrected, indicators, origins)


def _value(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """The lexical value of a term (a quoted triple has none: its N-Triples form)."""
    return str(node) if isinstance(node, ox.Triple) else node.value


def check_decisions(store: ox.Store, graph: ox.NamedNode, decisions: Decisions) -> None:
    """Refuse, with its place, a decision on a subject that is not a candidate of ``graph`` or
    that an earlier review already decided; nothing is written before this check."""
    statuses = {
        _value(q.subject): _value(q.object)
        for q in store.quads_for_pattern(None, CURATION_STATUS, None, graph)
    }
    for subject in decisions.named:
        where = decisions.origins.get(subject, "the review")
        status = statuses.get(subject)
        if status is None:
            raise InputError(f"{where}: {subject} is not a candidate of {graph.value}")
        if status != CANDIDATE.value:
            word = STATUS_WORDS.get(status, _local(status))
            raise InputError(f"{where}: {subject} was already {word} by an earlier review")


def _accepted_triples(
    store: ox.Store, graph: ox.NamedNode, decisions: Decisions
) -> list[ox.Triple]:
    check_decisions(store, graph, decisions)
    keep = {*decisions.accepted, *decisions.corrected}
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
    graph = ox.NamedNode(require_candidates(store, slug))
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
    before = [ox.Triple(ox.NamedNode(s), CURATION_STATUS, CANDIDATE) for s, _ in statuses]
    after = [ox.Triple(ox.NamedNode(s), CURATION_STATUS, status) for s, status in statuses]
    # One data update (no pattern is evaluated): the old statuses go, the new ones come.
    store.update(
        f"DELETE DATA {{ GRAPH <{graph.value}> {{ {_ntriples(before)} }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{graph.value}> {{ {_ntriples(after)} }} }}"
    )


def _ntriples(triples: list[ox.Triple]) -> str:
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
