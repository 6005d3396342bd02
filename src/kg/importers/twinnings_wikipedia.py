"""`kg import twinnings-wikipedia`: twin-town pairs scraped from English Wikipedia lists
(``city1,country1,city2,country2`` and, in the geocoded file, ``lat1,lng1,lat2,lng2``).

PATH is either CSV file, or the folder holding both: then the pairs come from the raw file (complete)
and the coordinates from the geocoded one where it has the same row. Those coordinates were
geocoded from the names by the list's author, so they are weak evidence between homonyms
(:attr:`Side.geocoded`).
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.importers.tables import coordinates, input_files, table_rows
from kg.importers.twinnings import Side, TwinRow

RAW = "twin_cities_raw.csv"
GEOCODED = "twin_cities_geocoded.csv"
REQUIRED = ("city1", "country1", "city2", "country2")


def _coordinates(row: dict[str, str], n: str) -> tuple[float, float] | None:
    return coordinates(row, f"lat{n}", f"lng{n}")


def _read(path: Path) -> list[tuple[int, dict[str, str]]]:
    return table_rows(path, REQUIRED)


def read_rows(path: Path) -> tuple[list[TwinRow], list[Path]]:
    """The pairs of a file or folder, and the files they were read from."""
    files = input_files(
        path,
        lambda folder: [p for p in (folder / RAW, folder / GEOCODED) if p.is_file()],
        f"neither {RAW} nor {GEOCODED}",
    )
    coordinates: dict[tuple[str, ...], dict[str, str]] = {}
    if len(files) == 2:
        for _, row in _read(files[1]):
            coordinates.setdefault(tuple(row[c] for c in REQUIRED), row)
    rows = []
    for line, row in _read(files[0]):
        geo = coordinates.get(tuple(row[c] for c in REQUIRED), row)
        if not row["city1"].strip() or not row["city2"].strip():
            raise InputError(f"{files[0]} line {line}: a city name is empty")
        rows.append(
            TwinRow(
                line,
                Side(
                    row["city1"].strip(),
                    row["country1"].strip(),
                    _coordinates(geo, "1"),
                    geocoded=True,
                ),
                Side(
                    row["city2"].strip(),
                    row["country2"].strip(),
                    _coordinates(geo, "2"),
                    geocoded=True,
                ),
                files[0].name,
            )
        )
    return rows, files
