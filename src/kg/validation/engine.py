"""The one validation of the project: a batch with its neighbourhood against the shapes.

The data graph handed to pySHACL is the batch plus what :mod:`kg.ingest.neighbourhood` pulls from the store
for the entities the batch mentions; the results kept are those whose focus node the batch touches,
as subject or object. References to entities that exist nowhere (neither in the batch, the store nor
the ontology) are reported as violations too.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import BASE
from kg.settings import Settings
from kg.validation import fast, speed
from kg.validation.report import (
    FAST_VALIDATOR,
    REFERENCE_CHECK,
    VALIDATOR,
    ValidationReport,
    Violation,
    fails,
)
from kg.validation.schema import schema_graphs, schema_neighbourhood, schema_neighbourhood_of
from kg.validation.terms import english_text, to_rdflib

#: ``progress(done, total)``: shapes evaluated so far, of how many.
Progress = Callable[[int, int], None]


def validate_quads(
    settings: Settings,
    batch: Sequence[ox.Quad],
    neighbourhood: Sequence[ox.Quad],
    known: set[str],
    sources: Sequence[str] = (),
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate ``batch`` (plus ``neighbourhood`` for context) against the project's shapes.

    ``known`` holds the IRIs that exist in the store outside the graphs being replaced; an IRI of the
    project's ``id/`` space the batch refers to must be described in the batch or be in ``known``.
    """
    ont, shapes, version = schema_graphs(settings)
    return validate(
        batch,
        neighbourhood,
        shapes,
        ont,
        known,
        version=version,
        sources=sources,
        progress=progress,
    )


def validate(
    batch: Sequence[ox.Quad],
    neighbourhood: Sequence[ox.Quad],
    shapes: Graph,
    ontology: Graph,
    known: set[str] | None,
    *,
    version: str = "",
    sources: Sequence[str] = (),
    progress: Progress | None = None,
) -> ValidationReport:
    """The one validation of the project: ``batch`` with its ``neighbourhood`` against ``shapes``.

    Every node is validated and the results kept are those whose focus node the batch touches, as
    subject or object, so a batch answers for what it changes and not for its neighbours. Only
    violations fail it (warnings are reported). ``known=None`` skips the reference check (the W3C
    SHACL tests, which have no entity space).

    The engine is the fast path (:mod:`kg.validation.fast`) when the shapes compile for it, else
    pySHACL; ``KG_VALIDATOR=pyshacl`` forces pySHACL (the reference), ``KG_VALIDATOR=fast`` is
    the default. ``progress(done, total)`` hears of each shape evaluated on the fast path (pySHACL
    reports nothing until it ends).
    """
    # each distinct term converted once (a batch names its nodes many times)
    focus = {to_rdflib(t) for t in {t for q in batch for t in (q.subject, q.object)}}
    rows = _reference_rows(batch, known) if known is not None else []
    compiled = fast.compile_shapes(shapes) if engine() == "fast" and len(shapes) else None
    if compiled is not None:
        try:
            return _validate_fast(
                compiled,
                batch,
                neighbourhood,
                shapes,
                ontology,
                focus,
                rows,
                version,
                sources,
                progress,
            )
        except fast.Unsupported:  # data the fast path does not decide (pySHACL raises or decides)
            pass
    report_graph = Graph()
    if len(shapes) and batch:
        # (An rdflib store adapter over pyoxigraph was tried: 30x slower with pyshacl 0.40.)
        data = speed.new_data_graph()
        for q in itertools.chain(batch, neighbourhood):
            data.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        for triple in schema_neighbourhood(ontology, data):
            data.add(triple)
        # Every node is validated and results are filtered to the batch's nodes afterwards:
        # pyshacl 0.40's focus_nodes option missed violations of shared property shapes.
        speed.tune_pyshacl(speed.FAST_GRAPHS)
        _, report_graph, _ = pyshacl.validate(
            data,
            shacl_graph=speed.shapes_for_pyshacl(shapes),
            inference="none",
            allow_warnings=True,
            inplace=True,
        )
    rows += _rows(report_graph, focus, shapes)
    kept = _kept_report(report_graph, focus, rows)
    conforms = not any(fails(r) for r in rows)
    return ValidationReport(
        conforms=conforms,
        rows=tuple(rows),
        turtle=kept.serialize(format="turtle"),
        validator=VALIDATOR,
        shapes_version=version,
        triples=len(batch),
        neighbourhood=len(neighbourhood),
        sources=tuple(sources),
    )


def engine() -> str:
    """The engine asked for by ``KG_VALIDATOR``: ``fast`` (default) or ``pyshacl``."""
    name = os.environ.get("KG_VALIDATOR", "fast").strip().lower() or "fast"
    if name not in ("fast", "pyshacl"):
        raise ValueError(f"KG_VALIDATOR={name!r}: expected 'fast' or 'pyshacl'")
    return name


def _validate_fast(
    compiled: fast.Compiled,
    batch: Sequence[ox.Quad],
    neighbourhood: Sequence[ox.Quad],
    shapes: Graph,
    ontology: Graph,
    focus: set[Node],
    rows: list[Violation],
    version: str,
    sources: Sequence[str],
    progress: Progress | None = None,
) -> ValidationReport:
    """:func:`validate` on the fast path: same rows and report as pySHACL's (messages aside)."""
    results: list[fast.Result] = []
    if batch:
        data = fast.Data(inverse=compiled.inverse)
        data.add(
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            for q in itertools.chain(batch, neighbourhood)
        )
        data.add(schema_neighbourhood_of(ontology, data.out.keys() | data.objects.keys()))

        def store() -> ox.Store:
            # built only when a SPARQL-constrained shape has a focus node in the batch
            out = ox.Store()
            out.extend(
                ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o))  # type: ignore[arg-type]
                for s, p, o in data.triples()
            )
            return out

        results = fast.validate_fast(compiled, data, focus, store, progress)
    rows += sorted(
        [
            Violation(
                focus=_short(r.focus),
                path=_short(r.path) if not isinstance(r.path, BNode) else "(complex path)",
                value=_short(r.value),
                message=r.message,
                severity=str(r.severity).rsplit("#", 1)[-1],
                shape=_shape_name(r.shape, shapes),
                component=_short(r.component),
            )
            for r in results
        ],  # a list: pySHACL reports a result once per shape that gives it, even when alike
        key=lambda r: (r.focus, r.path, r.value, r.message, r.component),
    )
    conforms = not any(fails(r) for r in rows)
    return ValidationReport(
        conforms=conforms,
        rows=tuple(rows),
        turtle=_fast_report(results, rows, shapes).serialize(format="turtle"),
        validator=FAST_VALIDATOR,
        shapes_version=version,
        triples=len(batch),
        neighbourhood=len(neighbourhood),
        sources=tuple(sources),
    )


def _to_ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def _fast_report(results: Sequence[fast.Result], rows: Sequence[Violation], shapes: Graph) -> Graph:
    """The fast path's results as a SHACL report graph, with the reference-check rows."""
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(not any(fails(r) for r in rows))))
    for r in results:
        node = BNode()
        report.add((root, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, r.focus))
        if isinstance(r.path, URIRef):
            report.add((node, SH.resultPath, r.path))
        elif r.path is not None:  # an inverse path, written as in the shapes
            inverse = BNode()
            report.add((node, SH.resultPath, inverse))
            inverted = shapes.value(r.path, SH.inversePath)
            if inverted is not None:
                report.add((inverse, SH.inversePath, inverted))
        if r.value is not None:
            report.add((node, SH.value, r.value))
        report.add((node, SH.resultSeverity, r.severity))
        report.add((node, SH.sourceConstraintComponent, r.component))
        report.add((node, SH.sourceShape, r.shape))
        if r.message:
            report.add((node, SH.resultMessage, Literal(r.message)))
    return _with_references(report, root, rows)


def _with_references(report: Graph, root: Node, rows: Sequence[Violation]) -> Graph:
    """``report`` with a SHACL result under ``root`` for each failed reference check of ``rows``."""
    for row in rows:
        if row.shape != REFERENCE_CHECK:
            continue
        result = BNode()
        report.add((root, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, URIRef(row.focus)))
        report.add((result, SH.resultPath, URIRef(row.path)))
        report.add((result, SH.value, URIRef(row.value)))
        report.add((result, SH.resultMessage, Literal(row.message)))
        report.add((result, SH.resultSeverity, SH.Violation))
        report.add((result, SH.sourceShape, URIRef(REFERENCE_CHECK)))
    report.bind("sh", SH)
    return report


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
    return english_text(report, result, SH.resultMessage)


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
    conforms = not any(fails(r) for r in rows)
    out.add((root, SH.conforms, Literal(conforms)))
    for result in _results(report):
        if report.value(result, SH.focusNode) in focus:
            out.add((root, SH.result, result))
            _copy_cbd(report, result, out)
    return _with_references(out, root, rows)
