"""Record exports: JSONL (one JSON object a line), JSON (an array of objects) and CSV/TSV.

Each record is one document named ``FILE#ID``: ID is the record's id field
when it has one, else its record number (1 for the first record). The
document's hash covers the record and the field names used to read it, so
editing one record, or asking for another text field, re-processes just
what changed. A record that cannot be read (bad JSON, no text) is reported
under its own name and the others go on.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from policycorpus.dates import parse_date
from policycorpus.errors import InputError
from policycorpus.sources import formats
from policycorpus.sources.files import (
    SourceFile,
    SourceText,
    content_hash,
    decode,
    read_text,
)
from policycorpus.sources.readers import SourceDocument
from policycorpus.sources.readers.fields import RecordFields, has_field, pick
from policycorpus.sources.textmeta import join_names

#: Largest CSV field accepted (a whole article fits; the csv module's default is 128 KiB).
CSV_FIELD_LIMIT = 64 * 1024 * 1024


def iter_records(source: SourceFile, data: bytes, fmt: str,
                 fields: RecordFields) -> Iterator[SourceDocument]:
    """One ``SourceDocument`` per record of a JSONL, JSON or CSV file."""
    raw = decode(data)
    if raw is None:
        yield _unreadable(source, data, fmt, "not a text file")
        return
    try:
        rows = list(_rows(raw, fmt, source))
    except InputError as exc:
        yield _unreadable(source, data, fmt, str(exc))
        return
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, nesting past the limit
        yield SourceDocument(source.name, content_hash(data), fmt, _failing(exc), source.key)
        return
    if fmt == formats.CSV and rows:
        first = next((r for _, r in rows if isinstance(r, dict)), None)
        if first is not None and not has_field(list(first), fields.text):
            yield _unreadable(source, data, fmt, _no_text_message(fields, "column"))
            return
    seen: dict[str, int] = {}
    for number, record in rows:
        if isinstance(record, (str, Exception)):
            loader = _raiser(record) if isinstance(record, str) else _failing(record)
            yield SourceDocument(f"{source.name}#{number}",
                                 content_hash(f"{number}:{record}".encode()), fmt, loader,
                                 f"{source.key}#{number}")
            continue
        identifier = pick(record, fields.id)
        key = str(identifier).strip() if identifier is not None else ""
        name = f"{source.name}#{key or number}"
        try:
            digest = content_hash(json.dumps({"record": record, "fields": fields.describe()},
                                             sort_keys=True, default=str).encode("utf-8"))
        except (ValueError, RecursionError) as exc:
            yield SourceDocument(name, content_hash(f"{number}:{exc}".encode()), fmt,
                                 _failing(exc), f"{source.key}#{key or number}")
            continue
        if name in seen:
            yield SourceDocument(name, digest, fmt, _raiser(
                f"record {number} repeats id {key or number!r} of record {seen[name]}"),
                f"{source.key}#{key or number}")
            continue
        seen[name] = number
        yield SourceDocument(name, digest, fmt, _loader(record, fields),
                             f"{source.key}#{key or number}")


def _rows(raw: str, fmt: str, source: SourceFile
          ) -> Iterator[tuple[int, dict[str, Any] | str | Exception]]:
    """(record number, record) pairs; a record that cannot be read is a message string
    (invalid, skipped) or the exception that reading it raised (failed)."""
    if fmt == formats.JSONL:
        number = 0
        for line_no, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            number += 1
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"line {line_no} is not valid JSON ({exc.msg})"
                continue
            except (ValueError, RecursionError) as exc:  # huge numbers, deep nesting
                yield number, exc
                continue
            if not isinstance(value, dict):
                value = f"line {line_no} is not a JSON object"
            yield number, value
    elif fmt == formats.JSON:
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from exc
        for number, item in enumerate(_json_records(value), 1):
            yield number, (item if isinstance(item, dict)
                           else f"record {number} is not a JSON object")
    else:
        csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
        delimiter = "\t" if source.path.suffix.lower() == ".tsv" else _delimiter(raw)
        try:
            reader = csv.DictReader(io.StringIO(raw, newline=""), delimiter=delimiter)
            for number, row in enumerate(reader, 1):
                yield number, {k: v for k, v in row.items() if k is not None}
        except csv.Error as exc:
            raise InputError(f"not a readable CSV file ({exc})") from exc


def _json_records(value: Any) -> list[Any]:
    """The records of a JSON document: an array, the first array of objects in an object,
    or the object itself."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for item in value.values():
            if isinstance(item, list) and item and all(isinstance(i, dict) for i in item):
                return item
        return [value]
    raise InputError("a JSON file must hold an object or an array of objects")


def _delimiter(raw: str) -> str:
    """The delimiter of a CSV file: the most frequent of , ; and tab in its header line."""
    header = raw.split("\n", 1)[0]
    return max([",", ";", "\t"], key=header.count)


def _no_text_message(fields: RecordFields, what: str) -> str:
    names = ", ".join(fields.text)
    return f"no text {what} (looked for: {names}); name it with --text-field"


def _unreadable(source: SourceFile, data: bytes, fmt: str, message: str) -> SourceDocument:
    return SourceDocument(source.name, content_hash(data), fmt, _raiser(message), source.key)


def _failing(exc: BaseException) -> Callable[[], SourceText]:
    """A loader that raises ``exc`` again: the document is counted failed, with its reason."""
    def load() -> SourceText:
        raise exc

    return load


def _raiser(message: str) -> Callable[[], SourceText]:
    def load() -> SourceText:
        raise InputError(message)

    return load


def _loader(record: dict[str, Any], fields: RecordFields) -> Callable[[], SourceText]:
    return lambda: record_text(record, fields)


def record_text(record: Mapping[str, Any], fields: RecordFields) -> SourceText:
    """The document of one record: its text (title first) and the metadata its fields give.

    Metadata fields win over what the text itself shows; the text still
    supplies a byline, dateline or date the record lacks.
    """
    body = _as_text(pick(record, fields.text), "\n\n")
    if not body.strip():
        raise InputError(_no_text_message(fields, "field"))
    title = _as_text(pick(record, fields.title), " ").strip()
    full = body if not title or body.lstrip().startswith(title) else f"{title}\n\n{body}"
    found = read_text(full)
    found.title = title or found.title
    found.published = parse_date(pick(record, fields.date)) or found.published
    found.url = _as_text(pick(record, fields.url), " ").strip()
    found.byline = _names(pick(record, fields.byline)) or found.byline
    found.outlet = _name_of(pick(record, fields.outlet))
    return found


def _as_text(value: Any, joiner: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return joiner.join(_as_text(v, joiner) for v in value)
    return str(value)


def _name_of(value: Any) -> str:
    """A name from a string or from an object with a ``name`` (``{"name": "KPBS"}``)."""
    if isinstance(value, Mapping):
        value = value.get("name")
    return " ".join(str(value).split()) if isinstance(value, (str, int)) else ""


def _names(value: Any) -> str:
    """Author names from a string or a list of strings or ``{"name": ...}`` objects."""
    if isinstance(value, list):
        return join_names([n for n in (_name_of(v) for v in value) if n])
    return _name_of(value)
