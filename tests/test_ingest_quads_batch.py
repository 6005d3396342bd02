"""A batch of already-parsed quads (:meth:`Batch.from_quads`) loads exactly like the bytes batch of the
same content: same store content, same load record (digest and format included), same refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from ingest_helpers import AGREEMENT, COLLECTIVITIES, PROVENANCE, fixture_settings, load_files
from kg.errors import ValidationFailed
from kg.ingest import Batch, load_batches
from kg.ingest.rdfio import canonical_serialisation, sha256_hex
from kg.store import open_store

GRAPH = "https://w3id.org/kgci/graph/import/test"
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _content(store: ox.Store) -> list[str]:
    return sorted(str(q) for q in store if q.graph_name != ox.NamedNode(PROVENANCE))


def _record_shape(store: ox.Store) -> list[str]:
    """The provenance graph with each load's random IRI and its timestamps replaced by placeholders."""
    text = [str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(PROVENANCE))]
    text = [re.sub(r"id/load/[0-9a-f-]{36}", "id/load/ACT", t) for t in text]
    text = [
        re.sub(r'"[^"]*"\^\^<http://www.w3.org/2001/XMLSchema#dateTime>', "TIME", t) for t in text
    ]
    return sorted(text)


def _load_both(tmp_path: Path, path: Path) -> tuple[ox.Store, ox.Store, Batch, Batch]:
    stores = []
    for name in ("bytes", "quads"):
        settings = fixture_settings(tmp_path / name)
        store = open_store(settings.store)
        load_files(store, settings, COLLECTIVITIES)
        stores.append((store, settings))
    quads = list(ox.parse(path=str(path)))
    quads.reverse()  # order must not matter
    by_quads = Batch.from_quads(GRAPH, quads, "import:test", extra={"licence": "CC0"})
    # The bytes batch holds the canonical serialisation, as an importer would have written it.
    _, data = canonical_serialisation(by_quads.quads or (), GRAPH)
    by_bytes = Batch(
        GRAPH,
        data,
        ox.RdfFormat.N_TRIPLES,
        "import:test",
        sha256_hex(data),
        extra={"licence": "CC0"},
    )
    return stores[0][0], stores[1][0], by_bytes, by_quads


def test_a_quads_batch_and_its_bytes_give_the_same_store_and_record(tmp_path: Path) -> None:
    bytes_store, quads_store, by_bytes, by_quads = _load_both(tmp_path, AGREEMENT)
    assert by_quads.data == b"" and by_quads.quads
    assert by_quads.sha256 == by_bytes.sha256 and by_quads.format == by_bytes.format
    bytes_settings = fixture_settings(tmp_path / "bytes")
    quads_settings = fixture_settings(tmp_path / "quads")
    r1 = load_batches(bytes_store, bytes_settings, [by_bytes], progress=False)
    r2 = load_batches(quads_store, quads_settings, [by_quads], progress=False)
    assert r1.graphs == r2.graphs and r1.triples == r2.triples > 0
    assert len(r1.records) == len(r2.records) == 1
    assert _content(bytes_store) == _content(quads_store)
    assert _record_shape(bytes_store) == _record_shape(quads_store)


def test_from_quads_digest_ignores_order_and_duplicates() -> None:
    quads = list(ox.parse(path=str(AGREEMENT)))
    a = Batch.from_quads(GRAPH, quads, "x")
    b = Batch.from_quads(GRAPH, [*reversed(quads), quads[0]], "x")
    assert a.sha256 == b.sha256
    assert Batch.from_quads(GRAPH, quads[1:], "x").sha256 != a.sha256


def test_from_quads_keeps_named_graphs_and_records_n_quads() -> None:
    other = ox.NamedNode("https://w3id.org/kgci/graph/import/other")
    t = next(iter(ox.parse(path=str(AGREEMENT))))
    batch = Batch.from_quads(GRAPH, [t, ox.Quad(t.subject, t.predicate, t.object, other)], "x")
    assert batch.format == ox.RdfFormat.N_QUADS
    assert {q.graph_name for q in batch.quads or ()} == {ox.NamedNode(GRAPH), other}


def test_a_rejected_quads_batch_changes_nothing_and_is_quarantined(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES)
    before = sorted(str(q) for q in store)
    bad = Batch.from_quads(GRAPH, ox.parse(path=str(FIXTURES / "bad" / "one-party.ttl")), "bad")
    with pytest.raises(ValidationFailed) as caught:
        load_batches(store, settings, [bad], progress=False)
    assert sorted(str(q) for q in store) == before
    kept = Path(caught.value.quarantine) / "bad"
    assert kept.read_bytes() == bad.payload() != b""
