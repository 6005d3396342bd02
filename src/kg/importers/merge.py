"""Merging twinning statements: one agreement per unordered pair of entities, whatever the number of
sources and the direction each writes the pair in, attributed to every source that states it.

Agreement IRIs are minted from the two party slugs in sorted order, so separate imports of different
sources land on the same agreement; an agreement already in the store between the same two parties
(a seed document's, for instance) is reused instead. Disagreements are reported as
:class:`Conflict` records. One is also settled: when two sources pair the same partner with the same
French name resolved to different homonyms, the better-evidenced resolution (:data:`EVIDENCE_RANK`)
is kept for both and the disagreement is reported (``homonym-sources-disagree``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from kg.importers.conversion import Conflict
from kg.importers.ntriples import ID
from kg.importers.reconcile import MATCHED
from kg.importers.reconcile.normalise import distance_km, fold, split_qualifier
from kg.importers.twinnings import Resolved, Side

COORDINATE_CONFLICT_KM = 50.0
#: How close two sources' points must be for a qualified and a bare name to be one place.
NAME_VARIANT_KM = 25.0

#: How strongly a method's evidence tells homonyms apart: the source's own coordinates or population
#: beat a dominant population, which beats a geocoder's guess; a curated decision beats them all.
EVIDENCE_RANK = {
    "curation": 6,
    "cog-homonym-coordinates": 4,
    "cog-coordinates-longer-name": 4,
    "cog-homonym-source-population": 3,
    "cog-homonym-population": 2,
    "cog-homonym-geocoded": 1,
}


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
    file: str = ""


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
    statements, conflicts = settle_homonyms(statements)
    statements, merged_places = settle_foreign_identity(statements)
    conflicts.extend(merged_places)
    statements, merged_variants = settle_name_variants(statements)
    conflicts.extend(merged_variants)
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


def _french_side(st: Statement) -> int | None:
    """0 or 1: the French side of a statement whose other side is not French, else None."""
    if st.first.french != st.second.french:
        return 0 if st.first.french else 1
    return None


def _evidence(resolved: Resolved) -> int:
    """The rank of a resolution's evidence; a name left ambiguous or unmatched has none."""
    if resolved.match.status != MATCHED:
        return 0
    return EVIDENCE_RANK.get(resolved.match.method, 5)


def settle_homonyms(statements: Sequence[Statement]) -> tuple[list[Statement], list[Conflict]]:
    """Where sources pair one partner with one French name but resolve the name to different
    entities, keep the better-evidenced entity (by :data:`EVIDENCE_RANK`) in every such statement
    and report the disagreement; equal evidence is reported and left as it is."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, st in enumerate(statements):
        side = _french_side(st)
        if side is not None:
            french, partner = (st.first, st.second) if side == 0 else (st.second, st.first)
            groups[(fold(french.source_name), partner.iri)].append(n)
    result = list(statements)
    conflicts: list[Conflict] = []
    for (name, other), members in sorted(groups.items()):
        chosen: dict[str, Resolved] = {}
        for n in members:
            st = statements[n]
            french = st.first if _french_side(st) == 0 else st.second
            chosen.setdefault(french.iri, french)
        by_source: dict[str, set[str]] = defaultdict(set)
        for n in members:
            st = statements[n]
            by_source[st.source].add((st.first if _french_side(st) == 0 else st.second).iri)
        if len(chosen) < 2 or len(by_source) < 2 or any(len(v) > 1 for v in by_source.values()):
            continue  # one source naming two homonyms with one partner means two real towns
        ranked = sorted(chosen.values(), key=lambda r: -_evidence(r))
        tie = _evidence(ranked[1]) == _evidence(ranked[0])
        detail = "; ".join(
            f"{statements[n].source} line {statements[n].line}: "
            f"{(statements[n].first if _french_side(statements[n]) == 0 else statements[n].second).iri.rsplit('/', 1)[1]}"
            f" ({(statements[n].first if _french_side(statements[n]) == 0 else statements[n].second).match.method})"
            for n in members
        )
        kept = "none kept (equal evidence)" if tie else f"kept {ranked[0].iri.rsplit('/', 1)[1]}"
        sources = ", ".join(sorted({statements[n].source for n in members}))
        conflicts.append(
            Conflict(
                "homonym-sources-disagree",
                f"{name} / {other.rsplit('/', 1)[1]}",
                f"{detail}; {kept}",
                sources,
            )
        )
        if tie:
            continue
        for n in members:
            st = result[n]
            if _french_side(st) == 0:
                result[n] = replace(st, first=ranked[0])
            else:
                result[n] = replace(st, second=ranked[0])
    return result, conflicts


def settle_foreign_identity(
    statements: Sequence[Statement],
) -> tuple[list[Statement], list[Conflict]]:
    """One IRI per real foreign place: a name left ambiguous in one row (minted ``name-cc``) is the
    place other rows matched for the same name and country when that is the only GeoNames id matched
    for it and it is among the ambiguous row's candidates (``alexandria-us`` and
    ``alexandria-us-4744091`` were one town minted twice); reported as ``identity-merged``."""
    matched: dict[tuple[str, str], dict[str, Resolved]] = defaultdict(dict)
    for st in statements:
        for side in (st.first, st.second):
            if not side.french and side.geonames_id and side.country:
                matched[(fold(side.source_name), side.country)][side.geonames_id] = side
    result: list[Statement] = []
    merged: dict[tuple[str, str], Conflict] = {}
    for st in statements:
        sides = []
        for side in (st.first, st.second):
            key = (fold(side.source_name), side.country or "")
            found = matched.get(key, {})
            if not side.french and side.geonames_id is None and len(found) == 1:
                ((geonames_id, place),) = found.items()
                if f"https://sws.geonames.org/{geonames_id}/" in side.candidates:
                    if side.iri == place.iri:  # same slug already: one IRI, nothing to report
                        side = place
                        sides.append(side)
                        continue
                    merged.setdefault(
                        key,
                        Conflict(
                            "identity-merged",
                            side.iri,
                            f"ambiguous {side.source_name!r} is {place.iri.rsplit('/', 1)[1]}, "
                            f"the one GeoNames place ({geonames_id}) other rows matched for it",
                            st.source,
                        ),
                    )
                    side = place
            sides.append(side)
        result.append(replace(st, first=sides[0], second=sides[1]))
    return result, list(merged.values())


def _foreign_sides(st: Statement) -> list[tuple[int, Resolved, Side, Resolved]]:
    """(index, foreign side, its source side, the other side) of a statement's foreign sides."""
    pairs = ((0, st.first, st.first_side, st.second), (1, st.second, st.second_side, st.first))
    return [(n, r, side, other) for n, r, side, other in pairs if not r.french and r.country]


def _sources_naming(statements: Sequence[Statement], *iris: str) -> str:
    """The sources of the statements that name any of these entities, comma-separated."""
    named = {s.source for s in statements if {s.first.iri, s.second.iri} & set(iris)}
    return ", ".join(sorted(named))


def settle_name_variants(
    statements: Sequence[Statement],
) -> tuple[list[Statement], list[Conflict]]:
    """One IRI per foreign place written with and without a qualifier ("Prague 6 (Prague)" and
    "Prague 6", "Poa, Boulkiemdé" and "Poa"): in one country, a qualified name is the bare name's
    place when the two share a French partner (one twinning stated twice) or two sources place them
    within :data:`NAME_VARIANT_KM`, and at most one GeoNames place is matched between them. The kept
    IRI is the GeoNames-matched one, else the bare name's. When a bare name has several qualified
    variants ("St. Cloud, Minnesota" and "St. Cloud, Florida"), each of its rows goes to the variant
    its point is near, else to the one that shares its French partner, and the variants stay apart.
    Reported as ``name-variant-merged``."""
    bare: dict[tuple[str, str], dict[str, Resolved]] = defaultdict(dict)
    qualified: dict[tuple[str, str], dict[str, Resolved]] = defaultdict(dict)
    partners: dict[str, set[str]] = defaultdict(set)
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for st in statements:
        for _, resolved, side, other in _foreign_sides(st):
            head, qualifier = split_qualifier(resolved.source_name)
            table = qualified if qualifier else bare
            table[(resolved.country or "", fold(head))][resolved.iri] = resolved
            partners[resolved.iri].add(other.iri)
            if side.coordinates is not None:
                points[resolved.iri].append(side.coordinates)

    def near(a: str, b: str) -> bool:
        return any(distance_km(*p, *q) <= NAME_VARIANT_KM for p in points[a] for q in points[b])

    whole: dict[str, Resolved] = {}  # IRI -> the place all its rows become
    several: dict[str, list[Resolved]] = {}  # bare IRI -> its variants, chosen row by row
    conflicts: list[Conflict] = []
    for key in sorted(set(bare) & set(qualified)):
        bases, variants = bare[key], qualified[key]
        if len(bases) != 1 or set(bases) & set(variants):
            continue  # several bare places of that name, or already one IRI
        ((base_iri, base),) = bases.items()
        related = {
            iri: variant
            for iri, variant in sorted(variants.items())
            if (partners[iri] & partners[base_iri]) or near(iri, base_iri)
        }
        if not related:
            continue
        if len(related) == 1:
            ((_, variant),) = related.items()
            ids = {r.geonames_id for r in (base, variant) if r.geonames_id}
            if len(ids) > 1:
                continue  # two GeoNames places: two towns, or a reconciler's disagreement
            kept, dropped = (variant, base) if variant.geonames_id else (base, variant)
            whole[dropped.iri] = kept
            conflicts.append(
                Conflict(
                    "name-variant-merged",
                    dropped.iri,
                    f"{dropped.source_name!r} and {kept.source_name!r} ({key[0]}) are one place: "
                    f"kept {kept.iri.rsplit('/', 1)[1]}",
                    _sources_naming(statements, dropped.iri, kept.iri),
                )
            )
            continue
        several[base_iri] = [
            v
            for v in related.values()
            if not (v.geonames_id and base.geonames_id and v.geonames_id != base.geonames_id)
        ]
    if not whole and not several:
        return list(statements), conflicts
    result = []
    for st in statements:
        sides = [st.first, st.second]
        for n, resolved, side, other in _foreign_sides(st):
            target = whole.get(resolved.iri)
            if target is None and resolved.iri in several:
                target = _variant_of_row(several[resolved.iri], side, other.iri, partners, points)
                if target is not None:
                    conflicts.append(
                        Conflict(
                            "name-variant-merged",
                            resolved.iri,
                            f"line {st.line}: {resolved.source_name!r} paired with "
                            f"{other.iri.rsplit('/', 1)[1]} is {target.source_name!r}: "
                            f"kept {target.iri.rsplit('/', 1)[1]}",
                            st.source,
                        )
                    )
            if target is not None:
                sides[n] = replace(target, source_name=resolved.source_name)
        result.append(replace(st, first=sides[0], second=sides[1]))
    return result, conflicts


def _variant_of_row(
    variants: list[Resolved],
    side: Side,
    partner: str,
    partners: Mapping[str, set[str]],
    points: Mapping[str, list[tuple[float, float]]],
) -> Resolved | None:
    """Which of several qualified variants a bare name's row means: the one the row's point is near,
    else the one twinned with the row's partner, when exactly one is."""
    if side.coordinates is not None:
        near = [
            v
            for v in variants
            if any(distance_km(*side.coordinates, *p) <= NAME_VARIANT_KM for p in points[v.iri])
        ]
        if len(near) == 1:
            return near[0]
    sharing = [v for v in variants if partner in partners[v.iri]]
    return sharing[0] if len(sharing) == 1 else None


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
