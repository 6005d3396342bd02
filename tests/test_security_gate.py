"""The query and update gate fails closed (issue 15, items 1 and 2), against a real server.

Every bypass found by the security review is sent to a real uvicorn server whose workers are NOT
network-isolated (so that the gate alone is tested) while a real listener on 127.0.0.1 records
connections: none may arrive, the answers are 4xx in the project's error shape, and no operation
other than INSERT DATA / DELETE DATA changes the store. A second test shows the network namespace
holds on its own: a worker handed a SERVICE query directly cannot connect.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from endpoint_helpers import build_store
from kg.errors import KGError
from kg.web.worker import QueryRequest, isolate_network
from kg.web.worker_pool import WorkerPool
from security_helpers import (
    AUTH,
    GRAPH,
    INSERT,
    LABEL,
    PROVENANCE,
    SHAPES,
    THING,
    Listener,
    dump,
)
from server_helpers import LiveServer


def bypass_queries(url: str) -> list[str]:
    """The SERVICE bypasses of the review, and their variants with code point escapes."""
    return [
        f"SELECT * WHERE {{ #x\rSERVICE <{url}/q> {{ ?s ?p ?o }} }}",
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT * WHERE "
        f"{{ ?s rdf:type?t.SERVICE<{url}/q>{{?a ?b ?c}} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}/q> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ #x\\u000dSERVICE <{url}/q> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o .\fSERVICE <{url}/q> {{ ?a ?b ?c }} }}",
    ]


def bypass_updates(url: str) -> list[str]:
    """The hidden LOAD and the hidden DELETE WHERE that emptied graph/shapes."""
    return [
        f"{INSERT} ; #\rLOAD <{url}/evil.ttl> INTO GRAPH <{GRAPH}>",
        f"{INSERT} ; #\rDELETE {{ GRAPH <{SHAPES}> {{ ?s ?p ?o }} }} "
        f"WHERE {{ GRAPH <{SHAPES}> {{ ?s ?p ?o }} }}",
        f"{INSERT} ; #\rDELETE WHERE {{ GRAPH <{SHAPES}> {{ ?s ?p ?o }} }}",
        f"{INSERT} ; #\rCLEAR GRAPH <{SHAPES}>",
    ]


def assert_error_shape(response: httpx.Response, status: int | tuple[int, ...]) -> None:
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"], body


def test_every_service_bypass_is_refused_without_a_connection(
    gate_server: LiveServer, listener: Listener
) -> None:
    with httpx.Client(base_url=gate_server.url, timeout=30) as client:
        for query in bypass_queries(listener.url):
            for response in (
                client.get("/sparql", params={"query": query}),
                client.post("/sparql", data={"query": query}),
                client.post(
                    "/sparql",
                    content=query.encode(),
                    headers={"Content-Type": "application/sparql-query"},
                ),
            ):
                assert_error_shape(response, 400)
                assert listener.url not in response.text or "not allowed" in response.text
    assert listener.connections == []


def test_hidden_updates_are_refused_and_change_nothing(
    gate_server: LiveServer, listener: Listener
) -> None:
    with httpx.Client(base_url=gate_server.url, timeout=60) as client:
        before = dump(client)
        shapes = {row for row in before if row.startswith(f"<{SHAPES}>")}
        assert len(shapes) > 100  # the shapes graph is there to be protected
        for update in bypass_updates(listener.url):
            for headers in (AUTH, {}):
                response = client.post("/sparql", data={"update": update}, headers=headers)
                assert_error_shape(response, (400, 403) if headers else 403)  # 403: protected graph
        for graph in (SHAPES, PROVENANCE, "https://w3id.org/kgci/graph/ontology"):
            protected = f'INSERT DATA {{ GRAPH <{graph}> {{ <{THING}> <{LABEL}> "x" }} }}'
            assert_error_shape(
                client.post("/sparql", data={"update": protected}, headers=AUTH), 403
            )
        assert dump(client) == before
    assert listener.connections == []


def test_insert_data_still_applies_and_only_adds_its_triple(gate_server: LiveServer) -> None:
    with httpx.Client(base_url=gate_server.url, timeout=60) as client:
        before = dump(client, without=(PROVENANCE,))
        extra = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{THING}> <{LABEL}> "Gate two"@en }} }}'
        response = client.post(
            "/sparql", data={"update": f"{extra} ; # a comment\r\n"}, headers=AUTH
        )
        assert response.status_code == 200, response.text
        added = dump(client, without=(PROVENANCE,)) - before
        assert added == {f'<{GRAPH}>\t<{THING}>\t<{LABEL}>\t"Gate two"@en'}, added


def _pool_answer(store: Path, isolate: bool, url: str) -> str:
    """Run a SERVICE query straight in a worker (no gate at all) and return its outcome."""

    async def run() -> str:
        pool = WorkerPool(store, size=1, isolate=isolate)
        await pool.start()
        try:
            request = QueryRequest(
                text=f"SELECT * WHERE {{ SERVICE <{url}/q> {{ ?a ?b ?c }} }}",
                format="json",
                max_rows=10,
                federated=True,
            )
            try:
                result = await pool.run(request, 20)
            except KGError as exc:
                return f"error {exc.status_code}"
            return b"".join([chunk async for chunk in result.body]).decode()
        finally:
            await pool.close()

    return asyncio.run(run())


def test_an_isolated_worker_cannot_connect_even_without_the_gate(
    tmp_path: Path, listener: Listener
) -> None:
    store = build_store(tmp_path / "store", filler=0)
    seen = len(listener.connections)
    # control: without the namespace the worker does reach the listener, once (no retry)
    assert '"x"' in _pool_answer(store, False, listener.url)
    assert len(listener.connections) == seen + 1
    if not _can_isolate():
        pytest.skip("this platform has no network namespaces for the workers")
    assert _pool_answer(store, True, listener.url) == "error 502"
    assert len(listener.connections) == seen + 1


def _can_isolate() -> bool:
    """Whether a child process may unshare its network here (tried in a throwaway process)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        return bool(pool.apply(isolate_network))
