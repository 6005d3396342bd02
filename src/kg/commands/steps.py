"""The steps of a long command said as they happen: each step is printed once with the time the
previous one took, and a step that has no progress bar of its own (converting, reconciling) shows a
spinner with its elapsed time, so the terminal never looks stuck."""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.console import Console
from rich.status import Status

#: Steps whose work reports no progress of its own (the loads show their own bars).
SPINNING = ("converting",)


class Steps:
    """A ``step(name)`` callback for :func:`kg.importers.pipeline.build_full` and the like."""

    def __init__(self, console: Console, prefix: str, clock: Callable[[], float] = time.monotonic):
        self.console = console
        self.prefix = prefix
        self.clock = clock
        self._status: Status | None = None
        self._name: str | None = None
        self._started = clock()

    def __call__(self, name: str) -> None:
        self.close()
        self._name, self._started = name, self.clock()
        self.console.print(f"{self.prefix}: {name}", highlight=False)
        if name.startswith(SPINNING) and self.console.is_terminal:
            self._status = self.console.status(f"{name}…")
            self._status.start()

    def close(self) -> None:
        """Stop the spinner and say how long the current step took."""
        if self._status is not None:
            self._status.stop()
            self._status = None
        if self._name is not None:
            took = self.clock() - self._started
            self.console.print(f"{self.prefix}: {self._name} took {took:.1f} s", highlight=False)
            self._name = None
