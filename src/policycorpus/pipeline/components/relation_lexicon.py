"""The word families of ``policycorpus_relations``, loaded from
``models/law_actions.jsonl`` (triggers, references, roll-call labels) and
``models/gazetteer/titles.jsonl`` (titles of office for "the governor")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from policycorpus.pipeline.gazetteer import Gazetteer
from policycorpus.resources import load_jsonl

DATA = "law_actions.jsonl"


@dataclass(frozen=True)
class Trigger:
    """One family of trigger words of ``models/law_actions.jsonl``."""

    id: str
    kind: str  # verb, noun, vote
    relation: str
    people: str | None = None  # relation when the subject is a person ("" drops it)
    bodies: str | None = None  # relation when the subject is an agency or organization
    people_only: bool = False
    courts_only: bool = False


@dataclass(frozen=True)
class Lexicon:
    """The trigger families and word lists the component reads."""

    verbs: dict[str, Trigger]
    nouns: dict[str, Trigger]
    votes: frozenset[str]
    prep_verbs: dict[str, tuple[str, str, frozenset[str], frozenset[str]]]  # against, for rels
    mandates: frozenset[str]
    stance: frozenset[str]
    blockers: frozenset[str]
    law_references: frozenset[str]
    person_references: frozenset[str]
    court_words: frozenset[str]
    bare_references: frozenset[str]
    stance_relations: dict[str, str]  # positive / negative / court -> relation
    legislature_words: frozenset[str]
    weak_references: frozenset[str]  # resolved only within their paragraph
    quote_positive: frozenset[str]  # words of praise in a quotation about a law
    quote_negative: frozenset[str]  # words of criticism
    rollcall: tuple[tuple[tuple[str, ...], str], ...]
    proxies: frozenset[str] = frozenset()  # "the mayor's spokesman" speaks for the mayor
    tasks: frozenset[str] = frozenset()  # "the agency's work to implement" (done, not planned)
    motions: frozenset[str] = frozenset()  # "Motion carried 4-1" in minutes
    motion_outcomes: frozenset[str] = frozenset()
    deliberative_words: frozenset[str] = frozenset()  # bodies that vote on measures
    grants: frozenset[str] = frozenset()  # "SB 4 gives the agency authority to ..."
    powers: frozenset[str] = frozenset()


@cache
def lexicon() -> Lexicon:
    """Load ``models/law_actions.jsonl`` once."""
    verbs: dict[str, Trigger] = {}
    nouns: dict[str, Trigger] = {}
    lists: dict[str, set[str]] = {}
    votes: set[str] = set()
    prep_verbs: dict[str, tuple[str, str, frozenset[str], frozenset[str]]] = {}
    rollcall: list[tuple[tuple[str, ...], str]] = []
    stance: dict[str, str] = {}
    for row in load_jsonl(DATA):
        kind = row["kind"]
        forms = [f.lower() for f in row["forms"]]
        if kind in ("verb", "noun"):
            trigger = Trigger(row["id"], kind, row["relation"], row.get("people"),
                              row.get("bodies"), bool(row.get("people_only")),
                              bool(row.get("courts_only")))
            target = verbs if kind == "verb" else nouns
            for form in forms:
                target.setdefault(form, trigger)
        elif kind == "prep_verb":  # "voted against", "came out in favor of"
            if row["for_relation"] == "vote_for":
                votes.update(forms)
            entry = (row["against_relation"], row["for_relation"],
                     frozenset(row.get("against", ())), frozenset(row.get("for", ())))
            for form in forms:
                prep_verbs.setdefault(form, entry)
        elif kind == "rollcall":
            rollcall.extend((tuple(f.split()), row["relation"]) for f in forms)
        else:
            lists.setdefault(kind, set()).update(forms)
            if kind == "stance":
                stance.update({k: row[k] for k in ("positive", "negative", "court") if k in row})
    rollcall.sort(key=lambda r: -len(r[0]))
    return Lexicon(verbs, nouns, frozenset(votes), prep_verbs,
                   frozenset(lists.get("mandate", ())),
                   frozenset(lists.get("stance", ())), frozenset(lists.get("blocker", ())),
                   frozenset(lists.get("law_reference", ())),
                   frozenset(lists.get("person_reference", ())),
                   frozenset(lists.get("court_words", ())),
                   frozenset(lists.get("law_reference_bare", ())), stance,
                   frozenset(lists.get("legislature_words", ())),
                   frozenset(lists.get("law_reference_weak", ())),
                   frozenset(lists.get("quote_positive", ())),
                   frozenset(lists.get("quote_negative", ())), tuple(rollcall),
                   frozenset(lists.get("proxy", ())), frozenset(lists.get("task", ())),
                   frozenset(lists.get("motion", ())), frozenset(lists.get("motion_carried", ())),
                   frozenset(lists.get("deliberative_words", ())),
                   frozenset(lists.get("grant", ())), frozenset(lists.get("power", ())))


def title_word(word: str) -> str:
    """A word of a title, compared without case, final period or curly apostrophe."""
    return word.lower().rstrip(".").replace("’", "'")


@cache
def title_names() -> dict[str, str]:
    """Each form of a title of office (``models/gazetteer/titles.jsonl``), by its
    last word ("gov" and "governor" are "governor"), for "the governor said"."""
    out: dict[str, str] = {}
    for title in Gazetteer.load().titles:
        for form in (*title.forms, *title.plural):
            words = form.split()
            if words:
                out.setdefault(title_word(words[-1]), title.title.lower())
    return out
