"""Shared pieces of the importer tests: where the reference excerpts (``tests/fixtures/reference``)
and the full national copies (``KG_REFERENCE_DIR``) are, and small excerpts written in the sources'
own formats."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.settings import PROJECT_ROOT

SHARED = PROJECT_ROOT / "tests" / "fixtures" / "reference"
COG = SHARED / "cog-etalab-decoupage-2026"
SIREN = SHARED / "siren-departements-regions"
WIKIPEDIA = SHARED / "twincities-wikipedia-hekman"
WIKIDATA = SHARED / "sistercities-wikidata-rogorido" / "by_origin_country"
IATI = SHARED / "iati-codelists"
KGC = "https://w3id.org/kgci/def/"
ID = "https://w3id.org/kgci/id/"


def national_reference() -> Path:
    """The full reference copies (``kg fetch`` writes them), or skip the test saying how to get them."""
    folder = Path(os.environ.get("KG_REFERENCE_DIR") or PROJECT_ROOT / "var" / "reference")
    if not (folder / "cog-etalab-decoupage-2026" / "communes.json").is_file():
        pytest.skip(f"national reference data not in {folder}: run `kg fetch` to test on it")
    return folder


def store_of(data: bytes) -> ox.Store:
    """An in-memory store holding N-Triples."""
    store = ox.Store()
    store.load(data, ox.RdfFormat.N_TRIPLES)
    return store


def objects(store: ox.Store, subject: str, predicate: str) -> set[str]:
    """Values of one property of one subject, as strings."""
    return {
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)
    }


def write_cog_excerpt(folder: Path, departements: set[str]) -> Path:
    """A COG folder holding the real records of a few départements (and their région, EPCI)."""
    folder.mkdir(parents=True, exist_ok=True)
    communes = [
        c
        for c in json.loads((COG / "communes.json").read_text())
        if c["departement"] in departements
    ]
    codes = {c["code"] for c in communes}
    deps = [
        d for d in json.loads((COG / "departements.json").read_text()) if d["code"] in departements
    ]
    regions = [
        r
        for r in json.loads((COG / "regions.json").read_text())
        if r["code"] in {d["region"] for d in deps}
    ]
    epci = [
        e
        for e in json.loads((COG / "epci.json").read_text())
        if {m["code"] for m in e["membres"]} <= codes
    ]
    for name, records in (
        ("communes", communes),
        ("departements", deps),
        ("regions", regions),
        ("epci", epci),
        ("ept", []),
    ):
        (folder / f"{name}.json").write_text(
            json.dumps(records, ensure_ascii=False), encoding="utf-8"
        )
    return folder


def write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    """Write a CSV or TSV file."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path
