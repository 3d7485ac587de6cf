"""Repair the text a PDF gives back: lines into paragraphs, words split at line ends.

A PDF holds positioned lines, not paragraphs. ``reflow_pages`` takes the
text of each page and returns paragraphs separated by blank lines:

- running headers and footers (the same line at the top or bottom of most
  pages, page numbers included) are dropped;
- pages are joined like lines, so a sentence broken by a page break is one
  sentence again;
- a line ends its paragraph when it is clearly shorter than a full line of
  the document (the last line of a paragraph, a heading, a salutation) and
  the next line does not continue it in lower case;
- a word hyphenated at a line end is joined ("immigra-" + "tion"), keeping
  the hyphen when the document writes the word with one elsewhere
  ("long-term") or the next part is capitalised ("Hennessy-Fiske").
"""

from __future__ import annotations

import re
from collections import Counter

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:of|/)\s*\d{1,4})?\s*$",
                          re.IGNORECASE)
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
_HYPHEN_END = re.compile(r"(\w+)[-\u00ad]$")
_SHORT_LINE = 0.75
_EDGE_LINES = 2


def reflow_pages(pages: list[str]) -> str:
    """The paragraphs of a PDF's pages, separated by blank lines."""
    page_lines = [[" ".join(line.split()) for line in page.translate(_LIGATURES).splitlines()]
                  for page in pages]
    page_lines = _drop_running_lines(page_lines)
    lines = [line for page in page_lines for line in page]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return ""
    # the length of a full line, ignoring the rare longer ones
    full = lengths[min(len(lengths) - 1, int(0.95 * len(lengths)))]
    whole = "\n".join(lines)
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        current = _join(current, line, whole) if current else line
        following = next((n for n in lines[index + 1:index + 2] if n), "")
        if _ends_paragraph(line, following, full):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _ends_paragraph(line: str, following: str, full: int) -> bool:
    if not following:
        return False
    if _HYPHEN_END.search(line) or following[0].islower():
        return False
    return len(line) < _SHORT_LINE * full


def _join(current: str, line: str, whole: str) -> str:
    """Append ``line`` to the paragraph, repairing a word hyphenated at the line end."""
    match = _HYPHEN_END.search(current)
    if match is None:
        return f"{current} {line}"
    if current.endswith("\u00ad"):
        return current[:-1] + line
    tail = re.match(r"[^\W\d_]+", line)
    if tail is None or not line[0].islower():
        return current + line  # "Hennessy-" "Fiske", "2019-" "2020": a real hyphen
    if re.search(rf"\b{re.escape(match.group(1))}-{re.escape(tail.group(0))}\b", whole):
        return current + line  # the document writes "long-term" elsewhere
    return current[:-1] + line


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Remove page numbers and lines repeated at the top or bottom of most pages."""
    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.lower())

    def edges(lines: list[str]) -> list[int]:
        filled = [i for i, line in enumerate(lines) if line]
        return sorted(set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]))

    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({key(lines[i]) for i in edges(lines)})
    threshold = max(2, (len(pages) + 1) // 2)
    cleaned: list[list[str]] = []
    for lines in pages:
        drop = {i for i in edges(lines)
                if _PAGE_NUMBER.match(lines[i])
                or (len(pages) > 1 and counts[key(lines[i])] >= threshold)}
        cleaned.append([line for i, line in enumerate(lines) if i not in drop])
    return cleaned
