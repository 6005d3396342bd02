"""The progress display appears only for loads that last more than its delay."""

from __future__ import annotations

import io
import time

from rich.console import Console

from kg.ingest.progress import RichProgress


def _console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=False, width=120), buffer


def test_a_short_load_shows_nothing() -> None:
    console, buffer = _console()
    hook = RichProgress(delay=5.0, console=console)
    hook("validate", 0, 10)
    hook("write", 0, 10)
    hook("write", 10, 10)
    hook("done", 0, 0)
    assert buffer.getvalue() == ""


def test_a_long_load_shows_its_phases() -> None:
    console, buffer = _console()
    hook = RichProgress(delay=0.05, console=console)
    hook("validate", 0, 1000)
    time.sleep(0.3)
    hook("write", 0, 1000)
    hook("write", 1000, 1000)
    hook("done", 0, 0)
    out = buffer.getvalue()
    assert "writing (one transaction): 1000 quads" in out
    assert "1000/1000" in out
