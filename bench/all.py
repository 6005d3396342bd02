"""Run every benchmark and print one table of goals, figures and verdicts (``make bench``).

    python bench/all.py                   # every bench at its default settings
    python bench/all.py --only network    # some of them (repeatable)
    python bench/all.py --list            # what would run, and how

Each bench runs as its own process (``python bench/NAME.py ARGS --json FILE``), one after the
other, so that none disturbs another's measurements; each one compares side by side and interleaved
inside its own run. The rows (see ``bench/rows.py``) are gathered into ``bench/out/results.json``
and the table is also written, as Markdown, to ``bench/out/results.md`` — the README's figures come
from there. A bench that needs the national store (``--national PATH`` or ``$KG_BENCH_NATIONAL``) is
skipped, with a line saying so, without one. The exit status is 1 when a bench could not
run (it crashed), not when a goal is missed: missed goals are figures, shown as such.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rows import Row

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


@dataclass(frozen=True)
class Bench:
    """One benchmark script and the arguments ``make bench`` gives it."""

    name: str
    args: tuple[str, ...] = ()
    about: str = ""
    #: ``{national}`` in ``args`` is replaced by the national store's path; skipped without one.
    needs_national: bool = False

    @property
    def script(self) -> Path:
        return ROOT / "bench" / f"{self.name}.py"


#: The benchmarks, in the order they run. Adding one: a script taking ``--json FILE`` + a line here.
BENCHES: tuple[Bench, ...] = (
    Bench("ingest", about="kg load (the CLI) vs Store.bulk_load; batch into a large store"),
    Bench("endpoint", about="endpoint vs bare FastAPI, oxigraph serve, rdflib-endpoint"),
    Bench(
        "update",
        ("--store", "{national}"),
        needs_national=True,
        about="1,000-triple DELETE/INSERT WHERE on the national store",
    ),
    Bench(
        "lod",
        ("--store", "{national}"),
        needs_national=True,
        about="resource pages vs DESCRIBE of the same IRIs, hubs included; /map, faceted /browse",
    ),
    Bench("network", ("--repeat", "3"), about="kg network report vs igraph alone, 20k nodes"),
    Bench(
        "network",
        ("--store", "{national}", "--national", "--repeat", "3"),
        needs_national=True,
        about="kg network report on the national graph",
    ),
    Bench("extract", about="kg extract scored against the seed graphs; words per second"),
)
# bench/import.py (importers, reconciliation precision) prints its own tables; it needs the
# reference sources and takes no --json yet, so it runs on its own: see bench/README.md.


def run(bench: Bench, out: Path, national: Path | None) -> tuple[list[Row], str | None]:
    """Run one bench; its rows, and a sentence when it could not run."""
    if not bench.script.exists():
        return [], f"{bench.script.relative_to(ROOT)} does not exist"
    if bench.needs_national and (national is None or not national.is_dir()):
        return [], "skipped: no national store (build one with `make national`, pass --national)"
    args = [a.replace("{national}", str(national)) for a in bench.args]
    command = [sys.executable, str(bench.script), *args, "--json", str(out)]
    print(f"\n$ {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, check=False)
    took = time.monotonic() - started
    if done.returncode != 0:
        return [], f"failed with exit status {done.returncode} after {took:.0f} s"
    if not out.exists():
        return [], "wrote no --json rows"
    rows: list[Row] = json.loads(out.read_text(encoding="utf-8"))
    return rows, None


def verdict(ok: bool | None) -> str:
    """The table's verdict cell."""
    return {True: "met", False: "MISSED", None: ""}[ok]


def table(rows: list[Row], problems: dict[str, str]) -> str:
    """The Markdown table of every row, then one line per bench that did not run."""
    lines = [
        "| bench | measure | figure | goal | verdict |",
        "|---|---|---:|---|---|",
    ]
    for r in rows:
        figure = f"{r['figure']:g} {r['unit']}".strip()
        lines.append(
            f"| {r['bench']} | {r['measure']} | {figure} | {r['goal']} | {verdict(r['ok'])} |"
        )
    for name, problem in problems.items():
        lines.append(f"| {name} | (not run) | | | {problem} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benches, print and save the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", action="append", choices=[b.name for b in BENCHES])
    parser.add_argument("--list", action="store_true", help="print the benches and exit")
    parser.add_argument(
        "--national",
        type=Path,
        default=os.environ.get("KG_BENCH_NATIONAL"),
        help="the national store (default $KG_BENCH_NATIONAL); benches needing it skip without",
    )
    args = parser.parse_args(argv)
    chosen = [b for b in BENCHES if not args.only or b.name in args.only]
    if args.list:
        for b in chosen:
            print(f"{b.name:<10} bench/{b.name}.py {' '.join(b.args)}  — {b.about}")
        return 0
    rows: list[Row] = []
    problems: dict[str, str] = {}
    crashed = False
    with tempfile.TemporaryDirectory() as scratch:
        for i, bench in enumerate(chosen):
            found, problem = run(bench, Path(scratch) / f"{i}-{bench.name}.json", args.national)
            rows.extend(found)
            if problem:
                problems[f"{bench.name} ({bench.about})"] = problem
                crashed = crashed or problem.startswith("failed")
    text = table(rows, problems)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    footer = f"\nload average at the end (1, 5, 15 min): {load} on {os.cpu_count()} CPUs"
    print("\n" + text + footer)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    (OUT / "results.md").write_text(text + "\n" + footer + "\n")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
