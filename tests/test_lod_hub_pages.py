"""A hub's page does not fetch and render every incoming link, and drops none silently: its
partners table and incoming links say "showing 1-200 of N" (en dash) from one aggregate, and their pages,
put together, are exactly what pyoxigraph answers directly (differential), served by a real
uvicorn and read with httpx."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox
import pytest

from kg.settings import Settings
from kg.store import open_store
from kg.store.default_graph import rebuild as rebuild_default_graph
from kg.web.app import create_app
from kg.web.lod.describe import INCOMING_LIMIT
from kg.web.lod.pages import PARTNERS_PAGE
from server_helpers import LiveServer, free_port

BASE = "https://w3id.org/kgci/"
KGC = BASE + "def/"
HUB = BASE + "id/collectivity/hub-test-99999"
AGREEMENTS = 2 * PARTNERS_PAGE + 57  # three pages of partners
OBSERVATIONS = 40  # other incoming links, so that the two counts differ
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PARTY = ox.NamedNode(KGC + "party")


def hub_quads() -> Iterator[ox.Quad]:
    """A hub collectivity party to many agreements with foreign towns, some agreements stated by
    two sources (one link each all the same), and some other incoming links."""
    hub = ox.NamedNode(HUB)
    one, two = ox.NamedNode(BASE + "graph/import/hub-a"), ox.NamedNode(BASE + "graph/import/hub-b")
    yield ox.Quad(hub, TYPE, ox.NamedNode(KGC + "Collectivity"), one)
    yield ox.Quad(hub, LABEL, ox.Literal("Hubville", language="fr"), one)
    for i in range(AGREEMENTS):
        agreement = ox.NamedNode(f"{BASE}id/agreement/hub-test-{i:04d}")
        town = ox.NamedNode(f"{BASE}id/organisation/hub-town-{i:04d}")
        graphs = (one, two) if i % 7 == 0 else (one,)
        for graph in graphs:
            yield ox.Quad(agreement, TYPE, ox.NamedNode(KGC + "Agreement"), graph)
            yield ox.Quad(agreement, PARTY, hub, graph)
            yield ox.Quad(agreement, PARTY, town, graph)
            yield ox.Quad(agreement, LABEL, ox.Literal(f"Jumelage {i}", language="fr"), graph)
        if i % 5 == 0:
            date = ox.Literal(f"{1950 + i % 70}-01-01", datatype=ox.NamedNode(XSD_DATE))
            yield ox.Quad(agreement, ox.NamedNode(KGC + "signingDate"), date, one)
        yield ox.Quad(town, LABEL, ox.Literal(f"Town {i}", language="en"), one)
    for i in range(OBSERVATIONS):
        observation = ox.NamedNode(f"{BASE}id/observation/hub-test-{i:03d}")
        yield ox.Quad(observation, ox.NamedNode(KGC + "subject"), hub, two)


XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, ox.Store]]:
    tmp = tmp_path_factory.mktemp("hub")
    store = open_store(tmp / "store")
    store.extend(hub_quads())
    rebuild_default_graph(store)
    store.flush()
    del store
    read_only = ox.Store.read_only(str(tmp / "store"))
    settings = Settings(
        store=tmp / "store", quarantine_dir=tmp / "q", dumps_dir=tmp / "dumps", query_workers=1
    )
    with (
        LiveServer(create_app(settings, store=read_only), free_port()) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        yield client, read_only


def section(html: str, title: str) -> str:
    """The card whose heading starts with ``title``."""
    start = html.index(f"<h2>{title}")
    return html[start : html.index("</section>", start)]


def showing(part: str) -> tuple[int, int, int]:
    found = re.search(r"Showing (\d+)\u2013(\d+) of (\d+)", part)
    assert found, part[:2000]
    first, last, total = found.groups()
    return int(first), int(last), int(total)


def direct_agreements(store: ox.Store) -> set[str]:
    """pyoxigraph's own answer: the agreements naming the hub as a party."""
    query = f"SELECT DISTINCT ?a WHERE {{ ?a <{PARTY.value}> <{HUB}> }}"
    return {row["a"].value for row in store.query(query)}


def test_partners_table_counts_every_agreement_and_its_pages_give_them_all(
    served: tuple[httpx.Client, ox.Store],
) -> None:
    client, store = served
    expected = direct_agreements(store)
    assert len(expected) == AGREEMENTS
    seen: list[str] = []
    url: str | None = "/id/collectivity/hub-test-99999?lang=en"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        part = section(response.text, "Partners and agreements")
        first, last, total = showing(part)
        assert total == AGREEMENTS and first == len(seen) + 1
        rows = re.findall(r'<tr><td><a href="(/id/agreement/[^"?]+)', part)
        assert last - first + 1 == len(rows) <= PARTNERS_PAGE
        seen.extend(BASE + href.removeprefix("/") for href in rows)
        following = re.search(r'<a rel="next" href="([^"]+)"', part)
        url = urljoin(url, following.group(1).replace("&amp;", "&")) if following else None
        pages += 1
    assert pages == -(-AGREEMENTS // PARTNERS_PAGE)
    assert len(seen) == len(set(seen)), "an agreement is listed on two pages"
    assert set(seen) == expected


def test_partners_are_listed_by_date_with_unknown_dates_last(
    served: tuple[httpx.Client, ox.Store],
) -> None:
    client, _ = served
    part = section(client.get("/id/collectivity/hub-test-99999?lang=en").text, "Partners")
    dates = re.findall(r"<tr>(?:<td>.*?</td>){3}<td>(.*?)</td></tr>", part, re.S)
    known = [d for d in dates if d.strip()]
    assert known and dates[: len(known)] == known  # dated rows first
    assert "Town" in part and "Hubville" not in part  # the other party, not the hub itself


def test_incoming_links_say_how_many_and_their_pages_equal_the_direct_answer(
    served: tuple[httpx.Client, ox.Store],
) -> None:
    client, store = served
    expected = {
        (q.subject.value, q.predicate.value)
        for q in store.quads_for_pattern(None, None, ox.NamedNode(HUB), None)
        if not isinstance(q.graph_name, ox.DefaultGraph)
    }
    assert len(expected) == AGREEMENTS + OBSERVATIONS
    page = client.get("/id/collectivity/hub-test-99999?lang=en").text
    first, last, total = showing(section(page, "Incoming links"))
    assert (first, last, total) == (1, INCOMING_LIMIT, len(expected))
    seen: list[tuple[str, str]] = []
    url: str | None = f"/incoming?lang=en&iri={HUB}"
    while url:
        html = client.get(url).text
        first, last, total = showing(html)
        assert total == len(expected) and first == len(seen) + 1
        rows = re.findall(
            r'<tr><td><a href="([^"?]+)[^"]*">.*?</a></td><td><a href="([^"?]+)', html
        )
        assert len(rows) == last - first + 1
        seen.extend(rows)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = following.group(1).replace("&amp;", "&") if following else None
    assert len(seen) == len(set(seen)) == len(expected)
    subjects = {BASE + s.removeprefix("/") for s, _ in seen}
    assert subjects == {s for s, _ in expected}


def test_a_partners_page_number_must_be_a_positive_integer(
    served: tuple[httpx.Client, ox.Store],
) -> None:
    client, _ = served
    for bad in ("0", "-1", "two"):
        response = client.get(f"/id/collectivity/hub-test-99999?partners={bad}")
        assert response.status_code == 400 and "partners" in response.text
    last = -(-AGREEMENTS // PARTNERS_PAGE)
    beyond = client.get(f"/id/collectivity/hub-test-99999?lang=en&partners={last + 5}")
    assert showing(section(beyond.text, "Partners"))[1] == AGREEMENTS  # the last page


def test_incoming_links_by_named_query_equal_the_quad_pattern_api(
    served: tuple[httpx.Client, ox.Store],
) -> None:
    """The ``lod-incoming`` shortcut gives the quad-pattern API's groups, in the same order."""
    from kg.queries import QueryLibrary
    from kg.settings import PROJECT_ROOT
    from kg.web.lod.describe import incoming_groups

    _, store = served
    node = ox.NamedNode(HUB)
    direct = list(incoming_groups(store, node))
    by_query = list(incoming_groups(store, node, QueryLibrary(PROJECT_ROOT / "queries")))
    assert len(direct) == AGREEMENTS + OBSERVATIONS
    assert by_query == direct
    assert any(len(group) == 2 for group in direct)  # a link stated by two sources is one group
