"""Running imports: read a source, convert it, and hand it to the same validated, atomic,
provenance-recording load as ``kg load`` (:func:`kg.ingest.load_batches`); and the full build
(ontology, seeds and every import) into a fresh store swapped in place only when complete."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

import pyoxigraph as ox

from kg.errors import InputError
from kg.importers.conversion import Conversion
from kg.importers.curation import Curation
from kg.importers.datasets import SOURCES, sha256_of
from kg.importers.reconcile.communes import CommuneIndex
from kg.importers.registry import BY_NAME, IMPORTERS, SIREN_FOLDER
from kg.importers.twinning_graph import convert_sources
from kg.importers.twinnings import Resolver
from kg.ingest import Batch, LoadReport, ProgressHook, batch_from_file, load_batches
from kg.ingest.build import source_files, stamp_path
from kg.queries import QueryLibrary, get_library
from kg.settings import PROJECT_ROOT, Settings
from kg.store import open_store

# Derived from the one importer table (kg.importers.registry); never listed by hand.
SOURCE_NAMES = tuple(i.name for i in IMPORTERS)
TWINNING_SOURCES = tuple(i.name for i in IMPORTERS if i.twinning)

#: Where each source lives inside the reference folder (``kg fetch`` writes it so; ``kg import all DIR``).
SHARED_LAYOUT = {"siren": SIREN_FOLDER, **{i.name: i.folder for i in IMPORTERS}}
#: Default reference folder, as :attr:`kg.settings.Settings.reference_dir` (``KG_REFERENCE_DIR``).
DEFAULT_SHARED = PROJECT_ROOT / "var" / "reference"


@dataclass(frozen=True)
class ImportOptions:
    """Side inputs of the imports: the COG folder the twinnings reconcile against, the SIREN folder
    the COG import reads, and the curation CSV."""

    cog_dir: Path = DEFAULT_SHARED / SHARED_LAYOUT["cog"]
    siren_dir: Path | None = DEFAULT_SHARED / SHARED_LAYOUT["siren"]
    curation: Path | None = PROJECT_ROOT / "data" / "curation.csv"

    @classmethod
    def from_shared(cls, shared: Path, curation: Path | None) -> ImportOptions:
        """Options pointing into a shared data folder laid out as :data:`SHARED_LAYOUT`."""
        return cls(shared / SHARED_LAYOUT["cog"], shared / SHARED_LAYOUT["siren"], curation)


def existing_twinnings(store: ox.Store, queries: QueryLibrary) -> dict[frozenset[str], str]:
    """Twinning agreements already in the store, by pair of parties."""
    return {
        frozenset((row["first"].value, row["second"].value)): row["agreement"].value
        for row in queries.run(store, "import-twinning-pairs")
    }


def known_collectivities(store: ox.Store, queries: QueryLibrary) -> frozenset[str]:
    """Collectivities the store describes outside the twinning graphs (seeds, COG)."""
    twinning_graphs = {SOURCES[name].graph for name in TWINNING_SOURCES}
    return frozenset(
        row["entity"].value
        for row in queries.run(store, "import-known-collectivities")
        if row["graph"].value not in twinning_graphs
    )


def convert(
    source: str,
    path: Path,
    options: ImportOptions,
    existing: Mapping[frozenset[str], str] | None = None,
    twinning_paths: Mapping[str, Path] | None = None,
    known: frozenset[str] = frozenset(),
) -> list[Conversion]:
    """Convert one source (or, with ``twinning_paths``, several twinning sources merged together)."""
    importer = BY_NAME.get(source)
    if importer is None:
        raise InputError(f"unknown source {source!r}; known sources: {', '.join(SOURCE_NAMES)}")
    if importer.convert is not None:
        return [importer.convert(path, options)]
    paths = dict(twinning_paths or {source: path})
    rows = {}
    for name, where in paths.items():
        read_rows = BY_NAME[name].read_rows
        assert read_rows is not None  # twinning_paths names twinning sources only
        found, files = read_rows(where)
        rows[name] = (found, sha256_of(files))
    if not (options.cog_dir / "communes.json").is_file():
        raise InputError(
            f"{options.cog_dir} holds no communes.json: twinnings reconcile against the COG (--cog)"
        )
    resolver = Resolver(CommuneIndex.from_cog(options.cog_dir), Curation.read(options.curation))
    return convert_sources(rows, resolver, existing, known)


def batch(conversion: Conversion) -> Batch:
    """The load batch of a conversion: its graph, N-Triples and PROV extras."""
    return Batch(
        graph=conversion.source.graph,
        data=conversion.data,
        format=ox.RdfFormat.N_TRIPLES,
        source_name=f"import:{conversion.source.name}",
        sha256=conversion.sha256,
        extra=MappingProxyType(conversion.source.extra(conversion.sha256)),
    )


def load(
    store: ox.Store,
    settings: Settings,
    conversions: Sequence[Conversion],
    progress: bool | ProgressHook = True,
) -> LoadReport:
    """Validate and load conversions in one transaction (the store is unchanged on failure)."""
    return load_batches(store, settings, [batch(c) for c in conversions], progress=progress)


def convert_for_store(
    store: ox.Store, settings: Settings, source: str, path: Path, options: ImportOptions
) -> list[Conversion]:
    """Convert a source, reusing the twinning agreements the store already holds."""
    existing = None
    if source in TWINNING_SOURCES:
        if not store.contains_named_graph(ox.NamedNode(SOURCES["cog"].graph)):
            raise InputError(f"the store has no {SOURCES['cog'].graph}: run `kg import cog` first")
        queries = get_library(settings.queries_dir)
        existing = existing_twinnings(store, queries)
        return convert(source, path, options, existing, None, known_collectivities(store, queries))
    return convert(source, path, options, existing)


def import_source(
    store: ox.Store,
    settings: Settings,
    source: str,
    path: Path,
    options: ImportOptions,
    progress: bool | ProgressHook = True,
) -> tuple[list[Conversion], LoadReport]:
    """``kg import SOURCE PATH``: convert, then validate and load into the source's graph."""
    conversions = convert_for_store(store, settings, source, path, options)
    return conversions, load(store, settings, conversions, progress)


def build_full(
    settings: Settings,
    shared: Path,
    options: ImportOptions,
    progress: bool | ProgressHook = True,
    step: Callable[[str], None] = lambda _: None,
) -> tuple[list[Conversion], list[LoadReport]]:
    """Build the ontology, ``data/`` (seeds) and every import into a fresh store, then swap it in.

    The ontology is loaded first (not validated); then the seeds and all imports are validated
    together and written in one transaction, so that every reference between them (a seed's commune,
    its département) is checked against the batch itself.
    """
    target = settings.store
    if target is None:
        raise InputError("the full build needs an on-disk store; set KG_STORE to a directory")
    for name in SOURCE_NAMES:
        if not (shared / SHARED_LAYOUT[name]).exists():
            raise InputError(
                f"{shared / SHARED_LAYOUT[name]} is missing: kg import all expects the shared data layout"
            )
    tmp = target.with_name(f".{target.name}.full-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    staging = settings.model_copy(update={"store": tmp / "store"})
    ontology_dir = (settings.project_root / "ontology").resolve()
    files = source_files(settings)
    ontology = [
        replace(batch_from_file(p, staging), validate=False)
        for p in files
        if p.resolve().is_relative_to(ontology_dir)
    ]
    data = [
        batch_from_file(p, staging) for p in files if not p.resolve().is_relative_to(ontology_dir)
    ]
    try:
        store = open_store(tmp / "store")
        step("ontology")
        reports = [load_batches(store, staging, ontology, progress=progress)]
        seeds = ox.Store()
        for seed in data:
            if seed.format.supports_datasets:
                seeds.load(seed.data, seed.format)
            else:
                seeds.load(seed.data, seed.format, to_graph=ox.NamedNode(seed.graph))
        conversions: list[Conversion] = []
        for importer in IMPORTERS:
            if not importer.twinning:
                step(f"converting {importer.name}")
                conversions += convert(importer.name, shared / importer.folder, options)
        step("converting and reconciling twinnings")
        twinning_paths = {name: shared / SHARED_LAYOUT[name] for name in TWINNING_SOURCES}
        queries = get_library(staging.queries_dir)
        existing = existing_twinnings(seeds, queries)
        known = known_collectivities(seeds, queries)
        conversions += convert(
            TWINNING_SOURCES[0], shared, options, existing, twinning_paths, known
        )
        step("validating and loading seeds and imports")
        batches = [*data, *(batch(c) for c in conversions)]
        reports.append(load_batches(store, staging, batches, progress=progress))
        store.flush()
        del store
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if target.exists():
            held = open_store(target)  # fails with the usual sentence if a server holds it
            del held
            target.rename(old)
        (tmp / "store").rename(target)
        stamp = {
            "built": time.time(),
            "files": [str(p.relative_to(settings.project_root)) for p in files],
            "imports": {c.source.name: c.sha256 for c in conversions},
            "triples": sum(r.triples for r in reports),
        }
        stamp_path(target).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return conversions, reports
