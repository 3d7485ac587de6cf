"""Records as plain data and back: dataclasses to JSON-ready dicts, lists and
scalars (``to_plain``), and back to the same dataclasses, nested records
included (``from_plain``), driven by the classes' type hints, so a field added
to a record needs no change here.

The pipeline's records travel this way from spaCy's worker processes
(msgpack, ``pipeline/extensions.py``), and a cluster's shards hold them as
JSON lines (``ingest/shards.py``). Standard library only: every stage may
use it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """``value`` as JSON-ready lists, dicts and scalars (dataclasses as their fields)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_plain(v) for v in value]
    return value


def from_plain(cls: type[T], data: dict[str, Any], **extra: Any) -> T:
    """Rebuild a dataclass ``cls`` from ``to_plain`` output, nested records included.

    Keys that are not fields of ``cls`` are left out (a record written before
    a field was removed); ``extra`` gives fields the data lacks.
    """
    hints = _hints(cls)
    values = {name: _convert(hints[name], data[name]) for name in hints if name in data}
    values.update(extra)
    return cls(**values)


@cache
def _hints(cls: type) -> dict[str, Any]:
    resolved = typing.get_type_hints(cls)
    return {f.name: resolved.get(f.name, Any) for f in dataclasses.fields(cls) if f.init}


def _convert(hint: Any, value: Any) -> Any:
    """``value`` (plain) as the type ``hint`` describes."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if arg is not type(None) and _fits(arg, value):
                return _convert(arg, value)
        return value
    if dataclasses.is_dataclass(hint) and isinstance(hint, type) and isinstance(value, dict):
        return from_plain(hint, value)
    if origin in (list, set, frozenset) and args:
        return origin(_convert(args[0], v) for v in value)
    if origin is tuple and args:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in value)
        return tuple(_convert(a, v) for a, v in zip(args, value))
    if origin is dict and len(args) == 2:
        return {k: _convert(args[1], v) for k, v in value.items()}
    if origin is not None and args:
        return value  # another generic alias: left as read
    if hint is tuple:
        return tuple(value)
    return value


def _fits(hint: Any, value: Any) -> bool:
    """Whether a plain ``value`` can be of type ``hint`` (to pick a Union's member)."""
    origin = typing.get_origin(hint) or hint
    if dataclasses.is_dataclass(origin):
        return isinstance(value, dict)
    if isinstance(origin, type):
        if origin in (list, tuple, set, frozenset):
            return isinstance(value, list)
        return isinstance(value, origin) or (origin is float and isinstance(value, int))
    return True
