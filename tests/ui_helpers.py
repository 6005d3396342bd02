"""Helpers of the exploration-UI tests: a store with the project's data plus the homonyms fixture
(three places named Paris, test twinnings), served by a real uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.settings import PROJECT_ROOT, Settings
from kg.store import open_store
from kg.store.default_graph import rebuild as rebuild_default_graph
from kg.web.app import create_app
from server_helpers import LiveServer, bulk_load_project, free_port

HOMONYMS = Path(__file__).parent / "fixtures" / "ui" / "homonyms.trig"
BASE = "https://w3id.org/kgci/"
COLLECTIVITY = BASE + "def/Collectivity"


def build_ui_store(path: Path) -> Path:
    """The project's files plus the homonyms fixture, default graph rebuilt; closed again."""
    store = open_store(path)
    bulk_load_project(store)
    store.bulk_load(path=str(HOMONYMS), format=ox.RdfFormat.TRIG)
    rebuild_default_graph(store)
    store.flush()
    del store
    return path


@contextmanager
def ui_server(tmp: Path) -> Iterator[tuple[LiveServer, ox.Store]]:
    """A live server on the UI test store, and a read-only handle of that store (the oracle's)."""
    path = build_ui_store(tmp / "store")
    store = ox.Store.read_only(str(path))
    settings = Settings(
        store=path,
        quarantine_dir=tmp / "quarantine",
        dumps_dir=tmp / "dumps",
        query_workers=1,
        queries_dir=PROJECT_ROOT / "queries",
    )
    with LiveServer(create_app(settings, store=store), free_port()) as live:
        yield live, store
