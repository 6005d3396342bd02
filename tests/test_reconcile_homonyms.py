"""The homonyms of the issue-21 audit, resolved on the real source rows (``tests/fixtures/homonyms``):
a source's own coordinates and population outrank a dominant population, an overseas town listed
under "France" is found in its territory, and when Wikipedia's geocoded row and Wikidata's row name
different homonyms for one partner, the Wikidata (better-evidenced) one is kept and reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.importers import twinnings_wikidata, twinnings_wikipedia
from kg.importers.curation import Curation
from kg.importers.merge import Merged, merge
from kg.importers.reconcile.communes import CommuneIndex, overseas_departement_at
from kg.importers.twinning_graph import statements
from kg.importers.twinnings import Resolver

HERE = Path(__file__).resolve().parent / "fixtures" / "homonyms"

#: (French name as the sources write it, partner, the INSEE code the source rows mean, why)
CASES = [
    ("Montreuil", "Rheinberg", "62588", "Wikidata places it at 50.46 N 1.76 E, pop. 2,148"),
    ("Saint-André", "Eichstetten am Kaiserstuhl", "66168", "Wikidata 42.55 N 2.97 E, pop. 3,288"),
    ("Saint-Pierre", "Port-en-Bessin-Huppain", "97502", "Wikidata 46.82 N 56.34 W"),
    ("Passy", "Pfullingen", "89291", "Wikidata 48.11 N 3.30 E, pop. 341"),
    ("Le Pont-de-Beauvoisin", "Erbach", "38315", "Wikidata pop. 3,527 (Isère's)"),
    ("Villars", "Halberstadt", "42330", "Wikidata 45.47 N 4.35 E over Wikipedia's geocoding"),
    ("Gourdon", "Ibbenbüren", "46127", "Wikidata 44.74 N 1.38 E over Wikipedia's geocoding"),
    ("Saint-Vallier", "Filton", "26333", "Wikidata 45.18 N 4.82 E over Wikipedia's geocoding"),
]


@pytest.fixture(scope="module")
def merged() -> tuple[Merged, CommuneIndex]:
    index = CommuneIndex.from_cog(HERE / "cog")
    resolver = Resolver(index, Curation({}))
    found = []
    for source, reader, path in (
        ("twinnings-wikipedia", twinnings_wikipedia, HERE / "wikipedia"),
        ("twinnings-wikidata", twinnings_wikidata, HERE / "wikidata"),
    ):
        rows, _ = reader.read_rows(path)
        found.extend(statements(source, rows, resolver)[0])
    return merge(found), index


def _french_codes(merged: Merged, name: str, partner: str) -> set[str]:
    """INSEE codes of the French parties of agreements between ``name`` and ``partner``."""
    codes = set()
    for agreement in merged.agreements.values():
        for st in agreement.statements:
            sides = {st.first_side.name: st.first, st.second_side.name: st.second}
            if name in sides and partner in sides:
                codes.add(sides[name].iri.rsplit("-", 1)[1])
    return codes


@pytest.mark.parametrize(("name", "partner", "code", "why"), CASES)
def test_audit_case_resolves_to_the_source_town(
    merged: tuple[Merged, CommuneIndex], name: str, partner: str, code: str, why: str
) -> None:
    result, _ = merged
    assert _french_codes(result, name, partner) == {code}, why


def test_both_pont_de_beauvoisin_are_twinned_with_erbach(
    merged: tuple[Merged, CommuneIndex],
) -> None:
    """The Savoie row (qualified) stays on 73204: two real towns, two agreements."""
    result, _ = merged
    assert _french_codes(result, "Le Pont-de-Beauvoisin, Savoie", "Erbach") == {"73204"}


def test_disagreeing_sources_are_reported(merged: tuple[Merged, CommuneIndex]) -> None:
    result, _ = merged
    reported = {
        c.subject.split(" / ")[0]: c.detail
        for c in result.conflicts
        if c.kind == "homonym-sources-disagree"
    }
    assert set(reported) == {"villars", "gourdon", "saint vallier", "montreuil"}, reported
    assert "kept villars-42330" in reported["villars"]
    assert "24582" in reported["villars"]  # the geocoded row's homonym is named, not hidden


def test_overseas_territory_hint_from_coordinates() -> None:
    assert overseas_departement_at((46.818889, -56.343889)) == "975"
    assert overseas_departement_at((-20.8789, 55.4481)) == "974"
    assert overseas_departement_at((48.8566, 2.3522)) is None


def test_population_dominance_still_decides_without_evidence(
    merged: tuple[Merged, CommuneIndex],
) -> None:
    """No coordinates, no population: the tenfold-larger Saint-Pierre (Réunion) stays the answer."""
    _, index = merged
    assert index.match("Saint-Pierre").key == "97416"
    assert index.match("Saint-Pierre", (46.818889, -56.343889)).key == "97502"


def test_each_agreement_is_traced_to_its_source_rows(tmp_path: Path) -> None:
    """Row-level provenance, queried with SPARQL on a real store: the Villars-Halberstadt twinning
    derives from Wikipedia's raw row 3 and Wikidata's france.tsv and germany.tsv rows, each a
    kgc:SourceRow part of its dataset."""
    import pyoxigraph as ox

    from kg.importers.twinning_graph import convert_sources

    resolver = Resolver(CommuneIndex.from_cog(HERE / "cog"), Curation({}))
    rows = {
        "twinnings-wikipedia": (twinnings_wikipedia.read_rows(HERE / "wikipedia")[0], "a"),
        "twinnings-wikidata": (twinnings_wikidata.read_rows(HERE / "wikidata")[0], "b"),
    }
    store = ox.Store(str(tmp_path / "store"))
    for conversion in convert_sources(rows, resolver):
        store.load(conversion.data, ox.RdfFormat.N_TRIPLES)
    query = """
        PREFIX kgc: <https://w3id.org/kgci/def/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?file ?line ?dataset WHERE {
          ?agreement kgc:party <https://w3id.org/kgci/id/collectivity/villars-42330> ;
                     prov:wasDerivedFrom ?row .
          ?row a kgc:SourceRow ; kgc:sourceFile ?file ; kgc:rowNumber ?line ;
               dcterms:isPartOf ?dataset .
        } ORDER BY ?file ?line"""
    found = [
        (s["file"].value, int(s["line"].value), s["dataset"].value.rsplit("/", 1)[1])
        for s in store.query(query)  # type: ignore[union-attr]
    ]
    wikidata = [(f, n) for f, n, d in found if d == "twinnings-wikidata"]
    assert [(f, n) for f, n, d in found if d == "twinnings-wikipedia"] == [
        ("twin_cities_raw.csv", 3)
    ]
    assert sorted(f for f, _ in wikidata) == ["france.tsv", "germany.tsv"]
    for file, line in wikidata:  # the row really is the Villars-Halberstadt row of that file
        text = (HERE / "wikidata" / file).read_text(encoding="utf-8").splitlines()[line - 1]
        assert "Villars" in text and "Halberstadt" in text


def test_a_foreign_town_gets_one_iri() -> None:
    """Wikipedia's Caen-Alexandria row (geocoded in Egypt) leaves the US Alexandria ambiguous while
    Wikidata's row places it (GeoNames 4744091): one entity, not ``alexandria-us`` beside
    ``alexandria-us-4744091``, and the merge is reported."""
    folder = HERE.parent / "identity"
    resolver = Resolver(CommuneIndex.from_cog(folder / "cog"), Curation({}))
    found = []
    for source, reader, path in (
        ("twinnings-wikipedia", twinnings_wikipedia, folder / "wikipedia"),
        ("twinnings-wikidata", twinnings_wikidata, folder / "wikidata"),
    ):
        found.extend(statements(source, reader.read_rows(path)[0], resolver)[0])
    result = merge(found)
    parties = {p.iri.rsplit("/", 1)[1] for a in result.agreements.values() for p in a.parties}
    alexandrias = {p for p in parties if p.startswith("alexandria-us")}
    assert alexandrias == {"alexandria-us-4744091"}, parties
    assert {p for p in parties if p.startswith("ashford-gb")} == {"ashford-gb-2656955"}, parties
    assert any(c.kind == "identity-merged" for c in result.conflicts)


def test_an_ambiguous_name_never_outranks_a_resolved_homonym() -> None:
    """Wikipedia's "Cormeilles" left ambiguous against Wikidata's Cormeilles 27170 (Düren): the
    resolved homonym is kept for both rows."""
    from kg.importers.merge import Statement, settle_homonyms
    from kg.importers.reconcile import AMBIGUOUS, MATCHED, Match
    from kg.importers.twinnings import Resolved, Side

    base = "https://w3id.org/kgci/id/collectivity/"
    duren = Resolved(base + "duren-de", "Düren", "Düren", "DE", False, Match(MATCHED, "x", 1.0))
    vague = Resolved(
        base + "cormeilles-fr",
        "Cormeilles",
        "Cormeilles",
        "FR",
        True,
        Match(AMBIGUOUS, "cog-exact", 0.5),
    )
    found = Resolved(
        base + "cormeilles-27170",
        "Cormeilles",
        "Cormeilles",
        "FR",
        True,
        Match(MATCHED, "cog-homonym-source-population", 0.85, "27170"),
    )
    sides = (Side("Cormeilles", "France"), Side("Düren", "Germany"))
    settled, conflicts = settle_homonyms(
        [
            Statement("twinnings-wikipedia", 2, vague, duren, *sides),
            Statement("twinnings-wikidata", 2, found, duren, *sides),
        ]
    )
    assert {st.first.iri for st in settled} == {base + "cormeilles-27170"}
    assert "kept cormeilles-27170" in conflicts[0].detail
