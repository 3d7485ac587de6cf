"""Read input files: find them, decode them, strip page chrome, find title, byline, date.

Nothing here knows about spaCy. ``iter_sources`` yields ``SourceFile`` items
(path and raw bytes hash) cheaply, so unchanged files are skipped before any
text is decoded; ``read_text`` then decodes and cleans one file.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from policycorpus.decoding import decode_bytes
from policycorpus.errors import InputError
from policycorpus.resources import load_jsonl

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}


@dataclass
class SourceFile:
    """A file found under an input path, with the name it is stored under."""

    path: Path
    name: str

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


@dataclass
class SourceText:
    """The cleaned text of one document and what the text says about itself."""

    text: str
    title: str = ""
    byline: str = ""
    published: str = ""
    dropped: list[str] = field(default_factory=list)


def content_hash(data: bytes) -> str:
    """The SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def iter_sources(paths: list[Path], warn: list[str] | None = None) -> Iterator[SourceFile]:
    """Yield the readable text files under ``paths`` in a stable order.

    A directory's files are named relative to it; a file given directly is
    named by its file name. A path that cannot be used at all raises
    ``InputError``; problems below it that do not stop the run (unreadable
    folders, symlink loops, broken links, pipes) are appended to ``warn``.
    """
    warnings = warn if warn is not None else []
    for root in paths:
        try:
            root.stat()
        except OSError as exc:
            raise InputError(f"{(exc.strerror or 'cannot open').lower()}: {root}") from None
        if root.is_file():
            yield SourceFile(root, root.name)
            continue
        if not root.is_dir():
            raise InputError(f"not a regular file or a folder: {root}")
        seen: set[tuple[int, int]] = set()

        def unreadable(exc: OSError) -> None:
            warnings.append(f"skipped {exc.filename}: {(exc.strerror or 'unreadable').lower()}")

        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=unreadable):
            stat = os.stat(dirpath)
            if (stat.st_dev, stat.st_ino) in seen:
                warnings.append(f"skipped {dirpath}: directory already visited (symlink loop)")
                dirnames[:] = []
                continue
            seen.add((stat.st_dev, stat.st_ino))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(filenames):
                if filename.startswith("."):
                    continue
                path = Path(dirpath) / filename
                if path.suffix.lower() not in TEXT_SUFFIXES:
                    continue
                if not path.is_file():
                    warnings.append(f"skipped {path}: a broken link, a symlink loop or not a "
                                    "regular file")
                    continue
                yield SourceFile(path, path.relative_to(root).as_posix())


def decode(data: bytes) -> str | None:
    """Decode bytes of unknown encoding to text, or None if they are not text
    (see ``policycorpus.decoding``)."""
    return decode_bytes(data).text


def read_text(raw: str) -> SourceText:
    """Clean a decoded document: drop page chrome, find its title, byline and date."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    kept, dropped = strip_chrome(text)
    cleaned = "\n\n".join(kept).strip()
    title = find_title(kept)
    return SourceText(
        text=cleaned,
        title=title,
        byline=find_byline(kept),
        published=find_date(kept),
        dropped=dropped,
    )


@dataclass(frozen=True)
class _ChromeRule:
    id: str
    action: str
    pattern: re.Pattern[str]


def _chrome_rules() -> list[_ChromeRule]:
    return [
        _ChromeRule(r["id"], r["action"], re.compile(r["pattern"], re.IGNORECASE))
        for r in load_jsonl("chrome.jsonl")
    ]


def strip_chrome(text: str) -> tuple[list[str], list[str]]:
    """Split ``text`` into paragraphs and drop the page chrome among them.

    Rules come from ``models/chrome.jsonl``: ``line`` drops a paragraph that is
    wholly chrome, ``line_and_next`` also the promo that follows it,
    ``paragraph`` a paragraph containing a promo cue, and ``rest`` starts a
    footer that runs to the end of the page. Returns (kept, dropped).
    """
    rules = _chrome_rules()
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n", text)]
    paragraphs = [p for p in paragraphs if p]
    kept: list[str] = []
    dropped: list[str] = []
    skip_next = False
    for index, para in enumerate(paragraphs):
        if skip_next:
            skip_next = False
            if len(para.split()) <= 20:
                dropped.append(para)
                continue
        action = next(
            (r.action for r in rules if r.action != "paragraph" and r.pattern.fullmatch(para)),
            None,
        )
        if action is None and any(
            r.action == "paragraph" and r.pattern.fullmatch(para) for r in rules
        ):
            action = "paragraph"
        if action == "rest" and index > len(paragraphs) // 3:
            dropped.extend(paragraphs[index:])
            break
        if action in ("line", "paragraph", "rest"):
            dropped.append(para)
            continue
        if action == "line_and_next":
            dropped.append(para)
            skip_next = True
            continue
        kept.append(para)
    return kept, dropped


def find_title(paragraphs: list[str]) -> str:
    """The headline: the first paragraph of four to thirty words without a full stop end."""
    for para in paragraphs[:8]:
        words = para.split()
        if 4 <= len(words) <= 30 and not para.endswith((".", ":")) and not para.startswith("By "):
            return para
    return paragraphs[0] if paragraphs else ""


_BYLINE = re.compile(r"^By\s+([A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+)+(?:(?:,|,?\s+and)\s+[A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+)+)*)\s*$")


def find_byline(paragraphs: list[str]) -> str:
    """The names of a "By X, Y and Z" line near the top, if any."""
    for para in paragraphs[:15]:
        match = _BYLINE.match(para)
        if match:
            return match.group(1)
    return ""


_MONTHS = {
    m: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        1,
    )
    for m in names
}
_DATE_LINE = re.compile(
    r"^(?:(?:published|updated|posted)\s*:?\s*)?(?:[A-Z][a-z]+day,?\s+)?"
    r"([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),\s+(\d{4})\b",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"^(?:published|updated|posted)?\s*:?\s*(\d{4})-(\d{2})-(\d{2})\b", re.I)


def find_date(paragraphs: list[str]) -> str:
    """An ISO date from a dateline paragraph near the top ("February 9, 2017")."""
    for para in paragraphs[:15]:
        if len(para.split()) > 12:
            continue
        match = _DATE_LINE.match(para)
        if match and match.group(1).lower() in _MONTHS:
            try:
                return date(int(match.group(3)), _MONTHS[match.group(1).lower()],
                            int(match.group(2))).isoformat()
            except ValueError:
                continue
        match = _ISO_DATE.match(para)
        if match:
            try:
                return date(*map(int, match.groups())).isoformat()
            except ValueError:
                continue
    return ""
