"""``policycorpus_officials``: find titles of office and attach them to people.

A person is an official when the text gives them a title of office, in any of
the forms news uses:

- before the name, with the body or jurisdiction in front
  ("El Cajon Mayor Bill Wells", "Acting ICE Director Thomas Homan",
  "Alameda County Sheriff's Office spokesman Sgt. Ray Kelly");
- distributed over a coordination ("Sens. Dianne Feinstein and Kamala Harris");
- as an appositive after it ("Bill Wells, the mayor of El Cajon").

Titles come from ``models/gazetteer/titles.jsonl``. A governmental title (mayor,
sheriff, senator) makes an official by itself; a generic one (director,
spokesman, chief) needs a government body in its phrase or a capitalised
title before the name. Bodies named inside a title ("House", "state Senate",
"Oakland police", "San Rafael Police Chief") become agency mentions.

Results go to ``Doc._`` extensions (``pipeline/extensions.py``): ``pc_roles``
maps a person span's start character to a ``TitleRole`` (title and body as
stated); ``pc_implied`` lists the agency and place mentions titles imply
(``ImpliedMention``); ``pc_state`` is the US state the text is about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from policycorpus.pipeline.gazetteer import Gazetteer, Title
from policycorpus.pipeline.bodynames import supported_body_name
from policycorpus.pipeline.components.doctext import doc_text
from policycorpus.pipeline.components.people import clean_people
from policycorpus.pipeline.extensions import ImpliedMention, TitleRole
from policycorpus.resources import load_jsonl

_PREPOSITIONS = ("of", "for", "at", "in", "with", "from", "on")
_DETERMINERS = ("a", "an", "the")
_CAPITALS_LINE = re.compile(r"^[ \t]*([A-Z][A-Z'’-]+(?:[ \t]+[A-Z][A-Z'’.-]*){1,3})[ \t]*$",
                            re.MULTILINE)
_GAP_TAG = re.compile(r"\b[RDI]\s*[-–—]\s*[A-Z][\w.]*")
_SPEECH_VERBS = {"said", "says", "told", "added", "noted", "asked", "wrote", "argued",
                 "responded", "replied", "stated", "explained", "tweeted", "posted"}
_COURTESY = {"dr", "mr", "mrs", "ms", "mx", "rev", "prof"}
_GOVERNMENTS = {"government", "administration", "cabinet", "ministry"}
_JUDGE_MARKS = {"J.", "C.J.", "JJ.", "P.J.", "J.A."}
_SEATS = {"dist", "district", "ward", "precinct", "seat", "place", "zone", "division"}
_STYLES = {"the", "rt", "right", "hon", "honourable", "honorable", "his", "her", "excellency"}
_POST_NOMINALS = {"MP", "MLA", "MPP", "MHA", "MNA", "MSP", "QC", "KC"}


@dataclass
class Element:
    """One piece of a title phrase: a title, a modifier, a body or an entity."""

    kind: str  # "title", "modifier", "party", "body", "entity"
    start: int
    end: int
    title: Title | None = None
    span: Span | None = None
    body: str = ""


class OfficialFinder:
    """The ``policycorpus_officials`` component (see the module docstring)."""

    def __init__(self, nlp: Language) -> None:
        self.gaz = Gazetteer.load()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.titles: dict[str, Title] = {}
        self.plural_forms: set[str] = set()
        for title in self.gaz.titles:
            for form in (*title.forms, *title.plural, *title.compound, *title.compound_plural):
                key = form.lower()
                self.titles.setdefault(key, title)
                # tokenise the form as written: "Gov." is one token, "gov." two
                self.matcher.add(key, [nlp.make_doc(form)])
            self.plural_forms.update(f.lower() for f in (*title.plural, *title.compound_plural))
        mods = {row["kind"]: set(row["words"]) for row in load_jsonl("title_modifiers.jsonl")}
        self.modifiers = mods.get("rank", set()) | mods.get("level", set())
        self.parties = mods.get("party", set())
        self.portfolios = mods.get("portfolio", set())
        self.bodies = {body.lower(): row for body, row in self.gaz.title_bodies.items()}
        self.honorifics = {w.lower() for w in mods.get("honorific", set())}
        self.title_words = {w.lower().rstrip(".") for t in self.gaz.titles
                            for f in (*t.forms, *t.plural) for w in f.split()}

    def __call__(self, doc: Doc) -> Doc:
        post_titles = clean_people(doc, self.gaz, self.title_words)
        title_at_end: dict[int, list[tuple[int, Title]]] = {}
        title_at_start: dict[int, tuple[int, Title]] = {}
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            title = self.titles[key]
            title_at_end.setdefault(end, []).append((start, title))
            best_start = title_at_start.get(start)
            if best_start is None or end > best_start[0]:
                title_at_start[start] = (end, title)
        self._uppercase_letterheads(doc, title_at_start)
        ents_by_end = {ent.end: ent for ent in doc.ents}
        ent_of_token = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        state = _document_state(doc, self.gaz)
        roles: dict[int, TitleRole] = {}
        implied: list[ImpliedMention] = []
        previous: tuple[Span, TitleRole, bool] | None = None
        listed: list[tuple[Span, TitleRole]] = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            elements = self._left(doc, ent.start, title_at_end, ents_by_end, ent_of_token)
            before_name = bool(elements)
            if not elements:
                elements = self._appositive(doc, ent.end, title_at_start, ent_of_token)
            if not elements:
                elements = self._before_comma(doc, ent, title_at_end, ents_by_end, ent_of_token)
            if not elements:
                elements = self._title_line_after(doc, ent, title_at_start)
                before_name = bool(elements)  # a capitalised title line reads as one before
            role = self._role(doc, elements, state, implied, before_name, ent) \
                if elements else None
            if role is None and ent.start_char in post_titles:  # "Ana Diaz MP"
                role = TitleRole(post_titles[ent.start_char])
            inherited = False
            if role is None and previous is not None and previous[2] and \
                    self._list_gap(doc[previous[0].end:ent.start]):
                role, inherited = previous[1], True
            if role is None:
                role = self._including(doc, ent, title_at_end, ents_by_end)
                inherited = role is not None
            if role is None:
                role = self._members_of(doc, ent, ents_by_end)
                inherited = role is not None
            if role is None:
                role = self._counsel(doc, ent, ent_of_token)
            if role is None and ent.end + 1 < len(doc) and doc[ent.end].text == "," and \
                    doc[ent.end + 1].text in _JUDGE_MARKS:
                role = TitleRole(doc[ent.end + 1].text)  # "Diaz, J."
            if role is not None and (inherited or any(
                    e.kind == "title" and doc[e.start:e.end].text.lower() in self.plural_forms
                    for e in elements or [])):
                listed.append((ent, role))
            if role is not None:
                roles[ent.start_char] = role
                plural = inherited or any(e.kind == "title" and doc[e.start:e.end].text.lower()
                                          in self.plural_forms for e in elements or [])
                previous = (ent, role, plural)
            else:
                previous = None
        self._title_after_list(doc, roles, title_at_start)
        self._parallel_lists(doc, roles, listed)
        self._heads_of_government(doc, roles)
        doc._.pc_roles = roles
        doc._.pc_implied = implied
        doc._.pc_state = state
        return doc

    # -- title phrases ----------------------------------------------------------------

    def _left(self, doc: Doc, start: int, title_at_end: dict, ents_by_end: dict,
              ent_of_token: dict) -> list[Element]:
        """Elements of a title phrase ending right before token ``start``."""
        elements: list[Element] = []
        j = start
        while j > 0:
            token = doc[j - 1]
            if not elements and not title_at_end.get(j) and j - 1 > 0 and (
                    token.lower_.rstrip(".") in _COURTESY | _STYLES - {"the"} or
                    token.lower_ == "the" and doc[j].lower_.rstrip(".") in _STYLES):
                j -= 1  # "Superintendent Dr. Ana Diaz", "Senator the Hon Ana Diaz"
                continue
            if not elements and token.text == "\n" and title_at_end.get(j - 1):
                j -= 1  # a title ending the line above the name: "Field Director\nAna Diaz"
                continue
            if "\n" in token.text:
                break
            if elements and elements[-1].kind == "title" and token.lower_ in self.modifiers \
                    and title_at_end.get(j) and all(h[0] == j - 1 for h in title_at_end[j]):
                elements.append(Element("modifier", j - 1, j))  # "Deputy" Police Chief
                j -= 1
                continue
            if not elements and not title_at_end.get(j):
                skipped = self._and_phrase(doc, j, title_at_end)
                if skipped is not None:  # "former senator and civil rights icon Ana Diaz"
                    j = skipped
                    continue
                phrase = self._title_of_phrase(doc, j, title_at_end)
                if phrase is not None:  # "Secretary of Labor Ana Diaz"
                    elements.append(phrase)
                    j = phrase.start
                    continue
            # the longest title ending here that does not start inside another name
            # ("San Rafael Police" + "Chief", not "Police Chief")
            hits = sorted(title_at_end.get(j, []), key=lambda h: h[0])
            hit = next((h for h in hits if h[0] not in ent_of_token
                        or ent_of_token[h[0]].label_ == "PERSON"
                        or ent_of_token[h[0]].start == h[0] and ent_of_token[h[0]].end <= j), None)
            if hit is not None:
                elements.append(Element("title", hit[0], j, title=hit[1]))
                j = hit[0]
                continue
            shared = self._title_sharing_a_place(hits, ent_of_token, j) if not elements else None
            if shared is not None:  # "King County" + "County Executive"
                (start, title), place = shared
                elements.append(Element("title", start, j, title=title))
                elements.append(Element("entity", place.start, place.end, span=place))
                j = place.start
                continue
            ent = ents_by_end.get(j)
            if ent is not None and ent.label_ in ("AGENCY", "ORG", "PLACE"):
                if not elements:
                    break
                if ent.text.lower() in self.bodies and not ent.kb_id_:
                    elements.append(Element("body", ent.start, ent.end, body=ent.text))
                    j = ent.start
                    continue
                elements.append(Element("entity", ent.start, ent.end, span=ent))
                j = ent.start
                continue
            place = self._place_before(doc, j, ent_of_token) if elements else None
            if place is not None:  # a jurisdiction the model did not tag: "El Cajon Mayor"
                elements.append(Element("entity", place.start, place.end, span=place))
                j = place.start
                continue
            body = self._body_before(doc, j)
            if body is not None and elements:
                elements.append(body)
                j = body.start
                continue
            if elements and token.like_num and j >= 2:
                k = j - 2 if doc[j - 2].text != "." or j < 3 else j - 3
                if doc[k].lower_.rstrip(".") in _SEATS:
                    elements.append(Element("seat", k, j))  # "Dist. 4" board member
                    j = k
                    continue
            word = token.lower_.rstrip(".")
            if word in self.parties and elements:
                elements.append(Element("party", j - 1, j))
                j -= 1
                continue
            if elements and (token.lower_ in self.modifiers or
                             token.text in self.portfolios and j - 1 not in ent_of_token):
                elements.append(Element("modifier", j - 1, j))  # "Health Secretary"
                j -= 1
                continue
            break
        if not elements or elements[0].kind != "title":
            return []
        elements.reverse()
        while elements and elements[0].kind in ("modifier", "party") and \
                elements[0].start > 0 and doc[elements[0].start].is_lower and \
                doc[elements[0].start].lower_ not in self.modifiers:
            elements.pop(0)
        return elements

    def _title_after_list(self, doc: Doc, roles: dict[int, TitleRole],
                          title_at_start: dict) -> None:
        """"Before: A, B and C, Circuit Judges": a list of names closed by a plural
        title gives each name the singular title."""
        persons = [e for e in doc.ents if e.label_ == "PERSON"]
        run: list[Span] = []
        for k, ent in enumerate(persons):
            if run and not self._list_gap(doc[run[-1].end:ent.start]):
                run = []
            run.append(ent)
            following = persons[k + 1] if k + 1 < len(persons) else None
            if following is not None and self._list_gap(doc[ent.end:following.start]):
                continue
            i = ent.end
            if len(run) >= 2 and i + 1 < len(doc) and doc[i].text == ",":
                hit = title_at_start.get(i + 1)
                if hit is not None and doc[i + 1:hit[0]].text.lower() in self.plural_forms:
                    title = self._singular(doc[i + 1:hit[0]].text, hit[1])
                    for member in run:
                        roles.setdefault(member.start_char, TitleRole(title))
            run = []

    @staticmethod
    def _parallel_lists(doc: Doc, roles: dict[int, TitleRole],
                        listed: list[tuple[Span, TitleRole]]) -> None:
        """"Commissioners A, B and C voted yes, while D and E voted no": a second
        list of names, subject of the same verb in the same sentence as a list
        that a plural title opened, shares its title."""
        def verb_of(span: Span) -> Token | None:
            token = span.root
            while token.dep_ in ("conj", "appos") and token.head.i != token.i:
                token = token.head
            return token.head if token.dep_ in ("nsubj", "nsubjpass") else None

        verbs = {}
        for ent, role in listed:
            verb = verb_of(ent)
            if verb is not None:
                verbs[(ent.sent.start, verb.lower_)] = role
        # "Justice A dissented, and B dissented in part": one titled subject of a
        # verb repeated in a clause joined to it
        clauses = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON" and ent.start_char in roles and roles[ent.start_char].title:
                verb = verb_of(ent)
                if verb is not None:
                    clauses.setdefault((ent.sent.start, verb.lower_), (verb, roles[ent.start_char]))
        for ent in doc.ents:
            if ent.label_ != "PERSON" or ent.start_char in roles:
                continue
            verb = verb_of(ent)
            if verb is None:
                continue
            role = verbs.get((ent.sent.start, verb.lower_))
            conjoined = ent.root.dep_ == "conj" or any(c.dep_ == "conj" for c in ent.root.children)
            if role is not None and conjoined:
                roles[ent.start_char] = role
                continue
            other = clauses.get((ent.sent.start, verb.lower_))
            bare = ent.start == 0 or doc[ent.start - 1].pos_ not in ("NOUN", "ADJ", "PROPN")
            if other is not None and other[0] is not verb and bare and \
                    "conj" in (verb.dep_, other[0].dep_) and verb.lower_ not in _SPEECH_VERBS:
                roles[ent.start_char] = other[1]  # not "..., and resident B said"

    @staticmethod
    def _heads_of_government(doc: Doc, roles: dict[int, TitleRole]) -> None:
        """"Ana Diaz's Liberal government", "the Diaz administration" is led by
        Ana Diaz: an official (the text states no title)."""
        for ent in doc.ents:
            if ent.label_ != "PERSON" or ent.start_char in roles or ent.end + 1 >= len(doc) \
                    or doc[ent.end].text not in ("'s", "’s"):
                continue
            for token in doc[ent.end + 1:ent.end + 4]:
                if token.lower_ in _GOVERNMENTS:
                    roles[ent.start_char] = TitleRole("")
                    break
                if not (token.is_alpha and token.text[:1].isupper()):
                    break

    def _counsel(self, doc: Doc, ent: Span, ent_of_token: dict) -> TitleRole | None:
        """A counsel list in a court filing: "Ana Diaz, Tom Lee, U.S. Department of
        Justice, Washington, DC, for ...": names followed, through commas and other
        names only, by a government body are government lawyers (a private
        firm's lawyers stay persons)."""
        if ent.end >= len(doc) or doc[ent.end].text != ",":
            return None
        i, segments = ent.end + 1, 0
        while i < len(doc) and segments < 12:
            end = i
            while end < len(doc) and doc[end].text not in (",", ";") and end - i <= 10 \
                    and "\n\n" not in doc[end].text:
                end += 1
            if end == i or end - i > 10:
                return None
            segment = doc[i:end]
            other = ent_of_token.get(i)
            if other is not None and other.start == i and other.end == end and \
                    other.label_ == "PERSON" or \
                    segment.text.rstrip(".").upper() in ("II", "III", "IV", "JR", "SR"):
                segments += 1
                i = end + 1
                continue
            agency = other is not None and other.label_ == "AGENCY" and other.start == i
            text = segment.text.replace("’", "'")
            words = set(text.split())
            if agency or words & self.gaz.government_words or \
                    any(p in text for p in self.gaz.government_phrases):
                org = other.kb_id_ or other.text if agency and other is not None else text
                return TitleRole("", " ".join(org.split()))
            return None
        return None

    @staticmethod
    def _and_phrase(doc: Doc, j: int, title_at_end: dict) -> int | None:
        """Where a title ends before "and" + up to three lowercase words that end
        right before token ``j`` ("congresswoman and shooting survivor")."""
        i = j
        while i > 0 and j - i < 3 and doc[i - 1].is_lower and doc[i - 1].is_alpha \
                and doc[i - 1].lower_ != "and":
            i -= 1
        if i == j or i < 2 or doc[i - 1].lower_ != "and" or not title_at_end.get(i - 1):
            return None
        return i - 1

    def _title_of_phrase(self, doc: Doc, j: int, title_at_end: dict) -> Element | None:
        """"TITLE of|for [the] Capitalised Words" right before a name: "Secretary of
        Labor Ana Diaz", "U.S. Attorney for the Western District of Ohio Ana Diaz"."""
        if j == 0 or not doc[j - 1].text[:1].isupper():
            return None
        i = j - 1
        while i > 0 and j - i <= 9:
            token = doc[i]
            if "\n" in token.text or token.is_punct and token.text not in (".", "'s", "’s"):
                return None
            if token.lower_ in ("of", "for") and i > 0:
                hits = [h for h in title_at_end.get(i, []) if h[1].governmental
                        or doc[h[0]].text[:1].isupper()]
                if hits:
                    start, title = min(hits, key=lambda h: h[0])
                    return Element("title", start, j, title=title)
            if not (token.text[:1].isupper() or token.lower_ in ("the", "of", "and", "for")):
                return None
            i -= 1
        return None

    def _list_gap(self, gap: Span) -> bool:
        """Do the tokens between two names continue a list ("A, B and the Rev. C",
        "A (12th); B (19th) and C")?"""
        if not 0 < len(gap) <= 10 or any("\n\n" in t.text for t in gap):
            return False
        depth = inside = 0
        tags = {i for m in _GAP_TAG.finditer(gap.text)
                for i in range(gap.start, gap.end)
                if m.start() <= gap.doc[i].idx - gap.start_char < m.end()}
        for token in gap:
            if token.i in tags:  # "Sens. A, D-Ill., and B": a party-district tag
                continue
            if token.text == "(":
                depth += 1
                continue
            if token.text == ")":
                depth -= 1
                continue
            if depth > 0:
                inside += 1
                if inside > 4 or token.pos_ == "VERB":
                    return False
                continue
            if token.lower_ not in ("and", ",", "&", ";", "the", "as", "well", "plus") \
                    and token.lower_ not in self.honorifics and not token.is_space:
                return False
        return depth == 0

    def _including(self, doc: Doc, ent: Span, title_at_end: dict, ents_by_end: dict
                   ) -> TitleRole | None:
        """"sheriffs, including Yavapai County's Ana Diaz": a plural title, then
        "including" or "such as", then a name (the body's possessive before it
        is the role's organisation)."""
        j, org = ent.start, ""
        if j >= 2 and doc[j - 1].text in ("'s", "’s") and (j - 1) in ents_by_end:
            body = ents_by_end[j - 1]
            org, j = body.kb_id_ or body.text, body.start
        if j > 0 and doc[j - 1].text == ",":
            j -= 1
        if j >= 2 and doc[j - 2].lower_ == "such" and doc[j - 1].lower_ == "as":
            j -= 2
        elif j >= 1 and doc[j - 1].lower_ in ("including", "includes", "like"):
            j -= 1
        else:
            return None
        if j > 0 and doc[j - 1].text == ",":
            j -= 1
        hit = next((h for h in title_at_end.get(j, []) if doc[h[0]:j].text.lower()
                    in self.plural_forms), None)
        if hit is None or not hit[1].governmental:
            return None
        return TitleRole(self._singular(doc[hit[0]:j].text, hit[1]), org)

    def _uppercase_letterheads(self, doc: Doc, title_at_start: dict) -> None:
        """A name in capitals alone on its line with a title on one of the next
        two lines ("ANA M. DIAZ" / "Governor"), which the model does not read
        as a name: a person."""
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        added: list[Span] = []
        for match in _CAPITALS_LINE.finditer(doc_text(doc)):
            words = doc.char_span(match.start(1), match.end(1), alignment_mode="contract")
            if words is None or not 2 <= len(words) <= 4 or any(t.i in taken for t in words) or \
                    not all(t.text.isupper() and (t.is_alpha or len(t.text) == 2 and
                                                 t.text.endswith(".")) for t in words) or \
                    any(t.lower_ in self.title_words for t in words):
                continue
            span = Span(doc, words.start, words.end, label="PERSON", span_id="letterhead")
            if self._title_line_after(doc, span, title_at_start):
                added.append(span)
        if added:
            doc.ents = sorted([*doc.ents, *added], key=lambda e: e.start)

    def _members_of(self, doc: Doc, ent: Span, ents_by_end: dict) -> TitleRole | None:
        """"three members of the House, Ana Diaz, ...", "Board members present: Ana
        Diaz, ...": the members of a government body listed after it."""
        j = ent.start
        while j > 3 and ent.start - j < 25 and doc[j - 1].text not in (":",) and not (
                doc[j - 1].text == "," and doc[j - 2].ent_type_ not in ("PERSON", "")):
            token = doc[j - 1]
            if not (token.text in (",", "and") or token.text[:1].isupper() and
                    (token.is_alpha or token.text.endswith("."))):
                return None  # earlier names of the same list: "..., Ana Diaz, Tom Lee"
            j -= 1
        if j < 3 or doc[j - 1].text not in (",", ":"):
            return None
        j -= 1
        if doc[j - 1].lower_ == "present":
            j -= 1
        body = ents_by_end.get(j)
        if body is not None and (body.label_ == "AGENCY" or body.text.lower() in self.bodies):
            k = body.start
            if k > 0 and doc[k - 1].lower_ == "the":
                k -= 1
            if k >= 2 and doc[k - 1].lower_ == "of" and doc[k - 2].lower_ in ("members", "member"):
                return TitleRole("member", body.kb_id_ or body.text)
            return None
        word = doc[j - 1].text.replace("’", "'")
        if doc[j - 1].lower_ == "of" or j < 2:
            return None
        if word in self.bodies or word.lower() in self.bodies:
            if doc[j - 2].lower_ == "the" and j >= 4 and doc[j - 3].lower_ == "of" and \
                    doc[j - 4].lower_ in ("members", "member"):
                return TitleRole("member", word)
        return None

    def _title_line_after(self, doc: Doc, ent: Span, title_at_start: dict) -> list[Element]:
        """A letterhead or signature block: a name alone on its line, and a title
        opening one of the next two lines ("ANA M. DIAZ" / "Governor")."""
        k = ent.start
        while k > 0 and (doc[k - 1].lower_.rstrip(".") in _STYLES
                         or doc[k - 1].lower_ in self.honorifics):
            k -= 1  # "The Rt Hon Ana Diaz MP"
        end = ent.end
        if end < len(doc) and doc[end].text in _POST_NOMINALS:
            end += 1
        before = doc[k - 1].text if k > 0 else "\n"
        if "\n" not in before or end >= len(doc) or "\n" not in doc[end].text:
            return []
        i, lines = end, 0
        while i < len(doc) and lines < 2:
            while i < len(doc) and doc[i].is_space:
                i += 1
            if i >= len(doc):
                break
            hit = title_at_start.get(i)
            if hit is not None:
                end = hit[0]
                line_end = next((t.i for t in doc[i:] if "\n" in t.text), len(doc))
                if line_end - i <= 12:
                    return [Element("title", i, end, title=hit[1])]
            while i < len(doc) and "\n" not in doc[i].text:
                i += 1
            lines += 1
        return []

    @staticmethod
    def _chamber(doc: Doc, elements: list[Element], person: Span | None, state: str) -> str:
        """"state" or "federal" when the public records place the titled person
        in the document's state's legislature or in Congress, else ""."""
        if person is None or len(person) < 2 or any(
                doc[e.start].lower_ in ("u.s.", "us", "federal", "congressional")
                for e in elements if e.kind in ("modifier", "title")):
            return ""
        from policycorpus.pipeline.officeholders import OfficeHolders, state_code

        code = state_code(state)
        title = " ".join(doc[e.start:e.end].text for e in elements if e.kind == "title")
        found = OfficeHolders.load().confirm(person.text, title, {code} if code else set())
        if found is None:
            return ""
        return "federal" if found.role.startswith("U.S.") else "state"

    def _singular(self, text: str, title: Title) -> str:
        """The singular of a plural title as written ("Senators" -> "Senator",
        "Sens." -> "Sen.", "Aldermen" -> "Alderman", "Attorneys General" ->
        "Attorney General"); other titles unchanged."""
        if text.lower() not in self.plural_forms:
            return text
        forms = {f.lower(): f for f in (*title.forms, *title.compound)}
        words = text.split()
        for i, word in enumerate(words):
            for old, new in (("men", "man"), ("women", "woman"), ("persons", "person"),
                             ("ies", "y"), ("s.", "."), ("s", "")):
                if word.lower().endswith(old):
                    guess = " ".join([*words[:i], word[:-len(old)] + new, *words[i + 1:]])
                    if guess.lower() in forms:
                        return guess
        return title.title

    @staticmethod
    def _title_sharing_a_place(hits: list, ent_of_token: dict, j: int
                               ) -> tuple[tuple[int, Title], Span] | None:
        """A title whose first word ends a place name before it: "County Executive"
        after "King County", "City Attorney" after "San Francisco City"."""
        for start, title in hits:
            place = ent_of_token.get(start)
            if place is not None and place.label_ == "PLACE" and place.start < start \
                    and place.end <= j and place.end - 1 == start:
                return (start, title), place
        return None

    def _place_prefix(self, span: Span) -> tuple[int, int, str] | None:
        return _place_prefix_of(self.gaz, span)

    def _place_before(self, doc: Doc, j: int, ent_of_token: dict) -> Span | None:
        """A known place of one to three capitalised words ending right before ``j``."""
        for width in (3, 2, 1):
            if j - width < 0 or any(i in ent_of_token for i in range(j - width, j)):
                continue
            words = doc[j - width:j]
            if not all(t.text[:1].isupper() for t in words):
                continue
            place = self.gaz.place(words.text)
            if place is not None:
                return Span(doc, j - width, j, label="PLACE", kb_id=place.name)
        return None

    def _body_before(self, doc: Doc, j: int) -> Element | None:
        for width in (3, 2, 1):
            if j - width < 0:
                continue
            text = doc[j - width:j].text.replace("’", "'")
            row = self.bodies.get(text.lower())
            if row is not None:
                return Element("body", j - width, j, body=text)
        return None

    def _appositive(self, doc: Doc, end: int, title_at_start: dict,
                    ent_of_token: dict) -> list[Element]:
        """"NAME, [the] [mods] TITLE [of|for ORG]" after a person."""
        if end >= len(doc) or doc[end].text != ",":
            return []
        i = end + 1
        if i < len(doc) and doc[i].lower_ in _DETERMINERS:
            i += 1
        elements: list[Element] = []
        skipped = 0
        while i < len(doc) and len(elements) < 6:
            hit = title_at_start.get(i)
            if hit is not None:
                elements.append(Element("title", i, hit[0], title=hit[1]))
                i = hit[0]
                continue
            ent = ent_of_token.get(i)
            if ent is not None and ent.start == i and ent.label_ in ("AGENCY", "ORG", "PLACE"):
                elements.append(Element("entity", ent.start, ent.end, span=ent))
                i = ent.end
                continue
            if doc[i].lower_ in self.modifiers or doc[i].lower_ in self.parties:
                elements.append(Element("modifier", i, i + 1))
                i += 1
                continue
            if (doc[i].lower_ in _PREPOSITIONS or doc[i].lower_ in ("'s", "’s", "the")) \
                    and any(e.kind == "title" for e in elements):
                i += 1
                continue
            if not any(e.kind == "title" for e in elements) and skipped < 2 and \
                    doc[i].is_alpha and doc[i].is_lower:
                skipped += 1  # nouns inside the title: "the former field office director"
                i += 1
                continue
            break
        if not any(e.kind == "title" for e in elements):
            return []
        tail = 0
        while i < len(doc) and tail < 2 and doc[i].is_lower and doc[i].pos_ == "NOUN" \
                and elements[-1].kind == "entity":
            tail += 1  # "for ICE's Denver office"
            i += 1
        if i < len(doc) and not (doc[i].is_punct or doc[i].is_space
                                 or doc[i].lower_ in ("said", "says", "who", "and")):
            return []
        return elements

    def _before_comma(self, doc: Doc, ent: Span, title_at_end: dict, ents_by_end: dict,
                      ent_of_token: dict) -> list[Element]:
        """"[a] TITLE for BODY, NAME," and "[the] BODY TITLE, NAME,": the title
        phrase set off by commas before the name."""
        if ent.start < 3 or doc[ent.start - 1].text != "," or ent.end >= len(doc) \
                or doc[ent.end].text != ",":
            return []
        comma = ent.start - 1
        body = ents_by_end.get(comma)
        if body is None or body.label_ not in ("AGENCY", "ORG", "PLACE"):
            return self._left(doc, comma, title_at_end, ents_by_end, ent_of_token)
        k = body.start
        if k > 0 and doc[k - 1].lower_ in _DETERMINERS:
            k -= 1
        if k < 2 or doc[k - 1].lower_ not in _PREPOSITIONS or not title_at_end.get(k - 1):
            return []
        start, title = min(title_at_end[k - 1], key=lambda h: h[0])
        # the body first, so the role as stated is the title alone
        return [Element("entity", body.start, body.end, span=body),
                Element("title", start, k - 1, title=title)]

    def _role(self, doc: Doc, elements: list[Element], state: str,
              implied: list[ImpliedMention], before_name: bool,
              person: Span | None = None) -> TitleRole | None:
        """Turn a title phrase into a role, or None if it is not an office."""
        titles = [e for e in elements if e.kind == "title" and e.title is not None]
        if not titles:
            return None
        implied_before = len(implied)
        entities = [e.span for e in elements if e.kind == "entity" and e.span is not None]
        bodies = [e for e in elements if e.kind == "body"]
        government = any(s.label_ == "AGENCY" or s.label_ == "ORG" and
                         self.gaz.lookup(s[0].text, ("agency",)) for s in entities) \
            or bool(bodies) or any(e.kind == "seat" for e in elements)
        governmental = any(t.title.governmental for t in titles if t.title)
        nearest = titles[-1]
        capitalised_before_name = before_name and doc[nearest.start].text[:1].isupper()
        other_org = any(s.label_ == "ORG" and not self.gaz.lookup(s[0].text, ("agency",))
                        and (len(s) > 1 and s[-1].text not in ("'s", "’s")
                             or self.gaz.lookup(s.text, ("organization",)))
                        for s in entities)
        if not (governmental or government or (capitalised_before_name and not other_org)):
            return None
        place = next((s for s in entities if s.label_ == "PLACE"), None)
        level_state = state
        if place is not None and self.gaz.state_of(place.kb_id_ or place.text) == (place.kb_id_ or place.text):
            level_state = place.kb_id_ or place.text
        is_state = any(e.kind == "modifier" and doc[e.start].lower_ == "state" for e in elements) \
            or (place is not None and level_state == (place.kb_id_ or place.text))
        for body in bodies:
            row = self.bodies[body.body.lower()]
            template = None
            if row.get("local") and place is not None:
                template = str(row["local"]).replace("{place}", place.kb_id_ or place.text)
                start = place.start
            elif row.get("state") and level_state and (is_state or self._chamber(
                    doc, elements, person, level_state) == "state"):
                # "Senate leader Ana Diaz", whom the records know as a member of
                # the document's state's legislature, leads that state's Senate
                template = str(row["state"]).replace("{state}", level_state)
                start = body.start
            elif row.get("federal") and not is_state:
                template = str(row["federal"])
                start = body.start
            if template:
                implied.append(ImpliedMention(
                    doc[start].idx, doc[body.end - 1].idx + len(doc[body.end - 1]), template,
                    "agency", f"title_bodies#{row['body']}"))
        for span in entities:
            if span.label_ == "AGENCY":
                prefix = self._place_prefix(span)
                if prefix is not None:
                    implied.append(ImpliedMention(*prefix, "place", "rule#agency-place-prefix"))
        for element in titles:
            if element.title and element.title.agency and place is not None and not entities[1:] \
                    and not any(s.label_ == "AGENCY" for s in entities):
                name = element.title.agency.replace("{place}", place.kb_id_ or place.text)
                # the body is named by the title's first words: "Medford Police" of
                # "Medford Police Chief"; a one-word title names it alone ("Sheriff");
                # in an appositive the place comes after it ("the sheriff of Fresno")
                last = doc[element.end - 2] if element.end - element.start > 1 else \
                    doc[element.end - 1]
                title_end = last.idx + len(last)
                surface = doc.text[place.start_char:title_end] if place.start_char < \
                    doc[element.start].idx else f"{place.kb_id_ or place.text} {element.title.title}"
                name = supported_body_name(doc.text, surface, name)  # no invented names
                implied.append(ImpliedMention(min(place.start_char, doc[element.start].idx),
                                              max(place.end_char, title_end), name, "agency",
                                              f"titles#{element.title.title}"))
        # the role as stated: from the first modifier or title, parties left out,
        # consecutive titles joined with "; ", up to the last title: what follows it ("of El Cajon") is the org, and
        # words skipped inside the phrase ("field office" director) are kept
        first = next(i for i, e in enumerate(elements) if e.kind in ("title", "modifier"))
        last = max(i for i, e in enumerate(elements) if e.kind == "title")
        parts: list[str] = []
        previous_kind = ""
        previous_end: int | None = None
        for element in elements[first:last + 1]:
            if previous_end is not None and element.start > previous_end:
                parts.append(" " + doc[previous_end:element.start].text)
            previous_end = element.end
            if element.kind == "party":
                continue
            text = doc[element.start:element.end].text
            if element.kind == "title" and element.title is not None:
                text = self._singular(text, element.title)  # "Sens. A and B": each a "Sen."
            if element.kind == "title" and previous_kind == "title":
                parts.append("; " + text)
            else:
                parts.append((" " if parts else "") + text)
            previous_kind = element.kind
        title_text = "".join(parts).strip()
        org_span = next((s for s in entities if s.label_ == "AGENCY"), None) or place
        org = (org_span.kb_id_ or org_span.text) if org_span is not None else ""
        if not org and len(implied) > implied_before:
            org = implied[-1].name  # a body this title implies ("Oakland police spokeswoman")
        return TitleRole(title_text, org)


def _place_prefix_of(gaz: Gazetteer, span: Span) -> tuple[int, int, str] | None:
    """The place that opens an agency's name ("Alameda County" Sheriff's Office)."""
    for width in range(len(span) - 1, 0, -1):
        head = span[:width]
        place = gaz.place(head.text)
        if place is not None and head.text[:1].isupper():
            return head.start_char, head.end_char, place.name
    return None


def _document_state(doc: Doc, gaz: Gazetteer) -> str:
    """The US state a document is mostly about, from the states among its places."""
    counts: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ == "PLACE":
            name = ent.kb_id_ or ent.text
            state = gaz.state_of(name)
            if state:
                counts[state] += 2 if state == name else 1
    return counts.most_common(1)[0][0] if counts else ""


@Language.factory("policycorpus_officials",
                  assigns=["doc._.pc_roles", "doc._.pc_implied", "doc._.pc_state"],
                  requires=["doc.ents"])
def make_official_finder(nlp: Language, name: str) -> OfficialFinder:
    """Factory of the ``policycorpus_officials`` component."""
    return OfficialFinder(nlp)
