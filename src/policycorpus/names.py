"""Normalised lookup keys for names, shared by the pipeline, the store and queries.

``alias_key`` folds case, accents, a leading "the", a trailing possessive and
punctuation, and rewrites the citation families of laws to one spelling, so
that "SB-54", "S.B. 54", "SB54" and "Senate Bill 54" share the key "sb 54".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_BILL_WORDS = re.compile(
    r"\b(senate|assembly|house|legislative|general)\s+(bill|file|resolution|joint resolution)\b"
)
_SPACED_INITIALS = re.compile(r"\b([a-z]) ([a-z])(?: ([a-z]))? (?=\d)")
_GLUED_NUMBER = re.compile(r"\b([a-z]{1,4})(\d+[a-z]?)\b")
_EXECUTIVE_ORDER = re.compile(r"\b(?:executive order|exec order|e o|eo)\s*(?:no\s+|number\s+)?(\d+)")
_SECTION = re.compile(r"\b(?:section|sec)\s+(?=\d)")
_PROPOSITION = re.compile(r"\b(?:proposition|prop)\s+(?=\d)")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents and typographic quotes."""
    s = unicodedata.normalize("NFKD", text or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return s.replace("\u2019", "'").replace("\u2018", "'")


def alias_key(text: str) -> str:
    """Return the normalised key under which a surface form is looked up."""
    # Names recur across documents: memoise short strings (never whole texts).
    return _cached_key(text) if len(text) <= 200 else _key(text)


@lru_cache(maxsize=1 << 16)
def _cached_key(text: str) -> str:
    return _key(text)


def _key(text: str) -> str:
    s = fold(text).strip()
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"'s?$", "", s)
    s = s.replace("§", " section ")
    s = re.sub(r"\((\w{1,3})\)", r" \1 ", s)  # 287(g) -> 287 g
    s = re.sub(r"[^\w\s]", " ", s)
    s = " ".join(s.split())
    s = _BILL_WORDS.sub(lambda m: "".join(w[0] for w in m.group(0).split()), s)
    s = re.sub(r"\bu s c\b", "usc", s)
    s = re.sub(r"\bc f r\b", "cfr", s)
    s = _SPACED_INITIALS.sub(lambda m: "".join(g for g in m.groups() if g) + " ", s)
    s = _GLUED_NUMBER.sub(r"\1 \2", s)
    s = _EXECUTIVE_ORDER.sub(r"eo \1", s)
    s = _PROPOSITION.sub("prop ", s)
    s = _SECTION.sub("section ", s)
    return " ".join(s.split())


_DISPLAY_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(s|a|h|hj|sj|hc|sc|lb|ld|aca|sca|hr)([bfr]?) (\d+(?: \d+)?[a-z]?)$"), "bill"),
    (re.compile(r"^section (\d+[a-z]?(?: \d+)*)((?: [a-z0-9]{1,3})*)$"), "section"),
    (re.compile(r"^(\d+[a-z]?)((?: [a-z]){1,2})$"), "subsection"),
    (re.compile(r"^(\d+) usc (?:section )?(\d+[a-z]?)((?: [a-z0-9]{1,3})*)$"), "usc"),
    (re.compile(r"^eo (\d+)$"), "eo"),
    (re.compile(r"^prop (\d+[a-z]?)$"), "prop"),
]


def law_display(surface: str) -> str:
    """The canonical spelling of a cited law ("S.B. 54" -> "SB 54",
    "287(g)" -> "Section 287(g)", "Executive Order No. 13768" -> "Executive Order 13768").

    Surfaces outside the citation families are returned tidied but unchanged.
    """
    key = alias_key(surface)
    for pattern, family in _DISPLAY_RULES:
        match = pattern.match(key)
        if not match:
            continue
        if family == "bill":
            number = match.group(3).upper().replace(" ", "-")  # Colorado's "SB 21-131"
            return f"{(match.group(1) + match.group(2)).upper()} {number}"
        if family in ("section", "subsection"):
            number, subs = match.group(1), match.group(2).split()
            number = number.replace(" ", ".")
            return "Section " + number + "".join(f"({s})" for s in subs)
        if family == "usc":
            subs = match.group(3).split()
            return f"{match.group(1)} U.S.C. {match.group(2)}" + "".join(f"({s})" for s in subs)
        if family == "eo":
            return f"Executive Order {match.group(1)}"
        if family == "prop":
            return f"Proposition {match.group(1).upper()}"
    return " ".join(surface.split())
