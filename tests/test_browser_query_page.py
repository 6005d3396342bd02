"""The query page in a real headless Chromium: pick an example query, run it, see a results table with
links to the entities and download links; nothing is loaded from outside the server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page

from browser import chromium
from endpoint_helpers import build_store, endpoint_settings
from kg.settings import PROJECT_ROOT
from kg.web.app import create_app
from server_helpers import LiveServer, free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("browser")
    queries = tmp / "queries"
    queries.mkdir()
    for path in (PROJECT_ROOT / "queries").glob("endpoint-*.rq"):
        shutil.copy(path, queries)
    settings = endpoint_settings(build_store(tmp / "store", filler=0), tmp, queries)
    with LiveServer(create_app(settings), free_port()) as live:
        yield live


def query_text(page: Page) -> str:
    """The text of the page's editor."""
    text = page.evaluate("window.kgQuery.get()")
    assert isinstance(text, str)
    return text


@pytest.mark.browser
def test_query_page_runs_an_example_and_shows_a_table(server: LiveServer) -> None:
    requested: list[str] = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{server.url}/query")
        page.wait_for_selector("#editor .cm-content")
        assert "PREFIX kgc: <https://w3id.org/kgci/def/>" in query_text(page)
        page.select_option("#example", "endpoint-class-counts")
        assert "COUNT(DISTINCT ?resource)" in query_text(page)
        page.click("#run")
        page.wait_for_selector("#results-table tbody tr", timeout=15_000)
        headers = page.locator("#results-table th").all_inner_texts()
        assert headers == ["class", "instances"]
        first = page.locator("#results-table tbody tr").first
        cell = first.locator("td").nth(1)
        assert cell.inner_text() == "4"
        assert cell.get_attribute("title") == "http://www.w3.org/2001/XMLSchema#integer"
        link = first.locator("a")
        assert link.inner_text() == "https://w3id.org/kgci/def/Collectivity"
        assert link.get_attribute("href") == "/def/Collectivity"
        assert "3 result(s)" in page.inner_text("#status")
        downloads = page.locator("#download-links a")
        assert downloads.all_inner_texts() == ["json", "xml", "csv", "tsv"]
        csv_href = downloads.nth(2).get_attribute("href")
        assert csv_href is not None
        csv = httpx.get(server.url + csv_href)
        assert csv.status_code == 200 and csv.text.startswith("class,instances")

        # an error is shown as a message, not a table
        page.evaluate("window.kgQuery.set('SELECT ?s WHERE { ?s ?p }')")
        page.click("#run")
        page.wait_for_selector("#results .error", timeout=15_000)
        assert "malformed" in page.inner_text("#results .error")
    assert requested and all(url.startswith(server.url) for url in requested), requested


@pytest.mark.browser
def test_sparql_with_html_accept_is_the_page(server: LiveServer, tmp_path: Path) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{server.url}/sparql")
        assert page.title() == "SPARQL · kgci"
        assert page.locator("#example option").count() == 4  # placeholder + 3 queries
