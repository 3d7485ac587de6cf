"""Plain text and Markdown: decode the bytes, then ``sources.read_text``."""

from __future__ import annotations

from policycorpus.errors import InputError
from policycorpus.sources.decoding import decode_bytes
from policycorpus.sources.files import SourceText, read_text


def read(data: bytes) -> SourceText:
    """The cleaned text and metadata of a plain-text file (``InputError`` if it is binary)."""
    decoded = decode_bytes(data)
    if decoded.text is None:
        raise InputError(decoded.problem)
    return read_text(decoded.text)
