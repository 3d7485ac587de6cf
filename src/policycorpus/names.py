"""Normalised lookup keys for names, shared by the pipeline, the store and queries.

``alias_key`` folds case, accents, a leading "the", a trailing possessive and
punctuation, and rewrites the citation families of laws to one spelling
(``lawgrammar.normalise``), so that "SB-54", "S.B. 54", "SB54" and "Senate
Bill 54" share the key "sb 54".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from policycorpus.lawgrammar import display, normalise


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
    return normalise(" ".join(s.split()))


def law_display(surface: str) -> str:
    """The canonical spelling of a cited law (``lawgrammar.display``)."""
    return display(surface)
