"""Compiling a shapes graph, once, into :class:`Shape` trees for the fast path.

Each shape's parameters are read and checked here (several ``sh:path``, a non-integer count...);
anything the checks of :mod:`kg.validation.fast.checks` do not implement raises
:class:`~kg.validation.fast.support.Unsupported`, and :func:`compile_shapes` returns ``None``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.validation.fast.support import (
    SUPPORTED,
    Unsupported,
    refuse_unsupported,
    refuse_unsupported_on,
)
from kg.validation.terms import english_text

_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.Literal: (Literal,),
    SH.BlankNode: (BNode,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


@dataclass
class Shape:
    """One compiled shape: its path (``None`` for a node shape) and its constraints."""

    node: Node
    path: URIRef | None = None
    inverse: bool = False
    severity: URIRef = SH.Violation
    message: str = ""
    targets_class: tuple[Node, ...] = ()
    targets_subjects_of: tuple[Node, ...] = ()
    targets_objects_of: tuple[Node, ...] = ()
    target_nodes: tuple[Node, ...] = ()
    deactivated: bool = False
    allowed: frozenset[Node] | None = None  # sh:in
    ands: tuple[tuple[Shape, ...], ...] = ()
    xones: tuple[tuple[Shape, ...], ...] = ()
    nots: tuple[Shape, ...] = ()
    #: (component name, bound, strict?, lower bound?) for sh:min/maxInclusive/Exclusive
    ranges: tuple[tuple[str, Literal, bool, bool], ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    equals: tuple[URIRef, ...] = ()
    disjoint: tuple[URIRef, ...] = ()
    less_than_or_equals: tuple[Node, ...] = ()
    #: the predicates a closed node shape allows (``None``: not closed)
    closed: frozenset[Node] | None = None
    min_count: int | None = None
    max_count: int | None = None
    datatype: Node | None = None
    classes: tuple[Node, ...] = ()
    node_kind: tuple[type, ...] | None = None
    has_value: tuple[Node, ...] = ()
    ors: tuple[tuple[Shape, ...], ...] = ()
    nodes: tuple[Shape, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    unique_lang: bool = False
    qualified: tuple[Shape, int | None, int | None] | None = None
    languages: frozenset[str] | None = None
    min_inclusive: tuple[Literal, ...] = ()
    less_than: tuple[Node, ...] = ()
    sparql: tuple[tuple[str, str], ...] = ()  # (query, message)
    properties: list[Shape] = field(default_factory=list)

    #: The path as the shapes graph writes it (a blank node for an inverse path), for the report.
    path_term: Node | None = None


@dataclass(frozen=True)
class Compiled:
    """The compiled shapes graph: the shapes that have targets."""

    targeted: tuple[Shape, ...]
    has_sparql: bool
    #: the predicates some shape follows backwards (the only ones indexed by object)
    inverse: frozenset[Node] = frozenset()


def _english(graph: Graph, node: Node) -> str:
    return english_text(graph, node, SH.message)


def _one_int(graph: Graph, node: Node, predicate: URIRef) -> int | None:
    values = list(graph.objects(node, predicate))
    if not values:
        return None
    if (
        len(values) > 1
        or not isinstance(values[0], Literal)
        or not isinstance(values[0].value, int)
    ):
        raise Unsupported(f"{predicate} of {node}")
    return int(values[0].value)


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.done: dict[Node, Shape] = {}

    def shape(self, node: Node) -> Shape:
        if node in self.done:
            return self.done[node]
        g = self.graph
        refuse_unsupported_on(g, node)
        out = Shape(node=node)
        self.done[node] = out  # before recursing: recursive shapes share the object
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1:
            raise Unsupported(f"several sh:path on {node}")
        if paths:
            out.path, out.inverse = self._path(paths[0])
            out.path_term = paths[0]
        severity = g.value(node, SH.severity)
        if severity is not None:
            if not isinstance(severity, URIRef):
                raise Unsupported(f"sh:severity of {node}")
            out.severity = severity
        out.message = _english(g, node)
        out.targets_class = tuple(g.objects(node, SH.targetClass))
        out.targets_subjects_of = tuple(g.objects(node, SH.targetSubjectsOf))
        out.targets_objects_of = tuple(g.objects(node, SH.targetObjectsOf))
        out.target_nodes = tuple(g.objects(node, SH.targetNode))
        if (node, RDF.type, RDFS.Class) in g:
            out.targets_class = (*out.targets_class, node)  # implicit class target
        deactivated = list(g.objects(node, SH.deactivated))
        if len(deactivated) > 1 or (deactivated and not isinstance(deactivated[0], Literal)):
            raise Unsupported(f"sh:deactivated of {node}")
        out.deactivated = any(isinstance(x, Literal) and x.value is True for x in deactivated)
        ins = list(g.objects(node, SH["in"]))
        if len(ins) > 1:
            raise Unsupported(f"several sh:in on {node}")
        out.allowed = frozenset(Collection(g, ins[0])) if ins else None
        out.ands = tuple(
            tuple(self.shape(m) for m in Collection(g, lst)) for lst in g.objects(node, SH["and"])
        )
        out.xones = tuple(
            tuple(self.shape(m) for m in Collection(g, lst)) for lst in g.objects(node, SH.xone)
        )
        out.nots = tuple(self.shape(n) for n in g.objects(node, SH["not"]))
        ranges = []
        for name, strict, lower in (
            ("minExclusive", True, True),
            ("maxInclusive", False, False),
            ("maxExclusive", True, False),
        ):
            for bound in g.objects(node, SH[name]):
                if not isinstance(bound, Literal) or isinstance(bound.value, str):
                    raise Unsupported(f"sh:{name} of {node}")
                ranges.append((name[0].upper() + name[1:], bound, strict, lower))
        out.ranges = tuple(ranges)
        out.min_length = _one_int(g, node, SH.minLength)
        out.max_length = _one_int(g, node, SH.maxLength)
        for name in ("equals", "disjoint", "lessThanOrEquals"):
            others = tuple(g.objects(node, SH[name]))
            if any(not isinstance(o, URIRef) for o in others):
                raise Unsupported(f"sh:{name} of {node}")
        out.equals = tuple(o for o in g.objects(node, SH.equals) if isinstance(o, URIRef))
        out.disjoint = tuple(o for o in g.objects(node, SH.disjoint) if isinstance(o, URIRef))
        out.less_than_or_equals = tuple(g.objects(node, SH.lessThanOrEquals))
        if out.less_than_or_equals and out.path is None:
            raise Unsupported(f"sh:lessThanOrEquals on node shape {node}")
        closed = list(g.objects(node, SH.closed))
        if len(closed) > 1 or (closed and not isinstance(closed[0], Literal)):
            raise Unsupported(f"sh:closed of {node}")
        if any(isinstance(x, Literal) and x.value is True for x in closed):
            allowed: set[Node] = set()
            for prop in g.objects(node, SH.property):
                path = g.value(prop, SH.path)
                if isinstance(path, URIRef):
                    allowed.add(path)
            for lst in g.objects(node, SH.ignoredProperties):
                allowed.update(Collection(g, lst))
            out.closed = frozenset(allowed)
        out.min_count = _one_int(g, node, SH.minCount)
        out.max_count = _one_int(g, node, SH.maxCount)
        datatypes = list(g.objects(node, SH.datatype))
        if len(datatypes) > 1:
            raise Unsupported(f"several sh:datatype on {node}")
        out.datatype = datatypes[0] if datatypes else None
        out.classes = tuple(g.objects(node, SH["class"]))
        kinds = list(g.objects(node, SH.nodeKind))
        if len(kinds) > 1 or (kinds and kinds[0] not in _NODE_KINDS):
            raise Unsupported(f"sh:nodeKind of {node}")
        out.node_kind = _NODE_KINDS[kinds[0]] if kinds else None
        out.has_value = tuple(g.objects(node, SH.hasValue))
        out.ors = tuple(
            tuple(self.shape(member) for member in Collection(g, lst))
            for lst in g.objects(node, SH["or"])
        )
        out.nodes = tuple(self.shape(n) for n in g.objects(node, SH.node))
        out.patterns = tuple(self._pattern(node, p) for p in g.objects(node, SH.pattern))
        if list(g.objects(node, SH.flags)) and not out.patterns:
            raise Unsupported(f"sh:flags without sh:pattern on {node}")
        unique = list(g.objects(node, SH.uniqueLang))
        out.unique_lang = bool(unique) and any(
            isinstance(u, Literal) and u.value is True for u in unique
        )
        if unique and not (len(unique) == 1 and isinstance(unique[0], Literal)):
            raise Unsupported(f"sh:uniqueLang of {node}")
        qvs = list(g.objects(node, SH.qualifiedValueShape))
        qmin = _one_int(g, node, SH.qualifiedMinCount)
        qmax = _one_int(g, node, SH.qualifiedMaxCount)
        if len(qvs) > 1 or (qvs and qmin is None and qmax is None):
            raise Unsupported(f"sh:qualifiedValueShape of {node}")
        if (qmin is not None or qmax is not None) and not qvs:
            raise Unsupported(f"qualified count without shape on {node}")
        out.qualified = (self.shape(qvs[0]), qmin, qmax) if qvs else None
        langs = list(g.objects(node, SH.languageIn))
        if len(langs) > 1:
            raise Unsupported(f"several sh:languageIn on {node}")
        if langs:
            items = list(Collection(g, langs[0]))
            if not all(isinstance(i, Literal) and isinstance(i.value, str) for i in items):
                raise Unsupported(f"sh:languageIn of {node}")
            out.languages = frozenset(str(i).lower() for i in items)
        mins = list(g.objects(node, SH.minInclusive))
        if not all(isinstance(m, Literal) and not isinstance(m.value, str) for m in mins):
            raise Unsupported(f"sh:minInclusive of {node}")
        out.min_inclusive = tuple(m for m in mins if isinstance(m, Literal))
        out.less_than = tuple(g.objects(node, SH.lessThan))
        if any(not isinstance(p, URIRef) for p in out.less_than) or (
            out.less_than and out.path is None
        ):
            raise Unsupported(f"sh:lessThan of {node}")
        out.sparql = tuple(self._sparql(c) for c in g.objects(node, SH.sparql))
        out.properties = [self.shape(p) for p in g.objects(node, SH.property)]
        return out

    def _path(self, path: Node) -> tuple[URIRef, bool]:
        if isinstance(path, URIRef):
            return path, False
        if isinstance(path, BNode):
            preds = set(self.graph.predicate_objects(path))
            inv = self.graph.value(path, SH.inversePath)
            if len(preds) == 1 and isinstance(inv, URIRef):
                return inv, True
        raise Unsupported(f"path {path}")

    def _pattern(self, node: Node, pattern: Node) -> re.Pattern[str]:
        flags = 0
        for f in self.graph.objects(node, SH.flags):
            for letter in str(f):
                mapped = {"i": re.I, "m": re.M, "s": re.S, "x": re.X}.get(letter)
                if mapped is None:
                    raise Unsupported(f"sh:flags {f} on {node}")
                flags |= mapped
        try:
            return re.compile(str(pattern), flags)
        except re.error as exc:
            raise Unsupported(f"sh:pattern {pattern}: {exc}") from exc

    def _sparql(self, constraint: Node) -> tuple[str, str]:
        g = self.graph
        allowed = {RDF.type, SH.message, SH.prefixes, SH.select}
        if set(g.predicates(constraint)) - allowed or g.value(constraint, SH.deactivated):
            raise Unsupported(f"SPARQL constraint {constraint}")
        select = g.value(constraint, SH.select)
        if select is None:
            raise Unsupported(f"SPARQL constraint {constraint} without sh:select")
        prologue = []
        for ontology in g.objects(constraint, SH.prefixes):
            for decl in g.objects(ontology, SH.declare):
                prefix, namespace = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
                prologue.append(f"PREFIX {prefix}: <{namespace}>")
        text = "\n".join(prologue) + "\n" + str(select)
        if re.search(r"\$(currentShape|shapesGraph)\b", text):
            raise Unsupported(f"pre-bound variables in {constraint}")
        return text, _english(g, constraint)


def compile_shapes(shapes: Graph) -> Compiled | None:
    """The shapes compiled for the fast path, or ``None`` when they use something it does not
    implement (the caller then uses pySHACL). Cached per shapes graph."""
    return _compile(shapes)


@functools.lru_cache(maxsize=8)
def _compile(shapes: Graph) -> Compiled | None:
    compiler = _Compiler(shapes)
    shape_nodes: set[Node] = set()
    for p in SUPPORTED | {SH.target}:
        shape_nodes.update(shapes.subjects(p, None))
    shape_nodes.update(shapes.subjects(RDF.type, SH.NodeShape))
    shape_nodes.update(shapes.subjects(RDF.type, SH.PropertyShape))
    shape_nodes -= set(shapes.objects(None, SH.sparql))  # constraints, compiled with their shape
    try:
        refuse_unsupported(shapes)
        for node in shape_nodes:
            compiler.shape(node)
    except Unsupported:
        return None
    targeted = tuple(
        s
        for s in compiler.done.values()
        if s.targets_class or s.targets_subjects_of or s.targets_objects_of or s.target_nodes
    )
    has_sparql = any(s.sparql for s in compiler.done.values())
    inverse = frozenset(s.path for s in compiler.done.values() if s.inverse and s.path is not None)
    return Compiled(targeted=targeted, has_sparql=has_sparql, inverse=inverse)
