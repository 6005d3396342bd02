"""Units of the linked-data part on real (in-memory or on-disk) stores: dates for people, label
normalisation and ranking, preferred labels, the catalogue rebuilt when the store changes, bounded
descriptions, and `kg export` run as a command."""

from __future__ import annotations

import gzip
import hashlib
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_helpers import run_kg
from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT, Settings
from kg.store import open_store
from kg.store.default_graph import merged
from kg.store.default_graph import rebuild as rebuild_default_graph
from kg.web.app import create_app
from kg.web.lod.catalogue import Cancelled, Catalogue, build_snapshot
from kg.web.lod.dates import format_date
from kg.web.lod.describe import describe
from kg.web.lod.labels import Labeller
from kg.web.lod.links import iri_of, local_path
from kg.web.lod.normalize import normalize, rank
from kg.web.lod.render import parse_accept_language
from kg.web.lod.state import WARM_MIN_QUADS
from server_helpers import LiveServer, free_port

BASE = "https://w3id.org/kgci/"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
G = ox.NamedNode(BASE + "graph/test/units")
QUERIES = QueryLibrary(PROJECT_ROOT / "queries")


def entity(slug: str) -> ox.NamedNode:
    return ox.NamedNode(f"{BASE}id/collectivity/{slug}")


def labelled(store: ox.Store, slug: str, fr: str, en: str | None = None) -> None:
    """A collectivity and its labels in graph G, and in the default graph (their merge)."""
    quads = [
        ox.Quad(entity(slug), TYPE, ox.NamedNode(BASE + "def/Collectivity"), G),
        ox.Quad(entity(slug), LABEL, ox.Literal(fr, language="fr"), G),
    ]
    if en:
        quads.append(ox.Quad(entity(slug), LABEL, ox.Literal(en, language="en"), G))
    store.extend(merged(quads))


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        ("2018-11-19", "19 novembre 2018", "19 November 2018"),
        ("2018-06", "juin 2018", "June 2018"),
        ("2016", "2016", "2016"),
        ("2025-08-01", "1er août 2025", "1 August 2025"),
    ],
)
def test_dates_for_people(value: str, fr: str, en: str) -> None:
    assert (format_date(value, "fr"), format_date(value, "en")) == (fr, en)


@given(st.text(max_size=40))
def test_normalize_is_idempotent_and_ascii(text: str) -> None:
    key = normalize(text)
    assert normalize(key) == key
    assert key.isascii() and key == key.lower() and "  " not in key


@given(
    st.text(alphabet="abcdeéÉ -'", min_size=1, max_size=20),
    st.text(alphabet="abcdeéÉ -'", max_size=10),
)
def test_rank_matches_substring_semantics(label: str, query: str) -> None:
    lk, qk = normalize(label), normalize(query)
    r = rank(lk, qk)
    assert (r is not None) == (bool(qk) and qk in lk)
    if r == 0:
        assert lk == qk


def test_accept_language_and_links() -> None:
    assert parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8") == "fr"
    assert parse_accept_language("en-US,en;q=0.9") == "en"
    iri = BASE + "id/agreement/x-2018"
    path = local_path(iri, BASE)
    assert path is not None and iri_of(path, BASE) == iri
    assert local_path("https://example.org/id/x", BASE) is None


def test_labeller_prefers_the_language_then_falls_back() -> None:
    store = ox.Store()
    labelled(store, "erevan-am", "Ville d'Erevan", "City of Yerevan")
    labelled(store, "only-fr", "Seulement en français")
    assert Labeller(store, "en")(entity("erevan-am").value) == "City of Yerevan"
    assert Labeller(store, "fr")(entity("erevan-am").value) == "Ville d'Erevan"
    assert Labeller(store, "en")(entity("only-fr").value) == "Seulement en français"
    assert Labeller(store, "en")(BASE + "id/collectivity/no-label-42") == "no-label-42"


def test_search_ranking_exact_prefix_word_substring_shorter_first() -> None:
    store = ox.Store()
    labelled(store, "a", "Région Île-de-France")
    labelled(store, "b", "Île-de-France")
    labelled(store, "c", "Île-de-France Mobilités")
    labelled(store, "d", "Fondation Bile-de-France")
    labelled(store, "e", "Île-de-France Europe et International")
    labelled(store, "f", "Lyon")
    snapshot = Catalogue(QUERIES, None).snapshot(store)
    total, hits = snapshot.search(store, "ile de france", "fr")
    assert total == 5
    assert [h.iri.rsplit("/", 1)[1] for h in hits] == ["b", "c", "e", "a", "d"]
    assert [h.rank for h in hits] == [0, 1, 1, 2, 3]


def test_catalogue_rebuilds_when_the_on_disk_store_changes(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    labelled(store, "dole-39198", "Dole")
    store.flush()
    catalogue = Catalogue(QUERIES, tmp_path / "store", min_check=0.0)
    catalogue.snapshot(store)
    time.sleep(0.3)  # RocksDB may finish writing a table file just after the flush
    first = catalogue.snapshot(store)
    assert catalogue.snapshot(store) is first  # unchanged store: same snapshot
    assert first.search(store, "Besançon", "fr")[0] == 0
    labelled(store, "besancon-25056", "Besançon")
    store.flush()
    second = catalogue.snapshot(store)
    assert second is not first
    assert [h.label for h in second.search(store, "besancon", "fr")[1]] == ["Besançon"]
    assert dict(second.class_counts)[BASE + "def/Collectivity"] == 2


def test_description_bounds_incoming_links() -> None:
    store = ox.Store()
    labelled(store, "hub", "Pôle")
    store.extend(
        merged(
            ox.Quad(
                ox.NamedNode(f"{BASE}id/observation/o{i}"),
                ox.NamedNode(BASE + "def/subject"),
                entity("hub"),
                G,
            )
            for i in range(30)
        )
    )
    desc = describe(store, entity("hub").value, incoming_limit=10)
    assert len(desc.incoming) == 10 and desc.incoming_more
    assert describe(store, entity("hub").value, incoming_limit=30).incoming_more is False
    assert not describe(store, entity("nothing").value).exists


def test_kg_export_command_writes_gzip_nquads_turtle_and_sums(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    labelled(store, "jura-39", "Jura")
    store.flush()
    del store
    env = {"KG_STORE": str(tmp_path / "store"), "KG_DUMPS_DIR": str(tmp_path / "unused")}
    out = tmp_path / "dumps"
    run = run_kg("export", "--out", out, env=env)
    assert run.returncode == 0, run.stderr
    sums = dict(line.split("  ")[::-1] for line in (out / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    quads = list(
        ox.parse(gzip.decompress((out / "kgci.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS)
    )
    assert len(quads) == 2  # the named graphs; the default graph is their merge
    assert all(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    assert set(sums) == {"kgci.nq.gz", "graphs/test--units.ttl", "graphs/default.ttl"}
    assert not (tmp_path / "unused").exists()


def test_passages_are_named_by_their_document_and_characters() -> None:
    store = ox.Store()
    doc = ox.NamedNode(BASE + "id/document/assises-bfc-2025")
    passage = ox.NamedNode(BASE + "id/passage/assises-bfc-2025-1400-1480")
    store.add(ox.Quad(doc, LABEL, ox.Literal("Assises régionales", language="fr"), G))
    store.add(ox.Quad(passage, ox.NamedNode("http://purl.org/dc/terms/isPartOf"), doc, G))
    for prop, value in (("start", "1400"), ("end", "1480")):
        integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
        store.add(
            ox.Quad(
                passage,
                ox.NamedNode(f"http://www.w3.org/ns/oa#{prop}"),
                ox.Literal(value, datatype=integer),
                G,
            )
        )
    rebuild_default_graph(store)
    assert Labeller(store, "fr")(passage.value) == "Assises régionales, car. 1400\u20131480"
    assert Labeller(store, "en")(passage.value) == "Assises régionales, chars 1400\u20131480"


def test_a_large_store_is_indexed_at_startup_and_a_build_can_be_cancelled(tmp_path: Path) -> None:
    store = ox.Store()
    store.bulk_extend(
        merged(
            ox.Quad(entity(f"town-{i}"), LABEL, ox.Literal(f"Ville {i}", language="fr"), G)
            for i in range(WARM_MIN_QUADS)
        )
    )
    with pytest.raises(Cancelled):
        build_snapshot(store, QUERIES, should_stop=lambda: True)
    settings = Settings(store=None, quarantine_dir=tmp_path / "q", query_workers=1)
    app = create_app(settings, store=store)
    with LiveServer(app, free_port()) as server:
        deadline = time.monotonic() + 60
        while not getattr(app.state, "lod_catalogue", None) or not app.state.lod_catalogue.ready:
            assert time.monotonic() < deadline, "the catalogue was not built at startup"
            time.sleep(0.05)
        hits = httpx.get(
            f"{server.url}/search", params={"q": "ville 4242", "format": "json"}
        ).json()
        assert hits["results"][0]["iri"] == entity("town-4242").value


def test_sitemap_is_a_template_of_the_one_environment_escaping_xml_text_only() -> None:
    """The sitemap comes from the web layer's one Jinja environment: ``&`` is escaped, quotes are
    kept as they are (XML character data), and the document ends with a newline."""
    from kg.web.templating import TEMPLATES

    body = TEMPLATES.get_template("sitemap_urls.xml").render(
        locations=["https://x.org/browse?class=a&lang=en", "https://x.org/id/it's"]
    )
    assert body == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://x.org/browse?class=a&amp;lang=en</loc></url>"
        "<url><loc>https://x.org/id/it's</loc></url></urlset>\n"
    )
