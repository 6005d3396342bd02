"""Benchmark of the linked-data pages through a real server, beside a bare SPARQL lookup of the same
IRIs, on 127.0.0.1 only.

``kg serve`` runs on a copy of the store (the national build: ``--store /tmp/nat-main/store``) and
N concurrent clients (8 by default) ask, in interleaved rounds of ``--seconds``:

  pages   the HTML resource pages of real entities, hubs included (Paris, Dijon, a région, the
          département with the most incoming links, the collectivity party to most agreements)
          and a sample of other collectivities with agreements;
  lookup  ``DESCRIBE <iri>`` of the same IRIs through the same server's ``/sparql`` (Turtle): the
          bare SPARQL lookup a client could do instead of reading the page;
  explore the pages a person exploring uses (issue 22): ``/map`` (the whole network), a faceted
          ``/browse`` (collectivities in one partner country) and a collectivity page with its
          partner map (Dijon), each timed apart.

Prints requests/s, p50/p99 and lost requests of each, the ratio pages/lookup (goal >= 0.5), the
p50 of each hub page under that load and alone (goal < 200 ms), p50/p99 of each explore page, the
first ``/map`` answer after start-up (cold) beside its warm p50, and the load average::

    .venv/bin/python bench/lod.py --store /tmp/nat-main/store --clients 8 --seconds 10 \\
        --json bench-lod.json

Without ``--store``, a synthetic store (``--entities`` labelled collectivities plus the project's
files, a hub with ``--hub-links`` agreements) is built first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
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
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

BASE = "https://w3id.org/kgci/"
ID = BASE + "id/collectivity/"
NAMED_HUBS = {
    "Paris": ID + "paris-75056",
    "Dijon": ID + "dijon-21231",
    "Bourgogne-Franche-Comté (région)": ID + "bourgogne-franche-comte",
}
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PARTY = ox.NamedNode(BASE + "def/party")


def build_synthetic(path: Path, entities: int, hub_links: int) -> None:
    """The project's files, ``entities`` labelled collectivities, and a hub party to
    ``hub_links`` agreements; the default graph rebuilt as the merge."""
    from conftest import bulk_load_project
    from kg.store import open_store
    from kg.store.default_graph import rebuild

    store = open_store(path)
    bulk_load_project(store)
    graph = ox.NamedNode(BASE + "graph/import/bench")
    cls = ox.NamedNode(BASE + "def/Collectivity")
    hub = ox.NamedNode(ID + "bench-hub")

    def quads() -> Any:
        yield ox.Quad(hub, RDF_TYPE, cls, graph)
        yield ox.Quad(hub, LABEL, ox.Literal("Bench hub", language="fr"), graph)
        for i in range(entities):
            node = ox.NamedNode(f"{ID}bench-{i}")
            yield ox.Quad(node, RDF_TYPE, cls, graph)
            yield ox.Quad(node, LABEL, ox.Literal(f"Commune {i}", language="fr"), graph)
            if i < hub_links:
                agreement = ox.NamedNode(f"{BASE}id/agreement/bench-{i}")
                yield ox.Quad(agreement, RDF_TYPE, ox.NamedNode(BASE + "def/Agreement"), graph)
                yield ox.Quad(agreement, PARTY, hub, graph)
                yield ox.Quad(agreement, PARTY, node, graph)

    store.bulk_extend(quads())
    rebuild(store)
    store.flush()
    del store


def entities(store: ox.Store, sample: int, seed: int) -> tuple[dict[str, str], list[str]]:
    """The hubs (named ones that exist, the most linked département-like IRI, the top party) and
    a sample of other collectivities with agreements."""
    hubs = {
        name: iri
        for name, iri in NAMED_HUBS.items()
        if next(store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph()), None)
    }
    most_linked = (
        f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?o), '{ID}')) }} "
        "GROUP BY ?o ORDER BY DESC(?n) LIMIT 1"
    )
    for row in store.query(most_linked):
        hubs[f"most incoming links ({row['n'].value})"] = row["o"].value
    top_party = (
        f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ ?a <{PARTY.value}> ?o }} "
        "GROUP BY ?o ORDER BY DESC(?n) LIMIT 1"
    )
    for row in store.query(top_party):
        hubs[f"most agreements ({row['n'].value})"] = row["o"].value
    parties = sorted(
        {
            q.object.value
            for q in store.quads_for_pattern(None, PARTY, None, ox.DefaultGraph())
            if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(ID)
        }
    )
    random.Random(seed).shuffle(parties)
    return hubs, parties[:sample]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(store_path: Path, work: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``kg serve`` on ``store_path``; returns when its home page answers (catalogue built)."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "KG_STORE": str(store_path),
        "KG_QUARANTINE_DIR": str(work / "quarantine"),
        "KG_DUMPS_DIR": str(work / "dumps"),
    }
    argv = [sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = open(work / "kg.log", "wb")  # noqa: SIM115 (the server outlives this call)
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url + "/", timeout=300).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"kg serve did not start (see {work / 'kg.log'})")


Request = tuple[str, dict[str, str], dict[str, str]]  # path, query parameters, headers
HTML_ACCEPT = {"Accept": "text/html"}
#: What a person exploring opens (issue 22), by name: path and query parameters.
EXPLORE: dict[str, tuple[str, dict[str, str]]] = {
    "/map": ("/map", {}),
    "/browse faceted (collectivities, country DE)": (
        "/browse",
        {"class": BASE + "def/Collectivity", "country": BASE + "id/country/de"},
    ),
    "collectivity page (Dijon, with partner map)": ("/id/collectivity/dijon-21231", {}),
}


#: p99 of a warm ``/map`` answer.
MAP_P99_GOAL_MS = 500.0


def page_request(iri: str) -> Request:
    return "/" + iri.removeprefix(BASE), {}, HTML_ACCEPT


def lookup_request(iri: str) -> Request:
    return "/sparql", {"query": f"DESCRIBE <{iri}>"}, {"Accept": "text/turtle"}


def explore_request(name: str) -> Request:
    path, params = EXPLORE[name]
    return path, params, HTML_ACCEPT


MAKERS = {"pages": page_request, "lookup": lookup_request, "explore": explore_request}


@dataclass
class Run:
    """Latencies (s) by IRI of the successful requests, lost ones, and wall time."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    lost: int = 0
    elapsed: float = 0.0

    def all(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]


async def load(url: str, iris: list[str], kind: str, seconds: float, clients: int) -> Run:
    """``clients`` concurrent clients cycling through ``iris`` (each from its own offset); for
    ``explore``, ``iris`` are the names of :data:`EXPLORE`."""
    make = MAKERS[kind]
    run = Run()
    stop = time.monotonic() + seconds

    async def client(index: int, http: httpx.AsyncClient) -> None:
        i = index * 7
        while time.monotonic() < stop:
            iri = iris[i % len(iris)]
            i += 1
            path, params, headers = make(iri)
            started = time.perf_counter()
            try:
                response = await http.get(url + path, params=params, headers=headers)
            except httpx.HTTPError:
                run.lost += 1
                continue
            if response.status_code == 200 and response.content:
                run.latencies.setdefault(iri, []).append(time.perf_counter() - started)
            else:
                run.lost += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    began = time.monotonic()
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    run.elapsed = time.monotonic() - began
    return run


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values) or [float("nan")]
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def row(measure: str, figure: float, unit: str, goal: str, ok: bool | None) -> dict[str, Any]:
    return {"bench": "lod", "measure": measure, "figure": round(figure, 3), "unit": unit,
            "goal": goal, "ok": ok}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an on-disk store to copy for the server (read-only)")
    parser.add_argument("--entities", type=int, default=20_000, help="synthetic store only")
    parser.add_argument("--hub-links", type=int, default=1_500, help="synthetic store only")
    parser.add_argument("--sample", type=int, default=40, help="other collectivities")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0, help="per round and kind")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--alone", type=int, default=15, help="sequential GETs of each hub page")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="write the goal rows there")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kg-bench-lod-"))
    copy = work / "store"
    if args.store:
        shutil.copytree(args.store, copy)
    else:
        build_synthetic(copy, args.entities, args.hub_links)
    store = ox.Store.read_only(str(copy))
    hubs, sample = entities(store, args.sample, args.seed)
    del store
    iris = list(dict.fromkeys([*hubs.values(), *sample]))
    print(
        f"store: {args.store or 'synthetic'}; {len(hubs)} hubs + {len(sample)} other "
        f"collectivities; {args.clients} clients; {args.rounds} interleaved rounds of "
        f"{args.seconds:g} s"
    )
    for name, iri in hubs.items():
        print(f"  hub {name}: {iri}")
    runs: dict[str, list[Run]] = {"pages": [], "lookup": [], "explore": []}
    targets = {"pages": iris, "lookup": iris, "explore": list(EXPLORE)}
    loads: list[float] = []
    alone: dict[str, list[float]] = {}
    proc, url = start(copy, work)
    try:
        with httpx.Client(base_url=url, timeout=300) as http:  # the first /map after start-up
            path, params, headers = explore_request("/map")
            started = time.perf_counter()
            http.get(path, params=params, headers=headers).raise_for_status()
            map_cold = (time.perf_counter() - started) * 1000
            for name in EXPLORE:  # every explore page answers
                path, params, headers = explore_request(name)
                http.get(path, params=params, headers=headers).raise_for_status()
        for kind in runs:  # warm-up
            asyncio.run(load(url, targets[kind], kind, 2.0, 2))
        for round_ in range(args.rounds):
            for kind, kept in runs.items():
                run = asyncio.run(load(url, targets[kind], kind, args.seconds, args.clients))
                kept.append(run)
                loads.append(os.getloadavg()[0])
                print(
                    f"  round {round_ + 1} {kind}: {len(run.all()) / run.elapsed:.1f} req/s, "
                    f"lost {run.lost}, load {loads[-1]:.2f}",
                    flush=True,
                )
        with httpx.Client(base_url=url, timeout=60) as http:
            for name, iri in hubs.items():
                path, _, headers = page_request(iri)
                for _ in range(args.alone):
                    started = time.perf_counter()
                    http.get(path, headers=headers).raise_for_status()
                    alone.setdefault(name, []).append(time.perf_counter() - started)
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)

    figures = {}
    print(
        f"\n| requests | clients | done | req/s | p50 ms | p99 ms | lost |  (load max {max(loads):.2f})"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    labels = {
        "pages": "resource pages (HTML)",
        "lookup": "DESCRIBE via /sparql",
        "explore": "explore pages (map, browse, Dijon)",
    }
    for kind, kept in runs.items():
        latencies = [x for run in kept for x in run.all()]
        rps = len(latencies) / sum(run.elapsed for run in kept)
        lost = sum(run.lost for run in kept)
        figures[kind] = rps
        label = labels[kind]
        print(
            f"| {label} | {args.clients} | {len(latencies)} | {rps:.1f} | "
            f"{pct(latencies, 0.5):.1f} | {pct(latencies, 0.99):.1f} | {lost} |"
        )
    ratio = figures["pages"] / max(figures["lookup"], 1e-9)
    print(f"\npages / lookup throughput: {ratio:.2f}x (goal >= 0.5)")
    rows = [
        row("resource pages req/s", figures["pages"], "req/s", "", None),
        row("DESCRIBE lookup req/s", figures["lookup"], "req/s", "", None),
        row("pages / bare lookup throughput", ratio, "x", ">= 0.5x", ratio >= 0.5),
        row(
            "pages lost",
            sum(run.lost for run in runs["pages"]),
            "requests",
            "0",
            sum(run.lost for run in runs["pages"]) == 0,
        ),
    ]
    print(f"\n| hub page | p50 ms under {args.clients} clients | p50 ms alone |")
    print("|---|---:|---:|")
    for name, iri in hubs.items():
        loaded = [x for run in runs["pages"] for x in run.latencies.get(iri, [])]
        p50_loaded = statistics.median(loaded) * 1000 if loaded else float("nan")
        p50_alone = statistics.median(alone[name]) * 1000
        print(f"| {name} | {p50_loaded:.1f} | {p50_alone:.1f} |")
        rows.append(row(f"hub page p50 alone, {name}", p50_alone, "ms", "< 200", p50_alone < 200))
        rows.append(
            row(
                f"hub page p50 under {args.clients} clients, {name}",
                p50_loaded,
                "ms",
                "< 200",
                p50_loaded < 200,
            )
        )
    print(f"\n| explore page | p50 ms under {args.clients} clients | p99 ms | done |")
    print("|---|---:|---:|---:|")
    for name in EXPLORE:
        got = [x for run in runs["explore"] for x in run.latencies.get(name, [])]
        p50, p99 = pct(got, 0.5), pct(got, 0.99)
        print(f"| {name} | {p50:.1f} | {p99:.1f} | {len(got)} |")
        rows.append(row(f"{name} p50 under {args.clients} clients", p50, "ms", "", None))
        goal = f"< {MAP_P99_GOAL_MS:g}" if name == "/map" else ""  # bench/map.py's former goal
        ok = p99 < MAP_P99_GOAL_MS if name == "/map" else None
        rows.append(row(f"{name} p99 under {args.clients} clients", p99, "ms", goal, ok))
    explore_lost = sum(run.lost for run in runs["explore"])
    rows.append(row("explore pages lost", explore_lost, "requests", "0", explore_lost == 0))
    print(f"\n/map: first answer after start-up (cold) {map_cold:.1f} ms")
    rows.append(row("/map first answer after start-up (cold)", map_cold, "ms", "", None))
    print(f"\nload average: max over rounds {max(loads):.2f}, now {os.getloadavg()}")
    rows.append(row("load average (1 min, max over rounds)", max(loads), "", "", None))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
