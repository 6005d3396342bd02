"""Issue 21, section 3: a foreign place written with and without a qualifier ("Prague 6 (Prague)" and
"Prague 6" on Dijon's page) is one IRI, on the real rows of both twinning sources
(``tests/fixtures/name-variants``); distinct places of the same bare name stay apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.importers import twinnings_wikidata, twinnings_wikipedia
from kg.importers.curation import Curation
from kg.importers.merge import Merged, merge
from kg.importers.reconcile.communes import CommuneIndex
from kg.importers.twinning_graph import statements
from kg.importers.twinnings import Resolver

HERE = Path(__file__).resolve().parent / "fixtures" / "name-variants"


@pytest.fixture(scope="module")
def merged() -> Merged:
    resolver = Resolver(CommuneIndex.from_cog(HERE / "cog"), Curation({}))
    found = []
    for source, reader, path in (
        ("twinnings-wikipedia", twinnings_wikipedia, HERE / "wikipedia"),
        ("twinnings-wikidata", twinnings_wikidata, HERE / "wikidata"),
    ):
        found.extend(statements(source, reader.read_rows(path)[0], resolver)[0])
    return merge(found)


def partners_of(merged: Merged, french: str) -> list[str]:
    """Slugs of the partners of one French commune, one per agreement."""
    return sorted(
        p.iri.rsplit("/", 1)[1]
        for a in merged.agreements.values()
        if any(p.iri.endswith("/" + french) for p in a.parties)
        for p in a.parties
        if not p.iri.endswith("/" + french)
    )


def test_prague_6_is_one_place_twinned_once_with_dijon(merged: Merged) -> None:
    assert partners_of(merged, "dijon-21231") == ["prague-6-cz"]
    assert partners_of(merged, "drancy-93029") == ["prague-6-cz"]
    # both rows of each pair (Dijon's list and Prague 6's) are one agreement
    dijon = [a for a in merged.agreements.values() if a.iri.endswith("dijon-21231-prague-6-cz")]
    assert len(dijon) == 1 and len(dijon[0].statements) == 2


def test_a_geonames_place_is_kept_over_its_unmatched_variant(merged: Merged) -> None:
    assert partners_of(merged, "le-pecq-78481") == ["hennef-sieg-de"]
    assert partners_of(merged, "vandoeuvre-les-nancy-54547") == ["poa-bf"]


def test_variants_of_one_bare_name_stay_apart(merged: Merged) -> None:
    """St. Cloud, Florida and St. Cloud, Minnesota are two towns; the bare "St. Cloud" row (placed
    in Minnesota) is the Minnesota one, not a third entity."""
    assert partners_of(merged, "saint-cloud-92064") == [
        "st-cloud-florida-us",
        "st-cloud-minnesota-us",
    ]


def test_merges_are_reported(merged: Merged) -> None:
    reported = {
        c.subject.rsplit("/", 1)[1] for c in merged.conflicts if c.kind == "name-variant-merged"
    }
    assert reported == {"prague-6-prague-cz", "hennef-de", "poa-boulkiemde-bf", "st-cloud-us"}
    assert all(c.sources for c in merged.conflicts if c.kind == "name-variant-merged")
