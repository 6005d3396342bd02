"""The graphs pySHACL reads (kg.validation.ReadStore): same reports as plain rdflib graphs, and a
length pySHACL can ask for as often as it likes without scanning the data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.memory import SimpleMemory

from ingest_helpers import synthetic
from kg.settings import Settings
from kg.validation import ReadStore, ValidationReport, validate_quads
from kg.validation import speed as validation

ID = "https://w3id.org/kgci/id/"


@pytest.fixture(autouse=True)
def _reference_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about pySHACL's graphs: the reference engine, not the fast path."""
    monkeypatch.setenv("KG_VALIDATOR", "pyshacl")


@pytest.fixture(scope="module")
def quads(tmp_path_factory: pytest.TempPathFactory) -> list[ox.Quad]:
    path: Path = synthetic().generate(1_200, tmp_path_factory.mktemp("g") / "s.nq", seed=5)
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def _broken(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Several kinds of violations: missing English labels, an unknown concept, a lone party."""
    agreements = sorted({q.subject.value for q in quads if "/agreement/" in q.subject.value})
    out = []
    parties_dropped: set[str] = set()
    for q in quads:
        subject, predicate = q.subject.value, q.predicate.value
        if subject in agreements[:3] and predicate.endswith("#label") and "@en" in str(q.object):
            continue
        if subject in agreements[3:5] and predicate.endswith("/party"):
            if subject in parties_dropped:
                continue
            parties_dropped.add(subject)
        if subject == agreements[5] and predicate.endswith("/sector"):
            q = ox.Quad(
                q.subject, q.predicate, ox.NamedNode("https://w3id.org/kgci/vocab/sector/nope")
            )
        out.append(q)
    return out


def _validate(quads: list[ox.Quad], tmp_path: Path) -> ValidationReport:
    settings = Settings(store=None, quarantine_dir=tmp_path / "q")
    return validate_quads(settings, quads, [], {q.subject.value for q in quads})


def test_reports_are_the_same_as_over_plain_rdflib_graphs(
    quads: list[ox.Quad], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = _broken(quads)
    fast = _validate(broken, tmp_path)
    monkeypatch.setattr(validation, "FAST_GRAPHS", False)
    plain = _validate(broken, tmp_path)
    assert not plain.conforms
    assert any(r.path.endswith("#label") for r in plain.rows)
    assert any(r.path.endswith("/party") for r in plain.rows)
    assert any(r.value.endswith("/sector/nope") for r in plain.rows)
    assert fast.rows == plain.rows
    assert isomorphic(Graph().parse(data=fast.turtle), Graph().parse(data=plain.turtle))


def test_read_store_counts_distinct_triples_without_scanning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    graph = Graph(store=ReadStore())
    triples = [
        (URIRef(f"{ID}x/{i % 7}"), URIRef("http://e/p"), URIRef(f"{ID}y/{i}")) for i in range(50)
    ]
    for t in triples + triples[:10]:
        graph.add(t)
    graph.remove((URIRef(f"{ID}x/0"), None, None))

    def no_scan(*args: Any, **kwargs: Any) -> Iterator[Any]:
        raise AssertionError("len() scanned the graph")

    expected = sum(1 for t in triples if t[0] != URIRef(f"{ID}x/0"))
    monkeypatch.setattr(ReadStore, "triples", no_scan)
    assert len(graph) == expected and bool(graph)


def _scans_while_measured(
    quads: list[ox.Quad], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, int]:
    """(len() calls on the data graph, full scans of it made inside those calls) during pySHACL."""
    counts = {"len": 0, "scans": 0, "in_len": 0, "in_pyshacl": 0}
    triples, length, run = ReadStore.triples, ReadStore.__len__, pyshacl.validate

    def counting_triples(self: ReadStore, pattern: Any, context: Any = None) -> Any:
        if counts["in_len"] and counts["in_pyshacl"] and pattern == (None, None, None):
            counts["scans"] += 1
        return triples(self, pattern, context)

    def counting_len(self: ReadStore, context: Any = None) -> int:
        counts["len"] += counts["in_pyshacl"]
        counts["in_len"] += 1
        try:
            return length(self, context)
        finally:
            counts["in_len"] -= 1

    def counting_validate(data: Graph, *args: Any, **kwargs: Any) -> Any:
        counts["in_pyshacl"] = 1 if isinstance(data.store, ReadStore) else 0
        try:
            return run(data, *args, **kwargs)
        finally:
            counts["in_pyshacl"] = 0

    monkeypatch.setattr(ReadStore, "triples", counting_triples)
    monkeypatch.setattr(ReadStore, "__len__", counting_len)
    monkeypatch.setattr(pyshacl, "validate", counting_validate)
    _validate(quads[:400], tmp_path)
    return counts["len"], counts["scans"]


def test_pyshacl_measures_the_data_graph_without_scanning_it(
    quads: list[ox.Quad], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lens, scans = _scans_while_measured(quads, tmp_path, monkeypatch)
    # pySHACL evaluates `datagraph or shapes_graph` once per result it builds
    assert lens > 10
    assert scans == 0


def test_the_scan_check_can_fail(
    quads: list[ox.Quad], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SimpleMemory's own __len__ counts by iterating over every triple
    monkeypatch.setattr(ReadStore, "__len__", SimpleMemory.__len__)
    lens, scans = _scans_while_measured(quads, tmp_path, monkeypatch)
    assert scans == lens > 10
