"""A strict SPARQL 1.1 tokenizer: the gate that decides what a query or an update contains.

pyoxigraph 0.5 exposes neither its algebra nor a service hook, so the endpoint checks requests on
tokens. To fail closed, the text is first put through SPARQL's code point escape processing
(``\\uXXXX``, ``\\UXXXXXXXX``: SPARQL 1.1 section 19.2), then every character must belong to a token
of the SPARQL terminal grammar (section 19.8) or to whitespace or a comment; anything else is
refused. The text that is evaluated is :func:`emit`'s re-emission of those tokens, never the raw
request, so whatever this tokenizer would misread is dropped or becomes a syntax error, not run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.errors import InputError

# SPARQL 1.1 section 19.8 terminals, as regular expressions.
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = rf"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_ECHAR = r"\\[tbnrf\\\"']"
_EXP = r"[eE][+-]?[0-9]+"

_TOKEN = re.compile(
    rf"""
    (?P<ws>[\x20\x09\x0d\x0a]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''
             |\"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*\"\"\"
             |'(?:[^'\\\n\r]|{_ECHAR})*'
             |"(?:[^"\\\n\r]|{_ECHAR})*")
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
  | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
  | (?P<var>[?$]{_VARNAME})
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<number>[+-]?(?:[0-9]+\.[0-9]*{_EXP}|\.[0-9]+{_EXP}|[0-9]+{_EXP}|[0-9]*\.[0-9]+|[0-9]+))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[(){{}}\[\];,.*/+\-!=<>|^?])
    """,
    re.VERBOSE,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

QUERY_FORMS = ("select", "construct", "describe", "ask")
UPDATE_KEYWORDS = frozenset(
    {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
)


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (terminal group name), text and offset in the unescaped text."""

    kind: str
    text: str
    offset: int


@dataclass
class Analysis:
    """What the tokenizer learnt about a request: its form, SERVICE endpoints, update operations."""

    form: str | None = None
    #: Endpoint of each SERVICE clause: an IRI, or None for a variable or prefixed name.
    services: list[str | None] = field(default_factory=list)
    #: Lower-cased leading keyword of each update operation (``insert data``, ``load``, ...).
    operations: list[str] = field(default_factory=list)
    #: IRIs of the FROM clauses (FROM NAMED excluded).
    from_graphs: list[str] = field(default_factory=list)
    #: The text to evaluate: the tokens re-emitted, comments dropped.
    text: str = ""


def unescape(text: str) -> str:
    """SPARQL's code point escape processing, refusing a text that still has escapes after it.

    >>> unescape("SELECT \\\\u002A {}")
    'SELECT * {}'
    """
    try:
        out = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    except (ValueError, OverflowError) as exc:
        raise InputError(f"the text has an invalid \\u or \\U code point escape: {exc}") from exc
    found = re.search(r"\\[uU]", out)
    if found:
        raise InputError(
            f"the text has a \\u or \\U escape at character {found.start()} after code point "
            "escape processing; write the character itself"
        )
    return out


def tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` (already unescaped); 400 for any character outside one.

    >>> query = "SELECT ?s # SERVICE\\rWHERE" + ' { ?s ?p "SERVICE" }'
    >>> texts = [t.text for t in tokens(query)]
    >>> texts[:3] == ["SELECT", "?s", "WHERE"]
    True
    >>> texts[3:]
    ['{', '?s', '?p', '"SERVICE"', '}']
    """
    out: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            line = text.count("\n", 0, position) + 1
            raise InputError(
                f"unexpected character {text[position]!r} at line {line}, character {position}: "
                "it is not part of any SPARQL 1.1 token"
            )
        kind = match.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, match.group(), position))
        position = match.end()
    return out


def emit(toks: list[Token]) -> str:
    """The tokens as one text, separated by spaces.

    A language tag, ``^^`` and the ``(`` after a keyword stay glued to their neighbour: pyoxigraph
    refuses ``"x" @en`` and ``CONCAT (`` although the grammar allows whitespace there.
    """
    parts: list[str] = []
    previous: Token | None = None
    for tok in toks:
        glued = previous is not None and (
            previous.text == "^^"
            or tok.kind == "langtag"
            or tok.text == "^^"
            or (tok.text == "(" and previous.kind == "word")
        )
        if previous is not None and not glued:
            parts.append(" ")
        parts.append(tok.text)
        previous = tok
    return "".join(parts)


def analyse(text: str) -> Analysis:
    """The form of a query or the operations of an update, its SERVICE endpoints and FROM graphs.

    >>> a = analyse("PREFIX ex: <http://e/> SELECT *" + " { SERVICE SILENT <http://x/sparql> { ?s ?p ?o } }")
    >>> a.form, a.services
    ('select', ['http://x/sparql'])
    >>> analyse("INSERT DATA { <a> <b> <c> } ; #\\rLOAD <http://x>").operations
    ['insert data', 'load']
    """
    toks = tokens(unescape(text))
    result = Analysis(text=emit(toks))
    depth = 0
    expect_operation = True
    for index, tok in enumerate(toks):
        low = tok.text.lower()
        if tok.kind == "punct":
            if tok.text in "{[(":
                depth += 1
            elif tok.text in "}])":
                depth -= 1
            elif tok.text == ";" and depth == 0:
                expect_operation = True
            continue
        if tok.kind != "word":
            continue
        following = toks[index + 1] if index + 1 < len(toks) else None
        if low == "service":
            result.services.append(_service_endpoint(toks, index + 1))
        elif low == "from" and depth == 0 and following is not None:
            if following.kind == "iri":
                result.from_graphs.append(following.text[1:-1])
            elif following.text.lower() != "named":
                result.from_graphs.append(following.text)
        elif depth == 0 and result.form is None and low in QUERY_FORMS:
            result.form = low
        elif depth == 0 and expect_operation and low in UPDATE_KEYWORDS:
            after = following.text.lower() if following is not None else ""
            name = f"{low} {after}" if after in ("data", "where") else low
            result.operations.append(name)
            expect_operation = False
    return result


def _service_endpoint(toks: list[Token], index: int) -> str | None:
    if index < len(toks) and toks[index].text.lower() == "silent":
        index += 1
    if index < len(toks) and toks[index].kind == "iri":
        return toks[index].text[1:-1]
    return None
