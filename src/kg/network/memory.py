"""Pause Python's cyclic garbage collector while a network is read, built and measured.

Building a network allocates hundreds of thousands of small containers (rows, sets, dicts of
edge attributes) that all stay alive; every few hundred allocations the collector walks them again,
which made building the 20,000-node benchmark graph several times slower than the work itself.
Nothing built here forms reference cycles worth collecting early, so the collector is paused and
one collection runs at the end.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable automatic garbage collection inside the block; nested blocks are harmless.

    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
