"""Turn one input file into the documents it holds, whatever its format.

``iter_documents(source, data, fields)`` is the one place a file becomes
documents: a text, HTML, PDF or Word file gives one ``SourceDocument``
named by its path; a JSONL, JSON or CSV export gives one per record, named
``FILE#ID`` (the record's id field, else its record number).

Each ``SourceDocument`` carries its name and a content hash *before* any
text is extracted, so ingest can skip an unchanged document cheaply (per
record for record files: changing one record re-processes only that one).
``load()`` then extracts the text and metadata as a ``SourceText``; it
raises ``InputError`` when the document cannot be used (not text, a
scanned PDF without a text layer, a missing optional library...), and the
message says why.

The readers of optional formats import their library only inside ``load``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from policycorpus.sources import formats
from policycorpus.sources.files import SourceFile, SourceText, content_hash
from policycorpus.sources.readers.fields import RecordFields

__all__ = ["RecordFields", "SourceDocument", "iter_documents", "stale_records"]


@dataclass
class SourceDocument:
    """One document of an input file, named and hashed, its text not yet extracted.

    ``name`` is what the user sees (``2019/a.txt``, ``export.csv#17``); ``key``
    is its identity in the store (the file's resolved path, plus ``#ID`` for a
    record), the name when not given.
    """

    name: str
    hash: str
    format: str
    loader: Callable[[], SourceText]
    key: str = ""

    def __post_init__(self) -> None:
        self.key = self.key or self.name

    def load(self) -> SourceText:
        """Extract the text and metadata (raises ``InputError`` if the document is unusable)."""
        return self.loader()


def iter_documents(source: SourceFile, data: bytes,
                   fields: RecordFields | None = None) -> Iterator[SourceDocument]:
    """The documents of one file: one for a single-document format, one per record otherwise."""
    fmt = formats.format_of(source.path) or formats.TEXT
    if fmt in formats.RECORD_FORMATS:
        from policycorpus.sources.readers import records

        yield from records.iter_records(source, data, fmt, fields or RecordFields())
        return
    yield SourceDocument(source.name, content_hash(data), fmt,
                         lambda: read_single(source, data, fmt), source.key)


def read_single(source: SourceFile, data: bytes, fmt: str) -> SourceText:
    """Extract a single-document file by its format."""
    if fmt == formats.HTML:
        from policycorpus.sources.readers import html

        return html.read(source.path.name, data)
    if fmt == formats.PDF:
        from policycorpus.sources.readers import pdf

        return pdf.read(source.path.name, data)
    if fmt == formats.DOCX:
        from policycorpus.sources.readers import docx

        return docx.read(source.path.name, data)
    from policycorpus.sources.readers import text

    return text.read(data)


def stale_records(file_key: str, current: Iterable[str], stored: Iterable[str]) -> list[str]:
    """Stored keys of a record file's records (``FILE_KEY#...``) that the file no longer holds.

    Keys, not names: a file only ever retires its own records, never those of
    a file of the same name in another folder. Only a file that still yields
    records retires old ones: an empty or unreadable export removes nothing.
    """
    prefix = f"{file_key}#"
    current = {name for name in current if name.startswith(prefix)}
    if not current:
        return []
    return sorted(name for name in stored if name.startswith(prefix) and name not in current)
