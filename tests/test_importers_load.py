"""Imports through the validated, atomic, provenance-recording load (real on-disk stores), and the
`kg import` command with its report."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from cli_helpers import run_kg
from importers_helpers import (
    COG,
    IATI,
    ID,
    KGC,
    SIREN,
    WIKIDATA,
    WIKIPEDIA,
    write_cog_excerpt,
    write_csv,
)
from kg.errors import InputError, ValidationFailed
from kg.importers import pipeline
from kg.importers.conversion import Conversion
from kg.importers.datasets import SOURCES
from kg.settings import PROJECT_ROOT, Settings
from kg.sources import graph_for_path
from kg.store import open_store
from kg.store.default_graph import rebuild as rebuild_default_graph

GRAPH = "https://w3id.org/kgci/graph/"


def _ontology_store(path: Path) -> ox.Store:
    """An on-disk store holding the ontology, shapes and vocabularies (what imports refer to)."""
    store = open_store(path)
    for file in sorted((PROJECT_ROOT / "ontology").rglob("*.ttl")):
        graph = ox.NamedNode(graph_for_path(file, PROJECT_ROOT))
        store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE, to_graph=graph)
    rebuild_default_graph(store)
    store.flush()
    return store


def _twinning_excerpt(folder: Path) -> Path:
    """Real Wikipedia rows naming Belfort (Territoire de Belfort), in the source's format."""
    folder.mkdir(parents=True, exist_ok=True)
    with (WIKIPEDIA / "twin_cities_raw.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle)][1:]
    kept = [r for r in rows if "Belfort" in {r[0], r[2]}]
    return write_csv(
        folder / "twin_cities_raw.csv", ["city1", "country1", "city2", "country2"], kept
    )


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[ox.Store, Settings, pipeline.ImportOptions]:
    settings = Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "quarantine")
    store = _ontology_store(tmp_path / "store")
    excerpt = write_cog_excerpt(tmp_path / "cog", {"90", "2A"})
    options = pipeline.ImportOptions(excerpt, SIREN, PROJECT_ROOT / "data" / "curation.csv")
    pipeline.import_source(store, settings, "cog", excerpt, options, progress=False)
    return store, settings, options


def _graph_size(store: ox.Store, name: str) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH + name)))


def test_validated_load_with_provenance(
    loaded: tuple[ox.Store, Settings, pipeline.ImportOptions], tmp_path: Path
) -> None:
    store, settings, options = loaded
    cog_size = _graph_size(store, "import/cog")
    assert cog_size > 1000
    conversions, report = pipeline.import_source(
        store,
        settings,
        "twinnings-wikipedia",
        _twinning_excerpt(tmp_path / "wp"),
        options,
        progress=False,
    )
    assert report.validation.conforms
    assert _graph_size(store, "import/twinnings-wikipedia") == conversions[0].triples
    # Stafford <-> Belfort is listed in both directions: one agreement
    belfort_stafford = ox.NamedNode(ID + "agreement/twinning-belfort-90010-stafford-gb")
    parties = list(store.quads_for_pattern(belfort_stafford, ox.NamedNode(KGC + "party"), None))
    assert {q.object.value for q in parties} == {
        ID + "collectivity/belfort-90010",
        ID + "collectivity/stafford-gb",
    }
    assert conversions[0].counts["agreements"] == 4
    provenance = {
        q.object.value
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH + "provenance"))
    }
    assert conversions[0].sha256 in provenance
    assert SOURCES["twinnings-wikipedia"].licence in provenance
    # importing again replaces the graph instead of adding to it
    pipeline.import_source(store, settings, "cog", options.cog_dir, options, progress=False)
    assert _graph_size(store, "import/cog") == cog_size


def test_invalid_import_leaves_the_store_unchanged(
    loaded: tuple[ox.Store, Settings, pipeline.ImportOptions],
) -> None:
    store, settings, _ = loaded
    before = len(store)
    lonely = (
        f"<{ID}agreement/twinning-x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KGC}Agreement> .\n"
        f"<{ID}agreement/twinning-x> <{KGC}party> <{ID}collectivity/belfort-90010> .\n"
    ).encode()
    bad = Conversion(SOURCES["twinnings-wikidata"], lonely, 2, "0" * 64)
    with pytest.raises(ValidationFailed):
        pipeline.load(store, settings, [bad], progress=False)
    assert len(store) == before


def test_cli_import_with_report(tmp_path: Path) -> None:
    store = _ontology_store(tmp_path / "store")
    del store
    excerpt = write_cog_excerpt(tmp_path / "cog", {"90", "2A"})
    result = run_kg(
        "import",
        "cog",
        excerpt,
        "--siren",
        SIREN,
        "--report",
        tmp_path / "report",
        "--no-progress",
        env={"KG_STORE": str(tmp_path / "store"), "KG_QUARANTINE_DIR": str(tmp_path / "q")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "import summary" in result.stdout
    summary = json.loads((tmp_path / "report" / "summary.json").read_text())
    communes = sum(
        1
        for c in json.loads((excerpt / "communes.json").read_text())
        if c["type"] == "commune-actuelle"
    )
    assert summary["cog"]["counts"]["communes"] == communes
    # At 80 columns the counts are whole words, one (source, count, value) row each.
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert re.search(rf"│\s*communes\s+{communes}\s*│", result.stdout), result.stdout
    assert (tmp_path / "report" / "curation-cases.csv").read_text().startswith("source,kind,name")


def test_twinnings_need_the_cog_first(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "q")
    store = _ontology_store(tmp_path / "store")
    options = pipeline.ImportOptions(COG, SIREN, None)
    with pytest.raises(InputError, match="run `kg import cog` first"):
        pipeline.import_source(
            store, settings, "twinnings-wikipedia", WIKIPEDIA, options, progress=False
        )


def test_cli_unknown_path_is_one_clear_error(tmp_path: Path) -> None:
    result = run_kg(
        "import",
        "cog",
        tmp_path / "nowhere",
        "--no-progress",
        env={"KG_STORE": str(tmp_path / "store")},
    )
    assert result.returncode != 0
    assert "does not exist" in result.stderr + result.stdout


def test_full_build_on_a_slice(tmp_path: Path) -> None:
    """`kg import all` on a shared folder holding slices of every source: seeds and imports validated
    together, swapped in place of the previous store, with a build stamp."""
    shared = tmp_path / "shared"
    write_cog_excerpt(shared / pipeline.SHARED_LAYOUT["cog"], {"90", "21"})
    shutil.copytree(SIREN, shared / pipeline.SHARED_LAYOUT["siren"])
    shutil.copytree(IATI, shared / pipeline.SHARED_LAYOUT["iati-codes"])
    _twinning_excerpt(shared / pipeline.SHARED_LAYOUT["twinnings-wikipedia"])
    wikidata = shared / pipeline.SHARED_LAYOUT["twinnings-wikidata"]
    wikidata.mkdir(parents=True)
    with (WIKIDATA / "france.tsv").open(encoding="utf-8") as handle:
        lines = handle.readlines()
    (wikidata / "france.tsv").write_text(
        lines[0] + "".join(line for line in lines if line.startswith(("Belfort\t", "Dijon\t"))),
        encoding="utf-8",
    )
    settings = Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "q")
    open_store(settings.store)  # a previous store, replaced at the end
    options = pipeline.ImportOptions.from_shared(shared, PROJECT_ROOT / "data" / "curation.csv")
    conversions, reports = pipeline.build_full(settings, shared, options, progress=False)
    assert [c.source.name for c in conversions] == [
        "cog",
        "iati-codes",
        "twinnings-wikipedia",
        "twinnings-wikidata",
    ]
    store = open_store(settings.store, read_only=True)
    assert len(store) >= sum(r.triples for r in reports)
    for name in ("import/cog", "import/iati-codes", "import/twinnings-wikidata", "ontology"):
        assert _graph_size(store, name) > 0, name
    mainz = ox.NamedNode(ID + "agreement/twinning-dijon-21231-mainz-de")
    assert list(store.quads_for_pattern(mainz, ox.NamedNode(KGC + "party"), None))
    stamp = json.loads((tmp_path / "store.build.json").read_text())
    assert set(stamp["imports"]) == {c.source.name for c in conversions}
    assert not list(tmp_path.glob(".store.*"))
