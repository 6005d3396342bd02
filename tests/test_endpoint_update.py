"""SPARQL Update through /sparql: refused (403) without a configured token or with a wrong one;
with the token, INSERT DATA / DELETE DATA go through the same validation as `kg load`, invalid data
leaves the store exactly as it was, LOAD and writes into the default graph (the merge) are refused, and DELETE/INSERT WHERE runs on a
snapshot of the graphs it touches before the same validation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox
import pytest

from endpoint_helpers import build_store, endpoint_settings, writable_server
from kg.web.app import create_app
from kg.web.worker import open_read_only
from server_helpers import LiveServer, free_port

TOKEN = "s3cret-token"
GRAPH = "https://w3id.org/kgci/graph/test/update"
THING = "https://w3id.org/kgci/id/note/endpoint-update-test"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
INSERT = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{THING}> <{LABEL}> "Note"@en, "Note FR"@fr }} }}'
DELETE = f'DELETE DATA {{ GRAPH <{GRAPH}> {{ <{THING}> <{LABEL}> "Note FR"@fr }} }}'
ASK = f"ASK {{ <{THING}> <{LABEL}> ?label }}"
LABELS = f"SELECT ?label WHERE {{ <{THING}> <{LABEL}> ?label }}"


def labels(client: httpx.Client) -> set[str]:
    response = client.get("/sparql", params={"query": LABELS})
    assert response.status_code == 200, response.text
    return {b["label"]["value"] for b in response.json()["results"]["bindings"]}


def dump(client: httpx.Client) -> str:
    """The whole dataset, sorted N-Quads, to prove an update changed nothing."""
    response = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "format": "tsv"},
    )
    return "\n".join(sorted(response.text.splitlines()))


@pytest.fixture
def read_only_server(tmp_path: Path) -> Iterator[LiveServer]:
    settings = endpoint_settings(build_store(tmp_path / "store", filler=0), tmp_path)
    with LiveServer(create_app(settings), free_port()) as live:
        yield live


@pytest.fixture
def token_server(tmp_path: Path) -> Iterator[LiveServer]:
    with writable_server(tmp_path, TOKEN, max_rows=100_000) as live:
        yield live


def test_update_is_forbidden_without_a_configured_token(read_only_server: LiveServer) -> None:
    with httpx.Client(base_url=read_only_server.url) as client:
        before = dump(client)
        for request in (
            {"data": {"update": INSERT}},
            {"content": INSERT, "headers": {"Content-Type": "application/sparql-update"}},
            {"data": {"update": INSERT}, "headers": {"Authorization": f"Bearer {TOKEN}"}},
        ):
            response = client.post("/sparql", **request)  # type: ignore[arg-type]
            assert response.status_code == 403
            assert "read-only" in response.json()["error"]["message"]
        assert dump(client) == before


def test_update_with_token_validates_and_applies(token_server: LiveServer, tmp_path: Path) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=token_server.url, timeout=60) as client:
        before = dump(client)
        wrong = client.post(
            "/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer nope"}
        )
        assert wrong.status_code == 403
        missing = client.post("/sparql", data={"update": INSERT})
        assert missing.status_code == 403
        assert dump(client) == before

        inserted = client.post(
            "/sparql", content=INSERT, headers={**auth, "Content-Type": "application/sparql-update"}
        )
        assert inserted.status_code == 200, inserted.text
        # the worker processes see the write (they reopen their read-only snapshot)
        assert labels(client) == {"Note", "Note FR"}
        deleted = client.post("/sparql", data={"update": DELETE}, headers=auth)
        assert deleted.status_code == 200, deleted.text
        assert labels(client) == {"Note"}
        after_valid = dump(client)

        # a reference to an entity that exists nowhere breaks validation: nothing is written
        dangling = (
            f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{THING}> <https://w3id.org/kgci/def/party> "
            "<https://w3id.org/kgci/id/collectivity/nowhere-xx> } }"
        )
        rejected = client.post("/sparql", data={"update": dangling}, headers=auth)
        assert rejected.status_code == 400, rejected.text
        assert "violation" in rejected.json()["error"]["message"], rejected.text
        assert dump(client) == after_valid

        for refused, word in (
            ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD"),
            ("CLEAR DEFAULT", "default graph"),
            (f'INSERT {{ <{THING}> <{LABEL}> "x" }} WHERE {{}}', "default graph"),
            (f'INSERT DATA {{ <{THING}> <{LABEL}> "no graph" }}', "default graph"),
            (f'DELETE DATA {{ GRAPH <{GRAPH}> {{ _:b <{LABEL}> "x" }} }}', "cannot be applied"),
        ):
            response = client.post("/sparql", data={"update": refused}, headers=auth)
            assert response.status_code == 400, (refused, response.text)
            assert word in response.json()["error"]["message"]
        assert dump(client) == after_valid

    # the write is on disk, with its load record, in the store the server held
    store = open_read_only(str(token_server.server.config.app.state.settings.store))  # type: ignore[attr-defined]
    assert (
        len(list(store.quads_for_pattern(ox.NamedNode(THING), None, None, ox.NamedNode(GRAPH))))
        == 1
    )


def test_a_second_update_keeps_every_load_record(token_server: LiveServer) -> None:
    """The reported loss: a second update through the endpoint deleted the other records."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    records = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/kgci/graph/provenance> "
        "{ ?s ?p ?o } }"
    )
    history = (
        "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?a WHERE { GRAPH "
        f"<https://w3id.org/kgci/graph/provenance> {{ ?a prov:generated <{GRAPH}> }} }}"
    )
    with httpx.Client(base_url=token_server.url, timeout=30) as client:

        def count(query: str) -> int:
            response = client.get("/sparql", params={"query": query})
            assert response.status_code == 200, response.text
            bindings = response.json()["results"]["bindings"]
            return int(bindings[0]["n"]["value"]) if "n" in bindings[0] else len(bindings)

        before = count(records)
        for update in (INSERT, DELETE):
            response = client.post("/sparql", data={"update": update}, headers=headers)
            assert response.status_code == 200, response.text
        assert count(records) > before  # added to, never emptied
        loads = client.get("/sparql", params={"query": history}).json()["results"]["bindings"]
        assert len(loads) == 2  # both loads of the graph are kept, the first one invalidated


def test_delete_insert_where_and_delete_where_run_on_a_snapshot(token_server: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    rename = (
        f"DELETE {{ GRAPH <{GRAPH}> {{ ?s <{LABEL}> ?l }} }} "
        f'INSERT {{ GRAPH <{GRAPH}> {{ ?s <{LABEL}> "Renamed"@en }} }} '
        f"WHERE {{ GRAPH <{GRAPH}> {{ ?s <{LABEL}> ?l }} }}"
    )
    with httpx.Client(base_url=token_server.url, timeout=60) as client:
        assert client.post("/sparql", data={"update": INSERT}, headers=auth).status_code == 200
        response = client.post("/sparql", data={"update": rename}, headers=auth)
        assert response.status_code == 200, response.text
        assert labels(client) == {"Renamed"}
        gone = f"DELETE WHERE {{ GRAPH <{GRAPH}> {{ <{THING}> <{LABEL}> ?l }} }}"
        response = client.post("/sparql", data={"update": gone}, headers=auth)
        assert response.status_code == 200, response.text
        assert labels(client) == set()
        protected = "CLEAR GRAPH <https://w3id.org/kgci/graph/provenance>"
        response = client.post("/sparql", data={"update": protected}, headers=auth)
        assert response.status_code == 403, response.text


def test_relative_iris_of_an_update_resolve_against_the_service_base(
    token_server: LiveServer,
) -> None:
    """With no BASE in the update, a relative IRI resolves against the endpoint's own IRI (the
    service-defined base the W3C protocol test `update_base_uri` sends), on both update paths."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    settings = token_server.server.config.app.state.settings  # type: ignore[attr-defined]
    service = f"{settings.base_iri.rstrip('/')}/sparql"
    relative = "id/note/endpoint-update-test"
    assert urljoin(service, relative) == THING
    data_path = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{relative}> <{LABEL}> "Data"@en }} }}'
    plan_path = f'INSERT {{ GRAPH <{GRAPH}> {{ <{relative}> <{LABEL}> "Plan"@en }} }} WHERE {{}}'
    with httpx.Client(base_url=token_server.url, timeout=60) as client:
        for update in (data_path, plan_path):
            response = client.post("/sparql", data={"update": update}, headers=auth)
            assert response.status_code == 200, (update, response.text)
        assert labels(client) == {"Data", "Plan"}
