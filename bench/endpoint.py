"""Benchmark of the SPARQL endpoint beside its floor and its peers, on 127.0.0.1 only.

The same query mix (lookup by IRI, partners of a collectivity, agreements by sector and country with
counts, a 2-hop path, a label filter) is sent by N concurrent clients (8 and 32 by default) to four
servers over the SAME store (each server on its own copy of it, opened read-only where it can be):

  kg       the project's endpoint, ``kg serve`` (worker processes with time limits),
  bare     one FastAPI route calling pyoxigraph directly on the store's real default graph
           (the merge; no union mode), the overhead floor,
  oxigraph Oxigraph's own Rust server, ``oxigraph serve-read-only`` (the upper anchor, issue 18),
  rdflib   rdflib-endpoint over an rdflib graph of the same default-graph triples.

Every server runs at its own defaults (kg: 30 s query limit, 10,000 rows; the others have no limit);
the load generator gives up on a request after ``--http-timeout`` seconds and counts it lost, as it
counts any non-200 answer. Rounds are interleaved (kg bare oxigraph rdflib kg bare ...) for each
concurrency, so a change in the machine's background load hits every server alike; the load average
is printed with each round. Prints requests/s, p50/p99, lost, and the ratios to each reference::

    .venv/bin/python bench/endpoint.py --store /tmp/nat-main/store --seconds 10 --rounds 3 \
        --json bench-endpoint.json

Without ``--store`` a synthetic store (``bench/synthetic.py``, ``--triples``) is built and its
default graph filled with the merge. Query texts live in ``bench/queries/*.rq``; their parameters
are bound with a SPARQL ``VALUES`` block of N-Triples terms opening the WHERE group.
"""

from __future__ import annotations

import argparse
import asyncio
import json
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
SERVERS = ("kg", "bare", "oxigraph", "rdflib")
LABELS = {
    "kg": "kg serve",
    "bare": "bare FastAPI + pyoxigraph",
    "oxigraph": "oxigraph serve-read-only",
    "rdflib": "rdflib-endpoint",
}


# --- servers (bare and rdflib started as `python bench/endpoint.py --serve KIND STORE PORT`) ------


def bare_app(store_path: Path) -> Any:
    """One FastAPI route, pyoxigraph called directly on the real default graph, JSON results."""
    from fastapi import FastAPI, Response

    store = ox.Store.read_only(str(store_path))
    app = FastAPI()

    @app.get("/sparql")
    def sparql(query: str) -> Response:
        result = store.query(query)
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, media_type=JSON_RESULTS)

    return app


def rdflib_app(store_path: Path) -> Any:
    """rdflib-endpoint over an rdflib graph of the store's default-graph triples."""
    from rdflib import Graph
    from rdflib_endpoint import SparqlEndpoint

    store = ox.Store.read_only(str(store_path))
    data = ox.serialize(
        (q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
        format=ox.RdfFormat.N_TRIPLES,
    )
    del store
    graph = Graph()
    graph.parse(data=data, format="nt")
    return SparqlEndpoint(graph=graph, path="/sparql", cors_enabled=False)


def serve(kind: str, store_path: Path, port: int) -> None:
    """Run the bare or rdflib server until killed."""
    import uvicorn

    app = bare_app(store_path) if kind == "bare" else rdflib_app(store_path)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def command(kind: str, store_path: Path, port: int, work: Path) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of one server."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if kind == "kg":
        env.update(
            KG_STORE=str(store_path),
            KG_QUARANTINE_DIR=str(work / "quarantine"),
            KG_DUMPS_DIR=str(work / "dumps"),
        )
        cli = [sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1"]
        return [*cli, "--port", str(port)], env
    if kind == "oxigraph":
        binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        bind = f"127.0.0.1:{port}"
        return [binary, "serve-read-only", "--location", str(store_path), "--bind", bind], env
    return [sys.executable, __file__, "--serve", kind, str(store_path), str(port)], env


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


def start(kind: str, store_path: Path, work: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start one server on a free port; returns when it answers ``ASK {}``."""
    port = free_port()
    argv, env = command(kind, store_path, port, work)
    log = open(work / f"{kind}.log", "wb")  # noqa: SIM115 (the server outlives this call)
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    path = "query" if kind == "oxigraph" else "sparql"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            response = httpx.get(
                url + path, params={"query": "ASK {}"}, headers={"Accept": JSON_RESULTS}
            )
            if response.status_code == 200:
                return proc, url + path
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server {kind} did not start (see {work / (kind + '.log')})")


@dataclass
class Run:
    """Latencies (s) of the successful requests, lost ones, and wall time of one load run."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0  # answered, but not 200
    timeouts: int = 0  # no answer within the client's timeout
    elapsed: float = 0.0
    stopped: int = 0


async def load(
    endpoint: str, texts: list[str], seconds: float, clients: int, timeout: float
) -> Run:
    """Send the mix round-robin from ``clients`` concurrent clients for ``seconds``."""
    run = Run()
    stop = time.monotonic() + seconds

    async def client(index: int, http: httpx.AsyncClient) -> None:
        i = index
        while time.monotonic() < stop:
            text = texts[i % len(texts)]
            i += 1
            started = time.perf_counter()
            try:
                response = await http.get(
                    endpoint, params={"query": text}, headers={"Accept": JSON_RESULTS}
                )
            except httpx.TimeoutException:
                run.timeouts += 1
                continue
            except httpx.HTTPError:
                run.errors += 1
                continue
            if response.status_code == 200:
                run.latencies.append(time.perf_counter() - started)
            else:
                run.errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    began = time.monotonic()
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    run.elapsed = time.monotonic() - began
    return run


def summary(runs: list[Run]) -> dict[str, float]:
    """Pooled figures of several runs: requests/s over their total time, p50 and p99 in ms."""
    latencies = sorted(x for run in runs for x in run.latencies) or [float("nan")]
    elapsed = sum(run.elapsed for run in runs)
    return {
        "requests": sum(len(run.latencies) for run in runs),
        "rps": sum(len(run.latencies) for run in runs) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000,
        "lost": sum(run.errors + run.timeouts for run in runs),
        "timeouts": sum(run.timeouts for run in runs),
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


def prepare_store(args: argparse.Namespace, work: Path) -> Path:
    """The store every server reads: ``--store``, or a synthetic one with its merged default graph."""
    if args.store:
        return Path(args.store)
    from synthetic import generate

    from kg.store import open_store
    from kg.store.default_graph import rebuild

    nquads = generate(args.triples, work / "synthetic.nq", seed=args.seed)
    path = work / "synthetic-store"
    store = open_store(path)
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    rebuild(store)
    store.flush()
    del store
    return path


def row(measure: str, figure: float, unit: str, goal: str, ok: bool | None) -> dict[str, Any]:
    return {"bench": "endpoint", "measure": measure, "figure": round(figure, 3), "unit": unit,
            "goal": goal, "ok": ok}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description="SPARQL endpoint benchmark (127.0.0.1 only).")
    parser.add_argument("--store", help="an on-disk store to copy for each server (read-only)")
    parser.add_argument("--triples", type=int, default=100_000, help="synthetic store size")
    parser.add_argument("--seconds", type=float, default=10.0, help="per round and server")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--clients", default="8,32", help="concurrencies, comma-separated")
    parser.add_argument("--http-timeout", type=float, default=60.0, help="a request is lost after")
    parser.add_argument(
        "--servers", default=",".join(SERVERS), help="subset of " + ",".join(SERVERS)
    )
    parser.add_argument("--pathological", action="store_true", help="also kg under a long query")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", help="write the goal rows there")
    args = parser.parse_args()
    kinds = [k for k in SERVERS if k in args.servers.split(",")]
    concurrencies = [int(c) for c in args.clients.split(",")]

    work = Path(tempfile.mkdtemp(prefix="kg-bench-endpoint-"))
    source = prepare_store(args, work)
    store = ox.Store.read_only(str(source))
    triples = len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    hub = next(iter(QUERIES.run(store, "endpoint-bench-hub")))["collectivity"].value
    del store
    values = {"entity": hub, "collectivity": hub, "prefix": "Ber"}
    texts = [render(name, values) for name in MIX]
    print(
        f"store: {source} ({triples} default-graph triples); hub {hub}; clients {concurrencies}; "
        f"{args.rounds} interleaved rounds of {args.seconds:g} s per server; servers at their "
        f"defaults, client timeout {args.http_timeout:g} s"
    )
    servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    runs: dict[tuple[str, int], list[Run]] = {}
    loads: list[float] = []
    try:
        for kind in kinds:  # each on its own copy, all up at once: side by side
            copy = work / f"store-{kind}"
            shutil.copytree(source, copy)
            servers[kind] = start(kind, copy, work)
            print(f"  {kind} up: {servers[kind][1]}", flush=True)
        for _, endpoint in servers.values():
            asyncio.run(load(endpoint, texts, 2.0, 4, timeout=args.http_timeout))  # warm-up
        for round_ in range(args.rounds):
            for clients in concurrencies:
                for kind, (_, endpoint) in servers.items():
                    run = asyncio.run(
                        load(endpoint, texts, args.seconds, clients, args.http_timeout)
                    )
                    runs.setdefault((kind, clients), []).append(run)
                    loads.append(os.getloadavg()[0])
                    print(
                        f"  round {round_ + 1}, {clients} clients, {kind}: "
                        f"{len(run.latencies) / run.elapsed:.1f} req/s, "
                        f"lost {run.errors + run.timeouts}, load {os.getloadavg()[0]:.2f}",
                        flush=True,
                    )
        extra = None
        if args.pathological and "kg" in servers:
            simple = [render(name, values) for name in SIMPLE]
            pathological = render("endpoint-bench-pathological", {})
            extra = asyncio.run(
                under_pathological(servers["kg"][1], simple, pathological, args.seconds, 8)
            )
    finally:
        for proc, _ in servers.values():
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)

    figures = {key: summary(value) for key, value in runs.items()}
    print("\n| server | clients | requests | req/s | p50 ms | p99 ms | lost (timeouts) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (kind, clients), r in figures.items():
        print(
            f"| {LABELS[kind]} | {clients} | {int(r['requests'])} | {r['rps']:.1f} | "
            f"{r['p50']:.1f} | {r['p99']:.1f} | {int(r['lost'])} ({int(r['timeouts'])}) |"
        )
    if extra is not None:
        r = summary([extra])
        print(
            f"| kg serve, simple queries while a pathological one runs (stopped "
            f"{extra.stopped}x) | 8 | {int(r['requests'])} | {r['rps']:.1f} | {r['p50']:.1f} | "
            f"{r['p99']:.1f} | {int(r['lost'])} |"
        )
    load_avg = os.getloadavg()
    print(f"\nload average during the rounds: max {max(loads):.2f}, now {load_avg}")
    rows: list[dict[str, Any]] = []
    goals = {"bare": [0.9], "oxigraph": [0.7, 0.5], "rdflib": [10.0]}
    for clients in concurrencies:
        kg = figures.get(("kg", clients))
        if kg is None:
            continue
        rows.append(row(f"kg serve req/s, {clients} clients", kg["rps"], "req/s", "", None))
        rows.append(row(f"kg serve p50, {clients} clients", kg["p50"], "ms", "", None))
        rows.append(
            row(f"kg serve lost, {clients} clients", kg["lost"], "requests", "0", kg["lost"] == 0)
        )
        for ref, minima in goals.items():
            other = figures.get((ref, clients))
            if other is None:
                continue
            ratio = kg["rps"] / max(other["rps"], 1e-9)
            print(f"kg / {LABELS[ref]}, {clients} clients: {ratio:.2f}x (goal >= {minima})")
            for minimum in minima:
                rows.append(
                    row(
                        f"kg / {ref} throughput, {clients} clients",
                        ratio,
                        "x",
                        f">= {minimum:g}x",
                        ratio >= minimum,
                    )
                )
    rows.append(row("load average (1 min, max over rounds)", max(loads), "", "", None))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(main())
