"""Build any of the project's networks from the store by name: the entry point of the report, the
notebooks and the benchmark.

``partnership``: collectivities (and other parties) linked by agreements and partnerships;
``sector``: the bipartite collectivity-sector graph; ``country``: countries linked by the
partnerships of their actors; ``people``: people linked to the organisations they hold roles in;
``events``: participants linked by the events they took part in together. ``year`` gives the network
as of the end of that year.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import pyoxigraph as ox

from kg.errors import InputError
from kg.network import coordinates, partnership, people, sectors
from kg.network.extract import (
    Actor,
    Relation,
    country_code,
    fetch_actors,
    fetch_concept_labels,
    fetch_relations,
    fetch_relations_and_actors,
    rows,
)
from kg.network.memory import collector_paused
from kg.queries import QueryLibrary

GRAPH_KINDS = ("partnership", "sector", "country", "people", "events")


@dataclass
class Built:
    """A network, the relations behind it (none for the people and events graphs; read without
    their IRIs for the partnership and country graphs, see :func:`fetch_relations`), and how long
    each step took."""

    graph: nx.Graph
    relations: list[Relation] = field(default_factory=list, repr=False)
    timings: dict[str, float] = field(default_factory=dict)

    @cached_property
    def growth(self) -> list[dict[str, int]]:
        """The yearly growth of the relations behind the graph (see
        :func:`partnership.growth_by_year`), computed when first asked: the report asks in the
        process drawing the figures."""
        return partnership.growth_by_year(self.relations)


class _Clock:
    def __init__(self, timings: dict[str, float], step: Callable[[str], None] | None) -> None:
        self.timings, self.step = timings, step

    def run(self, name: str, work: Callable[[], Any]) -> Any:
        if self.step:
            self.step(name)
        start = time.perf_counter()
        result = work()
        self.timings[name] = time.perf_counter() - start
        return result


def relations_and_actors(
    store: ox.Store, library: QueryLibrary, clock: _Clock | None = None
) -> tuple[list[Relation], dict[str, Actor]]:
    """The agreements and partnerships of the store and the description of their parties."""
    clock = clock or _Clock({}, None)
    found: tuple[list[Relation], dict[str, Actor]] = clock.run(
        "extract relations and actors", lambda: fetch_relations_and_actors(store, library)
    )
    return found


def build(
    kind: str,
    store: ox.Store,
    library: QueryLibrary,
    year: int | None = None,
    step: Callable[[str], None] | None = None,
) -> Built:
    """Build the network called ``kind`` (one of :data:`GRAPH_KINDS`), as of ``year`` if given.

    ``step`` is called with the name of each step before it starts (for progress bars).
    """
    if kind not in GRAPH_KINDS:
        raise InputError(f"unknown graph {kind!r}; choose one of {', '.join(GRAPH_KINDS)}")
    with collector_paused():
        return _build(kind, store, library, year, step)


def _build(
    kind: str,
    store: ox.Store,
    library: QueryLibrary,
    year: int | None,
    step: Callable[[str], None] | None,
) -> Built:
    built = Built(nx.Graph())
    clock = _Clock(built.timings, step)
    if kind in ("people", "events"):
        built.graph = _build_people(kind, store, library, year, clock)
        return built
    if kind == "sector":
        relations, actors = relations_and_actors(store, library, clock)
        built.relations = relations
        activities = [(i, a, s) for i, a, s in rows(library, store, "network-activity-sectors")]
        concepts = fetch_concept_labels(store, library)
        links = sectors.sector_links(relations, activities)
        built.graph = clock.run(
            "build graph", lambda: sectors.collectivity_sector_graph(links, actors, concepts, year)
        )
        return built
    with ThreadPoolExecutor(max_workers=1) as background:
        # Node descriptions are needed only once the edges are built: they are read meanwhile.
        pending = background.submit(fetch_actors, store, library)
        relations = clock.run(
            "extract relations", lambda: fetch_relations(store, library, named=False)
        )
        built.relations = relations
        graph = clock.run(
            "build graph", lambda: partnership.partnership_graph(relations, {}, as_of=year)
        )
        actors = clock.run("extract actors (rest of the background query)", pending.result)
    clock.run("describe nodes", lambda: partnership.describe_nodes(graph, actors))
    clock.run("place nodes", lambda: coordinates.add_coordinates(graph, store, library))
    if kind == "country":
        labels = {
            code: label
            for iri, (label, _broader) in fetch_concept_labels(store, library).items()
            if (code := country_code(iri))
        }
        graph = clock.run("country graph", lambda: partnership.country_graph(graph, labels))
    built.graph = graph
    return built


def _build_people(
    kind: str, store: ox.Store, library: QueryLibrary, year: int | None, clock: _Clock
) -> nx.Graph:
    if kind == "people":
        found = clock.run("extract memberships", lambda: people.fetch_memberships(store, library))
        graph: nx.Graph = clock.run("build graph", lambda: people.people_graph(found, year))
        return graph
    participations, parents = clock.run(
        "extract participations", lambda: people.fetch_participations(store, library)
    )
    graph = clock.run(
        "build graph", lambda: people.coparticipation_graph(participations, parents, year)
    )
    return graph
