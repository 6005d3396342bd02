"""Issue 21, section 3: municipal arrondissements as entities of their own, collectivities with special
status and single collectivities typed as such, and INSEE codes that say their kind, on real COG rows
(``tests/fixtures/collectivity-kinds``) and the committed SIREN excerpt."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from importers_helpers import ID, KGC, SIREN, objects, store_of
from kg.importers import cog
from kg.importers.conversion import Conversion
from kg.importers.curation import Curation
from kg.importers.reconcile.communes import CommuneIndex
from kg.importers.twinnings import Resolver, Side
from kg.settings import PROJECT_ROOT, Settings
from kg.validation import validate_graph

FIXTURE = Path(__file__).parent / "fixtures" / "collectivity-kinds" / "cog"
TYPE = "https://w3id.org/kgci/vocab/collectivity-type/"
C = ID + "collectivity/"


@pytest.fixture(scope="module")
def conversion() -> Conversion:
    return cog.convert(FIXTURE, SIREN)


@pytest.fixture(scope="module")
def store(conversion: Conversion) -> ox.Store:
    return store_of(conversion.data)


def kind(store: ox.Store, iri: str) -> set[str]:
    return {t.removeprefix(TYPE) for t in objects(store, iri, KGC + "collectivityType")}


def test_municipal_arrondissements_are_entities_part_of_their_commune(
    conversion: Conversion, store: ox.Store
) -> None:
    assert conversion.counts["arrondissements-municipaux"] == 45
    arrondissements = {
        q.subject.value
        for q in store.quads_for_pattern(
            None,
            ox.NamedNode(KGC + "collectivityType"),
            ox.NamedNode(TYPE + "arrondissement-municipal"),
        )
    }
    assert len(arrondissements) == 45
    parents = {p for a in arrondissements for p in objects(store, a, KGC + "locatedIn")}
    assert parents == {C + "paris-75056", C + "lyon-69123", C + "marseille-13055"}
    paris16 = C + "paris-16e-arrondissement-75116"
    assert paris16 in arrondissements
    assert objects(store, paris16, KGC + "inseeCommuneCode") == {"75116"}
    assert objects(store, paris16, KGC + "locatedIn") == {C + "paris-75056"}
    assert objects(store, C + "paris-75056", KGC + "inseeCommuneCode") == {"75056"}
    assert kind(store, C + "paris-75056") == {"commune"}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Paris 16e Arrondissement", "75116"),
        ("16e arrondissement de Paris", "75116"),
        ("16th arrondissement of Paris", "75116"),
        ("16e arrondissement (Paris)", "75116"),
        ("Paris XVIe", "75116"),
        ("Lyon 3e", "69383"),
        ("Marseille 1er Arrondissement", "13201"),
        ("Marseille XIIIe", "13213"),
    ],
)
def test_arrondissement_names_reconcile_to_the_arrondissement(name: str, code: str) -> None:
    index = CommuneIndex.from_cog(FIXTURE)
    found = index.match(name)
    assert (found.status, found.key, found.method) == ("matched", code, "cog-arrondissement")
    resolved = Resolver(index, Curation.read(None)).resolve(Side(name, "France"))
    assert resolved.iri.endswith(f"-{code}") and resolved.iri != C + "paris-75056"


def test_a_commune_is_not_taken_for_an_arrondissement() -> None:
    index = CommuneIndex.from_cog(FIXTURE)
    assert index.match("Paris").key == "75056"
    assert index.match("Lyon").key == "69123"
    assert not index.match("Paris 21e Arrondissement").matched  # Paris has twenty


def test_special_status_and_single_collectivities_have_their_type(store: ox.Store) -> None:
    assert kind(store, C + "corse") == {"collectivite-a-statut-particulier"}
    assert kind(store, C + "metropole-de-lyon-200046977") == {"collectivite-a-statut-particulier"}
    alsace = C + "collectivite-europeenne-d-alsace-200094332"
    assert kind(store, alsace) == {"collectivite-a-statut-particulier"}
    assert objects(store, alsace, KGC + "sirenCode") == {"200094332"}
    assert objects(store, alsace, KGC + "locatedIn") == {C + "grand-est"}
    for single, region, departement in (
        ("martinique", "02", "972"),
        ("guyane", "03", "973"),
        ("mayotte", "06", "976"),
    ):
        assert kind(store, C + single) == {"collectivite-unique"}
        assert objects(store, C + single, KGC + "inseeRegionCode") == {region}
        assert objects(store, C + single, KGC + "inseeDepartementCode") == {departement}
        # one entity: no département record beside the single collectivity
        assert not objects(store, C + f"{single}-{departement}", KGC + "collectivityType")
    assert objects(store, C + "fort-de-france-97209", KGC + "locatedIn") == {C + "martinique"}
    for district in ("corse-du-sud-2a", "haute-corse-2b", "bas-rhin-67", "haut-rhin-68"):
        assert kind(store, C + district) == {"departement-circonscription"}, district
    assert objects(store, C + "corse-du-sud-2a", KGC + "locatedIn") == {C + "corse"}
    for ordinary in ("rhone-69", "val-de-marne-94", "paris-75"):
        assert kind(store, C + ordinary) == {"departement"}, ordinary
    assert kind(store, C + "saint-pierre-et-miquelon-975") == {"collectivite-d-outre-mer"}


def test_a_query_cannot_confuse_the_corse_region_with_val_de_marne(store: ox.Store) -> None:
    """ "94" is the Corse région and the Val-de-Marne département: each property names one."""

    def subjects(predicate: str) -> set[str]:
        query = f'SELECT ?x WHERE {{ ?x <{KGC}{predicate}> "94" }}'
        return {row["x"].value for row in store.query(query)}  # type: ignore[union-attr]

    assert subjects("inseeRegionCode") == {C + "corse"}
    assert subjects("inseeDepartementCode") == {C + "val-de-marne-94"}
    assert subjects("inseeCommuneCode") == set()
    assert subjects("inseeCode") == set()  # the kind-less super-property is never stated


def test_no_query_reads_a_kindless_insee_code() -> None:
    """Every named query asks for a code of one kind (a test reading kgc:inseeCode would find
    nothing, and before this change found both 94s)."""
    for path in sorted((PROJECT_ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(kgc:|/def/)inseeCode\b", text), path.name


def test_the_conversion_conforms_to_the_shapes(conversion: Conversion) -> None:
    graph = Graph().parse(data=conversion.data.decode(), format="nt")
    result = validate_graph(graph, Settings(store=None))
    assert result.conforms, result.table()
