"""Opening the Oxigraph store: on disk (default), read-only, or in memory for tests.

There is no module-level store: callers open one and pass it to whatever needs it.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError, StoreLockedError
from kg.settings import Settings


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
            if not path.exists():
                raise KGError(f"there is no store at {path}; build it first with `kg build`")
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreLockedError(str(path)) from exc
        raise KGError(f"cannot open the store at {path}: {exc}") from exc


def open_from_settings(settings: Settings, *, read_only: bool = False) -> ox.Store:
    """Open the store the settings name."""
    return open_store(settings.store, read_only=read_only)
