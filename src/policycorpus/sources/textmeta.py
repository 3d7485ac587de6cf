"""What a plain-text article says about itself: its byline and its dateline.

Both are read from the paragraphs near the top, by the shape news copy
gives them, not from lists of names:

- a byline is a "By" line whose names are joined by commas and "and"
  ("By Brittny Mejia, Molly Hennessy-Fiske and Leila Miller"); what follows
  the last name ("..., Associated Press", "| Staff Writer") is an
  affiliation, not a name;
- a dateline opens the first body paragraph with a place in capitals and a
  dash ("LOS ANGELES —", "SACRAMENTO, Calif. (AP) —", "WASHINGTON, Nov. 3,
  2025 —") and followed by the start of a sentence; a date written in it
  is returned too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policycorpus.dates import parse_date

_BY = re.compile(r"^(?:by|story by|written by)\s*:?\s+(?P<rest>.+)$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.\-]*|[a-z]{1,3})$")
#: Short lower-case words that join the words of a title, never of a name ("Office of the Clerk").
_FUNCTION_WORDS = frozenset({"of", "the", "for", "and", "in", "on", "at", "to", "a", "an"})
_AFFILIATION = re.compile(r"\s+[|•·—–]\s+|\s+-\s+|\s*/\s*")


def find_byline(paragraphs: list[str], *, limit: int = 15) -> str:
    """The names of a "By X, Y and Z" line near the top ("X, Y and Z"), or ""."""
    for para in paragraphs[:limit]:
        names = byline_names(para)
        if names:
            return join_names(names)
    return ""


def byline_names(line: str) -> list[str]:
    """The author names of a byline paragraph, or [] if ``line`` is not a byline."""
    match = _BY.match(line.strip())
    if match is None:
        return []
    rest = _AFFILIATION.split(match.group("rest"), maxsplit=1)[0]
    parts = re.split(r"(,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+)", rest)
    pieces, separators = parts[0::2], parts[1::2]
    ands = [bool(re.search(r"\band\b|&", sep)) for sep in separators]
    names: list[str] = []
    for index, piece in enumerate(pieces):
        if not is_name(piece.strip()):
            break
        names.append(_title_case(piece.strip()))
        if index > 0 and ands[index - 1]:
            break  # the name after "and" closes the list; the rest is an affiliation
        if index < len(separators) and not any(ands[index:]):
            break  # "By Ana Ruiz, Associated Press": a comma with no "and" after it
    return names


def is_name(piece: str) -> bool:
    """Whether ``piece`` looks like a personal name: two to five words, capitalised at both ends."""
    words = piece.split()
    if not 2 <= len(words) <= 5:
        return False
    if not (words[0][0].isupper() and words[-1][0].isupper()):
        return False
    return all(_NAME_WORD.match(word) and word not in _FUNCTION_WORDS for word in words)


def _title_case(name: str) -> str:
    """"ANA RUIZ" becomes "Ana Ruiz"; names already in mixed case are kept."""
    if name.isupper():
        return " ".join(w.capitalize() if len(w) > 2 or "." not in w else w for w in name.split())
    return name


def join_names(names: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass
class Dateline:
    """The place of a dateline as printed ("SACRAMENTO, Calif.") and its date, if any."""

    place: str
    published: str = ""


_DATELINE = re.compile(
    r"""^(?P<place>[A-Z][A-Z'’.\-]*(?:\s+[A-Z][A-Z'’.\-]*)*      # SAN DIEGO
        (?:,\s+[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*)?)?)       # , Calif.
        (?:,\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?))?  # , Nov. 3, 2025
        \s*(?:\([^()]{2,30}\)\s*)?                              # (AP)
        (?:—|–|--|-)\s+[A-Z0-9"“‘']   # the sentence starts: not "ICE — the agency —"
        """,
    re.VERBOSE,
)


def find_dateline(paragraphs: list[str], *, body_paragraphs: int = 3,
                  min_words: int = 12) -> Dateline | None:
    """The dateline opening one of the first body paragraphs, if any.

    Body paragraphs are those of at least ``min_words`` words; the place must
    be written in capitals (at least three letters) and end with a dash.
    """
    seen = 0
    for para in paragraphs:
        if len(para.split()) < min_words:
            continue
        seen += 1
        match = _DATELINE.match(para)
        if match:
            place = match.group("place").strip()
            head = place.split(",")[0]
            if sum(c.isalpha() for c in head) >= 3 and head == head.upper():
                date_text = match.group("date") or ""
                has_year = re.search(r"\d{4}", date_text)
                return Dateline(place, parse_date(date_text) if has_year else "")
        if seen >= body_paragraphs:
            break
    return None
