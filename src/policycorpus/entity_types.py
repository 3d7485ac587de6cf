"""The six entity types, in the order every table and listing shows them."""

ENTITY_TYPES = ("official", "person", "agency", "organization", "law", "place")
