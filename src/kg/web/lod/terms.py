"""French and English names of the reused vocabulary terms the ontology file does not label
(rdf:type, schema:startDate, org:member...), so pages never show a raw IRI for them."""

from __future__ import annotations

from kg.web.lod import vocab as v

_NAMES: dict[str, tuple[str, str]] = {
    v.RDF + "type": ("type", "type"),
    v.RDFS + "label": ("libellé", "label"),
    v.RDFS + "comment": ("commentaire", "comment"),
    v.RDFS + "seeAlso": ("voir aussi", "see also"),
    v.RDFS + "subClassOf": ("sous-classe de", "subclass of"),
    v.RDFS + "subPropertyOf": ("sous-propriété de", "subproperty of"),
    v.RDFS + "domain": ("domaine", "domain"),
    v.RDFS + "range": ("portée", "range"),
    v.RDFS + "isDefinedBy": ("défini par", "defined by"),
    v.OWL + "sameAs": ("identique à", "same as"),
    v.OWL + "Class": ("classe", "class"),
    v.OWL + "ObjectProperty": ("propriété d'objet", "object property"),
    v.OWL + "DatatypeProperty": ("propriété de données", "datatype property"),
    v.OWL + "Ontology": ("ontologie", "ontology"),
    v.OWL + "inverseOf": ("inverse de", "inverse of"),
    v.SKOS + "prefLabel": ("libellé préféré", "preferred label"),
    v.SKOS + "altLabel": ("autre libellé", "alternative label"),
    v.SKOS + "definition": ("définition", "definition"),
    v.SKOS + "inScheme": ("dans le schéma", "in scheme"),
    v.SKOS + "topConceptOf": ("concept de tête de", "top concept of"),
    v.SKOS + "hasTopConcept": ("a pour concept de tête", "has top concept"),
    v.SKOS + "broader": ("terme générique", "broader"),
    v.SKOS + "narrower": ("terme spécifique", "narrower"),
    v.SKOS + "notation": ("notation", "notation"),
    v.SKOS + "closeMatch": ("correspondance proche", "close match"),
    v.SKOS + "exactMatch": ("correspondance exacte", "exact match"),
    v.SKOS + "Concept": ("concept", "concept"),
    v.SKOS + "ConceptScheme": ("schéma de concepts", "concept scheme"),
    v.DCT + "title": ("titre", "title"),
    v.DCT + "description": ("description", "description"),
    v.DCT + "date": ("date", "date"),
    v.DCT + "language": ("langue", "language"),
    v.DCT + "identifier": ("identifiant", "identifier"),
    v.DCT + "isPartOf": ("fait partie de", "is part of"),
    v.DCT + "publisher": ("éditeur", "publisher"),
    v.DCT + "license": ("licence", "licence"),
    v.DCT + "created": ("créé le", "created"),
    v.DCT + "source": ("source", "source"),
    v.PROV + "wasDerivedFrom": ("extrait de", "derived from"),
    v.PROV + "generated": ("a produit", "generated"),
    v.PROV + "used": ("a utilisé", "used"),
    v.FOAF + "name": ("nom", "name"),
    v.FOAF + "givenName": ("prénom", "given name"),
    v.FOAF + "familyName": ("nom de famille", "family name"),
    v.FOAF + "Person": ("personne", "person"),
    v.SCHEMA + "name": ("nom", "name"),
    v.SCHEMA + "startDate": ("date de début", "start date"),
    v.SCHEMA + "endDate": ("date de fin", "end date"),
    v.SCHEMA + "location": ("lieu", "location"),
    v.SCHEMA + "organizer": ("organisateur", "organizer"),
    v.SCHEMA + "attendee": ("participant", "attendee"),
    v.SCHEMA + "subEvent": ("sous-événement", "sub-event"),
    v.SCHEMA + "superEvent": ("événement parent", "parent event"),
    v.SCHEMA + "containedInPlace": ("situé dans", "contained in place"),
    v.SCHEMA + "nationality": ("nationalité", "nationality"),
    v.SCHEMA + "Event": ("événement", "event"),
    v.SCHEMA + "Place": ("lieu", "place"),
    v.SCHEMA + "Country": ("pays", "country"),
    v.SCHEMA + "AdministrativeArea": ("zone administrative", "administrative area"),
    v.ORG + "member": ("membre", "member"),
    v.ORG + "organization": ("organisation", "organization"),
    v.ORG + "role": ("fonction", "role"),
    v.ORG + "Membership": ("fonction exercée", "membership"),
    v.ORG + "Organization": ("organisation", "organization"),
    v.ORG + "FormalOrganization": ("organisation formelle", "formal organization"),
    "http://www.w3.org/ns/oa#start": ("début (caractère)", "start (character)"),
    "http://www.w3.org/ns/oa#end": ("fin (caractère)", "end (character)"),
    "http://purl.org/linked-data/cube#Observation": ("observation", "observation"),
    "http://purl.org/linked-data/sdmx/2009/measure#obsValue": ("valeur", "value"),
    "http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure": ("unité", "unit"),
    "http://purl.org/linked-data/sdmx/2009/dimension#refPeriod": ("période", "period"),
    "http://purl.org/linked-data/sdmx/2009/dimension#refArea": ("zone", "area"),
    v.DCAT + "Dataset": ("jeu de données", "dataset"),
    v.VOID + "inDataset": ("dans le jeu de données", "in dataset"),
    v.SH + "NodeShape": ("forme SHACL", "SHACL node shape"),
}


def known_name(iri: str, lang: str) -> str | None:
    """The built-in name of a reused term in ``lang`` (fr or en), or None.

    >>> known_name("https://schema.org/startDate", "fr")
    'date de début'
    """
    names = _NAMES.get(iri)
    if names is None:
        return None
    return names[0] if lang == "fr" else names[1]
