"""Disambiguated names, facets and exports on ``/search`` and ``/browse``, through a real server;
the filtered lists and the facet counts are checked against SPARQL on the same store."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from server_helpers import LiveServer
from ui_helpers import BASE, COLLECTIVITY, ui_server

COUNTRY_DE = BASE + "id/country/de"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, ox.Store]]:
    with ui_server(tmp_path_factory.mktemp("ui")) as running:
        yield running


def oracle(store: ox.Store, where: str) -> set[str]:
    """IRIs ``?c`` the SPARQL pattern ``where`` selects (prefixes kgc: and country:)."""
    text = (
        f"PREFIX kgc: <{BASE}def/> PREFIX country: <{BASE}id/country/> "
        f"SELECT DISTINCT ?c WHERE {{ {where} }}"
    )
    result = store.query(text)
    assert isinstance(result, ox.QuerySolutions)
    return {row["c"].value for row in result}


def test_search_tells_the_three_paris_apart(env: tuple[LiveServer, ox.Store]) -> None:
    live, _ = env
    answer = httpx.get(f"{live.url}/search", params={"q": "paris", "format": "json", "lang": "en"})
    assert answer.status_code == 200
    named_paris = [r for r in answer.json()["results"] if r["label"] == "Paris"]
    contexts = {r["iri"].rsplit("/", 1)[1]: r["context"] for r in named_paris}
    assert contexts == {
        "paris-75056": "commune, 75",
        "paris-75": "département, Île-de-France Region",
        "paris-us": "municipality, US (Texas)",
    }
    html = httpx.get(f"{live.url}/search", params={"q": "paris", "lang": "en"}).text
    assert 'Paris</a> <span class="context">— commune, 75</span>' in html


def test_browse_filtered_by_country_downloads_the_same_rows(
    env: tuple[LiveServer, ox.Store],
) -> None:
    live, store = env
    params = {"class": COLLECTIVITY, "country": COUNTRY_DE, "lang": "en"}
    expected = oracle(store, "?c a kgc:Collectivity ; kgc:country country:de")
    assert len(expected) >= 2
    page = httpx.get(f"{live.url}/browse", params=params)
    assert page.status_code == 200
    assert f"({len(expected)} / " in page.text  # the filtered count beside the whole class's
    as_csv = httpx.get(f"{live.url}/browse", params={**params, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["iri"] for r in rows} == expected
    assert len(rows) == len(expected)  # no row twice
    assert {r["label"] for r in rows} >= {"Mainz", "Wiesbaden"}
    as_json = httpx.get(f"{live.url}/browse", params={**params, "format": "json"}).json()
    assert {r["iri"] for r in as_json["results"]} == expected
    assert as_json["filters"] == {"country": [COUNTRY_DE]}


def test_facet_counts_match_sparql(env: tuple[LiveServer, ox.Store]) -> None:
    live, store = env
    page = httpx.get(f"{live.url}/browse", params={"class": COLLECTIVITY, "lang": "en"}).text
    for country in ("de", "us", "fr"):
        n = len(oracle(store, f"?c a kgc:Collectivity ; kgc:country country:{country}"))
        marker = f'data-value="{BASE}id/country/{country}">'
        assert marker in page, country
        after = page.split(marker, 1)[1]
        shown = after.split('class="muted count">', 1)[1].split("<", 1)[0]
        assert int(shown) == n, (country, shown, n)


def test_search_facets_filter_and_export(env: tuple[LiveServer, ox.Store]) -> None:
    live, store = env
    commune = BASE + "vocab/collectivity-type/commune"
    params = {"q": "paris", "type": commune}
    page = httpx.get(f"{live.url}/search", params={**params, "format": "json"}).json()
    iris = {r["iri"] for r in page["results"]}
    assert BASE + "id/collectivity/paris-75056" in iris
    assert BASE + "id/collectivity/paris-us" not in iris
    rows = list(
        csv.DictReader(
            io.StringIO(httpx.get(f"{live.url}/search", params={**params, "format": "csv"}).text)
        )
    )
    assert {r["iri"] for r in rows} == iris
    assert all(r["kind"] == "commune" for r in rows)
    expected = oracle(
        store,
        f"?c kgc:collectivityType <{commune}> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        'FILTER(CONTAINS(LCASE(STR(?l)), "paris"))',
    )
    assert iris == expected


def test_agreements_facet_by_year_and_partner_country(env: tuple[LiveServer, ox.Store]) -> None:
    live, store = env
    agreement = BASE + "def/Agreement"
    params = {"class": agreement, "country": COUNTRY_DE, "year": "1958", "format": "json"}
    answer = httpx.get(f"{live.url}/browse", params=params).json()
    expected = oracle(
        store,
        "?c a kgc:Agreement ; kgc:party/kgc:country country:de ; kgc:signingDate ?d "
        'FILTER(STRSTARTS(STR(?d), "1958"))',
    )
    assert {r["iri"] for r in answer["results"]} == expected and expected


def test_void_for_a_browser_is_a_readable_page(env: tuple[LiveServer, ox.Store]) -> None:
    """Counts per class and graph, sources with licences, as the RDF says and SPARQL counts."""
    live, store = env
    page = httpx.get(f"{live.url}/.well-known/void?lang=en", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<pre class="rdf">' in html.split("<details>", 1)[1]  # the Turtle only as a detail
    classes = html.split('id="void-classes"', 1)[1].split("</section>", 1)[0]
    agreements = oracle(store, "?c a kgc:Agreement")
    row = classes.split(f'<code class="muted">{BASE}def/Agreement</code>', 1)[1]
    assert row.split('class="num">', 1)[1].split("<", 1)[0] == str(len(agreements))
    graphs = html.split('id="void-graphs"', 1)[1].split("</section>", 1)[0]
    test_graph = BASE + "graph/import/ui-test"
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{test_graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    n = next(iter(result))["n"]
    assert n is not None
    assert f'<code>{test_graph}</code></a></td><td class="num">{n.value}<' in graphs
    turtle = httpx.get(f"{live.url}/.well-known/void", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")  # RDF by negotiation still


def test_entity_pages_show_each_thing_once(env: tuple[LiveServer, ox.Store]) -> None:
    """One badge per type, each party once, footnote markers apart from the value and each other,
    homonymous partners told apart, even when two graphs state the same facts."""
    live, store = env
    paris = BASE + "id/collectivity/paris-75056"
    graphs = {
        q.graph_name.value
        for q in store.quads_for_pattern(
            ox.NamedNode(paris),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            None,
            None,
        )
        if isinstance(q.graph_name, ox.NamedNode)
    }
    assert len(graphs) == 2  # the fixture states its type twice
    html = httpx.get(f"{live.url}/id/collectivity/paris-75056", params={"lang": "en"}).text
    kicker = html.split('class="kicker">', 1)[1].split("</p>", 1)[0]
    assert kicker.count('class="badge"') == 1, kicker
    country_row = html.split('href="/def/country?lang=en">country</a></th><td>', 1)[1]
    country_cell = country_row.split("</td>", 1)[0]
    assert country_cell.count("<sup") == 1 and "</a>,<a" in country_cell, country_cell
    assert "France</a><sup" in country_cell
    partners = html.split("Partners and agreements", 1)[1].split("</section>", 1)[0]
    assert 'Paris</a> <span class="context">— municipality, US (Texas)</span>' in partners
    agreement = httpx.get(
        f"{live.url}/id/agreement/ui-test-paris-paris", params={"lang": "en"}
    ).text
    glance = agreement.split("At a glance", 1)[1].split("</section>", 1)[0]
    assert glance.count('href="/id/collectivity/paris-us') == 1, glance


def test_source_facet_lists_graphs_and_datasets_not_passages(
    env: tuple[LiveServer, ox.Store],
) -> None:
    live, _ = env
    html = httpx.get(f"{live.url}/search", params={"q": "ile de france", "lang": "en"}).text
    sources = html.split('data-facet="source"', 1)[1].split("</section>", 1)[0]
    assert f'data-value="{BASE}graph/seed/idf-international-2019"' in sources
    assert "/id/passage/" not in sources, sources
