"""Label normalisation for search: case, accents and punctuation ignored ("Île-de-France" and
"ile de france" are the same key)."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPECIAL = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "\u0131": "i"}


def _fold(char: str) -> str:
    if char in _SPECIAL:
        return _SPECIAL[char]
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: Latin letters with diacritics -> ascii, applied with ``str.translate`` (fast, in C).
FOLD = str.maketrans({chr(code): _fold(chr(code)) for code in range(0xC0, 0x250)})


def normalize(text: str) -> str:
    """Lower-case ascii words separated by single spaces.

    >>> normalize("Île-de-France"), normalize("  L'Haÿ-les-Roses "), normalize("Œuvre")
    ('ile de france', 'l hay les roses', 'oeuvre')
    """
    folded = text.casefold().translate(FOLD)
    if not folded.isascii():  # other scripts and rarer marks: full decomposition
        folded = "".join(_fold(c) for c in folded).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def rank(label_key: str, query_key: str) -> int | None:
    """How well a normalised label matches a normalised query: 0 exact, 1 prefix, 2 a word starts
    with it, 3 substring, None no match.

    >>> [rank(k, "ile de france") for k in
    ...  ("ile de france", "ile de france mobilites", "region ile de france", "bile de francette", "x")]
    [0, 1, 2, 3, None]
    """
    if not query_key:
        return None
    if label_key == query_key:
        return 0
    if label_key.startswith(query_key):
        return 1
    pos = label_key.find(query_key)
    if pos < 0:
        return None
    while pos >= 0:
        if label_key[pos - 1] == " ":
            return 2
        pos = label_key.find(query_key, pos + 1)
    return 3
