"""A page takes the labels of the IRIs it links to from its description's context instead of reading
them again (one lookup per label property each): for every resource of a real on-disk store, in
both languages, the labels so learned and the whole page model are exactly those read from the
store label by label (differential)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT
from kg.web.lod.describe import Description, describe
from kg.web.lod.labels import Labeller
from kg.web.lod.pages import ResourcePage, build_page
from kg.web.lod.values import ValueMaker
from lod_helpers import BASE, HUB, build_lod_store, subjects

QUERIES = QueryLibrary(PROJECT_ROOT / "queries")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ox.Store]:
    path = build_lod_store(tmp_path_factory.mktemp("labels") / "store")
    yield ox.Store.read_only(str(path))


def partners_href(n: int) -> str:
    return f"?partners={n}"


def page(store: ox.Store, desc: Description, labeller: Labeller) -> ResourcePage:
    """The page model of ``desc`` with ``labeller`` (the same links otherwise)."""
    maker = ValueMaker(labeller, BASE, None)
    return build_page(store, desc, maker, "/incoming", QUERIES, 1, partners_href)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_learned_labels_and_pages_are_those_read_from_the_store(store: ox.Store, lang: str) -> None:
    learned_any = 0
    for iri in subjects(store):
        desc = describe(store, iri, queries=QUERIES)
        learned = Labeller(store, lang)
        learned.learn(desc.context)
        fresh = Labeller(store, lang)
        linked = {t.subject.value for t in desc.context if isinstance(t.subject, ox.NamedNode)}
        learned_any += sum(1 for i in linked if learned.knows(i))
        for other in linked:
            assert learned(other) == fresh(other), (iri, other)
        learned_page = Labeller(store, lang)
        learned_page.learn(desc.context)
        assert page(store, desc, learned_page) == page(store, desc, Labeller(store, lang)), iri
    assert learned_any > 100  # the shortcut was taken, not just agreed with


def test_a_learned_label_never_overrides_one_already_read(store: ox.Store) -> None:
    labeller = Labeller(store, "fr")
    first = labeller(HUB)
    fake = ox.Triple(ox.NamedNode(HUB), ox.NamedNode(BASE + "def/none"), ox.Literal("x"))
    label = ox.Triple(
        ox.NamedNode(HUB),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
        ox.Literal("Not the label", language="fr"),
    )
    labeller.learn([fake, label])
    assert labeller(HUB) == first != "Not the label"
