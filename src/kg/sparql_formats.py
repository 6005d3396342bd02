"""The one registry of SPARQL query-results formats (SELECT / ASK), shared by ``/sparql``, the
named-query API and ``kg query --format``.

Each :class:`ResultFormat` carries its names and media types (for content negotiation), its IRI in
``http://www.w3.org/ns/formats/`` (for the service description) and its writer. pyoxigraph serialises a
whole ``QuerySolutions`` iterator and cannot stop after N rows, so SELECT results are written here,
from rows already limited, in pieces handed to a ``write(bytes)`` callable so that large results flow
out without being assembled in one buffer. Adding a result format is one entry of
:data:`RESULT_FORMATS` (and its writer).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
FORMATS_NS = "http://www.w3.org/ns/formats/"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]
Write = Callable[[bytes], object]
_FLUSH_ROWS = 500


@dataclass(frozen=True)
class Format:
    """A serialisation the server can produce: short name, extension, media type(s), and its name in
    ``http://www.w3.org/ns/formats/`` when it has one (for the service description)."""

    name: str
    extension: str
    media_type: str
    aliases: tuple[str, ...] = ()
    format_name: str = ""

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def format_iri(self) -> str | None:
        """The W3C format IRI (``http://www.w3.org/ns/formats/…``), or None."""
        return FORMATS_NS + self.format_name if self.format_name else None


class ResultWriter:
    """How one results format writes a SELECT result (head, one text per row, tail) and an ASK one."""

    def head(self, variables: list[str]) -> str:
        raise NotImplementedError

    def row(self, variables: list[str], row: Row, index: int, spreadsheet_safe: bool) -> str:
        raise NotImplementedError

    def tail(self, truncated: bool) -> str:
        return ""

    def boolean(self, value: bool) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class ResultFormat(Format):
    """A query-results format: a :class:`Format` with the writer that produces it."""

    writer: ResultWriter = field(default_factory=ResultWriter)


def term_json(term: Term) -> dict[str, Any]:
    """A term as a SPARQL 1.1 JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": term_json(term.subject),
            "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        },
    }


_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger")}


def plain(term: dict[str, Any]) -> Any:
    """A SPARQL JSON binding as a plain JSON value: numbers and booleans typed, the rest a string."""
    value = term["value"]
    datatype = term.get("datatype", "")
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
            return float(Decimal(value))
        if datatype == XSD + "boolean":
            return value in ("true", "1")
    except (ValueError, ArithmeticError):
        pass
    if term["type"] == "bnode":
        return f"_:{value}"
    return value


class JsonWriter(ResultWriter):
    """SPARQL 1.1 Query Results JSON; says ``"truncated": true`` when rows were cut."""

    def head(self, variables: list[str]) -> str:
        return json.dumps({"head": {"vars": variables}})[:-1] + ',"results":{"bindings":['

    def row(self, variables: list[str], row: Row, index: int, spreadsheet_safe: bool) -> str:
        binding = {v: term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
        return ("," if index else "") + json.dumps(binding, ensure_ascii=False)

    def tail(self, truncated: bool) -> str:
        return "]}" + (',"truncated":true}' if truncated else "}")

    def boolean(self, value: bool) -> str:
        return json.dumps({"head": {}, "boolean": value})


def _term_xml(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            attr = quoteattr(term.datatype.value)
            return f"<literal datatype={attr}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_term_xml(term.subject)}</subject>"
        f"<predicate>{_term_xml(term.predicate)}</predicate>"
        f"<object>{_term_xml(term.object)}</object></triple>"
    )


_XML_START = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


class XmlWriter(ResultWriter):
    """SPARQL Query Results XML."""

    def head(self, variables: list[str]) -> str:
        names = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        return f"{_XML_START}<head>{names}</head><results>"

    def row(self, variables: list[str], row: Row, index: int, spreadsheet_safe: bool) -> str:
        cells = "".join(
            f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
            for v, t in zip(variables, row, strict=True)
            if t is not None
        )
        return f"<result>{cells}</result>"

    def tail(self, truncated: bool) -> str:
        return "</results></sparql>\n"

    def boolean(self, value: bool) -> str:
        return f"{_XML_START}<head/><boolean>{str(value).lower()}</boolean></sparql>\n"


#: First characters that make a spreadsheet run a cell as a formula.
FORMULA_START = ("=", "+", "-", "@")


def _term_csv(term: Term | None, safe: bool = False) -> str:
    if term is None:
        return ""
    value = (
        f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(getattr(term, "value", term))
    )
    if safe and value.startswith(FORMULA_START):
        value = "'" + value  # shown as text by spreadsheets, never run
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


class CsvWriter(ResultWriter):
    """SPARQL 1.1 CSV; ``spreadsheet_safe`` prefixes cells starting with ``= + - @`` with ``'``."""

    def head(self, variables: list[str]) -> str:
        return ",".join(variables) + "\r\n"

    def row(self, variables: list[str], row: Row, index: int, spreadsheet_safe: bool) -> str:
        return ",".join(_term_csv(t, spreadsheet_safe) for t in row) + "\r\n"

    def boolean(self, value: bool) -> str:
        return f"_askResult\r\n{str(value).lower()}\r\n"


def _term_tsv(term: Term | None) -> str:
    if term is None:
        return ""
    # str() of a pyoxigraph term is its N-Triples form, which is what SPARQL TSV asks for.
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class TsvWriter(ResultWriter):
    """SPARQL 1.1 TSV (terms in their N-Triples form)."""

    def head(self, variables: list[str]) -> str:
        return "\t".join(f"?{v}" for v in variables) + "\n"

    def row(self, variables: list[str], row: Row, index: int, spreadsheet_safe: bool) -> str:
        return "\t".join(_term_tsv(t) for t in row) + "\n"

    def boolean(self, value: bool) -> str:
        return f"?_askResult\n{str(value).lower()}\n"


class RowsWriter(ResultWriter):
    """Plain JSON rows for the named-query API: ``{"columns": [...], "rows": [{column: value}],
    "truncated": bool}`` (values as :func:`plain` makes them), or ``{"boolean": b, "truncated":
    false}``. Not offered by ``/sparql``: it is no SPARQL results format."""

    def head(self, variables: list[str]) -> str:
        return '{"columns":' + json.dumps(variables, ensure_ascii=False) + ',"rows":['

    def row(self, variables: list[str], row: Row, index: int, spreadsheet_safe: bool) -> str:
        values = {
            v: plain(term_json(t)) for v, t in zip(variables, row, strict=True) if t is not None
        }
        return ("," if index else "") + json.dumps(values, ensure_ascii=False)

    def tail(self, truncated: bool) -> str:
        return '],"truncated":' + ("true" if truncated else "false") + "}"

    def boolean(self, value: bool) -> str:
        return json.dumps({"boolean": value, "truncated": False})


#: The SPARQL results formats ``/sparql`` and ``kg query`` offer, most preferred first.
RESULT_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat(
        "json",
        "srj",
        "application/sparql-results+json",
        ("application/json",),
        "SPARQL_Results_JSON",
        JsonWriter(),
    ),
    ResultFormat(
        "xml",
        "srx",
        "application/sparql-results+xml",
        ("application/xml", "text/xml"),
        "SPARQL_Results_XML",
        XmlWriter(),
    ),
    ResultFormat("csv", "csv", "text/csv", (), "SPARQL_Results_CSV", CsvWriter()),
    ResultFormat("tsv", "tsv", "text/tab-separated-values", (), "SPARQL_Results_TSV", TsvWriter()),
)
#: The named-query API's rows, asked of the query workers like any other results format.
ROWS = ResultFormat("rows", "json", "application/json", (), "", RowsWriter())
WRITERS: dict[str, ResultWriter] = {f.name: f.writer for f in (*RESULT_FORMATS, ROWS)}


def write_select(
    fmt: str,
    variables: list[str],
    rows: Iterable[Row],
    write: Write,
    *,
    truncated: bool,
    spreadsheet_safe: bool = False,
) -> None:
    """Write solutions in results format ``fmt`` (a name of :data:`WRITERS`), in pieces.

    ``spreadsheet_safe`` prefixes CSV cells starting with ``= + - @`` with ``'`` (downloads meant
    for spreadsheets); ``/sparql`` keeps the SPARQL 1.1 CSV format exactly.
    """
    writer = WRITERS[fmt]
    buffer = [writer.head(variables)]
    for index, row in enumerate(rows):
        buffer.append(writer.row(variables, row, index, spreadsheet_safe))
        if len(buffer) >= _FLUSH_ROWS:
            write("".join(buffer).encode("utf-8"))
            buffer.clear()
    buffer.append(writer.tail(truncated))
    write("".join(buffer).encode("utf-8"))


def write_boolean(fmt: str, value: bool, write: Write) -> None:
    """Write an ASK result in results format ``fmt``."""
    write(WRITERS[fmt].boolean(value).encode("utf-8"))
