"""Maps in a real headless Chromium, on a store imported from the reference excerpts: Dijon's page
draws one arc per partner with a point (the oracle: SPARQL on the store), and /map filtered by a
partner country draws the arcs the map query gives. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from playwright.sync_api import Page

from browser import chromium
from importers_helpers import SHARED
from kg.importers.pipeline import ImportOptions, build_full
from kg.settings import Settings
from kg.web.app import create_app
from server_helpers import LiveServer, free_port

ARTIFACTS = Path(__file__).parent / "artifacts"
DIJON = "https://w3id.org/kgci/id/collectivity/dijon-21231"
GEO = "http://www.opengis.net/ont/geosparql#"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ox.Store]]:
    tmp = tmp_path_factory.mktemp("map-browser")
    settings = Settings(store=tmp / "store", quarantine_dir=tmp / "q", query_workers=1)
    build_full(settings, SHARED, ImportOptions.from_shared(SHARED, None), progress=False)
    store = ox.Store.read_only(str(tmp / "store"))
    with LiveServer(create_app(settings, store=store), free_port()) as server:
        yield server.url, store


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with chromium() as browser:
        yield browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-US"
        ).new_page()


def partners_with_points(store: ox.Store, iri: str, country: str | None = None) -> set[str]:
    """The oracle: partners of ``iri`` (or, with ``country``, French-foreign pairs) with a point."""
    if country is None:
        query = f"""SELECT DISTINCT ?p WHERE {{
          ?a a <https://w3id.org/kgci/def/Agreement> ; <https://w3id.org/kgci/def/party> <{iri}>, ?p .
          FILTER(?p != <{iri}>) ?p <{GEO}hasGeometry> ?g . <{iri}> <{GEO}hasGeometry> ?h }}"""
    else:
        query = f"""PREFIX kgc: <https://w3id.org/kgci/def/> SELECT DISTINCT ?f ?p WHERE {{
          ?a a kgc:Agreement ; kgc:party ?f, ?p .
          ?f kgc:country/kgc:iso3166Code "FR" ; <{GEO}hasGeometry> ?g .
          ?p kgc:country/kgc:iso3166Code "{country}" ; <{GEO}hasGeometry> ?h }}"""
    rows = store.query(query)
    return {" ".join(t.value for t in row) for row in rows}  # type: ignore[union-attr]


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{name}.png"), full_page=True)


def test_dijon_page_draws_an_arc_to_each_partner(served: tuple[str, ox.Store], page: Page) -> None:
    url, store = served
    page.goto(url + "/id/collectivity/dijon-21231?lang=en")
    page.wait_for_selector("#partner-map [data-kg-map-ready]", timeout=20_000)
    expected = partners_with_points(store, DIJON)
    assert len(expected) >= 5
    drawn = set(page.eval_on_selector_all(".kg-map-arc", "els => els.map(e => e.dataset.to)"))
    starts = set(page.eval_on_selector_all(".kg-map-arc", "els => els.map(e => e.dataset.from)"))
    assert drawn == expected
    assert starts == {DIJON}
    assert page.locator(".kg-map-marker").count() == len(expected) + 1
    assert page.locator(".kg-map-country").count() > 150  # the Natural Earth countries
    page.locator("#partner-map").scroll_into_view_if_needed()
    shot(page, "dijon")


def test_map_filtered_by_country_draws_the_query_arcs(
    served: tuple[str, ox.Store], page: Page
) -> None:
    url, store = served
    page.goto(url + "/map?country=DE&lang=en")
    page.wait_for_selector("[data-kg-map-ready]", timeout=20_000)
    arcs = page.eval_on_selector_all(
        ".kg-map-arc", "els => els.map(e => e.dataset.from + ' ' + e.dataset.to)"
    )
    assert len(arcs) == len(set(arcs))
    assert set(arcs) == partners_with_points(store, "", "DE")
    assert "link(s) drawn" in page.inner_text("#map-counts")
    shot(page, "germany")
    page.goto(url + "/map?lang=en")
    page.wait_for_selector("[data-kg-map-ready]", timeout=20_000)
    assert page.locator(".kg-map-arc").count() > len(arcs)
    shot(page, "all")


def test_query_editor_offers_a_map_of_wkt_results(served: tuple[str, ox.Store], page: Page) -> None:
    url, store = served
    query = f"""PREFIX geo: <{GEO}>
SELECT ?partner ?wkt WHERE {{
  ?a <https://w3id.org/kgci/def/party> <{DIJON}>, ?partner . FILTER(?partner != <{DIJON}>)
  ?partner geo:hasGeometry ?g . ?g geo:asWKT ?wkt FILTER(STRENDS(STR(?g), "geonames"))
}}"""
    rows = list(store.query(query))  # type: ignore[arg-type]
    points = {r["wkt"].value for r in rows}
    assert points
    page.goto(url + "/query?" + urlencode({"query": query}))
    page.wait_for_selector("#results-table tbody tr", timeout=20_000)
    assert page.locator("button[data-view='map']").count() == 1
    page.click("#views button[data-view=map]")  # switch from the table to the map
    page.wait_for_selector("#view-map [data-kg-map-ready]", timeout=20_000)
    assert page.locator("#view-map .kg-map-marker").count() == len(points)
    shot(page, "query")
    # the permalink, opened in a fresh page, brings the same query back on its map view
    page.click("#copy-permalink")
    link = page.get_attribute("#permalink", "href")
    assert link is not None and "view=map" in link
    fresh = page.context.new_page()
    fresh.goto(link if link.startswith("http") else url + link)
    fresh.wait_for_selector("#view-map [data-kg-map-ready]", timeout=20_000)
    assert fresh.locator("#view-map .kg-map-marker").count() == len(points)
    fresh.close()
