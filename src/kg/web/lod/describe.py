"""What a resource's RDF contains: its own facts (each in the named graph of its source), the labels
and types of what it links to, its incoming links (the first ones, and how many there are in all),
and the sources of its facts.

Read with the store's quad-pattern API (index lookups) and one aggregate named query for the count;
quads keep their graph so the provenance of every fact is known, and :meth:`Description.triples`
flattens them for triple formats.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox

from kg.queries import QueryLibrary
from kg.web.lod import vocab as v

#: Incoming links (distinct triples) kept in one description; the rest is paged at ``/incoming``.
INCOMING_LIMIT = 200


@dataclass(frozen=True)
class Source:
    """Where facts come from: a named graph and, when known, the document or dataset it holds."""

    graph: str
    document: str | None = None
    title: list[ox.Literal] = field(default_factory=list)
    date: ox.Literal | None = None


@dataclass
class Description:
    """Everything published about one IRI."""

    iri: str
    own: list[ox.Quad]
    incoming: list[ox.Quad]
    incoming_more: bool
    context: list[ox.Triple]
    sources: dict[str, Source]
    #: Distinct incoming triples in all (``incoming`` holds the quads of the first ones).
    incoming_count: int = 0

    @property
    def incoming_shown(self) -> int:
        """How many distinct incoming triples ``incoming`` holds."""
        return len({q.triple for q in self.incoming})

    @property
    def exists(self) -> bool:
        """Whether the store says anything about this IRI."""
        return bool(self.own or self.incoming)

    def triples(self, more_url: str | None = None) -> list[ox.Triple]:
        """The description as triples: facts, incoming links, context, and the description
        document itself (a blank node, ``foaf:primaryTopic`` the resource) derived from each
        source graph, with the graph's document, title and date; ``rdfs:seeAlso`` the page of
        further incoming links when they were cut. The resource's own triples stay exactly the
        store's."""
        document = ox.BlankNode()
        seen: dict[ox.Triple, None] = {}
        for quad in (*self.own, *self.incoming):
            seen[quad.triple] = None
        for triple in self.context:
            seen[triple] = None
        seen[ox.Triple(document, v.TYPE, v.n(v.FOAF + "Document"))] = None
        seen[ox.Triple(document, v.n(v.FOAF + "primaryTopic"), ox.NamedNode(self.iri))] = None
        for source in self.sources.values():
            for triple in source_triples(document, source):
                seen[triple] = None
        if self.incoming_more and more_url:
            seen[ox.Triple(document, v.SEE_ALSO, ox.NamedNode(more_url))] = None
        return list(seen)

    def quads(self) -> list[ox.Quad]:
        """The facts in the graphs of their sources (for TriG / N-Quads)."""
        return [*self.own, *self.incoming]


def source_triples(document: ox.BlankNode, source: Source) -> list[ox.Triple]:
    """``document prov:wasDerivedFrom graph``, and the graph's source with its title and date."""
    graph = ox.NamedNode(source.graph)
    triples = [ox.Triple(document, v.DERIVED_FROM, graph)]
    if source.document:
        doc = ox.NamedNode(source.document)
        triples.append(ox.Triple(graph, v.n(v.DCT + "source"), doc))
        triples.extend(ox.Triple(doc, v.TITLE, title) for title in source.title)
        if source.date:
            triples.append(ox.Triple(doc, v.DATE, source.date))
    return triples


def incoming_quads(
    store: ox.Store, node: ox.NamedNode, queries: QueryLibrary | None = None
) -> Iterator[ox.Quad]:
    """The quads of the named graphs whose object is ``node``, in index order: with ``queries``
    through ``lod-incoming`` (which skips the default graph's repeats instead of reading them),
    else with the quad-pattern API."""
    if queries is None:
        yield from (q for q in store.quads_for_pattern(None, None, node, None) if _named(q))
        return
    for row in queries.run(store, "lod-incoming", resource=node.value):
        yield ox.Quad(row["s"], row["p"], node, row["g"])


def incoming_groups(
    store: ox.Store, node: ox.NamedNode, queries: QueryLibrary | None = None
) -> Iterator[list[ox.Quad]]:
    """The incoming links of ``node``, one list of quads (its named graphs) per distinct triple,
    lazily and in index order: the unit that pages and counts agree on (a link stated by two
    sources is one link). One range scan of the object index; the default graph only repeats the
    named ones. The object-subject-predicate-graph index keeps a triple's graphs adjacent, so a
    group is complete when the next triple starts."""
    seen: set[ox.Triple] = set()
    group: list[ox.Quad] = []
    for quad in incoming_quads(store, node, queries):
        if group and quad.triple == group[0].triple:
            group.append(quad)
            continue
        if group:
            yield group
        if quad.triple in seen:  # not adjacent after all: never list a link twice
            group = []
            continue
        seen.add(quad.triple)
        group = [quad]
    if group:
        yield group


def incoming_count(store: ox.Store, queries: QueryLibrary, iri: str) -> int:
    """Distinct incoming triples of ``iri`` (one aggregate query, ``lod-incoming-count``)."""
    for row in queries.run(store, "lod-incoming-count", resource=iri):
        return int(row["n"].value)
    return 0


def describe(
    store: ox.Store,
    iri: str,
    incoming_limit: int = INCOMING_LIMIT,
    queries: QueryLibrary | None = None,
) -> Description:
    """Read the description of ``iri`` from ``store``; with ``queries``, also count every incoming
    link (otherwise the count is what was read, exact only when nothing was cut)."""
    node = ox.NamedNode(iri)
    # Statements with the named graph that states them; the default graph only repeats them.
    own = [q for q in store.quads_for_pattern(node, None, None, None) if _named(q)]
    groups = list(islice(incoming_groups(store, node, queries), incoming_limit + 1))
    more = len(groups) > incoming_limit
    incoming = [q for group in groups[:incoming_limit] for q in group]
    if more and queries is not None:
        count = incoming_count(store, queries, iri)
    else:
        count = min(len(groups), incoming_limit) + (1 if more else 0)
    linked: dict[str, None] = {}
    for quad in own:
        if (isinstance(quad.object, ox.NamedNode) and quad.predicate != v.TYPE) or (
            quad.predicate == v.TYPE and isinstance(quad.object, ox.NamedNode)
        ):
            linked[quad.object.value] = None
    for quad in incoming:
        if isinstance(quad.subject, ox.NamedNode):
            linked[quad.subject.value] = None
    linked.pop(iri, None)
    context = context_triples(store, linked)
    graphs = {
        q.graph_name.value for q in (*own, *incoming) if isinstance(q.graph_name, ox.NamedNode)
    }
    return Description(
        iri=iri,
        own=own,
        incoming=incoming,
        incoming_more=more,
        context=context,
        sources={g: source_of(store, g) for g in sorted(graphs)},
        incoming_count=count,
    )


def _named(quad: ox.Quad) -> bool:
    return not isinstance(quad.graph_name, ox.DefaultGraph)


def context_triples(store: ox.Store, iris: dict[str, None]) -> list[ox.Triple]:
    """Labels (every label property) and types of the linked IRIs."""
    out: dict[ox.Triple, None] = {}
    for iri in iris:
        node = ox.NamedNode(iri)
        for prop in (*v.LABEL_PROPERTIES, v.TYPE):
            for quad in store.quads_for_pattern(node, prop, None, ox.DefaultGraph()):
                out[quad.triple] = None
    return list(out)


def source_of(store: ox.Store, graph: str) -> Source:
    """The document (seed graphs) or dataset (imports) a named graph holds, with title and date."""
    g = ox.NamedNode(graph)
    for cls in (v.SOURCE_DOCUMENT, v.DATASET):
        for quad in store.quads_for_pattern(None, v.TYPE, cls, g):
            doc = quad.subject
            if not isinstance(doc, ox.NamedNode):
                continue
            titles = [
                q.object
                for q in store.quads_for_pattern(doc, v.TITLE, None, g)
                if isinstance(q.object, ox.Literal)
            ]
            if not titles:
                titles = [
                    q.object
                    for q in store.quads_for_pattern(doc, v.LABEL, None, g)
                    if isinstance(q.object, ox.Literal)
                ]
            dates = [
                q.object
                for q in store.quads_for_pattern(doc, v.DATE, None, g)
                if isinstance(q.object, ox.Literal)
            ]
            return Source(graph, doc.value, titles, dates[0] if dates else None)
    return Source(graph)
