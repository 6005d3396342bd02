"""A shown value as HTML, written in Python: a resource page shows thousands of values, and a Jinja
macro call per value cost about a quarter of a page. The markup is the one the ``value`` and
``values`` macros of ``_lod_macros.html`` wrote (they now call these), escaped the same way."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from kg.web.lod.values import Value


def value_html(v: Value) -> Markup:
    """One value: a link (external ones marked), or text with its language tag; then its note and
    the footnote numbers of its sources."""
    text = escape(v.text)
    if v.href and v.external:
        out = f'<a href="{escape(v.href)}" class="external" rel="noopener">{text}</a>'
    elif v.href:
        out = f'<a href="{escape(v.href)}">{text}</a>'
    elif v.lang:
        lang = escape(v.lang)
        out = f'<span lang="{lang}">{text}</span> <span class="lang-tag">{lang}</span>'
    else:
        out = f"<span>{text}</span>"
    if v.note:
        out += f' <span class="context">\u2014 {escape(v.note)}</span>'
    if v.sources:
        notes = ",".join(
            f'<a href="#source-{n}" title="source {n}">{n}</a>'
            for n in map(escape, sorted(v.sources))
        )
        out += f'<sup class="src">{notes}</sup>'
    return Markup(out)


def values_html(vs: Sequence[Value]) -> Markup:
    """One value alone, several as a list, none as nothing."""
    if len(vs) == 1:
        return value_html(vs[0])
    if vs:
        return Markup(
            '<ul class="values">' + "".join(f"<li>{value_html(v)}</li>" for v in vs) + "</ul>"
        )
    return Markup("")
