"""Dereferencing IRIs through a real uvicorn server: content negotiation for every format (answers
parsed with rdflib and compared with the store), headers, 404/406, JSON-LD round trip, provenance,
bounded incoming links, ontology and vocabulary pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, PROV, RDFS

from lod_helpers import BASE, HUB, HUB_INCOMING, Env, lod_server, outgoing, subject_part

IDF = BASE + "id/collectivity/ile-de-france"
YEREVAN_AGREEMENT = BASE + "id/agreement/ile-de-france-yerevan-am-2018"
FORMATS = {  # extension: (media type, rdflib parser)
    "ttl": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    with lod_server(tmp_path_factory.mktemp("lod-http")) as running:
        yield running


def parse(body: bytes, parser: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=body, format=parser)
    return graph


def local(iri: str) -> str:
    return "/" + iri.removeprefix(BASE)


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_accept_header_negotiates_every_format(env: Env, ext: str) -> None:
    media, parser = FORMATS[ext]
    response = env.client.get(local(IDF), headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["content-location"] == f"{local(IDF)}.{ext}"
    assert "Accept" in response.headers["vary"]
    graph = parse(response.content, parser)
    assert isomorphic(subject_part(graph, IDF), outgoing(env.store, IDF))


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_extension_serves_one_format_equal_to_turtle(env: Env, ext: str) -> None:
    media, parser = FORMATS[ext]
    response = env.client.get(f"{local(YEREVAN_AGREEMENT)}.{ext}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "content-location" not in response.headers
    turtle = parse(env.client.get(f"{local(YEREVAN_AGREEMENT)}.ttl").content, "turtle")
    assert isomorphic(parse(response.content, parser), turtle)
    assert isomorphic(
        subject_part(turtle, YEREVAN_AGREEMENT), outgoing(env.store, YEREVAN_AGREEMENT)
    )


def test_q_values_decide_and_html_is_the_default(env: Env) -> None:
    picked = env.client.get(
        local(IDF), headers={"Accept": "text/turtle;q=0.5, application/ld+json;q=0.9"}
    )
    assert picked.headers["content-type"].startswith("application/ld+json")
    browser = env.client.get(
        local(IDF), headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert browser.headers["content-type"].startswith("text/html")
    assert browser.headers["content-location"] == f"{local(IDF)}.html"
    assert env.client.get(local(IDF)).headers["content-type"].startswith("text/html")
    refused = env.client.get(local(IDF), headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "text/turtle" in refused.json()["error"]["message"]


def test_link_header_lists_every_alternate_and_each_resolves(env: Env) -> None:
    response = env.client.get(local(IDF), headers={"Accept": "text/turtle"})
    links = re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', response.headers["link"])
    assert {media for _, media in links} >= {m for m, _ in FORMATS.values()} | {"text/html"}
    for href, media in links:
        alt = env.client.get(href)
        assert alt.status_code == 200, href
        assert alt.headers["content-type"].startswith(media), href
        head = env.client.head(href)  # crawlers check with HEAD
        assert head.status_code == 200 and head.content == b"", href


def test_jsonld_round_trip_and_published_context(env: Env) -> None:
    body = env.client.get(f"{local(IDF)}.jsonld").json()
    context = env.client.get("/context.jsonld")
    assert context.headers["content-type"].startswith("application/ld+json")
    assert body["@context"] == context.json()["@context"]
    reparsed = parse(json.dumps(body).encode(), "json-ld")
    assert isomorphic(reparsed, parse(env.client.get(f"{local(IDF)}.nt").content, "nt"))
    # The page embeds the same data.
    html = env.client.get(local(IDF), headers={"Accept": "text/html"}).text
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert embedded is not None
    assert isomorphic(parse(embedded.group(1).replace("<\\/", "</").encode(), "json-ld"), reparsed)


def test_description_has_labels_of_links_incoming_and_provenance(env: Env) -> None:
    graph = parse(env.client.get(f"{local(IDF)}.ttl").content, "turtle")
    idf = rdflib.URIRef(IDF)
    # Labels and types of what it links to.
    for _, _, target in graph.triples((idf, rdflib.URIRef(BASE + "def/country"), None)):
        assert (target, RDFS.label, None) in graph
    # Incoming links: the agreements naming it as a party.
    parties = {s for s, _, _ in graph.triples((None, rdflib.URIRef(BASE + "def/party"), idf))}
    expected = {
        rdflib.URIRef(q.subject.value)
        for q in env.store.quads_for_pattern(
            None, ox.NamedNode(BASE + "def/party"), ox.NamedNode(IDF)
        )
    }
    assert parties == expected and parties
    # Provenance: each source graph, its document, title and date.
    document = graph.value(None, FOAF.primaryTopic, idf)
    assert document is not None
    graphs = set(graph.objects(document, PROV.wasDerivedFrom))
    assert rdflib.URIRef(BASE + "graph/seed/idf-international-2019") in graphs
    doc = graph.value(rdflib.URIRef(BASE + "graph/seed/idf-international-2019"), DCTERMS.source)
    assert doc == rdflib.URIRef(BASE + "id/document/idf-international-2019")
    assert graph.value(doc, DCTERMS.title) is not None
    assert str(graph.value(doc, DCTERMS.date)) == "2019-02-14"


def test_quad_formats_keep_each_fact_in_its_source_graph(env: Env) -> None:
    response = env.client.get(f"{local(IDF)}.nq")
    assert response.headers["content-type"].startswith("application/n-quads")
    dataset = rdflib.Dataset()
    dataset.parse(data=response.content, format="nquads")
    expected = {
        (q.graph_name.value, q.predicate.value, str(q.object.value))
        for q in env.store.quads_for_pattern(ox.NamedNode(IDF), None, None)
        if isinstance(q.graph_name, ox.NamedNode)
    }
    got = {
        (str(g), str(p), str(o))
        for s, p, o, g in dataset.quads((rdflib.URIRef(IDF), None, None, None))
    }
    assert got == expected


def test_incoming_links_are_bounded_with_a_link_to_more(env: Env) -> None:
    graph = parse(env.client.get(f"{local(HUB)}.ttl").content, "turtle")
    incoming = set(graph.subjects(rdflib.URIRef(BASE + "def/subject"), rdflib.URIRef(HUB)))
    assert 0 < len(incoming) < HUB_INCOMING
    more = graph.value(graph.value(None, FOAF.primaryTopic, rdflib.URIRef(HUB)), RDFS.seeAlso)
    assert more is not None and "/incoming?iri=" in str(more)
    seen: set[str] = set()
    url: str | None = str(more)
    while url:
        page = httpx.get(url, timeout=30)
        assert page.status_code == 200
        seen |= set(re.findall(r'href="(/id/observation/lod-test-\d+)', page.text))
        nxt = re.search(r'rel="next" href="([^"]+)"', page.text)
        url = env.url + nxt.group(1).replace("&amp;", "&") if nxt else None
    assert len(seen) == HUB_INCOMING


def test_unknown_iri_is_a_404_page_offering_search(env: Env) -> None:
    page = env.client.get("/id/collectivity/atlantis-xx", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert 'action="/search"' in page.text and "atlantis" in page.text
    rdf = env.client.get("/id/collectivity/atlantis-xx.ttl")
    assert rdf.status_code == 404
    assert rdf.json()["error"]["status"] == 404


def test_entity_page_language_dates_and_sources(env: Env) -> None:
    fr = env.client.get(
        local(YEREVAN_AGREEMENT), headers={"Accept-Language": "fr-FR,fr;q=0.9"}
    ).text
    en = env.client.get(
        local(YEREVAN_AGREEMENT), headers={"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"}
    ).text
    labels = {
        q.object.language: q.object.value
        for q in env.store.quads_for_pattern(
            ox.NamedNode(YEREVAN_AGREEMENT), ox.NamedNode(str(RDFS.label)), None
        )
    }  # type: ignore[union-attr]
    assert f"<h1>{labels['fr']}</h1>" in unescape(fr)
    assert f"<h1>{labels['en']}</h1>" in unescape(en)
    assert "19 novembre 2018" in fr and "19 November 2018" in en
    assert "L'action régionale à l'international" in unescape(fr) and "14 février 2019" in fr
    switched = env.client.get(
        local(YEREVAN_AGREEMENT) + "?lang=en", headers={"Accept-Language": "fr"}
    ).text
    assert f"<h1>{labels['en']}</h1>" in unescape(switched)
    assert 'href="/id/collectivity/yerevan-am?lang=en"' in switched  # the choice is kept in links


def unescape(text: str) -> str:
    return text.replace("&#39;", "'").replace("&amp;", "&")


def test_agreement_collectivity_person_and_event_sections(env: Env) -> None:
    agreement = env.client.get(
        "/id/agreement/bourgogne-franche-comte-intercommunalites-de-france-2024?lang=en"
    ).text
    assert (
        "At a glance" in agreement
        and "Signatories" in agreement
        and "/id/person/sebastien-martin" in agreement
    )
    idf = env.client.get(local(IDF) + "?lang=en").text
    assert "Partners and agreements" in idf and "/id/collectivity/yerevan-am" in idf
    assert 'href="http://www.wikidata.org/entity/Q13917"' in idf
    person = env.client.get("/id/person/francois-rebsamen?lang=fr").text
    assert "Fonctions au fil du temps" in person
    event = env.client.get("/id/event/bfc-dijon-mission-japan-2025?lang=en").text
    section = event.split("Sub-events", 1)[1].split("</table>", 1)[0]
    subs = re.findall(r'href="(/id/event/[^"?]+)', section)
    starts = []
    for sub in subs:
        date = env.store.quads_for_pattern(
            ox.NamedNode(BASE + sub.lstrip("/")), ox.NamedNode("https://schema.org/startDate"), None
        )
        starts.append(next((q.object.value for q in date), "\uffff"))
    assert len(subs) >= 2 and starts == sorted(starts)


def test_ontology_terms_and_concepts_resolve(env: Env) -> None:
    ontology = env.client.get("/def", headers={"Accept": "text/html"})
    assert ontology.status_code == 200 and "/def/Agreement" in ontology.text
    assert isomorphic(
        subject_part(parse(env.client.get("/def.ttl").content, "turtle"), BASE + "def"),
        outgoing(env.store, BASE + "def"),
    )
    term = env.client.get("/def/Agreement?lang=en").text
    instances = {
        q.subject
        for q in env.store.quads_for_pattern(
            None, ox.NamedNode(str(rdflib.RDF.type)), ox.NamedNode(BASE + "def/Agreement")
        )
    }
    assert re.search(rf'<dd class="uses">{len(instances)}</dd>', term)
    assert "SHACL shapes that apply" in term and "sh:minCount" in term
    prop = env.client.get("/def/party", headers={"Accept": "text/turtle"})
    assert isomorphic(
        subject_part(parse(prop.content, "turtle"), BASE + "def/party"),
        outgoing(env.store, BASE + "def/party"),
    )
    concept = BASE + "vocab/sector/culture"
    page = env.client.get(local(concept), headers={"Accept-Language": "fr"})
    assert page.status_code == 200 and "Documentation" in page.text
    scheme = env.client.get("/vocab/sector.ttl")
    assert isomorphic(
        subject_part(parse(scheme.content, "turtle"), BASE + "vocab/sector"),
        outgoing(env.store, BASE + "vocab/sector"),
    )


def test_named_graph_pages(env: Env) -> None:
    page = env.client.get("/graph/seed/idf-international-2019?lang=en")
    assert page.status_code == 200 and "named graph" in page.text
    count = sum(
        1
        for _ in env.store.quads_for_pattern(
            None, None, None, ox.NamedNode(BASE + "graph/seed/idf-international-2019")
        )
    )
    assert f">{count:,}<".replace(",", "\u202f") in page.text


def test_dumps_directory_exists(env: Env) -> None:
    assert Path(env.settings.dumps_dir, "SHA256SUMS").is_file()
