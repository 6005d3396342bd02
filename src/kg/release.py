"""Release metadata written next to the dumps by ``kg export``: dataset version and date, triples per
graph, checksums, and a data changelog (instances per class, triples per graph) against the previous
release found in the same folder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg.queries import QueryLibrary
from kg.web.lod.dumps import DumpFile

RELEASE_FILE = "release.json"


def previous_release(out: Path) -> dict[str, Any] | None:
    """The release metadata already in ``out`` (read before a new export replaces it), if any."""
    path = out / RELEASE_FILE
    return json.loads(path.read_text("utf-8")) if path.is_file() else None


def class_counts(store: ox.Store, queries: QueryLibrary) -> dict[str, int]:
    """Distinct instances per class in the dataset (the default graph, the merge of the data graphs),
    by the query the home page and VoID use."""
    return {
        row["class"].value: int(row["n"].value) for row in queries.run(store, "lod-class-counts")
    }


def changes(previous: dict[str, int], current: dict[str, int]) -> dict[str, dict[str, int]]:
    """Keys whose count differs: previous, current and the difference."""
    return {
        key: {
            "previous": previous.get(key, 0),
            "current": current.get(key, 0),
            "change": current.get(key, 0) - previous.get(key, 0),
        }
        for key in sorted(previous.keys() | current.keys())
        if previous.get(key, 0) != current.get(key, 0)
    }


def write_release(
    store: ox.Store,
    queries: QueryLibrary,
    files: Sequence[DumpFile],
    out: Path,
    previous: dict[str, Any] | None,
) -> Path:
    """Write ``release.json`` into ``out``: the dataset version is the previous one plus one."""
    graphs = {f.graph: f.triples or 0 for f in files if f.graph}
    classes = class_counts(store, queries)
    release = {
        "dataset_version": (previous or {}).get("dataset_version", 0) + 1,
        "date": datetime.now(UTC).date().isoformat(),
        "software_version": __version__,
        "graphs": graphs,
        "classes": classes,
        "checksums": {f.name: f.sha256 for f in files},
        "changelog": {
            "previous_version": (previous or {}).get("dataset_version"),
            "classes": changes((previous or {}).get("classes", {}), classes),
            "graphs": changes((previous or {}).get("graphs", {}), graphs),
        },
    }
    path = out / RELEASE_FILE
    path.write_text(json.dumps(release, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path
