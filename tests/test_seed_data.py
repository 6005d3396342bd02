"""The seed knowledge (``data/seeds/*.trig``): it parses, conforms to the shapes, and every fact is
traceable to the characters of the source document that states it.

Source documents are read from ``data/sources/``; codes are checked against the reference excerpts in
``tests/fixtures/reference/`` and pycountry.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from decimal import Decimal

import pycountry
import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef

from kg.settings import PROJECT_ROOT
from kg.sources import RDF_EXTENSIONS

SEEDS_DIR = PROJECT_ROOT / "data" / "sources"
REFERENCE_DIR = PROJECT_ROOT / "tests" / "fixtures" / "reference"
DATA_DIR = PROJECT_ROOT / "data"
SEED_FILES = sorted((DATA_DIR / "seeds").glob("*.trig"))
BASE = "https://w3id.org/kgci/"
ID = BASE + "id/"
SEED_GRAPH = BASE + "graph/seed/"

KGC = Namespace(BASE + "def/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
SCHEMA = Namespace("https://schema.org/")
OBS_VALUE = URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue")
NARY = (
    KGC.Agreement,
    KGC.Partnership,
    ORG.Membership,
    QB.Observation,
    SCHEMA.Event,
    KGC.Action,
    KGC.Programme,
    KGC.Fund,
)


@pytest.fixture(scope="module")
def seeds() -> Dataset:
    """Every seed TriG file parsed into one dataset (graphs as the files name them)."""
    ds = Dataset()
    for path in SEED_FILES:
        ds.parse(path, format="trig")
    return ds


@pytest.fixture(scope="module")
def merged(seeds: Dataset) -> Graph:
    """The union of the seed graphs."""
    graph = Graph()
    for s, p, o, _ in seeds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


@pytest.fixture(scope="module")
def documents(merged: Graph) -> dict[URIRef, str]:
    """Source document IRI -> its text, decoded from the file its dcterms:identifier names."""
    texts: dict[URIRef, str] = {}
    for doc in merged.subjects(RDF.type, KGC.SourceDocument):
        name = str(merged.value(doc, DCTERMS.identifier))
        texts[URIRef(str(doc))] = (SEEDS_DIR / name).read_bytes().decode("utf-8")
    return texts


def test_every_data_file_parses() -> None:
    files = [p for p in sorted(DATA_DIR.rglob("*")) if p.is_file() and p.suffix in RDF_EXTENSIONS]
    assert SEED_FILES and set(SEED_FILES) <= set(files)
    for path in files:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        assert fmt is not None, path
        store = ox.Store()
        store.load(path=str(path), format=fmt)  # raises with file, line and column on bad syntax
        assert len(store) > 0, f"{path} holds no triple"


def test_one_seed_graph_per_source_document(seeds: Dataset, merged: Graph) -> None:
    graphs = {str(g.identifier) for g in seeds.graphs() if len(g)}
    assert all(g.startswith(SEED_GRAPH) for g in graphs), graphs
    docs = {str(d) for d in merged.subjects(RDF.type, KGC.SourceDocument)}
    assert {g.removeprefix(SEED_GRAPH) for g in graphs} == {
        d.removeprefix(ID + "document/") for d in docs
    }
    assert len(docs) == len(list(SEEDS_DIR.glob("*.txt"))) == len(SEED_FILES)
    for path in SEED_FILES:  # file name = document slug
        assert URIRef(ID + "document/" + path.stem) in {URIRef(d) for d in docs}, path


def test_seed_data_conforms_to_the_shapes(merged: Graph) -> None:
    ontology_dir = PROJECT_ROOT / "ontology"
    shapes = Graph().parse(ontology_dir / "shapes.ttl", format="turtle")
    data = Graph()
    for path in [ontology_dir / "kgci.ttl", *sorted((ontology_dir / "vocab").glob("*.ttl"))]:
        data.parse(path, format="turtle")
    # SKOS concepts and class axioms go into the data graph so sh:class constraints can see them.
    for triple in merged:
        data.add(triple)
    conforms, _, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    assert conforms, text


def test_documents_match_their_files(merged: Graph, documents: dict[URIRef, str]) -> None:
    for doc in documents:
        name = str(merged.value(doc, DCTERMS.identifier))
        digest = hashlib.sha256((SEEDS_DIR / name).read_bytes()).hexdigest()
        assert str(merged.value(doc, KGC.sha256)).lower() == digest, doc
        assert str(merged.value(doc, DCTERMS.language)) == "fr"
        assert merged.value(doc, DCTERMS.title) is not None
        assert merged.value(doc, DCTERMS.date) is not None


def test_passages_lie_inside_their_documents(merged: Graph, documents: dict[URIRef, str]) -> None:
    passages = list(merged.subjects(RDF.type, KGC.Passage))
    assert passages
    for passage in passages:
        doc = merged.value(passage, DCTERMS.isPartOf)
        assert doc in documents, passage
        start = int(merged.value(passage, OA.start))  # type: ignore[arg-type]
        end = int(merged.value(passage, OA.end))  # type: ignore[arg-type]
        assert 0 <= start < end <= len(documents[doc]), passage
        assert str(passage) == f"{ID}passage/{str(doc).rsplit('/', 1)[1]}-{start}-{end}"
        span = documents[doc][start:end]
        assert span == span.strip(), f"{passage} starts or ends with white space"


def test_every_nary_fact_has_a_passage_of_its_own_graph(seeds: Dataset) -> None:
    checked = 0
    for graph in seeds.graphs():
        if not str(graph.identifier).startswith(SEED_GRAPH):
            continue
        doc = URIRef(ID + "document/" + str(graph.identifier).removeprefix(SEED_GRAPH))
        for cls in NARY:
            for fact in graph.subjects(RDF.type, cls):
                passages = list(graph.objects(fact, PROV.wasDerivedFrom))
                assert passages, f"{fact} has no prov:wasDerivedFrom"
                for passage in passages:
                    assert graph.value(passage, DCTERMS.isPartOf) == doc, (fact, passage)
                checked += 1
    assert checked > 50


def written_forms(value: Decimal) -> set[str]:
    """The ways a French text writes ``value``: 4 000, 48.000, 430, 21,7 milliards, un milliard..."""
    forms: set[str] = set()
    if value == value.to_integral_value():
        n = int(value)
        forms |= {
            str(n),
            f"{n:,}".replace(",", " "),
            f"{n:,}".replace(",", "."),
            f"{n:,}".replace(",", "\u202f"),
            f"{n:,}".replace(",", "\u00a0"),
        }
        forms |= {1: {"première", "premier", "1er"}}.get(n, set())
    if value >= 10**9:
        billions = value / 10**9
        text = "un" if billions == 1 else f"{billions.normalize():f}".replace(".", ",")
        forms.add(f"{text} milliard")
    return forms


def test_every_observation_passage_contains_its_number(
    merged: Graph, documents: dict[URIRef, str]
) -> None:
    observations = list(merged.subjects(RDF.type, QB.Observation))
    assert len(observations) >= 14
    for obs in observations:
        value = merged.value(obs, OBS_VALUE)
        assert isinstance(value, Literal), obs
        forms = written_forms(Decimal(str(value)))
        spans = []
        for passage in merged.objects(obs, PROV.wasDerivedFrom):
            doc = merged.value(passage, DCTERMS.isPartOf)
            start, end = int(merged.value(passage, OA.start)), int(merged.value(passage, OA.end))  # type: ignore[arg-type]
            spans.append(documents[doc][start:end])  # type: ignore[index]
        assert any(f in span for f in forms for span in spans), (obs, forms, spans)


def entities(merged: Graph) -> set[URIRef]:
    """Every IRI of the id/ space the seeds use, passages excepted."""
    found = set()
    for s, _, o in merged:
        for term in (s, o):
            if (
                isinstance(term, URIRef)
                and str(term).startswith(ID)
                and "/passage/" not in str(term)
            ):
                found.add(term)
    return found


def test_every_entity_is_typed_and_labelled_in_french_and_english(merged: Graph) -> None:
    for entity in entities(merged):
        assert (entity, RDF.type, None) in merged, f"{entity} is used but never described"
        langs = {label.language for label in merged.objects(entity, RDFS.label)}  # type: ignore[union-attr]
        assert {"fr", "en"} <= langs, f"{entity} lacks a fr or en rdfs:label"


def test_every_entity_is_described_in_one_graph_only(seeds: Dataset) -> None:
    described: dict[URIRef, set[str]] = defaultdict(set)
    for s, _, _, g in seeds.quads((None, RDF.type, None, None)):
        if isinstance(s, URIRef):
            described[s].add(str(g))
    twice = {str(e): sorted(gs) for e, gs in described.items() if len(gs) > 1}
    assert not twice


def test_blank_nodes_are_only_qualified_participations(merged: Graph) -> None:
    for s in {s for s in merged.subjects() if isinstance(s, BNode)}:
        assert (s, RDF.type, KGC.Participation) in merged, s


def _load_json(name: str) -> list[dict[str, object]]:
    return json.loads((REFERENCE_DIR / "cog-etalab-decoupage-2026" / name).read_text("utf-8"))  # type: ignore[no-any-return]


def test_french_codes_match_the_reference_data(merged: Graph) -> None:
    communes = {
        c["code"]: c for c in _load_json("communes.json") if c["type"] == "commune-actuelle"
    }
    epci = {e["code"]: e for e in _load_json("epci.json")}
    regions = {r["code"] for r in _load_json("regions.json")}
    siren_csv = (
        REFERENCE_DIR / "siren-departements-regions" / "regions-and-special-siren.transcribed.csv"
    )
    region_siren = {
        line.split(",")[2]: line.split(",")[0]
        for line in siren_csv.read_text("utf-8").splitlines()[1:]
    }
    checked = 0
    for coll in merged.subjects(RDF.type, KGC.Collectivity):
        slug = str(coll).rsplit("/", 1)[1]
        insee = merged.value(coll, KGC.inseeCommuneCode)
        region_code = merged.value(coll, KGC.inseeRegionCode)
        siren = merged.value(coll, KGC.sirenCode)
        if insee is not None:
            assert str(insee) in communes and slug.endswith("-" + str(insee)), coll
            assert str(siren) == communes[str(insee)]["siren"], coll
        elif region_code is not None:
            assert str(region_code) in regions, coll
            assert region_siren[str(region_code)] == str(siren), coll
        elif siren is not None:
            assert str(siren) in epci and slug.endswith("-" + str(siren)), coll
        else:
            continue
        checked += 1
    assert checked >= 10


def test_countries_follow_iso_3166(merged: Graph) -> None:
    countries = list(merged.subjects(RDF.type, SCHEMA.Country))
    assert len(countries) >= 10
    for country in countries:
        code = str(merged.value(country, KGC.iso3166Code))
        assert pycountry.countries.get(alpha_2=code) is not None, country
        assert str(country) == f"{ID}country/{code.lower()}"


def test_homonyms_of_different_nature_stay_distinct(merged: Graph) -> None:
    def kind(slug: str) -> object:
        return merged.value(URIRef(ID + "collectivity/" + slug), KGC.collectivityType)

    assert kind("kumamoto-jp") != kind("kumamoto-prefecture-jp")
    assert kind("dijon-21231") != kind("dijon-metropole-242100410")
    assert None not in {kind(s) for s in ("kumamoto-jp", "kumamoto-prefecture-jp", "dijon-21231")}


def test_the_offset_helper_finds_whole_sentences(documents: dict[URIRef, str]) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "seed_passages", PROJECT_ROOT / "bench" / "seed_passages.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = documents[URIRef(ID + "document/idf-international-2019")]
    start, end = module.sentence_around(text, "Zhejiang")
    assert text[start:end].startswith("En juin 2018") and text[start:end].endswith("en Chine.")


def test_every_vocabulary_term_used_is_a_concept_of_its_scheme(merged: Graph) -> None:
    vocab = Graph()
    for path in sorted((PROJECT_ROOT / "ontology" / "vocab").glob("*.ttl")):
        vocab.parse(path, format="turtle")
    skos = Namespace("http://www.w3.org/2004/02/skos/core#")
    used = {
        o for o in merged.objects() if isinstance(o, URIRef) and str(o).startswith(BASE + "vocab/")
    }
    assert len(used) > 40
    for concept in used:
        assert (concept, RDF.type, skos.Concept) in vocab, f"{concept} is not in ontology/vocab"
        scheme = URIRef(str(concept).rsplit("/", 1)[0])
        assert (concept, skos.inScheme, scheme) in vocab, f"{concept} is not in its scheme {scheme}"
