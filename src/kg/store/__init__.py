"""Opening the Oxigraph store: on disk (default), read-only, or in memory for tests.

There is no module-level store: callers open one and pass it to whatever needs it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError, StoreLockedError
from kg.settings import Settings
from kg.store import journal


def open_store(path: Path | None, *, read_only: bool = False) -> ox.Store:
    """Open the store at ``path`` (created if missing), or an in-memory store when ``path`` is None.

    Raises :class:`StoreLockedError` when another process holds the on-disk store for writing.

    >>> store = open_store(None)
    >>> len(store)
    0
    """
    if path is None:
        return ox.Store()
    try:
        if read_only:
            if not (path / "CURRENT").exists():
                raise KGError(f"there is no store at {path}; build it first with `kg build`")
            return open_read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(path))
        journal.recover(store, path)  # a large load interrupted mid-write is undone
        return store
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreLockedError(str(path)) from exc
        raise KGError(f"cannot open the store at {path}: {exc}") from exc


def open_read_only(path: str, attempts: int = 10) -> ox.Store:
    """The one way to open a read-only handle: retried while the writer swaps files (compaction,
    flush), which can make a single attempt fail while a server writes."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError):
            if attempt + 1 == attempts:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


def open_from_settings(settings: Settings, *, read_only: bool = False) -> ox.Store:
    """Open the store the settings name."""
    return open_store(settings.store, read_only=read_only)
