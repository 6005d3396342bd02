"""The progress display appears only for loads that last more than its delay."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from rdflib import Graph
from rich.console import Console

from ingest_helpers import chunked_batch, seed  # noqa: F401  (seed: the fixture)
from kg.ingest import chunked, load_batches
from kg.ingest.progress import RichProgress
from kg.settings import Settings
from kg.store import open_store


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
    assert "writing: 1000 quads" in out
    assert "1000/1000" in out


@pytest.mark.parametrize("chunks", [False, True], ids=["in-memory", "chunked"])
def test_validation_reports_intermediate_progress(
    seed: Graph,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chunks: bool,
) -> None:
    # Issue 22: the bar sat at 0/N until validation ended; now each shape (and chunk) reports.
    if chunks:
        monkeypatch.setattr(chunked, "CHUNKED_ABOVE", 0)
        monkeypatch.setattr(chunked, "CHUNK_QUADS", 500)
    settings = Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "quarantine")
    seen: list[tuple[int, int]] = []

    def hook(phase: str, done: int, total: int) -> None:
        if phase == "validate":
            seen.append((done, total))

    load_batches(open_store(settings.store), settings, [chunked_batch(seed)], progress=hook)
    total = seen[-1][1]
    assert total > 0 and seen[0] == (0, total) and seen[-1] == (total, total)
    middle = [done for done, _ in seen if 0 < done < total]
    assert len(set(middle)) >= 5, seen
    assert middle == sorted(middle)  # it only moves forward
