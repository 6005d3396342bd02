"""Run every registered extractor over one document, in the order of :data:`~kg.extract.model.KINDS`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.extract import rules  # noqa: F401  (registers the extractors)
from kg.extract.dates import find_dates
from kg.extract.document import Document
from kg.extract.link import Linker
from kg.extract.model import KINDS, REGISTRY, Context, Fact
from kg.extract.nlp import pipeline
from kg.extract.vocab import Vocabularies


@dataclass(frozen=True)
class Extraction:
    """The facts found in one document, and what was read."""

    document: Document
    facts: tuple[Fact, ...]
    document_date: date | None


def document_date(text: str) -> date | None:
    """The document's date: a "date YYYY-MM-DD" header, else its first full French date."""
    import re

    header = re.search(r"\bdate\s+(\d{4}-\d\d-\d\d)\b", text[:300])
    if header:
        return date.fromisoformat(header.group(1))
    for found in find_dates(text[:2000]):
        if found.precision == "day":
            return found.value
    return None


def extract(document: Document, linker: Linker, vocab: Vocabularies) -> Extraction:
    """Every candidate fact of ``document``; facts with the same subject are merged by the writer."""
    nlp = pipeline()
    when = document_date(document.text)
    ctx = Context(document.text, nlp(document.text), linker, vocab, document.iri, when)
    facts: list[Fact] = []
    for kind in KINDS:
        for _name, run in REGISTRY.get(kind, []):
            facts.extend(run(ctx))
    return Extraction(document, tuple(facts), when)


def default_vocabularies(ontology_dir: Path) -> Vocabularies:
    """The vocabularies of the project's ``ontology/vocab``."""
    return Vocabularies(ontology_dir / "vocab")
