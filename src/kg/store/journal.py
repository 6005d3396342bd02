"""A recovery journal for the one write that is not a transaction: a large load's ``bulk_extend``.

Why: writing a million validated quads in one transaction holds them all in memory (the write
batch: 2 GB more for 1M triples); ``Store.bulk_extend`` writes them as sorted files at a fraction of
the cost but gives no atomicity. So before it starts, the loader writes a journal next to the store
naming the graphs it creates (none of them exists yet) and the load record it writes last, in its
own transaction. The named graphs are written first, their default-graph copies after them (a
second ``bulk_extend``), so a default-graph triple of the load is never there without the named
graph triple that states it, and taking out what only the new graphs state is enough to undo it. When the write fails, or the process dies and the store is opened again
(:func:`kg.store.open_store` calls :func:`recover`), the journal is read back: if the record is in
the store the load completed and the journal only goes; otherwise the new graphs are taken out of
the default graph (what only they state), dropped, and the store is as it was before the load.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.store.default_graph import retract_update


def path_for(store_path: Path) -> Path:
    """The journal of the store at ``store_path``: a hidden file beside it (RocksDB owns the folder)."""
    return store_path.parent / f".{store_path.name}.load-journal.json"


def begin(store_path: Path, graphs: Sequence[str], record: Sequence[ox.Quad]) -> Path:
    """Write (and fsync) the journal of a load that creates ``graphs`` and ends with ``record``."""
    journal = path_for(store_path)
    payload = {
        "graphs": sorted(graphs),
        "record": (ox.serialize(list(record), format=ox.RdfFormat.N_QUADS) or b"").decode(),
    }
    tmp = journal.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        json.dump(payload, out)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(journal)
    return journal


def finish(store_path: Path) -> None:
    """The load completed (its record is in the store): the journal goes."""
    path_for(store_path).unlink(missing_ok=True)


def recover(store: ox.Store, store_path: Path) -> bool:
    """Undo the load the journal of ``store_path`` describes unless its record made it; True when
    there was a journal. Idempotent: a recovery interrupted in turn is done again next time."""
    journal = path_for(store_path)
    if not journal.exists():
        return False
    payload = json.loads(journal.read_text(encoding="utf-8"))
    record = list(ox.parse(payload["record"], ox.RdfFormat.N_QUADS))
    if record and all(q in store for q in record):
        store.flush()
        journal.unlink()
        return True
    graphs = [g for g in payload["graphs"] if store.contains_named_graph(ox.NamedNode(g))]
    if graphs:
        drops = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
        retract = retract_update(graphs)
        store.update(f"{retract} ;\n{drops}" if retract else drops)
    store.flush()
    journal.unlink()
    return True
