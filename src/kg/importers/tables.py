"""Reading the CSV and TSV tables of the twinning sources: the files a path names, the rows numbered
by their line in the file once the header is known to hold the columns the importer needs, and a
row's coordinates."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

from kg.errors import InputError


def input_files(path: Path, in_folder: Callable[[Path], list[Path]], none_there: str) -> list[Path]:
    """``path`` itself when it is a file, else the files ``in_folder`` picks in that folder; one
    clear error when it does not exist or the folder holds ``none_there`` (what it should hold)."""
    if path.is_dir():
        files = in_folder(path)
        if not files:
            raise InputError(f"{path} holds {none_there}")
        return files
    if path.is_file():
        return [path]
    raise InputError(f"{path} does not exist")


def table_rows(
    path: Path, required: Sequence[str], delimiter: str = ","
) -> list[tuple[int, dict[str, str]]]:
    """``(line, row)`` for each data row of ``path``; one clear error when a required column is
    missing from its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path} line 1: missing column(s) {', '.join(missing)}")
        return list(enumerate(reader, 2))


def coordinates(row: dict[str, str], lat: str, lon: str) -> tuple[float, float] | None:
    """``(lat, lon)`` from the columns so named, or None when either is missing or not a number.

    >>> coordinates({"lat": "47.3", "long": "5.04"}, "lat", "long"), coordinates({}, "lat", "long")
    ((47.3, 5.04), None)
    """
    try:
        return float(row[lat]), float(row[lon])
    except (KeyError, TypeError, ValueError):
        return None
