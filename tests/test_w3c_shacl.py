"""The W3C SHACL core test suite (vendored in ``tests/w3c/shacl-core``) through the project's one
validation entry point, :func:`kg.validation.validate`, against the expected reports and against
pySHACL run directly on the whole data graph (the oracle).

A test agrees when the conformance and the multiset of results — focus node, path, severity and
constraint component, blank nodes written ``_:`` — are those expected. Deliberate differences are
listed in ``DELIBERATE`` with their reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, SH, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.validation import fast, validate
from kg.validation.report import FAST_VALIDATOR

SUITE = Path(__file__).parent / "w3c" / "shacl-core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

Result = tuple[str, str, str, str]

#: Tests where the project's answer differs from the suite's on purpose (pySHACL run directly with
#: the same options gives the project's answer: the other test checks that).
DELIBERATE: dict[str, str] = {
    "misc/severity-001": "warnings do not fail a batch: only sh:Violation results make it not conform",
}

#: Tests pySHACL 0.40.1 itself fails when run directly on the whole graph (checked below).
PYSHACL_FAILS: dict[str, str] = {
    "property/uniqueLang-002": "sh:uniqueLang false is treated as true",
}


@dataclass(frozen=True)
class Case:
    id: str
    data: Path
    shapes: Path
    conforms: bool
    results: Counter[Result]


def _iri(path: Path) -> str:
    return path.resolve().as_uri()


def _local(node: Node) -> Path:
    return Path(str(node).removeprefix("file://"))


def _name(node: Node | None) -> str:
    if node is None:
        return ""
    return "_:" if isinstance(node, BNode) else str(node)


def _results(report: Graph, root: Node) -> Counter[Result]:
    return Counter(
        (
            _name(report.value(r, SH.focusNode)),
            "(complex path)"
            if isinstance(report.value(r, SH.resultPath), BNode)
            else _name(report.value(r, SH.resultPath)),
            _name(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            _name(report.value(r, SH.sourceConstraintComponent)),
        )
        for r in report.objects(root, SH.result)
    )


def _cases(manifest: Path) -> list[Case]:
    graph = Graph().parse(manifest, format="turtle", publicID=_iri(manifest))
    cases: list[Case] = []
    for include in graph.objects(None, MF.include):
        cases += _cases(_local(include))
    for entries in graph.objects(None, MF.entries):
        for test in Collection(graph, entries):
            if (test, RDF.type, SHT.Validate) not in graph:
                continue
            action = graph.value(test, MF.action)
            result = graph.value(test, MF.result)
            data = _local(graph.value(action, SHT.dataGraph))
            shapes = _local(graph.value(action, SHT.shapesGraph))
            conforms = bool(graph.value(result, SH.conforms).toPython())  # type: ignore[union-attr]
            name = f"{manifest.parent.name}/{str(test).rsplit('/', 1)[-1]}"
            cases.append(Case(name, data, shapes, conforms, _results(graph, result)))
    return cases


CASES = _cases(SUITE / "manifest.ttl")


def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle", publicID=_iri(path))


def _ours(case: Case) -> tuple[bool, Counter[Result]]:
    quads = list(
        ox.parse(path=str(case.data), format=ox.RdfFormat.TURTLE, base_iri=_iri(case.data))
    )
    report = validate(quads, [], _graph(case.shapes), Graph(), None)
    rows = Counter(
        (
            "_:" if r.focus.startswith("_:") or _looks_blank(r.focus, quads) else r.focus,
            r.path if r.path != "" else "",
            r.severity,
            r.component,
        )
        for r in report.rows
    )
    return report.conforms, rows


def _looks_blank(focus: str, quads: list[ox.Quad]) -> bool:
    """Rows name blank nodes by their label; the suite's reports by ``_:``."""
    return any(
        isinstance(t, ox.BlankNode) and t.value == focus
        for q in quads
        for t in (q.subject, q.object)
    )


def _pyshacl(case: Case) -> tuple[bool, Counter[Result]]:
    conforms, report, _ = pyshacl.validate(
        _graph(case.data), shacl_graph=_graph(case.shapes), inference="none", allow_warnings=True
    )
    roots = list(report.subjects(RDF.type, SH.ValidationReport))
    return bool(conforms), _results(report, roots[0])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_entry_point_gives_the_expected_report(case: Case) -> None:
    if case.id in DELIBERATE:
        pytest.skip(f"deliberate difference: {DELIBERATE[case.id]}")
    if case.id in PYSHACL_FAILS:
        assert _pyshacl(case) != (case.conforms, case.results), f"pySHACL now passes {case.id}"
        pytest.skip(f"pySHACL 0.40.1 fails it: {PYSHACL_FAILS[case.id]}")
    assert _ours(case) == (case.conforms, case.results)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_entry_point_agrees_with_pyshacl_on_the_whole_graph(case: Case) -> None:
    assert _ours(case) == _pyshacl(case)


def test_the_suite_is_whole() -> None:
    assert len(CASES) >= 98
    assert all(URIRef(_iri(c.data)) for c in CASES)


def _shapes_only(path: Path) -> Graph:
    """The shapes of a suite file without its manifest and expected report (whose ``sh:result``
    terms would make the fast path refuse the graph and fall back to pySHACL)."""
    graph = _graph(path)
    drop: set[Node] = set(graph.subjects(RDF.type, SH.ValidationReport))
    drop |= set(graph.subjects(RDF.type, SH.ValidationResult))
    drop |= set(graph.subjects(RDF.type, MF.Manifest)) | set(graph.subjects(RDF.type, SHT.Validate))
    for entries in graph.objects(None, MF.entries):
        node: Node | None = entries
        while isinstance(node, BNode):
            drop.add(node)
            node = graph.value(node, RDF.rest)
    for test in graph.subjects(RDF.type, SHT.Validate):
        drop.update(o for o in graph.objects(test) if isinstance(o, BNode))
    out = Graph()
    for t in graph:
        if t[0] not in drop and not str(t[1]).startswith((str(MF), str(SHT))):
            out.add(t)
    return out


def _fast_path(case: Case) -> tuple[bool, Counter[Result]] | None:
    """The case through the fast path, or ``None`` when its shapes fall back to pySHACL."""
    shapes = _shapes_only(case.shapes)
    if fast.compile_shapes(shapes) is None:
        return None
    quads = list(
        ox.parse(path=str(case.data), format=ox.RdfFormat.TURTLE, base_iri=_iri(case.data))
    )
    report = validate(quads, [], shapes, Graph(), None)
    assert report.validator == FAST_VALIDATOR
    rows = Counter(
        (
            "_:" if r.focus.startswith("_:") or _looks_blank(r.focus, quads) else r.focus,
            r.path,
            r.severity,
            r.component,
        )
        for r in report.rows
    )
    return report.conforms, rows


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_fast_path_gives_the_expected_report(case: Case) -> None:
    ours = _fast_path(case)
    if ours is None:
        pytest.skip("shapes outside the fast path: pySHACL runs them (tested above)")
    if case.id in DELIBERATE or case.id in PYSHACL_FAILS:
        assert ours == _pyshacl(case)
        return
    assert ours == (case.conforms, case.results)


def test_most_of_the_suite_runs_on_the_fast_path() -> None:
    compiled = [c.id for c in CASES if fast.compile_shapes(_shapes_only(c.shapes)) is not None]
    assert len(compiled) >= 80, sorted(set(c.id for c in CASES) - set(compiled))
