"""Helpers of the exploration-UI tests: a store with the project's data plus the homonyms fixture
(three places named Paris, test twinnings), served by a real uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.settings import PROJECT_ROOT, Settings
from kg.web.app import create_app
from server_helpers import LiveServer, build_project_store, free_port

HOMONYMS = Path(__file__).parent / "fixtures" / "ui" / "homonyms.trig"
BASE = "https://w3id.org/kgci/"
COLLECTIVITY = BASE + "def/Collectivity"


def build_ui_store(path: Path) -> Path:
    """The project's files plus the homonyms fixture, default graph rebuilt; closed again."""
    return build_project_store(path, HOMONYMS)


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
