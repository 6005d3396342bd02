"""Reader and result comparator for the vendored W3C SPARQL 1.1 test suites (tests/w3c/sparql11).

:func:`evaluation_tests` reads the manifests with rdflib and yields one :class:`EvalCase` per
``mf:QueryEvaluationTest`` / ``mf:CSVResultFormatTest`` (query, default data, named data, expected
result); :func:`syntax_tests` yields the query syntax tests. :func:`expected_results` parses an
expected result file with rdflib's result parsers, and :func:`same_results` compares two results:
graphs up to blank-node isomorphism (``rdflib.compare.isomorphic``), solution sequences as multisets
(or as sequences when the query has a top-level ORDER BY) up to a bijection between blank nodes.
The manifests are parsed with the IRIs the test suite was published under, so that graph names in
expected results (``GRAPH ?g``) are the ones the queries see.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.plugins.sparql.results.rdfresults import RDFResultParser
from rdflib.query import Result
from rdflib.term import Node

from kg.validation import to_rdflib

SUITE = Path(__file__).parent / "w3c" / "sparql11"
#: The IRI the SPARQL 1.1 tests were published under; a file's IRI is this plus its relative path.
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")

#: Directories whose manifests hold query-evaluation tests (and their syntax-only sibling).
EVALUATION_DIRS = (
    "aggregates",
    "bind",
    "bindings",
    "cast",
    "construct",
    "csv-tsv-res",
    "exists",
    "functions",
    "grouping",
    "json-res",
    "negation",
    "project-expression",
    "property-path",
    "subquery",
)
SYNTAX_DIRS = ("syntax-query",)

#: RDF formats of data and result files, by extension.
RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
}
#: rdflib result parser names, by extension of the expected result file.
RESULT_FORMATS = {".srx": "xml", ".srj": "json", ".tsv": "tsv", ".csv": "csv"}


@dataclass(frozen=True)
class EvalCase:
    """One query-evaluation test: files are paths under the suite, ``iri`` is the test's IRI."""

    id: str  # "<directory>/<local name>", e.g. "aggregates/agg01"
    iri: str
    kind: str  # QueryEvaluationTest or CSVResultFormatTest
    query: Path
    data: tuple[Path, ...]
    graph_data: tuple[Path, ...]
    result: Path
    approved: bool

    @property
    def query_iri(self) -> str:
        """The query file's IRI: the base against which its relative IRIs resolve."""
        return file_iri(self.query)


@dataclass(frozen=True)
class SyntaxCase:
    """One query syntax test: ``positive`` says whether the query must parse."""

    id: str
    query: Path
    positive: bool


def file_iri(path: Path) -> str:
    """The published IRI of a vendored file (also the name of the graph it is loaded into)."""
    return BASE + path.relative_to(SUITE).as_posix()


def _local(iri: str) -> Path:
    if not iri.startswith(BASE):
        raise ValueError(f"{iri} is not a file of the vendored suite")
    return SUITE / iri[len(BASE) :]


T = TypeVar("T")


def _manifest(directory: str) -> tuple[Graph, list[Node]]:
    path = SUITE / directory / "manifest.ttl"
    graph = Graph().parse(path, format="turtle", publicID=file_iri(path))
    manifest = URIRef(file_iri(path))
    entries = graph.value(manifest, MF.entries)
    return graph, list(Collection(graph, entries)) if entries is not None else []


def _test_id(directory: str, test: Node) -> str:
    return f"{directory}/{str(test).rsplit('#', 1)[-1]}"


def evaluation_tests(directories: Sequence[str] = EVALUATION_DIRS) -> Iterator[EvalCase]:
    """Every query-evaluation test listed in the manifests' ``mf:entries``, in manifest order."""
    kinds: dict[Node, str] = {
        MF.QueryEvaluationTest: "QueryEvaluationTest",
        MF.CSVResultFormatTest: "CSVResultFormatTest",
    }
    for directory, graph, test, kind in _entries(directories, kinds):
        action = graph.value(test, MF.action)
        result = graph.value(test, MF.result)
        query = graph.value(action, QT.query)
        if query is None or result is None:
            raise ValueError(f"{test} has no qt:query or mf:result in {directory}/manifest.ttl")
        yield EvalCase(
            id=_test_id(directory, test),
            iri=str(test),
            kind=kind,
            query=_local(str(query)),
            data=tuple(sorted(_local(str(d)) for d in graph.objects(action, QT.data))),
            graph_data=tuple(sorted(_local(str(d)) for d in graph.objects(action, QT.graphData))),
            result=_local(str(result)),
            approved=graph.value(test, DAWGT.approval) == DAWGT.Approved,
        )


def syntax_tests(directories: Sequence[str] = SYNTAX_DIRS) -> Iterator[SyntaxCase]:
    """Every positive and negative SPARQL 1.1 query syntax test of the manifests."""
    kinds: dict[Node, bool] = {MF.PositiveSyntaxTest11: True, MF.NegativeSyntaxTest11: False}
    for directory, graph, test, positive in _entries(directories, kinds):
        action = graph.value(test, MF.action)
        yield SyntaxCase(_test_id(directory, test), _local(str(action)), positive)


def _entries(
    directories: Sequence[str], kinds: dict[Node, T]
) -> Iterator[tuple[str, Graph, Node, T]]:
    """Each manifest entry whose type is one of ``kinds``, with its directory, manifest and kind."""
    for directory in directories:
        graph, entries = _manifest(directory)
        for test in entries:
            kind = next((kinds[t] for t in graph.objects(test, RDF.type) if t in kinds), None)
            if kind is not None:
                yield directory, graph, test, kind


# --- results ----------------------------------------------------------------------------------


@dataclass
class Results:
    """A query result in rdflib terms: a boolean, solutions (variables and rows) or a graph."""

    kind: str  # boolean, solutions or graph
    boolean: bool = False
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    graph: Graph | None = None

    def describe(self) -> str:
        """A short readable form for assertion messages."""
        if self.kind == "boolean":
            return f"boolean {self.boolean}"
        if self.kind == "graph":
            assert self.graph is not None
            return f"graph of {len(self.graph)} triples:\n" + self.graph.serialize(format="nt")
        lines = [" | ".join(self.variables)]
        lines += [" | ".join("" if t is None else t.n3() for t in row) for row in self.rows]
        return f"{len(self.rows)} solution(s):\n" + "\n".join(lines)


def term(value: Any) -> Node:
    """A pyoxigraph term in rdflib as the results parsers give it: the project's own conversion,
    which keeps a plain literal plain (no explicit ``xsd:string``)."""
    return to_rdflib(value)


def _plain(node: Node | None) -> Node | None:
    """``"a"^^xsd:string`` and ``"a"`` are the same term in RDF 1.1; keep the plain form."""
    if isinstance(node, Literal) and node.datatype == XSD.string:
        return Literal(str(node))
    return node


def from_ox(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> Results:
    """Solutions given as pyoxigraph terms (None for unbound)."""
    return Results(
        "solutions",
        variables=tuple(variables),
        rows=tuple(tuple(None if t is None else term(t) for t in row) for row in rows),
    )


def graph_from_ox(triples: Sequence[Any]) -> Results:
    """A graph result given as pyoxigraph triples."""
    graph = Graph()
    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))
    return Results("graph", graph=graph)


def ox_results(result: Any) -> Results:
    """Read a pyoxigraph query result (boolean, solutions or triples) completely."""
    if isinstance(result, ox.QueryBoolean):
        return Results("boolean", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        return from_ox(variables, [[s[v] for v in variables] for s in result])
    return graph_from_ox(list(result))


def _from_rdflib(result: Result) -> Results:
    if result.type == "ASK":
        return Results("boolean", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        return Results("graph", graph=result.graph)
    variables = tuple(str(v) for v in result.vars or ())
    rows = tuple(
        tuple(_plain(binding.get(v)) for v in result.vars or ()) for binding in result.bindings
    )
    return Results("solutions", variables=variables, rows=rows)


def expected_results(path: Path) -> Results:
    """Parse an expected result file: SPARQL results XML/JSON/TSV/CSV, or RDF (graph or rs:)."""
    suffix = path.suffix
    if suffix in RESULT_FORMATS:
        with path.open("rb") as source:
            return _from_rdflib(Result.parse(source, format=RESULT_FORMATS[suffix]))
    if suffix in RDF_FORMATS:
        graph = Graph().parse(
            path,
            format={".ttl": "turtle", ".nt": "nt", ".rdf": "xml"}[suffix],
            publicID=file_iri(path),
        )
        if (None, RDF.type, RS.ResultSet) in graph:
            return _from_rdflib(RDFResultParser().parse(graph))  # type: ignore[no-untyped-call]
        return Results("graph", graph=graph)
    raise ValueError(f"{path}: unknown result format {suffix!r}")


def csv_results(text: str) -> Results:
    """Solutions as the CSV format gives them (plain strings; IRIs and bnodes as rdflib guesses)."""
    parsed = Result.parse(io.BytesIO(text.encode()), format="csv")
    return _from_rdflib(parsed)


# --- comparison -------------------------------------------------------------------------------

_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def ordered(query: str) -> bool:
    """Whether the query's outermost SELECT is ordered: ORDER BY after the last closing brace."""
    return bool(_ORDER_BY.search(query[query.rfind("}") + 1 :]))


#: Numeric datatypes whose literals are compared by value: the suite writes canonical XSD 1.0 forms
#: ("1.0" for a decimal one), engines may write XSD 1.1 ones ("1"); the datatype must still agree.
NUMERIC = frozenset(str(XSD[name]) for name in ("decimal", "double", "float"))


def _key(node: Node | None) -> tuple[object, ...]:
    """A comparable form of a term: lexical form, datatype and language (numbers by value)."""
    if node is None:
        return ("unbound",)
    if isinstance(node, BNode):
        return ("bnode",)
    if isinstance(node, Literal):
        datatype = str(node.datatype or "")
        if datatype in NUMERIC:
            try:
                value = float(str(node))
            except ValueError:
                value = None
            if value is not None and value == value:  # (NaN is compared lexically)
                return ("number", value, datatype)
        return ("literal", str(node), datatype, (node.language or "").lower())
    return ("iri", str(node))


def _ground(row: Sequence[Node | None]) -> bool:
    return not any(isinstance(t, BNode) for t in row)


def _match(
    row: Sequence[Node | None], other: Sequence[Node | None], mapping: dict[Node, Node]
) -> dict[Node, Node] | None:
    """``mapping`` extended so that ``row`` maps onto ``other`` (a bijection), or None."""
    extended = dict(mapping)
    reverse = {v: k for k, v in extended.items()}
    for a, b in zip(row, other, strict=True):
        if isinstance(a, BNode) and isinstance(b, BNode):
            if extended.get(a, b) != b or reverse.get(b, a) != a:
                return None
            extended[a] = b
            reverse[b] = a
        elif _key(a) != _key(b):
            return None
    return extended


def _bag_match(
    rows: list[tuple[Node | None, ...]],
    others: list[tuple[Node | None, ...]],
    mapping: dict[Node, Node],
) -> bool:
    """Backtracking search of a row bijection and a blank-node bijection between two bags."""
    if not rows:
        return not others
    first, rest = rows[0], rows[1:]
    tried: set[int] = set()
    for i, other in enumerate(others):
        if i in tried:
            continue
        tried.add(i)
        extended = _match(first, other, mapping)
        if extended is not None and _bag_match(rest, others[:i] + others[i + 1 :], extended):
            return True
    return False


def _solutions_equal(expected: Results, actual: Results, in_order: bool) -> bool:
    if set(expected.variables) != set(actual.variables):
        return False
    index = [actual.variables.index(v) for v in expected.variables]
    got = [tuple(row[i] for i in index) for row in actual.rows]
    want = list(expected.rows)
    if len(got) != len(want):
        return False
    if in_order:
        mapping: dict[Node, Node] | None = {}
        for a, b in zip(want, got, strict=True):
            mapping = _match(a, b, mapping or {})
            if mapping is None:
                return False
        return True
    # Ground rows must agree as multisets; only rows with blank nodes need the search.
    ground_want = Counter(tuple(_key(t) for t in r) for r in want if _ground(r))
    ground_got = Counter(tuple(_key(t) for t in r) for r in got if _ground(r))
    if ground_want != ground_got:
        return False
    return _bag_match([r for r in want if not _ground(r)], [r for r in got if not _ground(r)], {})


def _plain_graph(graph: Graph) -> Graph:
    plain = Graph()
    for s, p, o in graph:
        plain.add((s, p, _plain(o) or o))
    return plain


def same_results(expected: Results, actual: Results, *, in_order: bool = False) -> bool:
    """Whether ``actual`` is ``expected`` up to blank-node renaming (and row order unless ordered)."""
    if expected.kind != actual.kind:
        return False
    if expected.kind == "boolean":
        return expected.boolean == actual.boolean
    if expected.kind == "graph":
        assert expected.graph is not None and actual.graph is not None
        return isomorphic(_plain_graph(expected.graph), _plain_graph(actual.graph))
    return _solutions_equal(expected, actual, in_order)
