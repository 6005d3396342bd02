"""Helpers shared by the endpoint tests: a small on-disk store and running servers on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.settings import PROJECT_ROOT, Settings
from kg.store.default_graph import rebuild as rebuild_default_graph
from kg.web.app import create_app
from server_helpers import LiveServer, free_port

SAMPLE = Path(__file__).parent / "fixtures" / "endpoint" / "sample.trig"
FILLER_GRAPH = "https://w3id.org/kgci/graph/test/filler"


def build_store(path: Path, filler: int = 300) -> Path:
    """An on-disk store with the sample dataset plus ``filler`` synthetic triples, closed again."""
    store = ox.Store(str(path))
    store.bulk_load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    graph = ox.NamedNode(FILLER_GRAPH)
    value = ox.NamedNode("https://w3id.org/kgci/def/value")
    store.extend(
        ox.Quad(
            ox.NamedNode(f"https://w3id.org/kgci/id/observation/filler-{i}"),
            value,
            ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            graph,
        )
        for i in range(filler)
    )
    rebuild_default_graph(store)
    store.flush()
    del store
    return path


def copy_store(source: Path, target: Path) -> Path:
    """A copy of a closed on-disk store (for tests that write)."""
    shutil.copytree(source, target)
    return target


def dump(client: httpx.Client) -> str:
    """Every quad of the store through ``/sparql``, as sorted TSV rows, to prove that a refused
    request changed nothing."""
    response = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "format": "tsv"},
    )
    assert response.status_code == 200, response.text
    return "\n".join(sorted(response.text.splitlines()))


def endpoint_settings(
    store: Path, tmp: Path, queries_dir: Path | None = None, **overrides: object
) -> Settings:
    """Settings for a test server on ``store``; ``overrides`` set limits, token, timeout."""
    values: dict[str, object] = {
        "store": store,
        "quarantine_dir": tmp / "quarantine",
        "queries_dir": queries_dir or PROJECT_ROOT / "queries",
        "query_timeout": 5.0,
        "query_workers": 2,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@contextmanager
def writable_server(tmp: Path, token: str, **overrides: object) -> Iterator[LiveServer]:
    """A live server on a fresh small store (no filler) that takes writes with ``token``."""
    settings = endpoint_settings(
        build_store(tmp / "store", filler=0), tmp, update_token=token, **overrides
    )
    with LiveServer(create_app(settings), free_port()) as live:
        yield live
