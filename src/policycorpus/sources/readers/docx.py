"""Word documents (.docx) through python-docx.

The body's paragraphs and tables are read in document order (a table row
becomes one paragraph, its cells joined by " | "); headers and footers are
left out as page chrome. The core properties give a title, author and date
when the text does not.
"""

from __future__ import annotations

import io
import zipfile

from policycorpus.dates import parse_date
from policycorpus.errors import InputError
from policycorpus.sources.files import SourceText, read_text
from policycorpus.sources.readers.extras import require
from policycorpus.sources.textmeta import is_name


def read(file_name: str, data: bytes) -> SourceText:
    """The text of a .docx file and its metadata (``InputError`` if it is not one)."""
    docx = require("docx", "docx", file_name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"not a readable Word (.docx) file ({exc})") from exc
    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                if cells:
                    paragraphs.append(" | ".join(cells))
        else:
            paragraphs.append(block.text)
    found = read_text("\n\n".join(p for p in paragraphs if p.strip()))
    if not found.text.strip():
        raise InputError("the document has no text")
    props = document.core_properties
    title = " ".join((props.title or "").split())
    found.title = title if title and title in found.text else found.title or title
    author = " ".join((props.author or "").split())
    found.byline = found.byline or (author if is_name(author) else "")
    found.published = found.published or parse_date(props.created)
    return found
