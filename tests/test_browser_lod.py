"""The linked-data site in a real headless Chromium: from the home page, search "ile de france",
open the region, follow a link to a partner, switch language, download its Turtle. Screenshots are
kept in tests/artifacts/ for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from playwright.sync_api import Page
from rdflib.compare import isomorphic

from browser import chromium
from lod_helpers import BASE, Env, lod_server, outgoing, subject_part

ARTIFACTS = Path(__file__).parent / "artifacts"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    with lod_server(tmp_path_factory.mktemp("lod-browser")) as running:
        yield running


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with chromium() as browser:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-US", accept_downloads=True
        )
        yield context.new_page()


def label(store: ox.Store, iri: str, lang: str) -> str:
    for quad in store.quads_for_pattern(ox.NamedNode(iri), RDFS_LABEL, None):
        if isinstance(quad.object, ox.Literal) and quad.object.language == lang:
            return quad.object.value
    raise AssertionError(f"no {lang} label for {iri}")


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"lod-{name}.png"), full_page=True)


def test_search_open_follow_partner_switch_language_download(
    env: Env, page: Page, tmp_path: Path
) -> None:
    page.goto(env.url + "/")
    shot(page, "home")
    page.fill("#home-q", "ile de france")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search?**")
    shot(page, "search")
    region = BASE + "id/collectivity/ile-de-france"
    page.click("a.result-link[href^='/id/collectivity/ile-de-france']")
    page.wait_for_url("**/id/collectivity/ile-de-france")
    assert page.inner_text("h1") == label(env.store, region, "en")
    shot(page, "region")
    partner_link = (
        page.locator("section.card", has_text="Partners and agreements")
        .locator("td:nth-child(3) a")
        .first
    )
    partner_path = partner_link.get_attribute("href")
    assert partner_path and partner_path.startswith("/id/collectivity/")
    partner_link.click()
    page.wait_for_url("**" + partner_path)
    partner = BASE + partner_path.lstrip("/")
    assert page.inner_text("h1") == label(env.store, partner, "en")
    page.click("#lang-switch")
    page.wait_for_url("**lang=fr")
    assert page.inner_text("h1") == label(env.store, partner, "fr")
    assert page.get_attribute("html", "lang") == "fr"
    shot(page, "partner-fr")
    # Links keep the chosen language.
    assert all(
        "lang=fr" in (a.get_attribute("href") or "")
        for a in page.locator("article a[href^='/id/']:not(.format)").all()
    )
    with page.expect_download() as info:
        page.click("a.format[data-format='turtle']")
    target = tmp_path / "partner.ttl"
    info.value.save_as(target)
    graph = rdflib.Graph().parse(target, format="turtle")
    assert isomorphic(subject_part(graph, partner), outgoing(env.store, partner))


def test_pages_render_without_console_errors(env: Env, page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    for name, path in (
        ("agreement", "/id/agreement/ile-de-france-yerevan-am-2018?lang=fr"),
        ("person", "/id/person/francois-rebsamen?lang=en"),
        ("event", "/id/event/bfc-dijon-mission-japan-2025?lang=fr"),
        ("term", "/def/Agreement?lang=en"),
        ("concept", "/vocab/sector/culture?lang=fr"),
        ("not-found", "/id/collectivity/atlantis-xx"),
    ):
        response = page.goto(env.url + path)
        assert response is not None and response.status == (404 if name == "not-found" else 200)
        shot(page, name)
        data = page.locator("script[type='application/ld+json']")
        if name != "not-found":
            assert data.count() == 1
    assert errors == [] or all("404" in e for e in errors)
