"""Broken input files of every format, each of which once ended a whole ingest.

Every builder returns the bytes of one file that a reader raises on (not a
clean ``InputError``): a JSONL record with a 5,000-digit number, JSON nested
deeper than Python's recursion limit, a Word file whose ``document.xml`` is
cut in half, a PDF whose content stream nests arrays 50,000 deep.
"""

from __future__ import annotations

import functools
import io
import json
import zipfile

from format_fixtures import make_docx

GOOD_RECORD = {"id": "r1", "title": "Port authority approves dredging plan",
               "text": "The Port of Tacoma commissioners voted on Tuesday to approve the plan."}
LAST_RECORD = {"id": "r3", "title": "Water board delays rate vote",
               "text": "The Tucson water board delayed a vote on rates until March."}


def huge_integer_jsonl() -> bytes:
    """Three records; the middle one holds an integer of 5,000 digits."""
    huge = '{"id": "r2", "text": "The assessor of Linn County spoke.", "views": ' + "7" * 5000 + "}"
    return "\n".join([json.dumps(GOOD_RECORD), huge, json.dumps(LAST_RECORD)]).encode()


def deeply_nested_json(depth: int = 100_000) -> bytes:
    """A JSON array nested ``depth`` deep."""
    return b"[" * depth + b"]" * depth


def truncated_docx(fraction: float = 0.5) -> bytes:
    """A Word file whose ``word/document.xml`` stops part-way through (half, by default)."""
    source = zipfile.ZipFile(io.BytesIO(_whole_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: int(len(data) * fraction)]
            target.writestr(item, data)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def _whole_docx() -> bytes:
    return make_docx(["The harbor commission in Duluth met on Monday about the pier."])


def deeply_nested_pdf(depth: int = 50_000) -> bytes:
    """A one-page PDF whose content stream nests arrays ``depth`` deep."""
    stream = b"BT /F1 11 Tf 72 770 Td " + b"[" * depth + b"]" * depth + b" TJ ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


BROKEN = {
    "wire.jsonl": huge_integer_jsonl,
    "feed.json": deeply_nested_json,
    "memo.docx": truncated_docx,
    "scan.pdf": deeply_nested_pdf,
}
