"""Benchmark of the linked-data pages at national scale: a synthetic on-disk store with N labelled
collectivities (French and English labels, a type, a country; default 120,000, like the communes,
EPCI and foreign towns of the imports) plus the project's own files, served in-process.

Prints the time to build the catalogue (label index, class counts) once, then the median and p95 of
the home page, searches (exact, prefix, accent-less substring), a class listing page, a resource
page with many incoming links, and the same answers after the index is warm::

    .venv/bin/python bench/lod.py --entities 120000 --repeat 15
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import bulk_load_project
from kg.queries import QueryLibrary
from kg.settings import Settings
from kg.store import open_store
from kg.web.app import create_app
from kg.web.lod.catalogue import build_snapshot

BASE = "https://w3id.org/kgci/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
WORDS = ("Saint", "Val", "Mont", "Bourg", "Villeneuve", "Château", "Île", "Fontaine", "Orée", "Pré")


def build(path: Path, entities: int) -> None:
    """The project's files plus ``entities`` synthetic collectivities in one import graph."""
    store = open_store(path)
    bulk_load_project(store)
    graph = ox.NamedNode(BASE + "graph/import/bench")
    cls = ox.NamedNode(BASE + "def/Collectivity")
    country_p = ox.NamedNode(BASE + "def/country")
    fr = ox.NamedNode(BASE + "id/country/fr")

    def quads() -> object:
        for i in range(entities):
            node = ox.NamedNode(f"{BASE}id/collectivity/bench-{i}")
            name = f"{WORDS[i % len(WORDS)]}-{WORDS[(i // 10) % len(WORDS)]} {i}"
            yield ox.Quad(node, RDF_TYPE, cls, graph)
            yield ox.Quad(node, LABEL, ox.Literal(f"Commune de {name}", language="fr"), graph)
            yield ox.Quad(node, LABEL, ox.Literal(f"{name} municipality", language="en"), graph)
            yield ox.Quad(node, country_p, fr, graph)

    store.bulk_extend(quads())  # type: ignore[arg-type]
    store.flush()
    del store


def timed(client: TestClient, url: str, repeat: int) -> tuple[float, float]:
    """Median and p95 of ``repeat`` GETs of ``url``, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, headers={"Accept": "text/html"})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=120_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        start = time.perf_counter()
        build(path, args.entities)
        print(
            f"store: {args.entities} synthetic entities loaded in {time.perf_counter() - start:.1f} s"
        )
        settings = Settings(
            store=path, quarantine_dir=Path(tmp) / "q", dumps_dir=Path(tmp) / "d", query_workers=1
        )
        store = ox.Store.read_only(str(path))
        start = time.perf_counter()
        snapshot = build_snapshot(store, QueryLibrary(settings.queries_dir))
        print(
            f"catalogue build (at startup, in the background): {time.perf_counter() - start:.1f} s"
            f" for {len(snapshot.keys)} labels of {len(snapshot.labels)} resources"
        )
        with TestClient(create_app(settings, store=store)) as client:
            start = time.perf_counter()
            client.get("/")
            print(f"first home page (waits for the warm-up): {time.perf_counter() - start:.1f} s")
            cases = [
                ("home page", "/"),
                ("search exact 'ile de france'", "/search?q=ile+de+france"),
                ("search prefix 'saint val'", "/search?q=saint+val"),
                ("search substring 'chateau-pre 1234'", "/search?q=chateau+pre+1234"),
                ("search JSON 'fontaine'", "/search?q=fontaine&format=json"),
                ("browse collectivities p.100", f"/browse?class={BASE}def/Collectivity&page=100"),
                ("resource page, 120k incoming", "/id/country/fr"),
                ("resource Turtle", "/id/collectivity/ile-de-france.ttl"),
            ]
            print(f"\n| page | median ms | p95 ms |  (n={args.repeat})")
            print("|---|---:|---:|")
            for name, url in cases:
                median, p95 = timed(client, url, args.repeat)
                print(f"| {name} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
