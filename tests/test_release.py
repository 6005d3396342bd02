"""`kg export` release metadata: version bumped from the previous release, per-graph counts equal to
the store's, checksums of the files written, and a changelog of what changed since."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox

from cli_helpers import run_kg
from kg.store import open_store
from kg.store.default_graph import merged

EX = "https://example.org/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _add(store_path: Path, graph: str, subjects: range) -> None:
    """Instances of Thing in ``graph``, and in the default graph (the merge), as every write keeps it."""
    store = open_store(store_path)
    store.extend(
        merged(
            ox.Quad(
                ox.NamedNode(f"{EX}s{i}"),
                RDF_TYPE,
                ox.NamedNode(EX + "Thing"),
                ox.NamedNode(EX + graph),
            )
            for i in subjects
        )
    )
    store.flush()
    del store


def _export(tmp_path: Path) -> dict[str, object]:
    env = {"KG_STORE": str(tmp_path / "store"), "KG_DUMPS_DIR": str(tmp_path / "dumps")}
    result = run_kg("export", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((tmp_path / "dumps" / "release.json").read_text("utf-8"))  # type: ignore[no-any-return]


def test_release_metadata_and_changelog(tmp_path: Path) -> None:
    _add(tmp_path / "store", "g1", range(3))
    first = _export(tmp_path)
    assert first["dataset_version"] == 1 and first["graphs"] == {EX + "g1": 3}
    assert first["classes"] == {EX + "Thing": 3}
    for name, digest in first["checksums"].items():  # type: ignore[attr-defined]
        assert hashlib.sha256((tmp_path / "dumps" / name).read_bytes()).hexdigest() == digest
    _add(tmp_path / "store", "g2", range(3, 5))
    second = _export(tmp_path)
    assert second["dataset_version"] == 2
    changelog = second["changelog"]
    assert changelog == {  # type: ignore[comparison-overlap]
        "previous_version": 1,
        "classes": {EX + "Thing": {"previous": 3, "current": 5, "change": 2}},
        "graphs": {EX + "g2": {"previous": 0, "current": 2, "change": 2}},
    }
