"""Each step of `kg extract` on the project's own French fixture texts (tests/fixtures/extract),
checked against their hand-written gold (gold.json): reading, dates, vocabularies, linking, the
rules (entities, agreements, people, figures), and the candidate graph's passages.

These tests need spaCy and its French model; both are in the ``extract`` extra that ``.[dev]``
installs, so they run (never skip) on CI.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import InputError
from kg.extract.dates import find_dates
from kg.extract.document import MIN_FRENCH_SHARE, Document, french_share, read_document
from kg.extract.evaluate import Facts, facts_of_gold_json, facts_of_graph, score
from kg.extract.graph import candidate_quads
from kg.extract.link import COG_FOLDER, Linker
from kg.extract.pipeline import Extraction, extract
from kg.extract.vocab import Vocabularies
from kg.settings import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "extract"
COG = PROJECT_ROOT / "tests" / "fixtures" / "reference" / COG_FOLDER
BASE = "https://w3id.org/kgci/"
GOLD: dict[str, dict[str, object]] = {
    k: v
    for k, v in json.loads((FIXTURES / "gold.json").read_text(encoding="utf-8")).items()
    if not k.startswith("_")
}
VOCAB = BASE + "vocab/"


@pytest.fixture(scope="module")
def extractions(linker: Linker, vocab: Vocabularies) -> dict[str, Extraction]:
    return {name: extract(read_document(FIXTURES / name), linker, vocab) for name in GOLD}


def gold_facts(name: str) -> Facts:
    """The gold of one fixture text as the evaluator's keys."""
    return facts_of_gold_json(GOLD[name])


def predicted(extraction: Extraction) -> Facts:
    return facts_of_graph(candidate_quads(extraction))


# --- reading ---------------------------------------------------------------------------------


def test_html_reader_keeps_visible_text_only() -> None:
    doc = read_document(FIXTURES / "region-sibiu.html")
    assert "La Région Bourgogne-Franche-Comté et le județ de Sibiu" in doc.text
    assert "tracking" not in doc.text and "color: black" not in doc.text
    assert doc.text.startswith("La Région renforce ses liens")  # the headline, not the <title>


def test_language_check_tells_french_from_english() -> None:
    french = (FIXTURES / "beaune-mainz.txt").read_text(encoding="utf-8")
    english = (
        "The City of Beaune and the city of Mainz renewed their twinning in July with a visit."
    )
    assert french_share(french) > 2 * MIN_FRENCH_SHARE
    assert french_share(english) < MIN_FRENCH_SHARE


def test_pdf_text_layer_is_read(tmp_path: Path) -> None:
    from pdf_fixtures import text_pdf

    path = tmp_path / "communique.pdf"
    path.write_bytes(
        text_pdf(
            [
                "La Ville de Beaune et la ville de Mainz (Allemagne) ont",
                "renouvelé leur jumelage le 3 juillet 2023 à Beaune.",
            ]
        )
    )
    doc = read_document(path)
    assert "renouvelé leur jumelage le 3 juillet 2023" in doc.text


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lexical", "precision"),
    [
        ("ont signé le 15 mai 2024 à Dijon", "2024-05-15", "day"),
        ("signée en juin 2018 par les deux maires", "2018-06", "month"),
        ("le 1er décembre 2025, la délégation", "2025-12-01", "day"),
        ("au cours de l'année 2023", "2023", "year"),
    ],
)
def test_french_dates(text: str, lexical: str, precision: str) -> None:
    found = find_dates(text, date(2025, 1, 1))
    assert found, text
    assert (found[0].lexical, found[0].precision) == (lexical, precision)


# --- vocabularies ----------------------------------------------------------------------------


def test_vocabulary_labels_find_types_sectors_and_roles(vocab: Vocabularies) -> None:
    def concepts(scheme: str, text: str) -> list[str]:
        return [t.concept.rsplit("/", 1)[-1] for _, _, t in vocab.find(scheme, text)]

    assert concepts("agreement-type", "une convention-cadre de coopération") == ["convention"]
    assert concepts("agreement-type", "un accord de coopération décentralisée") == [
        "decentralised-cooperation-agreement"
    ]  # the longest label wins
    assert concepts("agreement-type", "une déclaration d'intention") == ["declaration-of-intent"]
    assert "higher-education" in concepts("sector", "dans les domaines de l'enseignement supérieur")
    assert concepts("membership-role", "présidente du conseil") == ["president"]  # feminine


# --- linking ---------------------------------------------------------------------------------


def test_linker_uses_the_cog_and_the_gazetteers(linker: Linker) -> None:
    region = linker.region("Bourgogne-Franche-Comté")
    assert region is not None and region.iri == BASE + "id/collectivity/bourgogne-franche-comte"
    assert region.collectivity_type == "region"
    epci = linker.intercommunality("Communauté d'agglomération du Pays Ajaccien")
    assert epci is not None and epci.iri.endswith("pays-ajaccien-242010056")
    assert epci.collectivity_type == "communaute-d-agglomeration"
    commune = linker.commune("Beaune")
    assert commune is not None and commune.iri.endswith("beaune-21054")
    country = linker.country("la Pologne")
    assert country is not None and (country.iri, country.label_en) == (
        BASE + "id/country/pl",
        "Poland",
    )
    town = linker.foreign("Cluj-Napoca", "RO", "collectivity", "city")
    assert (
        town.geonames == "681290"
        and town.confidence > linker.foreign("Xyzzy", "RO", "x").confidence
    )
    assert linker.commune("Xyzzyville") is None


# --- the rules, fixture by fixture, against the gold -------------------------------------------


@pytest.mark.parametrize("name", sorted(GOLD))
def test_entities_are_linked_to_their_iri(name: str, extractions: dict[str, Extraction]) -> None:
    result = score(predicted(extractions[name]), gold_facts(name))["entities"]
    assert result.missed == 0, name


@pytest.mark.parametrize("name", sorted(GOLD))
def test_people_with_their_role(name: str, extractions: dict[str, Extraction]) -> None:
    facts = predicted(extractions[name])
    assert facts.people == gold_facts(name).people


@pytest.mark.parametrize("name", sorted(GOLD))
def test_agreements_parties_type_and_date(name: str, extractions: dict[str, Extraction]) -> None:
    assert predicted(extractions[name]).agreements == gold_facts(name).agreements


def test_figures_value_unit_and_year(extractions: dict[str, Extraction]) -> None:
    found = sum(score(predicted(extractions[n]), gold_facts(n))["figures"].found for n in GOLD)
    total = sum(len(gold_facts(n).figures) for n in GOLD)
    assert found / total >= 0.8, (found, total)
    belfort = candidate_quads(extractions["belfort-opole.txt"])
    years = {q.object.value for q in belfort if q.predicate.value.endswith("#refPeriod")}
    assert "2024" in years  # "150 000 euros ... en 2024"


def test_attested_date_of_a_role_is_the_documents_date(
    extractions: dict[str, Extraction],
) -> None:
    for name, entry in GOLD.items():
        quads = candidate_quads(extractions[name])
        attested = {q.object.value for q in quads if q.predicate.value.endswith("attestedDate")}
        assert attested == {p["attested"] for p in entry["people"]}, name  # type: ignore[attr-defined]


def test_agreement_sectors_come_from_the_sector_vocabulary(
    extractions: dict[str, Extraction],
) -> None:
    quads = candidate_quads(extractions["belfort-opole.txt"])
    sectors = {
        q.object.value.rsplit("/", 1)[-1] for q in quads if q.predicate.value.endswith("/sector")
    }
    assert sectors == {"higher-education", "culture"}


def test_delegation_event_with_date_and_attendee(extractions: dict[str, Extraction]) -> None:
    quads = candidate_quads(extractions["dijon-ceremony.txt"])
    events = {q.subject for q in quads if q.object.value == "https://schema.org/Event"}
    assert len(events) == 1
    (event,) = events
    props = {
        q.predicate.value.rsplit("/", 1)[-1]: q.object.value for q in quads if q.subject == event
    }
    assert props["startDate"] == "2024-10-05"
    assert props["eventType"].endswith("/mission")


# --- the candidate graph -------------------------------------------------------------------------


def test_every_candidate_has_a_passage_quoting_the_text(extractions: dict[str, Extraction]) -> None:
    for extraction in extractions.values():
        quads = candidate_quads(extraction)
        graph = {q.graph_name for q in quads}
        assert graph == {ox.NamedNode(extraction.document.candidate_graph)}
        by_subject: dict[str, dict[str, list[str]]] = {}
        for q in quads:
            by_subject.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(
                q.object.value
            )
        candidates = [s for s, p in by_subject.items() if BASE + "def/curationStatus" in p]
        assert candidates
        for subject in candidates:
            props = by_subject[subject]
            assert props[BASE + "def/curationStatus"] == [VOCAB + "curation-status/candidate"]
            assert 0 < float(props[BASE + "def/confidence"][0]) <= 1
            for passage in props["http://www.w3.org/ns/prov#wasDerivedFrom"]:
                p = by_subject[passage]
                start, end = (
                    int(p["http://www.w3.org/ns/oa#start"][0]),
                    int(p["http://www.w3.org/ns/oa#end"][0]),
                )
                assert p["http://www.w3.org/ns/oa#exact"] == [extraction.document.text[start:end]]
                assert p["http://purl.org/dc/terms/isPartOf"] == [extraction.document.iri]


def test_negated_signing_is_not_an_agreement(linker: Linker, vocab: Vocabularies) -> None:
    text = (
        "Dijon, le 8 octobre 2024. La Ville de Dijon et la ville de Cluj-Napoca (Roumanie) "
        "n'ont pas signé de convention de coopération cette année."
    )
    doc = Document(Path("negation.txt"), text, "0" * 64)
    assert not predicted(extract(doc, linker, vocab)).agreements


def test_bad_inputs_are_one_sentence(tmp_path: Path) -> None:
    cases = {
        "empty.txt": b"",
        "latin1.txt": "Le Département du Jura et la Région ont signé".encode("latin-1"),
        "english.txt": b"The council of the city signed an agreement with the province last year.",
        "notes.docx": b"whatever",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputError) as caught:
            read_document(tmp_path / name)
        message = str(caught.value)
        assert name in message and "\n" not in message, message
    big = tmp_path / "big.txt"
    big.write_bytes(b"Le la les de du. " * 100)
    with pytest.raises(InputError, match="MB"):
        read_document(big, max_bytes=1000)
