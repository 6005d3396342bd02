"""Preferred labels by language: the label a person reading French (or English) should see for an
IRI, falling back to the other language, a language-less label, then a readable form of the IRI."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.web.lod.terms import known_name
from kg.web.lod.vocab import IS_PART_OF, LABEL_PROPERTIES, OA_END, OA_START

LANGUAGES = ("fr", "en")
#: Prefixes used to show IRIs: the project's, plus the modelling vocabularies pages mention.
DISPLAY_PREFIXES = {
    **PREFIXES,
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "vann": "http://purl.org/vocab/vann/",
}


def pick(literals: Iterable[ox.Literal], lang: str) -> str | None:
    """The literal text best suited to ``lang``: that language, then the other, then any.

    >>> pick([ox.Literal("City", language="en"), ox.Literal("Ville", language="fr")], "fr")
    'Ville'
    >>> pick([ox.Literal("City", language="en")], "fr")
    'City'
    >>> pick([], "fr") is None
    True
    """
    best: tuple[int, str] | None = None
    for lit in literals:
        tag = (lit.language or "").lower().split("-")[0]
        rank = 0 if tag == lang else 1 if tag in LANGUAGES else 2 if not tag else 3
        if best is None or rank < best[0]:
            best = (rank, lit.value)
    return best[1] if best else None


def curie(iri: str) -> str:
    """A prefixed name for ``iri`` when a known prefix applies, else the IRI itself.

    >>> curie("https://w3id.org/kgci/def/party")
    'kgc:party'
    """
    best = ""
    for prefix, ns in DISPLAY_PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(DISPLAY_PREFIXES.get(best, "")):
            best = prefix
    if best:
        return f"{best}:{iri[len(DISPLAY_PREFIXES[best]) :]}"
    return iri


def fallback(iri: str) -> str:
    """A readable stand-in when an IRI has no label: its last path segment, or its prefixed name.

    >>> fallback("https://w3id.org/kgci/id/collectivity/jura-39")
    'jura-39'
    """
    tail = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return tail or curie(iri)


def label_literals(store: ox.Store, node: ox.NamedNode) -> list[ox.Literal]:
    """Every naming literal of ``node`` in the first label property it has (prefLabel first)."""
    for prop in LABEL_PROPERTIES:
        found = [
            q.object
            for q in store.quads_for_pattern(node, prop, None, ox.DefaultGraph())
            if isinstance(q.object, ox.Literal)
        ]
        if found:
            return found
    return []


class Labeller:
    """Memoised preferred labels of IRIs in one language, read from the store on demand."""

    def __init__(self, store: ox.Store, lang: str) -> None:
        self.store = store
        self.lang = lang
        self._cache: dict[str, str | None] = {}

    def maybe(self, iri: str) -> str | None:
        """The label of ``iri`` in the preferred language, or None when it has none."""
        if iri not in self._cache:
            node = ox.NamedNode(iri)
            self._cache[iri] = pick(label_literals(self.store, node), self.lang) or self._passage(
                node
            )
        return self._cache[iri]

    def learn(self, triples: Iterable[ox.Triple]) -> None:
        """Remember the labels of the subjects of ``triples`` without reading them again, for
        triples that hold every label of their subjects in the default graph (a description's
        context): the label is what :meth:`maybe` would read, in the same order."""
        found: dict[str, dict[ox.NamedNode, list[ox.Literal]]] = {}
        for triple in triples:
            subject, obj = triple.subject, triple.object
            if (
                isinstance(subject, ox.NamedNode)
                and triple.predicate in LABEL_PROPERTIES
                and isinstance(obj, ox.Literal)
            ):
                found.setdefault(subject.value, {}).setdefault(triple.predicate, []).append(obj)
        for iri, by_property in found.items():
            if iri in self._cache:
                continue
            literals = next(by_property[p] for p in LABEL_PROPERTIES if p in by_property)
            self._cache[iri] = pick(literals, self.lang) or self._passage(ox.NamedNode(iri))

    def knows(self, iri: str) -> bool:
        """Whether the label of ``iri`` is already known (read or learned)."""
        return iri in self._cache

    def _passage(self, node: ox.NamedNode) -> str | None:
        """A passage without label, named by its document and characters ("Title, car. 812-1020")."""
        docs = [
            q.object
            for q in self.store.quads_for_pattern(node, IS_PART_OF, None, ox.DefaultGraph())
        ]
        if not docs or not isinstance(docs[0], ox.NamedNode):
            return None
        bounds = [
            next(
                (
                    q.object.value
                    for q in self.store.quads_for_pattern(node, prop, None, ox.DefaultGraph())
                    if isinstance(q.object, ox.Literal)
                ),
                "?",
            )
            for prop in (OA_START, OA_END)
        ]
        title = self.maybe(docs[0].value) or fallback(docs[0].value)
        chars = "car." if self.lang == "fr" else "chars"
        return f"{title}, {chars} {bounds[0]}\u2013{bounds[1]}"

    def __call__(self, iri: str) -> str:
        """The label of ``iri``, or the built-in name of a reused term, or a readable stand-in."""
        return self.maybe(iri) or known_name(iri, self.lang) or fallback(iri)
