"""French collectivities whose status is not the ordinary région / département / EPCI one, as
registries keyed on the COG codes (or COG EPCI type) that stand for them.

The COG files list régions, départements and EPCI with no word of the statute that governs them, so
the statute is stated here once, with its legal basis, and applied to the COG's records:

- a *collectivité territoriale unique* (article 73 of the Constitution) holds the powers of a région
  and of a département over one territory: the COG's région record and département record are one
  collectivity (Guyane, Martinique, Mayotte), which bears both INSEE codes;
- a *collectivité à statut particulier* (article 72) replaces ordinary collectivities: the
  Collectivité de Corse (the région record 94, whose départements 2A and 2B remain districts of the
  State), the Métropole de Lyon (the COG's one EPCI of type ``MET69``), the Collectivité européenne
  d'Alsace (the SIREN file's row for the départements 67 and 68, which remain districts of the State).
"""

from __future__ import annotations

from dataclasses import dataclass

SINGLE = "collectivite-unique"
SPECIAL = "collectivite-a-statut-particulier"
DISTRICT = "departement-circonscription"
#: The COG's zone "com" records (article 74 collectivities, New Caledonia, TAAF, Clipperton).
OVERSEAS = "collectivite-d-outre-mer"


@dataclass(frozen=True)
class Statute:
    """The collectivity type a statute gives, and the statute (for the docstring reader and tests)."""

    kind: str
    basis: str


#: Régions (COG code) whose collectivity is not an ordinary région.
REGIONS: dict[str, Statute] = {
    "02": Statute(SINGLE, "Collectivité territoriale de Martinique, loi 2011-884, since Dec. 2015"),
    "03": Statute(SINGLE, "Collectivité territoriale de Guyane, loi 2011-884, since Dec. 2015"),
    "06": Statute(SINGLE, "Département de Mayotte, loi organique 2010-1486, since Mar. 2011"),
    "94": Statute(SPECIAL, "Collectivité de Corse, loi 2015-991 art. 30, since Jan. 2018"),
}

#: Départements (COG code) whose collectivity is their région's single collectivity (same entity).
FOLDED_INTO_REGION: dict[str, str] = {"972": "02", "973": "03", "976": "06"}

#: Départements (COG code) that remain districts of the State, their powers held by a collectivity
#: with special status (the région record 94 for Corsica, the SIREN file's CEA row for Alsace).
DISTRICTS: dict[str, Statute] = {
    "2A": Statute(DISTRICT, "powers held by the Collectivité de Corse since Jan. 2018"),
    "2B": Statute(DISTRICT, "powers held by the Collectivité de Corse since Jan. 2018"),
    "67": Statute(DISTRICT, "powers held by the Collectivité européenne d'Alsace since Jan. 2021"),
    "68": Statute(DISTRICT, "powers held by the Collectivité européenne d'Alsace since Jan. 2021"),
}

#: COG EPCI types that are collectivities with special status rather than EPCI.
EPCI_TYPES: dict[str, Statute] = {
    "MET69": Statute(SPECIAL, "Métropole de Lyon, loi 2014-58 (CGCT L3611-1), since Jan. 2015"),
}

#: SIREN-file rows (``echelon``) naming a collectivity with special status that the COG lacks.
SIREN_ROWS: dict[str, Statute] = {
    "departement": Statute(SPECIAL, "Collectivité européenne d'Alsace, loi 2019-816, since 2021"),
}
