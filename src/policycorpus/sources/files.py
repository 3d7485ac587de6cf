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
from pathlib import Path

from policycorpus.dates import find_date
from policycorpus.errors import InputError
from policycorpus.resources import load_jsonl
from policycorpus.sources.decoding import decode_bytes
from policycorpus.sources.formats import SUFFIXES, TEXT
from policycorpus.sources.textmeta import find_byline, find_dateline

TEXT_SUFFIXES = {suffix for suffix, fmt in SUFFIXES.items() if fmt == TEXT}


@dataclass
class SourceFile:
    """A file found under an input path: its ``name`` as shown (relative to the
    folder given, or the file name) and its ``key``, the identity it is stored
    under (its resolved absolute path; the name when not given)."""

    path: Path
    name: str
    key: str = ""

    def __post_init__(self) -> None:
        self.key = self.key or self.name

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


def printable_path(path: str | Path) -> str:
    """``path`` as text that can be stored and printed: bytes of a file name that
    are not UTF-8 (kept by Python as lone surrogates) become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


@dataclass
class SourceText:
    """The cleaned text of one document and what the text says about itself."""

    text: str
    title: str = ""
    byline: str = ""
    published: str = ""
    dropped: list[str] = field(default_factory=list)
    dateline: str = ""
    outlet: str = ""
    url: str = ""


def content_hash(data: bytes) -> str:
    """The SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def iter_sources(paths: list[Path], warn: list[str] | None = None) -> Iterator[SourceFile]:
    """Yield the files under ``paths`` that a reader handles (``formats.SUFFIXES``), in order.

    A directory's files are named relative to it; a file given directly is
    named by its file name. Either way the key is the resolved absolute path
    (through the resolved folder, so equal names in two folders never
    collide). File names that are not UTF-8 are made printable
    (``printable_path``). A path that cannot be used at all raises
    ``InputError``; problems below it that do not stop the run (unreadable
    folders, symlink loops, broken links, pipes) are appended to ``warn``.
    """
    warnings = warn if warn is not None else []
    for root in paths:
        try:
            root.stat()
        except OSError as exc:
            raise InputError(f"{(exc.strerror or 'cannot open').lower()}: {root}") from None
        resolved = root.resolve()
        if root.is_file():
            yield SourceFile(root, printable_path(root.name), printable_path(resolved.as_posix()))
            continue
        if not root.is_dir():
            raise InputError(f"not a regular file or a folder: {root}")
        seen: set[tuple[int, int]] = set()

        def unreadable(exc: OSError) -> None:
            warnings.append(f"skipped {printable_path(exc.filename or '')}: "
                            f"{(exc.strerror or 'unreadable').lower()}")

        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=unreadable):
            try:
                stat = os.stat(dirpath)
            except OSError as exc:  # gone or unreadable since the walk listed it
                unreadable(exc)
                dirnames[:] = []
                continue
            if (stat.st_dev, stat.st_ino) in seen:
                warnings.append(f"skipped {printable_path(dirpath)}: directory already visited "
                                "(symlink loop)")
                dirnames[:] = []
                continue
            seen.add((stat.st_dev, stat.st_ino))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(filenames):
                if filename.startswith("."):
                    continue
                path = Path(dirpath) / filename
                if path.suffix.lower() not in SUFFIXES:
                    continue
                if not path.is_file():
                    warnings.append(f"skipped {printable_path(path)}: a broken link, a symlink "
                                    "loop or not a regular file")
                    continue
                relative = path.relative_to(root)
                yield SourceFile(path, printable_path(relative.as_posix()),
                                 printable_path((resolved / relative).as_posix()))


def decode(data: bytes) -> str | None:
    """Decode bytes of unknown encoding to text, or None if they are not text
    (see ``policycorpus.sources.decoding``)."""
    return decode_bytes(data).text


def read_text(raw: str) -> SourceText:
    """Clean a decoded document: drop page chrome, find its title, byline, dateline and date."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    kept, dropped = strip_chrome(text)
    cleaned = "\n\n".join(kept).strip()
    title = find_title(kept)
    dateline = find_dateline(kept)
    return SourceText(
        text=cleaned,
        title=title,
        byline=find_byline(kept),
        published=find_date(kept) or (dateline.published if dateline else ""),
        dropped=dropped,
        dateline=dateline.place if dateline else "",
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
    footer that runs to the end of the page (when what follows is footer-sized,
    see ``_footer_sized``). Returns (kept, dropped).
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
        if action == "rest" and index > len(paragraphs) // 3 and _footer_sized(paragraphs[index:]):
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


FOOTER_MAX_WORDS = 1500
FOOTER_MAX_PROSE = 2  # paragraphs of PROSE_WORDS or more (an author bio or two)
PROSE_WORDS = 25


def _footer_sized(rest: list[str]) -> bool:
    """True when what follows a footer cue can be the page's footer: short, with at
    most a bio or two of prose. In a file of many articles (a dump) more articles
    follow, and the cue drops only its own line."""
    words = prose = 0
    for para in rest:
        count = len(para.split())
        words += count
        prose += count >= PROSE_WORDS
        if words > FOOTER_MAX_WORDS or prose > FOOTER_MAX_PROSE:
            return False
    return True


def find_title(paragraphs: list[str]) -> str:
    """The headline: the first paragraph of four to thirty words without a full stop end."""
    for para in paragraphs[:8]:
        words = para.split()
        if 4 <= len(words) <= 30 and not para.endswith((".", ":")) and not para.startswith("By "):
            return para
    return paragraphs[0] if paragraphs else ""
