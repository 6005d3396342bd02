"""Documentation of ontology terms, SKOS schemes and concepts: the SHACL shapes that apply (read from
the ``graph/shapes`` named graph), the number of instances or uses, and the ontology's term lists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from kg.namespaces import GRAPH, ONTOLOGY_IRI
from kg.web.lod import vocab as v
from kg.web.lod.labels import pick
from kg.web.lod.objects import literals
from kg.web.lod.pages import Table, t
from kg.web.lod.values import Value, ValueMaker

SHAPES_GRAPH = ox.NamedNode(str(GRAPH["shapes"]))
ONTOLOGY_GRAPH = ox.NamedNode(str(GRAPH["ontology"]))
#: Uses counted beyond this are shown as "more than".
COUNT_CAP = 1_000_000
CONSTRAINTS = ("minCount", "maxCount", "datatype", "class", "node", "in", "pattern", "nodeKind")


@dataclass
class ShapeView:
    """A shape that applies to a term, with its constraints in words."""

    shape: Value
    target: Value | None
    path: Value | None
    constraints: list[tuple[str, str]]
    message: str | None


def kind_of(types: set[str]) -> str | None:
    """The documentation kind of a term from its types (class, property, concept, scheme, ontology)."""
    if v.OWL + "Ontology" in types:
        return "ontology"
    if types & {v.OWL + "Class", v.RDFS + "Class"}:
        return "class"
    if types & {
        v.OWL + "ObjectProperty",
        v.OWL + "DatatypeProperty",
        v.RDF + "Property",
        v.OWL + "AnnotationProperty",
    }:
        return "property"
    if v.SKOS + "ConceptScheme" in types:
        return "scheme"
    if v.SKOS + "Concept" in types:
        return "concept"
    return None


def count(quads: Iterator[ox.Quad], cap: int = COUNT_CAP) -> int:
    """How many items an iterator yields, stopping at ``cap``."""
    return sum(1 for _ in islice(quads, cap))


def uses(store: ox.Store, iri: str, kind: str) -> int:
    """Instances of a class, triples using a property, resources pointing at a concept."""
    node = ox.NamedNode(iri)
    if kind == "class":
        return len(
            {
                q.subject
                for q in islice(
                    store.quads_for_pattern(None, v.TYPE, node, ox.DefaultGraph()), COUNT_CAP
                )
            }
        )
    if kind == "property":
        return count(store.quads_for_pattern(None, node, None, ox.DefaultGraph()))
    if kind == "concept":
        return len(
            {
                q.subject
                for q in islice(
                    store.quads_for_pattern(None, None, node, ox.DefaultGraph()), COUNT_CAP
                )
                if q.predicate.value.startswith(v.KGC)
                or q.predicate.value.startswith("http://www.w3.org/ns/org#")
            }
        )
    return 0


def shapes_for(store: ox.Store, iri: str, kind: str, maker: ValueMaker) -> list[ShapeView]:
    """Shapes targeting a class, or property shapes constraining a property."""
    node = ox.NamedNode(iri)
    views: list[ShapeView] = []
    if kind == "class":
        for quad in store.quads_for_pattern(None, v.SH_TARGET_CLASS, node, SHAPES_GRAPH):
            shape = quad.subject
            for prop in store.quads_for_pattern(shape, v.SH_PROPERTY, None, SHAPES_GRAPH):
                if isinstance(prop.object, ox.NamedNode | ox.BlankNode):
                    views.append(_property_shape(store, shape, prop.object, node, maker))
            if not any(
                True for _ in store.quads_for_pattern(shape, v.SH_PROPERTY, None, SHAPES_GRAPH)
            ):
                views.append(
                    ShapeView(
                        _node_value(shape, maker),
                        maker.iri(iri),
                        None,
                        [],
                        _message(store, shape, maker.lang),
                    )
                )
    elif kind == "property":
        for quad in store.quads_for_pattern(None, v.SH_PATH, node, SHAPES_GRAPH):
            prop_shape = quad.subject
            owners = [
                q.subject
                for q in store.quads_for_pattern(None, v.SH_PROPERTY, prop_shape, SHAPES_GRAPH)
            ] or [prop_shape]
            for owner in owners:
                targets = [
                    q.object
                    for q in store.quads_for_pattern(owner, v.SH_TARGET_CLASS, None, SHAPES_GRAPH)
                ]
                target = targets[0] if targets and isinstance(targets[0], ox.NamedNode) else None
                if isinstance(prop_shape, ox.NamedNode | ox.BlankNode):
                    views.append(_property_shape(store, owner, prop_shape, target, maker))
    return views


def _node_value(node: object, maker: ValueMaker) -> Value:
    if isinstance(node, ox.NamedNode):
        return maker.iri(node.value)
    return Value("(anonyme)" if maker.lang == "fr" else "(anonymous)")


def _message(store: ox.Store, shape: object, lang: str) -> str | None:
    if not isinstance(shape, ox.NamedNode | ox.BlankNode):
        return None
    literals = [
        q.object
        for prop in (v.n(v.SH + "message"), v.n(v.SH + "description"), v.n(v.SH + "name"))
        for q in store.quads_for_pattern(shape, prop, None, SHAPES_GRAPH)
        if isinstance(q.object, ox.Literal)
    ]
    return pick(literals, lang)


def _property_shape(
    store: ox.Store,
    owner: object,
    prop_shape: ox.NamedNode | ox.BlankNode,
    target: ox.NamedNode | None,
    maker: ValueMaker,
) -> ShapeView:
    constraints: list[tuple[str, str]] = []
    for name in CONSTRAINTS:
        for q in store.quads_for_pattern(prop_shape, v.n(v.SH + name), None, SHAPES_GRAPH):
            obj = q.object
            text = (
                maker.labeller(obj.value)
                if isinstance(obj, ox.NamedNode)
                else getattr(obj, "value", str(obj))
            )
            constraints.append((f"sh:{name}", text))
    paths = [q.object for q in store.quads_for_pattern(prop_shape, v.SH_PATH, None, SHAPES_GRAPH)]
    path = maker.iri(paths[0].value) if paths and isinstance(paths[0], ox.NamedNode) else None
    return ShapeView(
        shape=_node_value(owner, maker),
        target=maker.iri(target.value) if target is not None else None,
        path=path,
        constraints=constraints,
        message=_message(store, prop_shape, maker.lang) or _message(store, owner, maker.lang),
    )


def ontology_tables(store: ox.Store, iri: str, maker: ValueMaker) -> list[Table]:
    """For the ontology IRI: its classes and its properties with their definitions."""
    if iri != ONTOLOGY_IRI:
        return []
    lang = maker.lang
    tables = []
    for title, types in (
        (t(lang, "Classes", "Classes"), (v.OWL + "Class",)),
        (
            t(lang, "Propriétés", "Properties"),
            (v.OWL + "ObjectProperty", v.OWL + "DatatypeProperty"),
        ),
    ):
        terms = {
            q.subject.value
            for ty in types
            for q in store.quads_for_pattern(None, v.TYPE, v.n(ty), ONTOLOGY_GRAPH)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(v.KGC)
        }
        rows = []
        for term in sorted(terms, key=lambda x: maker.labeller(x).casefold()):
            definition = pick(literals(store, term, v.DEFINITION), lang)
            rows.append(
                [
                    [maker.iri(term)],
                    [Value(term.removeprefix(v.KGC))],
                    [Value(definition)] if definition else [],
                ]
            )
        tables.append(
            Table(
                title,
                [
                    t(lang, "Terme", "Term"),
                    t(lang, "Nom local", "Local name"),
                    t(lang, "Définition", "Definition"),
                ],
                rows,
            )
        )
    return tables
