"""`kg import iati-codes`: IATI codelists as SKOS concept schemes with English and French labels:
DAC 5-digit sectors (``vocab/dac-sector/<code>``, broader: their 3-digit category), DAC sector
categories (``vocab/dac-sector-category/<code>``), activity status (``vocab/iati-activity-status/<n>``)
and organisation roles (``vocab/iati-organisation-role/<n>``). Withdrawn codes are kept, marked
``owl:deprecated``; a French label is written only where the codelist has one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.importers.conversion import Conversion
from kg.importers.datasets import SOURCES, describe, sha256_of
from kg.importers.ntriples import (
    DCTERMS,
    OWL,
    RDF_TYPE,
    SKOS,
    VOCAB,
    TripleWriter,
    iri,
    text,
    typed,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Codelist:
    """One IATI codelist file and the SKOS scheme it becomes."""

    file: str
    scheme: str
    label_fr: str
    label_en: str
    broader_scheme: str | None = None


CODELISTS = (
    Codelist(
        "nonembedded/SectorCategory.xml",
        "dac-sector-category",
        "Catégories de secteurs CAD (3 chiffres)",
        "DAC sector categories (3-digit)",
    ),
    Codelist(
        "nonembedded/Sector.xml",
        "dac-sector",
        "Secteurs CAD de l'OCDE (5 chiffres)",
        "OECD DAC sectors (5-digit purpose codes)",
        "dac-sector-category",
    ),
    Codelist(
        "embedded/ActivityStatus.xml",
        "iati-activity-status",
        "Statut d'activité IATI",
        "IATI activity status",
    ),
    Codelist(
        "embedded/OrganisationRole.xml",
        "iati-organisation-role",
        "Rôle d'organisation IATI",
        "IATI organisation role",
    ),
)


def _narratives(element: ET.Element | None) -> dict[str, str]:
    if element is None:
        return {}
    found: dict[str, str] = {}
    for narrative in element.findall("narrative"):
        value = " ".join((narrative.text or "").split())
        if value:
            found.setdefault(narrative.get(XML_LANG, "en"), value)
    return found


def convert(folder: Path) -> Conversion:
    """Turn the IATI codelists folder into the N-Triples of ``graph/import/iati-codes``."""
    paths = [folder / c.file for c in CODELISTS]
    for path in paths:
        if not path.is_file():
            raise InputError(
                f"{path} is missing: the iati-codes import reads {', '.join(c.file for c in CODELISTS)}"
            )
    info = SOURCES["iati-codes"]
    w = TripleWriter()
    sha = sha256_of(paths)
    describe(w, info, sha)
    counts: dict[str, int] = {}
    for codelist, path in zip(CODELISTS, paths, strict=True):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            raise InputError(f"{path} line {exc.position[0]}: malformed XML") from exc
        scheme = f"{VOCAB}{codelist.scheme}"
        w.add(scheme, RDF_TYPE, iri(SKOS + "ConceptScheme"))
        w.labels(scheme, codelist.label_fr, codelist.label_en)
        w.add(scheme, SKOS + "prefLabel", text(codelist.label_fr, "fr"))
        w.add(scheme, SKOS + "prefLabel", text(codelist.label_en, "en"))
        w.add(scheme, DCTERMS + "source", iri(info.dataset_iri))
        items = root.findall("./codelist-items/codelist-item")
        for item in items:
            code = (item.findtext("code") or "").strip()
            if not code:
                raise InputError(f"{path}: a codelist-item has no code")
            concept = f"{scheme}/{code}"
            w.add(concept, RDF_TYPE, iri(SKOS + "Concept"))
            w.add(concept, SKOS + "inScheme", iri(scheme))
            w.add(concept, SKOS + "notation", text(code))
            for lang, label in _narratives(item.find("name")).items():
                if lang in {"en", "fr"}:
                    w.add(concept, SKOS + "prefLabel", text(label, lang))
            for lang, definition in _narratives(item.find("description")).items():
                if lang in {"en", "fr"}:
                    w.add(concept, SKOS + "definition", text(definition, lang))
            category = (item.findtext("category") or "").strip()
            if codelist.broader_scheme and category:
                w.add(
                    concept, SKOS + "broader", iri(f"{VOCAB}{codelist.broader_scheme}/{category}")
                )
            else:
                w.add(concept, SKOS + "topConceptOf", iri(scheme))
                w.add(scheme, SKOS + "hasTopConcept", iri(concept))
            if item.get("status") == "withdrawn":
                w.add(concept, OWL + "deprecated", typed("true", "boolean"))
        counts[codelist.scheme] = len(items)
    return Conversion(info, w.data(), len(w), sha, counts)
