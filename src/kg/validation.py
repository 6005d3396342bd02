"""SHACL validation of a batch together with its neighbourhood in the store, and readable reports.

The data graph handed to pyshacl is the batch plus what :mod:`kg.neighbourhood` pulls from the store
for the IRIs the batch mentions; only violations whose focus node is described by the batch are
reported, so a batch is never blamed for the state of its neighbours. References to entities that
exist nowhere (neither in the batch, the store nor the ontology) are reported as violations too.
pySHACL reads its data and shapes graphs from a :class:`ReadStore` (full loads 1.4-1.7x faster than on
rdflib's default store, with the same reports).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pyoxigraph as ox
import pyshacl
import pyshacl.shape
from rdflib import RDF, RDFS, SH, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from kg import ontology
from kg.namespaces import BASE, PREFIXES
from kg.settings import Settings

Triple = tuple[Node, Node, Node]
VALIDATOR = f"pyshacl {metadata.version('pyshacl')}"
REFERENCE_CHECK = BASE + "shapes/ReferenceCheck"
KGI = Namespace(BASE + "shapes/")
#: Prefixes for reports, longest namespace first so that ``id:`` does not hide a longer one.
_SHORT = sorted(
    [*PREFIXES.items(), ("kgs", BASE + "shapes/"), ("sh", "http://www.w3.org/ns/shacl#")],
    key=lambda item: -len(item[1]),
)


@dataclass(frozen=True)
class Violation:
    """One row of a validation report."""

    focus: str
    path: str
    value: str
    message: str
    severity: str
    shape: str
    source: str = ""
    #: The SHACL constraint component that failed (``sh:MinCountConstraintComponent``...).
    component: str = ""

    def block(self) -> str:
        """The violation as a few short lines: severity, then focus, path, value, message, shape."""
        return _block(self)


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of validating one or more batches: rows plus the SHACL report as Turtle."""

    conforms: bool
    rows: tuple[Violation, ...] = ()
    turtle: str = ""
    validator: str = VALIDATOR
    shapes_version: str = ""
    triples: int = 0
    neighbourhood: int = 0
    sources: tuple[str, ...] = field(default_factory=tuple)

    def table(self) -> str:
        """The rows as text readable at 80 columns: one block per violation, nothing cut."""
        if self.conforms and not self.rows:
            return "conforms: no violation"
        return "\n\n".join(r.block() for r in self.rows) or "conforms: no violation"


def shorten(iri: str) -> str:
    """An IRI written with the project's prefixes where one fits, else whole.

    >>> shorten("https://w3id.org/kgci/id/territory/ile-de-france")
    'id:territory/ile-de-france'
    >>> shorten("https://w3id.org/kgci/shapes/Territory-governedBy")
    'kgs:Territory-governedBy'
    """
    for prefix, namespace in _SHORT:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _block(row: Violation) -> str:
    fields = [
        ("focus", row.focus),
        ("path", row.path),
        ("value", row.value),
        ("message", row.message),
        ("shape", row.shape),
    ]
    head = f"{row.severity}" + (f" in {row.source}" if row.source else "")
    return "\n".join(
        [head] + [f"  {name + ':':8} {_shorten_words(value)}" for name, value in fields if value]
    )


def _shorten_words(text: str) -> str:
    return " ".join(shorten(word) for word in text.split(" "))


def schema_graphs(settings: Settings) -> tuple[Graph, Graph, str]:
    """(ontology + vocabularies, shapes, shapes version), loaded and cached by :mod:`kg.ontology`."""
    return (
        ontology.ontology_graph(settings),
        ontology.shapes_graph(settings),
        str(ontology.shapes_version(settings)),
    )


def inverse_predicates(shapes: Graph) -> frozenset[str]:
    """The predicates the shapes follow backwards (``sh:path [ sh:inversePath P ]``): a batch's
    entities need the store's statements through them, not only their own."""
    return _inverse_predicates(shapes)


@functools.lru_cache(maxsize=4)
def _inverse_predicates(shapes: Graph) -> frozenset[str]:
    return frozenset(str(o) for o in shapes.objects(None, SH.inversePath) if isinstance(o, URIRef))


@functools.lru_cache(maxsize=1 << 17)
def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """Convert a pyoxigraph term to rdflib (cached: batches repeat their IRIs a lot)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            # RDF 1.1: "x" and "x"^^xsd:string are one term; rdflib keeps them apart, and the
            # shapes (parsed by rdflib) hold the plain form, so sh:hasValue and sh:in need it too.
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"RDF-star triples are not supported: {term}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_HIERARCHY = (RDFS.subClassOf, RDFS.subPropertyOf)


@functools.lru_cache(maxsize=4)
def _schema_index(ont: Graph) -> tuple[tuple[Triple, ...], dict[Node, tuple[Triple, ...]]]:
    """The class/property hierarchy, and the statements about each ontology or vocabulary IRI."""
    hierarchy = tuple(t for t in ont if t[1] in _HIERARCHY)
    about: dict[Node, list[Triple]] = {}
    for t in ont:
        about.setdefault(t[0], []).append(t)
    return hierarchy, {k: tuple(v) for k, v in about.items()}


def _schema_neighbourhood(ont: Graph, data: Graph) -> list[Triple]:
    """What the shapes need from the ontology and vocabularies for ``data``: the hierarchy, and the
    statements (type, scheme, labels) about the classes and concepts ``data`` mentions.

    Copying the whole vocabularies would make every batch validate every SKOS concept again.
    """
    hierarchy, about = _schema_index(ont)
    mentioned = {o for o in data.objects()} | {s for s in data.subjects()}
    out = list(hierarchy)
    for node in mentioned:
        out.extend(about.get(node, ()))
    # one more hop for the concept schemes the mentioned concepts belong to
    for scheme in {
        t[2] for node in mentioned for t in about.get(node, ()) if t[1] == SKOS.inScheme
    }:
        out.extend(about.get(scheme, ()))
    # and the types of what those statements name (a broader concept is a skos:Concept), since the
    # mentioned terms are focus nodes too
    named = {t[2] for t in out} - mentioned
    out.extend(t for node in named for t in about.get(node, ()) if t[1] == RDF.type)
    return out


#: Build pySHACL's data and shapes graphs on :class:`ReadStore` and give pySHACL a hashed lookup of
#: constraint parameters (False: plain rdflib graphs, the previous behaviour; kept for bench/ingest.py).
FAST_GRAPHS = True


class ReadStore(SimpleMemory):
    """An rdflib store for the graphs pySHACL reads: one graph, indexed, length counted on insertion.

    rdflib's default ``Memory`` store keeps per-triple context bookkeeping that pySHACL's hundreds of
    thousands of lookups pay for; ``SimpleMemory`` does not, but counts its length by a full scan and is
    refused by pySHACL's wrapper (not context-aware). Every triple is in the one graph.
    """

    context_aware = True
    graph_aware = True

    def __init__(self) -> None:
        super().__init__()
        self._triples: set[Triple] = set()
        self._graph: object = None

    def add(self, triple: Triple, context: object, quoted: bool = False) -> None:
        if self._graph is None:
            self._graph = context
        if triple not in self._triples:
            self._triples.add(triple)
            super().add(triple, context, quoted)  # type: ignore[arg-type]

    def triples(self, triple_pattern: Any, context: object = None) -> Iterator[Any]:
        """The matches, each in the one graph: pySHACL looks a blank node's graph up through its
        contexts (to name it in a message) and fails when a store reports none."""
        graphs = [self._graph] if self._graph is not None else []
        for triple, _ in super().triples(triple_pattern, context):  # type: ignore[arg-type]
            yield triple, iter(graphs)

    def remove(self, triple_pattern: object, context: object = None) -> None:
        for triple, _ in list(self.triples(triple_pattern)):
            self._triples.discard(triple)
        super().remove(triple_pattern, context)  # type: ignore[arg-type]

    def __len__(self, context: object = None) -> int:
        return len(self._triples)

    def add_graph(self, graph: Graph) -> None:
        """Named graphs are not kept apart: nothing to register."""

    def remove_graph(self, graph: Graph) -> None:
        """Named graphs are not kept apart: removing one is removing its triples."""
        self.remove((None, None, None), graph)


class _HashedParameters(list[URIRef]):
    """pySHACL's list of constraint parameters, with a set lookup: pySHACL 0.40 tests ``p in list``
    for every statement about a shape on every shape evaluation (tens of URIRef ``__eq__`` each)."""

    def __init__(self, items: Iterable[URIRef]) -> None:
        super().__init__(items)
        self._set = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._set


def _tune_pyshacl(fast: bool) -> None:
    """Install (or remove) the hashed parameter list pySHACL 0.40 caches in its ``shape`` module.

    This reaches into pySHACL's internals, so it is done only where they are as in 0.40; with
    another layout pySHACL is left as it is (slower, same reports)."""
    try:
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:
        return
    if not hasattr(pyshacl.shape, "CONSTRAINT_PARAMS"):
        return
    params = _HashedParameters(ALL_CONSTRAINT_PARAMETERS) if fast else ALL_CONSTRAINT_PARAMETERS
    pyshacl.shape.CONSTRAINT_PARAMS = (params, CONSTRAINT_PARAMETERS_MAP)


def new_data_graph() -> Graph:
    """An empty graph for pySHACL to read (on :class:`ReadStore` unless ``FAST_GRAPHS`` is off)."""
    return Graph(store=ReadStore()) if FAST_GRAPHS else Graph()


@functools.lru_cache(maxsize=4)
def _fast_shapes(shapes: Graph) -> Graph:
    out = Graph(store=ReadStore())
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in shapes:
        out.add(triple)
    return out


def shapes_for_pyshacl(shapes: Graph) -> Graph:
    """The shapes graph pySHACL reads: a cached :class:`ReadStore` copy unless ``FAST_GRAPHS`` is off."""
    return _fast_shapes(shapes) if FAST_GRAPHS else shapes


def validate_quads(
    settings: Settings,
    batch: Sequence[ox.Quad],
    neighbourhood: Sequence[ox.Quad],
    known: set[str],
    sources: Sequence[str] = (),
) -> ValidationReport:
    """Validate ``batch`` (plus ``neighbourhood`` for context) against the project's shapes.

    ``known`` holds the IRIs that exist in the store outside the graphs being replaced; an IRI of the
    project's ``id/`` space the batch refers to must be described in the batch or be in ``known``.
    """
    ont, shapes, version = schema_graphs(settings)
    return validate(batch, neighbourhood, shapes, ont, known, version=version, sources=sources)


def validate(
    batch: Sequence[ox.Quad],
    neighbourhood: Sequence[ox.Quad],
    shapes: Graph,
    ontology: Graph,
    known: set[str] | None,
    *,
    version: str = "",
    sources: Sequence[str] = (),
) -> ValidationReport:
    """The one validation of the project: ``batch`` with its ``neighbourhood`` against ``shapes``.

    Every node is validated and the results kept are those whose focus node the batch touches, as
    subject or object, so a batch answers for what it changes and not for its neighbours. Only
    violations fail it (warnings are reported). ``known=None`` skips the reference check (the W3C
    SHACL tests, which have no entity space).
    """
    focus = {to_rdflib(t) for q in batch for t in (q.subject, q.object)}
    rows = _reference_rows(batch, known) if known is not None else []
    report_graph = Graph()
    if len(shapes) and batch:
        # (An rdflib store adapter over pyoxigraph was tried: 30x slower with pyshacl 0.40.)
        data = new_data_graph()
        for q in itertools.chain(batch, neighbourhood):
            data.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        for triple in _schema_neighbourhood(ontology, data):
            data.add(triple)
        # Every node is validated and results are filtered to the batch's nodes afterwards:
        # pyshacl 0.40's focus_nodes option missed violations of shared property shapes.
        _tune_pyshacl(FAST_GRAPHS)
        _, report_graph, _ = pyshacl.validate(
            data,
            shacl_graph=shapes_for_pyshacl(shapes),
            inference="none",
            allow_warnings=True,
            inplace=True,
        )
    rows += _rows(report_graph, focus, shapes)
    kept = _kept_report(report_graph, focus, rows)
    conforms = not any(_fails(r) for r in rows)
    return ValidationReport(
        conforms=conforms,
        rows=tuple(rows),
        turtle=kept.serialize(format="turtle"),
        shapes_version=version,
        triples=len(batch),
        neighbourhood=len(neighbourhood),
        sources=tuple(sources),
    )


#: Severities that are reported but do not make a batch fail (any other one does, as in SHACL).
PASSING_SEVERITIES = frozenset({"Warning", "Info"})


def _fails(row: Violation) -> bool:
    return row.severity not in PASSING_SEVERITIES


def validate_graph(data: Graph, settings: Settings) -> ValidationReport:
    """:func:`validate` for an rdflib graph (the shape fixtures), with the project's shapes and
    ontology and no reference check; ``data`` is not modified."""
    ont, shapes, version = schema_graphs(settings)
    payload = data.serialize(format="nt", encoding="utf-8")
    quads = list(ox.parse(payload, ox.RdfFormat.N_TRIPLES))
    return validate(quads, [], shapes, ont, None, version=version)


def _reference_rows(batch: Sequence[ox.Quad], known: set[str]) -> list[Violation]:
    described = {q.subject.value for q in batch if isinstance(q.subject, ox.NamedNode)}
    rows: list[Violation] = []
    seen: set[str] = set()
    for q in batch:
        obj = q.object
        if not isinstance(obj, ox.NamedNode) or not obj.value.startswith(BASE + "id/"):
            continue
        if obj.value in described or obj.value in known or obj.value in seen:
            continue
        seen.add(obj.value)
        rows.append(
            Violation(
                focus=str(q.subject.value if isinstance(q.subject, ox.NamedNode) else q.subject),
                path=q.predicate.value,
                value=obj.value,
                message=f"refers to {obj.value}, which exists nowhere (neither in this batch nor in the store)",
                severity="Violation",
                shape=REFERENCE_CHECK,
            )
        )
    return rows


def _short(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    return str(node)


def _message(report: Graph, result: Node) -> str:
    """The English message of a result when the shapes give several languages."""
    messages = list(report.objects(result, SH.resultMessage))
    english = [m for m in messages if isinstance(m, Literal) and m.language == "en"]
    if english:
        return str(english[0])
    return str(sorted(messages, key=str)[0]) if messages else ""


def _shape_name(shape: Node | None, shapes: Graph) -> str:
    """A property shape is a blank node: name it by its node shape and path instead."""
    if not isinstance(shape, BNode):
        return _short(shape)
    parent = shapes.value(None, SH.property, shape)
    path = shapes.value(shape, SH.path)
    return f"{_short(parent)} (property {_short(path)})" if parent is not None else "(anonymous)"


def _results(report: Graph) -> list[Node]:
    """The results of the report itself (not those nested in ``sh:detail``)."""
    return [
        r
        for root in report.subjects(RDF.type, SH.ValidationReport)
        for r in report.objects(root, SH.result)
    ]


def _rows(report: Graph, focus: set[Node], shapes: Graph) -> list[Violation]:
    rows = []
    for result in _results(report):
        node = report.value(result, SH.focusNode)
        if node not in focus:
            continue
        path = report.value(result, SH.resultPath)
        severity = report.value(result, SH.resultSeverity)
        rows.append(
            Violation(
                focus=_short(node),
                path=_short(path) if not isinstance(path, BNode) else "(complex path)",
                value=_short(report.value(result, SH.value)),
                message=_message(report, result),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                shape=_shape_name(report.value(result, SH.sourceShape), shapes),
                component=_short(report.value(result, SH.sourceConstraintComponent)),
            )
        )
    return sorted(rows, key=lambda r: (r.focus, r.path, r.value, r.message))


def _copy_cbd(src: Graph, node: Node, dst: Graph) -> None:
    for p, o in src.predicate_objects(node):
        dst.add((node, p, o))
        if isinstance(o, BNode):
            _copy_cbd(src, o, dst)


def _kept_report(report: Graph, focus: set[Node], rows: Sequence[Violation]) -> Graph:
    """The SHACL report restricted to the batch's focus nodes, plus the reference-check rows."""
    out = Graph()
    out.bind("sh", SH)
    root = BNode()
    out.add((root, RDF.type, SH.ValidationReport))
    conforms = not any(_fails(r) for r in rows)
    out.add((root, SH.conforms, Literal(conforms)))
    for result in _results(report):
        if report.value(result, SH.focusNode) in focus:
            out.add((root, SH.result, result))
            _copy_cbd(report, result, out)
    for row in rows:
        if row.shape != REFERENCE_CHECK:
            continue
        result = BNode()
        out.add((root, SH.result, result))
        out.add((result, RDF.type, SH.ValidationResult))
        out.add((result, SH.focusNode, URIRef(row.focus)))
        out.add((result, SH.resultPath, URIRef(row.path)))
        out.add((result, SH.value, URIRef(row.value)))
        out.add((result, SH.resultMessage, Literal(row.message)))
        out.add((result, SH.resultSeverity, SH.Violation))
        out.add((result, SH.sourceShape, URIRef(REFERENCE_CHECK)))
    return out
