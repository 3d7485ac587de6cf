"""The one grammar of law citations: bill notations of every legislature,
ballot measures, council bills, statutes and codes, executive orders.

Everything that knows how a law is cited lives here (with the recognition
patterns of ``models/law_patterns.jsonl``), and every layer uses it:

- recognition (``components/recognize.py``): ``recognition_patterns()``;
- alias keys (``names.alias_key``): ``normalise()`` rewrites every spelling
  of a citation to one key ("Senate Bill 54", "S.B. 54", "SB-54" -> "sb 54";
  "HB23-1189", "House Bill 23-1189" -> "hb 23 1189");
- display (``names.law_display``): ``display()`` ("sb 21 131" -> "SB 21-131");
- law keys (``lawkeys``): ``citation()`` gives the family and key spelling.

Like eyecite's single citation module, a new notation is added here once and
is then recognised, keyed, displayed and grouped alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policycorpus.resources import load_jsonl

# -- notations --------------------------------------------------------------------------
# A bill's key is its chamber prefix and kind letter, a space and its number; a
# session-year number keeps both parts ("sb 21 131": Colorado's "SB 21-131").
_PREFIX = r"s|a|h|hj|sj|hc|sc|lb|ld|aca|sca|hr|intro"
_BILL_KEY = re.compile(rf"^({_PREFIX})([bfr]?) (\d+(?: \d+)?(?: ?[a-z])?)$")
_BILL_WORDS = re.compile(
    r"\b(senate|assembly|house|legislative|general|council)\s+"
    r"(bill|file|resolution|joint resolution|concurrent resolution)\b")
_STATE_QUESTION = re.compile(r"\b(?:state question|sq)\s+(?=\d)")
_INTRODUCTION = re.compile(r"\b(?:introduction|intro)\s+(?:no\s+)?(?=\d)")
_SPACED_INITIALS = re.compile(r"\b([a-z]) ([a-z])(?: ([a-z]))? (?=\d)")
_GLUED_NUMBER = re.compile(r"\b([a-z]{1,4})(\d+[a-z]?)\b")
_EXECUTIVE_ORDER = re.compile(
    r"\b(?:executive order|exec order|e o|eo)\s*(?:no\s+|number\s+)?(\d+(?: \d+)?)")
_SECTION = re.compile(r"\b(?:section|sec)\s+(?=\d)")
_PROPOSITION = re.compile(r"\b(?:proposition|prop)\s+(?=\d)")

_FAMILIES: list[tuple[str, re.Pattern[str]]] = [
    ("bill", _BILL_KEY),
    ("usc", re.compile(r"^(\d+) usc (?:section )?(\d+[a-z]?)((?: [a-z0-9]{1,3})*)$")),
    ("cfr", re.compile(r"^(\d+) cfr (?:section )?(\d+(?: \d+)?)$")),
    ("eo", re.compile(r"^eo (\d+(?: \d+)?)$")),
    ("prop", re.compile(r"^prop (\d+[a-z]?)$")),
    ("question", re.compile(r"^sq (\d+)$")),
    ("section", re.compile(r"^(?:section )?(\d+[a-z]?(?: \d+)*)((?: [a-z0-9]{1,3})*)$")),
    ("ordinance", re.compile(r"^(ordinance|resolution) (?:no )?(\d[\d ]*)$")),
    ("measure", re.compile(r"^measure ([a-z]{1,2}|\d{1,3})$")),
    ("directive", re.compile(r"^directive (\d+(?: \d+)*)$")),
]
FEDERAL_FAMILIES = frozenset({"usc", "cfr", "eo"})
LOCAL_FAMILIES = frozenset({"ordinance", "measure", "directive"})
STATE_FAMILIES = frozenset({"bill", "prop", "question"})


def normalise(key: str) -> str:
    """Rewrite the citations inside an already folded, punctuation-free key to
    their one spelling ("senate bill 54" -> "sb 54", "executive order no 9" -> "eo 9")."""
    s = _BILL_WORDS.sub(lambda m: "".join(w[0] for w in m.group(0).split()), key)
    s = _STATE_QUESTION.sub("sq ", s)
    s = _INTRODUCTION.sub("intro ", s)
    s = re.sub(r"\bu s c\b", "usc", s)
    s = re.sub(r"\bc f r\b", "cfr", s)
    s = _SPACED_INITIALS.sub(lambda m: "".join(g for g in m.groups() if g) + " ", s)
    s = _GLUED_NUMBER.sub(r"\1 \2", s)
    s = _EXECUTIVE_ORDER.sub(r"eo \1", s)
    s = _PROPOSITION.sub("prop ", s)
    s = _SECTION.sub("section ", s)
    return " ".join(s.split())


def citation(surface: str) -> tuple[str, str]:
    """The (family, key spelling) of a cited number ("S.B. 54" -> ("bill", "SB 54"),
    "HB23-1189" -> ("bill", "HB 23-1189")), or ("", "") for a title."""
    from policycorpus.names import alias_key

    key = alias_key(surface)
    for family, pattern in _FAMILIES:
        match = pattern.match(key)
        if not match:
            continue
        if family == "bill":
            number = match.group(3).upper().replace(" ", "-")
            return family, f"{(match.group(1) + match.group(2)).upper()} {number}"
        if family == "usc":
            subs = "".join(f"({s})" for s in match.group(3).split())
            return family, f"{match.group(1)} USC {match.group(2)}{subs}"
        if family == "cfr":
            return family, f"{match.group(1)} CFR {match.group(2).replace(' ', '.')}"
        if family == "eo":
            return family, f"EO {match.group(1).replace(' ', '-')}"
        if family == "prop":
            return family, f"Prop {match.group(1).upper()}"
        if family == "question":
            return family, f"SQ {match.group(1)}"
        if family == "section":
            if not re.search(r"\d", surface) or not re.search(r"(?i)\bsec|§|\(", surface):
                continue
            subs = "".join(f"({s})" for s in match.group(2).split())
            return family, f"Sec {match.group(1).replace(' ', '.')}{subs}"
        if family == "ordinance":
            return family, f"{match.group(1).title()} {match.group(2).replace(' ', '-')}"
        if family == "measure":
            return family, f"Measure {match.group(1).upper()}"
        if family == "directive":
            return family, f"Directive {match.group(1).replace(' ', '.')}"
    return "", ""


_DISPLAY_RULES: list[tuple[re.Pattern[str], str]] = [
    (_BILL_KEY, "bill"),
    (re.compile(r"^section (\d+[a-z]?(?: \d+)*)((?: [a-z0-9]{1,3})*)$"), "section"),
    (re.compile(r"^(\d+[a-z]?)((?: [a-z]){1,2})$"), "subsection"),
    (re.compile(r"^(\d+) usc (?:section )?(\d+[a-z]?)((?: [a-z0-9]{1,3})*)$"), "usc"),
    (re.compile(r"^eo (\d+(?: \d+)?)$"), "eo"),
    (re.compile(r"^prop (\d+[a-z]?)$"), "prop"),
    (re.compile(r"^sq (\d+)$"), "question"),
    (re.compile(r"^directive (\d+(?: \d+)*)$"), "directive"),
]


def display(surface: str) -> str:
    """The canonical spelling of a cited law ("S.B. 54" -> "SB 54",
    "287(g)" -> "Section 287(g)", "Executive Order No. 13768" -> "Executive Order 13768",
    "SQ 820" -> "State Question 820"); other surfaces come back tidied but unchanged."""
    from policycorpus.names import alias_key

    key = alias_key(surface)
    for pattern, family in _DISPLAY_RULES:
        match = pattern.match(key)
        if not match:
            continue
        if family == "bill":
            if match.group(1) == "intro":
                return f"Intro. {match.group(3).upper().replace(' ', '-')}"
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
            return f"Executive Order {match.group(1).replace(' ', '-')}"
        if family == "prop":
            return f"Proposition {match.group(1).upper()}"
        if family == "question":
            return f"State Question {match.group(1)}"
        if family == "directive":
            return f"Directive {match.group(1).replace(' ', '.')}"
    return " ".join(surface.split())


# -- recognition --------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """A recognition pattern of ``models/law_patterns.jsonl``."""

    id: str
    family: str
    regex: re.Pattern[str]


def recognition_patterns() -> list[Pattern]:
    """The citation patterns the recogniser runs over a document's text."""
    return [Pattern(row["id"], row["family"], re.compile(row["pattern"]))
            for row in load_jsonl("law_patterns.jsonl") if "pattern" in row]


def named_instrument() -> tuple[frozenset[str], int]:
    """Head words of named instruments ("the X Act", "the Y Ordinance") and the
    longest run of words before the head."""
    row = next((r for r in load_jsonl("law_patterns.jsonl") if r["family"] == "named"), {})
    return frozenset(row.get("heads", ())), int(row.get("max_words", 12))
