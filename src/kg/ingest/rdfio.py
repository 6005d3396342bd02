"""Reading RDF input safely: file checks, format detection, parsing with file/line/column errors, and
detection of ill-typed literals (which pyoxigraph accepts lexically, e.g. ``"2018-13-45"^^xsd:date``).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, NotFoundError

XSD = "http://www.w3.org/2001/XMLSchema#"

#: The file extensions ``kg load`` accepts, and their formats.
EXTENSIONS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
}
_FORMAT_NAMES = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "n-quads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "rdf/xml": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML,
}


def format_from_name(name: str) -> ox.RdfFormat:
    """The RDF format called ``name`` (``turtle``, ``nt``, ``nq``, ``trig``, ``jsonld``, ``rdfxml``).

    >>> format_from_name("TriG").name
    'TriG'
    """
    fmt = _FORMAT_NAMES.get(name.strip().lower())
    if fmt is None:
        raise InputError(
            f"unknown RDF format {name!r}; use one of turtle, nt, nq, trig, jsonld, rdfxml"
        )
    return fmt


def format_for_path(path: Path, override: str | None = None) -> ox.RdfFormat:
    """The format of ``path``: ``override`` when given, otherwise from the file extension.

    >>> format_for_path(Path("a/b.nq")).name
    'N-Quads'
    """
    if override:
        return format_from_name(override)
    ext = path.suffix.lstrip(".").lower()
    fmt = EXTENSIONS.get(ext)
    if fmt is None:
        raise InputError(
            f"{path}: cannot tell the RDF format from the extension {path.suffix or '(none)'!r}; "
            "give it with --format (turtle, nt, nq, trig, jsonld, rdfxml)"
        )
    return fmt


def _check_path(path: Path, max_size: int) -> int:
    """Refuse a missing path, a directory or a file over ``max_size`` bytes; the file's size."""
    if not path.exists():
        raise NotFoundError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path} is a directory; give RDF files, not directories")
    size = path.stat().st_size
    if size > max_size:
        raise InputError(
            f"{path} is {size} bytes, over the limit of {max_size} bytes (setting KG_MAX_FILE_SIZE)"
        )
    return size


def read_input(path: Path, max_size: int) -> bytes:
    """Read a file after checking it exists, is a regular file, is not empty nor too big, and is UTF-8."""
    _check_path(path, max_size)
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path} is empty; there is nothing to load")
    # The encoding is checked when the batch is parsed, so that a refused file is quarantined.
    return data


#: Bytes read at a time when a file is streamed (digest, UTF-8 check) rather than held.
READ_BLOCK = 8 * 2**20


def _blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(READ_BLOCK):
            yield block


def check_file(path: Path, max_size: int) -> int:
    """:func:`read_input`'s checks without reading the file into memory; its size in bytes."""
    size = _check_path(path, max_size)
    if not any(block.strip() for block in _blocks(path)):
        raise InputError(f"{path} is empty; there is nothing to load")
    return size


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file at ``path``, read a block at a time."""
    digest = hashlib.sha256()
    for block in _blocks(path):
        digest.update(block)
    return digest.hexdigest()


def check_utf8_file(path: Path, source: str) -> None:
    """:func:`check_bytes`'s UTF-8 check of a file read a block at a time (same message)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, line_start, offset = 0, 0, 0  # newlines so far, where the current line starts
    first = b""
    for block in _blocks(path):
        first = first or block
        try:
            decoder.decode(block)
        except UnicodeDecodeError as exc:
            seen = bytes(exc.object[: exc.start])  # the decoder's pending bytes, then the block's
            at = offset + len(block) - len(exc.object) + exc.start
            newline = seen.rfind(b"\n")
            column = exc.start - newline if newline >= 0 else at - line_start + 1
            line = lines + seen.count(b"\n") + 1
            raise InputError(
                f"{source} line {line}, column {column}: byte "
                f"0x{exc.object[exc.start]:02x} is not valid UTF-8; the file looks like "
                f"{guess_encoding(first)}; re-encode it as UTF-8"
            ) from exc
        newline = block.rfind(b"\n")
        if newline >= 0:
            line_start = offset + newline + 1
        lines += block.count(b"\n")
        offset += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: the file ends inside a UTF-8 sequence") from exc


def longest_line_file(path: Path) -> tuple[int, int]:
    """:func:`_longest_line` of a file read a block at a time."""
    best, best_len, number, current = 1, 0, 1, 0
    for block in _blocks(path):
        parts = block.split(b"\n")
        for i, part in enumerate(parts):
            current += len(part)
            if current > best_len:
                best, best_len = number, current
            if i < len(parts) - 1:
                number, current = number + 1, 0
    return best, best_len


def check_bytes(data: bytes, source: str, *, allow_empty: bool = False) -> None:
    """Refuse empty input and input that is not valid UTF-8 (e.g. Latin-1), naming line and column."""
    if not data.strip() and not allow_empty:
        raise InputError(f"{source} is empty; there is nothing to load")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{source} line {line}, column {column}: byte 0x{data[exc.start]:02x} is not valid "
            f"UTF-8; the file looks like {guess_encoding(data)}; re-encode it as UTF-8"
        ) from exc


#: Byte-order marks, longest first (UTF-32 LE starts like UTF-16 LE).
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)


def guess_encoding(data: bytes) -> str:
    """A name for the encoding of text that is not UTF-8: from its byte-order mark, its zero bytes,
    or else the single-byte Western encodings.

    >>> guess_encoding("Île".encode("utf-16"))
    'UTF-16 (little-endian)'
    >>> guess_encoding("<a> <b> <c> .".encode("utf-16-be"))
    'UTF-16 (big-endian)'
    >>> guess_encoding("Région".encode("latin-1"))
    'Latin-1 (ISO-8859-1) or Windows-1252'
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    head = data[:4096]
    if head.count(0) * 4 > len(head):  # ASCII text in UTF-16 has a zero byte in every pair
        even = head[0::2].count(0)
        odd = head[1::2].count(0)
        return "UTF-16 (big-endian)" if even > odd else "UTF-16 (little-endian)"
    return "Latin-1 (ISO-8859-1) or Windows-1252"


#: pyoxigraph's parsers refuse a token (or N-Triples line) longer than this.
PARSER_BUFFER = 16 * 1024 * 1024


def _longest_line(data: bytes) -> tuple[int, int]:
    """The number (from 1) and length of the longest line of ``data``."""
    best, best_len, start, number = 1, 0, 0, 1
    while True:
        end = data.find(b"\n", start)
        stop = len(data) if end < 0 else end
        if stop - start > best_len:
            best, best_len = number, stop - start
        if end < 0:
            return best, best_len
        start, number = end + 1, number + 1


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def canonical_serialisation(
    quads: Iterable[ox.Quad], graph: str | None = None
) -> tuple[ox.RdfFormat, bytes]:
    """Sorted N-Triples lines of ``quads`` when all are in ``graph`` (N-Quads lines otherwise): one
    byte string per set of quads, whatever their order, to digest and to quarantine.

    >>> g = ox.NamedNode("https://example.org/g")
    >>> q = [ox.Quad(ox.NamedNode(f"https://example.org/{c}"), g, g, g) for c in "ba"]
    >>> fmt, data = canonical_serialisation(q, g.value)
    >>> fmt.name, data.decode().splitlines()[0].startswith("<https://example.org/a>")
    ('N-Triples', True)
    """
    quads = list(quads)
    target = ox.NamedNode(graph) if graph else None
    if all(q.graph_name == target for q in quads):
        fmt = ox.RdfFormat.N_TRIPLES
        lines = [str(ox.Triple(q.subject, q.predicate, q.object)) + " .\n" for q in quads]
    else:
        fmt = ox.RdfFormat.N_QUADS
        lines = [str(q) + " .\n" for q in quads]
    return fmt, "".join(sorted(set(lines))).encode("utf-8")


def parse_quads(
    data: bytes,
    fmt: ox.RdfFormat,
    source: str,
    graph: str | None = None,
    base_iri: str | None = None,
) -> list[ox.Quad]:
    """Parse ``data``; triples (and default-graph quads) go to ``graph``; relative IRIs resolve
    against ``base_iri``. Errors name file, line and column."""
    target: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    try:
        quads = [
            q
            if not isinstance(q.graph_name, ox.DefaultGraph) or graph is None
            # re-home default-graph quads into the file's graph
            else ox.Quad(q.subject, q.predicate, q.object, target)
            for q in ox.parse(data, fmt, base_iri=base_iri, rename_blank_nodes=True)
        ]
    except SyntaxError as exc:
        message = _syntax_message(exc, source)
        if base_iri is None and _RELATIVE.search(message):
            message += "; the input has relative IRIs: give their base with `kg load --base IRI`"
        raise InputError(message) from exc
    except MemoryError as exc:
        line, length = _longest_line(data)
        raise InputError(
            f"{source} line {line}: a line of {length} bytes is over the parser's limit of "
            f"{PARSER_BUFFER} bytes for one line or token; split it or shorten its literal"
        ) from exc
    except ValueError as exc:
        raise InputError(f"{source}: {exc}") from exc
    check_literals(quads, source)
    return quads


_RELATIVE = re.compile(r"No scheme found|relative IRI|error while parsing IRI ''", re.IGNORECASE)


def _syntax_message(exc: SyntaxError, source: str) -> str:
    text = str(exc.args[0]) if exc.args else str(exc)
    reason = re.sub(r"^Parser error (at|between) .*?: ", "", text)
    if exc.lineno is not None:
        return f"{source} line {exc.lineno}, column {exc.offset or 1}: syntax error: {reason}"
    return f"{source}: syntax error: {reason}"


_INTEGER = re.compile(r"^[+-]?\d+$")
_TZ = r"(Z|[+-]\d{2}:\d{2})?"
_GYEAR = re.compile(rf"^-?\d{{4,}}{_TZ}$")
_GYEARMONTH = re.compile(rf"^-?\d{{4,}}-(0[1-9]|1[0-2]){_TZ}$")
_HEX = re.compile(r"^([0-9A-Fa-f]{2})*$")


def _is_date(v: str) -> bool:
    date.fromisoformat(re.sub(rf"{_TZ}$", "", v, count=1))
    return re.fullmatch(rf"\d{{4}}-\d{{2}}-\d{{2}}{_TZ}", v) is not None


def _is_datetime(v: str) -> bool:
    datetime.fromisoformat(v.replace("Z", "+00:00"))
    return "T" in v


def _is_decimal(v: str) -> bool:
    Decimal(v)
    return re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", v) is not None


def _is_double(v: str) -> bool:
    return v in {"INF", "-INF", "+INF", "NaN"} or (
        re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", v) is not None
    )


_CHECKS: dict[str, Callable[[str], bool]] = {
    XSD + "date": _is_date,
    XSD + "dateTime": _is_datetime,
    XSD + "gYear": lambda v: _GYEAR.match(v) is not None,
    XSD + "gYearMonth": lambda v: _GYEARMONTH.match(v) is not None,
    XSD + "integer": lambda v: _INTEGER.match(v) is not None,
    XSD + "nonNegativeInteger": lambda v: _INTEGER.match(v) is not None and int(v) >= 0,
    XSD + "decimal": _is_decimal,
    XSD + "double": _is_double,
    XSD + "float": _is_double,
    XSD + "boolean": lambda v: v in {"true", "false", "1", "0"},
    XSD + "hexBinary": lambda v: _HEX.match(v) is not None,
}


def bad_literal(obj: ox.Literal) -> str | None:
    """The short name of ``obj``'s XSD datatype when its lexical form is not valid for it, else None.

    >>> bad_literal(ox.Literal("2018-13-45", datatype=ox.NamedNode(XSD + "date")))
    'xsd:date'
    >>> bad_literal(ox.Literal("2018-12-25", datatype=ox.NamedNode(XSD + "date"))) is None
    True
    """
    check = _CHECKS.get(obj.datatype.value)
    if check is None:
        return None
    try:
        ok = check(obj.value)
    except (ValueError, InvalidOperation):
        ok = False
    return None if ok else obj.datatype.value.replace(XSD, "xsd:")


def check_literals(quads: Iterable[ox.Quad], source: str) -> None:
    """Refuse literals whose lexical form does not match their XSD datatype, naming the triple."""
    for quad in quads:
        obj = quad.object
        if not isinstance(obj, ox.Literal):
            continue
        short = bad_literal(obj)
        if short is not None:
            raise InputError(
                f"{source}: the literal {obj.value!r} is not a valid {short} "
                f"(subject {quad.subject}, property {quad.predicate})"
            )
