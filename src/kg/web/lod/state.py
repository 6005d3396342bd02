"""The linked-data part's per-application state: the catalogue, created at first use and kept on
``app.state`` (no global), reached through :data:`CatalogueDep`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Annotated

import pyoxigraph as ox
from fastapi import Depends, FastAPI, Request

from kg.web.lod.catalogue import Cancelled, Catalogue

_LOCK = threading.Lock()


def get_catalogue(request: Request) -> Catalogue:
    """The application's catalogue (label index, class counts), created on first use."""
    state = request.app.state
    with _LOCK:
        catalogue: Catalogue | None = getattr(state, "lod_catalogue", None)
        if catalogue is None:
            catalogue = Catalogue(state.queries, state.settings.store, background=True)
            state.lod_catalogue = catalogue
    return catalogue


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]


#: Stores smaller than this build their catalogue at the first request (milliseconds) instead.
WARM_MIN_QUADS = 50_000


def warm(app: FastAPI) -> None:
    """Build the catalogue of a large store in a background thread at startup, so the first visitor
    of the home page or the search does not wait for the label index."""
    state = app.state
    if len(state.store) < WARM_MIN_QUADS:
        return
    with _LOCK:
        catalogue = getattr(state, "lod_catalogue", None)
        if catalogue is None:
            catalogue = Catalogue(state.queries, state.settings.store, background=True)
            state.lod_catalogue = catalogue
    store = state.store
    threading.Thread(
        target=_warm, args=(catalogue, store, lambda: state.store is None), daemon=True
    ).start()


def _warm(catalogue: Catalogue, store: ox.Store, stopped: Callable[[], bool]) -> None:
    try:
        catalogue.snapshot(store, should_stop=stopped)
    except Cancelled:
        pass  # the server stopped first
    except Exception:  # a closed or broken store: the first request reports it properly
        logging.getLogger(__name__).exception("warming the linked-data catalogue failed")
