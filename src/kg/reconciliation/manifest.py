"""The service manifest (Reconciliation Service API 0.2): what the service is and where its parts are."""

from __future__ import annotations

from typing import Any

from kg import __version__
from kg.importers.ntriples import ID, KGC
from kg.reconciliation.vocabulary import DEFAULT_TYPE, EXTENSIBLE, PROPERTIES, TYPES

VERSIONS = ["0.2"]
PREVIEW_WIDTH = 400
PREVIEW_HEIGHT = 160


def manifest(service_url: str) -> dict[str, Any]:
    """The manifest of the service answering at ``service_url`` (no trailing slash)."""

    def service(path: str) -> dict[str, str]:
        return {"service_url": service_url, "service_path": path}

    return {
        "versions": VERSIONS,
        "name": "kgci — French territorial collectivities (INSEE, SIREN) and their partners",
        "identifierSpace": ID,
        "schemaSpace": KGC,
        "serviceVersion": __version__,
        "documentation": service_url.rsplit("/reconcile", 1)[0] + "/docs",
        "view": {"url": ID + "{{id}}"},
        "defaultTypes": [{"id": DEFAULT_TYPE.id, "name": DEFAULT_TYPE.name}],
        "preview": {
            "url": service_url + "/preview?id={{id}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "suggest": {
            "entity": service("/suggest/entity"),
            "type": service("/suggest/type"),
            "property": service("/suggest/property"),
        },
        "extend": {
            "propose_properties": service("/propose_properties"),
            "property_settings": [],
        },
    }


def proposed_properties(type_: str | None, limit: int) -> dict[str, Any]:
    """The properties a data extension can fetch, for the property-proposal endpoint."""
    chosen = type_ if type_ in TYPES else DEFAULT_TYPE.id
    properties = [{"id": p, "name": PROPERTIES[p].name} for p in EXTENSIBLE][:limit]
    return {"type": chosen, "properties": properties, "limit": limit}
