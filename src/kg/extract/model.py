"""What extractors produce (:class:`Fact`), what they read (:class:`Context`), and their registry.

An extractor is a named function ``(Context) -> Iterable[Fact]`` registered under one kind; the
pipeline runs the kinds in order, so later kinds (agreements, people) find the entities earlier
kinds linked in :attr:`Context.entities`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.extract.link import Link, Linker
from kg.extract.vocab import Vocabularies

#: A property value: an IRI (str starting with http) or a typed literal (lexical, datatype IRI),
#: or a language-tagged string (text, "@fr").
Value = str | tuple[str, str]


@dataclass
class Fact:
    """One candidate fact: a resource, its types and properties, the passage that states it."""

    kind: str
    rule: str
    subject: str
    types: tuple[str, ...]
    label: str
    start: int
    end: int
    confidence: float
    properties: list[tuple[str, Value]] = field(default_factory=list)


@dataclass(frozen=True)
class Mention:
    """A linked entity found in the text at [start, end)."""

    start: int
    end: int
    link: Link


#: How a sentence ends: a full stop, a question or exclamation mark, an ellipsis or a colon,
#: perhaps followed by a closing quote or bracket.
_SENTENCE_END = re.compile(r"[.!?\u2026:;][\s\u00bb\u201d\"')\]]*$")


@dataclass
class Context:
    """The document being read: its text, spaCy parse, linker, vocabularies and what was found."""

    text: str
    doc: Any  # spacy.tokens.Doc; spaCy has no type stubs
    linker: Linker
    vocab: Vocabularies
    document_iri: str
    document_date: date | None = None
    entities: list[Mention] = field(default_factory=list)
    _sentences: list[tuple[int, int]] | None = field(default=None, repr=False)

    def sentences(self) -> list[tuple[int, int]]:
        """Character spans of the sentences (spaCy's sentence splitter, cut again at line ends);
        computed once, as every rule asks for them."""
        if self._sentences is not None:
            return self._sentences
        spans: list[tuple[int, int]] = []
        for sent_start, sent_end in self._parser_sentences():
            start = sent_start
            for part in self.text[sent_start:sent_end].split("\n"):
                if part.strip():
                    lead = len(part) - len(part.lstrip())
                    spans.append((start + lead, start + len(part.rstrip())))
                start += len(part) + 1
        self._sentences = spans
        return spans

    def _parser_sentences(self) -> list[tuple[int, int]]:
        """spaCy's sentences, joined again where the parser cut without a sentence end (the small
        model cuts at an en dash inside a compound name or after an abbreviation)."""
        joined: list[tuple[int, int]] = []
        for sent in self.doc.sents:
            if joined:
                before = self.text[joined[-1][0] : sent.start_char]
                if not _SENTENCE_END.search(before) and "\n" not in before[-3:]:
                    joined[-1] = (joined[-1][0], sent.end_char)
                    continue
            joined.append((sent.start_char, sent.end_char))
        return joined

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The span of the sentence containing ``offset``."""
        for start, end in self.sentences():
            if start <= offset < end:
                return start, end
        return offset, offset

    def publisher(self) -> Mention | None:
        """The French collectivity the document names most (a press release's publisher), at its
        first mention; ties go to the one named first."""
        french = [
            m for m in self.entities if m.link.kind == "collectivity" and m.link.country == "fr"
        ]
        if not french:
            return None
        counts: dict[str, int] = {}
        for m in french:
            counts[m.link.iri] = counts.get(m.link.iri, 0) + 1
        best = max(counts.values())
        return min((m for m in french if counts[m.link.iri] == best), key=lambda m: m.start)

    def mentions_in(self, start: int, end: int, kinds: tuple[str, ...] = ()) -> list[Mention]:
        """Linked entities inside [start, end), optionally of some kinds, in text order."""
        return sorted(
            (
                m
                for m in self.entities
                if start <= m.start and m.end <= end and (not kinds or m.link.kind in kinds)
            ),
            key=lambda m: m.start,
        )


Extractor = Callable[[Context], Iterable[Fact]]

#: kind -> [(rule name, extractor)], filled by the rule modules at import.
REGISTRY: dict[str, list[tuple[str, Extractor]]] = {}
#: The order kinds run in.
KINDS = ("entity", "agreement", "partnership", "membership", "event", "observation")


def extractor(kind: str, name: str) -> Callable[[Extractor], Extractor]:
    """Register ``fn`` as the extractor ``name`` of ``kind``."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")

    def register(fn: Extractor) -> Extractor:
        REGISTRY.setdefault(kind, []).append((name, fn))
        return fn

    return register
