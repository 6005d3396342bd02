"""The fast path's fallback rule: which SHACL terms it compiles, and the refusal of any other.

A shapes graph using an ``sh:`` term outside :data:`SUPPORTED` (or SHACL-AF ``sh:target``) does
not compile, and the caller runs pySHACL, the reference: the fast path never guesses.
"""

from __future__ import annotations

from rdflib import SH, Graph
from rdflib.term import Node

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

#: sh: predicates that are structure, not shape parameters (checked where they occur).
_STRUCTURE = frozenset(
    SH[n] for n in ("inversePath", "declare", "prefix", "namespace", "prefixes", "select")
)


class Unsupported(Exception):
    """The shapes use something the fast path does not implement: use pySHACL."""


def refuse_unsupported_on(graph: Graph, node: Node) -> None:
    """Raise :class:`Unsupported` when the shape ``node`` has an ``sh:`` parameter not compiled."""
    for p in set(graph.predicates(node)):
        if str(p).startswith(str(SH)) and p not in SUPPORTED:
            raise Unsupported(f"{p} on {node}")


def refuse_unsupported(graph: Graph) -> None:
    """Raise :class:`Unsupported` when the shapes graph uses SHACL-AF targets, or any ``sh:``
    vocabulary outside shapes (lists, paths, declarations) that is neither a parameter nor
    structure."""
    if (None, SH.target, None) in graph:
        raise Unsupported("sh:target (SHACL-AF targets)")
    for predicate in graph.predicates():
        if (
            str(predicate).startswith(str(SH))
            and predicate not in SUPPORTED
            and predicate not in _STRUCTURE
        ):
            raise Unsupported(f"{predicate}")
