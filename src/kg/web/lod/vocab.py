"""IRIs of the terms the linked-data pages read, as pyoxigraph nodes (one place, no literals
scattered over the modules)."""

from __future__ import annotations

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
XSD = "http://www.w3.org/2001/XMLSchema#"
KGC = "https://w3id.org/kgci/def/"


def n(iri: str) -> ox.NamedNode:
    """Shorthand for a named node."""
    return ox.NamedNode(iri)


TYPE = n(RDF + "type")
LABEL = n(RDFS + "label")
COMMENT = n(RDFS + "comment")
DOMAIN = n(RDFS + "domain")
RANGE = n(RDFS + "range")
SUBCLASS = n(RDFS + "subClassOf")
SUBPROPERTY = n(RDFS + "subPropertyOf")
SAME_AS = n(OWL + "sameAs")
PREF_LABEL = n(SKOS + "prefLabel")
DEFINITION = n(SKOS + "definition")
IN_SCHEME = n(SKOS + "inScheme")
TOP_CONCEPT_OF = n(SKOS + "topConceptOf")
BROADER = n(SKOS + "broader")
TITLE = n(DCT + "title")
DESCRIPTION = n(DCT + "description")
DATE = n(DCT + "date")
IS_PART_OF = n(DCT + "isPartOf")
OA_START = n("http://www.w3.org/ns/oa#start")
OA_END = n("http://www.w3.org/ns/oa#end")
DERIVED_FROM = n(PROV + "wasDerivedFrom")
GENERATED = n(PROV + "generated")
FOAF_NAME = n(FOAF + "name")
SCHEMA_NAME = n(SCHEMA + "name")
START_DATE = n(SCHEMA + "startDate")
END_DATE = n(SCHEMA + "endDate")
SUB_EVENT = n(SCHEMA + "subEvent")
SUPER_EVENT = n(SCHEMA + "superEvent")
ORG_MEMBER = n(ORG + "member")
ORG_ORGANIZATION = n(ORG + "organization")
ORG_ROLE = n(ORG + "role")
SH_TARGET_CLASS = n(SH + "targetClass")
SH_PATH = n(SH + "path")
SH_PROPERTY = n(SH + "property")
IN_DATASET = n(VOID + "inDataset")
SEE_ALSO = n(RDFS + "seeAlso")
SOURCE_DOCUMENT = n(KGC + "SourceDocument")
PARTY = n(KGC + "party")
SIGNATORY = n(KGC + "signatory")
SECTOR = n(KGC + "sector")
SIGNING_DATE = n(KGC + "signingDate")
LOCATED_IN = n(KGC + "locatedIn")
COUNTRY = n(KGC + "country")
COLLECTIVITY_TYPE = n(KGC + "collectivityType")
INSEE_DEPARTEMENT_CODE = n(KGC + "inseeDepartementCode")
ROLE_LABEL = n(KGC + "roleLabel")
ATTESTED_DATE = n(KGC + "attestedDate")
AGREEMENT = n(KGC + "Agreement")
PARTNERSHIP = n(KGC + "Partnership")
COLLECTIVITY = n(KGC + "Collectivity")
PERSON = n(FOAF + "Person")
EVENT = n(SCHEMA + "Event")
MEMBERSHIP = n(ORG + "Membership")
DATASET = n(DCAT + "Dataset")

#: Properties that name a resource, most preferred first.
LABEL_PROPERTIES: tuple[ox.NamedNode, ...] = (PREF_LABEL, LABEL, FOAF_NAME, SCHEMA_NAME, TITLE)
#: A candidate fact's review status (candidate, manually-curated, rejected), in its candidate graph.
CURATION_STATUS = ox.NamedNode(KGC + "curationStatus")
