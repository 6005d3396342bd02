"""Reconciliation: normalisation, countries, communes, GeoNames places, and the precision measured on
the hand-checked sample in tests/fixtures/reconciliation_sample.csv (at least 95 % on matched names)."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers_helpers import COG
from kg.importers.curation import Curation
from kg.importers.reconcile.communes import CommuneIndex
from kg.importers.reconcile.countries import match_country
from kg.importers.reconcile.normalise import fold
from kg.importers.reconcile.places import match_place
from kg.importers.twinnings import Resolver
from kg.settings import PROJECT_ROOT
from reconcile_evaluation import evaluate

SAMPLE = PROJECT_ROOT / "tests" / "fixtures" / "reconciliation_sample.csv"


@pytest.fixture(scope="module")
def communes() -> CommuneIndex:
    return CommuneIndex.from_cog(COG)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("England", "GB"),
        ("Scotland, United Kingdom", "GB"),
        ("Wales", "GB"),
        ("Allemagne", "DE"),
        ("Royaume-Uni", "GB"),
        ("Ivory Coast", "CI"),
        ("Republic of Ireland", "IE"),
        ("People's Republic of China", "CN"),
        ("Kosovo", "XK"),
        ("Madagaskar", "MG"),
        ("Réunion, France", "FR"),
        ("French Polynesia", "PF"),
    ],
)
def test_countries(name: str, code: str) -> None:
    assert match_country(name).key == code


def test_historical_country_is_not_forced_onto_a_modern_one() -> None:
    assert not match_country("Prussia").matched


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèêàçôûÉÎ- '", min_size=1, max_size=30))
def test_fold_is_idempotent_and_ascii(name: str) -> None:
    folded = fold(name)
    assert fold(folded) == folded
    assert folded.isascii() and folded == folded.lower()


@pytest.mark.parametrize(
    ("name", "coordinates", "hint", "expected", "method", "geocoded"),
    [
        ("St-Étienne-du-Rouvray", None, None, "76575", "cog-exact", False),
        ("Havre", None, None, "76351", "cog-normalised", False),
        ("Cherbourg-Octeville", None, None, "50129", "cog-former-commune", False),
        # Réunion's coordinates give the territory hint: one Saint-Denis left
        ("Saint-Denis", (-20.88, 55.45), None, "97411", "cog-exact", False),
        ("Saint-Denis", (-20.88, 55.45), None, "97411", "cog-homonym-geocoded", True),
        ("Saint-Denis", None, "974", "97411", "cog-exact", False),
        # a geocoded point on a tiny homonym does not outrank a tenfold population...
        ("Rumilly", (50.5765, 2.0148), None, "74225", "cog-homonym-population", True),
        # ...but coordinates the source itself states do
        ("Rumilly", (50.5765, 2.0148), None, "62729", "cog-homonym-coordinates", False),
    ],
)
def test_commune_methods(
    communes: CommuneIndex,
    name: str,
    coordinates: tuple[float, float] | None,
    hint: str | None,
    expected: str,
    method: str,
    geocoded: bool,
) -> None:
    match = communes.match(name, coordinates, hint, geocoded=geocoded)
    assert (match.key, match.method) == (expected, method)
    assert 0 < match.score <= 1


def test_homonyms_without_evidence_stay_ambiguous(communes: CommuneIndex) -> None:
    match = communes.match("Saint-Denis")
    assert match.status == "ambiguous" and {"93066", "97411"} <= set(match.candidates)


def test_places() -> None:
    assert match_place("Halle (Saale)", "DE").key == "2911522"
    assert match_place("Ballina", "IE").status == "ambiguous"
    far = match_place(
        "Berat", "AL", (48.85, 2.35)
    )  # coordinates in Paris contradict the only Berat
    assert far.status == "ambiguous" and far.method == "geonames-exact-far"


def test_sample_is_hand_checked_and_large_enough() -> None:
    with SAMPLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 100
    assert all(r["evidence"].strip() and r["expected"] for r in rows)
    assert {r["kind"] for r in rows} == {"french-commune", "foreign-place"}


def test_precision_on_the_sample(communes: CommuneIndex) -> None:
    resolver = Resolver(communes, Curation.read(PROJECT_ROOT / "data" / "curation.csv"))
    result = evaluate(SAMPLE, resolver)
    assert result.total >= 100
    assert result.precision >= 0.95, result.wrong
    assert result.recall >= 0.8
