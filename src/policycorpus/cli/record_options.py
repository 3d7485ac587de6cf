"""The ``ingest`` options that name the fields of JSONL, JSON and CSV records."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

#: (option part, default names shown in the help)
_PARTS = [
    ("text", "text, content, body"),
    ("title", "title, headline"),
    ("date", "date, published, publish_date"),
    ("url", "url, link"),
    ("id", "id; else the record number"),
]


def record_field_options(func: F) -> F:
    """Add ``--text-field``, ``--title-field``, ``--date-field``, ``--url-field`` and
    ``--id-field``; the command receives ``fields: RecordFields``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from policycorpus.sources.readers.fields import RecordFields

        names = {part: kwargs.pop(f"{part}_field") for part, _ in _PARTS}
        return func(*args, fields=RecordFields().with_names(**names), **kwargs)

    for part, defaults in reversed(_PARTS):
        wrapper = click.option(
            f"--{part}-field", f"{part}_field", metavar="NAME", default=None,
            help=f"Record files: the field holding the {part} (default: {defaults}).",
        )(wrapper)
    return wrapper  # type: ignore[return-value]
