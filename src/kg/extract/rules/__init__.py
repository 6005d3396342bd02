"""The extractors, one module per kind; importing this package registers them all (entity rules
in the order of these imports: collectivities and countries before programmes and territories)."""

from kg.extract.rules import (
    agreements,
    areas,
    coordination,
    entities,
    events,
    figures,
    foreign_areas,
    nationality,
    organisations,
    partnerships,
    people,
    speakers,
    venues,
)

__all__ = [
    "agreements",
    "areas",
    "coordination",
    "entities",
    "events",
    "figures",
    "foreign_areas",
    "nationality",
    "organisations",
    "partnerships",
    "people",
    "speakers",
    "venues",
]
