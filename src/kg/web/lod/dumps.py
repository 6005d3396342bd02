"""Dumps of the whole dataset: gzip N-Quads, one Turtle file per named graph, SHA-256 sums and a
manifest; written by ``kg export`` into a directory the server publishes under ``/dumps/``.

Files are written into a temporary directory beside the target and moved in place at the end, so a
server never publishes half a dump.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from kg.errors import NotFoundError
from kg.iris import slugify
from kg.namespaces import BASE, PREFIXES

DATASET_FILE = "kgci.nq.gz"
SUMS_FILE = "SHA256SUMS"
MANIFEST_FILE = "manifest.json"

#: Media type of each published file, by suffix.
MEDIA_TYPES = {
    ".gz": "application/gzip",
    ".ttl": "text/turtle; charset=utf-8",
    ".json": "application/json",
    "": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class DumpFile:
    """A published file: name (relative to the dumps directory), size, sha256, graph, triples."""

    name: str
    size: int
    sha256: str
    graph: str | None = None
    triples: int | None = None
    media_type: str = "application/octet-stream"


def file_name_for_graph(graph: str) -> str:
    """The Turtle file name of a named graph.

    >>> file_name_for_graph("https://w3id.org/kgci/graph/seed/idf-international-2019")
    'graphs/seed--idf-international-2019.ttl'
    """
    rest = graph.removeprefix(BASE + "graph/") if graph.startswith(BASE + "graph/") else graph
    return "graphs/" + "--".join(slugify(part) for part in rest.split("/") if part) + ".ttl"


def media_type_of(name: str) -> str:
    """The media type a dump file is served with."""
    return MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _Counted:
    """An iterator of quads that counts what went through it."""

    def __init__(self, quads: Iterator[ox.Quad]) -> None:
        self._quads = quads
        self.count = 0

    def __iter__(self) -> Iterator[ox.Quad]:
        for quad in self._quads:
            self.count += 1
            yield quad


def export(store: ox.Store, out: Path) -> list[DumpFile]:
    """Write the dumps of ``store`` into ``out`` and return what was written."""
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=out))
    try:
        files: list[DumpFile] = []
        # The named graphs only: the default graph is their merge, which a loader recomputes.
        named = _Counted(
            q
            for q in store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        )
        with gzip.open(tmp / DATASET_FILE, "wb", compresslevel=6) as handle:
            ox.serialize(named, cast(IO[bytes], handle), ox.RdfFormat.N_QUADS)
        files.append(_entry(tmp, DATASET_FILE, None, named.count))
        (tmp / "graphs").mkdir()
        for graph in sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)):
            name = file_name_for_graph(graph)
            node = ox.NamedNode(graph)
            store.dump(
                str(tmp / name), format=ox.RdfFormat.TURTLE, from_graph=node, prefixes=PREFIXES
            )
            triples = sum(1 for _ in store.quads_for_pattern(None, None, None, node))
            files.append(_entry(tmp, name, graph, triples))
        default_triples = sum(
            1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        )
        if default_triples:
            name = "graphs/default.ttl"
            store.dump(
                str(tmp / name),
                format=ox.RdfFormat.TURTLE,
                from_graph=ox.DefaultGraph(),
                prefixes=PREFIXES,
            )
            files.append(_entry(tmp, name, None, default_triples))
        (tmp / SUMS_FILE).write_text(
            "".join(f"{f.sha256}  {f.name}\n" for f in files), encoding="utf-8"
        )
        manifest = {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": [asdict(f) for f in files],
        }
        (tmp / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(out / "graphs", ignore_errors=True)
        for item in (DATASET_FILE, SUMS_FILE, MANIFEST_FILE, "graphs"):
            (tmp / item).replace(out / item)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return files


def _entry(root: Path, name: str, graph: str | None, triples: int) -> DumpFile:
    path = root / name
    return DumpFile(name, path.stat().st_size, _sha256(path), graph, triples, media_type_of(name))


def published(directory: Path) -> tuple[str | None, list[DumpFile]]:
    """The creation time and files of the dumps in ``directory`` (empty when never exported)."""
    manifest = directory / MANIFEST_FILE
    if not manifest.is_file():
        return None, []
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return data.get("created"), [DumpFile(**f) for f in data.get("files", [])]


def resolve_file(directory: Path, name: str) -> Path:
    """The path of a published dump file; anything not listed in the manifest is not found."""
    allowed = {f.name for f in published(directory)[1]} | {SUMS_FILE, MANIFEST_FILE}
    path = directory / name
    if name not in allowed or not path.is_file():
        raise NotFoundError(f"there is no dump file named {name!r}; see /dumps/ for the list")
    return path
