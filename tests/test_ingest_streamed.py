"""Large files are streamed from their path (``Batch.path``), never held in memory: staged by
Oxigraph's bulk loader, checked and written natively. The oracle is the in-memory path: the same
bad inputs give the same messages (file, line, column) and quarantine a copy with the store left
unchanged; a good input leaves the store as the in-memory path does; the block-at-a-time file
checks agree with the in-memory ones on random inputs cut across block boundaries."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from ingest_helpers import (
    AGREEMENT,
    BAD_CASES,
    COLLECTIVITIES,
    FIXTURES,
    PROVENANCE,
    fixture_settings,
    load_files,
    snapshot,
)
from kg.errors import InputError, KGError
from kg.ingest import batch, batch_from_file, chunked, rdfio
from kg.ingest.rdfio import sha256_hex
from kg.store import open_store

BAD = FIXTURES / "bad"


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file is streamed and goes through the large-input path."""
    monkeypatch.setattr(batch, "STREAM_ABOVE", 0)
    monkeypatch.setattr(chunked, "CHUNKED_ABOVE", 0)


def test_a_streamed_batch_names_its_file_and_digests_it(tmp_path: Path, streamed: None) -> None:
    made = batch_from_file(COLLECTIVITIES, fixture_settings(tmp_path))
    assert made.path == COLLECTIVITIES and made.data == b""
    assert made.sha256 == sha256_hex(COLLECTIVITIES.read_bytes())
    assert made.payload() == COLLECTIVITIES.read_bytes()


@pytest.mark.parametrize(("name", "error", "fragments"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_a_bad_streamed_file_is_refused_as_the_in_memory_path_refuses_it(
    tmp_path: Path,
    streamed: None,
    name: str,
    error: type[KGError],
    fragments: list[str],
) -> None:
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, COLLECTIVITIES)
    before = snapshot(store)
    with pytest.raises(error) as info:
        load_files(store, settings, BAD / name)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)
    assert snapshot(store) == before
    if name != "empty.ttl":
        kept = list(settings.quarantine_dir.glob(f"*/{name}"))
        assert kept and kept[0].read_bytes() == (BAD / name).read_bytes()


def _content(store: ox.Store) -> tuple[int, set[str]]:
    """Quads outside the provenance graph: their number and those without blank nodes."""
    kept = [q for q in store if getattr(q.graph_name, "value", None) != PROVENANCE]
    plain = {
        str(q) for q in kept if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))
    }
    return len(kept), plain


def test_a_streamed_file_loads_as_the_in_memory_path_loads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [COLLECTIVITIES, AGREEMENT]
    memory = fixture_settings(tmp_path / "memory")
    load_files(open_store(memory.store), memory, *files[:1])
    load_files(open_store(memory.store), memory, *files[1:])
    monkeypatch.setattr(batch, "STREAM_ABOVE", 0)
    monkeypatch.setattr(chunked, "CHUNKED_ABOVE", 0)
    disk = fixture_settings(tmp_path / "disk")
    for path in files:
        load_files(open_store(disk.store), disk, path)
    a, b = open_store(memory.store), open_store(disk.store)
    assert _content(a) == _content(b)
    assert sum(1 for _ in b.quads_for_pattern(None, None, None, ox.DefaultGraph())) == sum(
        1 for _ in a.quads_for_pattern(None, None, None, ox.DefaultGraph())
    )


def test_blank_nodes_keep_their_default_graph_copies(tmp_path: Path, streamed: None) -> None:
    source = tmp_path / "blank.ttl"
    shutil.copyfile(COLLECTIVITIES, source)
    with source.open("a", encoding="utf-8") as out:
        out.write(
            '\n<https://example.org/x> <https://example.org/p> [ <https://example.org/q> "v" ] .\n'
        )
    settings = fixture_settings(tmp_path)
    store = open_store(settings.store)
    load_files(store, settings, source)
    blank_named = [
        q for q in store if isinstance(q.object, ox.BlankNode) and q.graph_name != ox.DefaultGraph()
    ]
    assert blank_named
    for q in blank_named:  # the copy holds the very same blank node
        assert ox.Quad(q.subject, q.predicate, q.object) in store
        assert any(store.quads_for_pattern(q.object, None, None, ox.DefaultGraph()))


def test_the_file_checks_agree_with_the_in_memory_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rdfio, "READ_BLOCK", 7)  # multi-byte sequences cut across blocks
    rng = random.Random(19)
    path = tmp_path / "input.txt"
    refused = 0
    for _ in range(300):
        text = "".join(rng.choice(["a", "é", "\n", "€", "b"]) for _ in range(rng.randint(1, 60)))
        data = text.encode()
        if rng.random() < 0.8:
            at = rng.randrange(len(data))
            data = data[:at] + bytes([rng.choice([0xE9, 0xFF, 0x80])]) + data[at:]
        path.write_bytes(data)
        expected: str | None = None
        try:
            rdfio.check_bytes(data, "input.txt", allow_empty=True)
        except InputError as exc:
            expected = str(exc)
        got: str | None = None
        try:
            rdfio.check_utf8_file(path, "input.txt")
        except InputError as exc:
            got = str(exc)
        if expected is not None:  # (an input cut inside a sequence is refused by both)
            refused += 1
            assert got == expected, data
        assert rdfio.longest_line_file(path) == rdfio._longest_line(data), data
    assert refused > 100


def test_a_streamed_quads_file_of_several_graphs_loads_as_the_in_memory_path_loads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graphs = [
        "https://w3id.org/kgci/graph/file/stream-a",
        "https://w3id.org/kgci/graph/file/stream-b",
    ]
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph))
        for path, graph in zip([COLLECTIVITIES, AGREEMENT], graphs, strict=True)
        for q in ox.parse(path=str(path))
    ]
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    source = tmp_path / "two.nq"
    source.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    memory = fixture_settings(tmp_path / "memory")
    load_files(open_store(memory.store), memory, source)
    monkeypatch.setattr(batch, "STREAM_ABOVE", 0)
    monkeypatch.setattr(chunked, "CHUNKED_ABOVE", 0)
    disk = fixture_settings(tmp_path / "disk")
    load_files(open_store(disk.store), disk, source)
    a, b = open_store(memory.store), open_store(disk.store)
    assert _content(a) == _content(b)
    assert all(b.contains_named_graph(ox.NamedNode(g)) for g in graphs)
