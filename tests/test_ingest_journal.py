"""A large load is written with ``bulk_extend`` under a recovery journal (:mod:`kg.store.journal`):
interrupted at any point of its write, in the process or by a crash, the store comes back exactly as
it was; completed, it stays, and the default graph is the merge of the named graphs either way."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ingest_helpers import (
    seed,  # noqa: F401  (the fixture)
    snapshot,
)
from kg.ingest import Batch, chunked, load_batches, pipeline
from kg.ingest.rdfio import sha256_hex
from kg.settings import Settings
from kg.store import default_graph, journal, open_store

OTHER = "https://w3id.org/kgci/graph/file/journal-other"


def _batch(graph: Graph, name: str) -> Batch:
    data = graph.serialize(format="nt", encoding="utf-8")
    return Batch(name, data, ox.RdfFormat.N_TRIPLES, "journal-test.nt", sha256_hex(data))


@pytest.fixture
def loaded(seed: Graph, tmp_path: Path) -> tuple[Settings, Batch]:  # noqa: F811
    """A store holding the seed in one graph, and a batch of the same seed for a new graph: every
    triple of the new graph is already in the default graph, which an undo must leave there."""
    settings = Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "quarantine")
    store = open_store(settings.store)
    load_batches(
        store, settings, [_batch(seed, "https://w3id.org/kgci/graph/file/a")], progress=False
    )
    del store  # each test opens it (and a crash test reopens it)
    return settings, _batch(seed, OTHER)


class Interrupted(Exception):
    pass


def _record() -> list[ox.Quad]:
    """A stand-in load record: one quad in the provenance graph."""
    return [
        ox.Quad(
            ox.NamedNode("https://example.org/activity"),
            ox.NamedNode("https://example.org/p"),
            ox.Literal("x"),
            ox.NamedNode("https://w3id.org/kgci/graph/provenance"),
        )
    ]


@pytest.mark.parametrize("at", [0.1, 0.5, 0.9], ids=["named", "between", "copies"])
def test_an_interrupted_bulk_write_leaves_the_store_as_it_was(
    loaded: tuple[Settings, Batch], monkeypatch: pytest.MonkeyPatch, at: float
) -> None:
    settings, batch = loaded
    store = open_store(settings.store)
    before = snapshot(store)
    monkeypatch.setattr(chunked, "CHUNKED_ABOVE", 0)
    monkeypatch.setattr(pipeline, "WRITE_REPORT_EVERY", 50)
    reached: list[int] = []

    def hook(phase: str, done: int, total: int) -> None:
        # the named graphs are the first half of the write, their default-graph copies the second
        if phase == "write" and 0 < done < total and done >= at * total:
            reached.append(done)
            raise Interrupted

    with pytest.raises(Interrupted):
        load_batches(store, settings, [batch], progress=hook)
    assert reached  # it was stopped mid-write, not before
    assert snapshot(store) == before
    assert not journal.path_for(settings.store).exists()  # type: ignore[arg-type]


def test_a_crash_mid_write_is_undone_when_the_store_is_opened_again(
    loaded: tuple[Settings, Batch],
) -> None:
    settings, _ = loaded
    store = open_store(settings.store)
    assert settings.store is not None
    before = snapshot(store)
    new = ox.NamedNode(OTHER)
    quads = [
        ox.Quad(
            ox.NamedNode(f"https://example.org/s{i}"),
            ox.NamedNode("https://example.org/p"),
            ox.Literal(str(i)),
            new,
        )
        for i in range(50)
    ]
    record = _record()
    journal.begin(settings.store, [OTHER], record)
    # what a crash can leave: all the named graph, part of its default-graph copies, no record
    store.bulk_extend(quads)
    store.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads[:20]
    )
    del store
    reopened = open_store(settings.store)
    assert snapshot(reopened) == before
    assert default_graph.actual(reopened) == default_graph.expected(reopened)
    assert not journal.path_for(settings.store).exists()


def test_a_completed_write_is_kept_when_its_journal_is_left(
    loaded: tuple[Settings, Batch],
) -> None:
    settings, _ = loaded
    store = open_store(settings.store)
    assert settings.store is not None
    quads = [
        ox.Quad(
            ox.NamedNode("https://example.org/s"),
            ox.NamedNode("https://example.org/p"),
            ox.Literal("1"),
            ox.NamedNode(OTHER),
        )
    ]
    record = _record()
    journal.begin(settings.store, [OTHER], record)
    store.bulk_extend(quads)
    store.extend(record)  # the record made it; the process died before removing the journal
    after = snapshot(store)
    del store
    assert snapshot(open_store(settings.store)) == after
    assert not journal.path_for(settings.store).exists()


def test_a_large_load_keeps_the_default_graph_contract_and_writes_its_record(
    loaded: tuple[Settings, Batch], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, batch = loaded
    store = open_store(settings.store)
    monkeypatch.setattr(chunked, "CHUNKED_ABOVE", 0)
    seen: list[tuple[int, int]] = []
    report = load_batches(
        store,
        settings,
        [batch],
        progress=lambda p, d, t: seen.append((d, t)) if p == "write" else None,
    )
    assert store.contains_named_graph(ox.NamedNode(OTHER))
    assert default_graph.actual(store) == default_graph.expected(store)
    assert any(
        store.quads_for_pattern(
            ox.NamedNode(report.records[0]),
            None,
            None,
            ox.NamedNode("https://w3id.org/kgci/graph/provenance"),
        )
    )
    assert seen and seen[-1][0] == seen[-1][1]
    assert not journal.path_for(settings.store).exists()  # type: ignore[arg-type]
