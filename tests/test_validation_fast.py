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
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from pyshacl.errors import ReportableRuntimeError
from rdflib import RDF, RDFS, SH, SKOS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.settings import Settings
from kg.validation import fast, schema_graphs, validate
from kg.validation.engine import _rows
from kg.validation.report import FAST_VALIDATOR

SEEDS = Path(__file__).parent.parent / "data" / "seeds"
ID = "https://w3id.org/kgci/id/"
CASES = int(os.environ.get("KG_DIFF_CASES", "40"))

Key = tuple[str, str, str, str, str, str]
Mutation = Callable[[Graph, random.Random], str]


@pytest.fixture(scope="module")
def schema() -> tuple[Graph, Graph]:
    ont, shapes, _ = schema_graphs(Settings())
    return ont, shapes


@pytest.fixture(scope="module")
def seed() -> Graph:
    graph = Graph()
    for path in sorted(SEEDS.glob("*.trig")):
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
            graph.add(_triple(q))
    return graph


def _triple(q: ox.Quad) -> tuple[Node, Node, Node]:
    from kg.validation import to_rdflib

    return to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)


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


def _instances(graph: Graph, ont: Graph, cls: Node) -> list[Node]:
    subclasses = {cls} | set(ont.transitive_subjects(RDFS.subClassOf, cls))
    return sorted({s for c in subclasses for s in graph.subjects(RDF.type, c)}, key=str)


def _path(shapes: Graph, shape: Node) -> tuple[URIRef, bool] | None:
    path = shapes.value(shape, SH.path)
    if isinstance(path, URIRef):
        return path, False
    inverse = shapes.value(path, SH.inversePath) if path is not None else None
    return (inverse, True) if isinstance(inverse, URIRef) else None


def _values(graph: Graph, node: Node, path: URIRef, inverse: bool) -> list[Node]:
    found = graph.subjects(path, node) if inverse else graph.objects(node, path)
    return sorted(found, key=str)


def _edge(node: Node, path: URIRef, inverse: bool, value: Node) -> tuple[Node, Node, Node]:
    return (value, path, node) if inverse else (node, path, value)


def _concepts(ont: Graph) -> list[Node]:
    return sorted(set(ont.subjects(RDF.type, SKOS.Concept)), key=str)


def _bad_literals(value: Node, rng: random.Random) -> Node:
    """A literal that breaks a datatype, pattern, language or range constraint."""
    datatype = value.datatype if isinstance(value, Literal) else None
    choices: list[Node] = [
        Literal("mutated"),
        Literal("mutated", lang=rng.choice(["fr", "en", "de", "xx", "EN", "fr-CA"])),
        Literal(str(rng.randint(-5, 5)), datatype=XSD.integer),
        Literal("2019-13-45", datatype=XSD.date),
        Literal("2019", datatype=XSD.gYear),
        Literal("-3.5", datatype=XSD.decimal),
        Literal("true", datatype=XSD.boolean),
        URIRef(ID + "thing/mutated"),
        BNode(),
    ]
    if datatype is not None:
        choices.append(Literal("not-a-value", datatype=datatype))
        choices.append(Literal(" " + str(value)))
    if isinstance(value, Literal) and value.language:
        choices.append(Literal(str(value), lang="zz"))
        choices.append(Literal(str(value)))
    return rng.choice(choices)


def _operators(graph: Graph, ont: Graph, shapes: Graph) -> list[tuple[str, Mutation]]:
    """One operator per (targeted shape, property shape, constraint kind) the shapes state."""
    concepts = _concepts(ont)
    subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)
    classes = sorted(set(shapes.objects(None, SH.targetClass)), key=str)
    ops: list[tuple[str, Mutation]] = []

    def on_value(
        cls: Node, path: URIRef, inverse: bool, change: Callable[[Node, random.Random], Node]
    ) -> Mutation:
        def mutate(g: Graph, rng: random.Random) -> str:
            focus = _instances(g, ont, cls)
            pairs = [(n, v) for n in focus for v in _values(g, n, path, inverse)]
            if not pairs:
                return "nothing to change"
            node, value = rng.choice(pairs)
            new = change(value, rng)
            g.remove(_edge(node, path, inverse, value))
            if not (inverse and isinstance(new, Literal)):
                g.add(_edge(node, path, inverse, new))
            return f"{node} {path}: {value} -> {new}"

        return mutate

    def drop(cls: Node, path: URIRef, inverse: bool) -> Mutation:
        def mutate(g: Graph, rng: random.Random) -> str:
            focus = [n for n in _instances(g, ont, cls) if _values(g, n, path, inverse)]
            if not focus:
                return "nothing to drop"
            node = rng.choice(focus)
            for v in _values(g, node, path, inverse):
                g.remove(_edge(node, path, inverse, v))
            return f"drop {path} of {node}"

        return mutate

    def extra(cls: Node, path: URIRef, inverse: bool) -> Mutation:
        def mutate(g: Graph, rng: random.Random) -> str:
            focus = _instances(g, ont, cls)
            pool = sorted({t[0 if inverse else 2] for t in g.triples((None, path, None))}, key=str)
            if not focus or not pool:
                return "nothing to add"
            node = rng.choice(focus)
            value = rng.choice(pool)
            if inverse and isinstance(value, Literal):
                return "literal subject"
            g.add(_edge(node, path, inverse, value))
            return f"extra {path} {value} on {node}"

        return mutate

    def other_class(value: Node, rng: random.Random) -> Node:
        return rng.choice(subjects + concepts + [URIRef(ID + "collectivity/dangling-mutated")])

    def other_concept(value: Node, rng: random.Random) -> Node:
        return rng.choice(concepts)

    for node_shape in sorted(set(shapes.subjects(SH.targetClass, None)), key=str):
        for cls in shapes.objects(node_shape, SH.targetClass):
            props = list(shapes.objects(node_shape, SH.property))
            for prop in props:
                found = _path(shapes, prop)
                if found is None:
                    continue
                path, inverse = found
                name = f"{node_shape}/{path}"
                params = set(shapes.predicates(prop))
                if params & {SH.minCount, SH.hasValue, SH.qualifiedMinCount}:
                    ops.append((f"drop {name}", drop(cls, path, inverse)))
                if SH.maxCount in params or SH.uniqueLang in params:
                    ops.append((f"extra {name}", extra(cls, path, inverse)))
                if params & {SH.datatype, SH.pattern, SH.languageIn, SH.minInclusive}:
                    ops.append((f"literal {name}", on_value(cls, path, inverse, _bad_literals)))
                if params & {SH["class"], SH.nodeKind, SH["or"], SH.node}:
                    ops.append((f"object {name}", on_value(cls, path, inverse, other_class)))
                    ops.append((f"concept {name}", on_value(cls, path, inverse, other_concept)))
                if SH.lessThan in params:
                    ops.append((f"dates {name}", on_value(cls, path, inverse, _bad_literals)))

    def retype(g: Graph, rng: random.Random) -> str:
        typed = sorted(set(g.subjects(RDF.type, None)), key=str)
        node = rng.choice(typed)
        old = rng.choice(sorted(g.objects(node, RDF.type), key=str))
        g.remove((node, RDF.type, old))
        if rng.random() < 0.6:
            g.add((node, RDF.type, rng.choice(classes)))
        return f"retype {node} from {old}"

    def add_type(g: Graph, rng: random.Random) -> str:
        node = rng.choice(subjects)
        cls = rng.choice(classes)
        g.add((node, RDF.type, cls))
        return f"{node} also a {cls}"

    def swap_dates(g: Graph, rng: random.Random) -> str:
        start, end = URIRef("https://schema.org/startDate"), URIRef("https://schema.org/endDate")
        both = sorted({s for s in g.subjects(start, None) if (s, end, None) in g}, key=str)
        candidates = both or sorted(set(g.subjects(start, None)), key=str)
        if not candidates:
            return "no dates"
        node = rng.choice(candidates)
        begin = g.value(node, start)
        g.set((node, end, Literal("1900-01-01", datatype=XSD.date)))
        return f"end of {node} before its start {begin}"

    def random_edit(g: Graph, rng: random.Random) -> str:
        triple = rng.choice(sorted(g, key=str))
        g.remove(triple)
        if rng.random() < 0.5:
            s, p, o = triple
            g.add((s, p, _bad_literals(o, rng) if rng.random() < 0.5 else other_class(o, rng)))
        return f"edit {triple}"

    ops += [
        ("retype", retype),
        ("add type", add_type),
        ("swap dates", swap_dates),
        ("random edit", random_edit),
    ]
    return ops


def _mutated(seed: Graph, ont: Graph, shapes: Graph, case: int) -> Iterator[tuple[Graph, str]]:
    rng = random.Random(case)
    ops = _operators(seed, ont, shapes)
    graph = Graph()
    for t in seed:
        graph.add(t)
    done = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        name, op = rng.choice(ops)
        done.append(f"{name}: {op(graph, rng)}")
    yield graph, "; ".join(done)


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
    names = [n for n, _ in _operators(seed, ont, shapes)]
    kinds = {n.split(" ")[0] for n in names}
    assert {"drop", "extra", "literal", "object", "concept", "dates", "retype"} <= kinds
    assert len(names) >= 100


@pytest.mark.parametrize("case", range(CASES))
def test_fast_path_equals_pyshacl_on_mutated_seed_data(
    case: int, seed: Graph, schema: tuple[Graph, Graph]
) -> None:
    ont, shapes = schema
    for graph, done in _mutated(seed, ont, shapes, case):
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
        for graph, done in _mutated(seed, ont, shapes, case):
            if "literal" not in done:
                continue
            if _disagreement(graph, ont, shapes) is not None:
                caught.append(done)
        if caught:
            break
    assert caught
