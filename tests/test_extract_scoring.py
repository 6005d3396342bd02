"""The extraction scorer's organisation rule (kg.extract.evaluate): organisations have no register,
so an organisation the extractor mints from its name is the gold organisation of that name (its
label, or the acronym its label gives in brackets), and only that one."""

from __future__ import annotations

import pyoxigraph as ox

from kg.extract.evaluate import facts_of_graph, same_organisations, score

BASE = "https://w3id.org/kgci/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PARTY = ox.NamedNode(BASE + "def/party")
KIND = ox.NamedNode(BASE + "def/agreementType")
REGION = ox.NamedNode(BASE + "id/collectivity/ile-de-france")
DECLARATION = ox.NamedNode(BASE + "vocab/agreement-type/declaration-of-intent")


def _graph(organisation: str, label: str) -> list[ox.Triple]:
    """An agreement between the Île-de-France and one organisation."""
    org = ox.NamedNode(f"{BASE}id/organisation/{organisation}")
    agreement = ox.NamedNode(f"{BASE}id/agreement/{organisation}")
    return [
        ox.Triple(org, RDF_TYPE, ox.NamedNode("http://www.w3.org/ns/org#Organization")),
        ox.Triple(org, LABEL, ox.Literal(label, language="fr")),
        ox.Triple(agreement, RDF_TYPE, ox.NamedNode(BASE + "def/Agreement")),
        ox.Triple(agreement, KIND, DECLARATION),
        ox.Triple(agreement, PARTY, REGION),
        ox.Triple(agreement, PARTY, org),
    ]


GOLD = _graph(
    "cplp-business-confederation",
    "Confédération entrepreneuriale de la communauté des pays de langue portugaise (CPLP)",
)


def test_an_organisation_named_by_its_acronym_is_the_gold_one() -> None:
    predicted, gold = facts_of_graph(_graph("cplp", "CPLP")), facts_of_graph(GOLD)
    assert same_organisations(predicted, gold) == {
        BASE + "id/organisation/cplp": BASE + "id/organisation/cplp-business-confederation"
    }
    agreements = score(predicted, gold)["agreements"]
    assert (agreements.found, agreements.extra, agreements.missed) == (1, 0, 0)


def test_an_organisation_of_another_name_is_not() -> None:
    predicted = facts_of_graph(_graph("cplp-2", "Communauté des pays lusophones"))
    gold = facts_of_graph(GOLD)
    assert same_organisations(predicted, gold) == {}
    agreements = score(predicted, gold)["agreements"]
    assert (agreements.found, agreements.extra, agreements.missed) == (0, 1, 1)
