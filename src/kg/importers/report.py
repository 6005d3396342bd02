"""The ``--report`` folder of an import: counts as JSON, the cases to curate and the conflicts as CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path

from kg.importers.conversion import Conflict, Conversion, CurationCase


def status_counts(conversion: Conversion) -> dict[str, int]:
    """Matched / ambiguous / unmatched names of a conversion (empty for sources without names)."""
    return {
        key.removeprefix("names-"): value
        for key, value in conversion.counts.items()
        if key.startswith("names-")
    }


def write_report(folder: Path, conversions: Sequence[Conversion]) -> list[Path]:
    """Write ``summary.json``, ``curation-cases.csv`` and ``conflicts.csv``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    summary = {
        c.source.name: {
            "triples": c.triples,
            "sha256": c.sha256,
            "counts": c.counts,
            "reconciliation": status_counts(c),
            "cases_to_curate": len(c.cases),
            "conflicts": len(c.conflicts),
        }
        for c in conversions
    }
    paths = [folder / "summary.json", folder / "curation-cases.csv", folder / "conflicts.csv"]
    paths[0].write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _csv(
        paths[1],
        [f.name for f in fields(CurationCase)],
        [asdict(x) for c in conversions for x in c.cases],
    )
    conflicts: list[Conflict] = list(dict.fromkeys(x for c in conversions for x in c.conflicts))
    _csv(paths[2], [f.name for f in fields(Conflict)], [asdict(x) for x in conflicts])
    return paths


def _csv(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
