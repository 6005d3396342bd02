"""Application factory: ``create_app(settings)`` builds the FastAPI app; the store is opened by the
lifespan (or injected, for tests) and never held in a global."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from kg import __version__
from kg.queries import get_library
from kg.settings import Settings
from kg.store import open_from_settings
from kg.web import map_cache
from kg.web.errors import install_handlers
from kg.web.lod import state as lod_state
from kg.web.middleware import (
    BodyLimitMiddleware,
    RelativeRedirectMiddleware,
    RequestLogMiddleware,
    UnexpectedErrorMiddleware,
)
from kg.web.routes import (
    api,
    dataset,
    geomap,
    graph_store,
    health,
    lod,
    query_support,
    reconcile,
    review,
    search,
    sparql,
)
from kg.web.routes import docs as docs_routes
from kg.web.routes import prefixes as prefix_routes
from kg.web.worker_pool import start_executor

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings, store: ox.Store | None = None) -> FastAPI:
    """Build the application for ``settings``; pass ``store`` to serve an already-open store."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store if store is not None else open_from_settings(settings)
        app.state.executor = await start_executor(settings, app.state.store)
        lod_state.warm(app)  # label index of a large store, built in the background
        map_cache.warm(app)  # the maps' network, read in the background
        try:
            yield
        finally:
            await app.state.executor.close()
            app.state.store = None

    app = FastAPI(
        title="kgci — knowledge graph of international cooperation",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # served by routes.docs from the package's copy of Swagger UI
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.queries = get_library(settings.queries_dir)
    app.state.map_cache = map_cache.NetworkCache(app.state.queries)

    install_handlers(app)

    # Added last = outermost: CORS answers preflights, then the body limit, then the log.
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(RelativeRedirectMiddleware)
    app.add_middleware(RequestLogMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_body=settings.max_body)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        expose_headers=["X-KG-Truncated", "X-KG-Rows"],
    )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Order matters: the catch-all linked-data routes come last.
    for module in (
        health,
        graph_store,
        docs_routes,
        sparql,
        query_support,
        prefix_routes,
        api,
        dataset,
        search,
        reconcile,
        geomap,
        review,
        lod,
    ):
        app.include_router(module.router)
    api.install_openapi(app, app.state.queries)  # one OpenAPI operation per named query
    return app
