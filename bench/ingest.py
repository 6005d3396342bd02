"""Ingestion benchmark: raw bulk_load vs validated `kg load`, and 1,000-triple batches into growing stores.

    python bench/ingest.py                      # sizes 10k 100k 1M; full validation up to 100k
    python bench/ingest.py --sizes 10000 100000 --full-max 100000 --repeat 5 --full-repeat 3

Prints a markdown table. Full validations are run both ways, alternately, in the same run: "before" with
``kg.validation.speed.FAST_GRAPHS`` off (pySHACL over plain rdflib graphs) and "after" with it on. Everything is measured in one run, side by side, on synthetic data from
``bench/synthetic.py`` (fixed seed) validated against the project's real shapes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate

from kg.ingest import Batch, batch_from_file, load_batches
from kg.ingest.rdfio import sha256_hex
from kg.settings import Settings
from kg.store import open_store
from kg.store.default_graph import rebuild as rebuild_default_graph
from kg.validation import speed as validation

ID = "https://w3id.org/kgci/id/"
KGC = "https://w3id.org/kgci/def/"
VOCAB = "https://w3id.org/kgci/vocab/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD = "http://www.w3.org/2001/XMLSchema#"


def _human(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def bulk_load_rate(path: Path, work: Path) -> tuple[float, int]:
    """Seconds and triples of ``Store.bulk_load`` of a file into a fresh on-disk store."""
    store = ox.Store(str(work))
    started = time.perf_counter()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    return seconds, len(store)


def kg_load_rate(path: Path, work: Path, fast: bool = True) -> tuple[float, float, int]:
    """Wall and CPU seconds of a full `kg load` (parse, SHACL validation of the whole file, one
    transaction). CPU time is less disturbed by the other processes of a shared machine."""
    validation.FAST_GRAPHS = fast
    settings = Settings(store=work, quarantine_dir=work.parent / "quarantine")
    store = open_store(settings.store)
    started, cpu = time.perf_counter(), time.process_time()
    report = load_batches(store, settings, [batch_from_file(path, settings)], progress=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    validation.FAST_GRAPHS = True
    return seconds, cpu, report.triples


def full_load_medians(path: Path, work: Path, repeat: int) -> tuple[float, float, float, float]:
    """Median wall and CPU seconds of a full `kg load` before and after (plain vs ReadStore graphs),
    alternated: (wall before, wall after, CPU before, CPU after)."""
    runs: list[tuple[float, float, float, float]] = []
    for run in range(repeat):
        wall_b, cpu_b, _ = kg_load_rate(path, work / f"before-{run}", fast=False)
        wall_a, cpu_a, _ = kg_load_rate(path, work / f"after-{run}", fast=True)
        runs.append((wall_b, wall_a, cpu_b, cpu_a))
    wb, wa, cb, ca = (statistics.median(column) for column in zip(*runs, strict=True))
    return wb, wa, cb, ca


def batch_referring_to(store: ox.Store, size: int, seed: int) -> bytes:
    """About ``size`` triples of new agreements between collectivities and passages of the store."""
    rng = random.Random(seed)
    colls = [
        q.subject
        for q, _ in zip(
            store.quads_for_pattern(
                None, RDF_TYPE, ox.NamedNode(KGC + "Collectivity"), ox.DefaultGraph()
            ),
            range(500),
            strict=False,
        )
    ]
    passages = [
        q.subject
        for q, _ in zip(
            store.quads_for_pattern(
                None, RDF_TYPE, ox.NamedNode(KGC + "Passage"), ox.DefaultGraph()
            ),
            range(200),
            strict=False,
        )
    ]
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
    return ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES)


def batch_time(base: Path, work: Path, repeat: int) -> tuple[float, int]:
    """Median seconds to validate and load a 1,000-triple batch into a store built from ``base``."""
    store = ox.Store(str(work))
    store.bulk_load(path=str(base), format=ox.RdfFormat.N_QUADS)
    rebuild_default_graph(store)
    store.flush()
    settings = Settings(store=work, quarantine_dir=work.parent / "quarantine")
    times = []
    for run in range(repeat):
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
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(store)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ingestion benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--full-max", type=int, default=100_000, help="largest full validation")
    parser.add_argument("--repeat", type=int, default=5, help="batches per store (median)")
    parser.add_argument("--full-repeat", type=int, default=1, help="full loads each way (median)")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        root = Path(tmp)
        for n in args.sizes:
            data = generate(n, root / f"synth-{n}.nq", seed=42)
            bl_s, triples = bulk_load_rate(data, root / f"bulk-{n}")
            if n <= args.full_max:
                old_s, kl_s, old_cpu, kl_cpu = full_load_medians(
                    data, root / f"kg-{n}", args.full_repeat
                )
                old = f"{old_s:.1f} s (CPU {old_cpu:.1f} s)"
                kl = f"{kl_s:.1f} s (CPU {kl_cpu:.1f} s), {triples / kl_s:,.0f}/s"
                ratio = f"{kl_s / bl_s:.0f}x"
                gain = f"{old_s / kl_s:.2f}x (CPU {old_cpu / kl_cpu:.2f}x)"
            else:
                old, kl, ratio, gain = "not run (--full-max)", "not run (--full-max)", "-", "-"
            b_s, size = batch_time(data, root / f"batch-{n}", args.repeat)
            rows.append(
                (
                    _human(n),
                    triples,
                    f"{bl_s:.2f} s, {triples / bl_s:,.0f}/s",
                    old,
                    kl,
                    gain,
                    ratio,
                    b_s,
                    size,
                )
            )
            print(f"done {_human(n)}", file=sys.stderr, flush=True)
    first = rows[0][7]
    print(
        "| store / file | triples | raw bulk_load | kg load before (plain rdflib graphs) | kg load (full SHACL + 1 transaction) | before / after | kg load / bulk_load | 1,000-triple batch into the store (median) | vs smallest |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, triples, bl, old, kl, gain, ratio, b_s, _size in rows:
        print(
            f"| {name} | {triples:,} | {bl} | {old} | {kl} | {gain} | {ratio} | {b_s * 1000:.0f} ms | {b_s / first:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
