"""Readable SPARQL syntax errors: one sentence naming what is wrong, the line and column, the token.

pyoxigraph's parser answers ``error at 1:25: expected one of Prefix not found, ['%'], ...`` about
the text the gate re-emitted (:func:`kg.web.sparql.lexer.emit`), not the text the user wrote. Here
the position is mapped back to the user's token through the lexer, an undeclared prefix is named
(with the closest known one), and the grammar's alternatives are said in words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from kg.errors import InputError
from kg.web.sparql.lexer import QUERY_FORMS, UPDATE_KEYWORDS, Token, emit, tokens, unescape

_POSITION = re.compile(r"error at (\d+):(\d+): expected (?:one of )?(.*)", re.DOTALL)
_KEYWORD = re.compile(r"^[A-Za-z_]+$")
#: SPARQL's built-in call names (section 17.4) and aggregates: one of them expected = an expression.
_FUNCTIONS = frozenset(
    [
        "STR",
        "LANG",
        "LANGMATCHES",
        "DATATYPE",
        "BOUND",
        "IRI",
        "URI",
        "BNODE",
        "RAND",
        "ABS",
        "CEIL",
        "FLOOR",
        "ROUND",
        "CONCAT",
        "STRLEN",
        "UCASE",
        "LCASE",
        "ENCODE_FOR_URI",
        "CONTAINS",
        "STRSTARTS",
        "STRENDS",
        "STRBEFORE",
        "STRAFTER",
        "YEAR",
        "MONTH",
        "DAY",
        "HOURS",
        "MINUTES",
        "SECONDS",
        "TIMEZONE",
        "TZ",
        "NOW",
        "UUID",
        "STRUUID",
        "MD5",
        "SHA1",
        "SHA256",
        "SHA384",
        "SHA512",
        "COALESCE",
        "IF",
        "STRLANG",
        "STRDT",
        "SAMETERM",
        "ISIRI",
        "ISURI",
        "ISBLANK",
        "ISLITERAL",
        "ISNUMERIC",
        "REGEX",
        "SUBSTR",
        "REPLACE",
        "EXISTS",
        "NOT",
        "COUNT",
        "SUM",
        "MIN",
        "MAX",
        "AVG",
        "SAMPLE",
        "GROUP_CONCAT",
    ]
)
#: Keywords that may start a graph pattern: one of them expected = inside ``{ ... }``.
_PATTERNS = frozenset({"OPTIONAL", "SERVICE", "LATERAL", "MINUS", "GRAPH", "FILTER", "BIND"})
_LEADING = frozenset({*QUERY_FORMS, *UPDATE_KEYWORDS, "prefix", "base"})
#: pyoxigraph's names for some alternatives, in words.
_WORDS: dict[str, str] = {
    '"\\""': "a closing quote",
    '"\'"': "a closing quote",
    "['0'..='9']": "a number",
    "[_]": "",
}


class QuerySyntaxError(InputError):
    """pyoxigraph refused the text as SPARQL; ``raw`` is its message, worded by :func:`explain`."""

    def __init__(self, message: str, raw: str) -> None:
        super().__init__(message)
        self.raw = raw


@dataclass(frozen=True)
class Where:
    """A place in the user's text: 1-based line and column."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}"


def _where(text: str, offset: int) -> Where:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return Where(line, offset - start + 1)


def declared_prefixes(toks: list[Token]) -> set[str]:
    """The prefixes the text declares itself (``PREFIX p: <...>``)."""
    return {
        toks[i + 1].text[:-1]
        for i, tok in enumerate(toks[:-1])
        if tok.kind == "word" and tok.text.lower() == "prefix" and toks[i + 1].kind == "pname"
    }


def undeclared_prefix(text: str, toks: list[Token], known: Mapping[str, str]) -> str | None:
    """The sentence about the first prefixed name whose prefix nobody declared, if any."""
    declared = declared_prefixes(toks) | set(known)
    for index, tok in enumerate(toks):
        if tok.kind != "pname":
            continue
        if index and toks[index - 1].text.lower() == "prefix":
            continue
        prefix = tok.text.split(":", 1)[0]
        if prefix in declared:
            continue
        close = difflib.get_close_matches(prefix, sorted(declared), n=1)
        hint = f"; did you mean '{close[0]}:'?" if close else " (see /prefixes for the known ones)"
        return (
            f"the prefix '{prefix}:' of {tok.text!r} at {_where(text, tok.offset)} is not "
            f"declared by the query nor by the endpoint{hint}"
        )
    return None


def _emitted_starts(toks: list[Token], emitted: str) -> list[int]:
    starts: list[int] = []
    position = 0
    for tok in toks:
        position = emitted.index(tok.text, position)
        starts.append(position)
        position += len(tok.text)
    return starts


def _offset(emitted: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = emitted.index("\n", start) + 1
    return start + column - 1


def _expected(alternatives: str) -> str:
    """pyoxigraph's list of alternatives in words: keywords by name, character classes by kind."""
    keywords: list[str] = []
    words: list[str] = []
    for part in re.split(r",\s*(?![^\[]*\])", alternatives.strip()):
        part = part.strip()
        if part in _WORDS:
            if _WORDS[part] and _WORDS[part] not in words:
                words.append(_WORDS[part])
        elif _KEYWORD.match(part):
            keywords.append(part)
        elif part.startswith('"') and "\\" in part and "an escape sequence" not in words:
            words.append("an escape sequence")
    upper = {k.upper() for k in keywords}
    if upper & _FUNCTIONS:
        return "an expression (a variable, a value or a function call such as STR(...))"
    if upper & _PATTERNS and not upper - _PATTERNS:
        return (
            "a complete triple pattern (subject, predicate and object) or a pattern keyword "
            "such as OPTIONAL or FILTER"
        )
    if keywords:
        shown = ", ".join(keywords[:8]) + (" ..." if len(keywords) > 8 else "")
        words.insert(0, f"one of the keywords {shown}")
    return " or ".join(words) or "a valid SPARQL term"


def explain(
    text: str, raw: str, known: Mapping[str, str], *, kind: str = "query", re_emitted: bool = True
) -> str:
    """One sentence for pyoxigraph's ``raw`` syntax error about ``text``, as the gate re-emitted it
    (``re_emitted``, the endpoint) or as written (``kg query`` runs a named query's file as is)."""
    toks = tokens(unescape(text))
    source = unescape(text)
    missing = undeclared_prefix(source, toks, known)
    if missing:
        return f"the {kind} is malformed: {missing}"
    wrong_start = missing_form(text, kind=kind)
    if wrong_start:
        return wrong_start
    match = _POSITION.match(raw)
    if match is None or not toks:
        return f"the {kind} is malformed: {raw}"
    emitted = emit(toks) if re_emitted else source
    offset = _offset(emitted, int(match.group(1)), int(match.group(2)))
    starts = _emitted_starts(toks, emitted) if re_emitted else [t.offset for t in toks]
    index = max((i for i, s in enumerate(starts) if s <= offset), default=0)
    if starts[index] + len(toks[index].text) <= offset and offset >= len(emitted):
        place = f"near the end ({toks[index].text!r})"
    else:
        place = f"at {toks[index].text!r}"
    tok = toks[index]
    return (
        f"the {kind} is malformed at {_where(source, tok.offset)}, {place}: expected "
        f"{_expected(match.group(3))}"
    )


def missing_form(text: str, *, kind: str = "query") -> str | None:
    """The sentence for a text that does not start (after its prologue) with a query form or an
    update operation, e.g. ``SELEC``; None when it does."""
    source = unescape(text)
    leading = _leading(tokens(source))
    if leading is None or leading.text.lower() in _LEADING:
        return None
    return (
        f"the {kind} is malformed: it starts with {leading.text!r} at "
        f"{_where(source, leading.offset)}, not with a query form (SELECT, CONSTRUCT, "
        "DESCRIBE, ASK) or an update operation (INSERT, DELETE, ...)"
    )


def _leading(toks: list[Token]) -> Token | None:
    """The first token after the PREFIX and BASE declarations: the query form or update keyword."""
    index = 0
    while index < len(toks) and toks[index].text.lower() in ("prefix", "base"):
        index += 3 if toks[index].text.lower() == "prefix" else 2
    return toks[index] if index < len(toks) else None
