"""Read one document (plain text, HTML, PDF) into its text, refusing input that cannot be a French text.

Each refusal is one sentence naming the file and what is wrong: empty, too large, unreadable, a PDF
without a text layer (a scan), or a text that is not French. Offsets of the facts are counted in
the Unicode code points of the text returned here.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from kg.errors import InputError
from kg.iris import slugify
from kg.namespaces import GRAPH, ID

#: Files larger than this are refused before being read (a press release is a few kilobytes).
MAX_BYTES = 50 * 1024 * 1024
#: Fewer words than this and there is nothing to extract.
MIN_WORDS = 5
#: Share of the words that must be French function words for the text to count as French.
MIN_FRENCH_SHARE = 0.12

_FRENCH_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "l",
        "de",
        "du",
        "des",
        "d",
        "un",
        "une",
        "et",
        "en",
        "à",
        "au",
        "aux",
        "dans",
        "par",
        "pour",
        "sur",
        "avec",
        "est",
        "sont",
        "a",
        "ont",
        "qui",
        "que",
        "ce",
        "cette",
        "ces",
        "se",
        "sa",
        "son",
        "ses",
        "leur",
        "leurs",
        "ne",
        "pas",
        "plus",
        "été",
        "entre",
        "lors",
        "ainsi",
    ]
)
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Document:
    """A read document: its text, file name, slug and digest."""

    path: Path
    text: str
    sha256: str
    #: The document's name in IRIs, when the caller gives one (``kg extract --name``).
    name: str | None = None

    @property
    def slug(self) -> str:
        """The document's name in IRIs: the given name, else the file name without its extension."""
        return slugify(self.name or self.path.stem) or "document"

    @property
    def iri(self) -> str:
        """IRI of the source document."""
        return f"{ID}document/{self.slug}"

    @property
    def candidate_graph(self) -> str:
        """The named graph holding this document's candidate facts."""
        return candidate_graph(self.slug)

    @property
    def words(self) -> int:
        """Number of words of the text."""
        return len(_WORD.findall(self.text))


def candidate_graph(slug: str) -> str:
    """The named graph of the candidates of the document ``slug``."""
    return f"{GRAPH}candidates/{slug}"


class _TextOfHtml(HTMLParser):
    """Collects the visible text of an HTML page, one block per line."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "head"})
    _BLOCK = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} is not UTF-8 text (byte {exc.start} cannot be decoded); "
            "save it as UTF-8, HTML or PDF"
        ) from None


def _plain(path: Path, data: bytes) -> str:
    return _decode(path, data)


def _html(path: Path, data: bytes) -> str:
    parser = _TextOfHtml()
    parser.feed(_decode(path, data))
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _pdf(path: Path, data: bytes) -> str:
    from io import BytesIO

    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:  # pragma: no cover - pypdf is in the extract extra
        raise InputError(_INSTALL_HINT) from None
    # pypdf logs what it repairs; the refusal below is the one sentence the user sees.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise InputError(f"{path} is not a readable PDF ({exc})") from None
    text = "\n\n".join(p.strip() for p in pages).strip()
    if not _WORD.search(text):
        raise InputError(
            f"{path} is a PDF with no text layer (a scan?); run OCR on it first "
            "(for instance ocrmypdf) and extract from the result"
        )
    return text


_INSTALL_HINT = (
    "kg extract needs spaCy, its French model, dateparser and pypdf: "
    'install them with `pip install -e ".[extract]"`'
)

#: How each file extension is read: a registry, not an if-chain.
READERS: dict[str, Callable[[Path, bytes], str]] = {
    ".txt": _plain,
    ".text": _plain,
    ".md": _plain,
    ".html": _html,
    ".htm": _html,
    ".xhtml": _html,
    ".pdf": _pdf,
}


def french_share(text: str) -> float:
    """Share of the words of ``text`` that are French function words (a language check)."""
    words = [w.lower().replace("\u2019", "'").split("'")[-1] for w in _WORD.findall(text)]
    if not words:
        return 0.0
    return sum(1 for w in words if w in _FRENCH_WORDS) / len(words)


def read_document(path: Path, max_bytes: int = MAX_BYTES, name: str | None = None) -> Document:
    """Read and check ``path``; raise :class:`InputError` with one sentence when it is unusable."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(f"{path} has the extension {path.suffix or '(none)'!r}; known: {known}")
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{path} is {size / 1e6:.1f} MB, more than the {max_bytes / 1e6:.0f} MB a document "
            "may have; split it"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise InputError(f"{path} is empty")
    text = reader(path, data)
    words = len(_WORD.findall(text))
    if words < MIN_WORDS:
        raise InputError(f"{path} has {words} words of text, too few to extract facts from")
    share = french_share(text)
    if share < MIN_FRENCH_SHARE:
        raise InputError(
            f"{path} does not look like French text ({share:.0%} French function words, "
            f"{MIN_FRENCH_SHARE:.0%} expected); the extractor reads French only"
        )
    return Document(path, text, hashlib.sha256(data).hexdigest(), name)
