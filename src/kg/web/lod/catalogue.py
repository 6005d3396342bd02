"""An in-memory catalogue of the labelled resources: a normalised label index for search, the types
of each resource, counts per class and members of a class sorted by label.

Built lazily at first use and rebuilt when the store changes. Detecting a change must be cheap at
national scale, so the signature of an on-disk store is the listing (names, sizes, modification times)
of its directory, which every write touches; an in-memory store falls back to its length.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.queries import QueryLibrary
from kg.web.lod import vocab as v
from kg.web.lod.labels import fallback, pick
from kg.web.lod.normalize import normalize, rank

Signature = tuple[object, ...]


@dataclass(frozen=True)
class Hit:
    """A search result: the IRI, its label in the asked language, the label that matched, its rank."""

    iri: str
    label: str
    matched: str
    rank: int
    types: tuple[str, ...]


@dataclass
class Snapshot:
    """The catalogue as of one store signature."""

    keys: list[tuple[str, str, str]]  # (normalised label, label, iri)
    labels: dict[str, list[ox.Literal]]
    types: dict[str, tuple[str, ...]]
    class_counts: list[tuple[str, int]]
    built_in: float
    _members: dict[str, list[str]] = field(default_factory=dict)

    def label(self, iri: str, lang: str) -> str:
        """Preferred label of ``iri`` in ``lang`` from the index."""
        return pick(self.labels.get(iri, ()), lang) or fallback(iri)

    def search(self, query: str, lang: str, limit: int = 20, offset: int = 0) -> tuple[int, list[Hit]]:
        """Resources whose label matches ``query``, best first: exact, prefix, word, substring;
        then shorter labels, then alphabetical. Returns the total count and one page of hits."""
        key = normalize(query)
        best: dict[str, tuple[int, int, str, str]] = {}
        if key:
            for label_key, label, iri in self.keys:
                r = rank(label_key, key)
                if r is None:
                    continue
                score = (r, len(label_key), label_key, label)
                if iri not in best or score < best[iri]:
                    best[iri] = score
        ordered = sorted(best.items(), key=lambda item: (item[1][:3], item[0]))
        page = [
            Hit(iri, self.label(iri, lang), score[3], score[0], self.types.get(iri, ()))
            for iri, score in ordered[offset : offset + limit]
        ]
        return len(ordered), page

    def members(self, store: ox.Store, cls: str, lang: str) -> list[str]:
        """IRIs typed ``cls``, sorted by their label (cached per class and language)."""
        cache_key = f"{lang} {cls}"
        if cache_key not in self._members:
            iris = {
                q.subject.value
                for q in store.quads_for_pattern(None, v.TYPE, ox.NamedNode(cls))
                if isinstance(q.subject, ox.NamedNode)
            }
            self._members[cache_key] = sorted(
                iris, key=lambda iri: (normalize(self.label(iri, lang)), iri)
            )
        return self._members[cache_key]


def store_signature(store: ox.Store, path: Path | None) -> Signature:
    """A cheap value that changes whenever the store's content may have changed."""
    if path is not None and path.is_dir():
        return tuple(
            sorted(
                (entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                for entry in path.iterdir()
                if entry.is_file() and not entry.name.startswith("LOG")
            )
        )
    return (len(store),)


class Catalogue:
    """Holds the current :class:`Snapshot`, rebuilding it when the store's signature changes."""

    def __init__(self, queries: QueryLibrary, path: Path | None, min_check: float = 1.0) -> None:
        self.queries = queries
        self.path = path
        self.min_check = min_check
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._signature: Signature | None = None
        self._checked = 0.0

    def snapshot(self, store: ox.Store) -> Snapshot:
        """The catalogue of ``store`` now (checking its signature at most every ``min_check`` s)."""
        with self._lock:
            now = time.monotonic()
            if self._snapshot is not None and now - self._checked < self.min_check:
                return self._snapshot
            signature = store_signature(store, self.path)
            self._checked = now
            if self._snapshot is None or signature != self._signature:
                self._snapshot = build_snapshot(store, self.queries)
                self._signature = signature
            return self._snapshot

    def invalidate(self) -> None:
        """Forget the snapshot (after a write through this process)."""
        with self._lock:
            self._snapshot = None


def build_snapshot(store: ox.Store, queries: QueryLibrary, clock: Callable[[], float] = time.perf_counter) -> Snapshot:
    """Read every label, type and class count from ``store``."""
    start = clock()
    labels: dict[str, list[ox.Literal]] = {}
    keys: list[tuple[str, str, str]] = []
    for row in queries.run(store, "lod-labels"):
        iri, label = row["s"].value, row["label"]
        labels.setdefault(iri, []).append(label)
        keys.append((normalize(label.value), label.value, iri))
    types: dict[str, list[str]] = {}
    for row in queries.run(store, "lod-types"):
        types.setdefault(row["s"].value, []).append(row["class"].value)
    counts = [(row["class"].value, int(row["n"].value)) for row in queries.run(store, "lod-class-counts")]
    return Snapshot(
        keys=keys,
        labels=labels,
        types={iri: tuple(sorted(cls)) for iri, cls in types.items()},
        class_counts=counts,
        built_in=clock() - start,
    )
