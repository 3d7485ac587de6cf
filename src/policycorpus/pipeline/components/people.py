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

import re
from functools import cache

from spacy.tokens import Doc, Span

from policycorpus.pipeline.components.doctext import doc_text
from policycorpus.pipeline.gazetteer import Gazetteer
from policycorpus.resources import load_jsonl


@cache
def _lists() -> dict[str, frozenset[str]]:
    lists = {row["kind"]: frozenset(row["words"]) for row in load_jsonl("person_filters.jsonl")}
    lists["given"] = frozenset(n for row in load_jsonl("given_names.jsonl")
                               for n in row.get("given_names", ()))
    return lists


_CREDIT = re.compile(
    r"(?:\b(?:Photo|Photos|Photograph|Photographer|Image|Credit|Courtesy|Illustration)"
    r"(?:\s+by)?\s*[:/]\s*|\b[A-Z]{2,}(?:\s+Photo)?\s*/\s*|^\s*By\s+)"
    r"([A-Z][a-zA-Z'’.-]+(?:\s+[A-Z][a-zA-Z'’.-]+){1,2})(?=\s*(?:[/)|,\n]|$))",
    re.MULTILINE)
_LIST_GLUE = {",", "and", "&", ";", "the", "rev.", "dr.", "mr.", "ms.", "mrs."}


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
    _credited_names(doc, gaz, lists)
    _names_in_lists(doc, gaz, lists)
    _speakers(doc, gaz, lists, title_words)
    chrome, last_words = lists.get("chrome", frozenset()), lists.get("not_name_last", frozenset())
    headline, post = lists.get("headline_word", frozenset()), lists.get("post_nominal", frozenset())
    full_names = [e.text.split() for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2]
    post_titles: dict[int, str] = {}
    spans: list[Span] = []
    given = lists.get("given", frozenset())
    for ent in doc.ents:
        if ent.label_ == "ORG" and ent.id_ == "model":
            ent = _name_after_title(ent, title_words, gaz) or ent  # "First Selectman Ana Diaz"
        if ent.label_ in ("ORG", "LAW") and 2 <= len(ent) <= 3 and ent.start > 0 and \
                ent[0].text in given and doc[ent.start - 1].text[:1].isupper() and \
                doc[ent.start - 1].lower_.rstrip(".") in title_words and \
                all(t.is_alpha and t.text[:1].isupper() and not t.is_upper for t in ent):
            ent = Span(doc, ent.start, ent.end, label="PERSON", span_id="rule")  # "Judge Ana Post"
        if ent.label_ != "PERSON":
            spans.append(ent)
            continue
        start, end = ent.start, ent.end
        while end - start > 2 and doc[start].lower_.rstrip(".") in _STYLES | _HONORIFICS:
            start += 1  # "Rt Hon Ana Diaz", "Dr. Ana Diaz"
        while end - start > 1 and (_word(doc[end - 1].text) in chrome or doc[end - 1].is_punct):
            end -= 1
        if end - start > 1 and doc[end - 1].text in post:
            post_titles[doc[start].idx] = doc[end - 1].text
            end -= 1
        span = Span(doc, start, end, label="PERSON", kb_id=ent.kb_id_, span_id=ent.id_)
        verdict = _not_a_name(span, gaz, title_words, last_words, headline,
                              lists.get("given", frozenset()), full_names)
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


_STYLES = {"the", "rt", "right", "hon", "honourable", "honorable"}
_HONORIFICS = {"dr", "mr", "mrs", "ms", "mx", "rev", "prof", "sir", "dame"}
_BODY_HEADS = {"Division", "Department", "Office", "Bureau", "Agency", "Commission",
               "Board", "Council", "Committee", "Administration", "Service", "Services"}
_LAW_HEADS = {"Law", "Act", "Rule", "Bill", "Amendment", "Ordinance"}


def _name_after_title(ent: Span, title_words: set[str], gaz: Gazetteer) -> Span | None:
    """The name at the end of an organization span that is really a title and a
    name: "First Selectman Ana Diaz" -> "Ana Diaz"."""
    doc = ent.doc
    last_title = max((t.i for t in ent if t.lower_.rstrip(".") in title_words
                      and t.text[:1].isupper()), default=None)
    if last_title is None:
        return None
    name = doc[last_title + 1:ent.end]
    if not 2 <= len(name) <= 3 or not all(
            t.text[:1].isupper() and t.is_alpha and not t.is_upper and t.pos_ == "PROPN"
            for t in name) or gaz.place(name.text) is not None or gaz.lookup(name.text):
        return None
    return Span(doc, name.start, name.end, label="PERSON", span_id="rule")


def _credited_names(doc: Doc, gaz: Gazetteer, lists: dict[str, frozenset[str]]) -> None:
    """Photo credits and bylines name people: "(AP Photo/Ana Diaz)",
    "REUTERS/Ana Diaz", "Photo by Ana Diaz", a line "By Ana Diaz"."""
    added = []
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    for match in _CREDIT.finditer(doc_text(doc)):
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="contract")
        if span is None or not len(span) or not _name_like(span, gaz, lists):
            continue
        if any(i in taken for i in range(span.start, span.end)):
            owner = next(e for e in doc.ents if e.start <= span.start < e.end or
                         span.start <= e.start < span.end)
            if owner.label_ == "PERSON" or owner.start != span.start or owner.end != span.end \
                    or owner.kb_id_ or owner.id_ != "model":
                continue
        added.append(Span(doc, span.start, span.end, label="PERSON", span_id="rule"))
    if added:
        keep = [e for e in doc.ents if not any(a.start <= e.start < a.end for a in added)]
        doc.ents = sorted([*keep, *added], key=lambda e: e.start)


_SPEECH = {"said", "says", "told", "added", "noted", "explained", "wrote", "asked"}


def _speakers(doc: Doc, gaz: Gazetteer, lists: dict[str, frozenset[str]],
              title_words: set[str]) -> None:
    """A given name and a surname the model missed, where the sentence makes
    them a speaker or gives an appositive: "said Ana Ruiz", "Ana Ruiz said",
    "Ana Ruiz, the county's engineer,"."""
    given = lists.get("given", frozenset())
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    added = []
    for token in doc[:-1]:
        if token.text not in given or token.i in taken or token.pos_ != "PROPN":
            continue
        end = token.i + 1
        while end < len(doc) and end - token.i < 3 and doc[end].pos_ == "PROPN" and \
                doc[end].text[:1].isupper() and doc[end].is_alpha and end not in taken and \
                doc[end].lower_ not in title_words:
            end += 1
        if end - token.i < 2 or end in taken:
            continue
        span = doc[token.i:end]
        if gaz.place(span.text) or gaz.lookup(span.text) or not _name_like(span, gaz, lists):
            continue
        before = doc[token.i - 1].lower_ if token.i > 0 else ""
        after = doc[end].lower_ if end < len(doc) else ""
        after2 = doc[end + 1].lower_ if end + 1 < len(doc) else ""
        after_ok = after in ("", ",", ".", ";", ":", "who", "of", "in", "at", "on", ")") \
            or doc[end].is_punct
        if before in _SPEECH and after_ok or after in _SPEECH or before in (",", ":") and \
                after in (",", "and") or after == "," and (
                    after2 in ("the", "a", "an", "who") or after2 in _SPEECH
                    or after2 in title_words):
            added.append(Span(doc, span.start, span.end, label="PERSON", span_id="rule"))
            taken.update(range(span.start, span.end))
    if added:
        doc.ents = sorted([*doc.ents, *added], key=lambda e: e.start)


def _name_like(span: Span, gaz: Gazetteer, lists: dict[str, frozenset[str]]) -> bool:
    """Two to four capitalised words, initials allowed, naming no body."""
    words = span.text.split()
    if not 2 <= len(words) <= 4 or span.kb_id_ or gaz.lookup(span.text) or gaz.place(span.text):
        return False
    heads = gaz.government_words | gaz.organization_words | gaz.building_words | \
        lists.get("not_name_last", frozenset())
    if any(w.rstrip(",.") in heads for w in words):
        return False
    return all(w[:1].isupper() and (w.replace("-", "").replace("'", "").isalpha()
                                    or (len(w) <= 4 and w.endswith("."))) for w in words)


def _names_in_lists(doc: Doc, gaz: Gazetteer, lists: dict[str, frozenset[str]]) -> None:
    """A name the model read as an organization inside a list of people
    ("Ana Diaz, Tom Lee Park, Dee Ruiz"): a person, when a neighbour in the
    list is a person and the first word is a known given name or both
    neighbours are people."""
    ents = list(doc.ents)
    changed = False
    for k, ent in enumerate(ents):
        if ent.label_ not in ("ORG", "PLACE") or ent.id_ != "model" or \
                not _name_like(ent, gaz, lists):
            continue
        left = _list_neighbour(doc, ents, k, -1)
        right = _list_neighbour(doc, ents, k, 1)
        people = (left == "PERSON") + (right == "PERSON")
        given = ent.text.split()[0] in lists.get("given", frozenset())
        if ent.label_ == "PLACE" and (not given or gaz.place(ent.text + " County") is not None):
            continue  # "Costa Verde" of "Lake, Costa Verde and Pine counties"
        if people == 2 or (people == 1 and (given or "edge" in (left, right))):
            ents[k] = Span(doc, ent.start, ent.end, label="PERSON", span_id="rule")
            changed = True
    if changed:
        doc.ents = ents


def _list_neighbour(doc: Doc, ents: list[Span], k: int, step: int) -> str:
    """The label of the entity next to ``ents[k]`` in a list (joined only by
    commas, "and", honorifics), "edge" at a line's start or end, else ""."""
    ent = ents[k]
    if step < 0:
        i = ent.start - 1
        if i < 0 or "\n" in doc[i].text:
            return "edge"
        if doc[i].text != ",":
            return ""
        while i >= 0 and (doc[i].lower_ in _LIST_GLUE or doc[i].is_space):
            i -= 1
        other = next((e for e in ents if e.end == i + 1), None)
    else:
        i = ent.end
        if i >= len(doc) or "\n" in doc[i].text:
            return "edge"
        if doc[i].text != "," and doc[i].lower_ != "and":
            return ""
        while i < len(doc) and (doc[i].lower_ in _LIST_GLUE or doc[i].is_space):
            i += 1
        other = next((e for e in ents if e.start == i), None)
    return other.label_ if other is not None else ""


def _not_a_name(span: Span, gaz: Gazetteer, title_words: set[str], last_words: frozenset[str],
                headline: frozenset[str], given: frozenset[str], full_names: list[list[str]]) -> str:
    """"drop", "place" or "" (a name) for a person span."""
    words = [_word(t.text) for t in span if not t.is_punct or t.text in ("'s", "’s")]
    if not words:
        return "drop"
    if any(t.text in ("'s", "’s") for t in span[:-1]):
        return "drop"  # "Governor's Attempt", "Kari's Law"
    following = span.doc[span.end:span.end + 2]
    if len(following) == 2 and following[0].text in ("'s", "’s") and \
            following[1].text in _LAW_HEADS:
        return "drop"  # "Kari" of "Kari's Law"
    if len(words) >= 2 and (words[-1] in last_words or " ".join(words[-2:]) in last_words):
        return "drop"  # "Rescue Squad", "Civic Building", "Baker Lowe LLP"
    if len(words) >= 2 and any(w in headline for w in words[1:]):
        return "drop"  # "Mayor Vetoes Budget", "Court Throws Out"
    rest = list(words)
    for width in range(len(rest) - 1, 0, -1):  # "Yavapai County" + "Sheriff"
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
    named = {w for n in full_names for w in n}
    after = span.doc[span.end:span.end + 4]
    if len(words) == 1 and len(after) >= 2 and after[0].text == "." and after[1].like_num:
        return "drop"  # an abbreviation before a number: "Vol. 28"
    if len(words) == 1 and len(after) >= 3 and after[0].lower_ == "and" and \
            after[1].text[:1].isupper() and any(t.text in _BODY_HEADS for t in after[1:]):
        return "drop"  # the first word of "Parks and Recreation Division"
    letters = [c for c in words[0] if c.isalpha()]
    if len(words) == 1 and not words[0].isupper() and \
            sum(c.isupper() for c in letters) > sum(c.islower() for c in letters):
        return "drop"  # OCR debris: "IUtO"
    if len(words) == 1 and words[0] not in named and \
            (span.start == 0 or doc_prev_not_title(span, title_words)):
        place = gaz.place(words[0]) or _NOWHERE
        if place.kind in ("state", "country", "province", "city"):
            return "place"  # "Aurora", "Ohio": no one in the document is named so
        after = [t.lower_ for t in span.doc[span.end:span.end + 5]]
        if gaz.place(words[0] + " County") is not None and ("counties" in after or "county" in after):
            return "drop"  # "Elbert and Garfield counties"
    return ""


def doc_prev_not_title(span: Span, title_words: set[str]) -> bool:
    """True when the word before ``span`` is not a title of office."""
    prev = span.doc[span.start - 1]
    return prev.lower_.rstrip(".") not in title_words
