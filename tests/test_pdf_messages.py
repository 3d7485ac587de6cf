"""PDF library warnings name their file, and a damaged content stream is not
taken for a scan (issue 13)."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from conftest import run

pytest.importorskip("pypdf")

TEXT = b"BT /F1 12 Tf 20 100 Td (Sheriff Maria Okafor of Yolo County spoke Tuesday) Tj ET"


def pdf_with(stream: bytes) -> bytes:
    """A one-page PDF whose content stream is ``stream`` (Flate-encoded as given)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return out


def test_a_damaged_flate_stream_is_not_probably_a_scan(tmp_path: Path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "minutes.pdf").write_bytes(pdf_with(zlib.compress(TEXT)[:18] + b"\x00\xff" * 9))
    result = run("ingest", folder, "--db", tmp_path / "c.db", "--workers", "1")
    line = next(line for line in result.output.splitlines() if "minutes.pdf" in line)
    assert "damaged" in line and "scan" not in line
    assert "decompressing" not in result.output.replace(line, "")  # no line without the file


def test_a_pdf_library_warning_names_the_file(tmp_path: Path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    data = re.sub(rb"startxref\n(\d+)", lambda m: b"startxref\n%d" % (int(m.group(1)) + 3),
                  pdf_with(zlib.compress(TEXT)))
    (folder / "agenda.pdf").write_bytes(data)
    result = run("ingest", folder, "--db", tmp_path / "c.db", "--workers", "1")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "startxref" in line]
    assert warnings and all(line.startswith("Warning: agenda.pdf: ") for line in warnings)
