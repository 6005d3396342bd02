"""The constraint checks of the fast path: a data graph indexed once, and the compiled shapes
evaluated over it with pySHACL 0.40's semantics (``ill_typed`` literals fail ``sh:datatype``,
strings and numbers are not comparable...)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, RDFS, SH, XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kg.validation.fast.compile import Shape
from kg.validation.fast.support import Unsupported

Triple = tuple[Node, Node, Node]


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


_TYPE = RDF.type
_SUBCLASS = RDFS.subClassOf


class Data:
    """The data graph, indexed once: by subject (everything), by object (only the predicates the
    shapes follow backwards, ``inverse``; all when ``None``) and by predicate (subjects)."""

    def __init__(
        self, triples: Iterable[Triple] = (), inverse: frozenset[Node] | None = None
    ) -> None:
        self.out: dict[Node, dict[Node, dict[Node, None]]] = {}
        self.into: dict[Node, dict[Node, dict[Node, None]]] = {}
        self.by_predicate: dict[Node, dict[Node, None]] = {}
        #: every node in object position (the subjects are the keys of ``out``)
        self.objects: dict[Node, None] = {}
        self._inverse = inverse
        self._supers: dict[Node, frozenset[Node]] = {}
        self._instances: dict[Node, set[Node]] | None = None
        self.add(triples)

    def add(self, triples: Iterable[Triple]) -> None:
        """Index more triples (before any evaluation: the class index is built once)."""
        out, into, by_predicate, objects = self.out, self.into, self.by_predicate, self.objects
        inverse = self._inverse
        for s, p, o in triples:
            out.setdefault(s, {}).setdefault(p, {})[o] = None
            if inverse is None or p in inverse:
                into.setdefault(o, {}).setdefault(p, {})[s] = None
            by_predicate.setdefault(p, {})[s] = None
            objects[o] = None

    def triples(self) -> Iterator[Triple]:
        """Every indexed triple, once."""
        for s, by in self.out.items():
            for p, objects in by.items():
                for o in objects:
                    yield s, p, o

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
