"""The fast validation path: the project's shapes compiled once into Python checks over hashed indexes.

Why: pySHACL walks rdflib graphs triple by triple (py-spy on ``kg load`` of 100k triples: 77 % of the
time in ``pyshacl.validate``). Here each shape is compiled once (:func:`compile_shapes`) into a small
tree of checks, the data is indexed once by subject and by object, and only the focus nodes the batch
touches are evaluated, so the cost follows the batch. ``sh:sparql`` constraints run in an in-memory
pyoxigraph store over the same data.

Fail-closed: a shapes graph that uses anything outside :data:`SUPPORTED` (a constraint component, a
target, a path form...) does not compile (``None``) and the caller uses pySHACL,
the reference. The semantics of each component follow pySHACL 0.40's (``ill_typed`` literals fail
``sh:datatype``, strings and numbers are not comparable...); tests/test_validation_fast.py compares both
engines on the W3C suite and on mutated seed data.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

#: The SHACL terms a compiled shape may use; any other ``sh:`` predicate on a shape refuses the graph.
SUPPORTED = frozenset(
    SH[name]
    for name in [
        "path",
        "targetClass",
        "targetSubjectsOf",
        "targetObjectsOf",
        "targetNode",
        "deactivated",
        "in",
        "and",
        "xone",
        "not",
        "minExclusive",
        "maxInclusive",
        "maxExclusive",
        "minLength",
        "maxLength",
        "equals",
        "disjoint",
        "lessThanOrEquals",
        "closed",
        "ignoredProperties",
        "property",
        "minCount",
        "maxCount",
        "datatype",
        "class",
        "nodeKind",
        "hasValue",
        "or",
        "node",
        "pattern",
        "flags",
        "uniqueLang",
        "qualifiedValueShape",
        "qualifiedMinCount",
        "qualifiedMaxCount",
        "languageIn",
        "minInclusive",
        "lessThan",
        "sparql",
        "message",
        "severity",
        "name",
        "description",
        "order",
        "group",
    ]
)

#: Parameters that are metadata, not constraints.
_METADATA = frozenset(
    SH[n] for n in ("message", "severity", "name", "description", "order", "group")
)

_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.Literal: (Literal,),
    SH.BlankNode: (BNode,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


class Unsupported(Exception):
    """The shapes use something the fast path does not implement: use pySHACL."""


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL reports it."""

    focus: Node
    path: Node | None
    value: Node | None
    component: URIRef
    shape: Node
    severity: URIRef
    message: str


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


def _english(graph: Graph, node: Node) -> str:
    messages = list(graph.objects(node, SH.message))
    english = [m for m in messages if isinstance(m, Literal) and m.language == "en"]
    if english:
        return str(english[0])
    return str(sorted(messages, key=str)[0]) if messages else ""


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
        for p in set(g.predicates(node)):
            if str(p).startswith(str(SH)) and p not in SUPPORTED:
                raise Unsupported(f"{p} on {node}")
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
        for node in shape_nodes:
            if (node, SH.target, None) in shapes:  # SHACL-AF targets
                raise Unsupported(f"sh:target of {node}")
            compiler.shape(node)
        # any other sh: vocabulary on a blank node that is not a shape (lists, paths, declarations)
        for predicate in shapes.predicates():
            if (
                str(predicate).startswith(str(SH))
                and predicate not in SUPPORTED
                and predicate not in _STRUCTURE
            ):
                raise Unsupported(f"{predicate}")
    except Unsupported:
        return None
    targeted = tuple(
        s
        for s in compiler.done.values()
        if s.targets_class or s.targets_subjects_of or s.targets_objects_of or s.target_nodes
    )
    has_sparql = any(s.sparql for s in compiler.done.values())
    return Compiled(targeted=targeted, has_sparql=has_sparql)


#: sh: predicates that are structure, not shape parameters (checked where they occur).
_STRUCTURE = frozenset(
    SH[n] for n in ("inversePath", "declare", "prefix", "namespace", "prefixes", "select")
)


_TYPE = RDF.type
_SUBCLASS = RDFS.subClassOf


class Data:
    """The data graph, indexed once by subject and by object."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.out: dict[Node, dict[Node, dict[Node, None]]] = {}
        self.into: dict[Node, dict[Node, dict[Node, None]]] = {}
        self.by_predicate: dict[Node, dict[Node, None]] = {}
        for s, p, o in triples:
            self.out.setdefault(s, {}).setdefault(p, {})[o] = None
            self.into.setdefault(o, {}).setdefault(p, {})[s] = None
            self.by_predicate.setdefault(p, {})[s] = None
        self._supers: dict[Node, frozenset[Node]] = {}
        self._instances: dict[Node, set[Node]] | None = None

    def values(self, node: Node, predicate: Node, inverse: bool) -> Sequence[Node]:
        index = self.into if inverse else self.out
        return list(index.get(node, {}).get(predicate, ()))

    def superclasses(self, cls: Node) -> frozenset[Node]:
        """``cls`` and its rdfs:subClassOf ancestors in the data graph."""
        if cls not in self._supers:
            seen = {cls}
            todo = [cls]
            while todo:
                for parent in self.out.get(todo.pop(), {}).get(_SUBCLASS, ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            self._supers[cls] = frozenset(seen)
        return self._supers[cls]

    def is_instance(self, node: Node, cls: Node) -> bool:
        return any(cls in self.superclasses(t) for t in self.out.get(node, {}).get(_TYPE, ()))

    def instances(self, cls: Node) -> set[Node]:
        """The nodes typed ``cls`` or a subclass of it; the index of every class is built once
        (one pass over the typed nodes instead of one per class target)."""
        if self._instances is None:
            index: dict[Node, set[Node]] = {}
            for s in self.by_predicate.get(_TYPE, ()):
                for t in self.out[s][_TYPE]:
                    for sup in self.superclasses(t):
                        index.setdefault(sup, set()).add(s)
            self._instances = index
        return self._instances.get(cls, set())


def _is_string(v: Node) -> bool:
    return isinstance(v, URIRef) or (isinstance(v, Literal) and isinstance(v.value, str))


_RDFS_LITERAL, _RDFS_DATATYPE = RDFS.Literal, RDFS.Datatype
_XSD_STRING, _LANG_STRING = XSD.string, RDF.langString


def _datatype_ok(v: Node, dt: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    if v.datatype == dt:
        if getattr(v, "ill_typed", None) is True:
            return False
        return _actual(v, dt)
    if dt == _RDFS_LITERAL:
        return True
    if dt == _RDFS_DATATYPE and v.datatype is not None:
        return True
    if v.datatype is None and v.language is None and dt == _XSD_STRING:
        return _actual(v, dt)
    if dt == _LANG_STRING and v.language:
        return _actual(v, dt)
    return False


def _actual(v: Literal, dt: Node) -> bool:
    """The Python value rdflib parsed is of the datatype's kind (as pySHACL checks it)."""
    kind = _KINDS.get(dt)
    return True if kind is None else isinstance(v.value, kind)


_KINDS: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: datetime.date,
    XSD.time: datetime.time,
    XSD.dateTime: datetime.datetime,
}


def _at_least(v: Node, minimum: Literal) -> bool:
    if not isinstance(v, Literal) or isinstance(v.value, str):
        return False
    try:
        return bool(v.value >= minimum.value) and v.value is not None
    except TypeError:
        return False


def _less(a: Node, b: Node, or_equal: bool = False) -> bool:
    """``a < b`` (``<=``) as pySHACL compares for sh:lessThan (sh:lessThanOrEquals); pySHACL refuses
    blank nodes with an error, so the fast path raises :class:`Unsupported` and the caller runs it."""
    if isinstance(a, BNode) or isinstance(b, BNode):
        raise Unsupported("sh:lessThan on a blank node")
    if _is_string(a) != _is_string(b):
        return False
    x = (
        str(a)
        if isinstance(a, URIRef)
        else (a.value if isinstance(a, Literal) and isinstance(a.value, str) else a)
    )
    y = (
        str(b)
        if isinstance(b, URIRef)
        else (b.value if isinstance(b, Literal) and isinstance(b.value, str) else b)
    )
    try:
        return bool(x <= y) if or_equal else bool(x < y)  # type: ignore[operator]
    except TypeError:
        return False


class Evaluator:
    """Evaluates compiled shapes over :class:`Data`; conformance of nested shapes is memoised."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self._conforms: dict[tuple[int, Node], bool] = {}

    def conforms(self, shape: Shape, node: Node) -> bool:
        key = (id(shape), node)
        if key not in self._conforms:
            self._conforms[key] = True  # a recursive reference conforms while being checked
            self._conforms[key] = next(iter(self.results(shape, node)), None) is None
        return self._conforms[key]

    def results(self, shape: Shape, focus: Node) -> Iterator[Result]:
        """The results of ``shape`` (and its property shapes) for one focus node."""
        if shape.deactivated:
            return
        if shape.path is not None:
            values: Sequence[Node] = self.data.values(focus, shape.path, shape.inverse)
            path: Node | None = shape.path_term
        else:
            values, path = [focus], None
        yield from self._constraints(shape, focus, path, values)
        # a property shape's own sh:property applies to its value nodes
        for prop in shape.properties:
            for v in values:
                yield from self.results(prop, v)

    def _constraints(
        self, s: Shape, focus: Node, path: Node | None, values: Sequence[Node]
    ) -> Iterator[Result]:
        def result(component: str, value: Node | None) -> Result:
            return Result(
                focus=focus,
                path=path,
                value=value,
                component=SH[component + "ConstraintComponent"],
                shape=s.node,
                severity=s.severity,
                message=s.message,
            )

        d = self.data
        if s.min_count is not None and len(values) < s.min_count:
            yield result("MinCount", None)
        if s.max_count is not None and len(values) > s.max_count:
            yield result("MaxCount", None)
        for v in values:
            if s.datatype is not None and not _datatype_ok(v, s.datatype):
                yield result("Datatype", v)
            for cls in s.classes:
                if not d.is_instance(v, cls):
                    yield result("Class", v)
            if s.node_kind is not None and not isinstance(v, s.node_kind):
                yield result("NodeKind", v)
            for members in s.ors:
                if not any(self.conforms(m, v) for m in members):
                    yield result("Or", v)
            for other in s.nodes:
                if not self.conforms(other, v):
                    yield result("Node", v)
            for members in s.ands:
                if not all(self.conforms(m, v) for m in members):
                    yield result("And", v)
            for members in s.xones:
                if sum(1 for m in members if self.conforms(m, v)) != 1:
                    yield result("Xone", v)
            for other in s.nots:
                if self.conforms(other, v):
                    yield result("Not", v)
            if s.allowed is not None and v not in s.allowed:
                yield result("In", v)
            for name, bound, strict, lower in s.ranges:
                if not _within(v, bound, strict, lower):
                    yield result(name, v)
            if s.min_length is not None and (isinstance(v, BNode) or len(str(v)) < s.min_length):
                yield result("MinLength", v)
            if s.max_length is not None and (isinstance(v, BNode) or len(str(v)) > s.max_length):
                yield result("MaxLength", v)
            for apart in s.disjoint:
                if v in d.values(focus, apart, False):
                    yield result("Disjoint", v)
            for other_path in s.less_than_or_equals:
                for w in d.values(focus, other_path, False):
                    if not _less(v, w, or_equal=True):
                        yield result("LessThanOrEquals", v)
            for pattern in s.patterns:
                if isinstance(v, BNode) or not pattern.search(str(v)):
                    yield result("Pattern", v)
            if s.languages is not None and not _language_in(v, s.languages):
                yield result("LanguageIn", v)
            for minimum in s.min_inclusive:
                if not _at_least(v, minimum):
                    yield result("MinInclusive", v)
            for other_path in s.less_than:
                for w in d.values(focus, other_path, False):
                    if not _less(v, w):
                        yield result("LessThan", v)
        for wanted in s.has_value:
            if wanted not in values:
                yield result("HasValue", None)
        for other_path in s.equals:
            others = d.values(focus, other_path, False)
            for v in values:
                if v not in others:
                    yield result("Equals", v)
            for w in others:
                if w not in values:
                    yield result("Equals", w)
        if s.closed is not None:
            for predicate, objects in d.out.get(focus, {}).items():
                if predicate not in s.closed:
                    for o in objects:
                        yield Result(
                            focus=focus,
                            path=predicate,
                            value=o,
                            component=SH.ClosedConstraintComponent,
                            shape=s.node,
                            severity=s.severity,
                            message=s.message,
                        )
        if s.unique_lang:
            seen: set[str] = set()
            duplicated: set[str] = set()
            for v in values:
                if isinstance(v, Literal) and v.language:
                    lang = v.language.lower()
                    (duplicated if lang in seen else seen).add(lang)
            for _ in duplicated:
                yield result("UniqueLang", None)
        if s.qualified is not None:
            qshape, qmin, qmax = s.qualified
            count = sum(1 for v in values if self.conforms(qshape, v))
            if qmin is not None and count < qmin:
                yield result("QualifiedMinCount", None)
            if qmax is not None and count > qmax:
                yield result("QualifiedMaxCount", None)


def _within(v: Node, bound: Literal, strict: bool, lower: bool) -> bool:
    """``v`` is above (``lower``) or below ``bound``, strictly or not (pySHACL's comparison)."""
    if not isinstance(v, Literal) or isinstance(v.value, str) or v.value is None:
        return False
    try:
        if lower:
            return bool(v.value > bound.value) if strict else bool(v.value >= bound.value)
        return bool(v.value < bound.value) if strict else bool(v.value <= bound.value)
    except TypeError:
        return False


def _language_in(v: Node, languages: frozenset[str]) -> bool:
    if not isinstance(v, Literal) or not v.language:
        return False
    lang = v.language.lower()
    return "*" in languages or lang in languages or lang.split("-")[0] in languages


def validate_fast(
    compiled: Compiled,
    triples: Sequence[Triple],
    focus: set[Node],
    to_oxigraph: Callable[[], ox.Store] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Result]:
    """Every result of the targeted shapes whose focus node is in ``focus``.

    ``to_oxigraph`` makes an in-memory store holding the same data, called once and only when a
    shape with SPARQL constraints has a focus node here. ``progress(done, total)`` is called after
    each targeted shape.
    """
    data = Data(triples)
    evaluator = Evaluator(data)
    out: list[Result] = []
    store: ox.Store | None = None
    for done, shape in enumerate(compiled.targeted, 1):
        if progress is not None and done > 1:
            progress(done - 1, len(compiled.targeted))
        targets: set[Node] = set()
        for cls in shape.targets_class:
            targets |= data.instances(cls)
        for predicate in shape.targets_subjects_of:
            targets |= set(data.by_predicate.get(predicate, ()))
        for predicate in shape.targets_objects_of:
            targets |= {
                o for s in data.by_predicate.get(predicate, ()) for o in data.out[s][predicate]
            }
        targets.update(shape.target_nodes)
        targets &= focus
        for node in sorted(targets, key=str):
            out.extend(evaluator.results(shape, node))
        if shape.sparql and targets:
            if to_oxigraph is None:
                raise ValueError("SPARQL constraints need the data in an oxigraph store")
            store = store or to_oxigraph()
            out.extend(_sparql_results(shape, targets, store))
    if progress is not None:
        progress(len(compiled.targeted), len(compiled.targeted))
    return out


def _sparql_results(shape: Shape, targets: set[Node], store: ox.Store) -> Iterator[Result]:
    from kg.validation.terms import to_rdflib

    for query, message in shape.sparql:
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            this = solution["this"]
            if this is None:
                continue
            focus = to_rdflib(this)
            if focus not in targets:
                continue
            bound = {n: solution[n] for n in names}
            path, value = bound.get("path"), bound.get("value")
            text = message or shape.message
            for name, term in bound.items():
                if term is not None:
                    text = text.replace("{?" + name + "}", term.value).replace(
                        "{$" + name + "}", term.value
                    )
            yield Result(
                focus=focus,
                path=to_rdflib(path) if path is not None else None,
                value=to_rdflib(value) if value is not None else focus,
                component=SH.SPARQLConstraintComponent,
                shape=shape.node,
                severity=shape.severity,
                message=text,
            )
