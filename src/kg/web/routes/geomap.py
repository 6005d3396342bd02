"""Routes: ``/map`` (the partnership network on a world map, filtered by URL parameters) and
``/map/data.json`` (what the map draws; also used by a collectivity's page with ``collectivity=``).

The network is read once per state of the store (two named queries) by :mod:`kg.web.map_cache`,
warmed in the background at start-up; a write through the endpoint bumps the executor's generation, so
the next request reads it again.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kg.web.deps import StoreDep
from kg.web.geomap import FILTERS, Network, check_filters, map_data, options
from kg.web.lod.render import languages, render
from kg.web.map_cache import cache_of, store_state

router = APIRouter()


def network_of(request: Request, store: StoreDep) -> Network:
    """The application's network for the store's current state (waiting for a read under way)."""
    return cache_of(request.app).get(store, store_state(request.app))


@router.get("/map/data.json", include_in_schema=False)
def map_json(request: Request, store: StoreDep) -> Response:
    """The places, arcs and counts of the filtered network, as JSON."""
    filters = check_filters(dict(request.query_params))
    lang, _ = languages(request)
    return JSONResponse(map_data(network_of(request, store), filters, lang))


@router.get("/map", include_in_schema=False)
def map_page(request: Request, store: StoreDep) -> Response:
    """The whole partnership network on a world map, with a filter form (a filtered map is a link)."""
    filters = check_filters(dict(request.query_params))
    network = network_of(request, store)
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
