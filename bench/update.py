"""Benchmark of a 1,000-triple SPARQL Update through the endpoint on a copy of the national store.

    python bench/update.py                                  # /tmp/nat-main/store, 5 rounds
    python bench/update.py --store path/to/store --repeat 7 --json out.json

The store is copied (``cp -r``) into a temporary directory, and ``kg serve`` runs on the copy with an
update token, on a free port of 127.0.0.1. A bench graph first gets one triple about each of 1,000
collectivities (``rdfs:comment "bench round 0"@en``, untimed). Each round then makes the same change
(the 1,000 comments replaced by those of the next round: 1,000 triples deleted, 1,000 inserted)
three ways, one after the other, so the machine's load hits them alike:

- ``where-small``: ``DELETE { ... } INSERT { ... } WHERE { GRAPH <bench> { ?c rdfs:comment ?old } }``
  (the snapshot holds the bench graph only: the FILTER sits inside the GRAPH block, for a FILTER
  outside it the planner counts the default graph as read);
- ``where-cog``: the same WHERE joined with ``GRAPH <cog> { ?c a kgc:Collectivity }`` (the snapshot
  holds the 360k-triple COG graph too);
- ``where-merge``: the same WHERE joined with ``?c a kgc:Collectivity`` outside GRAPH, i.e. in the
  default graph (the snapshot holds the whole merge, ~460k triples);
- ``data``: ``DELETE DATA { ... } ; INSERT DATA { ... }`` naming the 2,000 triples.

Every update goes through the whole path (plan, snapshot, evaluation in a child process, SHACL
validation with the store's neighbourhood, one transaction with its load record). It prints the
median of each, the ratios to ``data``, and the load average beside each round. Both servers'
settings are the same; ``KG_MAX_QUERY_LENGTH`` is raised to 1,000,000 so the DATA form fits.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = Path("/tmp/nat-main/store")
TOKEN = "bench-update-token"
BENCH_GRAPH = "https://w3id.org/kgci/graph/bench/update"
COG = "https://w3id.org/kgci/graph/import/cog"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
COLLECTIVITY = "https://w3id.org/kgci/def/Collectivity"
SIZE = 1000
FORMS = ("where-small", "where-cog", "where-merge", "data")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(store: Path, port: int, tmp: Path) -> subprocess.Popen[bytes]:
    """``kg serve`` on ``store`` with the update token; returns once it answers /healthz."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "KG_STORE": str(store),
        "KG_UPDATE_TOKEN": TOKEN,
        "KG_MAX_QUERY_LENGTH": "1000000",
        "KG_MAX_BODY": "10000000",
        "KG_QUARANTINE_DIR": str(tmp / "quarantine"),
        "KG_UPDATE_TIMEOUT": "600",
    }
    command = [sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise RuntimeError("kg serve exited before answering")
        time.sleep(0.5)
    server.terminate()
    raise RuntimeError("kg serve did not answer /healthz within 300 s")


def subjects(client: httpx.Client) -> list[str]:
    """The first 1,000 collectivities of the COG graph, by IRI."""
    query = (
        f"SELECT ?c WHERE {{ GRAPH <{COG}> {{ ?c a <{COLLECTIVITY}> }} }} ORDER BY ?c LIMIT {SIZE}"
    )
    response = client.get("/sparql", params={"query": query})
    response.raise_for_status()
    found = [b["c"]["value"] for b in response.json()["results"]["bindings"]]
    if len(found) != SIZE:
        raise RuntimeError(f"the store has {len(found)} collectivities, not {SIZE}")
    return found


def _literal(round_: int) -> str:
    return f'"bench round {round_}"@en'


def data_block(iris: list[str], round_: int) -> str:
    """The 1,000 comments of round ``round_`` in the bench graph, as a GRAPH block."""
    triples = " ".join(f"<{c}> <{COMMENT}> {_literal(round_)} ." for c in iris)
    return f"GRAPH <{BENCH_GRAPH}> {{ {triples} }}"


def update_for(form: str, iris: list[str], old: int, new: int) -> str:
    """The update replacing round ``old``'s 1,000 comments by round ``new``'s, in ``form``."""
    if form == "data":
        return f"DELETE DATA {{ {data_block(iris, old)} }} ;\nINSERT DATA {{ {data_block(iris, new)} }}"
    where = f"GRAPH <{BENCH_GRAPH}> {{ ?c <{COMMENT}> ?old FILTER(?old = {_literal(old)}) }}"
    if form == "where-cog":
        where += f" GRAPH <{COG}> {{ ?c a <{COLLECTIVITY}> }}"
    if form == "where-merge":
        where += f" ?c a <{COLLECTIVITY}> ."
    return (
        f"DELETE {{ GRAPH <{BENCH_GRAPH}> {{ ?c <{COMMENT}> ?old }} }} "
        f"INSERT {{ GRAPH <{BENCH_GRAPH}> {{ ?c <{COMMENT}> {_literal(new)} }} }} "
        f"WHERE {{ {where} }}"
    )


def send(client: httpx.Client, text: str) -> float:
    """Seconds the endpoint took to apply one update (fails loudly on anything but 200)."""
    started = time.perf_counter()
    response = client.post(
        "/sparql",
        content=text.encode(),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"update failed: {response.status_code} {response.text[:500]}")
    return elapsed


def check(client: httpx.Client, round_: int) -> None:
    """The bench graph holds exactly round ``round_``'s 1,000 comments."""
    query = (
        f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ GRAPH <{BENCH_GRAPH}> {{ ?c <{COMMENT}> ?v }} }} "
        "GROUP BY ?v"
    )
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    got = {(r["v"]["value"], int(r["n"]["value"])) for r in rows}
    if got != {(f"bench round {round_}", SIZE)}:
        raise RuntimeError(f"after round {round_} the bench graph holds {got}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and optionally write) its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--store", type=Path, default=NATIONAL, help="store to copy")
    parser.add_argument("--repeat", type=int, default=5, help="rounds (each form once a round)")
    parser.add_argument("--json", type=Path, help="write the figures there as a list of rows")
    args = parser.parse_args(argv)
    if not (args.store / "CURRENT").exists():
        print(f"no store at {args.store}", file=sys.stderr)
        return 2
    times: dict[str, list[float]] = {form: [] for form in FORMS}
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-update-") as tmp_name:
        tmp = Path(tmp_name)
        copy = tmp / "store"
        print(f"copying {args.store} to {copy} ...", file=sys.stderr)
        shutil.copytree(args.store, copy)
        port = free_port()
        server = start_server(copy, port, tmp)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=900) as client:
                iris = subjects(client)
                send(client, f"INSERT DATA {{ {data_block(iris, 0)} }}")
                check(client, 0)
                current = 0
                for round_ in range(1, args.repeat + 1):
                    figures = []
                    for form in FORMS:
                        seconds = send(client, update_for(form, iris, current, current + 1))
                        current += 1
                        check(client, current)
                        times[form].append(seconds)
                        figures.append(f"{form} {seconds:.2f} s")
                    load = os.getloadavg()[0]
                    loads.append(load)
                    print(f"round {round_}: {', '.join(figures)} (load average {load:.2f})")
        finally:
            server.terminate()
            server.wait(timeout=60)
    medians = {form: statistics.median(values) for form, values in times.items()}
    print(f"\nmedians over {args.repeat} rounds of a {SIZE}-triple change on {args.store}:")
    for form in FORMS:
        ratio = medians[form] / medians["data"]
        print(f"  {form:<12} {medians[form]:7.2f} s   {ratio:5.2f}x the DATA form")
    print(f"load average: {min(loads):.2f} to {max(loads):.2f} (machine has {os.cpu_count()} CPUs)")
    if args.json:
        rows: list[dict[str, Any]] = [
            {
                "bench": "update",
                "measure": f"{SIZE}-triple change, {form}, median s",
                "figure": round(medians[form], 3),
                "unit": "s",
                "goal": "report (issue 18: time it on the national store)",
                "ok": None,
            }
            for form in FORMS
        ]
        rows.append(
            {
                "bench": "update",
                "measure": "DELETE/INSERT WHERE (bench graph) / DATA, median ratio",
                "figure": round(medians["where-small"] / medians["data"], 3),
                "unit": "x",
                "goal": "report",
                "ok": None,
            }
        )
        rows.append(
            {
                "bench": "update",
                "measure": "load average (1 min), max over rounds",
                "figure": round(max(loads), 2),
                "unit": "",
                "goal": "report",
                "ok": None,
            }
        )
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
