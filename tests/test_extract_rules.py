"""Edge cases of the extraction rules the fixture texts do not show: what the foreign-subdivision
linking refuses, where a nationality adjective names no country, and agreements told by reference
with nothing told before."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.document import Document
from kg.extract.evaluate import Facts, facts_of_graph
from kg.extract.graph import candidate_quads
from kg.extract.link import COG_FOLDER, Linker
from kg.extract.pipeline import default_vocabularies, extract
from kg.extract.vocab import Vocabularies
from kg.settings import PROJECT_ROOT

COG = PROJECT_ROOT / "tests" / "fixtures" / "reference" / COG_FOLDER
ID = "https://w3id.org/kgci/id/"


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(COG)


@pytest.fixture(scope="module")
def vocab() -> Vocabularies:
    return default_vocabularies(PROJECT_ROOT / "ontology")


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
