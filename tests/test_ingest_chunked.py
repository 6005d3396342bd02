"""Large inputs validated in chunks by subject (:mod:`kg.ingest.chunked`) against the whole input
validated at once (the oracle: :func:`kg.ingest.validate_batches`), and all or nothing kept.

The mutated seed graphs of tests/test_validation_fast.py are validated both ways, with chunks of a
few dozen quads (so entities, their blank nodes and what points at them land in different chunks);
the rows and the verdict must be the same. A violation in the last chunk must leave the store exactly
as it was; a valid input must leave it as the in-memory path does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef

from ingest_helpers import CHUNKED_GRAPH, chunked_batch, seed_graph
from kg.errors import ValidationFailed
from kg.ingest import Batch, chunked, load_batches, validate_batches
from kg.ingest.rdfio import sha256_hex
from kg.settings import Settings
from kg.store import open_store
from kg.validation import Violation, schema_graphs
from shacl_mutations import mutated

GRAPH = CHUNKED_GRAPH
PROVENANCE = "https://w3id.org/kgci/graph/provenance"


@pytest.fixture(scope="module")
def seed() -> Graph:
    return seed_graph()


@pytest.fixture
def project(tmp_path: Path) -> Iterator[tuple[Settings, ox.Store]]:
    settings = Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "quarantine")
    yield settings, open_store(settings.store)


def _key(row: Violation) -> tuple[str, ...]:
    """The row, blank nodes written ``_:`` (both paths rename them, differently)."""
    focus, value = (_blank(t) for t in (row.focus, row.value))
    return (focus, row.path, value, row.message, row.shape, row.component, row.severity)


def _blank(term: str) -> str:
    # Oxigraph's blank node ids are a random 128-bit number in hex without leading zeros, so one
    # in sixteen is shorter than 32 digits.
    return "_:" if re.fullmatch(r"[0-9a-f]{16,32}", term) else term


def _chunked(store: ox.Store, settings: Settings, batch: Batch, size: int) -> tuple[bool, set]:
    with chunked.staging_folder(settings) as tmp:
        staged = chunked.stage(batch, Path(tmp) / "staging")
        report = chunked.validate_staged(
            store, settings, staged, batch, {GRAPH}, lambda *_: None, size=size
        )
        del staged
    return report.conforms, {_key(r) for r in report.rows}


@pytest.mark.parametrize("case", range(12))
def test_chunks_validate_as_the_whole_input(
    case: int, seed: Graph, project: tuple[Settings, ox.Store]
) -> None:
    settings, store = project
    ont, shapes, _ = schema_graphs(settings)
    for graph, done in mutated(seed, ont, shapes, case):
        batch = chunked_batch(graph)
        whole = validate_batches(store, settings, [batch])
        expected = (whole.conforms, {_key(r) for r in whole.rows})
        assert _chunked(store, settings, batch, size=40) == expected, done


def test_the_chunks_cover_the_input(seed: Graph, project: tuple[Settings, ox.Store]) -> None:
    settings, _ = project
    with chunked.staging_folder(settings) as tmp:
        staged = chunked.stage(chunked_batch(seed), Path(tmp) / "staging")
        parts = list(chunked.chunks(staged.store, 40))
        assert len(parts) > 10
        assert sum(len(p) for p in parts) == staged.quads == len(seed)
        subjects = [{q.subject for q in p} for p in parts]
        assert all(a.isdisjoint(b) for i, a in enumerate(subjects) for b in subjects[i + 1 :])
        del staged, parts


def _content(store: ox.Store) -> tuple[int, set[str]]:
    """Quads outside the provenance graph: their number and those without blank nodes."""
    kept = [
        q
        for q in store
        if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == PROVENANCE)
    ]
    plain = {
        str(q) for q in kept if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))
    }
    return len(kept), plain


def test_a_large_input_loads_as_the_in_memory_path_does(
    seed: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = chunked.validate_staged

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    batch = chunked_batch(seed)
    plain = Settings(store=tmp_path / "a" / "store", quarantine_dir=tmp_path / "q")
    load_batches(open_store(plain.store), plain, [batch], progress=False)
    assert not calls
    monkeypatch.setattr(chunked, "CHUNKED_ABOVE", 0)
    monkeypatch.setattr(chunked, "CHUNK_QUADS", 50)
    monkeypatch.setattr(chunked, "validate_staged", spy)
    big = Settings(store=tmp_path / "b" / "store", quarantine_dir=tmp_path / "q")
    big_store = open_store(big.store)
    report = load_batches(big_store, big, [batch], progress=False)
    assert calls and report.triples == len(seed)
    del big_store
    a, b = open_store(plain.store), open_store(big.store)
    assert _content(a) == _content(b)
    records = list(b.quads_for_pattern(None, None, None, ox.NamedNode(PROVENANCE)))
    assert records and len(records) == len(
        list(a.quads_for_pattern(None, None, None, ox.NamedNode(PROVENANCE)))
    )


def test_a_violation_in_one_chunk_of_many_leaves_the_store_as_it_was(
    seed: Graph, project: tuple[Settings, ox.Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, store = project
    load_batches(store, settings, [chunked_batch(seed)], progress=False)  # something already there
    before = sorted(str(q) for q in store)
    monkeypatch.setattr(chunked, "CHUNKED_ABOVE", 0)
    monkeypatch.setattr(chunked, "CHUNK_QUADS", 50)
    bad = Graph()
    for t in seed:
        bad.add(t)
    # one new entity with a wrong label: its chunk fails, the others pass
    last = URIRef("https://w3id.org/kgci/id/territory/chunk-test")
    cls = seed.value(URIRef("https://w3id.org/kgci/id/territory/ile-de-france"), RDF.type)
    assert cls is not None
    bad.add((last, RDF.type, cls))
    bad.add((last, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(42)))
    data = bad.serialize(format="nt", encoding="utf-8")
    batch = Batch(
        "https://w3id.org/kgci/graph/file/other",
        data,
        ox.RdfFormat.N_TRIPLES,
        "o.nt",
        sha256_hex(data),
    )
    with pytest.raises(ValidationFailed) as failed:
        load_batches(store, settings, [batch], progress=False)
    assert any(r.focus == str(last) for r in failed.value.report.rows)  # type: ignore[attr-defined]
    assert sorted(str(q) for q in store) == before
    assert list(settings.quarantine_dir.iterdir())
