"""Test support shared by the test modules (and the fixtures of ``conftest.py``): a free port, a real
uvicorn server in a thread, the project's files bulk-loaded into a store, the Chromium flags.
Test modules import these from here, never from ``conftest``."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import uvicorn

from kg.settings import PROJECT_ROOT
from kg.sources import graph_for_path, project_rdf_files
from kg.store import open_store
from kg.store.default_graph import rebuild as rebuild_default_graph

#: Flags for the Debian Chromium in this sandbox: headless, and no background calls to the network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bulk_load_project(store: ox.Store, root: Path = PROJECT_ROOT) -> None:
    """Load the ontology, vocabularies, shapes and data/ into ``store`` without validation."""
    for path in project_rdf_files(root):
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        assert fmt is not None, path
        graph = ox.NamedNode(graph_for_path(path, root))
        if fmt.supports_datasets:  # TriG / N-Quads name their own graphs
            store.bulk_load(path=str(path), format=fmt)
        else:
            store.bulk_load(path=str(path), format=fmt, to_graph=graph)
    rebuild_default_graph(store)
    store.flush()


def build_project_store(path: Path, *fixtures: Path) -> Path:
    """An on-disk store at ``path`` with the project's files plus the TriG ``fixtures``, its default
    graph rebuilt as the merge; closed again, so a server or a test can open it."""
    store = open_store(path)
    bulk_load_project(store)
    for fixture in fixtures:
        store.bulk_load(path=str(fixture), format=ox.RdfFormat.TRIG)
    rebuild_default_graph(store)
    store.flush()
    del store
    return path


class LiveServer:
    """A uvicorn server running in a background thread on a free port."""

    def __init__(self, app: object, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
