"""Random, seeded mutations of the seed data, generated from the shapes themselves: for every
property shape of every targeted shape, the changes its constraints are about (see
``test_validation_fast``). Shared by the fast-path differential test and the chunked-load test."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, SKOS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

SEEDS = Path(__file__).parent.parent / "data" / "seeds"
ID = "https://w3id.org/kgci/id/"

Mutation = Callable[[Graph, random.Random], str]


def triple(q: ox.Quad) -> tuple[Node, Node, Node]:
    from kg.validation import to_rdflib

    return to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)


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


def operators(graph: Graph, ont: Graph, shapes: Graph) -> list[tuple[str, Mutation]]:
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


def mutated(seed: Graph, ont: Graph, shapes: Graph, case: int) -> Iterator[tuple[Graph, str]]:
    rng = random.Random(case)
    ops = operators(seed, ont, shapes)
    graph = Graph()
    for t in seed:
        graph.add(t)
    done = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        name, op = rng.choice(ops)
        done.append(f"{name}: {op(graph, rng)}")
    yield graph, "; ".join(done)
