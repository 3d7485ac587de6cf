"""Which reader handles which file: input formats by file suffix.

Kept apart from the readers (and free of imports) so that finding files
(``sources.iter_sources``) knows every readable suffix without loading any
reader or optional library.
"""

from __future__ import annotations

from pathlib import PurePath

TEXT = "text"
HTML = "html"
PDF = "pdf"
DOCX = "docx"
JSONL = "jsonl"
JSON = "json"
CSV = "csv"

SUFFIXES: dict[str, str] = {
    "": TEXT,
    ".txt": TEXT,
    ".text": TEXT,
    ".md": TEXT,
    ".markdown": TEXT,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".pdf": PDF,
    ".docx": DOCX,
    ".jsonl": JSONL,
    ".ndjson": JSONL,
    ".json": JSON,
    ".csv": CSV,
    ".tsv": CSV,
}
RECORD_FORMATS = frozenset({JSONL, JSON, CSV})

#: The optional extra that provides each format's library (formats not listed need none).
EXTRAS = {HTML: "html", PDF: "pdf", DOCX: "docx"}


def format_of(path: str | PurePath) -> str | None:
    """The input format of a file by its suffix, or None if no reader handles it."""
    return SUFFIXES.get(PurePath(path).suffix.lower())
