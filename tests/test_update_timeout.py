"""An update's evaluation is bounded by KG_UPDATE_TIMEOUT: a pathological WHERE gets the project's
timeout error (504, in the one error shape) well before the client gives up, the store is exactly
as it was, and the server goes on answering queries and updates."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from endpoint_helpers import build_store, dump, endpoint_settings
from kg.web.app import create_app
from server_helpers import LiveServer, free_port

TOKEN = "timeout-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GRAPH = "https://w3id.org/kgci/graph/test/timeout"
THING = "https://w3id.org/kgci/id/note/update-timeout-test"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: Four unrelated patterns over the merge joined by a filter nothing satisfies: some 10^11 rows to
#: try (hours in pyoxigraph), none kept (no memory grows while it runs).
PATHOLOGICAL = (
    f"INSERT {{ GRAPH <{GRAPH}> {{ ?a <{LABEL}> ?x }} }} "
    "WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?s ?w "
    'FILTER(STR(?x) = CONCAT(STR(?y), STR(?z), "#never")) }'
)
SMALL = f'INSERT {{ GRAPH <{GRAPH}> {{ <{THING}> <{LABEL}> "Note"@en }} }} WHERE {{}}'


def test_a_pathological_update_is_stopped_and_changes_nothing(tmp_path: Path) -> None:
    settings = endpoint_settings(
        build_store(tmp_path / "store", filler=600),
        tmp_path,
        update_token=TOKEN,
        update_timeout=2.0,
        max_rows=100_000,
    )
    with (
        LiveServer(create_app(settings), free_port()) as live,
        httpx.Client(base_url=live.url, timeout=120) as client,
    ):
        before = dump(client)
        started = time.monotonic()
        response = client.post("/sparql", data={"update": PATHOLOGICAL}, headers=AUTH)
        elapsed = time.monotonic() - started
        assert response.status_code == 504, response.text
        message = response.json()["error"]["message"]
        assert "KG_UPDATE_TIMEOUT" in message and "nothing was written" in message
        assert elapsed < 60  # the limit is 2 s; generous for a loaded machine
        assert dump(client) == before
        # the server still answers, and a sensible update still goes through
        done = client.post("/sparql", data={"update": SMALL}, headers=AUTH)
        assert done.status_code == 200, done.text
        ask = client.get("/sparql", params={"query": f"ASK {{ <{THING}> <{LABEL}> ?l }}"})
        assert ask.json()["boolean"] is True
