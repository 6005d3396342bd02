"""The partnership network the maps draw, read once per state of the store and shared by every request.

The application reads it in a background thread as soon as it starts (so the first visitor of ``/map``
or of a collectivity page does not pay for it, and neither start-up nor ``/healthz`` waits for it).
A request that arrives while a read runs waits for that read instead of starting a second one. The
cache is keyed on the store's state: the executor's write generation (every write through the endpoint
bumps it; the server holds the store's lock, so no other process writes meanwhile) and, for an
in-memory store that a test may change directly, its size.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable

import pyoxigraph as ox
from fastapi import FastAPI

from kg.errors import KGError
from kg.queries import QueryLibrary
from kg.web.geomap import Network, ReadCancelled, read_network

_log = logging.getLogger(__name__)


class NetworkCache:
    """One network per store state; at most one read at a time, which later callers wait for."""

    def __init__(self, queries: QueryLibrary) -> None:
        self.queries = queries
        self._read_lock = threading.Lock()  # held for the whole read: callers queue behind it
        self._entry: tuple[Hashable, Network] | None = None
        self.reads = 0  # how many times the network was read (tests and logs)

    def cached(self, state: Hashable) -> Network | None:
        """The network of ``state`` if it is already read, without waiting."""
        entry = self._entry
        return entry[1] if entry is not None and entry[0] == state else None

    def get(
        self, store: ox.Store, state: Hashable, should_stop: Callable[[], bool] | None = None
    ) -> Network:
        """The network of ``store`` in ``state``: the cached one, or the one a running read is
        producing (waited for), or a fresh read.

        ``state`` is taken before the read, so a write during the read leaves an entry under the old
        state and the next caller reads again.
        """
        network = self.cached(state)
        if network is not None:
            return network
        with self._read_lock:
            network = self.cached(state)  # the read we waited for may have been for this state
            if network is not None:
                return network
            start = time.perf_counter()
            network = read_network(store, self.queries, should_stop)
            self.reads += 1
            _log.info(
                "map network read in %.2f s: %d places with a point, %d agreement pairs",
                time.perf_counter() - start,
                len(network.places),
                len(network.pairs),
            )
            self._entry = (state, network)
            return network


def store_state(app: FastAPI) -> Hashable:
    """The key of the store's current content, cheap enough to take at every request."""
    state = app.state
    generation = getattr(getattr(state, "executor", None), "generation", 0)
    in_memory = state.settings.store is None
    return (generation, len(state.store) if in_memory else None)


def cache_of(app: FastAPI) -> NetworkCache:
    """The application's cache (created by the app factory)."""
    cache: NetworkCache = app.state.map_cache
    return cache


def warm(app: FastAPI) -> threading.Thread:
    """Read the network in a daemon thread now, so requests find it ready; returns the thread.

    The read stops early when the server stops (the store is then set to None); a failure is logged
    and left for the first request to report properly.
    """
    state = app.state
    store, key = state.store, store_state(app)

    def run() -> None:
        try:
            cache_of(app).get(store, key, should_stop=lambda: state.store is None)
        except ReadCancelled:
            pass  # the server stopped first
        except KGError as exc:  # e.g. a query folder without the map's queries: one sentence
            _log.warning("the map's network is not read ahead: %s", exc)
        except Exception:
            _log.exception("warming the map's network failed")

    thread = threading.Thread(target=run, name="kg-map-warm", daemon=True)
    thread.start()
    return thread
