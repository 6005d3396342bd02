"""Routes: ``/map`` (the partnership network on a world map, filtered by URL parameters) and
``/map/data.json`` (what the map draws; also used by a collectivity's page with ``collectivity=``).

The network is read once per store generation (two named queries) and kept on ``app.state``; a write
through the endpoint bumps the executor's generation, so the next request reads it again.
"""

from __future__ import annotations

import threading

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kg.web.deps import QueriesDep, StoreDep
from kg.web.geomap import FILTERS, Network, check_filters, map_data, options, read_network
from kg.web.lod.render import languages, render

router = APIRouter()
_LOCK = threading.Lock()


def network_of(request: Request, store: StoreDep, queries: QueriesDep) -> Network:
    """The application's network for the current store generation."""
    state = request.app.state
    executor = getattr(state, "executor", None)
    generation = getattr(executor, "generation", 0)
    with _LOCK:
        cached = getattr(state, "map_network", None)
        if cached is None or cached[0] != generation:
            cached = (generation, read_network(store, queries))
            state.map_network = cached
    network: Network = cached[1]
    return network


@router.get("/map/data.json", include_in_schema=False)
def map_json(request: Request, store: StoreDep, queries: QueriesDep) -> Response:
    """The places, arcs and counts of the filtered network, as JSON."""
    filters = check_filters(dict(request.query_params))
    lang, _ = languages(request)
    return JSONResponse(map_data(network_of(request, store, queries), filters, lang))


@router.get("/map", include_in_schema=False)
def map_page(request: Request, store: StoreDep, queries: QueriesDep) -> Response:
    """The whole partnership network on a world map, with a filter form (a filtered map is a link)."""
    filters = check_filters(dict(request.query_params))
    network = network_of(request, store, queries)
    lang, _ = languages(request)
    data = map_data(network, filters, lang)
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return render(
        request,
        "map.html",
        {
            "filters": filters,
            "names": FILTERS,
            "options": options(network),
            "counts": data["counts"],
            "data_src": "/map/data.json" + (f"?{query}" if query else ""),
        },
    )
