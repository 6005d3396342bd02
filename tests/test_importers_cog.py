"""`kg import cog`: the conversion on excerpts, the caveats of the SIREN files, and the real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from importers_helpers import (
    COG,
    ID,
    KGC,
    SIREN,
    national_reference,
    objects,
    store_of,
    write_cog_excerpt,
)
from kg.errors import InputError
from kg.importers import cog
from kg.importers.pipeline import SHARED_LAYOUT
from kg.settings import PROJECT_ROOT

ORG_MEMBER_OF = "http://www.w3.org/ns/org#memberOf"


def test_excerpt_commune_is_described_exactly(tmp_path: Path) -> None:
    folder = write_cog_excerpt(tmp_path / "cog", {"21"})
    conversion = cog.convert(folder, SIREN)
    graph = Graph().parse(data=conversion.data.decode(), format="nt")
    dijon = Graph()
    for triple in graph.triples((None, None, None)):
        if str(triple[0]) == ID + "collectivity/dijon-21231":
            dijon.add(triple)
    expected = Graph().parse(
        format="turtle",
        data="""
        @prefix kgc: <https://w3id.org/kgci/def/> . @prefix c: <https://w3id.org/kgci/id/collectivity/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix org: <http://www.w3.org/ns/org#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        c:dijon-21231 a kgc:Collectivity ;
            rdfs:label "Dijon"@fr , "Dijon"@en ;
            kgc:collectivityType <https://w3id.org/kgci/vocab/collectivity-type/commune> ;
            kgc:country <https://w3id.org/kgci/id/country/fr> ;
            kgc:inseeCommuneCode "21231" ; kgc:sirenCode "212102313" ;
            kgc:population "161830"^^xsd:nonNegativeInteger ;
            kgc:locatedIn c:cote-d-or-21 ;
            org:memberOf c:dijon-metropole-242100410 .
        """,
    )
    assert isomorphic(dijon, expected)


def test_excerpt_hierarchy_and_counts(tmp_path: Path) -> None:
    folder = write_cog_excerpt(tmp_path / "cog", {"21", "39"})
    records = json.loads((folder / "communes.json").read_text())
    conversion = cog.convert(folder, SIREN)
    store = store_of(conversion.data)
    current = [c for c in records if c["type"] == "commune-actuelle"]
    assert conversion.counts["communes"] == len(current)
    assert objects(store, ID + "collectivity/jura-39", KGC + "locatedIn") == {
        ID + "collectivity/bourgogne-franche-comte"
    }
    assert objects(store, ID + "collectivity/bourgogne-franche-comte", KGC + "sirenCode") == {
        "200053726"
    }
    # population of a département = sum of its communes' municipal populations
    jura = sum(c.get("population", 0) for c in current if c["departement"] == "39")
    assert objects(store, ID + "collectivity/jura-39", KGC + "population") == {str(jura)}
    # communes déléguées are not collectivities
    deleguee = next(
        c for c in records if c["type"] == "commune-deleguee" and c["code"] != c["chefLieu"]
    )
    assert not objects(
        store, cog.commune_iri(deleguee["nom"], deleguee["code"]), KGC + "inseeCommuneCode"
    )


def test_stale_and_misplaced_sirens_are_dropped() -> None:
    communes_sirens = {
        c["siren"] for c in json.loads((COG / "communes.json").read_text()) if c.get("siren")
    }
    regions, departements, special = cog.read_sirens(SIREN, communes_sirens)
    assert "67" not in departements and "68" not in departements  # replaced by the CEA in 2021
    assert "75" not in departements  # 217500016 is the commune of Paris
    assert "691" not in departements  # Métropole de Lyon is an EPCI record
    assert departements["21"] == "222100018"
    assert regions["94"] == "200076958"
    assert [(s.siren, s.kind, s.departements) for s in special] == [
        ("200094332", "collectivite-a-statut-particulier", ("67", "68"))
    ]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = write_cog_excerpt(tmp_path / "cog", {"21"})
    (folder / "epci.json").unlink()
    with pytest.raises(InputError, match=r"epci\.json is missing"):
        cog.convert(folder)


def test_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    folder = write_cog_excerpt(tmp_path / "cog", {"21"})
    (folder / "regions.json").write_text('[\n{"code": "27",\n oops}\n]')
    with pytest.raises(InputError, match=r"regions\.json line 3"):
        cog.convert(folder)


@pytest.fixture(scope="module")
def national() -> cog.Conversion:
    full = national_reference()
    return cog.convert(full / SHARED_LAYOUT["cog"], full / SHARED_LAYOUT["siren"])


@pytest.fixture(scope="module")
def national_store(national: cog.Conversion) -> ox.Store:
    return store_of(national.data)


def test_real_files_exact_counts(national: cog.Conversion, national_store: ox.Store) -> None:
    assert national.counts == {
        "regions": 18,
        "departements": 109,
        "communes": 34969,
        "epci": 1255,
        "ept": 11,
        "epci-memberships": 35000,
        "siren-regions": 17,
        "siren-departements": 94,
        "arrondissements-municipaux": 45,
        "special-status-siren-rows": 1,
    }
    store = national_store
    assert len(store) == national.triples
    collectivity = ox.NamedNode(KGC + "Collectivity")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert (
        sum(1 for _ in store.quads_for_pattern(None, rdf_type, collectivity))
        # régions, départements, communes, EPCI and EPT, plus the 45 municipal arrondissements and
        # the Collectivité européenne d'Alsace, less the départements of Guyane, Martinique and
        # Mayotte, one entity each with their région (collectivités uniques)
        == 18 + 109 + 34969 + 1266 + 45 + 1 - 3
    )


def test_real_files_spot_checks(national_store: ox.Store) -> None:
    store = national_store
    dijon = ID + "collectivity/dijon-21231"
    assert objects(store, dijon, KGC + "inseeCommuneCode") == {"21231"}
    assert objects(store, dijon, KGC + "sirenCode") == {"212102313"}
    assert objects(store, dijon, ORG_MEMBER_OF) == {ID + "collectivity/dijon-metropole-242100410"}
    assert objects(store, ID + "collectivity/ile-de-france", KGC + "sirenCode") == {"237500079"}
    assert objects(store, ID + "collectivity/bas-rhin-67", KGC + "sirenCode") == set()


def test_seed_collectivities_are_the_cog_iris(national_store: ox.Store) -> None:
    """Every French collectivity of the seed documents (named by INSEE code, SIREN or région name)
    has exactly the IRI the COG import mints for it."""
    store = national_store
    cog_iris = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, ox.NamedNode(KGC + "Collectivity"))
    }
    codes = {
        q.object.value: q.subject.value
        for p in ("inseeCommuneCode", "inseeRegionCode", "sirenCode")
        for q in store.quads_for_pattern(None, ox.NamedNode(KGC + p), None)
    }
    seeds = ox.Store()
    for path in sorted((PROJECT_ROOT / "data" / "seeds").glob("*.trig")):
        seeds.load(path=str(path), format=ox.RdfFormat.TRIG)
    seed_iris = {
        t.value
        for q in seeds
        for t in (q.subject, q.object)
        if isinstance(t, ox.NamedNode) and t.value.startswith(ID + "collectivity/")
    }
    french = set()
    for iri in seed_iris:
        suffix = iri.rsplit("-", 1)[-1]
        if suffix in codes and len(suffix) in {5, 9}:  # commune INSEE code or EPCI SIREN
            assert codes[suffix] == iri, f"seed {iri} is {codes[suffix]} in the COG"
            french.add(iri)
    for kind in ("inseeCommuneCode", "inseeRegionCode"):
        for quad in seeds.quads_for_pattern(None, ox.NamedNode(KGC + kind), None):
            assert codes.get(quad.object.value) == quad.subject.value, quad
            french.add(quad.subject.value)
    assert french <= cog_iris
    assert {ID + "collectivity/dijon-21231", ID + "collectivity/ile-de-france"} <= french


def test_excerpt_does_not_need_the_siren_folder(tmp_path: Path) -> None:
    folder = write_cog_excerpt(tmp_path / "cog", {"21"})
    shutil.copy(COG / "ept.json", folder / "ept.json")
    conversion = cog.convert(folder, None)
    assert conversion.counts["siren-departements"] == 0
    assert conversion.counts["ept"] == 11
