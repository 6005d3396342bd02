"""The site around the resources, through a real server: home page counts, browsing by class,
search (accents, case, ranking, HTML and JSON), VoID/DCAT, dumps, sitemap, robots.txt, and a small
crawler checking that every internal link of a sample of pages answers 200."""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

from kg.web.lod.dumps import file_name_for_graph
from kg.web.lod.normalize import normalize
from lod_helpers import BASE, Env, lod_server, to_rdflib

TYPE = ox.NamedNode(str(RDF.type))


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    with lod_server(tmp_path_factory.mktemp("lod-site")) as running:
        yield running


def instances(store: ox.Store, cls: str) -> set[str]:
    """Instances in the default graph, the merge of the data graphs (shapes are not data)."""
    return {
        q.subject.value
        for q in store.quads_for_pattern(None, TYPE, ox.NamedNode(cls), ox.DefaultGraph())
    }


def test_home_page_counts_per_class_and_search_box(env: Env) -> None:
    page = env.client.get("/?lang=en")
    assert page.status_code == 200
    assert (
        'action="/search"' in page.text
        and "CC BY 4.0" in page.text
        and "/.well-known/void" in page.text
    )
    rows = re.findall(
        r'<a href="/browse\?lang=en&amp;class=([^"]+)">[^<]*</a>.*?<td class="num">([^<]+)</td>',
        page.text,
        re.S,
    )
    assert len(rows) > 10
    for cls, shown in rows:
        iri = cls.replace("%3A", ":").replace("%2F", "/").replace("%23", "#")
        assert int(shown.replace(",", "")) == len(instances(env.store, iri)), iri


def test_browse_by_class_paginates_sorted_by_label(env: Env) -> None:
    cls = BASE + "def/Collectivity"
    expected = instances(env.store, cls)
    seen: list[str] = []
    page = 1
    while True:
        response = env.client.get("/browse", params={"class": cls, "page": page, "lang": "fr"})
        assert response.status_code == 200
        found = re.findall(r'<ol class="members".*?</ol>', response.text, re.S)[0]
        seen.extend(re.findall(r'href="(/id/[^"?]+)', found))
        if 'rel="next"' not in response.text:
            break
        page += 1
    assert (
        page >= 1
        and {BASE + s.lstrip("/") for s in seen} == expected
        and len(seen) == len(expected)
    )
    assert env.client.get("/browse", params={"class": cls, "page": page + 5}).status_code == 404


def test_search_ignores_case_and_accents_and_ranks(env: Env) -> None:
    result = env.client.get(
        "/search", params={"q": "ile de france", "format": "json", "lang": "fr"}
    ).json()
    iris = [r["iri"] for r in result["results"]]
    assert (
        BASE + "id/collectivity/ile-de-france" in iris
        and BASE + "id/territory/ile-de-france" in iris
    )
    keys = [(r["rank"], len(normalize(r["matched"]))) for r in result["results"]]
    assert keys == sorted(keys)
    assert result["results"][0]["rank"] == 0  # "Île-de-France" itself
    upper = env.client.get(
        "/search", params={"q": "ÎLE-DE-FRANCE"}, headers={"Accept": "application/json"}
    ).json()
    assert [r["iri"] for r in upper["results"]] == iris
    english = env.client.get("/search", params={"q": "yerevan", "format": "json"}).json()
    assert BASE + "id/collectivity/yerevan-am" in [r["iri"] for r in english["results"]]
    html = env.client.get("/search", params={"q": "erevan", "lang": "fr"}).text
    assert 'href="/id/collectivity/yerevan-am?lang=fr"' in html
    assert env.client.get("/search", params={"q": "zzzzqqq", "format": "json"}).json()["total"] == 0


def test_void_and_dcat_description(env: Env) -> None:
    response = env.client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    ds = next(graph.subjects(RDF.type, VOID.Dataset))
    assert (ds, RDF.type, DCAT.Dataset) in graph
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.publisher,
        DCTERMS.created,
        DCTERMS.modified,
    ):
        assert graph.value(ds, prop) is not None, prop
    assert int(graph.value(ds, VOID.triples)) == sum(
        1 for _ in env.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    )
    assert str(graph.value(ds, VOID.sparqlEndpoint)) == env.url + "/sparql"
    partitions = {
        str(graph.value(p, VOID["class"])): int(graph.value(p, VOID.entities))
        for p in graph.objects(ds, VOID.classPartition)
    }
    assert partitions[BASE + "def/Agreement"] == len(instances(env.store, BASE + "def/Agreement"))
    props = {
        str(graph.value(p, VOID.property)): int(graph.value(p, VOID.triples))
        for p in graph.objects(ds, VOID.propertyPartition)
    }
    party = ox.NamedNode(BASE + "def/party")
    assert props[party.value] == len(
        {q.triple for q in env.store.quads_for_pattern(None, party, None)}
    )
    vocabularies = {str(o) for o in graph.objects(ds, VOID.vocabulary)}
    assert {"http://www.w3.org/ns/org#", BASE + "def/", "https://schema.org/"} <= vocabularies
    dump = str(graph.value(ds, VOID.dataDump))
    assert dump == env.url + "/dumps/kgci.nq.gz" and env.client.get(dump).status_code == 200
    assert (
        env.client.get("/.well-known/void", headers={"Accept": "text/html"})
        .headers["content-type"]
        .startswith("text/html")
    )
    jsonld = env.client.get("/.well-known/void?format=jsonld")
    assert isomorphic(rdflib.Graph().parse(data=jsonld.content, format="json-ld"), graph)


def test_dumps_are_served_with_types_sizes_and_sums(env: Env) -> None:
    listing = env.client.get("/dumps/", headers={"Accept": "application/json"}).json()
    names = {f["name"] for f in listing["files"]}
    assert "kgci.nq.gz" in names
    sums = dict(
        line.split("  ")[::-1] for line in env.client.get("/dumps/SHA256SUMS").text.splitlines()
    )
    whole = env.client.get("/dumps/kgci.nq.gz")
    assert whole.headers["content-type"] == "application/gzip"
    assert int(whole.headers["content-length"]) == len(whole.content)
    assert hashlib.sha256(whole.content).hexdigest() == sums["kgci.nq.gz"]
    dataset = rdflib.Dataset()
    dataset.parse(data=gzip.decompress(whole.content), format="nquads")
    named = [q for q in env.store if not isinstance(q.graph_name, ox.DefaultGraph)]
    assert len(dataset) == len(named)  # every quad of the named graphs, none twice
    graph_iri = BASE + "graph/seed/idf-international-2019"
    name = file_name_for_graph(graph_iri)
    turtle = env.client.get(f"/dumps/{name}")
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert hashlib.sha256(turtle.content).hexdigest() == sums[name]
    expected = to_rdflib(
        q.triple for q in env.store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))
    )
    assert isomorphic(rdflib.Graph().parse(data=turtle.content, format="turtle"), expected)
    assert env.client.get("/dumps/../../etc/passwd").status_code == 404
    assert env.client.get("/dumps/nothing.ttl").status_code == 404


def test_sitemap_and_robots(env: Env) -> None:
    robots = env.client.get("/robots.txt").text
    assert f"Sitemap: {env.url}/sitemap.xml" in robots and "Disallow: /sparql" in robots
    index = env.client.get("/sitemap.xml")
    assert index.headers["content-type"].startswith("application/xml")
    chunks = re.findall(r"<loc>([^<]+)</loc>", index.text)
    urls = re.findall(r"<loc>([^<]+)</loc>", env.client.get(chunks[0]).text)
    assert env.url + "/id/collectivity/ile-de-france" in urls
    for url in urls[:: max(1, len(urls) // 25)]:
        assert env.client.get(url.replace("&amp;", "&")).status_code == 200, url


class Links(HTMLParser):
    """Collects href/src attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("#", "mailto:")):
                self.links.append(value)


def test_crawler_every_internal_link_of_sampled_pages_answers_200(env: Env) -> None:
    start = ["/", "/?lang=en", "/def", "/browse", "/search?q=dijon", "/id/collectivity/ile-de-france",
             "/id/agreement/ile-de-france-yerevan-am-2018", "/id/person/francois-rebsamen",
             "/id/event/bfc-dijon-mission-japan-2025", "/vocab/sector", "/def/Agreement", "/dumps/",
             "/graph/seed/idf-international-2019"]  # fmt: skip
    host = urlparse(env.url).netloc
    checked: dict[str, int] = {}
    pages = list(start)
    for page in pages[:40]:
        response = env.client.get(page, headers={"Accept": "text/html"})
        assert response.status_code == 200, page
        parser = Links()
        parser.feed(response.text)
        for link in parser.links:
            absolute = urljoin(env.url + page, link)
            if urlparse(absolute).netloc != host or absolute in checked:
                continue
            status = env.client.get(absolute, headers={"Accept": "text/html"}).status_code
            checked[absolute] = status
            path = absolute.removeprefix(env.url)
            if status == 200 and path.startswith("/id/") and len(pages) < 40:
                pages.append(path)
    broken = {url: status for url, status in checked.items() if status != 200}
    assert not broken
    assert len(checked) > 150
