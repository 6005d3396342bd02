"""The fast validation path (:mod:`kg.validation.fast`) against pySHACL, the reference.

Differential test: the seed data, mutated at random (seeded) by operators generated from the shapes
themselves — for every property shape of every targeted shape, the mutations that its constraints
are about (drop a required value, add one beyond ``sh:maxCount``, wrong or ill-typed datatype, object of
the wrong class or a dangling reference, broken or duplicated language tags, a concept of another
scheme such as a changed curation status, swapped dates, removed or changed ``rdf:type``...) plus
random edits. For each mutated graph the fast path (through the project's entry point,
:func:`kg.validation.validate`) and pySHACL run on the whole graph with the ontology must give the
same conformance and the same set of (focus node, path, value, source shape, constraint component,
severity). ``KG_DIFF_CASES`` raises the number of mutated graphs (default 40).
"""

from __future__ import annotations

import os

import pyoxigraph as ox
import pyshacl
import pytest
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph

from kg.settings import Settings
from kg.validation import fast, schema_graphs, validate
from kg.validation.engine import _rows
from kg.validation.report import FAST_VALIDATOR
from shacl_mutations import SEEDS, mutated, operators, triple

CASES = int(os.environ.get("KG_DIFF_CASES", "40"))

Key = tuple[str, str, str, str, str, str]


@pytest.fixture(scope="module")
def schema() -> tuple[Graph, Graph]:
    ont, shapes, _ = schema_graphs(Settings())
    return ont, shapes


@pytest.fixture(scope="module")
def seed() -> Graph:
    graph = Graph()
    for path in sorted(SEEDS.glob("*.trig")):
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
            graph.add(triple(q))
    return graph


def _quads(graph: Graph) -> list[ox.Quad]:
    return list(ox.parse(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES))


def _fast(graph: Graph, ont: Graph, shapes: Graph) -> tuple[bool, set[Key]]:
    report = validate(_quads(graph), [], shapes, ont, None)
    assert report.validator == FAST_VALIDATOR, "the project's shapes must compile for the fast path"
    return report.conforms, {_key(r) for r in report.rows}


def _reference(graph: Graph, ont: Graph, shapes: Graph) -> tuple[bool, set[Key]]:
    """pySHACL on the whole graph plus the ontology, results kept for the graph's own nodes."""
    whole = Graph()
    for t in graph:
        whole.add(t)
    for t in ont:
        whole.add(t)
    _, report, _ = pyshacl.validate(
        whole, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    focus = set(graph.subjects()) | set(graph.objects())
    rows = _rows(report, focus, shapes)
    return not any(r.severity == "Violation" for r in rows), {_key(r) for r in rows}


def _key(row: object) -> Key:
    r = row  # a kg.validation.Violation
    return (r.focus, r.path, r.value, r.shape, r.component, r.severity)  # type: ignore[attr-defined]


# --- the mutations, generated from the shapes -------------------------------------------------


def _disagreement(graph: Graph, ont: Graph, shapes: Graph) -> str | None:
    try:
        ref = _reference(graph, ont, shapes)
    except ReportableRuntimeError as error:  # e.g. sh:lessThan on a blank node
        try:
            validate(_quads(graph), [], shapes, ont, None)
        except ReportableRuntimeError:
            return None  # the fast path handed the graph to pySHACL, which refused it alike
        return f"pySHACL refuses the graph ({error}), the entry point does not"
    ours = _fast(graph, ont, shapes)
    if ours == ref:
        return None
    return (
        f"conforms fast={ours[0]} pyshacl={ref[0]}\n"
        f"only fast: {sorted(ours[1] - ref[1])}\nonly pyshacl: {sorted(ref[1] - ours[1])}"
    )


def test_the_seed_data_conforms_on_both(seed: Graph, schema: tuple[Graph, Graph]) -> None:
    ont, shapes = schema
    assert _reference(seed, ont, shapes)[0]
    assert _disagreement(seed, ont, shapes) is None


def test_the_operators_cover_the_shapes(seed: Graph, schema: tuple[Graph, Graph]) -> None:
    """Every targeted shape's property shapes yield operators: the mutations are not hand-picked."""
    ont, shapes = schema
    names = [n for n, _ in operators(seed, ont, shapes)]
    kinds = {n.split(" ")[0] for n in names}
    assert {"drop", "extra", "literal", "object", "concept", "dates", "retype"} <= kinds
    assert len(names) >= 100


@pytest.mark.parametrize("case", range(CASES))
def test_fast_path_equals_pyshacl_on_mutated_seed_data(
    case: int, seed: Graph, schema: tuple[Graph, Graph]
) -> None:
    ont, shapes = schema
    for graph, done in mutated(seed, ont, shapes, case):
        problem = _disagreement(graph, ont, shapes)
        assert problem is None, f"case {case} ({done}):\n{problem}"


def test_the_differential_catches_an_injected_bug(
    seed: Graph, schema: tuple[Graph, Graph], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fast path that accepts any datatype must be caught by some mutated graph."""
    ont, shapes = schema
    monkeypatch.setattr(fast.checks, "_datatype_ok", lambda value, datatype: True)
    caught = []
    for case in range(200):
        for graph, done in mutated(seed, ont, shapes, case):
            if "literal" not in done:
                continue
            if _disagreement(graph, ont, shapes) is not None:
                caught.append(done)
        if caught:
            break
    assert caught
