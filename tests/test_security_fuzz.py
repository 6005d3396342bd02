"""Fuzzing the query and update gate (issue 15): SERVICE, LOAD and every update keyword hidden behind
comments ended by \\r, \\n or \\r\\n, form feeds, no whitespace at all, code point escapes and glued
prefixed names.

In process, many generated texts go through the gate and whatever it lets through is evaluated by
pyoxigraph in this (network-enabled) process: a local listener must never receive a connection, and
an accepted update must hold nothing but its INSERT DATA. Fewer texts go to a real server (workers
not isolated, so the gate alone is tested), with and without the update token: no connection, and
the store changes by nothing but the INSERT DATA triple.
"""

from __future__ import annotations

import contextlib
import time

import httpx
import pyoxigraph as ox
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.errors import KGError
from kg.settings import Settings
from kg.web.sparql.protocol import check_text
from kg.web.sparql.update import parse_update
from security_helpers import (
    AUTH,
    GRAPH,
    INSERT,
    LABEL,
    PROVENANCE,
    SHAPES,
    THING,
    Listener,
    dump,
)
from server_helpers import LiveServer

RDF = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
SEPARATORS = [
    "",
    " ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\f",
    "#c\r",
    "#c\n",
    "#c\r\n",
    "#c\f",
    "#\r\n#\r",
    "#",
    "#\\u000d",
    "\\u000a",
]
#: Operations the gate must never let run, ``{kw}`` being their first keyword, spelled variously.
HIDDEN = [
    ("SERVICE", "{kw} <{url}/q> {{ ?a ?b ?c }}"),
    ("SERVICE", "{kw} SILENT <{url}/q> {{ ?a ?b ?c }}"),
    ("LOAD", "{kw} <{url}/evil.ttl> INTO GRAPH <" + GRAPH + ">"),
    ("LOAD", "{kw} <{url}/evil.ttl>"),
    ("DELETE", "{kw} WHERE {{ GRAPH <" + SHAPES + "> {{ ?s ?p ?o }} }}"),
    (
        "DELETE",
        "{kw} {{ GRAPH <"
        + SHAPES
        + "> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <"
        + SHAPES
        + "> {{ ?s ?p ?o }} }}",
    ),
    (
        "INSERT",
        "{kw} {{ GRAPH <" + GRAPH + "> {{ ?a ?b ?c }} }} WHERE {{ SERVICE <{url}/q> "
        "{{ ?a ?b ?c }} }}",
    ),
    ("CLEAR", "{kw} ALL"),
    ("CLEAR", "{kw} GRAPH <" + SHAPES + ">"),
    ("DROP", "{kw} GRAPH <" + SHAPES + ">"),
    ("CREATE", "{kw} GRAPH <" + GRAPH + "/new>"),
    ("COPY", "{kw} <" + SHAPES + "> TO <" + GRAPH + ">"),
    ("MOVE", "{kw} <" + SHAPES + "> TO <" + GRAPH + ">"),
    ("ADD", "{kw} <" + SHAPES + "> TO <" + GRAPH + ">"),
    ("WITH", "{kw} <" + SHAPES + "> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"),
]


@st.composite
def spelled(draw: st.DrawFn, word: str) -> str:
    """``word`` as is, lower-cased, or with some letters as \\u / \\U code point escapes."""
    how = draw(st.sampled_from(["plain", "lower", "u", "U"]))
    if how == "plain":
        return word
    if how == "lower":
        return word.lower()
    chosen = draw(st.sets(st.integers(0, len(word) - 1), min_size=1))
    pattern = "\\u{:04X}" if how == "u" else "\\U{:08X}"
    return "".join(pattern.format(ord(c)) if i in chosen else c for i, c in enumerate(word))


@st.composite
def hidden(draw: st.DrawFn, url: str) -> str:
    keyword, template = draw(st.sampled_from(HIDDEN))
    return template.format(kw=draw(spelled(keyword)), url=url)


@st.composite
def queries(draw: st.DrawFn, url: str) -> str:
    sep = draw(st.sampled_from(SEPARATORS))
    op = draw(hidden(url))
    shape = draw(st.sampled_from(["glued", "triple", "bare", "prologue"]))
    if shape == "glued":
        return f"{RDF}SELECT * WHERE {{ ?s rdf:type?t.{sep}{op} }}"
    if shape == "triple":
        return f"SELECT * WHERE {{ ?s ?p ?o .{sep}{op} }}"
    if shape == "bare":
        return f"SELECT*WHERE{{{sep}{op}}}"
    return f"{RDF}{sep}{op}"


@st.composite
def updates(draw: st.DrawFn, url: str) -> str:
    sep = draw(st.sampled_from(SEPARATORS))
    op = draw(hidden(url))
    shape = draw(st.sampled_from(["after", "before", "glued"]))
    if shape == "after":
        return f"{INSERT} ;{sep}{op}"
    if shape == "before":
        return f"{RDF}{sep}{op}{sep};{INSERT}"
    return f"{INSERT}{sep}{op}"


SETTINGS = Settings()
INSERTED = ox.Quad(
    ox.NamedNode(THING), ox.NamedNode(LABEL), ox.Literal("Gate", language="en"), ox.NamedNode(GRAPH)
)


class Budget:
    """A total time bound for a property: once spent, the remaining examples are skipped."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def spent(self) -> bool:
        return time.monotonic() > self.end


def test_gate_in_process_never_lets_the_network_or_an_update_through(listener: Listener) -> None:
    budget = Budget(60)

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(query=queries(listener.url), update=updates(listener.url))
    def check(query: str, update: str) -> None:
        if budget.spent():
            return
        try:
            analysis = check_text(query, SETTINGS)
        except KGError:
            pass
        else:  # what the gate let through, evaluated here, where the network is reachable
            with contextlib.suppress(SyntaxError, ValueError, OSError, RuntimeError):
                ox.Store().query(analysis.text)
        try:
            operations = parse_update(update)
        except KGError:
            pass
        else:
            quads = {q for op in operations for q in op.quads}
            assert {op.kind for op in operations} <= {"insert", "delete"}
            assert quads == {INSERTED}, (update, quads)
        assert listener.connections == [], (query, update)

    check()


def test_gate_on_a_real_server_with_and_without_token(
    gate_server: LiveServer, listener: Listener
) -> None:
    budget = Budget(120)
    with httpx.Client(base_url=gate_server.url, timeout=60) as client:
        before = dump(client, without=(PROVENANCE,))
        row = f'<{GRAPH}>\t<{THING}>\t<{LABEL}>\t"Gate"@en'

        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        @given(
            query=queries(listener.url),
            update=updates(listener.url),
            token=st.booleans(),
        )
        # a LOAD truly inside a comment: the update is its INSERT DATA alone and is applied
        @example(query="ASK {}", update=f"{INSERT} ;#LOAD <{listener.url}/x>", token=True)
        def check(query: str, update: str, token: bool) -> None:
            if budget.spent():
                return
            headers = AUTH if token else {}
            answered = client.get("/sparql", params={"query": query})
            assert answered.status_code in (200, 400), answered.text
            response = client.post("/sparql", data={"update": update}, headers=headers)
            assert response.status_code in ((200, 400, 403) if token else (403,)), response.text
            if response.status_code != 200:
                assert set(response.json()) == {"error"}
            after = dump(client, without=(PROVENANCE,))
            assert before <= after <= before | {row}, (update, after ^ before)
            assert listener.connections == [], (query, update)

        check()
