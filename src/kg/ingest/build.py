"""`kg build`: load the ontology and all of ``data/`` into a FRESH store, then swap it in.

The new store is built in a temporary directory next to the target and renamed into place only once
complete, so a failed or killed build leaves the previous store untouched. A build stamp
(``<store>.build.json``) records when and from which files the store was built; the store is stale when
it or its stamp is missing, or when a file of ``ontology/`` or ``data/`` is newer than the stamp.

Graphs written by ``kg import`` (``graph/import/...``) do not come from ``data/``: a rebuild carries
them over from the previous store, so that rebuilding never drops imports; it carries the whole
provenance graph too, so that the load history survives, the versions it rebuilt being invalidated by
the new loads. The new store's default graph is the merge of its data graphs (:mod:`kg.store.default_graph`).
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import time
import uuid
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.ingest import Batch, LoadReport, ProgressHook, batch_from_file, load_batches
from kg.ingest import records as load_records
from kg.namespaces import GRAPH, PROVENANCE_GRAPH
from kg.queries import QueryLibrary, get_library
from kg.settings import Settings
from kg.sources import project_rdf_files
from kg.store import open_store
from kg.store.default_graph import LAYOUT, merged


def stamp_path(store: Path) -> Path:
    """Where the build stamp of ``store`` lives."""
    return store.with_name(store.name + ".build.json")


def source_files(settings: Settings) -> list[Path]:
    """The files a build loads: ``ontology/`` (not validated) then ``data/`` (validated)."""
    return project_rdf_files(settings.project_root)


def is_stale(settings: Settings) -> bool:
    """True when the store or its stamp is missing, or a source file is newer than the stamp."""
    store = settings.store
    if store is None or not store.exists() or not stamp_path(store).exists():
        return True
    try:
        stamp = json.loads(stamp_path(store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    if not isinstance(stamp, dict) or stamp.get("layout") != LAYOUT:
        return True  # built before the default graph held the merge of the data graphs
    built = stamp_path(store).stat().st_mtime
    return any(p.stat().st_mtime > built for p in source_files(settings))


def _batches(settings: Settings) -> list[Batch]:
    ontology_dir = (settings.project_root / "ontology").resolve()
    batches = []
    for path in source_files(settings):
        batch = batch_from_file(path, settings)
        if path.resolve().is_relative_to(ontology_dir):
            batch = Batch(**{**batch.__dict__, "validate": False})
        batches.append(batch)
    return batches


def build(settings: Settings, *, progress: bool | ProgressHook = True) -> LoadReport:
    """Build a fresh store from the project's files and swap it in place of ``settings.store``."""
    target = settings.store
    if target is None:
        raise InputError("kg build needs an on-disk store; set KG_STORE to a directory")
    queries = get_library(settings.queries_dir)
    carried: list[ox.Quad] = []
    history: list[ox.Quad] = []
    if target.exists():  # fails at once, with the usual sentence, if a server holds the store
        previous = open_store(target)
        carried = imported_quads(previous)
        history = list(previous.quads_for_pattern(None, None, None, PROV_GRAPH))
        del previous
        gc.collect()
    batches = _batches(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.building-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = open_store(tmp)
        report = load_batches(store, settings, batches, progress=progress)
        if carried or history:
            rebuilt = set(report.graphs) | {b.graph for b in batches}
            store.extend(
                merged([*carried, *history, *_ended(history, rebuilt, report.activities, queries)])
            )
        store.flush()
        del store
        # RocksDB keeps the directory locked until the handle is freed; frames kept by tracebacks
        # caught during validation can hold it in a reference cycle, so collect them now.
        gc.collect()
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    stamp = {
        "built": time.time(),
        "files": [str(p.relative_to(settings.project_root)) for p in source_files(settings)],
        "triples": report.triples,
        "layout": LAYOUT,
    }
    stamp_path(target).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    return report


PROV_GRAPH = ox.NamedNode(str(PROVENANCE_GRAPH))


def imported_quads(store: ox.Store) -> list[ox.Quad]:
    """The quads of every ``graph/import/...`` graph of ``store``."""
    prefix = str(GRAPH["import/"])
    quads: list[ox.Quad] = []
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(prefix):
            quads.extend(store.quads_for_pattern(None, None, None, graph))
    return quads


def _ended(
    history: list[ox.Quad], rebuilt: set[str], activities: dict[str, str], queries: QueryLibrary
) -> list[ox.Quad]:
    """Invalidations of the versions, in the carried ``history``, of the graphs the build reloaded."""
    past = ox.Store()
    past.extend(history)
    now = load_records.timestamp()
    return load_records.invalidations(past, queries, rebuilt, now, activities)
