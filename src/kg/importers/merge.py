"""Merging twinning statements: one agreement per unordered pair of entities, whatever the number of
sources and the direction each writes the pair in, attributed to every source that states it.

Agreement IRIs are minted from the two party slugs in sorted order, so separate imports of different
sources land on the same agreement; an agreement already in the store between the same two parties
(a seed document's, for instance) is reused instead. Disagreements are reported as
:class:`Conflict` records, never silently resolved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kg.importers.conversion import Conflict
from kg.importers.ntriples import ID
from kg.importers.reconcile.normalise import distance_km, fold
from kg.importers.twinnings import Resolved, Side

COORDINATE_CONFLICT_KM = 50.0


def agreement_iri(first: str, second: str) -> str:
    """IRI of the twinning between two entities, independent of their order.

    >>> a = "https://w3id.org/kgci/id/collectivity/dijon-21231"
    >>> b = "https://w3id.org/kgci/id/collectivity/mainz-de"
    >>> agreement_iri(a, b) == agreement_iri(b, a)
    True
    >>> agreement_iri(a, b).rsplit("/", 1)[1]
    'twinning-dijon-21231-mainz-de'
    """
    low, high = sorted((first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]))
    return f"{ID}agreement/twinning-{low}-{high}"


@dataclass(frozen=True)
class Statement:
    """One source row stating a pair, with both sides resolved."""

    source: str
    line: int
    first: Resolved
    second: Resolved
    first_side: Side
    second_side: Side


@dataclass
class MergedAgreement:
    """A twinning agreement and every statement of it."""

    iri: str
    parties: tuple[Resolved, Resolved]
    statements: list[Statement] = field(default_factory=list)
    reused: bool = False  # the agreement was already in the store (a seed's): not described again

    @property
    def sources(self) -> set[str]:
        """Names of the sources that state this twinning."""
        return {s.source for s in self.statements}


@dataclass
class Merged:
    """The agreements of one or more sources, and the conflicts found while merging them."""

    agreements: dict[frozenset[str], MergedAgreement]
    conflicts: list[Conflict]
    self_pairs: int = 0


def merge(
    statements: Sequence[Statement], existing: Mapping[frozenset[str], str] | None = None
) -> Merged:
    """Group statements by unordered pair of entity IRIs and look for conflicts between them."""
    existing = existing or {}
    agreements: dict[frozenset[str], MergedAgreement] = {}
    conflicts: list[Conflict] = []
    self_pairs = 0
    for st in statements:
        if st.first.country is None or st.second.country is None:
            # every collectivity needs a country: the row waits for a country alias, reported
            side = st.first_side if st.first.country is None else st.second_side
            detail = f"line {st.line}: country {side.country!r} of {side.name!r} matches no ISO 3166 code"
            conflicts.append(Conflict("unknown-country", side.name, detail, st.source))
            continue
        if st.first.iri == st.second.iri:
            self_pairs += 1
            conflicts.append(
                Conflict(
                    "self-pair",
                    st.first.iri,
                    f"line {st.line}: {st.first_side.name} / {st.second_side.name} resolve to one entity",
                    st.source,
                )
            )
            continue
        key = frozenset((st.first.iri, st.second.iri))
        if key not in agreements:
            iri = existing.get(key) or agreement_iri(st.first.iri, st.second.iri)
            reused = key in existing and iri != agreement_iri(st.first.iri, st.second.iri)
            agreements[key] = MergedAgreement(iri, (st.first, st.second), reused=reused)
        agreements[key].statements.append(st)
    conflicts.extend(_name_conflicts(statements))
    return Merged(agreements, conflicts, self_pairs)


def _name_conflicts(statements: Sequence[Statement]) -> list[Conflict]:
    """Same name and country resolved to different entities, or placed far apart by two sources."""
    seen: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    places: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    for st in statements:
        for resolved, side in ((st.first, st.first_side), (st.second, st.second_side)):
            seen[(fold(side.name), resolved.country or "")][resolved.iri].add(st.source)
            if side.coordinates is not None:
                places[resolved.iri].setdefault(st.source, side.coordinates)
    conflicts = []
    for (name, country), iris in sorted(seen.items()):
        if len(iris) > 1:
            detail = "; ".join(
                f"{iri.rsplit('/', 1)[1]} ({', '.join(sorted(src))})"
                for iri, src in sorted(iris.items())
            )
            sources = ", ".join(sorted(set().union(*iris.values())))
            conflicts.append(
                Conflict("name-resolved-differently", f"{name} ({country})", detail, sources)
            )
    for iri, by_source in sorted(places.items()):
        if len(by_source) > 1:
            (s1, c1), (s2, c2) = sorted(by_source.items())[:2]
            gap = distance_km(*c1, *c2)
            if gap > COORDINATE_CONFLICT_KM:
                conflicts.append(
                    Conflict(
                        "coordinates-differ",
                        iri,
                        f"{s1} and {s2} place it {gap:.0f} km apart",
                        f"{s1}, {s2}",
                    )
                )
    return conflicts
