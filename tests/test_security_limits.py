"""Resource limits (issue 15, item 3): a query that outgrows KG_QUERY_MEMORY answers 507 naming the
limit, its worker is replaced, and the next query is answered; real server, real worker processes."""

from __future__ import annotations

from pathlib import Path

import httpx

from endpoint_helpers import build_store, endpoint_settings
from kg.web.app import create_app
from server_helpers import LiveServer, free_port

HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


def test_a_query_over_the_memory_cap_answers_507_and_the_worker_is_replaced(
    tmp_path: Path,
) -> None:
    settings = endpoint_settings(
        build_store(tmp_path / "store", filler=300),
        tmp_path,
        query_memory=1536 * 1024**2,
        query_timeout=60.0,
        query_workers=1,
    )
    with (
        LiveServer(create_app(settings), free_port()) as live,
        httpx.Client(base_url=live.url, timeout=120) as client,
    ):
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        response = client.get("/sparql", params={"query": HUNGRY})
        assert response.status_code == 507, response.text[:300]
        assert "KG_QUERY_MEMORY" in response.json()["error"]["message"]
        after = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert after.status_code == 200 and after.json()["boolean"] is True
