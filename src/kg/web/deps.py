"""FastAPI dependencies: the store, settings, query library and query executor live on ``app.state`` (set by the
lifespan) and are reached only through these."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import Depends, Request

from kg.queries import QueryLibrary
from kg.settings import Settings
from kg.web.worker_pool import Executor


def get_store(request: Request) -> ox.Store:
    """The store opened by the application's lifespan."""
    store: ox.Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The settings the application was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_queries(request: Request) -> QueryLibrary:
    """The named-query library of the application."""
    queries: QueryLibrary = request.app.state.queries
    return queries


def get_executor(request: Request) -> Executor:
    """The query executor the lifespan started (worker pool, or in-process for memory stores)."""
    executor: Executor = request.app.state.executor
    return executor


def store_changed(request: Request) -> None:
    """Tell the executor that a write changed the store, so workers reopen it before their next
    query (one place for this, instead of routes bumping the counter themselves)."""
    get_executor(request).generation += 1


StoreDep = Annotated[ox.Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
QueriesDep = Annotated[QueryLibrary, Depends(get_queries)]
