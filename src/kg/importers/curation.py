"""Manual reconciliation decisions kept in ``data/curation.csv`` and applied by every import before
automatic matching: a decision names the reference entry (``insee:<code>``, ``geonames:<id>``) or
confirms that a name has none (``unmatched``). Lines starting with ``#`` are comments."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.importers.reconcile import MATCHED, UNMATCHED, Match
from kg.importers.reconcile.normalise import fold

COLUMNS = ("kind", "name", "country", "target", "note")
KINDS = ("french-commune", "foreign-place")


@dataclass(frozen=True)
class Curation:
    """The decisions of one curation file, by (kind, folded name, country)."""

    decisions: dict[tuple[str, str, str], str]

    @classmethod
    def read(cls, path: Path | None) -> Curation:
        """Read a curation CSV; a malformed line is an :class:`InputError` naming file and line."""
        if path is None or not path.exists():
            return cls({})
        lines = path.read_text(encoding="utf-8").splitlines()
        body = [
            (n, line)
            for n, line in enumerate(lines, 1)
            if line.strip() and not line.startswith("#")
        ]
        if not body:
            return cls({})
        header = next(csv.reader([body[0][1]]))
        if tuple(header) != COLUMNS:
            raise InputError(f"{path} line {body[0][0]}: expected the header {','.join(COLUMNS)}")
        decisions: dict[tuple[str, str, str], str] = {}
        for number, line in body[1:]:
            row = next(csv.reader(io.StringIO(line)))
            if len(row) != len(COLUMNS):
                raise InputError(
                    f"{path} line {number}: expected {len(COLUMNS)} columns, got {len(row)}"
                )
            kind, name, country, target, _ = row
            if kind not in KINDS:
                raise InputError(
                    f"{path} line {number}: kind must be one of {', '.join(KINDS)}, not {kind!r}"
                )
            if target != "unmatched" and not target.startswith(("insee:", "geonames:")):
                raise InputError(
                    f"{path} line {number}: target must be insee:<code>, geonames:<id> or unmatched"
                )
            decisions[(kind, fold(name), country.upper())] = target
        return cls(decisions)

    def lookup(self, kind: str, name: str, country: str) -> Match | None:
        """The manual decision for a name, as a match with method ``curation``, or None."""
        target = self.decisions.get((kind, fold(name), country.upper()))
        if target is None:
            return None
        if target == "unmatched":
            return Match(UNMATCHED, "curation", 1.0)
        return Match(MATCHED, "curation", 1.0, target.split(":", 1)[1])
