"""Time limits that really stop the work: a pathological query gets 504 and its worker process is
killed, while simple queries sent at the same time keep being answered quickly."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from endpoint_helpers import build_store, endpoint_settings
from kg.web.app import create_app
from server_helpers import LiveServer, free_port

TIMEOUT = 2.0
# A five-way cartesian product over every triple: about 10^12 solutions to count.
PATHOLOGICAL = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
)
SIMPLE = "SELECT ?label WHERE { <https://w3id.org/kgci/id/collectivity/dijon-21231> ?p ?label }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("endpoint-timeout")
    settings = endpoint_settings(build_store(tmp / "store"), tmp, query_timeout=TIMEOUT)
    with LiveServer(create_app(settings), free_port()) as live:
        yield live


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def worker_pids(server: LiveServer) -> set[int]:
    app = server.server.config.app
    return {w.process.pid for w in app.state.executor._workers}  # type: ignore[attr-defined]


def test_pathological_query_is_stopped_while_others_are_answered(server: LiveServer) -> None:
    before = worker_pids(server)
    assert len(before) == 2 and all(alive(pid) for pid in before)
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        response = httpx.get(f"{server.url}/sparql", params={"query": PATHOLOGICAL}, timeout=60)
        outcome["response"] = response
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)  # the pathological query now occupies one worker
    latencies = []
    with httpx.Client(base_url=server.url, timeout=30) as client:
        while thread.is_alive():
            started = time.monotonic()
            response = client.get("/sparql", params={"query": SIMPLE})
            latencies.append(time.monotonic() - started)
            assert response.status_code == 200
            assert len(response.json()["results"]["bindings"]) > 3
            time.sleep(0.05)
    thread.join()

    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 504
    message = response.json()["error"]["message"]
    assert "2 s" in message and "KG_QUERY_TIMEOUT" in message
    seconds = float(outcome["seconds"])  # type: ignore[arg-type]
    # Orderings and generous bounds, not wall times: it was not stopped early, it was stopped well
    # before it could finish by itself, and the other queries were answered meanwhile, each faster.
    assert TIMEOUT <= seconds < TIMEOUT * 10
    assert latencies, "no simple query was answered while the pathological one ran"
    assert max(latencies) < seconds, latencies

    # The worker that ran it was killed (the work really stopped) and a fresh one replaced it.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (
        len(worker_pids(server)) < 2 or worker_pids(server) == before
    ):
        time.sleep(0.05)
    after = worker_pids(server)
    killed = before - after
    assert len(killed) == 1
    while time.monotonic() < deadline and any(alive(pid) for pid in killed):
        time.sleep(0.05)
    assert not any(alive(pid) for pid in killed)
    assert len(after) == 2 and all(alive(pid) for pid in after)
    assert httpx.get(f"{server.url}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_no_orphan_worker_left_after_shutdown(tmp_path: Path) -> None:
    settings = endpoint_settings(build_store(tmp_path / "store", filler=0), tmp_path)
    with LiveServer(create_app(settings), free_port()) as live:
        pids = worker_pids(live)
        assert all(alive(pid) for pid in pids)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    assert not any(alive(pid) for pid in pids)
    assert os.getpid() not in pids


def test_more_workers_start_when_every_worker_is_busy(tmp_path: Path) -> None:
    """Two pathological queries hold both base workers: another worker starts for simple ones."""
    limit = 6.0
    settings = endpoint_settings(
        build_store(tmp_path / "store"), tmp_path, query_timeout=limit, query_workers_max=3
    )
    results: list[int] = []
    with LiveServer(create_app(settings), free_port()) as live:

        def slow() -> None:
            response = httpx.get(f"{live.url}/sparql", params={"query": PATHOLOGICAL}, timeout=60)
            results.append(response.status_code)

        threads = [threading.Thread(target=slow) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.3)
        response = httpx.get(f"{live.url}/sparql", params={"query": SIMPLE}, timeout=30)
        assert response.status_code == 200
        assert results == []  # answered while both pathological queries were still running
        assert len(worker_pids(live)) == 3  # and no more than query_workers_max
        for thread in threads:
            thread.join()
        # the stuck workers were killed; the pool settles back to query_workers (2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(worker_pids(live)) != 2:
            time.sleep(0.05)
        assert len(worker_pids(live)) == 2
        assert httpx.get(f"{live.url}/sparql", params={"query": SIMPLE}).status_code == 200
    assert results == [504, 504]
