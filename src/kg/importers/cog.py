"""`kg import cog`: French régions, départements, communes, EPCI and EPT from the Etalab
"découpage administratif" JSON files, with SIREN numbers of départements and régions.

Modelling choices: ``commune-actuelle`` records become communes and the 45 ``arrondissement-municipal``
records of Paris, Lyon and Marseille become entities of their own, located in (part of) their commune;
communes déléguées and associées do not (no legal personality; the reconciler still knows their names);
the COM appear once, as their département-level record; collectivities with special status and single
collectivities get their own type (:mod:`kg.importers.reconcile.special_status`), a single collectivity being one
entity for its région and département records; every INSEE code says its kind
(``kgc:inseeCommuneCode``, ``kgc:inseeDepartementCode``, ``kgc:inseeRegionCode``: "94" is both the
Corse région and Val-de-Marne); EPCI and EPT membership is ``org:memberOf`` from the commune to the
EPCI (one triple each, no dated membership in the source); populations of départements and régions are
the sums of their communes' municipal populations. EPCI slugs drop the COG's legal-form prefix
("CA du Grand Dole" -> ``grand-dole-200010650``), the label keeps the full name.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.importers.conversion import Conversion
from kg.importers.datasets import SOURCES, describe, sha256_of
from kg.importers.ntriples import (
    ID,
    KGC,
    ORG,
    RDF_TYPE,
    SCHEMA,
    VOCAB,
    TripleWriter,
    iri,
    text,
    typed,
)
from kg.importers.reconcile import special_status
from kg.iris import slugify

COG_FILES = ("regions.json", "departements.json", "communes.json", "epci.json", "ept.json")
DEPARTEMENTS_SIREN = "departements-siren.django-francedata.csv"
REGIONS_SIREN = "regions-and-special-siren.transcribed.csv"

EPCI_TYPES = {
    "CC": "communaute-de-communes",
    "CA": "communaute-d-agglomeration",
    "CU": "communaute-urbaine",
    "METRO": "metropole",
    "EPT": "etablissement-public-territorial",
    **{cog_type: statute.kind for cog_type, statute in special_status.EPCI_TYPES.items()},
}
COMMUNE_CODE = KGC + "inseeCommuneCode"
DEPARTEMENT_CODE = KGC + "inseeDepartementCode"
REGION_CODE = KGC + "inseeRegionCode"
FRANCE = f"{ID}country/fr"


def commune_iri(name: str, code: str) -> str:
    """IRI of a commune: name slug and INSEE code.

    >>> commune_iri("Dijon", "21231")
    'https://w3id.org/kgci/id/collectivity/dijon-21231'
    """
    return f"{ID}collectivity/{slugify(name)}-{code.lower()}"


def departement_iri(name: str, code: str) -> str:
    """IRI of a département (same pattern as communes: name slug and code)."""
    return commune_iri(name, code)


def region_iri(name: str) -> str:
    """IRI of a région: its name only.

    >>> region_iri("Bourgogne-Franche-Comté")
    'https://w3id.org/kgci/id/collectivity/bourgogne-franche-comte'
    """
    return f"{ID}collectivity/{slugify(name)}"


_LEGAL_FORM = re.compile(
    r"^(?:CC|CA|CU)\s+(?:du\s+|de\s+la\s+|de\s+l['\u2019]|des\s+|de\s+|d['\u2019])?"
)


def epci_iri(name: str, siren: str) -> str:
    """IRI of an EPCI or EPT: name slug (without the COG's "CC"/"CA"/"CU" legal-form abbreviation
    and its article, as people name them) and SIREN.

    >>> epci_iri("Dijon Métropole", "242100410")
    'https://w3id.org/kgci/id/collectivity/dijon-metropole-242100410'
    >>> epci_iri("CA du Grand Dole", "200010650")
    'https://w3id.org/kgci/id/collectivity/grand-dole-200010650'
    """
    return f"{ID}collectivity/{slugify(_LEGAL_FORM.sub('', name))}-{siren}"


@dataclass(frozen=True)
class CogFiles:
    """The parsed JSON files of one COG vintage."""

    regions: list[dict[str, Any]]
    departements: list[dict[str, Any]]
    communes: list[dict[str, Any]]
    epci: list[dict[str, Any]]
    ept: list[dict[str, Any]]

    @classmethod
    def read(cls, folder: Path) -> CogFiles:
        """Read the five files of ``folder``; a missing or malformed file is an :class:`InputError`."""
        if not folder.is_dir():
            raise InputError(f"{folder} does not exist or is not a folder of COG JSON files")
        parsed: dict[str, list[dict[str, Any]]] = {}
        for name in COG_FILES:
            path = folder / name
            if not path.is_file():
                raise InputError(f"{path} is missing: the cog import needs {', '.join(COG_FILES)}")
            try:
                records = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path} line {exc.lineno}: invalid JSON ({exc.msg})") from exc
            if not isinstance(records, list):
                raise InputError(f"{path}: expected a JSON array of records")
            parsed[name.removesuffix(".json")] = records
        return cls(**parsed)


@dataclass(frozen=True)
class SpecialRow:
    """A collectivity with special status that only the SIREN file names (the CEA): its SIREN,
    name and the COG départements whose powers it holds."""

    siren: str
    name: str
    kind: str
    departements: tuple[str, ...]


def read_sirens(
    folder: Path | None, communes_sirens: set[str]
) -> tuple[dict[str, str], dict[str, str], list[SpecialRow]]:
    """SIREN of régions (by code) and départements (by code), dropping stale or misplaced ones, and
    the collectivities with special status the SIREN file names beside them.

    A département SIREN is dropped when a newer collectivity replaced it (the Collectivité européenne
    d'Alsace row lists 67 and 68) or when the number belongs to another entity (Paris: the commune;
    Métropole de Lyon: the EPCI). No SIREN rather than a stale one.
    """
    if folder is None:
        return {}, {}, []
    regions: dict[str, str] = {}
    replaced: set[str] = set()
    special: list[SpecialRow] = []
    with (folder / REGIONS_SIREN).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["echelon"] == "region":
                regions[row["code"]] = row["siren"]
            else:
                covered = tuple(row["departements"].split("|"))
                replaced.update(covered)
                statute = special_status.SIREN_ROWS.get(row["echelon"])
                if statute is not None:
                    special.append(SpecialRow(row["siren"], row["nom"], statute.kind, covered))
    departements: dict[str, str] = {}
    with (folder / DEPARTEMENTS_SIREN).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, siren = row["Insee"], row["Siren"]
            if row["CATEG"] != "DEPT" or code in replaced or siren in communes_sirens:
                continue
            departements[code] = siren
    return regions, departements, special


def _collectivity(w: TripleWriter, subject: str, name: str, kind: str) -> None:
    w.add(subject, RDF_TYPE, iri(KGC + "Collectivity"))
    w.labels(subject, name)
    w.add(subject, KGC + "collectivityType", iri(f"{VOCAB}collectivity-type/{kind}"))
    w.add(subject, KGC + "country", iri(FRANCE))


def convert(folder: Path, siren_folder: Path | None = None) -> Conversion:
    """Turn the COG folder (and the SIREN folder, if given) into the N-Triples of ``graph/import/cog``."""
    cog = CogFiles.read(folder)
    communes = [c for c in cog.communes if c.get("type") == "commune-actuelle"]
    arrondissements = [c for c in cog.communes if c.get("type") == "arrondissement-municipal"]
    region_sirens, dep_sirens, special_rows = read_sirens(
        siren_folder, {c["siren"] for c in communes if c.get("siren")}
    )
    w = TripleWriter()
    paths = [folder / name for name in COG_FILES]
    if siren_folder is not None:
        paths += [siren_folder / DEPARTEMENTS_SIREN, siren_folder / REGIONS_SIREN]
    sha = sha256_of(paths)
    describe(w, SOURCES["cog"], sha)
    if siren_folder is not None:
        describe(w, SOURCES["siren-departements-regions"], sha256_of(paths[-2:]))
    w.add(FRANCE, RDF_TYPE, iri(SCHEMA + "Country"))
    w.labels(FRANCE, "France", "France")
    w.add(FRANCE, KGC + "iso3166Code", text("FR"))

    dep_population: Mapping[str, int] = _sum_by(communes, "departement")
    region_population: Mapping[str, int] = _sum_by(communes, "region")
    region_iris: dict[str, str] = {}
    for region in cog.regions:
        if region.get("zone") == "com":
            continue  # the COM appear once, as their département-level record
        code = region["code"]
        subject = region_iris[code] = region_iri(region["nom"])
        statute = special_status.REGIONS.get(code)
        _collectivity(w, subject, region["nom"], statute.kind if statute else "region")
        w.add(subject, REGION_CODE, text(code))
        siren = region_sirens.get(code) or next(
            (
                dep_sirens[dep]
                for dep, reg in special_status.FOLDED_INTO_REGION.items()
                if reg == code and dep in dep_sirens
            ),
            None,
        )
        if siren:
            w.add(subject, KGC + "sirenCode", text(siren))
        if code in region_population:
            w.add(subject, KGC + "population", typed(region_population[code], "nonNegativeInteger"))

    dep_iris: dict[str, str] = {}
    for dep in cog.departements:
        code = dep["code"]
        single = special_status.FOLDED_INTO_REGION.get(code)
        if single in region_iris:  # one collectivity for the région and the département records
            dep_iris[code] = region_iris[single]
            w.add(region_iris[single], DEPARTEMENT_CODE, text(code))
            continue
        subject = dep_iris[code] = departement_iri(dep["nom"], code)
        district = special_status.DISTRICTS.get(code)
        if dep.get("zone") == "com":
            kind = special_status.OVERSEAS
        else:
            kind = district.kind if district else "departement"
        _collectivity(w, subject, dep["nom"], kind)
        w.add(subject, DEPARTEMENT_CODE, text(code))
        if code in dep_sirens:
            w.add(subject, KGC + "sirenCode", text(dep_sirens[code]))
        if dep.get("region") in region_iris:
            w.add(subject, KGC + "locatedIn", iri(region_iris[dep["region"]]))
        if code in dep_population:
            w.add(subject, KGC + "population", typed(dep_population[code], "nonNegativeInteger"))

    commune_iris: dict[str, str] = {}
    for commune in communes:
        code = commune["code"]
        subject = commune_iris[code] = commune_iri(commune["nom"], code)
        _collectivity(w, subject, commune["nom"], "commune")
        w.add(subject, COMMUNE_CODE, text(code))
        if commune.get("siren"):
            w.add(subject, KGC + "sirenCode", text(commune["siren"]))
        if commune.get("population") is not None:
            w.add(subject, KGC + "population", typed(commune["population"], "nonNegativeInteger"))
        if commune.get("departement") in dep_iris:
            w.add(subject, KGC + "locatedIn", iri(dep_iris[commune["departement"]]))

    for arrondissement in arrondissements:
        code, parent = arrondissement["code"], arrondissement.get("commune")
        subject = commune_iri(arrondissement["nom"], code)
        _collectivity(w, subject, arrondissement["nom"], "arrondissement-municipal")
        w.add(subject, COMMUNE_CODE, text(code))
        if arrondissement.get("population") is not None:
            population = typed(arrondissement["population"], "nonNegativeInteger")
            w.add(subject, KGC + "population", population)
        if parent in commune_iris:  # part of its commune
            w.add(subject, KGC + "locatedIn", iri(commune_iris[parent]))

    for row in special_rows:  # the CEA: only the SIREN file names it
        subject = epci_iri(row.name.replace("\u2019", "'"), row.siren)  # d'Alsace -> d-alsace
        _collectivity(w, subject, row.name, row.kind)
        w.add(subject, KGC + "sirenCode", text(row.siren))
        regions_of = {d["region"] for d in cog.departements if d["code"] in row.departements}
        if len(regions_of) == 1 and (home := str(regions_of.pop())) in region_iris:
            w.add(subject, KGC + "locatedIn", iri(region_iris[home]))
        covered = sum(dep_population.get(d, 0) for d in row.departements)
        if covered:
            w.add(subject, KGC + "population", typed(covered, "nonNegativeInteger"))

    memberships = 0
    for epci in [*cog.epci, *cog.ept]:
        siren = epci["code"]
        subject = epci_iri(epci["nom"], siren)
        _collectivity(w, subject, epci["nom"], EPCI_TYPES.get(epci.get("type", ""), "epci"))
        w.add(subject, KGC + "sirenCode", text(siren))
        if epci.get("populationMunicipale") is not None:
            population = typed(epci["populationMunicipale"], "nonNegativeInteger")
            w.add(subject, KGC + "population", population)
        for member in epci.get("membres", []):
            if member["code"] in commune_iris:
                w.add(commune_iris[member["code"]], ORG + "memberOf", iri(subject))
                memberships += 1

    counts = {
        "regions": len(region_iris),
        "departements": len(dep_iris),
        "communes": len(commune_iris),
        "arrondissements-municipaux": len(arrondissements),
        "special-status-siren-rows": len(special_rows),
        "epci": len(cog.epci),
        "ept": len(cog.ept),
        "epci-memberships": memberships,
        "siren-regions": len(region_sirens),
        "siren-departements": len(dep_sirens),
    }
    return Conversion(SOURCES["cog"], w.data(), len(w), sha, counts)


def _sum_by(communes: list[dict[str, Any]], key: str) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for commune in communes:
        if commune.get(key) and commune.get("population") is not None:
            totals[commune[key]] += int(commune["population"])
    return dict(totals)
