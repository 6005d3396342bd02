"""Shared fixtures: settings on temporary paths, a store built from the project's files, a free port,
and a real uvicorn server running the application in a thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from kg.settings import Settings
from kg.store import open_store
from server_helpers import LiveServer, bulk_load_project, free_port

if TYPE_CHECKING:
    from kg.extract.link import Linker
    from kg.extract.vocab import Vocabularies
    from security_helpers import Listener

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


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    """A local TCP listener that records every connection (a module's tests share it)."""
    from security_helpers import Listener  # imported when used: it brings in the web app

    with Listener() as live:
        yield live


@pytest.fixture(scope="module")
def gate_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real server whose workers are not network-isolated: the gate alone is tested."""
    import security_helpers

    with security_helpers.gate_server(tmp_path_factory.mktemp("gate")) as live:
        yield live


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The endpoint sample (``tests/fixtures/endpoint/sample.trig`` and filler triples) in an on-disk
    store, closed again; a module's tests share it, so they only read it."""
    from endpoint_helpers import build_store

    return build_store(tmp_path_factory.mktemp("sample") / "store")


@pytest.fixture(scope="module")
def sample_client(
    sample_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """An HTTP client of a real server on :func:`sample_store` with the test endpoint settings."""
    from endpoint_helpers import endpoint_settings
    from kg.web.app import create_app  # imported when used: the web app is slow to import

    settings = endpoint_settings(sample_store, tmp_path_factory.mktemp("sample-settings"))
    with (
        LiveServer(create_app(settings), free_port()) as live,
        httpx.Client(base_url=live.url, timeout=30) as http,
    ):
        yield http


@pytest.fixture
def live_server_factory() -> Iterator[type[LiveServer]]:
    """Start servers with ``with live_server_factory(app, free_port()) as server: ...``."""
    yield LiveServer


@pytest.fixture(scope="session")
def linker() -> Linker:
    """The extraction linker over the committed COG excerpt (built once: it indexes the COG)."""
    from kg.extract.link import COG_FOLDER, Linker
    from kg.settings import PROJECT_ROOT

    return Linker(PROJECT_ROOT / "tests" / "fixtures" / "reference" / COG_FOLDER)


@pytest.fixture(scope="session")
def vocab() -> Vocabularies:
    """The project's SKOS vocabularies as the extractor reads them."""
    from kg.extract.pipeline import default_vocabularies
    from kg.settings import PROJECT_ROOT

    return default_vocabularies(PROJECT_ROOT / "ontology")
