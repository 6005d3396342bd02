"""The one importer table (kg.importers.registry) feeds the source names, the twinning sources, the
reference layout, the datasets, the fetch manifest and the CLI's choices."""

from __future__ import annotations

from cli_helpers import run_kg
from kg.fetch.manifest import load_manifest
from kg.importers import pipeline
from kg.importers.registry import IMPORTERS
from kg.settings import PROJECT_ROOT


def test_every_list_of_sources_is_derived_from_the_table() -> None:
    names = [i.name for i in IMPORTERS]
    assert list(pipeline.SOURCE_NAMES) == names
    assert list(pipeline.TWINNING_SOURCES) == [i.name for i in IMPORTERS if i.twinning]
    assert all(pipeline.SHARED_LAYOUT[i.name] == i.folder for i in IMPORTERS)
    folders = {s.folder for s in load_manifest().values()}
    for importer in IMPORTERS:
        assert (importer.convert is None) == importer.twinning, importer.name
        assert importer.dataset.graph.endswith(f"/graph/import/{importer.name}")
        assert importer.folder.split("/")[0] in folders, importer.name


def test_the_cli_offers_the_table_and_all() -> None:
    proc = run_kg("import", "nope", cwd=PROJECT_ROOT, timeout=60)
    assert proc.returncode != 0
    for name in (*(i.name for i in IMPORTERS), "all"):
        assert f"'{name}'" in proc.stderr, proc.stderr
