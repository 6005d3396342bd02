"""A write through the endpoint is on the very next resource page, now that pages are built in the
query workers (which reopen their read-only snapshot after a write, as they do for queries)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from endpoint_helpers import writable_server
from kg.web.worker_pool import WorkerPool
from server_helpers import LiveServer

TOKEN = "pages-token"
GRAPH = "https://w3id.org/kgci/graph/test/pages"
PATH = "/id/note/page-after-write"
THING = "https://w3id.org/kgci" + PATH
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with writable_server(tmp_path, TOKEN) as live:
        yield live


def update(client: httpx.Client, text: str) -> None:
    response = client.post(
        "/sparql", data={"update": text}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200, response.text


def title(client: httpx.Client) -> str | None:
    response = client.get(PATH, headers={"Accept": "text/html"}, params={"lang": "fr"})
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    return response.text.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_the_next_page_shows_each_write(server: LiveServer) -> None:
    assert isinstance(server.server.config.app.state.executor, WorkerPool)  # type: ignore[attr-defined]
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert title(client) is None  # read by a worker before any write
        update(client, f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{THING}> <{LABEL}> "Avant"@fr }} }}')
        assert title(client) == "Avant"
        update(
            client,
            f'DELETE DATA {{ GRAPH <{GRAPH}> {{ <{THING}> <{LABEL}> "Avant"@fr }} }}; '
            f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{THING}> <{LABEL}> "Après"@fr }} }}',
        )
        assert title(client) == "Après"
