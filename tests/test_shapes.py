"""SHACL shapes against fixtures: every valid fixture conforms, every invalid one breaks exactly the rule
its header names (``# expect: <shape IRI> <path> [<constraint component>]``, ``-`` for no path, ``^p``
for an inverse path; ``# also:`` lists shapes the same edit cannot help breaking), and together the
invalid fixtures break every constraint of ``ontology/shapes.ttl``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import SH, BNode, Graph, URIRef
from rdflib.term import Node

from kg.namespaces import PREFIXES
from kg.ontology import shapes_graph
from kg.settings import Settings
from kg.validation import validate_graph

FIXTURES = Path(__file__).parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
EXPECT = re.compile(r"^# expect: (\S+) (\S+)(?: (\S+))?\s*$", re.MULTILINE)
ALSO = re.compile(r"^# also: (.+)$", re.MULTILINE)

#: Constraint parameters whose violation a fixture must show, by the component pySHACL reports.
COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.qualifiedValueShape: SH.QualifiedMinCountConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}


@dataclass(frozen=True)
class Expectation:
    shape: URIRef
    path: Node | None  # None: a node-level constraint, reported without a path
    component: URIRef | None
    also: frozenset[URIRef] = frozenset()  # shapes the same edit unavoidably breaks too


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(store=None, ontology_dir=Path(__file__).parents[1] / "ontology")


def _expand(term: str, graph: Graph) -> URIRef:
    if term.startswith("<") and term.endswith(">"):
        return URIRef(term[1:-1])
    prefix, _, local = term.partition(":")
    namespaces = {**PREFIXES, "sh": str(SH)}
    namespaces.update({p: str(ns) for p, ns in graph.namespaces()})
    if prefix not in namespaces:
        raise AssertionError(f"unknown prefix {prefix!r} in expectation {term!r}")
    return URIRef(namespaces[prefix] + local)


def _expectation(path: Path, graph: Graph) -> Expectation:
    text = path.read_text(encoding="utf-8")
    match = EXPECT.search(text)
    assert match, f"{path.name} has no '# expect: <shape> <path> [component]' header line"
    shape, result_path, component = match.groups()
    also = ALSO.search(text)
    return Expectation(
        shape=_expand(shape, graph),
        path=None if result_path == "-" else _expand(result_path.lstrip("^"), graph),
        component=_expand(component, graph) if component else None,
        also=frozenset(_expand(t, graph) for t in also.group(1).split()) if also else frozenset(),
    )


def _results(report: Graph) -> list[tuple[Node | None, Node | None, Node | None]]:
    """(source shape, path, component) of every top-level result (not the sh:detail ones); an inverse
    path is given by its property."""
    rows = []
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        if isinstance(path, BNode):
            path = report.value(path, SH.inversePath)
        rows.append(
            (
                report.value(result, SH.sourceShape),
                path,
                report.value(result, SH.sourceConstraintComponent),
            )
        )
    return rows


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_fixture_conforms(path: Path, settings: Settings) -> None:
    graph = Graph().parse(path)
    before = len(graph)
    result = validate_graph(graph, settings)
    assert result.conforms, result.table()
    assert len(graph) == before, "validation must not add the ontology to the caller's graph"


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_breaks_the_expected_rule(path: Path, settings: Settings) -> None:
    graph = Graph().parse(path)
    expected = _expectation(path, graph)
    result = validate_graph(graph, settings)
    assert not result.conforms, f"{path.name} conforms but should break {expected.shape}"
    rows = _results(Graph().parse(data=result.turtle, format="turtle"))
    shapes = {shape for shape, _, _ in rows}
    assert expected.shape in shapes, result.table()
    assert shapes <= {expected.shape, *expected.also}, result.table()
    assert any(p == expected.path for _, p, _ in rows), result.table()
    if expected.component is not None:
        assert any(c == expected.component for _, _, c in rows), result.table()


def _constraints(shapes: Graph) -> set[tuple[URIRef, URIRef]]:
    """(named shape, component) for every constraint a named shape declares itself."""
    pairs = set()
    for parameter, component in COMPONENTS.items():
        for shape in shapes.subjects(parameter, None):
            if isinstance(shape, URIRef):
                pairs.add((shape, component))
    return pairs


def test_every_constraint_has_a_violating_fixture(settings: Settings) -> None:
    covered = set()
    for path in INVALID:
        expected = _expectation(path, Graph().parse(path))
        covered.add((expected.shape, expected.component))
    missing = _constraints(shapes_graph(settings)) - covered
    assert not missing, "constraints with no invalid fixture: " + ", ".join(
        sorted(f"{s} {c}" for s, c in missing)
    )


def test_every_property_shape_is_exercised_by_a_valid_fixture(settings: Settings) -> None:
    """Each constrained property appears in a conforming fixture, so the rule is seen passing too."""
    used: set[Node] = set()
    for path in VALID:
        graph = Graph().parse(path)
        used.update(graph.predicates())
    shapes = shapes_graph(settings)
    unexercised = {
        str(p)
        for shape, p in shapes.subject_objects(SH.path)
        if isinstance(shape, URIRef) and isinstance(p, URIRef) and p not in used
    }
    assert not unexercised, f"properties no valid fixture uses: {sorted(unexercised)}"


def test_dates_of_different_precisions_compare_on_their_common_prefix(settings: Settings) -> None:
    """A gYearMonth end in the start year passes; one in the year before fails."""
    base = (FIXTURES / "valid" / "membership.ttl").read_text(encoding="utf-8")
    same_year = base.replace(
        'schema:endDate "2016"^^xsd:gYear', 'schema:endDate "2016-01"^^xsd:gYearMonth'
    )
    assert same_year != base
    assert validate_graph(Graph().parse(data=same_year, format="turtle"), settings).conforms
    earlier = base.replace(
        'schema:endDate "2016"^^xsd:gYear', 'schema:endDate "2015-12"^^xsd:gYearMonth'
    )
    assert not validate_graph(Graph().parse(data=earlier, format="turtle"), settings).conforms
