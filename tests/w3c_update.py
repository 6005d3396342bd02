"""Helpers of the W3C write suites (Graph Store Protocol, SPARQL Update evaluation).

Their data are FOAF and ``http://example.org/`` triples that the project's shapes rightly reject (a
foaf:Person needs labels in two languages and one foaf:name): these suites test the protocols'
semantics, so their servers run with the project's ontology and an empty shapes file. Writes still
take the whole ``kg load`` path (reader, literal checks, validation, load record, one transaction);
``tests/test_graph_store.py`` and ``tests/test_endpoint_update.py`` test it with the real shapes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.settings import PROJECT_ROOT

NO_SHAPES = "# No shapes: the W3C suites test protocol semantics, not the project's data model.\n"


def conformance_ontology(tmp: Path) -> Path:
    """A copy of the project's ontology directory whose shapes file holds no shape."""
    target = tmp / "ontology"
    shutil.copytree(PROJECT_ROOT / "ontology", target, ignore=shutil.ignore_patterns("docs"))
    (target / "shapes.ttl").write_text(NO_SHAPES, encoding="utf-8")
    return target
