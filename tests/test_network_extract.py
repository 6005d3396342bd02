"""What the network package reads from an on-disk store: which resources count as relations, how
their facts and their parties' descriptions come back through the grouped queries."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.network.extract import fetch_actors, fetch_relations, fetch_relations_and_actors
from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT
from kg.store import open_store
from kg.store.default_graph import rebuild as rebuild_default_graph

TRIG = """
@prefix kgc: <https://w3id.org/kgci/def/> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/kgci/id/> .
@prefix sector: <https://w3id.org/kgci/vocab/sector/> .

<https://w3id.org/kgci/graph/test/a> {
  id:agreement\\/both a kgc:Agreement, kgc:Partnership ;
      kgc:party id:collectivity\\/a, id:collectivity\\/b ;
      kgc:agreementType <https://w3id.org/kgci/vocab/agreement-type/twinning> ;
      kgc:signingDate "2003-05"^^xsd:gYearMonth ; kgc:signingDate "2001"^^xsd:gYear ;
      schema:endDate "2020-01-01"^^xsd:date ;
      kgc:sector sector:culture, sector:health .
  id:partnership\\/p a kgc:Partnership ;
      kgc:party id:collectivity\\/a, id:undescribed ;
      schema:startDate "1999"^^xsd:gYear .
  id:agreement\\/both kgc:formalises id:partnership\\/p .
  id:action\\/x a kgc:Action ; kgc:party id:collectivity\\/a, id:collectivity\\/c .
  id:collectivity\\/a a kgc:Collectivity ; rdfs:label "Aix @ \\"Provence\\"\\tcity"@fr ,
      "Aix, the city"@en-GB ; kgc:country id:country\\/fr .
  id:collectivity\\/b a kgc:Collectivity ; rdfs:label "Bé"@fr , "B"@de ;
      kgc:collectivityType <https://w3id.org/kgci/vocab/collectivity-type/city> ;
      kgc:country id:country\\/jp .
}
<https://w3id.org/kgci/graph/test/b> {
  id:agreement\\/both kgc:party id:collectivity\\/a .
}
"""
ID = "https://w3id.org/kgci/id/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    path: Path = tmp_path_factory.mktemp("extract") / "store"
    store = open_store(path)
    store.load(TRIG.encode(), format=ox.RdfFormat.TRIG)
    rebuild_default_graph(store)
    return store


@pytest.fixture(scope="module")
def library() -> QueryLibrary:
    return QueryLibrary(PROJECT_ROOT / "queries")


def test_relations_are_typed_agreements_and_partnerships(
    store: ox.Store, library: QueryLibrary
) -> None:
    relations = {r.iri: r for r in fetch_relations(store, library)}
    assert set(relations) == {ID + "agreement/both", ID + "partnership/p"}  # not the action
    both = relations[ID + "agreement/both"]
    assert both.kind == "agreement"  # typed both ways: an agreement wins
    # the triple stated in two graphs gives one party, not two
    assert both.parties == (ID + "collectivity/a", ID + "collectivity/b")
    assert both.types == {"twinning"}
    assert both.sectors == {
        "https://w3id.org/kgci/vocab/sector/culture",
        "https://w3id.org/kgci/vocab/sector/health",
    }
    assert (both.signed, both.ended, both.year) == (2001, 2020, 2001)  # earliest signing year
    assert both.formalises == {ID + "partnership/p"}
    partnership = relations[ID + "partnership/p"]
    assert (partnership.kind, partnership.started, partnership.signed) == (
        "partnership",
        1999,
        None,
    )


def test_actor_descriptions(store: ox.Store, library: QueryLibrary) -> None:
    actors = fetch_actors(store, library)
    assert set(actors) == {
        ID + "collectivity/a",
        ID + "collectivity/b",
        ID + "collectivity/c",
        ID + "undescribed",
    }
    a, b = actors[ID + "collectivity/a"], actors[ID + "collectivity/b"]
    assert (a.label, a.kind, a.country, a.collectivity_type) == (
        "Aix, the city",  # English (en-GB) before French
        "collectivity",
        "fr",
        None,
    )
    assert (b.label, b.country, b.scope, b.collectivity_type) == ("Bé", "jp", "foreign", "city")
    bare = actors[ID + "undescribed"]  # nothing stated: kept, named after its IRI
    assert (bare.label, bare.kind, bare.scope) == ("undescribed", "organisation", "unknown")


def test_label_text_survives_the_grouping(store: ox.Store, library: QueryLibrary) -> None:
    store_fr = open_store(None)
    store_fr.load(
        TRIG.replace('"Aix, the city"@en-GB', '"x"@it').encode(), format=ox.RdfFormat.TRIG
    )
    rebuild_default_graph(store_fr)
    label = fetch_actors(store_fr, library)[ID + "collectivity/a"].label
    assert label == 'Aix @ "Provence"\tcity'  # spaces, quotes, tab and "@" kept


def test_side_by_side_reading_gives_the_same_answer(store: ox.Store, library: QueryLibrary) -> None:
    relations, actors = fetch_relations_and_actors(store, library)
    assert relations == fetch_relations(store, library)
    assert actors == fetch_actors(store, library)


def test_reading_without_iris_gives_the_same_relations(
    store: ox.Store, library: QueryLibrary
) -> None:
    named = fetch_relations(store, library)
    unnamed = fetch_relations(store, library, named=False)
    assert len(unnamed) == len(named) == 2
    # the formalised partnership keeps its IRI, for its agreement's kgc:formalises to match it
    assert {r.iri for r in unnamed} == {"", ID + "partnership/p"}
    for relation in unnamed:
        twin = next(r for r in named if r.parties == relation.parties)
        assert relation == dataclasses.replace(twin, iri=relation.iri)
