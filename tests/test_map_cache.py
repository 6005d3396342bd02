"""The maps' network cache on a real server: read in the background at start-up (before any request,
without holding up start-up or ``/healthz``), waited for by a request that arrives meanwhile instead
of read twice, drawn with as many arcs as a SPARQL count of the pairs of parties with points, and read
again after a write through the endpoint, so the new partnership shows."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import kg.web.map_cache
from endpoint_helpers import copy_store, endpoint_settings
from kg.web.app import create_app
from server_helpers import LiveServer, build_project_store, free_port

FIXTURE = Path(__file__).parent / "fixtures" / "map" / "network.trig"
TOKEN = "map-cache-token"
ID = "https://w3id.org/kgci/id/"
HOME, TWO = ID + "collectivity/map-test-home", ID + "collectivity/map-test-two"
NEW = f"""PREFIX kgc: <https://w3id.org/kgci/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
INSERT DATA {{ GRAPH <https://w3id.org/kgci/graph/import/map-test-new> {{
  <{ID}agreement/map-test-home-two> a kgc:Agreement ;
    rdfs:label "Jumelage de test Home - Two"@fr , "Test twinning Home - Two"@en ;
    kgc:agreementType <https://w3id.org/kgci/vocab/agreement-type/twinning> ;
    kgc:party <{HOME}> , <{TWO}> ;
    prov:wasDerivedFrom <{ID}dataset/map-test> .
}} }}"""
#: The oracle: pairs of parties of an agreement where both parties have a WKT point.
ARCS = """PREFIX kgc: <https://w3id.org/kgci/def/>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
SELECT (COUNT(DISTINCT CONCAT(STR(?a), " ", STR(?b))) AS ?n) WHERE {
  ?agreement a kgc:Agreement ; kgc:party ?a , ?b . FILTER(STR(?a) < STR(?b))
  ?a geo:hasGeometry/geo:asWKT ?p . ?b geo:hasGeometry/geo:asWKT ?q .
}"""


@pytest.fixture(scope="module")
def map_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's files plus the map fixture, default graph rebuilt; closed again."""
    return build_project_store(tmp_path_factory.mktemp("map-cache") / "store", FIXTURE)


def until(condition: Callable[[], bool], what: str, limit: float = 60.0) -> None:
    """Wait (generously) for ``condition``; a deadline only so a broken build does not hang."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


def serve(store: Path, tmp: Path, **overrides: Any) -> LiveServer:
    settings = endpoint_settings(
        copy_store(store, tmp / "store"), tmp, query_workers=1, **overrides
    )
    return LiveServer(create_app(settings), free_port())


def arcs(client: httpx.Client) -> list[tuple[str, str]]:
    response = client.get("/map/data.json")
    assert response.status_code == 200, response.text
    return [(a["from"], a["to"]) for a in response.json()["arcs"]]


def sparql_count(client: httpx.Client) -> int:
    response = client.get("/sparql", params={"query": ARCS, "format": "json"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_warm_up_reads_the_network_before_any_request(map_store: Path, tmp_path: Path) -> None:
    with serve(map_store, tmp_path) as live:
        cache = live.server.config.app.state.map_cache  # type: ignore[attr-defined]
        until(lambda: cache.reads == 1, "the background read")  # no request made yet
        with httpx.Client(base_url=live.url, timeout=60) as client:
            drawn = arcs(client)
            assert len(drawn) == sparql_count(client) >= 1
            assert client.get("/map").status_code == 200
            assert arcs(client) == drawn
        assert cache.reads == 1  # the requests used the warmed network


def test_a_write_through_the_endpoint_shows_on_the_map(map_store: Path, tmp_path: Path) -> None:
    with (
        serve(map_store, tmp_path, update_token=TOKEN) as live,
        httpx.Client(base_url=live.url, timeout=60) as client,
    ):
        before = arcs(client)
        assert (HOME, TWO) not in before
        written = client.post(
            "/sparql",
            content=NEW,
            headers={
                "Authorization": f"Bearer {TOKEN}",
                "Content-Type": "application/sparql-update",
            },
        )
        assert written.status_code == 200, written.text
        after = arcs(client)
        assert set(after) == {*before, (HOME, TWO)}
        assert len(after) == sparql_count(client)


def test_start_up_and_healthz_do_not_wait_for_the_read_and_a_request_waits_for_it(
    map_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate, reads = threading.Event(), []
    real = kg.web.map_cache.read_network

    def gated(*args: Any, **kwargs: Any) -> Any:
        reads.append(threading.current_thread().name)
        assert gate.wait(120), "the test never opened the gate"
        return real(*args, **kwargs)

    monkeypatch.setattr(kg.web.map_cache, "read_network", gated)
    answers: list[int] = []
    with serve(map_store, tmp_path) as live:  # started although the read is held back
        until(lambda: len(reads) == 1, "the background read to begin")
        with httpx.Client(base_url=live.url, timeout=60) as client:
            health = client.get("/healthz")
            assert health.status_code == 200 and health.json()["status"] == "ok"
            cache = live.server.config.app.state.map_cache  # type: ignore[attr-defined]
            looked = threading.Event()
            original = cache.cached

            def watched(state: Any) -> Any:
                found = original(state)
                if threading.current_thread().name != "kg-map-warm":
                    looked.set()
                return found

            cache.cached = watched
            request = threading.Thread(
                target=lambda: answers.append(client.get("/map/data.json").status_code)
            )
            request.start()
            assert looked.wait(60), "the request never reached the cache"
            gate.set()
            request.join(60)
    assert answers == [200]
    assert reads == ["kg-map-warm"]  # one read, the warm-up's; the request waited for it


@pytest.fixture(autouse=True)
def _no_stray_threads() -> Iterator[None]:
    yield
    until(
        lambda: not any(t.name == "kg-map-warm" for t in threading.enumerate()),
        "the warm-up thread to end",
    )
