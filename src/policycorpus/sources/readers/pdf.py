"""PDF files through pypdf: text page by page, then repaired by ``reflow``.

A PDF with no text layer (a scan) cannot be read without OCR: it is
skipped with a message saying so. An encrypted PDF is read when it opens
with an empty password. The document's title and author properties are
used when the text does not give them; its creation date when the text has
no date line.
"""

from __future__ import annotations

import io

from policycorpus.dates import parse_date
from policycorpus.errors import InputError
from policycorpus.sources.files import SourceText, read_text
from policycorpus.sources.readers.extras import require
from policycorpus.sources.readers.reflow import reflow_pages
from policycorpus.sources.textmeta import is_name


def read(file_name: str, data: bytes) -> SourceText:
    """The text of a PDF file and its metadata (``InputError`` if it has no text layer)."""
    pypdf = require("pypdf", "pdf", file_name)
    errors = pypdf.errors
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("the PDF is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (errors.PyPdfError, errors.DependencyError) as exc:
        raise InputError(f"not a readable PDF ({exc})") from exc
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise InputError(f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(page.strip() for page in pages):
        raise InputError(f"no text layer in {len(pages)} page(s), probably a scan; "
                         "run OCR on it first (for example with ocrmypdf)")
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
