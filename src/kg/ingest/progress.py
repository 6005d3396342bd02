"""A rich progress display for loads, shown on stderr only once a load has lasted more than a second."""

from __future__ import annotations

import threading
import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

UNITS = {"parse": "file(s)", "validate": "triples", "write": "quads"}
PHASES = {
    "parse": "parsing",
    "validate": "validating (SHACL)",
    "write": "writing",
}


class RichProgress:
    """Progress hook ``(phase, done, total)``; phase ``"done"`` closes the display."""

    def __init__(self, delay: float = 1.0, console: Console | None = None) -> None:
        self.delay = delay
        self.console = console or Console(stderr=True)
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._state = ("parse", 0, 0)
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._timer = threading.Timer(delay, self._show)
        self._timer.daemon = True
        self._timer.start()

    def _show(self) -> None:
        with self._lock:
            if self._progress is not None or self._state[0] == "done":
                return
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("loading", total=None)
            phase, _, total = self._state
            self.console.print(
                f"{PHASES.get(phase, phase)}: {total} {UNITS.get(phase, '')}", highlight=False
            )
            self._update()

    def _update(self) -> None:
        if self._progress is None or self._task is None:
            return
        phase, done, total = self._state
        self._progress.update(
            self._task,
            description=PHASES.get(phase, phase),
            completed=done,
            total=total or None,
        )

    def __call__(self, phase: str, done: int, total: int) -> None:
        with self._lock:
            previous = self._state[0]
            self._state = (phase, done, total)
            if phase == "done":
                self._timer.cancel()
                if self._progress is not None:
                    self._progress.stop()
                return
            if phase != previous and self._progress is not None:
                self.console.print(
                    f"{PHASES.get(phase, phase)}: {total} {UNITS.get(phase, '')}", highlight=False
                )
            self._update()
