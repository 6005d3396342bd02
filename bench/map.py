"""Benchmark of the maps on a built store (the national one by default): ``/map`` (whole network and
filtered), its JSON, and a collectivity page with its partner map, served in-process.

The first request reads the network (two named queries, timed apart as the cold cost); later ones
use the per-generation copy. Requests of the cases are interleaved, same settings, one client::

    .venv/bin/python bench/map.py --store /tmp/map/store --repeat 40 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from kg.queries import QueryLibrary
from kg.settings import Settings
from kg.web.app import create_app
from kg.web.geomap import read_network

DIJON = "https://w3id.org/kgci/id/collectivity/dijon-21231"
GOAL_MS = 500.0  # p99 of a warm /map answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/map/store"))
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--json", type=Path, default=None, help="write the result rows there")
    args = parser.parse_args()
    store = ox.Store.read_only(str(args.store))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=args.store, quarantine_dir=Path(tmp) / "q", query_workers=1)
        start = time.perf_counter()
        network = read_network(store, QueryLibrary(settings.queries_dir))
        cold = (time.perf_counter() - start) * 1000
        print(
            f"network read (cold, once per store generation): {cold:.0f} ms,"
            f" {len(network.places)} places with a point, {len(network.pairs)} agreement pairs"
        )
        cases = {
            "/map": "/map",
            "/map?country=DE": "/map?country=DE",
            "/map?region=27&type=twinning": "/map?region=27&type=twinning",
            "/map/data.json": "/map/data.json",
            "Dijon page (with partner map)": "/id/collectivity/dijon-21231",
            "/map/data.json?collectivity=Dijon": f"/map/data.json?collectivity={DIJON}",
        }
        samples: dict[str, list[float]] = {name: [] for name in cases}
        with TestClient(create_app(settings, store=store)) as client:
            for url in cases.values():  # warm-up, and every case answers
                assert client.get(url).status_code == 200, url
            for _ in range(args.repeat):
                for name, url in cases.items():
                    begin = time.perf_counter()
                    response = client.get(url)
                    samples[name].append((time.perf_counter() - begin) * 1000)
                    assert response.status_code == 200, url
    load = os.getloadavg()
    print(
        f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; n={args.repeat} each, interleaved"
    )
    print("| page | p50 ms | p99 ms | p50 ratio to /map |")
    print("|---|---:|---:|---:|")
    rows = [
        {
            "bench": "map",
            "measure": "network read, cold",
            "figure": round(cold, 1),
            "unit": "ms",
            "goal": "once per store generation",
            "ok": None,
        }
    ]
    base = None
    for name, values in samples.items():
        values.sort()
        p50 = statistics.median(values)
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        base = base or p50
        print(f"| {name} | {p50:.1f} | {p99:.1f} | {p50 / base:.2f} |")
        for measure, figure in (("p50", p50), ("p99", p99)):
            rows.append(
                {
                    "bench": "map",
                    "measure": f"{name} {measure}",
                    "figure": round(figure, 1),
                    "unit": "ms",
                    "goal": f"p99 < {GOAL_MS:g} ms" if measure == "p99" else "",
                    "ok": figure < GOAL_MS if measure == "p99" else None,
                }
            )
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
