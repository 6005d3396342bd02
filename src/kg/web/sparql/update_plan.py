"""What a SPARQL 1.1 Update may write and read, found on the checked tokens before anything runs.

:func:`plan` walks the operations of an update (the strict tokens of :mod:`kg.web.sparql.lexer`)
and bounds them: the named graphs it may write (``WITH``, ``GRAPH <g>`` in a template, ``INTO``/``TO``,
``CLEAR``/``DROP``/``CREATE GRAPH``; ``GRAPH ?g`` in a template, ``NAMED`` and ``ALL`` mean every
data graph) and what its ``WHERE`` may read (the graphs it names, every named graph for ``GRAPH ?g``,
the default graph, which is the merge of the data graphs). What cannot be bounded, or would write the
default graph, is refused with a sentence; ``LOAD`` and ``SERVICE`` are refused. The text the scratch
store runs is the tokens re-emitted (with ``using-graph-uri`` turned into ``USING`` clauses), so what
runs is exactly what was planned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import InputError
from kg.web.sparql.errors import ForbiddenError, RefusedQueryError
from kg.web.sparql.lexer import Token, emit, tokens, unescape
from kg.web.sparql.update_data import PROTECTED_GRAPHS, _quads, _resolve, top_level

#: A bound meaning "every data graph" (writes) or "every named graph" (reads).
EVERY = "*"

DEFAULT_RULE = (
    "the default graph of this store is the merge of its named data graphs and is not written "
    "directly; name a graph (GRAPH <...>, WITH <...>, INTO/TO GRAPH <...>)"
)


@dataclass
class UpdatePlan:
    """The bounds of one update request and the text to run on the snapshot."""

    text: str = ""
    #: Named graphs the update may write; :data:`EVERY` stands for every data graph.
    writes: set[str] = field(default_factory=set)
    #: Named graphs its WHERE clauses (and COPY/MOVE/ADD sources) may read; :data:`EVERY` for all.
    reads: set[str] = field(default_factory=set)
    #: Whether it may read the default graph (the merge).
    reads_default: bool = False
    #: Whether it clears or drops ALL (the scratch copy of the default graph then changes too).
    clears_all: bool = False
    #: Lower-cased keyword of each operation, for the summary.
    operations: list[str] = field(default_factory=list)
    #: The service's base IRI, against which relative IRIs resolve when the update sets no BASE.
    base: str | None = None


class _Reader:
    """A cursor over the tokens of an update with the prologue's prefixes and base."""

    def __init__(self, toks: list[Token], base: str | None = None) -> None:
        self.toks = toks
        self.index = 0
        self.prefixes: dict[str, str] = {}
        self.base: str | None = base

    def peek(self, ahead: int = 0) -> Token | None:
        at = self.index + ahead
        return self.toks[at] if at < len(self.toks) else None

    def word(self, ahead: int = 0) -> str:
        tok = self.peek(ahead)
        return tok.text.lower() if tok is not None and tok.kind == "word" else ""

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise InputError("the update ends too early: an operation is not complete")
        self.index += 1
        return tok

    def expect(self, word: str) -> None:
        tok = self.take()
        if tok.text.lower() != word:
            raise InputError(f"expected {word.upper()} in the update, found {tok.text!r}")

    def graph_name(self, tok: Token) -> str:
        """The IRI a graph reference token names (prefixed names expanded, relative IRIs resolved)."""

        if tok.kind == "iri":
            return _resolve(tok.text[1:-1], self.base)
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            if prefix not in self.prefixes:
                raise InputError(
                    f"the update uses the prefix {prefix}: in {tok.text} without declaring it"
                )
            return self.prefixes[prefix] + local
        raise InputError(f"expected a graph IRI in the update, found {tok.text!r}")

    def block(self) -> list[Token]:
        """The tokens inside the ``{ ... }`` group that starts here; the cursor moves past it."""
        start = self.index
        if self.word() or (self.peek() is None) or self.take().text != "{":
            raise InputError("expected a block { ... } in the update")
        depth = 1
        while depth:
            tok = self.take()
            if tok.kind == "punct" and tok.text == "{":
                depth += 1
            elif tok.kind == "punct" and tok.text == "}":
                depth -= 1
        return self.toks[start + 1 : self.index - 1]


def plan(
    update: str, using: list[str], using_named: list[str], base: str | None = None
) -> UpdatePlan:
    """The bounds of ``update``; ``using``/``using_named`` are the protocol's ``using-graph-uri``
    and ``using-named-graph-uri`` parameters, applied to every DELETE/INSERT operation.

    >>> p = plan("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [], [])
    >>> sorted(p.writes), sorted(p.reads), p.reads_default
    (['http://e/g'], ['http://e/g'], False)
    >>> plan("CLEAR DEFAULT", [], []).writes
    Traceback (most recent call last):
    ...
    kg.errors.InputError: CLEAR DEFAULT: the default graph of this store is the merge ...
    """
    reader = _Reader(tokens(unescape(update)), base)
    result = UpdatePlan(base=base)
    out: list[Token] = []
    while reader.peek() is not None:
        start = reader.index
        _prologue(reader)
        out += reader.toks[start : reader.index]
        if reader.peek() is None:
            break
        start = reader.index
        injected = _operation(reader, result, using, using_named)
        if injected is None:
            out += reader.toks[start : reader.index]
        else:  # the protocol's dataset, as USING clauses in front of the WHERE
            out += reader.toks[start:injected] + _using_tokens(using, using_named)
            out += reader.toks[injected : reader.index]
        following = reader.peek()
        if following is not None:
            if following.text != ";":
                raise InputError(
                    f"expected ';' between update operations, found {following.text!r}"
                )
            out.append(reader.take())
    if not result.operations:
        raise InputError("the update has no operation")
    if any(tok.kind == "word" and tok.text.lower() == "service" for tok in out):
        raise ForbiddenError(
            "SERVICE is not allowed inside an update: updates never call other endpoints"
        )
    result.text = emit(out)
    return result


def _prologue(reader: _Reader) -> None:

    while True:
        word = reader.word()
        if word == "prefix":
            reader.take()
            name, iri = reader.take(), reader.take()
            if name.kind != "pname" or iri.kind != "iri":
                raise InputError(f"PREFIX {name.text} must be followed by an <IRI>")
            reader.prefixes[name.text[:-1]] = _resolve(iri.text[1:-1], reader.base)
        elif word == "base":
            reader.take()
            iri = reader.take()
            if iri.kind != "iri":
                raise InputError("BASE must be followed by an <IRI>")
            reader.base = _resolve(iri.text[1:-1], reader.base)
        else:
            return


def _protected() -> frozenset[str]:

    return PROTECTED_GRAPHS


def _silent(reader: _Reader) -> None:
    if reader.word() == "silent":
        reader.take()


def _write(result: UpdatePlan, graph: str) -> None:
    result.writes.add(graph)


def _operation(
    reader: _Reader, result: UpdatePlan, using: list[str], using_named: list[str]
) -> int | None:
    """Bound one operation; returns where ``USING`` clauses from the protocol go (or None)."""
    word = reader.word()
    if not word:
        tok = reader.take()
        raise InputError(f"expected an update operation, found {tok.text!r}")
    result.operations.append(word)
    if word == "load":
        raise RefusedQueryError("LOAD is not allowed: this endpoint never fetches remote data")
    if word in ("clear", "drop"):
        reader.take()
        _silent(reader)
        target = reader.word()
        if target == "default":
            raise InputError(f"{word.upper()} DEFAULT: {DEFAULT_RULE}")
        if target in ("named", "all"):
            raise InputError(
                f"{word.upper()} {target.upper()} would empty every data graph at once; this "
                f"endpoint refuses it: {word.upper()} each graph by name (GRAPH <...>)"
            )
        reader.expect("graph")
        _write(result, reader.graph_name(reader.take()))
        return None
    if word == "create":
        reader.take()
        _silent(reader)
        reader.expect("graph")
        _write(result, reader.graph_name(reader.take()))
        return None
    if word in ("add", "copy", "move"):
        reader.take()
        _silent(reader)
        source = _graph_or_default(reader)
        reader.expect("to")
        destination = _graph_or_default(reader)
        if destination is None or (word == "move" and source is None):
            raise InputError(f"{word.upper()} ... DEFAULT: {DEFAULT_RULE}")
        if source is None:
            result.reads_default = True
        elif source in _protected():
            raise ForbiddenError(
                f"{word.upper()} <{source}>: that graph changes and is copied only through `kg build`"
            )
        else:
            result.reads.add(source)
            if word == "move":
                _write(result, source)
        _write(result, destination)
        return None
    if word in ("insert", "delete") and reader.word(1) == "data":
        kind = word
        reader.take()
        reader.take()
        block = reader.block()
        for quad in _quads(block, reader.prefixes, reader.base, kind):
            _write(result, str(quad.graph_name.value))  # type: ignore[union-attr]
        return None
    return _modify(reader, result, using, using_named)


def _graph_or_default(reader: _Reader) -> str | None:
    if reader.word() == "default":
        reader.take()
        return None
    if reader.word() == "graph":
        reader.take()
    return reader.graph_name(reader.take())


def _modify(
    reader: _Reader, result: UpdatePlan, using: list[str], using_named: list[str]
) -> int | None:
    """DELETE/INSERT ... WHERE, DELETE WHERE, with WITH and USING."""
    with_graph: str | None = None
    if reader.word() == "with":
        reader.take()
        with_graph = reader.graph_name(reader.take())
    word = reader.word()
    if word == "delete" and reader.word(1) == "where":
        if using or using_named:
            raise InputError(
                "DELETE WHERE has no dataset clause: the request's using-graph-uri and "
                "using-named-graph-uri parameters cannot apply to it"
            )
        reader.take()
        reader.take()
        pattern = reader.block()
        _template(pattern, reader, result, with_graph, "DELETE WHERE")
        _reads(pattern, reader, result, with_graph, [])
        return None
    if word not in ("delete", "insert"):
        tok = reader.take()
        raise InputError(f"expected an update operation, found {tok.text!r}")
    while reader.word() in ("delete", "insert"):
        name = reader.take().text.upper()
        _template(reader.block(), reader, result, with_graph, name)
    dataset: list[str] = []
    named = False
    while reader.word() == "using":
        if using or using_named:
            raise InputError(
                "the update has USING clauses and the request has using-graph-uri or "
                "using-named-graph-uri parameters; give the dataset one way"
            )
        reader.take()
        named = reader.word() == "named"
        if named:
            reader.take()
            result.reads.add(reader.graph_name(reader.take()))
        else:
            dataset.append(reader.graph_name(reader.take()))
    injected: int | None = None
    if using or using_named:
        if with_graph is not None:
            raise InputError(
                "the update has a WITH clause and the request has using-graph-uri or "
                "using-named-graph-uri parameters; give the dataset one way"
            )
        injected = reader.index
        dataset = list(using)
        result.reads.update(using_named)
        named = bool(using_named)
    if reader.word() == "where":
        reader.take()
    pattern = reader.block()
    _reads(pattern, reader, result, with_graph if not (dataset or named) else None, dataset)
    return injected


def _template(
    block: list[Token], reader: _Reader, result: UpdatePlan, with_graph: str | None, name: str
) -> None:
    """Bound the graphs a quad template writes."""
    for _, graph, _ in top_level(block):
        if graph is None:
            if with_graph is None:
                raise InputError(
                    f"the {name} template writes triples outside GRAPH: {DEFAULT_RULE}"
                )
            _write(result, with_graph)
        elif graph.kind == "var":
            result.writes.add(EVERY)
        else:
            _write(result, reader.graph_name(graph))


def _reads(
    pattern: list[Token],
    reader: _Reader,
    result: UpdatePlan,
    default_graph: str | None,
    dataset: list[str],
) -> None:
    """Bound what a WHERE pattern reads: every ``GRAPH`` it names, and its default graph."""
    for index, tok in enumerate(pattern):
        if tok.kind == "word" and tok.text.lower() == "graph" and index + 1 < len(pattern):
            graph = pattern[index + 1]
            result.reads.add(EVERY if graph.kind == "var" else reader.graph_name(graph))
    if all(graph is not None for _, graph, _ in top_level(pattern)):
        return  # only GRAPH blocks at the top: the default graph is not read
    if dataset:
        result.reads.update(dataset)
    elif default_graph is not None:
        result.reads.add(default_graph)
    else:
        result.reads_default = True


def _using_tokens(using: list[str], using_named: list[str]) -> list[Token]:
    """``USING <g>`` / ``USING NAMED <g>`` tokens; each IRI is checked to be one IRI token."""
    out: list[Token] = []
    for named, graphs in ((False, using), (True, using_named)):
        for graph in graphs:
            iri = tokens(f"<{graph}>")
            if len(iri) != 1 or iri[0].kind != "iri":
                raise InputError(f"the graph parameter {graph!r} is not an absolute IRI")
            out.append(Token("word", "USING", 0))
            if named:
                out.append(Token("word", "NAMED", 0))
            out += iri
    return out
