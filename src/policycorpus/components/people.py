"""Person spans that are not people, cleaned before titles are read.

Run by ``policycorpus_officials`` on ``doc.ents`` first thing. The base model
reads many capitalised runs as persons; these checks drop or trim the ones a
reader would not take for a name:

- byline and share chrome glued to a name ("Ana Diaz Follow", "Ana Diaz
  Staff Writer"): the chrome words are trimmed off;
- post-nominal titles ("Ana Diaz MP"): trimmed, and kept as a title for the
  officials component;
- names of bodies, buildings, documents and headline fragments ("Response
  Team", "Mayor Vetoes", "Governor's Attempt", "Lee Signs Bills"): dropped;
- a run of surnames of people named in full elsewhere ("Diaz Lee Park"):
  dropped, the surnames are found again by the linker;
- a lone word that is a known place ("Aurora") and follows no title: a place.

Word lists live in ``models/person_filters.jsonl``.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Doc, Span

from policycorpus.gazetteer import Gazetteer
from policycorpus.resources import load_jsonl


@cache
def _lists() -> dict[str, frozenset[str]]:
    return {row["kind"]: frozenset(row["words"]) for row in load_jsonl("person_filters.jsonl")}


_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


class _Nowhere:
    kind = ""


_NOWHERE = _Nowhere()


def _word(text: str) -> str:
    return text.replace("’", "'").strip(".,:;|-–—")


def clean_people(doc: Doc, gaz: Gazetteer, title_words: set[str]) -> dict[int, str]:
    """Trim or drop person spans that are not names; returns the post-nominal
    titles found after names, keyed by the name's start character."""
    lists = _lists()
    chrome, last_words = lists.get("chrome", frozenset()), lists.get("not_name_last", frozenset())
    headline, post = lists.get("headline_word", frozenset()), lists.get("post_nominal", frozenset())
    full_names = [e.text.split() for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2]
    post_titles: dict[int, str] = {}
    spans: list[Span] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            spans.append(ent)
            continue
        start, end = ent.start, ent.end
        while end - start > 1 and (_word(doc[end - 1].text) in chrome or doc[end - 1].is_punct):
            end -= 1
        if end - start > 1 and doc[end - 1].text in post:
            post_titles[doc[start].idx] = doc[end - 1].text
            end -= 1
        span = Span(doc, start, end, label="PERSON", kb_id=ent.kb_id_, span_id=ent.id_)
        verdict = _not_a_name(span, gaz, title_words, last_words, headline, full_names)
        if verdict == "drop":
            continue
        if verdict == "place":
            place = gaz.place(span.text)
            spans.append(Span(doc, start, end, label="PLACE", kb_id=place.name if place else "",
                              span_id="rule"))
            continue
        spans.append(span)
    doc.ents = spans
    return post_titles


def _not_a_name(span: Span, gaz: Gazetteer, title_words: set[str], last_words: frozenset[str],
                headline: frozenset[str], full_names: list[list[str]]) -> str:
    """"drop", "place" or "" (a name) for a person span."""
    words = [_word(t.text) for t in span if not t.is_punct or t.text in ("'s", "’s")]
    if not words:
        return "drop"
    if any(t.text in ("'s", "’s") for t in span[:-1]):
        return "drop"  # "Governor's Attempt", "Kari's Law"
    if len(words) >= 2 and (words[-1] in last_words or " ".join(words[-2:]) in last_words):
        return "drop"  # "Response Team", "Annex Building", "Dechert LLP"
    if len(words) >= 2 and any(w in headline for w in words[1:]):
        return "drop"  # "Mayor Vetoes Budget", "Strikes Down"
    rest = list(words)
    for width in range(len(rest) - 1, 0, -1):  # "Graham County" + "Sheriff"
        if gaz.place(" ".join(rest[:width])) is not None:
            rest = rest[width:]
            break
    if all(w.lower().rstrip(".") in title_words for w in rest):
        return "drop"
    others = [n for n in full_names if n != words]
    other_surnames = {n[-1] for n in others}
    if len(words) >= 2 and words[0] in other_surnames and \
            not any(n[0] == words[0] for n in others):
        return "drop"  # "Diaz Lee Park", "Diaz Signs Bills": a surname and more
    surnames = {w for n in full_names for w in n[1:] if w.lower() not in _SUFFIXES}
    if len(words) == 1 and span.start > 0 and words[0] not in surnames and \
            (gaz.place(words[0]) or _NOWHERE).kind in ("state", "country", "province") and \
            doc_prev_not_title(span, title_words):
        return "place"
    return ""


def doc_prev_not_title(span: Span, title_words: set[str]) -> bool:
    """True when the word before ``span`` is not a title of office."""
    prev = span.doc[span.start - 1]
    return prev.lower_.rstrip(".") not in title_words
