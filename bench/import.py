"""Benchmark of the importers: time, peak memory and triples per second of each conversion and of
each validated load, of the full build (ontology + seeds + every import), the size of the full graph,
and the reconciliation figures (national outcome, precision on the hand-checked sample)::

    python bench/import.py                 # conversions, loads, reconciliation (a few minutes)
    python bench/import.py --full          # also the full build, `kg import all` (much longer)

Each phase runs in a fresh child process, so its peak resident memory is its own.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.importers import pipeline
from kg.importers.curation import Curation
from kg.importers.reconcile.communes import CommuneIndex
from kg.importers.twinnings import Resolver
from kg.queries import QueryLibrary

# The hand-checked sample's scorer is a test harness; it lives beside the tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from kg.settings import PROJECT_ROOT, Settings
from kg.sources import graph_for_path
from kg.store import open_store
from reconcile_evaluation import evaluate

SAMPLE = PROJECT_ROOT / "tests" / "fixtures" / "reconciliation_sample.csv"
CURATION = PROJECT_ROOT / "data" / "curation.csv"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ontology_store(path: Path) -> ox.Store:
    store = open_store(path)
    for file in sorted((PROJECT_ROOT / "ontology").rglob("*.ttl")):
        store.bulk_load(
            path=str(file),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(graph_for_path(file, PROJECT_ROOT)),
        )
    return store


def phase_convert(shared: Path, source: str) -> dict[str, Any]:
    options = pipeline.ImportOptions.from_shared(shared, CURATION)
    started = time.perf_counter()
    paths = {n: shared / pipeline.SHARED_LAYOUT[n] for n in pipeline.TWINNING_SOURCES}
    if source == "twinnings":
        conversions = pipeline.convert("twinnings-wikipedia", shared, options, None, paths)
    else:
        conversions = pipeline.convert(source, shared / pipeline.SHARED_LAYOUT[source], options)
    seconds = time.perf_counter() - started
    triples = sum(c.triples for c in conversions)
    names = {
        c.source.name: {k: v for k, v in c.counts.items() if k.startswith("names-")}
        for c in conversions
    }
    return {
        "seconds": seconds,
        "triples": triples,
        "peak_mb": _peak_mb(),
        "names": names,
        "cases": sum(len(c.cases) for c in conversions),
        "conflicts": sum(len(c.conflicts) for c in conversions),
    }


def phase_load(shared: Path, source: str) -> dict[str, Any]:
    """Validated load of one source into a store that holds the ontology (and the COG for twinnings)."""
    options = pipeline.ImportOptions.from_shared(shared, CURATION)
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        settings = Settings(store=folder / "store", quarantine_dir=folder / "q")
        store = _ontology_store(folder / "store")
        if source == "twinnings":
            cog = pipeline.convert("cog", shared / pipeline.SHARED_LAYOUT["cog"], options)[0]
            store.bulk_load(
                cog.data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(cog.source.graph)
            )
            paths = {n: shared / pipeline.SHARED_LAYOUT[n] for n in pipeline.TWINNING_SOURCES}
            conversions = pipeline.convert("twinnings-wikipedia", shared, options, None, paths)
        else:
            conversions = pipeline.convert(source, shared / pipeline.SHARED_LAYOUT[source], options)
        started = time.perf_counter()
        report = pipeline.load(store, settings, conversions, progress=False)
        seconds = time.perf_counter() - started
        return {
            "seconds": seconds,
            "triples": report.triples,
            "peak_mb": _peak_mb(),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def phase_full(shared: Path) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-full-"))
    try:
        settings = Settings(store=folder / "store", quarantine_dir=folder / "q")
        started = time.perf_counter()
        _, reports = pipeline.build_full(
            settings, shared, pipeline.ImportOptions.from_shared(shared, CURATION), progress=False
        )
        seconds = time.perf_counter() - started
        store = open_store(settings.store, read_only=True)
        classes = {
            row["class"].value: int(row["instances"].value)
            for row in QueryLibrary(settings.queries_dir).run(store, "endpoint-class-counts")
        }
        return {
            "seconds": seconds,
            "triples": len(store),
            "peak_mb": _peak_mb(),
            "classes": classes,
            "loaded": sum(r.triples for r in reports),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def phase_sample(shared: Path) -> dict[str, Any]:
    resolver = Resolver(
        CommuneIndex.from_cog(shared / pipeline.SHARED_LAYOUT["cog"]), Curation.read(CURATION)
    )
    started = time.perf_counter()
    result = evaluate(SAMPLE, resolver)
    return {
        "seconds": time.perf_counter() - started,
        "total": result.total,
        "matched": result.matched,
        "correct": result.correct,
        "ambiguous": result.ambiguous,
        "unmatched": result.unmatched,
        "precision": result.precision,
        "recall": result.recall,
        "wrong": result.wrong,
        "peak_mb": _peak_mb(),
    }


def _child(target: Callable[..., dict[str, Any]], args: tuple[Any, ...], queue: Any) -> None:
    queue.put(target(*args))


def run(target: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run one phase in a fresh process and return what it measured."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(target, args, queue))
    process.start()
    while True:
        try:
            result: dict[str, Any] = queue.get(timeout=5)
            break
        except Exception:  # queue.Empty: still running, or the child died
            if not process.is_alive():
                raise RuntimeError(
                    f"{target.__name__} failed (exit code {process.exitcode})"
                ) from None
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=pipeline.DEFAULT_SHARED)
    parser.add_argument("--full", action="store_true", help="also time the full build")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each conversion (median)")
    args = parser.parse_args()

    print("## Conversions (read, reconcile, write N-Triples; no validation)\n")
    print(f"{'source':<22}{'median s':>10}{'triples':>10}{'triples/s':>12}{'peak MB':>10}")
    national = {}
    for source in ("cog", "iati-codes", "twinnings"):
        runs = [run(phase_convert, args.shared, source) for _ in range(args.repeat)]
        seconds = statistics.median(r["seconds"] for r in runs)
        national[source] = runs[0]
        print(
            f"{source:<22}{seconds:>10.2f}{runs[0]['triples']:>10}{runs[0]['triples'] / seconds:>12.0f}{max(r['peak_mb'] for r in runs):>10.0f}"
        )

    print("\n## Validated loads (SHACL + one transaction + PROV record)\n")
    print(f"{'source':<22}{'seconds':>10}{'triples':>10}{'triples/s':>12}{'peak MB':>10}")
    for source in ("iati-codes", "twinnings", "cog"):
        r = run(phase_load, args.shared, source)
        print(
            f"{source:<22}{r['seconds']:>10.1f}{r['triples']:>10}{r['triples'] / r['seconds']:>12.0f}{r['peak_mb']:>10.0f}"
        )

    print("\n## Reconciliation of the national twinning files\n")
    print(f"{'source':<22}{'matched':>10}{'ambiguous':>10}{'unmatched':>10}{'matched %':>10}")
    for source, counts in national["twinnings"]["names"].items():
        total = sum(counts.values())
        print(
            f"{source:<22}{counts['names-matched']:>10}{counts['names-ambiguous']:>10}{counts['names-unmatched']:>10}{100 * counts['names-matched'] / total:>10.1f}"
        )
    print(
        f"cases to curate: {national['twinnings']['cases']}, conflicts reported: {national['twinnings']['conflicts']}"
    )

    sample = run(phase_sample, args.shared)
    print("\n## Precision on the hand-checked sample (tests/fixtures/reconciliation_sample.csv)\n")
    print(
        f"names {sample['total']}, matched {sample['matched']}, correct {sample['correct']}, "
        f"ambiguous {sample['ambiguous']}, unmatched {sample['unmatched']}"
    )
    print(
        f"precision {100 * sample['precision']:.1f} %  recall {100 * sample['recall']:.1f} %  ({sample['seconds']:.1f} s)"
    )
    for wrong in sample["wrong"]:
        print(f"  wrong: {wrong}")

    if args.full:
        print(
            "\n## Full build (kg import all: ontology, seeds, cog, iati-codes, both twinning sources)\n"
        )
        r = run(phase_full, args.shared)
        print(
            f"seconds {r['seconds']:.0f}, triples in store {r['triples']}, loaded {r['loaded']}, "
            f"{r['loaded'] / r['seconds']:.0f} triples/s, peak {r['peak_mb']:.0f} MB"
        )
        print(f"\n{'class':<60}{'entities':>10}")
        for name, count in sorted(r["classes"].items(), key=lambda kv: -kv[1])[:25]:
            print(f"{name:<60}{count:>10}")


if __name__ == "__main__":
    sys.exit(main())
