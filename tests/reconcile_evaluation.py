"""Precision and recall of reconciliation on a hand-checked sample (``tests/fixtures/
reconciliation_sample.csv``: kind, name, country as the source writes it, optional coordinates, the
population the source states, where the coordinates come from (``wikidata``: the item's own;
``geocoded``: the Wikipedia list's geocoder; found by looking each row up in both sources), the
expected ``insee:<code>`` / ``geonames:<id>`` or ``none``, and the evidence a person checked)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from kg.importers.reconcile import MATCHED
from kg.importers.twinnings import Resolver, Side


@dataclass
class Evaluation:
    """Outcome on the sample; precision counts only the names the matcher claimed to match."""

    total: int = 0
    matched: int = 0
    correct: int = 0
    expected_matches: int = 0
    ambiguous: int = 0
    unmatched: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Correct matches over claimed matches."""
        return self.correct / self.matched if self.matched else 1.0

    @property
    def recall(self) -> float:
        """Correct matches over names that have a right answer."""
        return self.correct / self.expected_matches if self.expected_matches else 1.0


def evaluate(sample: Path, resolver: Resolver) -> Evaluation:
    """Reconcile every sample row and compare with its expected answer."""
    result = Evaluation()
    with sample.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            coordinates = None
            if row["latitude"] and row["longitude"]:
                coordinates = (float(row["latitude"]), float(row["longitude"]))
            geocoded = row.get("coordinates_from") == "geocoded"
            resolved = resolver.resolve(
                Side(
                    row["name"],
                    row["country"],
                    coordinates,
                    int(row["population"]) if row.get("population") else None,
                    geocoded,
                )
            )
            expected = row["expected"]
            result.total += 1
            result.expected_matches += expected != "none"
            if resolved.match.status != MATCHED:
                result.ambiguous += resolved.match.status == "ambiguous"
                result.unmatched += resolved.match.status == "unmatched"
                continue
            key = resolved.geonames_id if not resolved.french else resolved.match.key
            got = ("insee:" if resolved.french else "geonames:") + str(key)
            result.matched += 1
            if got == expected:
                result.correct += 1
            else:
                result.wrong.append(
                    f"{row['name']} ({row['country']}): got {got}, expected {expected}"
                )
    return result
