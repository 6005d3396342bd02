"""Provenance is never lost: reloads, updates, drops and rebuilds keep every load record, the
replaced ones invalidated, and `kg graphs --history` lists them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from cli_helpers import run_kg
from kg.ingest import Batch, batch_from_file, load_batches
from kg.ingest.build import build, is_stale, stamp_path
from kg.ingest.drop import drop_graph
from kg.ingest.rdfio import sha256_hex
from kg.namespaces import PROVENANCE_GRAPH
from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT, Settings
from kg.store import open_store

G = "https://w3id.org/kgci/graph/test/"
EX = "https://w3id.org/kgci/id/thing/"
PROV = ox.NamedNode(str(PROVENANCE_GRAPH))
SEED = PROJECT_ROOT / "data" / "seeds" / "assises-bfc-2025.trig"


def _batch(graph: str, text: str) -> Batch:
    data = text.encode()
    return Batch(graph, data, ox.RdfFormat.TURTLE, "x.ttl", sha256_hex(data), validate=False)


def _prov(store: ox.Store) -> set[str]:
    return {str(q) for q in store.quads_for_pattern(None, None, None, PROV)}


def _history(store: ox.Store, queries: QueryLibrary, graph: str) -> list[ox.QuerySolution]:
    return list(queries.run(store, "ingest-load-history", graph=graph))


def test_reloading_a_graph_keeps_every_other_record_and_its_own_history(settings: Settings) -> None:
    store = open_store(settings.store)
    queries = QueryLibrary(settings.queries_dir)
    load_batches(store, settings, [_batch(G + "a", f"<{EX}a> <{EX}p> 1 .")], progress=False)
    load_batches(store, settings, [_batch(G + "b", f"<{EX}b> <{EX}p> 1 .")], progress=False)
    before = _prov(store)
    load_batches(store, settings, [_batch(G + "a", f"<{EX}a> <{EX}p> 2 .")], progress=False)
    assert before < _prov(store)  # nothing deleted, something added
    current = {r["graph"].value: r for r in queries.run(store, "ingest-load-records")}
    assert set(current) == {G + "a", G + "b"}
    loads = _history(store, queries, G + "a")
    assert len(loads) == 2
    assert loads[0]["invalidated"] is not None and loads[1]["invalidated"] is None
    assert loads[0]["invalidatedBy"].value.startswith("kg load")
    assert loads[1]["activity"] == current[G + "a"]["activity"]
    assert len(_history(store, queries, G + "b")) == 1


def test_a_drop_is_recorded_and_the_history_stays(settings: Settings) -> None:
    store = open_store(settings.store)
    queries = QueryLibrary(settings.queries_dir)
    load_batches(store, settings, [_batch(G + "a", f"<{EX}a> <{EX}p> 1 .")], progress=False)
    before = _prov(store)
    drop_graph(store, queries, G + "a")
    assert before < _prov(store)
    [load] = _history(store, queries, G + "a")
    assert load["invalidatedBy"].value.startswith("kg drop")
    assert not list(queries.run(store, "ingest-load-records"))


def test_build_then_load_keeps_the_provenance_of_every_graph(tmp_path: Path) -> None:
    """The reported defect: `kg build`, then `kg load` of one seed, deleted the other graphs' records."""
    settings = Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "quarantine")
    build(settings, progress=False)
    store = open_store(settings.store)
    queries = QueryLibrary(settings.queries_dir)
    before = _prov(store)
    records_before = {r["graph"].value for r in queries.run(store, "ingest-load-records")}
    batch = batch_from_file(SEED, settings)
    load_batches(store, settings, [batch], progress=False)
    assert before < _prov(store)
    records_after = {r["graph"].value for r in queries.run(store, "ingest-load-records")}
    assert records_after == records_before
    del store
    # A rebuild carries the history over: the seed graph now has three loads, two of them replaced.
    build(settings, progress=False)
    store = open_store(settings.store)
    for graph in sorted(records_before):
        loads = _history(store, queries, graph)
        assert len(loads) >= 2, graph
        assert sum(r["invalidated"] is None for r in loads) == 1, graph


def test_graphs_history_command(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "quarantine")
    store = open_store(settings.store)
    for value in (1, 2):
        load_batches(
            store, settings, [_batch(G + "a", f"<{EX}a> <{EX}p> {value} .")], progress=False
        )
    del store
    env = {"KG_STORE": str(settings.store)}
    result = run_kg("graphs", "--history", G + "a", env=env, columns=80)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("file: x.ttl") == 2
    assert "replaced at" in result.stdout and "current" in result.stdout
    listing = run_kg("graphs", env=env, columns=80)
    assert listing.returncode == 0, listing.stderr
    assert G + "a" in listing.stdout  # whole, not cut to "https://…"
    assert "…" not in listing.stdout
    missing = run_kg("graphs", "--history", G + "nothing", env=env, columns=80)
    assert missing.returncode != 0 and "no load of" in missing.stderr


def test_a_store_built_before_the_merged_default_graph_is_stale(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "quarantine")
    build(settings, progress=False)
    assert not is_stale(settings)
    stamp = stamp_path(tmp_path / "store")
    stamp.write_text(stamp.read_text().replace('"layout": 2', '"layout": 1'))
    assert is_stale(settings)
