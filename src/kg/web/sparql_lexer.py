"""A small SPARQL tokenizer, enough to tell a query's form and to find ``SERVICE`` and ``LOAD``
before anything is evaluated (pyoxigraph 0.5 exposes neither its algebra nor a service hook).

Strings, IRIs, comments, variables and prefixed names are recognised as whole tokens, so a keyword
inside them (``"SERVICE"``, ``?service``, ``ex:service``) is never mistaken for the keyword itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
  | (?P<pname>[A-Za-z_\u00c0-\uffff][\w.\-\u00b7-\uffff]*:[^\s(){}\[\],;]*|:[^\s(){}\[\],;]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("select", "construct", "describe", "ask")
UPDATE_KEYWORDS = frozenset(
    {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
)


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (group name), text and offset in the source."""

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


def tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` (whitespace and comments dropped).

    >>> query = "SELECT ?s # SERVICE\\nWHERE" + ' { ?s ?p "SERVICE" }'
    >>> texts = [t.text for t in tokens(query)]
    >>> texts[:3] == ["SELECT", "?s", "WHERE"]
    True
    >>> texts[3:]
    ['{', '?s', '?p', '"SERVICE"', '}']
    """
    out: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append(Token(kind, match.group(), match.start()))
    return out


def analyse(text: str) -> Analysis:
    """The form of a query or the operations of an update, and every SERVICE endpoint it names.

    >>> a = analyse("PREFIX ex: <http://e/> SELECT *" + " { SERVICE SILENT <http://x/sparql> { ?s ?p ?o } }")
    >>> a.form, a.services
    ('select', ['http://x/sparql'])
    >>> analyse("INSERT DATA { <a> <b> <c> } ; LOAD <http://x>").operations
    ['insert data', 'load']
    """
    result = Analysis()
    toks = tokens(text)
    depth = 0
    expect_operation = True
    for index, tok in enumerate(toks):
        low = tok.text.lower()
        if tok.kind == "other":
            if tok.text in "{[(":
                depth += 1
            elif tok.text in "}])":
                depth -= 1
            elif tok.text == ";" and depth == 0:
                expect_operation = True
            continue
        if tok.kind != "word":
            continue
        if low == "service":
            result.services.append(_service_endpoint(toks, index + 1))
        elif depth == 0 and result.form is None and low in QUERY_FORMS:
            result.form = low
        elif depth == 0 and expect_operation and low in UPDATE_KEYWORDS:
            following = toks[index + 1].text.lower() if index + 1 < len(toks) else ""
            name = f"{low} {following}" if following in ("data", "where") else low
            result.operations.append(name)
            expect_operation = False
    return result


def _service_endpoint(toks: list[Token], index: int) -> str | None:
    if index < len(toks) and toks[index].text.lower() == "silent":
        index += 1
    if index < len(toks) and toks[index].kind == "iri":
        return toks[index].text[1:-1]
    return None
