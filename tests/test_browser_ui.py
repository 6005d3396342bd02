"""The exploration UI in a real headless Chromium, on the project's data plus three places named
Paris: search "paris" and pick the commune; filter /browse by country and download the CSV (its rows
checked against SPARQL on the same store); in the query editor, complete a class name, run a query,
see labels beside IRIs, open its permalink in a fresh page with the same results, switch to the chart
and graph views. Screenshots in tests/artifacts/ (ui-*.png)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from playwright.sync_api import Browser, Page

from browser import chromium
from server_helpers import LiveServer
from ui_helpers import BASE, COLLECTIVITY, ui_server

ARTIFACTS = Path(__file__).parent / "artifacts"
PER_COUNTRY = """PREFIX kgc: <https://w3id.org/kgci/def/>
SELECT ?country (COUNT(?c) AS ?collectivities) WHERE {
  ?c a kgc:Collectivity ; kgc:country ?country
}
GROUP BY ?country ORDER BY DESC(?collectivities) ?country"""
PARTIES = """PREFIX kgc: <https://w3id.org/kgci/def/>
CONSTRUCT { ?a kgc:party ?p } WHERE { ?a a kgc:Agreement ; kgc:party ?p }"""


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, ox.Store]]:
    with ui_server(tmp_path_factory.mktemp("ui-browser")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


def new_page(browser: Browser) -> Page:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", accept_downloads=True
    )
    return context.new_page()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ui-{name}.png"), full_page=True)


def sparql_rows(store: ox.Store, text: str) -> list[tuple[str, ...]]:
    result = store.query(text)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple("" if row[n] is None else str(row[n].value) for n in names) for row in result]


def test_search_paris_and_pick_the_commune(
    env: tuple[LiveServer, ox.Store], browser: Browser
) -> None:
    live, _ = env
    page = new_page(browser)
    page.goto(f"{live.url}/search?q=paris&lang=en")
    results = page.locator("li.result")
    texts = [t.replace("\n", " ") for t in results.all_inner_texts()]
    paris = [t for t in texts if t.startswith("Paris —")]
    assert len(paris) == 3 and len(set(paris)) == 3, texts  # three homonyms, told apart
    shot(page, "search-paris")
    page.locator("li.result", has_text="commune, 75").locator("a.result-link").click()
    page.wait_for_url("**/id/collectivity/paris-75056**")
    assert page.locator("h1").first.inner_text().startswith("Paris")


def test_browse_by_country_and_download_csv(
    env: tuple[LiveServer, ox.Store], browser: Browser
) -> None:
    live, store = env
    page = new_page(browser)
    page.goto(f"{live.url}/browse?class={COLLECTIVITY}&lang=en")
    page.locator("section.facet[data-facet=country] a", has_text="Germany").click()
    page.wait_for_url("**country=**")
    assert page.locator("section.facet[data-facet=country] li.selected").count() == 1
    shot(page, "browse-germany")
    with page.expect_download() as info:
        page.click("#download-csv")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    expected = sparql_rows(
        store,
        f"SELECT ?c WHERE {{ ?c a <{COLLECTIVITY}> ; <{BASE}def/country> <{BASE}id/country/de> }}",
    )
    assert sorted((r["iri"],) for r in rows) == sorted(expected)
    shown = page.locator("ol.members li").count()
    assert shown == len(expected)


def table_rows(page: Page) -> list[list[str]]:
    page.wait_for_selector("#results-table tbody tr", timeout=20_000)
    return [
        row.locator("td a, td:not(:has(a))").all_inner_texts()
        for row in page.locator("#results-table tbody tr").all()
    ]


def test_editor_permalink_labels_and_views(
    env: tuple[LiveServer, ox.Store], browser: Browser
) -> None:
    live, store = env
    page = new_page(browser)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live.url}/query")
    page.wait_for_selector("#editor .cm-content")
    # the first example answers a real question, and internal queries are not offered
    options = page.locator("#example option").evaluate_all("os => os.map(o => o.value)")
    assert options[1] == "endpoint-partners"
    assert not [o for o in options if o.startswith(("lod-", "network-", "ingest-", "import-"))]
    assert page.locator("#example optgroup").count() >= 3
    assert page.locator("#editor .cm-content span").count() > 0  # highlighted tokens

    # completion of the ontology's class names
    page.evaluate(
        "window.kgQuery.set('PREFIX kgc: <https://w3id.org/kgci/def/>\\nSELECT * WHERE { ?a a ')"
    )
    page.click("#editor .cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.type("kgc:Agre")
    page.wait_for_selector(".cm-tooltip-autocomplete", timeout=10_000)
    assert "kgc:Agreement" in page.inner_text(".cm-tooltip-autocomplete")
    page.keyboard.press("Escape")

    page.evaluate(f"window.kgQuery.set({PER_COUNTRY!r})")
    page.click("#run")
    first = table_rows(page)
    expected = sparql_rows(store, PER_COUNTRY)
    assert [(r[0], r[1]) for r in first] == expected
    page.wait_for_selector("#results[data-labelled=yes]")
    page.wait_for_selector("#results-table td .label")
    assert "Germany" in page.inner_text("#results-table")  # the label beside the country's IRI
    shot(page, "query-table")

    page.click("#copy-permalink")
    link = page.get_attribute("#permalink", "href")
    assert link is not None and "query=" in link

    fresh = new_page(browser)
    fresh.goto(link if link.startswith("http") else live.url + link)
    assert table_rows(fresh) == first
    assert "COUNT(?c)" in fresh.evaluate("window.kgQuery.get()")
    fresh.click("#views button[data-view=chart]")
    fresh.wait_for_selector("#view-chart svg rect.bar")
    assert fresh.locator("#view-chart rect.bar").count() == len(expected)
    assert "view=chart" in fresh.url
    shot(fresh, "query-chart")

    # a CONSTRUCT as a graph; then Back brings the previous query and its results again
    page.evaluate(f"window.kgQuery.set({PARTIES!r})")
    page.click("#run")
    page.wait_for_selector("#views button[data-view=graph]")
    page.click("#views button[data-view=graph]")
    page.wait_for_selector("#view-graph svg .node")
    pairs = sparql_rows(store, PARTIES.replace("CONSTRUCT { ?a kgc:party ?p }", "SELECT ?a ?p"))
    ends = {a for a, _ in pairs} | {p for _, p in pairs}
    assert page.locator("#view-graph svg .node").count() == min(150, len(ends))
    shot(page, "query-graph")
    page.go_back()
    page.wait_for_function("window.kgQuery.get().indexOf('COUNT(?c)') >= 0")
    page.wait_for_selector("#results[data-labelled=yes] #results-table")
    assert table_rows(page) == first
    assert requested and all(url.startswith(live.url) for url in requested), requested


def test_void_page_reads_as_a_page(env: tuple[LiveServer, ox.Store], browser: Browser) -> None:
    live, _ = env
    page = new_page(browser)
    page.goto(f"{live.url}/.well-known/void?lang=en")
    assert page.locator("#void-classes tbody tr").count() > 5
    assert page.locator("#void-graphs tbody tr").count() > 3
    assert not page.locator("pre.rdf").is_visible()  # the Turtle is folded away
    shot(page, "void")
