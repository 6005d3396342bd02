"""Ingestion benchmark: the real `kg load` CLI against `Store.bulk_load` of the same file, and a
1,000-triple batch into a 10k store against the same batch into a 1M store.

    python bench/ingest.py                        # 100k and 1M triples, 3 runs each way
    python bench/ingest.py --sizes 100000 --repeat 5
    python bench/ingest.py --large                # adds 3M and 10M
    python bench/ingest.py --json rows.json       # rows for `make bench`
    python bench/ingest.py --sizes --batch-repeat 9   # the 1,000-triple batches only

Both sides run as subprocesses on fresh on-disk stores, interleaved (A B A B ...), with the same
environment: `kg load FILE` (parse, SHACL validation, one transaction, load record) and a Python
process that opens a store and calls ``Store.bulk_load`` on the file. Wall time and peak RSS of each
child come from ``os.wait4``; medians are printed with their ratio and the load average, since the
machine may be shared. The batch times are in-process (``load_batches``, what the update endpoint
and the importers call), alternating between the two stores (order swapped every round), each
batch referring to entities drawn at random from the whole store, from pools of the same size on
both sides (``--sizes`` with no value runs the batches only). Data from ``bench/synthetic.py``
(fixed seed), validated against the project's real shapes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate

from kg.ingest import Batch, load_batches
from kg.ingest.rdfio import sha256_hex
from kg.settings import Settings
from kg.store import open_store
from kg.store.default_graph import rebuild as rebuild_default_graph

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/kgci/id/"
KGC = "https://w3id.org/kgci/def/"
VOCAB = "https://w3id.org/kgci/vocab/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD = "http://www.w3.org/2001/XMLSchema#"

BULK = """import sys, pyoxigraph as ox
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
store.flush()
print(len(store))
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float
    peak_mb: float
    load: float  # 1-minute load average when the run ended


def _human(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def _child(argv: list[str], env: dict[str, str]) -> Run:
    """Run ``argv``; its wall time, CPU time and peak RSS (``os.wait4``), failing loudly."""
    work = Path(env["KG_STORE"]).parent
    work.mkdir(parents=True, exist_ok=True)
    log = work / "child.log"
    with log.open("wb") as out:  # a file, not a pipe: nothing blocks while we wait
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv[1:4])[:200]} failed ({code}): {tail}")
    return Run(
        seconds=seconds,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss / 1024,
        load=os.getloadavg()[0],
    )


def _env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    env["KG_STORE"] = str(work / "store")
    env["KG_QUARANTINE_DIR"] = str(work / "quarantine")
    env["KG_MAX_FILE_SIZE"] = str(64 * 2**30)  # the file size guard is not what is measured
    return env


def kg_load(path: Path, work: Path) -> Run:
    """`kg load FILE` as a user runs it, into a fresh store."""
    argv = [sys.executable, "-m", "kg.cli", "load", str(path), "--no-progress"]
    return _child(argv, _env(work))


def bulk_load(path: Path, work: Path) -> Run:
    """``Store.bulk_load`` of the same file into a fresh store, in its own process."""
    return _child([sys.executable, "-c", BULK, str(path), str(work / "store")], _env(work))


#: How many collectivities and passages a bench batch draws its references from, the same on both
#: sides (the 10k store holds 166 collectivities): equal pools give batches that mention as many
#: distinct entities, so both stores do the same work.
POOL = {"Collectivity": 150, "Passage": 200}


def batch_referring_to(store: ox.Store, size: int, seed: int) -> bytes:
    """About ``size`` triples of new agreements between collectivities and passages of the store.

    The pools are drawn at random (``seed``) from ALL the collectivities and passages of the store,
    not its first ones, so that a batch into a large store reads entities spread over it (cold
    index blocks), as a real batch does; the same seed draws the same positions on both sides.
    """
    rng = random.Random(seed)

    def pool(cls: str) -> list[ox.NamedNode | ox.BlankNode]:
        found: list[ox.NamedNode | ox.BlankNode] = [
            q.subject  # type: ignore[misc]
            for q in store.quads_for_pattern(
                None, RDF_TYPE, ox.NamedNode(KGC + cls), ox.DefaultGraph()
            )
        ]
        if len(found) < POOL[cls]:
            raise RuntimeError(f"the store has {len(found)} {cls} nodes, not {POOL[cls]}")
        return [found[i] for i in sorted(rng.sample(range(len(found)), POOL[cls]))]

    colls, passages = pool("Collectivity"), pool("Passage")
    quads: list[ox.Quad] = []
    i = 0
    while len(quads) < size:
        a = ox.NamedNode(f"{ID}agreement/bench-{seed}-{i}")
        quads += [
            ox.Quad(a, RDF_TYPE, ox.NamedNode(KGC + "Agreement")),
            ox.Quad(a, LABEL, ox.Literal(f"Accord de banc {i}", language="fr")),
            ox.Quad(a, LABEL, ox.Literal(f"Bench agreement {i}", language="en")),
            ox.Quad(
                a,
                ox.NamedNode(KGC + "agreementType"),
                ox.NamedNode(VOCAB + "agreement-type/twinning"),
            ),
            ox.Quad(
                a,
                ox.NamedNode(KGC + "signingDate"),
                ox.Literal("2024", datatype=ox.NamedNode(XSD + "gYear")),
            ),
            ox.Quad(a, ox.NamedNode(KGC + "sector"), ox.NamedNode(VOCAB + "sector/culture")),
            ox.Quad(
                a, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), rng.choice(passages)
            ),
        ]
        quads += [ox.Quad(a, ox.NamedNode(KGC + "party"), p) for p in rng.sample(colls, 2)]
        i += 1
    data = ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # no output file given: the bytes
    return data


def _batch_store(base: Path, work: Path) -> tuple[ox.Store, Settings]:
    """A store of ``base`` as `kg` leaves it: bulk-loaded, default graph materialised, reopened."""
    store = ox.Store(str(work))
    store.bulk_load(path=str(base), format=ox.RdfFormat.N_QUADS)
    rebuild_default_graph(store)
    store.flush()
    del store
    settings = Settings(store=work, quarantine_dir=work.parent / "quarantine")
    return open_store(settings.store), settings


@dataclass(frozen=True)
class BatchTimes:
    """Seconds of each timed batch into the small and the large store, and the load averages."""

    small: list[float]
    large: list[float]
    loads: list[float]


def batch_times(small: Path, large: Path, work: Path, repeat: int) -> BatchTimes:
    """Seconds of 1,000-triple batches into the small and the large store, alternately.

    Each round draws a new batch (same seed on both sides), loads it into the small store then
    into the large one, and swaps the order every other round, so that neither side always runs
    first; the first round warms the shapes cache and is dropped.
    """
    stores = [_batch_store(small, work / "batch-small"), _batch_store(large, work / "batch-large")]
    times = BatchTimes([], [], [])
    for run in range(repeat + 1):
        order = (0, 1) if run % 2 else (1, 0)
        for side in order:
            store, settings = stores[side]
            data = batch_referring_to(store, 1000, seed=run)
            batch = Batch(
                graph=f"https://w3id.org/kgci/graph/import/bench-{run}",
                data=data,
                format=ox.RdfFormat.N_TRIPLES,
                source_name=f"bench-{run}.nt",
                sha256=sha256_hex(data),
            )
            started = time.perf_counter()
            load_batches(store, settings, [batch], progress=False)
            if run:
                (times.small if side == 0 else times.large).append(time.perf_counter() - started)
        if run:
            times.loads.append(os.getloadavg()[0])
    return times


def _row(measure: str, figure: float, unit: str, goal: str, ok: bool | None) -> dict[str, object]:
    return {
        "bench": "ingest",
        "measure": measure,
        "figure": round(figure, 3),
        "unit": unit,
        "goal": goal,
        "ok": ok,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ingestion benchmark")
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[100_000, 1_000_000], help="none: batches only"
    )
    parser.add_argument("--large", action="store_true", help="add 3M and 10M triples")
    parser.add_argument("--repeat", type=int, default=3, help="runs each way (median)")
    parser.add_argument("--batch-sizes", type=int, nargs=2, default=[10_000, 1_000_000])
    parser.add_argument("--batch-repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the rows for `make bench` here")
    args = parser.parse_args(argv)
    sizes = args.sizes + ([3_000_000, 10_000_000] if args.large else [])
    rows: list[dict[str, object]] = []
    print(f"load average at start: {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs")
    print(
        "| file | kg load (median) | bulk_load (median) | kg load / bulk_load throughput |", end=""
    )
    print(" kg load peak RSS | bulk_load peak RSS | load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        root = Path(tmp)
        for n in sizes:
            data = generate(n, root / f"synth-{n}.nq", seed=42)
            runs: dict[str, list[Run]] = {"kg": [], "bulk": []}
            for i in range(args.repeat):  # interleaved: A B A B ...
                runs["kg"].append(kg_load(data, root / f"kg-{n}-{i}"))
                runs["bulk"].append(bulk_load(data, root / f"bulk-{n}-{i}"))
            kg_s = statistics.median(r.seconds for r in runs["kg"])
            bulk_s = statistics.median(r.seconds for r in runs["bulk"])
            kg_mb = max(r.peak_mb for r in runs["kg"])
            bulk_mb = max(r.peak_mb for r in runs["bulk"])
            load = statistics.median(r.load for r in runs["kg"] + runs["bulk"])
            ratio = bulk_s / kg_s
            cpu = statistics.median(r.cpu for r in runs["kg"])
            bulk_cpu = statistics.median(r.cpu for r in runs["bulk"])
            print(
                f"| {_human(n)} | {kg_s:.1f} s (CPU {cpu:.1f} s) | {bulk_s:.1f} s (CPU {bulk_cpu:.1f} s) |"
                f" {ratio:.1%} (CPU {bulk_cpu / cpu:.1%}) |"
                f" {kg_mb:,.0f} MB | {bulk_mb:,.0f} MB | {load:.2f} |",
                flush=True,
            )
            goal_ratio, goal_mb = (0.25, 1536.0) if n <= 1_000_000 else (None, 4096.0)
            rows.append(
                _row(
                    f"kg load {_human(n)} / bulk_load throughput",
                    ratio,
                    "ratio",
                    f">= {goal_ratio}" if goal_ratio else "",
                    ratio >= goal_ratio if goal_ratio else None,
                )
            )
            rows.append(
                _row(
                    f"kg load {_human(n)} peak RSS",
                    kg_mb,
                    "MB",
                    f"<= {goal_mb:.0f}",
                    kg_mb <= goal_mb,
                )
            )
            rows.append(_row(f"bulk_load {_human(n)} peak RSS", bulk_mb, "MB", "", None))
            rows.append(
                _row(
                    f"kg load {_human(n)} / bulk_load CPU time ratio",
                    bulk_cpu / cpu,
                    "ratio",
                    "",
                    None,
                )
            )
            rows.append(_row(f"load average during {_human(n)}", load, "", "", None))
        if not args.batch_repeat:  # --batch-repeat 0: the full loads only
            if args.json:
                args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
            return 0
        small, large = args.batch_sizes
        files = [generate(s, root / f"base-{s}.nq", seed=7) for s in (small, large)]
        batches = batch_times(files[0], files[1], root, args.batch_repeat)
    m_small, m_large = statistics.median(batches.small), statistics.median(batches.large)
    print(
        f"\n1,000-triple batch (in-process load_batches, interleaved, median of "
        f"{args.batch_repeat}): {m_small * 1000:.0f} ms into {_human(small)}, "
        f"{m_large * 1000:.0f} ms into {_human(large)}, ratio {m_large / m_small:.2f}x; "
        f"load average {min(batches.loads):.2f}-{max(batches.loads):.2f}"
    )
    print(
        f"  each run, ms: {_human(small)} {[round(t * 1000) for t in batches.small]}, "
        f"{_human(large)} {[round(t * 1000) for t in batches.large]}"
    )
    rows.append(
        _row(f"1k batch into {_human(large)} store", m_large * 1000, "ms", "< 250", m_large < 0.25)
    )
    rows.append(_row(f"1k batch into {_human(small)} store", m_small * 1000, "ms", "", None))
    rows.append(_row("load average during the batches", max(batches.loads), "", "", None))
    rows.append(
        _row(
            f"1k batch {_human(large)} / {_human(small)} store",
            m_large / m_small,
            "ratio",
            "<= 1.1",
            m_large / m_small <= 1.1,
        )
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
