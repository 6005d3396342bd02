"""The one Jinja environment of the web layer: every HTML page and the XML sitemap are templates of
``kg/web/templates``, rendered through :data:`TEMPLATES`."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from kg.web.lod.html import value_html, values_html

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def xml_text(value: str) -> Markup:
    """``value`` escaped as XML character data (``& < >``), left alone by HTML autoescaping.

    >>> str(xml_text("/browse?a=1&b='x'"))
    "/browse?a=1&amp;b='x'"
    """
    return Markup(escape(value))  # escaped here, so the one autoescape leaves it alone


TEMPLATES.env.filters["xml_text"] = xml_text
TEMPLATES.env.globals.update(value_html=value_html, values_html=values_html)
