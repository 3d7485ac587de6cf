"""Which fields of a JSONL, JSON or CSV record hold a document's text and metadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class RecordFields:
    """Field names to try, in order, for each part of a record (matched case-insensitively).

    The defaults fit most news-archive exports; ``--text-field`` and its
    siblings on ``ingest`` replace one list by a single name.
    """

    text: tuple[str, ...] = ("text", "content", "body")
    title: tuple[str, ...] = ("title", "headline")
    date: tuple[str, ...] = ("date", "published", "publish_date")
    url: tuple[str, ...] = ("url", "link")
    id: tuple[str, ...] = ("id",)
    byline: tuple[str, ...] = ("author", "authors", "byline")
    outlet: tuple[str, ...] = ("outlet", "site_name", "sitename", "publication")

    def with_names(self, **names: str | None) -> "RecordFields":
        """A copy where each given part (``text="story"``) is looked up by that one name."""
        changes = {key: (value,) for key, value in names.items() if value}
        return RecordFields(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **changes})

    def describe(self) -> dict[str, list[str]]:
        """The field names per part, for messages and the hash of a record."""
        return {f.name: list(getattr(self, f.name)) for f in fields(self)}


def pick(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    """The value of the first of ``names`` present (and non-empty) in ``record``, else None."""
    lowered = {str(key).lower(): key for key in record}
    for name in names:
        key = lowered.get(name.lower())
        if key is not None and record[key] not in (None, "", [], {}):
            return record[key]
    return None


def has_field(keys: list[str], names: tuple[str, ...]) -> bool:
    """Whether any of ``names`` is among ``keys`` (case-insensitively)."""
    lowered = {str(key).lower() for key in keys}
    return any(name.lower() in lowered for name in names)
