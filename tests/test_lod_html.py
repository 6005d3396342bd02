"""The values of a resource page written in Python (:mod:`kg.web.lod.html`) are the markup the Jinja
macros wrote before (kept here as the reference), for every value of every page of a real on-disk
store in both languages, and for values with characters to escape (differential)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import jinja2
import pyoxigraph as ox
import pytest

from kg.queries import QueryLibrary
from kg.settings import PROJECT_ROOT
from kg.web.lod.describe import describe
from kg.web.lod.html import value_html, values_html
from kg.web.lod.labels import Labeller
from kg.web.lod.pages import build_page
from kg.web.lod.values import Value, ValueMaker
from lod_helpers import BASE, build_lod_store, subjects

QUERIES = QueryLibrary(PROJECT_ROOT / "queries")
#: The ``value`` and ``values`` macros of ``_lod_macros.html`` before they moved to Python.
REFERENCE = """
{% macro value(v) -%}
{%- if v.href and v.external -%}<a href="{{ v.href }}" class="external" rel="noopener">{{ v.text }}</a>
{%- elif v.href -%}<a href="{{ v.href }}">{{ v.text }}</a>
{%- else -%}<span{% if v.lang %} lang="{{ v.lang }}"{% endif %}>{{ v.text }}</span>{% if v.lang %} <span class="lang-tag">{{ v.lang }}</span>{% endif %}
{%- endif -%}
{%- if v.note %} <span class="context">— {{ v.note }}</span>{% endif -%}
{%- if v.sources %}<sup class="src">{% for n in v.sources | sort %}<a href="#source-{{ n }}" title="source {{ n }}">{{ n }}</a>{% if not loop.last %},{% endif %}{% endfor %}</sup>{% endif -%}
{%- endmacro %}

{% macro values(vs) -%}
{%- if vs | length == 1 -%}{{ value(vs[0]) }}
{%- elif vs -%}<ul class="values">{% for v in vs %}<li>{{ value(v) }}</li>{% endfor %}</ul>
{%- endif -%}
{%- endmacro %}

"""
MACROS = jinja2.Environment(autoescape=True).from_string(REFERENCE).module


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ox.Store]:
    path: Path = build_lod_store(tmp_path_factory.mktemp("html") / "store")
    yield ox.Store.read_only(str(path))


def lists_of_values(node: Any) -> Iterator[list[Value]]:
    """Every list of values in a page model (cells, rows), and every value alone as a list."""
    if isinstance(node, Value):
        yield [node]
    elif isinstance(node, list):
        if node and all(isinstance(item, Value) for item in node):
            yield node
        for item in node:
            yield from lists_of_values(item)
    elif is_dataclass(node) and not isinstance(node, type):
        for f in fields(node):
            yield from lists_of_values(getattr(node, f.name))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_value_of_every_page_is_the_markup_of_the_macros(store: ox.Store, lang: str) -> None:
    checked = 0
    for iri in subjects(store):
        desc = describe(store, iri, queries=QUERIES)
        maker = ValueMaker(Labeller(store, lang), BASE, "en" if lang == "en" else None)
        page = build_page(store, desc, maker, "/incoming", QUERIES)
        for vs in lists_of_values(page):
            assert str(values_html(vs)) == str(MACROS.values(vs)), (iri, vs)
            for v in vs:
                assert str(value_html(v)) == str(MACROS.value(v)), (iri, v)
                checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    "value",
    [
        Value('<b>"x" & y</b>', href="/id/a?b=1&c='2'", sources=[3, 1, 2]),
        Value("Ext", href='https://example.org/"q"', external=True, note="commune, <75>"),
        Value("texte", lang="fr", sources=[2]),
        Value("plain", lang=None, note="n"),
        Value("", href=None),
    ],
)
def test_values_with_characters_to_escape(value: Value) -> None:
    assert str(value_html(value)) == str(MACROS.value(value))
    assert str(values_html([value, value])) == str(MACROS.values([value, value]))
    assert str(values_html([])) == str(MACROS.values([]))
