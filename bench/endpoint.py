"""Benchmark of the SPARQL endpoint against its overhead floor and a peer, on 127.0.0.1 only.

On a synthetic store (``bench/synthetic.py``, 100k triples by default) the same query mix (lookup by
IRI, partners of a collectivity, agreements by sector and country with counts, a 2-hop path, a label
filter) is sent for a fixed time by a load generator with N concurrent clients to:

  (a) this endpoint (``kg.web.app``: worker processes with time limits),
  (b) a bare FastAPI route calling pyoxigraph directly (the overhead floor),
  (c) rdflib-endpoint serving the same data (a peer users might pick),

then (a) again while a pathological query keeps running. Each server runs in its own process.
Prints a table of requests/s, p50 and p99 latency and errors::

    .venv/bin/python bench/endpoint.py --triples 100000 --seconds 10 --clients 8

Query texts live in ``bench/queries/*.rq``; their parameters are bound with a SPARQL ``VALUES``
block of N-Triples terms opening the WHERE group (the protocol has no substitutions).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from kg.queries import QueryLibrary  # noqa: E402
from kg.web.sparql.lexer import tokens  # noqa: E402

QUERIES = QueryLibrary(ROOT / "bench" / "queries")
MIX = [
    "endpoint-bench-lookup",
    "endpoint-bench-partners",
    "endpoint-bench-sector-country",
    "endpoint-bench-two-hop",
    "endpoint-bench-label-filter",
]
SIMPLE = ["endpoint-bench-lookup", "endpoint-bench-label-filter"]
JSON_RESULTS = "application/sparql-results+json"


# --- servers (each started as `python bench/endpoint.py --serve KIND`) ---------------------------


def bare_app(store_path: Path) -> Any:
    """(b): one FastAPI route, pyoxigraph called directly, JSON results, nothing else."""
    from fastapi import FastAPI, Response

    store = ox.Store.read_only(str(store_path))
    app = FastAPI()

    @app.get("/sparql")
    def sparql(query: str) -> Response:
        result = store.query(query, use_default_graph_as_union=True)
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, media_type=JSON_RESULTS)

    return app


def rdflib_app(nquads: Path) -> Any:
    """(c): rdflib-endpoint over an rdflib Dataset holding the same quads (union default graph)."""
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    dataset = Dataset(default_union=True)
    dataset.parse(str(nquads), format="nquads")
    return SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)


def serve(kind: str, store_path: Path, nquads: Path, port: int) -> None:
    """Run one of the three servers (a, b, c) until killed."""
    import logging

    import uvicorn

    if kind == "a":
        from kg.settings import Settings
        from kg.web.app import create_app

        logging.getLogger("kg.web.requests").setLevel(logging.WARNING)
        settings = Settings(
            store=store_path,
            quarantine_dir=store_path.parent / "quarantine",
            query_timeout=float(os.environ.get("BENCH_TIMEOUT", "10")),
            max_rows=100_000,
        )
        app = create_app(settings, store=ox.Store.read_only(str(store_path)))
    elif kind == "b":
        app = bare_app(store_path)
    else:
        app = rdflib_app(nquads)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# --- load generator --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def render(name: str, values: dict[str, str]) -> str:
    """The query text with its parameters bound by a VALUES block opening its WHERE group.

    (A trailing VALUES clause would be joined after the group, too late for a FILTER to see it.)
    """
    query = QUERIES.get(name)
    bindings = query.bind({p.name: values[p.name] for p in query.parameters})
    if not bindings:
        return query.text
    variables = " ".join(f"?{var.value}" for var in bindings)
    terms = " ".join(str(term) for term in bindings.values())  # N-Triples syntax, escaped
    brace = next(t.offset for t in tokens(query.text) if t.text == "{")
    block = f" VALUES ({variables}) {{ ({terms}) }} "
    return query.text[: brace + 1] + block + query.text[brace + 1 :]


def start(kind: str, store_path: Path, nquads: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", kind, str(store_path), str(nquads), str(port)],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            response = httpx.get(
                url + "sparql", params={"query": "ASK {}"}, headers={"Accept": JSON_RESULTS}
            )
            if response.status_code == 200:
                return proc, url + "sparql"
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server {kind} did not start")


@dataclass
class Run:
    """Latencies (s) of the successful requests, errors, and wall time of one load run."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    stopped: int = 0


async def load(
    endpoint: str, texts: list[str], seconds: float, clients: int, timeout: float
) -> Run:
    """Send the mix round-robin from ``clients`` concurrent clients for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds

    async def client(index: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        i = index
        while time.monotonic() < stop:
            text = texts[i % len(texts)]
            i += 1
            started = time.perf_counter()
            try:
                response = await http.get(
                    endpoint, params={"query": text}, headers={"Accept": JSON_RESULTS}
                )
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    began = time.monotonic()
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    return Run(latencies, errors, time.monotonic() - began)


def summary(runs: list[Run]) -> dict[str, float]:
    """Pooled figures of several runs: requests/s over their total time, p50 and p99 in ms."""
    latencies = sorted(x for run in runs for x in run.latencies) or [float("nan")]
    elapsed = sum(run.elapsed for run in runs)
    return {
        "requests": sum(len(run.latencies) for run in runs),
        "rps": sum(len(run.latencies) for run in runs) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000,
        "errors": sum(run.errors for run in runs),
        "stopped": sum(run.stopped for run in runs),
    }


async def under_pathological(
    endpoint: str, simple: list[str], pathological: str, seconds: float, clients: int
) -> Run:
    """Simple queries while a pathological one keeps one worker busy (re-sent when stopped)."""
    stop = time.monotonic() + seconds
    stopped = 0

    async def keep_busy() -> None:
        nonlocal stopped
        async with httpx.AsyncClient(timeout=120) as http:
            while time.monotonic() < stop:
                response = await http.get(endpoint, params={"query": pathological})
                stopped += response.status_code == 504

    busy = asyncio.create_task(keep_busy())
    await asyncio.sleep(0.5)
    result = await load(endpoint, simple, seconds - 0.5, clients, timeout=60)
    await busy
    result.stopped = stopped
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="SPARQL endpoint benchmark (127.0.0.1 only).")
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of (a) and (b)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--simple-clients", type=int, default=2, help="for the latency runs")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-rdflib", action="store_true")
    args = parser.parse_args()

    from synthetic import generate

    work = Path(tempfile.mkdtemp(prefix="kg-bench-endpoint-"))
    nquads = generate(args.triples, work / "synthetic.nq", seed=args.seed)
    store_path = work / "store"
    store = ox.Store(str(store_path))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    triples = len(store)
    hub = next(iter(QUERIES.run(store, "endpoint-bench-hub")))["collectivity"].value
    del store
    values = {"entity": hub, "collectivity": hub, "prefix": "Ber"}
    texts = [render(name, values) for name in MIX]
    simple = [render(name, values) for name in SIMPLE]
    pathological = render("endpoint-bench-pathological", {})
    print(
        f"store: {triples} triples; hub {hub}; {args.clients} clients; "
        f"{args.rounds} alternating runs of {args.seconds:g} s for (a) and (b)"
    )

    rows: list[tuple[str, dict[str, float]]] = []
    # (a) and (b) run side by side and are loaded in alternating rounds, so that a change in
    # the machine's background load affects both alike.
    servers = {kind: start(kind, store_path, nquads) for kind in ("a", "b")}
    try:
        runs: dict[str, list[Run]] = {"a": [], "b": []}
        for _, endpoint in servers.values():
            asyncio.run(load(endpoint, texts, 1.0, args.clients, timeout=60))  # warm-up
        for _ in range(args.rounds):
            for kind, (_, endpoint) in servers.items():
                runs[kind].append(
                    asyncio.run(load(endpoint, texts, args.seconds, args.clients, 120))
                )
        rows.append(("(a) kg endpoint, query mix", summary(runs["a"])))
        rows.append(("(b) bare FastAPI + pyoxigraph, query mix", summary(runs["b"])))
        endpoint = servers["a"][1]
        n = args.simple_clients
        alone = asyncio.run(load(endpoint, simple, args.seconds, n, 60))
        rows.append((f"(a) simple queries alone, {n} clients", summary([alone])))
        busy = asyncio.run(under_pathological(endpoint, simple, pathological, args.seconds, n))
        rows.append((f"(a) simple queries, pathological running, {n} clients", summary([busy])))
    finally:
        for proc, _ in servers.values():
            proc.kill()
            proc.wait()
    if not args.skip_rdflib:
        proc, endpoint = start("c", store_path, nquads)
        try:
            run = asyncio.run(load(endpoint, texts, args.seconds, args.clients, 120))
            rows.append(("(c) rdflib-endpoint, query mix", summary([run])))
        finally:
            proc.kill()
            proc.wait()

    print()
    print("| target | requests | req/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in rows:
        extra = f" (pathological stopped {int(r['stopped'])}x)" if r["stopped"] else ""
        print(
            f"| {label}{extra} | {int(r['requests'])} | {r['rps']:.1f} | {r['p50']:.1f} | "
            f"{r['p99']:.1f} | {int(r['errors'])} |"
        )
    by = dict(rows)
    a, b = by["(a) kg endpoint, query mix"], by["(b) bare FastAPI + pyoxigraph, query mix"]
    print(f"\n(a)/(b) throughput ratio: {a['rps'] / b['rps']:.2f} (target >= 0.8)")
    if "(c) rdflib-endpoint, query mix" in by:
        c = by["(c) rdflib-endpoint, query mix"]
        print(f"(a)/(c) throughput ratio: {a['rps'] / max(c['rps'], 1e-9):.1f} (target >= 10)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit(main())
