"""The one way the network report uses a second core: ``work`` run in a forked process.

A forked process starts with this one's memory, so the graph (networkx or its igraph conversion)
is inherited, never pickled on the way in; only the result, or the error that stopped the work,
comes back pickled through a pipe. Used for betweenness and constraint beside the other measures,
for the edges written ahead and for the figures (see :mod:`kg.network.pipeline`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any

from kg.errors import KGError


class Forked:
    """``work`` running in a forked process; :meth:`result` waits for what it returned.

    >>> Forked(lambda: 6 * 7).result("the answer")
    42
    """

    def __init__(self, work: Callable[[], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def run() -> None:
            try:
                send.send((True, work()))
            except Exception as error:  # reported by result(), in this process
                send.send((False, str(error) or type(error).__name__))
                raise SystemExit(1) from None

        self.process = context.Process(target=run, daemon=True)
        self.process.start()
        send.close()  # the child's copy stays open: reading ends when the child does

    def result(self, what: str) -> Any:
        """The value ``work`` returned; :class:`KGError` naming ``what`` and the cause if it
        failed.

        >>> Forked(lambda: 1 / 0).result("dividing")
        Traceback (most recent call last):
        ...
        kg.errors.KGError: dividing failed: division by zero
        """
        try:
            done, value = self._receive.recv()
        except EOFError:  # ended without a word (killed)
            done, value = False, None
        self.process.join()
        if done and self.process.exitcode == 0:
            return value
        cause = value if not done and value else f"process exit code {self.process.exitcode}"
        raise KGError(f"{what} failed: {cause}")

    def stop(self) -> None:
        """End the process if it still runs (after a failure here)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
