"""Benchmark of the network report on the partnership graph of the synthetic store, side by side
with a reference: plain igraph computing the same measures from an edge list already in memory.

    python bench/network.py                               # 2.5M triples (~20k nodes), 5 rounds
    python bench/network.py --triples 1000000 --repeat 3  # 1M triples (~8.6k nodes)
    python bench/network.py --store path/to/store         # an existing store

Each round runs (a) the whole report (``kg.network.pipeline.run_report``, ``parallel=True`` as
``kg network report`` does: extraction, build, measures, CSV, GraphML, GEXF, figures) and (b) the
reference, one after the other, so that changes in the machine's load hit both alike. The reference
is igraph alone on the report's own edge list (vertex indices and weights, built before timing):
degree and strength, PageRank (ARPACK), local clustering, effective size, Louvain, components,
bridges and articulation points, betweenness (exact up to ``--exact-up-to`` nodes, else sampled
from ``--samples`` sources, seed 42, as the report) and Burt's constraint (igraph's own), on one
core. It prints the median of every step of (a), the medians of (a), of (a)'s measures and of (b),
their ratios, and the load average beside each round.

The synthetic N-Quads come from ``bench/synthetic.py`` (same seed, same data); the store is
bulk-loaded and its default graph filled with the merge of its named graphs (the store's contract).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import igraph as ig
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from rows import Row, load_row, row, write_rows  # noqa: E402

from kg.network.pipeline import ReportRun, run_report  # noqa: E402
from kg.queries import QueryLibrary  # noqa: E402
from kg.store import open_store  # noqa: E402

#: Goals of issue 19 (wall clock seconds): on ~20,000 synthetic nodes, and on the national graph.
GOAL_SECONDS = 10.0
GOAL_NATIONAL_SECONDS = 5.0


def synthetic_store(triples: int, out: Path) -> Path:
    """The on-disk store of ``triples`` synthetic triples, generated and bulk-loaded if missing,
    its default graph holding the merge of the named graphs (as :mod:`kg.default_graph` says)."""
    store_path = out / f"synth-{triples}-store"
    if store_path.exists():
        return store_path
    import synthetic  # bench/synthetic.py

    nquads = out / f"synth-{triples}.nq"
    if not nquads.exists():
        print(f"generating {nquads} ...", file=sys.stderr)
        synthetic.generate(triples, nquads, seed=42)
    print(f"loading {nquads} into {store_path} ...", file=sys.stderr)
    store = open_store(store_path)
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    # one data graph: its triples are the merge (bulk, not one big update transaction)
    store.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    )
    store.flush()
    del store
    return store_path


def edge_list(run: ReportRun) -> tuple[int, list[tuple[int, int]], list[float]]:
    """The report's graph as igraph's input: vertex count, edges by index, weights."""
    graph = run.report.graph
    index = {node: i for i, node in enumerate(graph)}
    edges, weights = [], []
    for u, v, w in graph.edges(data="weight", default=1):
        edges.append((index[u], index[v]))
        weights.append(float(w))
    return len(index), edges, weights


def reference(
    n: int, edges: list[tuple[int, int]], weights: list[float], args: argparse.Namespace
) -> float:
    """Seconds for plain igraph to compute the report's measures from the edge list."""
    started = time.perf_counter()
    graph = ig.Graph(n=n, edges=edges)
    graph.degree()
    graph.strength(weights=weights)
    ig.set_random_number_generator(random.Random(0))
    graph.pagerank(damping=0.85, weights=weights, implementation="arpack")
    clustering = graph.transitivity_local_undirected(mode="zero")
    degrees = graph.degree()
    [d - c * (d - 1) if d else float("nan") for c, d in zip(clustering, degrees, strict=True)]
    ig.set_random_number_generator(random.Random(args.seed))
    graph.community_multilevel(weights=weights)
    ig.set_random_number_generator(random)
    graph.connected_components()
    graph.bridges()
    graph.articulation_points()
    if n <= args.exact_up_to:
        graph.betweenness(directed=False)
    else:
        sources = random.Random(args.seed).sample(range(n), min(args.samples, n))
        graph.betweenness(directed=False, sources=sources, targets=range(n))
    graph.constraint(weights=weights)
    return time.perf_counter() - started


def measured(run: ReportRun) -> float:
    """Seconds of the report's measures in this process (waiting for the forked ones included)."""
    return sum(seconds for step, seconds in run.report.timings.items() if "(parallel)" not in step)


def main(argv: list[str] | None = None) -> int:
    """Run the report and the reference ``--repeat`` times, interleaved; print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--store", type=Path, help="existing store (default: synthetic)")
    parser.add_argument("--triples", type=int, default=2_500_000, help="~20k nodes by default")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--graph", default="partnership")
    parser.add_argument("--samples", type=int, default=256)
    parser.add_argument("--exact-up-to", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--national", action="store_true", help="--store is the national graph (goal 5 s, not 10 s)"
    )
    parser.add_argument("--json", type=Path, help="write the result rows here (bench/rows.py)")
    parser.add_argument(
        "--serial", action="store_true", help="run the report on one core (no forked processes)"
    )
    args = parser.parse_args(argv)

    path = args.store or synthetic_store(args.triples, args.out)
    store = open_store(path, read_only=True)
    library = QueryLibrary(ROOT / "queries")
    steps: dict[str, list[float]] = {}
    whole: list[float] = []
    measures: list[float] = []
    plain: list[float] = []
    cpu: list[float] = []
    loads: list[float] = []
    given: tuple[int, list[tuple[int, int]], list[float]] | None = None
    run: Any = None
    for round_ in range(args.repeat):
        load = os.getloadavg()[0]
        loads.append(load)
        started = time.process_time()
        with tempfile.TemporaryDirectory() as files:
            run = run_report(
                args.graph,
                store,
                library,
                Path(files),
                exact_up_to=args.exact_up_to,
                samples=args.samples,
                seed=args.seed,
                parallel=not args.serial,
            )
        cpu.append(time.process_time() - started)
        for step, seconds in run.timings.items():
            steps.setdefault(step, []).append(seconds)
        whole.append(run.timings["whole report"])
        measures.append(measured(run))
        given = given or edge_list(run)  # the same graph every round
        plain.append(reference(*given, args))
        print(
            f"round {round_ + 1}: report {whole[-1]:.2f} s (measures {measures[-1]:.2f} s), "
            f"igraph alone {plain[-1]:.2f} s, load average {load:.2f}",
            file=sys.stderr,
        )
    summary = run.report.summary
    print(f"store: {path} ({len(store)} quads)")
    print(
        f"graph: {summary['graph']}, {summary['nodes']} nodes, {summary['edges']} edges, "
        f"{summary['components']} components, {summary['communities']} communities"
    )
    print(f"betweenness: {summary['betweenness']}")
    print(f"medians of {args.repeat} interleaved rounds\n")
    print(f"| {'step of the report':<48} | {'median s':>9} | {'min s':>7} | {'share':>6} |")
    print(f"|{'-' * 50}|{'-' * 11}|{'-' * 9}|{'-' * 8}|")
    total = statistics.median(whole)
    for step, values in steps.items():
        median = statistics.median(values)
        print(f"| {step:<48} | {median:>9.3f} | {min(values):>7.3f} | {median / total:>6.1%} |")
    reference_s = statistics.median(plain)
    measures_s = statistics.median(measures)
    print()
    print(f"| {'side by side (median s)':<48} | {'median s':>9} | {'vs igraph':>9} |")
    print(f"|{'-' * 50}|{'-' * 11}|{'-' * 11}|")
    print(
        f"| {'(b) igraph alone on the edge list, measures':<48} | {reference_s:>9.3f} | {1:>8.2f}x |"
    )
    print(
        f"| {'(a) report: measures (igraph conversion, rows)':<48} | {measures_s:>9.3f} |"
        f" {measures_s / reference_s:>8.2f}x |"
    )
    print(
        f"| {'(a) report: whole (store to files)':<48} | {total:>9.3f} |"
        f" {total / reference_s:>8.2f}x |"
    )
    goal = GOAL_NATIONAL_SECONDS if args.national else GOAL_SECONDS
    verdict = "under" if total < goal else "OVER"
    print(
        f"\nwhole report: {total:.2f} s median wall clock, {verdict} the {goal:.0f} s goal; "
        f"CPU time of this process {statistics.median(cpu):.2f} s median"
    )
    print(
        f"load average (1 min) at each round: {', '.join(f'{x:.2f}' for x in loads)}; "
        f"after: {os.getloadavg()[0]:.2f}, on {os.cpu_count()} CPUs"
    )
    where = "national graph" if args.national else f"{summary['nodes']} nodes"
    rows: list[Row] = [
        row("network", f"kg network report, {where}", total, "s", f"< {goal:.0f} s", total < goal),
        row("network", "igraph alone, same measures (reference)", reference_s, "s"),
        row("network", "report's measures vs igraph alone", measures_s / reference_s, "x"),
        row("network", "whole report vs igraph alone", total / reference_s, "x"),
        load_row("network"),
    ]
    write_rows(args.json, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
