"""Benchmark of the network report on the partnership graph of the synthetic store.

Times each step (extraction queries, graph build, each measure, writing the files, the whole
report) over several runs and prints their medians::

    python bench/network.py --triples 1000000            # generates and loads bench/out/ if needed
    python bench/network.py --store path/to/store        # an existing store

The synthetic N-Quads come from ``bench/synthetic.py`` (same seed, same data). Betweenness is exact
up to ``--exact-up-to`` nodes and sampled above (``--samples`` sources, seed 42), as the table says.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from kg.network.pipeline import run_report  # noqa: E402
from kg.queries import QueryLibrary  # noqa: E402
from kg.store import open_store  # noqa: E402


def synthetic_store(triples: int, out: Path) -> Path:
    """The on-disk store of ``triples`` synthetic triples, generated and bulk-loaded if missing."""
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
    store.flush()
    del store
    return store_path


def main(argv: list[str] | None = None) -> int:
    """Run the report ``--repeat`` times and print the median time of every step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--store", type=Path, help="existing store (default: synthetic)")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--graph", default="partnership")
    parser.add_argument("--samples", type=int, default=256)
    parser.add_argument("--exact-up-to", type=int, default=3000)
    parser.add_argument(
        "--serial", action="store_true", help="draw figures in this process, not in parallel"
    )
    args = parser.parse_args(argv)

    path = args.store or synthetic_store(args.triples, args.out)
    store = open_store(path, read_only=True)
    library = QueryLibrary(ROOT / "queries")
    runs: dict[str, list[float]] = {}
    cpu: list[float] = []
    load_before = os.getloadavg()[0]
    for _ in range(args.repeat):
        started = time.process_time()
        with tempfile.TemporaryDirectory() as files:
            run = run_report(
                args.graph,
                store,
                library,
                Path(files),
                exact_up_to=args.exact_up_to,
                samples=args.samples,
                parallel=not args.serial,
            )
        cpu.append(time.process_time() - started)
        for step, seconds in run.timings.items():
            runs.setdefault(step, []).append(seconds)
    summary = run.report.summary
    print(f"store: {path} ({len(store)} quads)")
    print(
        f"graph: {summary['graph']}, {summary['nodes']} nodes, {summary['edges']} edges, "
        f"{summary['components']} components, {summary['communities']} communities"
    )
    print(f"betweenness: {summary['betweenness']}")
    print(f"medians of {args.repeat} runs\n")
    print(f"| {'step':<48} | {'median s':>9} | {'min s':>7} | {'share':>6} |")
    print(f"|{'-' * 50}|{'-' * 11}|{'-' * 9}|{'-' * 8}|")
    whole = statistics.median(runs["whole report"])
    for step, values in runs.items():
        median = statistics.median(values)
        print(f"| {step:<48} | {median:>9.3f} | {min(values):>7.3f} | {median / whole:>6.1%} |")
    verdict = "under" if whole < 10 else "OVER"
    print(f"\nwhole report: {whole:.2f} s median wall clock, {verdict} the 10 s target")
    print(f"CPU time of this process for the whole report: {statistics.median(cpu):.2f} s median")
    print(
        f"load average (1 min) before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs (other processes share the machine)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
