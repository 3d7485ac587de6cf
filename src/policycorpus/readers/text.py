"""Plain text and Markdown: decode the bytes, then ``sources.read_text``."""

from __future__ import annotations

from policycorpus.errors import InputError
from policycorpus.sources import SourceText, decode, read_text


def read(data: bytes) -> SourceText:
    """The cleaned text and metadata of a plain-text file (``InputError`` if it is binary)."""
    raw = decode(data)
    if raw is None:
        raise InputError("not a text file")
    return read_text(raw)
