"""Make small input files of every format for the tests: HTML pages, PDFs, Word files.

The PDFs are written by hand (a minimal PDF 1.4 with one Helvetica text
line per ``Tj``), so each test says exactly which lines, pages, running
headers and hyphenated words the file holds; the Word files are made with
python-docx.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi encoding, with ( ) \\ and non-ASCII escaped."""
    out = bytearray(b"(")
    for byte in text.encode("cp1252"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b")")


def make_pdf(pages: list[list[str]], *, title: str = "", author: str = "",
             created: datetime | None = None) -> bytes:
    """A PDF whose pages hold the given lines; a page given as [] has a drawing but no text.

    An empty page list entry imitates a scanned page: something is drawn, no
    text layer exists.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the page tree exists
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        if lines:
            ops = [b"BT /F1 11 Tf 14 TL 72 770 Td"]
            for line in lines:
                ops.append(_pdf_string(line) + b" Tj T*")
            ops.append(b"ET")
        else:
            ops = [b"0.5 g 72 72 451 698 re f"]
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (tree, font, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                         + b"] /Count %d >>" % len(kids))
    info_parts = []
    if title:
        info_parts.append(b"/Title " + _pdf_string(title))
    if author:
        info_parts.append(b"/Author " + _pdf_string(author))
    if created:
        info_parts.append(b"/CreationDate " + _pdf_string(created.strftime("D:%Y%m%d%H%M%S")))
    info = add(b"<< " + b" ".join(info_parts) + b" >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, catalog, info, xref))
    return bytes(out)


def make_docx(paragraphs: list[str], *, heading: str = "", table: list[list[str]] | None = None,
              title: str = "", author: str = "", created: datetime | None = None,
              footer: str = "") -> bytes:
    """A Word file: an optional heading, the paragraphs, an optional table, a footer."""
    import docx

    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    props = document.core_properties
    props.title = title
    props.author = author
    if created:
        props.created = created
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def html_page(*, title: str, paragraphs: list[str], site: str = "", author: str = "",
              published: str = "", url: str = "") -> str:
    """A news page as saved from a browser: meta tags, navigation, article, promos, footer."""
    meta = [f'<meta property="og:title" content="{title}">']
    if site:
        meta.append(f'<meta property="og:site_name" content="{site}">')
    if author:
        meta.append(f'<meta name="author" content="{author}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if url:
        meta.append(f'<link rel="canonical" href="{url}">')
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site or 'News'}</title>
{chr(10).join(meta)}
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/subscribe">Subscribe for $1 a week</a></li></ul></nav></header>
<div class="share">Share on Facebook | Share on X | Email this story</div>
<main><article>
<h1>{title}</h1>
{body}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Celebrity chef opens a new taqueria downtown</a></li>
<li><a href="/b">High school football scores from Friday night</a></li></ul></aside>
</main>
<footer><p>© 2025 {site or 'News'}. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


def write(path: Path, data: str | bytes) -> Path:
    """Write a fixture file (text as UTF-8), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- a small corpus with one file of every format --------------------------------------

FRESNO = [
    "FRESNO — The Fresno City Council voted 5-2 on Tuesday to end its 287(g) agreement with "
    "U.S. Immigration and Customs Enforcement, Mayor Jerry Dyer said.",
    "Council member Annalisa Perea said residents had asked for the change for years. "
    '"People were afraid to call the police," she said.',
    "ICE did not respond to a request for comment.",
]

#: path -> (format, published date, month it is charted in or "" if it cannot be placed by month)
MIXED = {
    "fresno.html": ("html", "2025-11-03", "2025-11"),
    "resolution.pdf": ("pdf", "2025-09-04", "2025-09"),
    "letter.docx": ("docx", "2025-10-02", "2025-10"),
    "wire.jsonl#w1": ("jsonl", "2025-09-15", "2025-09"),
    "wire.jsonl#2": ("jsonl", "2025-11-20", "2025-11"),
    "wire.jsonl#w3": ("jsonl", "2025", ""),
    "archive.csv#1": ("csv", "2025-07-01", "2025-07"),
    "archive.csv#2": ("csv", "2025-11-10", "2025-11"),
    "notes.txt": ("text", None, ""),
}


def write_mixed_corpus(folder: Path) -> Path:
    """A folder with an HTML page, a PDF, a scanned PDF, a Word letter, a JSONL and a CSV
    export and a text note, all about immigration enforcement in California's Central Valley."""
    import json

    write(folder / "fresno.html", html_page(
        title="Fresno council ends 287(g) deal with ICE", paragraphs=FRESNO,
        site="The Valley Ledger", author="Ana Ruiz", published="2025-11-03T10:00:00-08:00",
        url="https://valleyledger.example/news/fresno-ice"))
    write(folder / "resolution.pdf", make_pdf([[
        "COUNTY OF FRESNO", "Resolution No. 2025-114", "September 4, 2025",
        "WHEREAS Sheriff Margaret Mims has informed the Board of Supervisors that",
        "U.S. Immigration and Customs Enforcement asked the county to renew its agree-",
        "ment, the Board declines to renew it.",
    ]], title="Resolution No. 2025-114"))
    write(folder / "scan.pdf", make_pdf([[]]))
    write(folder / "letter.docx", make_docx(
        ["October 2, 2025", "Dear Members of the Legislature,",
         "We ask you to keep SB 54 in force. Since it took effect, ICE has needed a judicial "
         "warrant to take custody of people held in county jails.",
         "Sincerely,", "Lee Chen"],
        heading="Letter on SB 54", author="Lee Chen"))
    records = [
        {"id": "w1", "title": "Madera sheriff limits ICE access to jail",
         "text": "MADERA, Calif. (AP) — Madera County Sheriff Tyson Pogue said ICE agents will "
                 "no longer interview inmates without a warrant.",
         "date": "2025-09-15T08:00:00Z", "url": "https://wire.example/w1",
         "author": "Tom Baker"},
        {"title": "Merced weighs ICE detainers",
         "text": "The Merced County Board of Supervisors debated ICE detainers under SB 54.",
         "date": "Nov. 20, 2025"},
        {"id": "w3", "title": "Year in review",
         "text": "Across the Central Valley, ICE arrests rose this year.", "date": "2025"},
    ]
    write(folder / "wire.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    write(folder / "archive.csv",
          "headline,body,published,link\n"
          'Visalia police and ICE,"VISALIA — Police Chief Jason Salazar said his officers do not '
          'enforce immigration law and do not work with ICE.",2025-07-01,https://archive.example/1\n'
          'Dyer defends vote,"Mayor Jerry Dyer of Fresno defended the vote to end the ICE '
          'agreement.",2025-11-10,https://archive.example/2\n')
    write(folder / "notes.txt", "Research notes\n\nAsk ICE for its detainer numbers for Tulare "
                                "County and compare them with Kings County.\n")
    return folder
