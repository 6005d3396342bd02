"""The partnership graph between collectivities, its bipartite form, yearly snapshots and the
country-level graph.

Multilateral agreements (three parties or more) are handled two ways, both available:

* **clique projection** (:func:`partnership_graph`): every pair of parties gets an edge. An edge
  keeps ``weight`` (the number of distinct relations linking the pair), ``newman_weight`` (each
  relation of *k* parties adds 1/(k-1), so a ten-party pact does not outweigh ten bilateral
  agreements; Newman 2001) and ``multilateral`` (how many of those relations have more than two
  parties);
* **bipartite actor-relation graph** (:func:`actor_relation_graph`): actors on one side, agreements
  and partnerships on the other, nothing lost.

A partnership formalised by an agreement of the same graph (``kgc:formalises``) is listed on the edge
but not counted again in ``weight``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

import networkx as nx

from kg.network.extract import Actor, Relation, local_name
from kg.network.memory import collector_paused

MULTILATERAL_NOTE = (
    "multilateral relations are projected onto cliques: weight counts relations, "
    "newman_weight adds 1/(k-1) per relation of k parties"
)


def select_relations(relations: Iterable[Relation], as_of: int | None = None) -> list[Relation]:
    """The relations with two parties or more, and, given ``as_of``, only those active that year."""
    return [r for r in relations if len(r.parties) >= 2 and (as_of is None or r.active_in(as_of))]


def partnership_graph(
    relations: Iterable[Relation], actors: Mapping[str, Actor], as_of: int | None = None
) -> nx.Graph:
    """Undirected weighted graph: an edge per pair of parties of an agreement or partnership.

    Edge attributes: ``weight``, ``newman_weight``, ``multilateral``, ``agreements``,
    ``partnerships`` (counts), ``types``, ``years`` and ``sectors`` (sorted lists), ``first_year``.
    Node attributes: ``label``, ``kind``, ``scope`` (french, foreign, unknown), ``country``,
    ``collectivity_type``. With ``as_of``, the network as it stood at the end of that year
    (undated relations are left out).

    >>> from kg.network.extract import Relation
    >>> g = partnership_graph([Relation("a1", "agreement", ("x", "y", "z"), signed=2010)], {})
    >>> sorted(g.edges(data="newman_weight"))
    [('x', 'y', 0.5), ('x', 'z', 0.5), ('y', 'z', 0.5)]
    """
    with collector_paused():  # a few hundred thousand small containers, all kept
        return _partnership_graph(select_relations(relations, as_of), actors, as_of)


def _partnership_graph(
    chosen: list[Relation], actors: Mapping[str, Actor], as_of: int | None
) -> nx.Graph:
    formalised = {p for r in chosen if r.kind == "agreement" for p in r.formalises}
    slugs = {s: local_name(s) for s in set().union(*(r.sectors for r in chosen))}
    # Most pairs come from one relation: a pair keeps its relation's facts, a list when several.
    pairs: dict[tuple[str, str], _Facts | list[_Facts]] = {}
    for relation in chosen:
        parties = relation.parties
        k = len(parties)
        counted = not (relation.kind == "partnership" and relation.iri in formalised)
        facts: _Facts = (
            int(counted),
            1.0 / (k - 1) if counted else 0.0,
            int(counted and k > 2),
            int(relation.kind == "agreement"),
            sorted(relation.types),
            sorted({slugs[s] for s in relation.sectors}),
            relation.signed if relation.signed is not None else relation.started,
        )
        if k == 2:
            a, b = parties
            keys: Iterable[tuple[str, str]] = ((a, b) if a < b else (b, a),)
        else:
            keys = combinations(sorted(parties), 2)
        for pair in keys:
            found = pairs.get(pair)
            if found is None:
                pairs[pair] = facts
            elif isinstance(found, list):
                found.append(facts)
            else:
                pairs[pair] = [found, facts]
    graph = nx.Graph(name="partnership", as_of=as_of or "", multilateral=MULTILATERAL_NOTE)
    _fill(graph, pairs)
    describe_nodes(graph, actors)
    return graph


def _fill(graph: nx.Graph, pairs: dict[tuple[str, str], _Facts | list[_Facts]]) -> None:
    """Add an edge per pair, with its attributes."""
    graph.add_edges_from(
        (u, v, _merged(found) if isinstance(found, list) else _single(found))
        for (u, v), found in pairs.items()
    )


#: What a relation adds to each of its pairs: weight, Newman weight, multilateral count,
#: agreement count, sorted types, sorted sector slugs, year.
_Facts = tuple[int, float, int, int, list[str], list[str], int | None]


def _single(facts: _Facts) -> dict[str, Any]:
    """The attributes of a pair linked by one relation."""
    weight, newman, multilateral, agreements, types, sectors, year = facts
    edge: dict[str, Any] = {
        "weight": weight,
        "newman_weight": newman,
        "multilateral": multilateral,
        "agreements": agreements,
        "partnerships": 1 - agreements,
        "types": types.copy(),
        "years": [] if year is None else [year],
        "sectors": sectors.copy(),
    }
    if year is not None:
        edge["first_year"] = year
    return edge


def _merged(facts: list[_Facts]) -> dict[str, Any]:
    """The attributes of a pair linked by several relations."""
    weight = multilateral = agreements = 0
    newman_weight = 0.0  # summed in relation order, as a running total would be
    types: set[str] = set()
    sectors: set[str] = set()
    dated: set[int] = set()
    for w, newman, multi, agreement, kinds, slugs, year in facts:
        weight += w
        newman_weight += newman
        multilateral += multi
        agreements += agreement
        types.update(kinds)
        sectors.update(slugs)
        if year is not None:
            dated.add(year)
    years = sorted(dated)
    edge = {
        "weight": weight,
        "newman_weight": newman_weight,
        "multilateral": multilateral,
        "agreements": agreements,
        "partnerships": len(facts) - agreements,
        "types": sorted(types),
        "years": years,
        "sectors": sorted(sectors),
    }
    if years:
        edge["first_year"] = years[0]
    return edge


def describe_nodes(graph: nx.Graph, actors: Mapping[str, Actor]) -> None:
    """Set the label, kind, scope, country and collectivity type of every node from ``actors``
    (nodes not described there get their IRI's last segment and an ``unknown`` scope)."""
    for node in graph.nodes:
        actor = actors.get(node)
        attrs = actor.attributes() if actor else {"label": local_name(node), "scope": "unknown"}
        graph.nodes[node].update(attrs)


def actor_relation_graph(
    relations: Iterable[Relation], actors: Mapping[str, Actor], as_of: int | None = None
) -> nx.Graph:
    """Bipartite graph: actors (``bipartite=0``) linked to the agreements and partnerships
    (``bipartite=1``) they are party to; multilateral relations keep all their parties on one node.

    >>> from kg.network.extract import Relation
    >>> g = actor_relation_graph([Relation("a1", "agreement", ("x", "y", "z"))], {})
    >>> sorted(g["a1"]), g.nodes["a1"]["parties"]
    (['x', 'y', 'z'], 3)
    """
    graph = nx.Graph(name="actor-relation", as_of=as_of or "")
    for relation in select_relations(relations, as_of):
        attrs: dict[str, Any] = {
            "bipartite": 1,
            "kind": relation.kind,
            "label": local_name(relation.iri),
            "parties": len(relation.parties),
            "types": sorted(relation.types),
        }
        if relation.year is not None:
            attrs["year"] = relation.year
        graph.add_node(relation.iri, **attrs)
        for party in relation.parties:
            graph.add_edge(party, relation.iri)
    actor_nodes = [n for n, d in graph.nodes(data=True) if d.get("bipartite") != 1]
    for node in actor_nodes:
        actor = actors.get(node)
        graph.nodes[node].update(actor.attributes() if actor else {"label": local_name(node)})
        graph.nodes[node]["bipartite"] = 0
    return graph


def growth_by_year(relations: Iterable[Relation]) -> list[dict[str, int]]:
    """Per year: relations dated that year, and the cumulative actors and pairs of the network.

    Built in one pass over the relations sorted by year, so that every snapshot is counted without
    building one graph per year. Relations ending is ignored here (cumulative view).

    >>> from kg.network.extract import Relation
    >>> rels = [Relation("a", "agreement", ("x", "y"), signed=2000),
    ...         Relation("b", "agreement", ("y", "z"), signed=2002)]
    >>> [(r["year"], r["new_relations"], r["nodes"], r["edges"]) for r in growth_by_year(rels)]
    [(2000, 1, 2, 1), (2001, 0, 2, 1), (2002, 1, 3, 2)]
    """
    by_year: dict[int, list[Relation]] = defaultdict(list)
    for relation in select_relations(relations):
        if relation.year is not None:
            by_year[relation.year].append(relation)
    if not by_year:
        return []
    nodes: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    table = []
    for year in range(min(by_year), max(by_year) + 1):
        for relation in by_year.get(year, []):
            nodes.update(relation.parties)
            pairs.update(combinations(relation.parties, 2))
        table.append(
            {
                "year": year,
                "new_relations": len(by_year.get(year, [])),
                "nodes": len(nodes),
                "edges": len(pairs),
            }
        )
    return table


def country_graph(partnerships: nx.Graph, labels: Mapping[str, str] | None = None) -> nx.Graph:
    """Countries linked by the partnerships of their actors, edges weighted by summed ``weight``.

    Pairs within one country are not self-loops but the node attribute ``domestic_weight``; actors
    with no known country are left out.

    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"country": "fr"}), ("b", {"country": "jp"}), ("c", {"country": "fr"})])
    >>> g.add_edge("a", "b", weight=2); g.add_edge("c", "b", weight=1); g.add_edge("a", "c", weight=1)
    >>> cg = country_graph(g)
    >>> cg["fr"]["jp"]["weight"], cg.nodes["fr"]["domestic_weight"], cg.nodes["fr"]["actors"]
    (3, 1, 2)
    """
    labels = labels or {}
    graph = nx.Graph(name="country", as_of=partnerships.graph.get("as_of", ""))
    actors_per_country: dict[str, int] = defaultdict(int)
    for _node, code in partnerships.nodes(data="country"):
        if code:
            actors_per_country[code] += 1
    for code, count in actors_per_country.items():
        label = labels.get(code, code.upper())
        graph.add_node(code, label=label, actors=count, domestic_weight=0, kind="country")
    for u, v, weight in partnerships.edges(data="weight", default=1):
        cu, cv = partnerships.nodes[u].get("country"), partnerships.nodes[v].get("country")
        if not cu or not cv:
            continue
        if cu == cv:
            graph.nodes[cu]["domestic_weight"] += weight
        elif graph.has_edge(cu, cv):
            graph[cu][cv]["weight"] += weight
            graph[cu][cv]["pairs"] += 1
        else:
            graph.add_edge(cu, cv, weight=weight, pairs=1)
    return graph
