"""`kg import twinnings-wikidata`: Wikidata "twinned administrative body" (P190) query results, one
TSV per origin country (``origincityLabel, origincountry, originlat, originlong, ...,
sistercityLabel, destinationlat, destinationlong, ..., destination_countryLabel``).

PATH is one TSV or a folder of them (every ``*.tsv`` directly inside, e.g. ``by_origin_country/``):
rows of other origin countries with a French destination give the pairs France's file lacks.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.importers.tables import coordinates, input_files, table_rows
from kg.importers.twinnings import Side, TwinRow

REQUIRED = ("origincityLabel", "origincountry", "sistercityLabel", "destination_countryLabel")


def _coordinates(row: dict[str, str], prefix: str) -> tuple[float, float] | None:
    return coordinates(row, f"{prefix}lat", f"{prefix}long")


def _population(row: dict[str, str], prefix: str) -> int | None:
    try:
        return int(float(row[f"{prefix}population"])) or None
    except (KeyError, TypeError, ValueError):
        return None


def read_rows(path: Path) -> tuple[list[TwinRow], list[Path]]:
    """The pairs of a TSV file or of every TSV in a folder, and the files read."""
    files = input_files(path, lambda folder: sorted(folder.glob("*.tsv")), "no .tsv file")
    rows: list[TwinRow] = []
    for file in files:
        for line, row in table_rows(file, REQUIRED, delimiter="\t"):
            origin, sister = row["origincityLabel"].strip(), row["sistercityLabel"].strip()
            if not origin or not sister:
                raise InputError(f"{file} line {line}: a city label is empty")
            rows.append(
                TwinRow(
                    line,
                    Side(
                        origin,
                        row["origincountry"].strip(),
                        _coordinates(row, "origin"),
                        _population(row, "origin"),
                    ),
                    Side(
                        sister,
                        row["destination_countryLabel"].strip(),
                        _coordinates(row, "destination"),
                        _population(row, "destination"),
                    ),
                    file.name,
                )
            )
    return rows, files
