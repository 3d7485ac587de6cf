"""HTML pages saved from the web: main text and metadata through trafilatura.

trafilatura drops the page chrome (navigation, footers, share bars,
comments) and reads the title, author, date, site name and canonical URL
from the page's meta tags and structured data. The extracted text then goes
through ``sources.read_text`` like any plain text, so the chrome rules and
the byline, dateline and date finders still apply; the page's metadata wins
over what the text shows. The headline is kept as the first paragraph, as
in a plain-text article.
"""

from __future__ import annotations

from policycorpus.dates import parse_date
from policycorpus.errors import InputError
from policycorpus.sources.files import SourceText, read_text
from policycorpus.sources.readers.extras import require


def read(file_name: str, data: bytes) -> SourceText:
    """The article of an HTML page and its metadata (``InputError`` if no text is found)."""
    trafilatura = require("trafilatura", "html", file_name)
    document = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False,
        # dates from the page's markup only: htmldate's text search turns a bare
        # "2025" into "2025-01-01"; the date line finder reads the text instead
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or not (document.text or "").strip():
        raise InputError("no article text found in the page")
    title = " ".join((document.title or "").split())
    body = document.text
    text = body if not title or body.lstrip().startswith(title) else f"{title}\n\n{body}"
    found = read_text(text)
    found.title = title or found.title
    found.byline = _byline(document.author) or found.byline
    found.published = parse_date(document.date) or found.published
    found.outlet = " ".join((document.sitename or "").split())
    found.url = document.url or ""
    return found


def _byline(author: str | None) -> str:
    """trafilatura joins several authors with "; "; store them as "A, B and C"."""
    from policycorpus.sources.textmeta import join_names

    names = [" ".join(n.split()) for n in (author or "").split(";") if n.strip()]
    return join_names(names)
