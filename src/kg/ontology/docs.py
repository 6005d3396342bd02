"""Generate the HTML documentation of the ontology with pyLODE: ``kg docs`` (``make docs``).

Writes ``ontology/docs/index.html`` (the OWL ontology) and ``ontology/docs/vocab/<scheme>.html`` (one
page per SKOS scheme). The pages are self-contained and committed, so the documentation is readable
without running anything; ``make docs`` regenerates them after the Turtle changes.

pyLODE 3.4.1 reads its own version from a ``pyproject.toml`` that its wheel does not ship, so importing
it fails; :func:`_import_pylode` registers the version module it looks for before importing it.
"""

from __future__ import annotations

import sys
import types
from importlib import metadata
from pathlib import Path
from typing import Any

from rdflib import RDFS, SKOS, Graph, Literal
from rdflib.namespace import DCTERMS

from kg.errors import KGError
from kg.ontology import ONTOLOGY_FILE, VOCAB_DIR
from kg.settings import Settings


def _import_pylode() -> Any:
    """The ``pylode`` module, importable even where its wheel lacks ``pyproject.toml``."""
    try:
        version = metadata.version("pylode")
    except metadata.PackageNotFoundError:
        raise KGError(
            "generating the ontology docs needs pyLODE, a development tool; "
            "install it with `pip install -e '.[dev]'`"
        ) from None
    if "pylode.version" not in sys.modules:
        shim = types.ModuleType("pylode.version")
        shim.__version__ = version  # type: ignore[attr-defined]
        sys.modules["pylode.version"] = shim
    import pylode  # type: ignore[import-untyped]

    return pylode


#: Predicates whose French and English values pyLODE would print run together ("collectivitécollectivity").
BILINGUAL_NAMES = (RDFS.label, SKOS.prefLabel, DCTERMS.title)


def docs_graph(path: Path) -> Graph:
    """The Turtle file as pyLODE should see it: each fr + en name pair merged into one English name
    ``"collectivity (collectivité)"``; definitions keep both languages, as separate paragraphs."""
    graph = Graph().parse(path, format="turtle")
    for predicate in BILINGUAL_NAMES:
        for subject in set(graph.subjects(predicate, None)):
            values = {
                o.language: o for o in graph.objects(subject, predicate) if isinstance(o, Literal)
            }
            if "fr" in values and "en" in values:
                graph.remove((subject, predicate, values["fr"]))
                graph.remove((subject, predicate, values["en"]))
                same = str(values["fr"]) == str(values["en"])
                merged = f"{values['en']}" if same else f"{values['en']} ({values['fr']})"
                graph.add((subject, predicate, Literal(merged, lang="en")))
    return graph


def _write(path: Path, html: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html if html.endswith("\n") else html + "\n", encoding="utf-8")
    return path


def build_docs(settings: Settings, out_dir: Path | None = None) -> list[Path]:
    """Write the ontology page and one page per vocabulary; return the paths written."""
    pylode = _import_pylode()
    source = settings.ontology_dir
    out = out_dir if out_dir is not None else source / "docs"
    written = [
        _write(
            out / "index.html",
            pylode.OntPub(ontology=docs_graph(source / ONTOLOGY_FILE)).make_html(),
        )
    ]
    for vocab in sorted((source / VOCAB_DIR).glob("*.ttl")):
        page = pylode.VocPub(ontology=docs_graph(vocab)).make_html()
        written.append(_write(out / VOCAB_DIR / f"{vocab.stem}.html", page))
    return written
