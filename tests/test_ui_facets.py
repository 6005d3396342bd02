"""The one-pass facet counting gives the definition's answer: for each facet, the values of the
rows that pass every OTHER filter (checked on random lists against that definition, written out)."""

from __future__ import annotations

import random
from collections import Counter

from kg.web.lod.facets import FACETS, FacetList, Values, apply, counts


def naive(
    rows: list[tuple[str, Values]], filters: dict[str, frozenset[str]]
) -> dict[str, Counter[str]]:
    out = {}
    for facet in FACETS:
        others = {k: v for k, v in filters.items() if k != facet.param}
        counter: Counter[str] = Counter()
        for _, values in rows:
            if all(values[k] & v for k, v in others.items()):
                counter.update(values[facet.param])
        out[facet.param] = counter
    return out


def test_counts_and_filters_match_their_definition() -> None:
    rng = random.Random(7)
    names = [f.param for f in FACETS]
    for _ in range(200):
        rows = [
            (
                f"iri{i}",
                {n: frozenset(rng.sample("abcd", rng.randint(0, 2))) for n in names},
            )
            for i in range(rng.randint(0, 30))
        ]
        filters = {
            n: frozenset(rng.sample("abcd", rng.randint(1, 2)))
            for n in rng.sample(names, rng.randint(0, 3))
        }
        assert counts(rows, filters) == naive(rows, filters)
        expected = [iri for iri, v in rows if all(v[k] & w for k, w in filters.items())]
        assert apply(rows, filters) == expected
        assert FacetList(rows).view(filters) == (expected, naive(rows, filters))
