"""Serialising SELECT/ASK results and graphs in chunks, with a row limit.

pyoxigraph serialises a whole ``QuerySolutions`` iterator and cannot stop after N rows, so SELECT
results are written here (SPARQL 1.1 JSON, XML, CSV and TSV); graphs go through ``ox.serialize``
fed with the already-limited triples. Output goes to a ``write(bytes)`` callable in pieces so that
large results flow to the client without being assembled in one buffer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]
Write = Callable[[bytes], object]
_FLUSH_ROWS = 500


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


def _term_tsv(term: Term | None) -> str:
    if term is None:
        return ""
    # str() of a pyoxigraph term is its N-Triples form, which is what SPARQL TSV asks for.
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_select(
    fmt: str,
    variables: list[str],
    rows: Iterable[Row],
    write: Write,
    *,
    truncated: bool,
    spreadsheet_safe: bool = False,
) -> None:
    """Write solutions as SPARQL results ``fmt`` (json, xml, csv, tsv); JSON says if truncated.

    ``spreadsheet_safe`` prefixes CSV cells starting with ``= + - @`` with ``'`` (downloads meant
    for spreadsheets); ``/sparql`` keeps the SPARQL 1.1 CSV format exactly.
    """
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            write("".join(buffer).encode("utf-8"))
            buffer.clear()

    if fmt == "json":
        buffer.append(json.dumps({"head": {"vars": variables}})[:-1] + ',"results":{"bindings":[')
    elif fmt == "xml":
        buffer.append(
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            "<head>"
            + "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
            + "</head><results>"
        )
    elif fmt == "csv":
        buffer.append(",".join(variables) + "\r\n")
    else:
        buffer.append("\t".join(f"?{v}" for v in variables) + "\n")
    for index, row in enumerate(rows):
        if fmt == "json":
            binding = {
                v: term_json(t) for v, t in zip(variables, row, strict=True) if t is not None
            }
            buffer.append(("," if index else "") + json.dumps(binding, ensure_ascii=False))
        elif fmt == "xml":
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            buffer.append(f"<result>{cells}</result>")
        elif fmt == "csv":
            buffer.append(",".join(_term_csv(t, spreadsheet_safe) for t in row) + "\r\n")
        else:
            buffer.append("\t".join(_term_tsv(t) for t in row) + "\n")
        if len(buffer) >= _FLUSH_ROWS:
            flush()
    if fmt == "json":
        buffer.append("]}" + (',"truncated":true}' if truncated else "}"))
    elif fmt == "xml":
        buffer.append("</results></sparql>\n")
    flush()


def write_boolean(fmt: str, value: bool, write: Write) -> None:
    """Write an ASK result as SPARQL results ``fmt``."""
    text = "true" if value else "false"
    if fmt == "json":
        write(json.dumps({"head": {}, "boolean": value}).encode())
    elif fmt == "xml":
        write(
            b'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            b"<head/><boolean>" + text.encode() + b"</boolean></sparql>\n"
        )
    elif fmt == "csv":
        write(f"_askResult\r\n{text}\r\n".encode())
    else:
        write(f"?_askResult\n{text}\n".encode())


class ChunkWriter:
    """A binary file-like object handing ``write`` calls on in chunks of at least ``size`` bytes."""

    def __init__(self, sink: Write, size: int = 64 * 1024) -> None:
        self.sink = sink
        self.size = size
        self.parts: list[bytes] = []
        self.pending = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.pending += len(data)
        if self.pending >= self.size:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.parts:
            self.sink(b"".join(self.parts))
            self.parts.clear()
            self.pending = 0
