"""``/docs`` in a headless Chromium with every request outside the server refused: Swagger UI is
served from the package, so the page draws the API's operations without network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Route

from browser import chromium
from endpoint_helpers import build_store, endpoint_settings
from kg.settings import PROJECT_ROOT
from kg.web.app import create_app
from server_helpers import LiveServer, free_port

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("docs")
    settings = endpoint_settings(
        build_store(tmp / "store", filler=0), tmp, PROJECT_ROOT / "queries"
    )
    with LiveServer(create_app(settings), free_port()) as live:
        yield live


@pytest.mark.browser
def test_docs_render_with_the_network_blocked(server: LiveServer) -> None:
    refused: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.route("**/*", guard)
        page.goto(f"{server.url}/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        assert "kgci" in page.inner_text(".swagger-ui .info .title")
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/sparql" in paths, paths
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "docs.png"))
    assert refused == [], refused
