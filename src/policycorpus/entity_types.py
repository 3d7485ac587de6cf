"""The one vocabulary of entity types in the database (no heavy imports, so the
command line can offer it before opening anything)."""

from __future__ import annotations

ENTITY_TYPES = ("official", "person", "agency", "organization", "law", "place")
