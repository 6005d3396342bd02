"""The quick lane of the query workers: a query that promises to be short (ASK, small LIMIT, no
ordering nor aggregates) is answered while long queries hold every general worker, and a wrong
promise still ends in the time limit and the kill, the quick lane getting a fresh worker. Real
on-disk store, real uvicorn, real httpx."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from endpoint_helpers import build_store, endpoint_settings
from kg.web.app import create_app
from kg.web.worker_lanes import QUICK_LIMIT, is_quick
from server_helpers import LiveServer, free_port

TIMEOUT = 10.0  # generous: the short answers must come well within it
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
QUICK = "SELECT ?p ?o WHERE { <https://w3id.org/kgci/id/collectivity/dijon-21231> ?p ?o } LIMIT 20"
# Promises to be quick (LIMIT 1, no aggregate) but never finds its one row.
FALSE_PROMISE = (
    "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
    "FILTER(STR(?a) = CONCAT(STR(?d), STR(?g), STR(?l), 'never')) } LIMIT 1"
)


@pytest.mark.parametrize(
    ("text", "quick"),
    [
        ("ASK { ?s ?p ?o }", True),
        (QUICK, True),
        (FALSE_PROMISE, True),
        (f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {QUICK_LIMIT}", True),
        (f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {QUICK_LIMIT + 1}", False),
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 5", False),
        ("SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s LIMIT 5", False),
        (LONG, False),
        ("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } } LIMIT 5", False),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 10", True),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT ?x", False),
        ("not SPARQL at all \x00", False),
    ],
)
def test_which_queries_promise_to_be_short(text: str, quick: bool) -> None:
    assert is_quick(text) is quick


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("lanes")
    # Two general workers and no growth: without the quick lane a short query would wait for a
    # long one to be killed at the time limit.
    settings = endpoint_settings(
        build_store(tmp / "store"), tmp, query_timeout=TIMEOUT, query_workers_max=2
    )
    with LiveServer(create_app(settings), free_port()) as live:
        yield live


def pool(server: LiveServer) -> object:
    return server.server.config.app.state.executor  # type: ignore[attr-defined]


def pids(workers: object) -> set[int]:
    return {w.process.pid for w in workers}  # type: ignore[attr-defined]


def send_in_background(url: str, query: str, statuses: list[int]) -> threading.Thread:
    def run() -> None:
        response = httpx.get(f"{url}/sparql", params={"query": query}, timeout=120)
        statuses.append(response.status_code)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_until(condition: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():  # type: ignore[operator]
        time.sleep(0.02)
    assert condition(), "the pool never reached the expected state"  # type: ignore[operator]


def test_a_short_query_does_not_wait_behind_long_ones(server: LiveServer) -> None:
    executor = pool(server)
    assert len(executor._workers) == 2 and len(executor._quick_workers) >= 1  # type: ignore[attr-defined]
    long_statuses: list[int] = []
    threads = [send_in_background(server.url, LONG, long_statuses) for _ in range(2)]
    wait_until(lambda: all(w.busy_since is not None for w in executor._workers))  # type: ignore[attr-defined]
    for _ in range(2):
        response = httpx.get(f"{server.url}/sparql", params={"query": QUICK}, timeout=120)
        assert response.status_code == 200 and response.json()["results"]["bindings"]
    # Orderings, not wall times: every short answer came while both long queries still ran.
    assert long_statuses == [], "the short queries waited for a general worker"
    for thread in threads:
        thread.join()
    assert long_statuses == [504, 504]  # and the long ones were still stopped at the limit


def test_a_false_promise_is_still_killed_and_the_quick_lane_renewed(server: LiveServer) -> None:
    executor = pool(server)
    wait_until(lambda: len(executor._workers) == 2 and len(executor._quick_workers) >= 1)  # type: ignore[attr-defined]
    quick_before = pids(executor._quick_workers)  # type: ignore[attr-defined]
    statuses: list[int] = []
    thread = send_in_background(server.url, FALSE_PROMISE, statuses)
    # Past its budget, its worker leaves the quick lane and a new quick worker starts.
    wait_until(lambda: pids(executor._quick_workers) - quick_before)  # type: ignore[attr-defined]
    demoted = quick_before - pids(executor._quick_workers)  # type: ignore[attr-defined]
    assert demoted and demoted <= pids(executor._workers)  # type: ignore[attr-defined]
    response = httpx.get(f"{server.url}/sparql", params={"query": QUICK}, timeout=120)
    assert response.status_code == 200
    assert statuses == []  # answered while the false promise still ran
    thread.join()
    assert statuses == [504]
    # Its worker was killed, and the general lane settles back to its size.
    wait_until(lambda: not (demoted & pids(executor._workers)))  # type: ignore[attr-defined]
    wait_until(lambda: len(executor._workers) == 2)  # type: ignore[attr-defined]
    for pid in demoted:
        wait_until(lambda pid=pid: not alive(pid))


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # gone between the open and the read
        return False


def test_lanes_of_a_pool_without_a_quick_lane_are_one(tmp_path: Path) -> None:
    """``quick=0`` keeps the pool as it was: every query in the general lane."""
    from kg.web.worker_pool import WorkerPool

    assert WorkerPool(tmp_path, size=2).quick == 0
