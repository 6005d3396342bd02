"""Consistency of ontology/: it parses, every class has a shape, every shape path is declared, every
project term is labelled and defined in French and English, versions agree, and the SKOS schemes hold
the concepts the other parts rely on, with DAC/IATI mappings that exist in the IATI codelists."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, SH, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.errors import InputError
from kg.namespaces import BASE, KGC, ONTOLOGY_IRI, ORG, PREFIXES, SCHEMA, SHAPES, VOCAB
from kg.ontology import ontology_files, ontology_graph, shapes_graph, shapes_version
from kg.settings import PROJECT_ROOT, Settings

ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
IATI = PROJECT_ROOT / "tests" / "fixtures" / "reference" / "iati-codelists"
DCTERMS = Namespace("http://purl.org/dc/terms/")

#: Namespaces whose terms a shape may use without the ontology declaring them.
REUSED = (
    str(RDF),
    str(RDFS),
    str(OWL),
    str(SKOS),
    str(DCTERMS),
    str(ORG),
    "http://www.w3.org/ns/prov#",
    str(SCHEMA),
    "http://xmlns.com/foaf/0.1/",
    "http://purl.org/linked-data/cube#",
    "http://purl.org/linked-data/sdmx/2009/",
    "http://www.w3.org/ns/oa#",
    "http://www.w3.org/ns/dcat#",
)


def _slugs(text: str) -> set[str]:
    return set(text.split())


#: The concept slugs every part of the project may rely on (the common brief's contract).
CONTRACT: dict[str, set[str]] = {
    "sector": _slugs(
        "economic-development industry agriculture-food tourism culture education research-innovation "
        "digital health environment-climate energy mobility-transport urban-planning governance "
        "solidarity-humanitarian social-economy internationalisation-of-firms export-promotion "
        "territorial-attractiveness foreign-investment reindustrialisation industry-of-the-future "
        "robotics agrifood sustainable-food viticulture gastronomy video-games cultural-exchanges "
        "francophonie higher-education youth-mobility citizenship-education "
        "innovation-new-technologies biomedical artificial-intelligence cybersecurity "
        "sustainable-urban-development green-mobility energy-access humanitarian-aid "
        "international-volunteering gender-equality tourism-promotion science-cooperation"
    ),
    "agreement-type": _slugs(
        "decentralised-cooperation-agreement twinning declaration-of-intent joint-declaration pact "
        "convention cooperation-agreement memorandum-of-understanding partnership"
    ),
    "status": _slugs("pipeline active finalisation closed cancelled suspended"),
    "participation-role": _slugs("party lead partner funder host initiator observer"),
    "collectivity-type": _slugs(
        "region departement commune metropole epci communaute-de-communes communaute-d-agglomeration "
        "communaute-urbaine etablissement-public-territorial collectivite-unique province prefecture "
        "state canton wilaya governorate municipality city autonomous-community county district "
        "foreign-region arrondissement-municipal collectivite-a-statut-particulier collectivite-d-outre-mer "
        "departement-circonscription"
    ),
    "membership-role": _slugs(
        "mayor deputy-mayor president vice-president director-general director head-of-service "
        "secretary-general elected-official member volunteer"
    ),
    "event-type": _slugs(
        "assises forum exposition mission round-table workshop conference site-visit b2b-meetings "
        "promotion-event signing-ceremony thematic-fortnight session"
    ),
    "indicator": _slugs(
        "exports trade-surplus supported-firms participants pupils cross-border-workers "
        "cross-border-projects tourism-economic-impact tourism-jobs subsidiaries members "
        "cooperation-duration industrial-employment-rank population"
    ),
    "unit": {"euro", "number", "year", "rank"},
    "value-qualifier": {"exact", "more-than", "at-least", "about", "less-than"},
    "curation-status": {"ambiguous", "unmatched", "manually-curated"},
}


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(store=None, ontology_dir=ONTOLOGY_DIR)


@pytest.fixture(scope="module")
def ontology(settings: Settings) -> Graph:
    return ontology_graph(settings)


@pytest.fixture(scope="module")
def shapes(settings: Settings) -> Graph:
    return shapes_graph(settings)


def _vocab(scheme: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "vocab" / f"{scheme}.ttl")


def _concepts(graph: Graph, scheme: str) -> set[URIRef]:
    return {c for c in graph.subjects(SKOS.inScheme, VOCAB[scheme]) if isinstance(c, URIRef)}


def _langs(graph: Graph, subject: Node, *predicates: URIRef) -> set[str]:
    return {
        o.language or ""
        for p in predicates
        for o in graph.objects(subject, p)
        if isinstance(o, Literal)
    }


def _iati_codes(name: str, folder: str = "nonembedded") -> dict[str, str | None]:
    """code -> status attribute (None when active) of one IATI codelist."""
    tree = ET.parse(IATI / folder / f"{name}.xml")
    return {
        (item.findtext("code") or "").strip(): item.get("status")
        for item in tree.iter("codelist-item")
    }


# --- files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    sorted(ONTOLOGY_DIR.rglob("*.ttl")),
    ids=lambda p: str(p.relative_to(ONTOLOGY_DIR)),
)
def test_turtle_parses(path: Path) -> None:
    """Both parsers read every file: rdflib (validation) and Oxigraph (the store)."""
    triples = len(Graph().parse(path, format="turtle"))
    assert triples > 0
    assert len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))) == triples


def test_no_http_schema_org_anywhere() -> None:
    offenders = [
        str(p.relative_to(PROJECT_ROOT))
        for folder in (ONTOLOGY_DIR, PROJECT_ROOT / "data")
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix in {".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".csv", ".md", ".html"}
        and "http://schema.org/" in p.read_text(encoding="utf-8", errors="replace")
    ]
    assert not offenders, f"use https://schema.org/, not http://, in {offenders}"


def test_alignments_are_kept_out_of_the_ontology(ontology: Graph) -> None:
    assert not list(ontology.objects(None, OWL.imports))
    alignments = Graph().parse(ONTOLOGY_DIR / "alignments.ttl")
    assert not list(alignments.objects(None, OWL.imports))
    predicates = set(alignments.predicates()) - {RDF.type, RDFS.label, RDFS.comment}
    assert predicates <= {SKOS.closeMatch, SKOS.exactMatch, SKOS.broadMatch, SKOS.narrowMatch}
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(str(KGC))}
    aligned = {s for s in alignments.subjects(SKOS.closeMatch, None)} | {
        s for s in alignments.subjects(SKOS.exactMatch, None)
    }
    assert aligned <= declared, f"alignments of undeclared terms: {aligned - declared}"
    assert {KGC.Collectivity, KGC.Agreement, KGC.Partnership} <= aligned


# --- versions ----------------------------------------------------------------------------------


def test_version_matches_changelog(ontology: Graph, settings: Settings) -> None:
    changelog = (ONTOLOGY_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.MULTILINE)
    assert released, "CHANGELOG.md has no '## [x.y.z]' release heading"
    version = ontology.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)
    assert str(version) == released[0]
    assert ontology.value(URIRef(ONTOLOGY_IRI), OWL.versionIRI) == URIRef(
        f"{ONTOLOGY_IRI}/version/{released[0]}"
    )
    assert shapes_version(settings) == released[0]
    assert (
        str(shapes_graph(settings).value(URIRef(BASE + "shapes"), OWL.versionInfo)) == released[0]
    )


# --- ontology <-> shapes -----------------------------------------------------------------------


def _project_classes(ontology: Graph) -> set[URIRef]:
    return {
        c
        for c in ontology.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and c.startswith(str(KGC))
    }


def test_every_class_has_a_node_shape(ontology: Graph, shapes: Graph) -> None:
    reused = {
        URIRef(ORG + "Membership"),
        URIRef(ORG + "Organization"),
        URIRef("http://xmlns.com/foaf/0.1/Person"),
        SCHEMA.Event,
        SCHEMA.Place,
        SCHEMA.Country,
        URIRef("http://purl.org/linked-data/cube#Observation"),
        SKOS.Concept,
    }
    targeted = set(shapes.objects(None, SH.targetClass))
    implicit = {
        s for s in shapes.subjects(RDF.type, SH.NodeShape) if (s, RDF.type, RDFS.Class) in shapes
    }
    missing = (_project_classes(ontology) | reused) - targeted - implicit
    assert not missing, f"classes without a node shape: {sorted(missing)}"
    assert len(_project_classes(ontology)) >= 18


def _path_properties(shapes: Graph, path: Node) -> set[URIRef]:
    """Every property of a SHACL path: predicate, inverse, sequence, alternative, *-or-more."""
    if isinstance(path, URIRef):
        return {path}
    assert isinstance(path, BNode), path
    if (path, RDF.first, None) in shapes:
        return set().union(*(_path_properties(shapes, p) for p in Collection(shapes, path)))
    found: set[URIRef] = set()
    for key in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        for inner in shapes.objects(path, key):
            found |= _path_properties(shapes, inner)
    for alternatives in shapes.objects(path, SH.alternativePath):
        found |= _path_properties(shapes, alternatives)
    assert found, f"unrecognised SHACL path {path}"
    return found


def test_every_shape_path_is_declared(ontology: Graph, shapes: Graph) -> None:
    properties = set().union(*(_path_properties(shapes, p) for p in shapes.objects(None, SH.path)))
    declared = {
        s
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in ontology.subjects(RDF.type, kind)
    }
    undeclared = {p for p in properties if p not in declared and not str(p).startswith(REUSED)}
    assert not undeclared, f"shape paths neither declared nor reused: {sorted(undeclared)}"
    assert KGC.party in properties and KGC.governs in properties  # the walk really ran


def test_path_walk_sees_inverse_and_sequence_paths() -> None:
    graph = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:s sh:path ( [ sh:inversePath ex:a ] [ sh:alternativePath ( ex:b [ sh:zeroOrMorePath ex:c ] ) ] ) .
        """,
        format="turtle",
    )
    path = graph.value(URIRef("http://example.org/s"), SH.path)
    assert path is not None
    ex = Namespace("http://example.org/")
    assert _path_properties(graph, path) == {ex.a, ex.b, ex.c}


def test_every_constraint_speaks_french_and_english(shapes: Graph) -> None:
    constraints = (
        set(shapes.subjects(RDF.type, SH.NodeShape))
        | set(shapes.subjects(RDF.type, SH.PropertyShape))
        | set(shapes.subjects(RDF.type, SH.SPARQLConstraint))
        | {s for s in shapes.subjects(SH.path, None) if (None, SH.property, s) in shapes}
    )
    silent = [str(c) for c in constraints if not {"fr", "en"} <= _langs(shapes, c, SH.message)]
    assert not silent, f"shapes without a French and an English sh:message: {silent}"
    assert not list(shapes.objects(None, SH.closed)), "shapes stay open-world (no sh:closed)"
    assert len(list(shapes.subjects(SH.sparql, None))) <= 2, "keep SPARQL constraints few"


def test_shapes_live_in_their_namespace(shapes: Graph) -> None:
    named = {
        s
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    }
    assert named and all(s.startswith(str(SHAPES)) for s in named)


# --- labels and definitions --------------------------------------------------------------------


def _project_terms(ontology: Graph) -> set[URIRef]:
    terms = {
        s
        for s in ontology.subjects(RDF.type, None)
        if isinstance(s, URIRef) and (s.startswith(str(KGC)) or s.startswith(str(VOCAB)))
    }
    terms.add(URIRef(ONTOLOGY_IRI))
    return terms


def test_every_project_term_is_labelled_and_defined_in_french_and_english(ontology: Graph) -> None:
    bare = []
    for term in sorted(_project_terms(ontology)):
        labels = _langs(ontology, term, RDFS.label, SKOS.prefLabel, DCTERMS.title)
        definitions = _langs(ontology, term, SKOS.definition, RDFS.comment, DCTERMS.description)
        if not ({"fr", "en"} <= labels and {"fr", "en"} <= definitions):
            bare.append(str(term))
    assert not bare, f"terms lacking a fr+en label or definition: {bare}"
    assert len(_project_terms(ontology)) > 100


def test_french_and_english_labels_are_unique_per_language(ontology: Graph) -> None:
    for concept in ontology.subjects(RDF.type, SKOS.Concept):
        labels = [
            o.language for o in ontology.objects(concept, SKOS.prefLabel) if isinstance(o, Literal)
        ]
        assert len(labels) == len(set(labels)), concept


# --- SKOS schemes ------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", sorted(CONTRACT))
def test_scheme_holds_the_contract_concepts(scheme: str) -> None:
    graph = _vocab(scheme)
    assert (VOCAB[scheme], RDF.type, SKOS.ConceptScheme) in graph
    slugs = {str(c).removeprefix(f"{VOCAB}{scheme}/") for c in _concepts(graph, scheme)}
    missing = CONTRACT[scheme] - slugs
    assert not missing, f"vocab/{scheme} lacks {sorted(missing)}"
    for concept in _concepts(graph, scheme):
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert str(concept).startswith(f"{VOCAB}{scheme}/")


@pytest.mark.parametrize("scheme", sorted(CONTRACT))
def test_hierarchy_is_consistent(scheme: str) -> None:
    graph = _vocab(scheme)
    concepts = _concepts(graph, scheme)
    tops = set(graph.objects(VOCAB[scheme], SKOS.hasTopConcept))
    assert tops == set(graph.subjects(SKOS.topConceptOf, VOCAB[scheme]))
    for concept in concepts:
        broader = set(graph.objects(concept, SKOS.broader))
        assert (concept in tops) != bool(broader), f"{concept}: top concept xor broader"
        for parent in broader:
            assert parent in concepts and (parent, SKOS.narrower, concept) in graph
    for parent, child in graph.subject_objects(SKOS.narrower):
        assert (child, SKOS.broader, parent) in graph


def test_sector_has_two_levels_and_enough_concepts() -> None:
    graph = _vocab("sector")
    concepts = _concepts(graph, "sector")
    tops = set(graph.objects(VOCAB.sector, SKOS.hasTopConcept))
    assert len(concepts) >= 30
    narrower = concepts - tops
    assert len(tops) >= 10 and len(narrower) >= 20
    for concept in narrower:
        assert set(graph.objects(concept, SKOS.broader)) <= tops, "exactly two levels"


def test_sector_mappings_exist_in_the_iati_codelists() -> None:
    sectors = _iati_codes("Sector")
    categories = _iati_codes("SectorCategory")
    graph = _vocab("sector")
    mapped = 0
    for concept in _concepts(graph, "sector"):
        for predicate in (SKOS.exactMatch, SKOS.closeMatch):
            for target in graph.objects(concept, predicate):
                text = str(target)
                if text.startswith(str(VOCAB["dac-sector/"])):
                    code = text.removeprefix(str(VOCAB["dac-sector/"]))
                    assert re.fullmatch(r"\d{5}", code) and code in sectors, f"{concept} -> {code}"
                    assert sectors[code] != "withdrawn", f"{concept} -> withdrawn DAC code {code}"
                elif text.startswith(str(VOCAB["dac-sector-category/"])):
                    code = text.removeprefix(str(VOCAB["dac-sector-category/"]))
                    assert re.fullmatch(r"\d{3}", code) and code in categories, (
                        f"{concept} -> {code}"
                    )
                    assert categories[code] != "withdrawn"
                else:
                    pytest.fail(f"{concept} maps outside the DAC concept space: {text}")
                mapped += 1
    assert mapped >= 40


def test_statuses_map_one_to_one_to_iati_activity_status() -> None:
    codes = _iati_codes("ActivityStatus", folder="embedded")
    graph = _vocab("status")
    targets = {
        str(graph.value(c, SKOS.exactMatch)).removeprefix(str(VOCAB["iati-activity-status/"]))
        for c in _concepts(graph, "status")
    }
    assert targets == set(codes) == {"1", "2", "3", "4", "5", "6"}


def test_participation_roles_map_to_iati_organisation_roles() -> None:
    codes = _iati_codes("OrganisationRole", folder="embedded")
    graph = _vocab("participation-role")
    prefix = str(VOCAB["iati-organisation-role/"])
    targets = [
        str(t).removeprefix(prefix)
        for p in (SKOS.exactMatch, SKOS.closeMatch)
        for t in graph.objects(None, p)
    ]
    assert targets and set(targets) <= set(codes)


def test_membership_roles_are_org_roles() -> None:
    graph = _vocab("membership-role")
    for concept in _concepts(graph, "membership-role"):
        assert (concept, RDF.type, ORG.Role) in graph


# --- kg.ontology -------------------------------------------------------------------------------


def test_graphs_are_cached_and_reloaded_on_change(tmp_path: Path) -> None:
    copy = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, copy, ignore=shutil.ignore_patterns("docs"))
    settings = Settings(store=None, ontology_dir=copy)
    assert ontology_files(settings)[0] == copy / "kgci.ttl"
    assert len(ontology_files(settings)) == 1 + len(list((copy / "vocab").glob("*.ttl")))
    first = ontology_graph(settings)
    assert ontology_graph(settings) is first
    assert shapes_graph(settings) is shapes_graph(settings)
    text = (copy / "kgci.ttl").read_text(encoding="utf-8")
    version = shapes_version(settings)
    (copy / "kgci.ttl").write_text(
        text.replace(f'owl:versionInfo "{version}"', 'owl:versionInfo "9.9.9"'), encoding="utf-8"
    )
    assert shapes_version(settings) == "9.9.9"
    assert ontology_graph(settings) is not first


def test_broken_turtle_names_the_file_and_line(tmp_path: Path) -> None:
    copy = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, copy, ignore=shutil.ignore_patterns("docs"))
    (copy / "vocab" / "unit.ttl").write_text(
        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n<urn:x> skos:prefLabel "x" \n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"unit\.ttl line \d+: invalid Turtle"):
        ontology_graph(Settings(store=None, ontology_dir=copy))


# --- documentation -----------------------------------------------------------------------------


def test_committed_docs_cover_every_term(ontology: Graph) -> None:
    """``make docs`` output is committed; a term added since the last run is missing from it."""
    page = (ONTOLOGY_DIR / "docs" / "index.html").read_text(encoding="utf-8")
    documented = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    stale = [
        str(t)
        for kind in documented
        for t in ontology.subjects(RDF.type, kind)
        if str(t).startswith(str(KGC)) and f'"{t}"' not in page and f">{t}<" not in page
    ]
    assert not stale, f"ontology/docs/index.html is stale (run `make docs`); missing {stale}"
    for vocab in sorted((ONTOLOGY_DIR / "vocab").glob("*.ttl")):
        html = ONTOLOGY_DIR / "docs" / "vocab" / f"{vocab.stem}.html"
        text = html.read_text(encoding="utf-8")
        for concept in _concepts(Graph().parse(vocab), vocab.stem):
            assert str(concept) in text, (
                f"{html.name} is stale (run `make docs`); missing {concept}"
            )


def test_docs_graph_merges_french_and_english_names() -> None:
    from kg.ontology.docs import docs_graph

    graph = docs_graph(ONTOLOGY_DIR / "kgci.ttl")
    assert set(graph.objects(KGC.Collectivity, RDFS.label)) == {
        Literal("collectivity (collectivité)", lang="en")
    }
    assert set(graph.objects(KGC.Participation, RDFS.label)) == {
        Literal("participation", lang="en")
    }
    assert _langs(graph, KGC.Collectivity, SKOS.definition) == {"fr", "en"}


def test_readme_examples_use_existing_terms(ontology: Graph) -> None:
    """The Turtle patterns of ontology/README.md parse and use only declared terms and concepts."""
    readme = (ONTOLOGY_DIR / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```turtle\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) >= 4
    types = "collectivity partnership participation agreement membership person observation"
    prefixes = dict(PREFIXES)
    prefixes.update({t: f"{BASE}id/{t}/" for t in [*types.split(), "passage", "document"]})
    prefixes.update({scheme: f"{VOCAB}{scheme}/" for scheme in CONTRACT})
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items())
    graph = Graph()
    for block in blocks:
        graph.parse(data=header + block, format="turtle")
    used = {t for triple in graph for t in triple if isinstance(t, URIRef)}
    declared = set(ontology.subjects())
    unknown = {
        str(t)
        for t in used
        if (t.startswith(str(KGC)) or t.startswith(str(VOCAB))) and t not in declared
    }
    assert not unknown, f"README examples use unknown terms: {sorted(unknown)}"


def test_readme_figures_are_current(ontology: Graph, shapes: Graph) -> None:
    readme = (ONTOLOGY_DIR / "README.md").read_text(encoding="utf-8")
    classes = len(_project_classes(ontology))
    concepts = len(set(ontology.subjects(RDF.type, SKOS.Concept)))
    sectors = len(_concepts(_vocab("sector"), "sector"))
    node_shapes = len(set(shapes.subjects(RDF.type, SH.NodeShape)))
    assert f"{classes} classes" in readme
    assert f"{concepts} concepts" in readme
    assert f"{sectors} sectors" in readme
    assert f"{node_shapes} node shapes" in readme
