"""An in-memory catalogue of the labelled resources: a normalised label index for search, counts per
class, and members of a class sorted by label (computed per class on first use).

Built at first use (or at startup, for a large store) and rebuilt when the store changes. Detecting a change must be cheap at
national scale, so the signature of an on-disk store is the listing (names, sizes, modification times)
of its directory, which every write touches; an in-memory store falls back to its length.
"""

from __future__ import annotations

import bisect
import heapq
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.queries import QueryLibrary
from kg.store import default_graph
from kg.web.lod import facets
from kg.web.lod.labels import fallback, pick
from kg.web.lod.normalize import FOLD, normalize, rank

Signature = tuple[object, ...]
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


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
    class_counts: list[tuple[str, int]]
    triples: int
    built_in: float
    _members: dict[str, list[str]] = field(default_factory=dict)
    _property_counts: list[tuple[str, int]] | None = None
    _blob: str = ""
    _starts: list[int] = field(default_factory=list)
    _facet_rows: dict[str, list[tuple[str, facets.Values]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Every normalised label on one line of one string: str.find scans it at C speed, and only
        # the matching lines reach Python.
        self._blob = "\n".join(key for key, _, _ in self.keys) + "\n"
        self._starts = []
        offset = 0
        for key, _, _ in self.keys:
            self._starts.append(offset)
            offset += len(key) + 1

    def _matching(self, key: str) -> Iterator[int]:
        """Indexes in :attr:`keys` of the labels containing ``key``."""
        pos = self._blob.find(key)
        while pos >= 0:
            index = bisect.bisect_right(self._starts, pos) - 1
            yield index
            nxt = self._starts[index + 1] if index + 1 < len(self._starts) else len(self._blob)
            pos = self._blob.find(key, nxt)

    def property_counts(self, store: ox.Store, queries: QueryLibrary) -> list[tuple[str, int]]:
        """Triples per property (computed once per snapshot: a full scan)."""
        if self._property_counts is None:
            self._property_counts = [
                (row["property"].value, int(row["n"].value))
                for row in queries.run(store, "lod-property-counts")
            ]
        return self._property_counts

    def label(self, iri: str, lang: str) -> str:
        """Preferred label of ``iri`` in ``lang`` from the index."""
        return pick(self.labels.get(iri, ()), lang) or fallback(iri)

    def search(
        self, store: ox.Store, query: str, lang: str, limit: int = 20, offset: int = 0
    ) -> tuple[int, list[Hit]]:
        """Resources whose label matches ``query``, best first: exact, prefix, word, substring;
        then shorter labels, then alphabetical. Returns the total count and one page of hits."""
        best = self._scores(query)
        ordered = heapq.nsmallest(
            offset + limit, best.items(), key=lambda item: (item[1][:3], item[0])
        )
        page = [
            Hit(iri, self.label(iri, lang), score[3], score[0], types_of(store, iri))
            for iri, score in ordered[offset : offset + limit]
        ]
        return len(best), page

    def facet_rows(
        self, store: ox.Store, key: str, iris: Callable[[], list[str]]
    ) -> list[tuple[str, facets.Values]]:
        """The facet values of the list ``key`` (read once per snapshot: one pass over the store)."""
        if key not in self._facet_rows:
            self._facet_rows[key] = facets.read_values(store, iris())
        return self._facet_rows[key]

    def _scores(self, query: str) -> dict[str, tuple[int, int, str, str]]:
        """Each IRI whose label matches ``query`` with its best (rank, length, key, label)."""
        key = normalize(query)
        best: dict[str, tuple[int, int, str, str]] = {}
        if key:
            for index in self._matching(key):
                label_key, label, iri = self.keys[index]
                r = rank(label_key, key)
                if r is None:
                    continue
                score = (r, len(label_key), label_key, label)
                if iri not in best or score < best[iri]:
                    best[iri] = score
        return best

    def matching(self, query: str) -> list[tuple[str, str, int]]:
        """Every (IRI, matched label, rank) whose label matches ``query``, in :meth:`search` order."""
        best = self._scores(query)
        ordered = sorted(best, key=lambda iri: (best[iri][:3], iri))
        return [(iri, best[iri][3], best[iri][0]) for iri in ordered]

    def members(self, store: ox.Store, cls: str, lang: str) -> list[str]:
        """IRIs typed ``cls``, sorted by their label (cached per class and language)."""
        cache_key = f"{lang} {cls}"
        if cache_key not in self._members:
            iris = {
                q.subject.value
                for q in store.quads_for_pattern(None, TYPE, ox.NamedNode(cls), ox.DefaultGraph())
                if isinstance(q.subject, ox.NamedNode)
            }
            self._members[cache_key] = sorted(
                iris, key=lambda iri: (self.label(iri, lang).casefold().translate(FOLD), iri)
            )
        return self._members[cache_key]


def types_of(store: ox.Store, iri: str) -> tuple[str, ...]:
    """The classes of ``iri`` (read when shown: only a page of hits needs them)."""
    return tuple(
        sorted(
            {
                q.object.value
                for q in store.quads_for_pattern(ox.NamedNode(iri), TYPE, None, ox.DefaultGraph())
                if isinstance(q.object, ox.NamedNode)
            }
        )
    )


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
    """Holds the current :class:`Snapshot`, rebuilding it when the store's signature changes.

    Only the first build makes a request wait; with ``background`` (the server's default) a later
    change is picked up by a rebuild in a thread while requests keep the previous snapshot.
    """

    def __init__(
        self,
        queries: QueryLibrary,
        path: Path | None,
        min_check: float = 1.0,
        background: bool = False,
    ) -> None:
        self.queries = queries
        self.path = path
        self.min_check = min_check
        self.background = background
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._signature: Signature | None = None
        self._checked = 0.0
        self._rebuilding = False

    def snapshot(self, store: ox.Store, should_stop: Callable[[], bool] | None = None) -> Snapshot:
        """The catalogue of ``store`` now (checking its signature at most every ``min_check`` s)."""
        with self._lock:
            now = time.monotonic()
            current = self._snapshot
            if current is not None and now - self._checked < self.min_check:
                return current
            signature = store_signature(store, self.path)
            self._checked = now
            if current is not None and signature == self._signature:
                return current
            if current is not None and self.background:
                if not self._rebuilding:
                    self._rebuilding = True
                    threading.Thread(
                        target=self._rebuild, args=(store, signature), daemon=True
                    ).start()
                return current
            self._snapshot = build_snapshot(store, self.queries, should_stop)
            self._signature = signature
            return self._snapshot

    @property
    def ready(self) -> bool:
        """Whether a snapshot has been built (requests will not wait for one)."""
        return self._snapshot is not None

    def _rebuild(self, store: ox.Store, signature: Signature) -> None:
        try:
            fresh = build_snapshot(store, self.queries)
            with self._lock:
                self._snapshot, self._signature = fresh, signature
        finally:
            self._rebuilding = False

    def invalidate(self) -> None:
        """Forget the snapshot (after a write through this process)."""
        with self._lock:
            self._snapshot = None


class Cancelled(Exception):
    """A build was abandoned because its caller no longer needs it (the server is stopping)."""


def build_snapshot(
    store: ox.Store,
    queries: QueryLibrary,
    should_stop: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Snapshot:
    """Read every label and the class counts from ``store``; ``should_stop`` is polled now and then
    so a server that stops does not wait for (or keep its store open for) a long build."""
    start = clock()
    labels: dict[str, list[ox.Literal]] = {}
    keys: list[tuple[str, str, str]] = []
    for count, row in enumerate(queries.run(store, "lod-labels")):
        if should_stop is not None and count % 5000 == 0 and should_stop():
            raise Cancelled("the catalogue build was cancelled")
        iri, label = row["s"].value, row["label"]
        labels.setdefault(iri, []).append(label)
        keys.append((normalize(label.value), label.value, iri))
    counts = [
        (row["class"].value, int(row["n"].value)) for row in queries.run(store, "lod-class-counts")
    ]
    return Snapshot(
        keys=keys,
        labels=labels,
        class_counts=counts,
        triples=default_graph.size(store),
        built_in=clock() - start,
    )
