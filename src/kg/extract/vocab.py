"""The SKOS vocabularies the extractors match against: French labels of agreement types, sectors,
roles, event types, units and indicators, read from ``ontology/vocab`` (never hard-coded here)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.importers.reconcile.normalise import fold
from kg.namespaces import VOCAB
from kg.queries import get_library
from kg.settings import PROJECT_ROOT


@dataclass(frozen=True)
class Term:
    """A concept and one French label, with the regular expression that finds it in a text."""

    concept: str
    label: str
    pattern: re.Pattern[str]


#: French feminine and plural endings: (masculine ending, regex of its forms), first match wins
#: ("directeur" -> "directrice", "général" -> "générale", "aux"; "adjoint au maire" -> "adjointe
#: à la maire").
_ENDINGS = (
    ("teur", "t(?:eur|rice|eure)s?"),
    ("eur", "eu(?:r|se|re)s?"),
    ("ien", "ien(?:ne)?s?"),
    ("al", "(?:al|ale|ales|aux)"),
    ("el", "el(?:le)?s?"),
    ("é", "é(?:e)?s?"),
    ("er", "(?:er|ère)s?"),
)
_SMALL_WORDS = {"au": "(?:au|à\\s+la|à\\s+l['\u2019]|aux)", "du": "(?:du|de\\s+la|des)"}


def _inflections(label: str) -> str:
    """A regex source for ``label`` with French feminine and plural endings on each word."""
    words = []
    for word in re.split(r"\s+", label.strip()):
        if word in _SMALL_WORDS:
            words.append(_SMALL_WORDS[word])
            continue
        for ending, forms in _ENDINGS:
            if word.endswith(ending):
                stem = re.escape(word[: -len(ending)]).replace("'", "['\u2019]")
                words.append(stem + forms)
                break
        else:
            stem = re.escape(word).replace("'", "['\u2019]")
            if re.search(r"[a-zé]$", word) and not word.endswith(("s", "x")):
                stem += r"(?:e|s|es)?" if re.search(r"(?:t|d|n|u|i)$", word) else r"s?"
            words.append(stem)
    return r"\s+".join(words)


class Vocabularies:
    """French labels of every scheme of ``ontology/vocab``, longest labels first."""

    def __init__(self, folder: Path) -> None:
        self.terms: dict[str, list[Term]] = {}
        for path in sorted(folder.glob("*.ttl")):
            store = ox.Store()
            store.load(path=path, format=ox.RdfFormat.TURTLE)
            terms = []
            for row in get_library(PROJECT_ROOT / "queries").run(store, "extract-vocab-labels"):
                label = str(row["l"].value)
                pattern = re.compile(r"(?<![\w-])" + _inflections(label) + r"(?![\w-])", re.I)
                terms.append(Term(str(row["c"].value), label, pattern))
            terms.sort(key=lambda t: (-len(t.label), t.concept))
            self.terms[path.stem] = terms

    def find(self, scheme: str, text: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping occurrences of the scheme's labels in ``text`` (longest label wins)."""
        taken: list[tuple[int, int, Term]] = []
        for term in self.terms.get(scheme, []):
            for m in term.pattern.finditer(text):
                if all(m.end() <= s or m.start() >= e for s, e, _ in taken):
                    taken.append((m.start(), m.end(), term))
        return sorted(taken, key=lambda t: t[0])

    def concept(self, scheme: str, notation: str) -> str:
        """IRI of the concept ``notation`` of ``scheme``."""
        return f"{VOCAB}{scheme}/{notation}"

    def label_of(self, scheme: str, text: str) -> str | None:
        """The concept whose label is exactly ``text`` (accent- and case-insensitive)."""
        key = fold(text)
        for term in self.terms.get(scheme, []):
            if fold(term.label) == key:
                return term.concept
        return None
