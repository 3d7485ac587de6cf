"""PDF files through pypdf: text page by page, then repaired by ``reflow``.

A PDF with no text layer (a scan) cannot be read without OCR: it is
skipped with a message saying so. An encrypted PDF is read when it opens
with an empty password. The document's title and author properties are
used when the text does not give them; its creation date when the text has
no date line.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from policycorpus.dates import parse_date
from policycorpus.errors import InputError
from policycorpus.sources.files import SourceText, read_text
from policycorpus.sources.readers.extras import require
from policycorpus.sources.readers.reflow import reflow_pages
from policycorpus.sources.textmeta import is_name

log = logging.getLogger(__name__)


@contextmanager
def _library_messages() -> Iterator[list[str]]:
    """What pypdf logs while reading one file, kept (not printed without the file's name)."""
    messages: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(" ".join(record.getMessage().split()))

    logger, handler = logging.getLogger("pypdf"), Keep(logging.WARNING)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def read(file_name: str, data: bytes) -> SourceText:
    """The text of a PDF file and its metadata (``InputError`` if it has no text layer).

    pypdf's own warnings are logged on this module's logger with the file's name."""
    pypdf = require("pypdf", "pdf", file_name)
    errors = pypdf.errors
    with _library_messages() as messages:
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError("the PDF is encrypted with a password")
            pages = [page.extract_text() or "" for page in reader.pages]
            info = reader.metadata
            if not any(page.strip() for page in pages):
                messages.extend(_damaged_streams(reader))
        except (errors.PyPdfError, errors.DependencyError) as exc:
            raise InputError(f"not a readable PDF ({_with(exc, messages)})") from exc
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            raise InputError(f"not a readable PDF ({type(exc).__name__}: "
                             f"{_with(exc, messages)})") from exc
    if not any(page.strip() for page in pages):
        damaged = [m for m in messages if "decompress" in m.lower() or "error" in m.lower()]
        if damaged:  # text was there but could not be decoded: not a scan
            raise InputError(f"not a readable PDF: a content stream is damaged ({damaged[0]})")
        raise InputError(f"no text layer in {len(pages)} page(s), probably a scan; "
                         "run OCR on it first (for example with ocrmypdf)")
    for message in dict.fromkeys(messages):
        log.warning("%s: %s", file_name, message)
    found = read_text(reflow_pages(pages))
    title = " ".join(str(info.title or "").split()) if info else ""
    if title and title.lower() in found.text.lower():
        found.title = title
    author = " ".join(str(info.author or "").split()) if info else ""
    found.byline = found.byline or (author if is_name(author) else "")
    if not found.published and info is not None:
        try:
            found.published = parse_date(info.creation_date)
        except (ValueError, TypeError):
            pass  # a malformed date property: the document simply has no date
    return found


def _damaged_streams(reader: object) -> list[str]:
    """Errors of Flate-compressed page content streams that do not decompress
    (pypdf reads what it can of them, often nothing, without saying so)."""
    import zlib

    found = []
    for page in getattr(reader, "pages", []):
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else None
        streams = list(contents) if isinstance(contents, list) else [contents]
        for stream in streams:
            stream = stream.get_object() if stream is not None else None
            raw = getattr(stream, "_data", None)
            filters = stream.get("/Filter") if hasattr(stream, "get") else None
            if not isinstance(raw, bytes) or "/FlateDecode" not in str(filters):
                continue
            try:
                zlib.decompress(raw)
            except zlib.error as exc:
                found.append(f"Error while decompressing data: {exc}")
    return found


def _with(exc: Exception, messages: list[str]) -> str:
    """The error, and what pypdf logged before it (the first thing it noticed)."""
    return str(exc) + (f"; pypdf: {messages[0]}" if messages and messages[0] not in str(exc)
                       else "")
