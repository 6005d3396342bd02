"""The one table of importers: each source ``kg import`` reads, in the order the full build converts
them. Source names, the CLI's choices, the reference-folder layout, the twinning sources and
``build_full`` all come from :data:`IMPORTERS`; adding an importer is one entry here and one new
module (its ``convert``, or for a twinning source its ``read_rows``), plus its dataset in
:data:`kg.importers.datasets.SOURCES` and its files in ``kg/fetch/manifest.toml``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.importers import cog, iati_codes, twinnings_wikidata, twinnings_wikipedia
from kg.importers.conversion import Conversion
from kg.importers.datasets import SOURCES, SourceInfo
from kg.importers.twinnings import TwinRow

if TYPE_CHECKING:
    from kg.importers.pipeline import ImportOptions

Convert = Callable[[Path, "ImportOptions"], Conversion]
ReadRows = Callable[[Path], tuple[list[TwinRow], list[Path]]]


@dataclass(frozen=True)
class Importer:
    """One source: its name, its folder in the reference data, and how it is read.

    A source converted on its own has ``convert``; a twinning source has ``read_rows`` instead: the
    twinning sources are read, reconciled against the COG and merged together.
    """

    name: str
    folder: str  # where it lives inside the reference folder (``kg fetch`` writes it so)
    convert: Convert | None = None
    read_rows: ReadRows | None = None

    @property
    def twinning(self) -> bool:
        """Whether the source is a twinning source (reconciled and merged with the others)."""
        return self.read_rows is not None

    @property
    def dataset(self) -> SourceInfo:
        """The ``dcat:Dataset`` the import is derived from (and its graph)."""
        return SOURCES[self.name]


#: Every importer, in the order of the full build (the twinnings last: they reconcile against the COG).
IMPORTERS: tuple[Importer, ...] = (
    Importer(
        "cog", "cog-etalab-decoupage-2026", convert=lambda path, o: cog.convert(path, o.siren_dir)
    ),
    Importer("iati-codes", "iati-codelists", convert=lambda path, _: iati_codes.convert(path)),
    Importer(
        "twinnings-wikipedia",
        "twincities-wikipedia-hekman",
        read_rows=twinnings_wikipedia.read_rows,
    ),
    Importer(
        "twinnings-wikidata",
        "sistercities-wikidata-rogorido/by_origin_country",
        read_rows=twinnings_wikidata.read_rows,
    ),
)
BY_NAME = {importer.name: importer for importer in IMPORTERS}
#: A side input, not an importer: the SIREN numbers the COG import reads.
SIREN_FOLDER = "siren-departements-regions"
