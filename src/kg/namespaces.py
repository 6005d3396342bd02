"""The IRIs the project mints and the vocabularies it reuses, in one place.

Slug policy for minted IRIs: ``<base>id/<type>/<slug>`` where ``<type>`` is a lower-case English noun
(collectivity, territory, country, place, organisation, person, agreement, partnership, membership,
event, programme, action, observation, document, passage) and ``<slug>`` is the ascii, lower-case,
hyphen-separated form of the name (see :func:`kg.iris.slugify`).
"""

from __future__ import annotations

from rdflib import Namespace

BASE = "https://w3id.org/kgci/"

KGC = Namespace(BASE + "def/")  # the ontology's terms
ONTOLOGY_IRI = BASE + "def"
ID = Namespace(BASE + "id/")  # entities
VOCAB = Namespace(BASE + "vocab/")  # SKOS schemes and concepts
GRAPH = Namespace(BASE + "graph/")  # named graphs
SHAPES = Namespace(BASE + "shapes/")  # SHACL shapes
PROVENANCE_GRAPH = GRAPH["provenance"]  # load records written by `kg load`

ORG = Namespace("http://www.w3.org/ns/org#")
M8G = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("https://schema.org/")
QB = Namespace("http://purl.org/linked-data/cube#")
OA = Namespace("http://www.w3.org/ns/oa#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
WD = Namespace("http://www.wikidata.org/entity/")

#: Prefixes written at the top of serialisations and offered in the query editor.
PREFIXES: dict[str, str] = {
    "kgc": str(KGC),
    "id": str(ID),
    "vocab": str(VOCAB),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": str(ORG),
    "m8g": str(M8G),
    "schema": str(SCHEMA),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "qb": str(QB),
    "oa": str(OA),
    "dcat": "http://www.w3.org/ns/dcat#",
    "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "wd": str(WD),
    "geo": "http://www.opengis.net/ont/geosparql#",
}
