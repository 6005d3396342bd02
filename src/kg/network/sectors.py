"""The bipartite collectivity-sector graph and its two projections.

A collectivity is linked to a sector when an agreement or partnership it is party to, an action it
carries out or a programme it manages names that sector (``kgc:sector``); the edge ``weight`` counts
those items. Projections: collectivities sharing sectors (similar specialisation) and sectors
sharing collectivities (sectors that go together).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import networkx as nx
from networkx.algorithms import bipartite

from kg.network.extract import Actor, Relation, local_name

#: An item linking an actor to a sector: (item IRI, actor IRI, sector IRI, year or None).
SectorLink = tuple[str, str, str, int | None]


def sector_links(
    relations: Iterable[Relation], activities: Iterable[tuple[str, str, str]]
) -> list[SectorLink]:
    """Links (item, actor, sector, year) from relation parties and from actions and programmes.

    >>> from kg.network.extract import Relation
    >>> sector_links([Relation("a", "agreement", ("x", "y"), sectors={"s"}, signed=2001)], [])
    [('a', 'x', 's', 2001), ('a', 'y', 's', 2001)]
    """
    links: list[SectorLink] = []
    for relation in relations:
        for party in relation.parties:
            links.extend((relation.iri, party, s, relation.year) for s in sorted(relation.sectors))
    links.extend((item, actor, sector, None) for item, actor, sector in activities)
    return links


def collectivity_sector_graph(
    links: Iterable[SectorLink],
    actors: Mapping[str, Actor],
    concepts: Mapping[str, tuple[str, str | None]],
    as_of: int | None = None,
    collectivities_only: bool = True,
) -> nx.Graph:
    """Bipartite graph: collectivities (``bipartite=0``) and sectors (``bipartite=1``).

    Edge ``weight`` = number of distinct items linking the two. Sector nodes carry ``label`` and
    ``broader`` (the slug of the broader concept, when the vocabulary is loaded). With ``as_of``,
    only items dated up to that year (undated actions and programmes are kept).

    >>> g = collectivity_sector_graph([("a", "x", "s", None), ("b", "x", "s", None)], {}, {},
    ...                               collectivities_only=False)
    >>> g["x"]["s"]["weight"], g.nodes["s"]["bipartite"]
    (2, 1)
    """
    items: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item, actor, sector, year in links:
        if as_of is not None and year is not None and year > as_of:
            continue
        known = actors.get(actor)
        if collectivities_only and (known is None or known.kind != "collectivity"):
            continue
        items[(actor, sector)].add(item)
    graph = nx.Graph(name="sector", as_of=as_of or "")
    for (actor, sector), found in items.items():
        graph.add_edge(actor, sector, weight=len(found))
    sectors = {sector for _actor, sector in items}
    for node in list(graph.nodes):
        if node in sectors:
            label, broader = concepts.get(node, (local_name(node), None))
            graph.nodes[node].update(label=label, kind="sector", bipartite=1)
            if broader:
                graph.nodes[node]["broader"] = local_name(broader)
        elif node in actors:
            graph.nodes[node].update(actors[node].attributes(), bipartite=0)
        else:
            graph.nodes[node].update(label=local_name(node), bipartite=0)
    return graph


def sector_nodes(graph: nx.Graph) -> set[str]:
    """The sector side of a collectivity-sector graph."""
    return {n for n, side in graph.nodes(data="bipartite") if side == 1}


def project(graph: nx.Graph, side: str) -> nx.Graph:
    """Weighted projection of the collectivity-sector graph on ``side`` ("actors" or "sectors").

    Two nodes are linked when they share a neighbour; ``weight`` counts shared neighbours.

    >>> g = collectivity_sector_graph([("i", "x", "s", None), ("j", "y", "s", None),
    ...                                ("k", "x", "t", None)], {}, {}, collectivities_only=False)
    >>> project(g, "actors")["x"]["y"]["weight"], sorted(project(g, "sectors").nodes)
    (1, ['s', 't'])
    """
    sectors = sector_nodes(graph)
    chosen = sectors if side == "sectors" else set(graph) - sectors
    projected = bipartite.weighted_projected_graph(graph, chosen)
    projected.graph.update(name=f"sector-{side}", as_of=graph.graph.get("as_of", ""))
    return projected


def specialisation(graph: nx.Graph, actor: str) -> list[tuple[str, float]]:
    """Share of each sector in an actor's sector links, largest first (a specialisation profile).

    >>> g = collectivity_sector_graph([("i", "x", "s", None), ("j", "x", "s", None),
    ...                                ("k", "x", "t", None)], {}, {}, collectivities_only=False)
    >>> specialisation(g, "x")
    [('s', 0.667), ('t', 0.333)]
    """
    weights = {s: d.get("weight", 1) for s, d in graph[actor].items()}
    total = sum(weights.values()) or 1
    shares = [(s, round(w / total, 3)) for s, w in weights.items()]
    return sorted(shares, key=lambda pair: (-pair[1], pair[0]))
