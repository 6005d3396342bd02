"""Shared fixtures: settings on temporary paths, a store built from the project's files, a free port,
and a real uvicorn server running the application in a thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.settings import Settings
from kg.store import open_store
from server_helpers import LiveServer, bulk_load_project

pytest_plugins = ("w3c_scores",)  # the W3C score table at the end of the run


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose store and quarantine live under the test's temporary directory."""
    return Settings(store=tmp_path / "store", quarantine_dir=tmp_path / "quarantine")


@pytest.fixture(scope="session")
def project_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store holding the project's ontology, vocabularies and data (built once)."""
    path = tmp_path_factory.mktemp("project-store") / "store"
    store = open_store(path)
    bulk_load_project(store)
    del store
    return path


@pytest.fixture
def live_server_factory() -> Iterator[type[LiveServer]]:
    """Start servers with ``with live_server_factory(app, free_port()) as server: ...``."""
    yield LiveServer
