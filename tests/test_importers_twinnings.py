"""Twinning importers: reading both source formats, reconciliation outcomes kept as entities, one
agreement per pair across sources and directions, curation decisions, and the real files."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from importers_helpers import COG, ID, KGC, national_reference, objects, store_of, write_csv
from kg.errors import InputError
from kg.importers import twinnings_wikidata, twinnings_wikipedia
from kg.importers.conversion import Conversion
from kg.importers.curation import Curation
from kg.importers.datasets import sha256_of
from kg.importers.merge import agreement_iri
from kg.importers.pipeline import SHARED_LAYOUT
from kg.importers.reconcile.communes import CommuneIndex
from kg.importers.twinning_graph import convert_sources
from kg.importers.twinnings import Resolver
from kg.settings import PROJECT_ROOT

PROV = "http://www.w3.org/ns/prov#wasDerivedFrom"
WIKIDATA_HEADER = [
    "origincityLabel",
    "origincountry",
    "originlat",
    "originlong",
    "originpopulation",
    "sistercityLabel",
    "destinationlat",
    "destinationlong",
    "destinationpopulation",
    "destination_countryLabel",
    "dist",
    "eu",
]
DIJON = ID + "collectivity/dijon-21231"
MAINZ = ID + "collectivity/mainz-de"


@pytest.fixture(scope="module")
def communes() -> CommuneIndex:
    return CommuneIndex.from_cog(COG)


def _resolver(communes: CommuneIndex, curation: Path | None = None) -> Resolver:
    return Resolver(communes, Curation.read(curation))


def _excerpts(tmp_path: Path) -> tuple[Path, Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    wikipedia = write_csv(
        tmp_path / "twin_cities_geocoded.csv",
        ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"],
        [
            ["Dijon", "France", "47.3167", "5.0167", "Mainz", "Germany", "50.0", "8.2711"],
            ["Saint-Denis", "France", "", "", "Zzyzxville", "Germany", "", ""],
            ["Berat", "Albania", "40.7022", "19.9583", "Bérat", "France", "43.3786", "1.1767"],
            ["Amasya", "Turkey", "40.65", "35.83", "Berat", "Albania", "40.70", "19.95"],
        ],
    )
    wikidata = write_csv(
        tmp_path / "germany.tsv",
        WIKIDATA_HEADER,
        [
            [
                "Mainz",
                "Germany",
                "50.0",
                "8.27",
                "",
                "Dijon",
                "47.32",
                "5.03",
                "",
                "France",
                "400",
                "EU",
            ],
            [
                "Dunkirk",
                "France",
                "51.03",
                "2.37",
                "",
                "Middelkerke",
                "51.18",
                "2.82",
                "",
                "Belgium",
                "35",
                "EU",
            ],
        ],
        delimiter="\t",
    )
    return wikipedia, wikidata


def _convert(
    tmp_path: Path, communes: CommuneIndex, curation: Path | None = None
) -> dict[str, Conversion]:
    wikipedia, wikidata = _excerpts(tmp_path)
    rows_wp, files_wp = twinnings_wikipedia.read_rows(wikipedia)
    rows_wd, files_wd = twinnings_wikidata.read_rows(wikidata)
    conversions = convert_sources(
        {
            "twinnings-wikipedia": (rows_wp, sha256_of(files_wp)),
            "twinnings-wikidata": (rows_wd, sha256_of(files_wd)),
        },
        _resolver(communes, curation),
    )
    return {c.source.name: c for c in conversions}


def test_one_agreement_per_pair_attributed_to_every_source(
    tmp_path: Path, communes: CommuneIndex
) -> None:
    converted = _convert(tmp_path, communes)
    agreement = agreement_iri(DIJON, MAINZ)
    assert agreement == agreement_iri(MAINZ, DIJON)
    for source, conversion in converted.items():
        store = store_of(conversion.data)
        assert objects(store, agreement, KGC + "party") == {DIJON, MAINZ}
        derived = objects(store, agreement, PROV)
        # the dataset, and the row(s) of that source's files that state the pair
        assert f"{ID}dataset/{source}" in derived and len(derived) >= 2
        assert all(
            d.startswith(f"{ID}source-row/{source}/") for d in derived - {f"{ID}dataset/{source}"}
        )
        assert objects(store, agreement, KGC + "agreementType") == {
            "https://w3id.org/kgci/vocab/agreement-type/twinning"
        }
    # a pair of two foreign towns is not imported
    assert converted["twinnings-wikipedia"].counts["rows-skipped-not-france"] == 1
    assert converted["twinnings-wikipedia"].counts["agreements"] == 3


def test_unsettled_names_are_kept_and_flagged(tmp_path: Path, communes: CommuneIndex) -> None:
    store = store_of(_convert(tmp_path, communes)["twinnings-wikipedia"].data)
    ambiguous = ID + "collectivity/saint-denis-fr"
    assert objects(store, ambiguous, KGC + "curationStatus") == {
        "https://w3id.org/kgci/vocab/curation-status/ambiguous"
    }
    assert ID + "collectivity/saint-denis-93066" in objects(
        store, ambiguous, "http://www.w3.org/2000/01/rdf-schema#seeAlso"
    )
    unknown = ID + "collectivity/zzyzxville-de"
    assert objects(store, unknown, KGC + "curationStatus") == {
        "https://w3id.org/kgci/vocab/curation-status/unmatched"
    }
    assert objects(store, unknown, KGC + "country") == {ID + "country/de"}
    assert not objects(store, unknown, "http://www.w3.org/2002/07/owl#sameAs")
    berat = ID + "collectivity/berat-al"
    assert objects(store, berat, "http://www.w3.org/2002/07/owl#sameAs") == {
        "https://sws.geonames.org/3186084/"
    }
    assert objects(store, agreement_iri(berat, ID + "collectivity/berat-31065"), KGC + "party")


def test_curation_decisions_are_applied(tmp_path: Path, communes: CommuneIndex) -> None:
    plain = store_of(_convert(tmp_path / "a", communes)["twinnings-wikidata"].data)
    assert objects(plain, ID + "collectivity/dunkirk-fr", KGC + "curationStatus")
    curated = store_of(
        _convert(tmp_path / "b", communes, PROJECT_ROOT / "data" / "curation.csv")[
            "twinnings-wikidata"
        ].data
    )
    middelkerke = ID + "collectivity/middelkerke-be"
    assert objects(
        curated, agreement_iri(ID + "collectivity/dunkerque-59183", middelkerke), KGC + "party"
    )
    assert not objects(curated, ID + "collectivity/dunkirk-fr", KGC + "curationStatus")


def test_bad_curation_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "curation.csv"
    path.write_text(
        "# decisions\nkind,name,country,target,note\nfrench-commune,Dijon,FR,21231,no prefix\n"
    )
    with pytest.raises(InputError, match=r"curation\.csv line 3: target must be"):
        Curation.read(path)


def test_bad_source_files_are_clear_errors(tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "pairs.csv", ["city1", "country1", "town2"], [["a", "b", "c"]])
    with pytest.raises(InputError, match=r"pairs\.csv line 1: missing column\(s\) city2, country2"):
        twinnings_wikipedia.read_rows(bad)
    empty = write_csv(
        tmp_path / "x.tsv", WIKIDATA_HEADER, [["", "France"] + [""] * 10], delimiter="\t"
    )
    with pytest.raises(InputError, match=r"x\.tsv line 2: a city label is empty"):
        twinnings_wikidata.read_rows(empty)
    with pytest.raises(InputError, match="does not exist"):
        twinnings_wikidata.read_rows(tmp_path / "nowhere")


@pytest.fixture(scope="module")
def national() -> dict[str, Conversion]:
    full = national_reference()
    communes = CommuneIndex.from_cog(full / SHARED_LAYOUT["cog"])
    rows_wp, files_wp = twinnings_wikipedia.read_rows(full / SHARED_LAYOUT["twinnings-wikipedia"])
    rows_wd, files_wd = twinnings_wikidata.read_rows(full / SHARED_LAYOUT["twinnings-wikidata"])
    conversions = convert_sources(
        {
            "twinnings-wikipedia": (rows_wp, sha256_of(files_wp)),
            "twinnings-wikidata": (rows_wd, sha256_of(files_wd)),
        },
        _resolver(communes, PROJECT_ROOT / "data" / "curation.csv"),
    )
    return {c.source.name: c for c in conversions}


def test_real_files_counts(national: dict[str, Conversion]) -> None:
    wikipedia, wikidata = (
        national["twinnings-wikipedia"].counts,
        national["twinnings-wikidata"].counts,
    )
    for counts, rows in ((wikipedia, 26114), (wikidata, 24926)):
        handled = counts["rows-with-france"] + counts["rows-skipped-not-france"]
        assert handled + counts["rows-unknown-country"] == rows
    assert wikipedia == {
        "rows-with-france": 3859,
        "rows-skipped-not-france": 22255,
        "rows-unknown-country": 0,
        "agreements": 3516,
        "names-matched": 4618,
        "names-ambiguous": 44,
        "names-unmatched": 408,
        "entities-described": 3213,
        "countries": 95,
        "geometries": 8867,
    }
    assert wikidata == {
        "rows-with-france": 6723,
        "rows-skipped-not-france": 18202,
        "rows-unknown-country": 1,
        "agreements": 3805,
        "names-matched": 4729,
        "names-ambiguous": 15,
        "names-unmatched": 405,
        "entities-described": 3430,
        "countries": 107,
        "geometries": 9662,
    }


def test_real_files_known_twinning_from_both_sources(national: dict[str, Conversion]) -> None:
    agreement = agreement_iri(DIJON, MAINZ)
    for source, conversion in national.items():
        store = store_of(conversion.data)
        assert objects(store, agreement, KGC + "party") == {DIJON, MAINZ}, source
        derived = objects(store, agreement, PROV)
        # the dataset, and the row(s) of that source's files that state the pair
        assert f"{ID}dataset/{source}" in derived and len(derived) >= 2
        assert all(
            d.startswith(f"{ID}source-row/{source}/") for d in derived - {f"{ID}dataset/{source}"}
        )


def test_real_files_union_and_overlap(national: dict[str, Conversion]) -> None:
    twinning = ox.NamedNode(KGC + "agreementType")
    found = {
        source: {q.subject.value for q in store_of(c.data).quads_for_pattern(None, twinning, None)}
        for source, c in national.items()
    }
    both = found["twinnings-wikipedia"] & found["twinnings-wikidata"]
    union = found["twinnings-wikipedia"] | found["twinnings-wikidata"]
    assert (len(both), len(union)) == (1893, 5428)


def test_agreement_already_in_the_store_is_reused(tmp_path: Path, communes: CommuneIndex) -> None:
    wikipedia, _ = _excerpts(tmp_path)
    rows, files = twinnings_wikipedia.read_rows(wikipedia)
    seed_agreement = ID + "agreement/dijon-mainz-1958"
    existing = {frozenset((DIJON, MAINZ)): seed_agreement}
    (conversion,) = convert_sources(
        {"twinnings-wikipedia": (rows, sha256_of(files))}, _resolver(communes), existing
    )
    store = store_of(conversion.data)
    derived = objects(store, seed_agreement, PROV) - {ID + "dataset/twinnings-wikipedia"}
    assert derived and all(d.startswith(ID + "source-row/twinnings-wikipedia/") for d in derived)
    assert not objects(store, seed_agreement, "http://www.w3.org/2000/01/rdf-schema#label")
    assert not objects(store, agreement_iri(DIJON, MAINZ), KGC + "party")


def test_disagreeing_sources_are_reported(tmp_path: Path, communes: CommuneIndex) -> None:
    wikipedia = write_csv(
        tmp_path / "pairs.csv",
        ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"],
        [["Allonnes", "France", "47.9693", "0.1579", "Delmenhorst", "Germany", "53.05", "8.63"]],
    )
    wikidata = write_csv(
        tmp_path / "x.tsv",
        WIKIDATA_HEADER,
        [
            [
                "Allonnes",
                "France",
                "47.35",
                "-0.03",
                "",
                "Delmenhorst",
                "53.05",
                "8.63",
                "",
                "Germany",
                "",
                "",
            ]
        ],
        delimiter="\t",
    )
    rows_wp, _ = twinnings_wikipedia.read_rows(wikipedia)
    rows_wd, _ = twinnings_wikidata.read_rows(wikidata)
    conversions = convert_sources(
        {"twinnings-wikipedia": (rows_wp, "a"), "twinnings-wikidata": (rows_wd, "b")},
        _resolver(communes),
    )
    # Sarthe by Wikipedia's geocoded point, Maine-et-Loire by Wikidata's own: reported, and the
    # Wikidata (better-evidenced) homonym kept for both rows
    reported = [c for c in conversions[0].conflicts if c.kind == "homonym-sources-disagree"]
    assert len(reported) == 1 and "kept allonnes-49002" in reported[0].detail, reported
    assert "allonnes-72003" in reported[0].detail
