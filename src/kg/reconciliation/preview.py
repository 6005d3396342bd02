"""The preview: a small HTML card of one entity (name, type, codes, population, where it is)."""

from __future__ import annotations

from html import escape

from kg.importers.ntriples import KGC
from kg.reconciliation.entities import Entity


def card(entity: Entity, description: str) -> str:
    """A self-contained HTML fragment page, small enough for OpenRefine's preview pop-up."""
    rows = []
    for label, predicate in (
        ("INSEE commune", KGC + "inseeCommuneCode"),
        ("INSEE département", KGC + "inseeDepartementCode"),
        ("INSEE région", KGC + "inseeRegionCode"),
        ("SIREN", KGC + "sirenCode"),
        ("Population", KGC + "population"),
    ):
        value = entity.first(predicate)
        if value is not None:
            rows.append(f"<tr><th>{label}</th><td>{escape(value.value)}</td></tr>")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(entity.name())}</title></head>"
        '<body style="font-family:sans-serif;margin:0.5em">'
        f'<p><a href="{escape(entity.iri)}" target="_blank"><strong>{escape(entity.name())}</strong></a>'
        f"<br><small>{escape(description)}</small></p>"
        f"<table>{''.join(rows)}</table></body></html>"
    )
