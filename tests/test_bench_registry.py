"""``make bench`` runs every benchmark: each script in ``bench/all.py``'s registry exists and takes
``--json FILE``, and every bench script that writes rows is in the registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import all as bench_all  # noqa: E402  (bench/all.py)

#: Modules of bench/ that are libraries or run on their own, not rows for ``make bench``.
NOT_BENCHES = {"all", "rows", "synthetic", "seed_passages", "duplicates", "import"}


def test_every_script_that_writes_rows_is_registered() -> None:
    scripts = {p.stem for p in BENCH.glob("*.py")} - NOT_BENCHES
    assert scripts == {b.name for b in bench_all.BENCHES}


@pytest.mark.parametrize("name", sorted({b.name for b in bench_all.BENCHES}))
def test_registered_script_takes_json(name: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / f"{name}.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--json" in done.stdout


def test_table_says_which_goals_were_missed() -> None:
    rows = [
        bench_all.Row(bench="b", measure="m1", figure=1.0, unit="s", goal="< 2 s", ok=True),
        bench_all.Row(bench="b", measure="m2", figure=3.0, unit="s", goal="< 2 s", ok=False),
    ]
    lines = bench_all.table(rows, {"x": "skipped: no national store"}).splitlines()
    assert lines[2].endswith("| met |") and lines[3].endswith("| MISSED |")
    assert "skipped: no national store" in lines[4]
