"""The one shape of a benchmark's result rows, which ``bench/all.py`` (``make bench``) gathers.

Every bench script accepts ``--json FILE`` and writes there a list of rows::

    {"bench": "network", "measure": "whole report, 20k nodes", "figure": 7.9, "unit": "s",
     "goal": "< 10 s", "ok": true}

``ok`` is ``None`` when a row has no goal (a reference figure, or a ratio given for context).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TypedDict


class Row(TypedDict):
    """One figure of a benchmark, with its goal and verdict."""

    bench: str
    measure: str
    figure: float
    unit: str
    goal: str
    ok: bool | None


def row(
    bench: str, measure: str, figure: float, unit: str, goal: str = "", ok: bool | None = None
) -> Row:
    """A row, the figure rounded to four significant digits."""
    return Row(
        bench=bench, measure=measure, figure=float(f"{figure:.4g}"), unit=unit, goal=goal, ok=ok
    )


def load_row(bench: str) -> Row:
    """The 1-minute load average now, as a row without goal (every bench reports its load)."""
    return row(bench, f"load average (1 min, {os.cpu_count()} CPUs)", os.getloadavg()[0], "")


def write_rows(path: Path | None, rows: list[Row]) -> None:
    """Write ``rows`` to ``path`` as JSON (nothing when ``path`` is None)."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
