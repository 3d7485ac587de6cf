"""Dates as the corpus stores them: ISO 8601 with the precision the source gives.

A document's ``published`` is ``YYYY-MM-DD`` when the day is known,
``YYYY-MM`` for "March 2024" and ``YYYY`` for a bare year from metadata.
ISO strings of any precision sort and compare as text, which is what the
``--since``/``--until`` filters and the timeline rely on.

``parse_date`` reads a metadata value (an HTML meta tag, a JSONL field, a
PDF or Word property) with python-dateutil; ``find_date`` finds the date
line near the top of a plain-text article; ``normalize_iso`` checks a date a
user typed. Nothing here imports spaCy, and dateutil loads only when a
free-form date is parsed, so the query commands stay fast.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

MIN_YEAR, MAX_YEAR = 1800, 2200

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)"
#: A date written out in a line of text, most precise forms first.
DATE_EXPRESSION = re.compile(
    rf"""
    \d{{4}}-\d{{2}}-\d{{2}}(?![\d])                            # 2025-11-03
    | {_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)    # Nov. 3, 2025
    | \d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}(?!\d)    # 3 November 2025
    | \d{{1,2}}/\d{{1,2}}/\d{{4}}(?!\d)                         # 11/3/2025
    | {_MONTH},?\s+\d{{4}}(?!\d)                                # March 2024
    """,
    re.VERBOSE | re.IGNORECASE,
)
_TIME = r"(?:\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?(?:\s+[A-Z]{2,4})?,?\s+)"  # 6:04 PM PST,
_PREFIX = re.compile(
    r"^(?:(?P<kind>(?:first\s+)?published|(?:last\s+)?updated|posted|dated?|modified)"
    r"(?:\s+on)?\s*:?\s*)?" + _TIME + "?" + _WEEKDAY + "?",
    re.IGNORECASE,
)
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
#: What may follow the date on a date line: nothing, a time, or a separator.
_AFTER_DATE = re.compile(r"\s*(?:$|[|•·—–\-,(/]|at\b|\d{1,2}(?::\d{2}|\s*[ap]\.?m))", re.IGNORECASE)


def parse_date(value: object) -> str:
    """An ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) from a metadata value, or "".

    Accepts ``date``/``datetime`` objects, Unix timestamps (seconds or
    milliseconds) and strings in any common form ("2025-11-03T10:00:00Z",
    "Mon, 03 Nov 2025 10:00:00 GMT", "Nov. 3, 2025", "11/3/2025",
    "March 2024"). A value without a year, or that is no date, gives "".
    The date is the one written, not converted to UTC.
    """
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, datetime):
        return _checked(value.date())
    if isinstance(value, date):
        return _checked(value)
    if isinstance(value, (int, float)):
        seconds = value / 1000 if abs(value) >= 1e11 else value
        try:
            return _checked(datetime.fromtimestamp(seconds, tz=timezone.utc).date())
        except (OverflowError, OSError, ValueError):
            return ""
    text = " ".join(str(value).split())
    if not text:
        return ""
    iso = _ISO.match(text)
    if iso:
        return normalize_iso(text)
    return _parse_text(text)


def _parse_text(text: str) -> str:
    """Parse a free-form date, keeping only the parts the text gives (year, month, day)."""
    from dateutil import parser as dateutil_parser  # not needed by the query commands

    try:
        first = dateutil_parser.parse(text, default=datetime(1, 1, 1))
        second = dateutil_parser.parse(text, default=datetime(2, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return ""
    if first.year != second.year:
        return ""  # no year given
    if not MIN_YEAR <= first.year <= MAX_YEAR:
        return ""
    if first.month != second.month:
        return f"{first.year:04d}"
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}"
    return first.date().isoformat()


def _checked(day: date) -> str:
    return day.isoformat() if MIN_YEAR <= day.year <= MAX_YEAR else ""


def normalize_iso(text: str) -> str:
    """``text`` if it is a valid ISO date of year, month or day precision, else ""."""
    match = _ISO.match(text.strip())
    if not match:
        return ""
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return ""
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        return ""
    return text.strip()


def find_date(paragraphs: list[str], *, limit: int = 15, max_words: int = 16) -> str:
    """The publication date of a plain-text article, from a date line near the top.

    A date line is a short paragraph that starts with a date ("February 9,
    2017", "2017-02-09", "Thursday, Feb. 9, 2017", "March 2024") or with
    "Published", "Updated", "Posted" or "Dated" before one, or a byline
    that carries the date after a separator ("By Ana Ruiz | Nov. 3, 2025").
    A "published" date wins over an "updated" one.
    """
    updated = ""
    for para in paragraphs[:limit]:
        if len(para.split()) > max_words:
            continue
        found, kind = _date_line(para)
        if not found:
            continue
        if kind.lower().endswith(("updated", "modified")):
            updated = updated or found
            continue
        return found
    return updated


def _date_line(para: str) -> tuple[str, str]:
    """(ISO date, prefix word) if ``para`` is a date line, else ("", "")."""
    prefix = _PREFIX.match(para)
    start = prefix.end() if prefix else 0
    kind = (prefix.group("kind") or "") if prefix else ""
    match = DATE_EXPRESSION.match(para, start)
    if match is None and para[:3].lower() == "by ":
        for separator in re.finditer(r"\s[|•·—–-]\s|,\s", para):
            rest = para[separator.end():]
            lead = _PREFIX.match(rest)
            match = DATE_EXPRESSION.match(rest, lead.end() if lead else 0)
            if match:
                kind = (lead.group("kind") or "") if lead else ""
                break
    if match is None or not _AFTER_DATE.match(match.string, match.end()):
        return "", ""
    return parse_date(match.group(0)), kind
