"""Query: read-only questions to the store, answered with plain dataclasses."""
