"""Graphs built from a real store: a small hand-built fixture with known answers, and the seeds."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.network import sectors
from kg.network.build import build
from kg.network.extract import fetch_actors, fetch_relations
from kg.network.partnership import actor_relation_graph, growth_by_year, partnership_graph
from kg.network.report import analyse
from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT
from kg.store import open_store
from kg.store.default_graph import rebuild as rebuild_default_graph

FIXTURE = Path(__file__).parent / "fixtures" / "network" / "small.trig"
C = "https://w3id.org/kgci/id/collectivity/"
LYON, TURIN, GENEVA, BEIJING = C + "lyon-69123", C + "turin-it", C + "geneva-ch", C + "beijing-cn"
LILLE, GHENT = C + "lille-59350", C + "ghent-be"


@pytest.fixture(scope="module")
def library() -> QueryLibrary:
    return QueryLibrary(PROJECT_ROOT / "queries")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = open_store(None)
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    rebuild_default_graph(store)
    return store


def test_partnership_graph_projects_multilateral_agreements(
    store: ox.Store, library: QueryLibrary
) -> None:
    graph = build("partnership", store, library).graph
    assert set(graph) == {LYON, TURIN, GENEVA, BEIJING, LILLE, GHENT}
    lyon_turin = graph[LYON][TURIN]
    # twinning + pact; the partnership the twinning formalises is listed, not counted again
    assert lyon_turin["weight"] == 2
    assert (lyon_turin["agreements"], lyon_turin["partnerships"]) == (2, 1)
    assert lyon_turin["newman_weight"] == pytest.approx(1.5)
    assert lyon_turin["multilateral"] == 1
    assert lyon_turin["types"] == ["pact", "twinning"]
    assert lyon_turin["years"] == [2001, 2005, 2015]  # gYear, gYear, gYearMonth
    assert lyon_turin["first_year"] == 2001
    assert lyon_turin["sectors"] == ["cultural-exchanges", "mobility-transport"]
    assert graph[TURIN][GENEVA]["newman_weight"] == pytest.approx(0.5)
    assert graph[LYON][BEIJING]["years"] == [2019]  # xsd:date
    assert "first_year" not in graph[LILLE][GHENT]  # undated partnership


def test_node_attributes(store: ox.Store, library: QueryLibrary) -> None:
    graph = build("partnership", store, library).graph
    assert graph.nodes[LYON] == {
        "label": "Lyon",
        "kind": "collectivity",
        "scope": "french",
        "country": "fr",
        "collectivity_type": "commune",
    }
    assert graph.nodes[LILLE]["label"] == "Lille"  # French label when no English one
    assert graph.nodes[GENEVA]["scope"] == "foreign"


def test_foreign_partners_ranking(store: ox.Store, library: QueryLibrary) -> None:
    report = analyse(build("partnership", store, library).graph)
    foreign = {row["id"]: row["foreign_partners"] for row in report.nodes}
    assert foreign[LYON] == 3 and foreign[LILLE] == 1
    assert report.nodes[0]["id"] == LYON


def test_snapshots_by_year(store: ox.Store, library: QueryLibrary) -> None:
    assert set(build("partnership", store, library, year=2000).graph) == set()
    assert set(build("partnership", store, library, year=2010).graph) == {LYON, TURIN}
    assert set(build("partnership", store, library, year=2020).graph) == {
        LYON,
        TURIN,
        GENEVA,
        BEIJING,
    }
    # the Beijing agreement ended in 2021
    assert BEIJING not in build("partnership", store, library, year=2022).graph


def test_growth_and_bipartite_form(store: ox.Store, library: QueryLibrary) -> None:
    relations = fetch_relations(store, library)
    actors = fetch_actors(store, library)
    growth = {row["year"]: row for row in growth_by_year(relations)}
    assert min(growth) == 2001 and max(growth) == 2019
    assert (growth[2001]["nodes"], growth[2001]["edges"]) == (2, 1)
    assert (growth[2015]["nodes"], growth[2015]["edges"], growth[2015]["new_relations"]) == (
        3,
        3,
        1,
    )
    bipartite = actor_relation_graph(relations, actors)
    pact = "https://w3id.org/kgci/id/agreement/alpine-pact"
    assert set(bipartite[pact]) == {LYON, TURIN, GENEVA}
    assert nx.is_bipartite(bipartite)
    clique = partnership_graph(relations, actors)
    assert clique.number_of_edges() == 5


def test_country_graph(store: ox.Store, library: QueryLibrary) -> None:
    graph = build("country", store, library).graph
    assert graph["fr"]["it"]["weight"] == 2
    assert graph["it"]["ch"]["weight"] == 1
    assert graph.nodes["it"]["label"] == "Italy"  # from the store
    assert graph.nodes["cn"]["label"] == "CN"  # no label stated


def test_sector_graph_and_projections(store: ox.Store, library: QueryLibrary) -> None:
    graph = build("sector", store, library).graph
    culture = "https://w3id.org/kgci/vocab/sector/culture"
    exchanges = "https://w3id.org/kgci/vocab/sector/cultural-exchanges"
    assert graph[LILLE][culture]["weight"] == 1  # through an action
    assert graph.nodes[exchanges]["broader"] == "culture"
    assert graph.nodes[exchanges]["label"] == "Cultural exchanges"
    assert nx.is_bipartite(graph)
    actors = sectors.project(graph, "actors")
    assert actors[LYON][LILLE]["weight"] == 1  # both work on culture
    assert set(sectors.project(graph, "sectors")) == sectors.sector_nodes(graph)
    profile = dict(sectors.specialisation(graph, LYON))
    assert sum(profile.values()) == pytest.approx(1.0, abs=0.01)


def test_people_and_event_graphs(store: ox.Store, library: QueryLibrary) -> None:
    alice, bob = "https://w3id.org/kgci/id/person/alice", "https://w3id.org/kgci/id/person/bob"
    people = build("people", store, library).graph
    assert people[alice][LYON]["roles"] == ["deputy-mayor", "mayor"]
    assert people[alice][LYON]["weight"] == 2
    assert build("people", store, library, year=2016).graph[alice][LYON]["roles"] == [
        "deputy-mayor"
    ]
    assert bob not in build("people", store, library, year=2022).graph  # attested 2023
    events = build("events", store, library).graph
    # both workshops roll up to the forum: Alice, Bob, Lyon and Turin met there
    assert events[alice][TURIN]["shared"] == ["forum"]
    assert events[TURIN][BEIJING]["weight"] == 1
    assert events[LYON][TURIN]["weight"] == 1
    assert events.nodes[TURIN]["events"] == 2
    assert BEIJING not in build("events", store, library, year=2023).graph


def test_seed_data_ile_de_france_has_most_foreign_partners(library: QueryLibrary) -> None:
    # the seed documents only: national imports in data/ would rightly change the ranking
    store = open_store(None)
    for path in sorted((PROJECT_ROOT / "data" / "seeds").glob("*.trig")):
        store.load(path=str(path), format=ox.RdfFormat.TRIG)
    rebuild_default_graph(store)
    report = analyse(build("partnership", store, library).graph)
    best = max(report.nodes, key=lambda row: row["foreign_partners"])
    assert best["id"] == C + "ile-de-france"
    runner_up = sorted((row["foreign_partners"] for row in report.nodes), reverse=True)[1]
    assert best["foreign_partners"] > runner_up
