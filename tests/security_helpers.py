"""Helpers for the security tests: a local listener that records every connection it receives, the
gate's store and a real server on it whose workers are not network-isolated."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import httpx
import pyoxigraph as ox

from endpoint_helpers import build_store, endpoint_settings
from kg.settings import PROJECT_ROOT
from kg.web.app import create_app
from server_helpers import LiveServer, free_port

_BODY = b'{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"literal","value":"x"}}]}}'
_ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n"
    + f"Content-Length: {len(_BODY)}\r\n\r\n".encode()
    + _BODY
)


TOKEN = "gate-token"
GRAPH = "https://w3id.org/kgci/graph/test/update"
SHAPES = "https://w3id.org/kgci/graph/shapes"
PROVENANCE = "https://w3id.org/kgci/graph/provenance"
THING = "https://w3id.org/kgci/id/note/gate-test"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
INSERT = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{THING}> <{LABEL}> "Gate"@en }} }}'
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def gate_store(path: Path) -> Path:
    """The endpoint sample plus the project's SHACL shapes in ``graph/shapes`` (closed again)."""
    build_store(path, filler=0)
    store = ox.Store(str(path))
    store.load(
        path=str(PROJECT_ROOT / "ontology" / "shapes.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(SHAPES),
    )
    store.flush()
    del store
    return path


@contextlib.contextmanager
def gate_server(tmp: Path) -> Iterator[LiveServer]:
    """A real server on :func:`gate_store` under ``tmp``, with the update token and the workers NOT
    network-isolated, so that the gate alone stands between a query and the network."""
    settings = endpoint_settings(
        gate_store(tmp / "store"), tmp, update_token=TOKEN, max_rows=100_000, query_isolation=False
    )
    with LiveServer(create_app(settings), free_port()) as live:
        yield live


class Listener:
    """A TCP socket on 127.0.0.1 that counts connections and answers each with a small HTTP 200."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    first = conn.recv(4096)
                    conn.sendall(_ANSWER)
                except OSError:
                    first = b""
                self.connections.append(first)

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.socket.close()


def dump(client: httpx.Client, *, without: tuple[str, ...] = ()) -> set[str]:
    """Every quad of the named graphs (as TSV rows), except those of the graphs in ``without``."""
    filters = " ".join(f"FILTER (?g != <{g}>)" for g in without)
    response = client.get(
        "/sparql",
        params={
            "query": f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {filters} }}",
            "format": "tsv",
        },
    )
    assert response.status_code == 200, response.text
    return set(response.text.splitlines()[1:])
