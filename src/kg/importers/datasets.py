"""The ``dcat:Dataset`` each import is derived from: origin, licence, vintage and file digest.

Imported agreements point to these with ``prov:wasDerivedFrom``; the same facts go to the load
record as PROV extras (source name, sha256, licence, vintage).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.importers.ntriples import DCAT, DCTERMS, ID, KGC, RDF_TYPE, TripleWriter, iri, text, typed
from kg.namespaces import BASE


@dataclass(frozen=True)
class SourceInfo:
    """What the project knows about one published source."""

    name: str
    title_fr: str
    title_en: str
    origin: str
    licence: str
    vintage: str

    @property
    def dataset_iri(self) -> str:
        """``id/dataset/<name>``."""
        return f"{ID}dataset/{self.name}"

    @property
    def graph(self) -> str:
        """The named graph the import goes to: ``graph/import/<name>``."""
        return f"{BASE}graph/import/{self.name}"

    def extra(self, sha256: str) -> dict[str, str]:
        """PROV extras of the load record."""
        return {
            "source": self.name,
            "sha256": sha256,
            "licence": self.licence,
            "vintage": self.vintage,
            "origin": self.origin,
        }


ETALAB_2 = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
CC_BY_SA_4 = "https://creativecommons.org/licenses/by-sa/4.0/"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"

SOURCES: dict[str, SourceInfo] = {
    info.name: info
    for info in (
        SourceInfo(
            "cog",
            "Découpage administratif (COG 2026, EPCI, SIREN, population)",
            "French administrative divisions (COG 2026, EPCI, SIREN, population)",
            "https://www.npmjs.com/package/@etalab/decoupage-administratif/v/6.0.0",
            ETALAB_2,
            "2026",
        ),
        SourceInfo(
            "siren-departements-regions",
            "Numéros SIREN des départements et des régions",
            "SIREN numbers of départements and régions",
            "https://github.com/entrepreneur-interet-general/django-francedata",
            ETALAB_2,
            "2026-10-09",
        ),
        SourceInfo(
            "twinnings-wikipedia",
            "Jumelages et villes sœurs d'après Wikipédia (anglais)",
            "Twin towns and sister cities from English Wikipedia",
            "https://github.com/Hekman/twincities",
            CC_BY_SA_4,
            "2026-02-08",
        ),
        SourceInfo(
            "twinnings-wikidata",
            "Jumelages d'après Wikidata (P190), extraction 2017",
            "Twinnings from Wikidata (P190), 2017 extract",
            "https://github.com/rogorido/sistercities",
            CC0,
            "2017-07-28",
        ),
        SourceInfo(
            "iati-codes",
            "Listes de codes IATI (secteurs CAD, statuts, rôles)",
            "IATI codelists (DAC sectors, statuses, roles)",
            "https://github.com/IATI/IATI-Codelists-NonEmbedded",
            CC_BY_4,
            "2026-06-22",
        ),
    )
}


def sha256_of(paths: Iterable[Path]) -> str:
    """SHA-256 of one file, or of several files read in name order (their bytes concatenated)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def describe(writer: TripleWriter, info: SourceInfo, sha256: str) -> None:
    """Write the ``dcat:Dataset`` node of a source."""
    subject = info.dataset_iri
    writer.add(subject, RDF_TYPE, iri(DCAT + "Dataset"))
    writer.add(subject, DCTERMS + "title", text(info.title_fr, "fr"))
    writer.add(subject, DCTERMS + "title", text(info.title_en, "en"))
    writer.labels(subject, info.title_fr, info.title_en)
    writer.add(subject, DCTERMS + "license", iri(info.licence))
    writer.add(subject, DCTERMS + "source", iri(info.origin))
    vintage_type = "gYear" if len(info.vintage) == 4 else "date"
    writer.add(subject, DCTERMS + "issued", typed(info.vintage, vintage_type))
    writer.add(subject, KGC + "sha256", typed(sha256, "hexBinary"))
