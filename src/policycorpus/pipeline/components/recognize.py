"""``policycorpus_entities``: turn the base model's entities into ours and add
what rules know better.

It runs after the statistical ``ner`` and sets ``doc.ents`` to spans labelled
PERSON, AGENCY, ORG, LAW or PLACE, each with its canonical name (when known)
in ``kb_id_`` and the step that produced it in ``id_``:

1. the model's entities, relabelled through ``LABELS`` and trimmed of
   determiners, possessives and title words;
2. gazetteer matches (known agencies, organizations, laws, states, countries);
3. law citation families (bill numbers, code sections, executive orders,
   named acts) from ``models/law_patterns.jsonl``;
4. acronyms the text defines ("Immigration and Customs Enforcement (ICE)");
5. government bodies told apart from other organizations by their head words.

Overlaps are resolved longest first, rules before the model on ties. For
provenance, ``doc._.pc_origins`` maps each span's start character to a
``SpanOrigin``: its end character, the base model's own label for that text
or "", the id of the rule in ``models/`` that made or relabelled it or "".
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from policycorpus.pipeline.components.doctext import doc_key, doc_text
from policycorpus.pipeline.extensions import SpanOrigin
from policycorpus.pipeline.gazetteer import Gazetteer, Known
from policycorpus.pipeline.jurisdictions import agency_jurisdiction
from policycorpus.lawgrammar import display as law_display
from policycorpus.lawgrammar import named_instrument, recognition_patterns
from policycorpus.names import alias_key
from policycorpus.resources import load_jsonl

# The one mapping from spaCy's labels to ours (None: not an entity here).
LABELS: dict[str, str | None] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "ORG",
    "LAW": "LAW",
}
TYPE_OF_LABEL = {"PERSON": "person", "ORG": "organization", "AGENCY": "agency",
                 "LAW": "law", "PLACE": "place"}
LABEL_OF_TYPE = {"agency": "AGENCY", "organization": "ORG", "law": "LAW", "place": "PLACE"}

_CALL_LETTERS = re.compile(r"[KW][A-Z]{3}(?:-(?:TV|FM|AM))?")
_NAME = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
_OUTLET = r"(?:The )?[A-Z][\w&.'’-]*(?:[ ][A-Z&][\w&.'’-]*){0,5}"
_CREDIT = re.compile(
    rf"(?:\((?:Photo by |Photo: )?|\bCredit: |\bPhoto: |\bPhoto by |(?<=[.!?] )|^)"
    rf"(?:(?P<agency_first>{_OUTLET}) Photos?/(?P<after>{_NAME})|(?P<caps>[A-Z]{{3,}})/(?P<named>{_NAME})"
    rf"|(?P<person>{_NAME})/(?P<outlet>{_OUTLET}))(?=\)|[ \t]*\n|[ \t]*$|/)", re.M)
_DEPT = re.compile(r"\bDept\.?(?=\s|$)")
_GLUED = re.compile(r"([A-Z][a-z]{3,})([A-Z][A-Za-z]{2,})")  # "CourtAna": a label and its value
_COLON_CREDIT = re.compile(rf"\((?P<first>{_OUTLET}): (?:(?P<second>{_OUTLET}): )?(?P<name>{_NAME})\)")
_DETENTION = re.compile(r"\b(?:Detention (?:Center|Facility)|Jail|Correctional (?:Center|Facility)|"
                        r"Prison|Penitentiary)$")
_ORG_NOUNS = {"group", "organization", "organisation", "nonprofit", "non-profit", "coalition",
              "company", "firm", "network", "alliance", "association", "union", "charity",
              "newspaper", "outlet", "station", "publication", "startup", "corporation", "lab",
              "think", "institute"}
_AGENCY_NOUNS = {"agency", "department", "regulator", "ministry", "commission", "authority"}
_NAME_SUFFIXES = {"Jr.", "Sr.", "Jr", "Sr", "II", "III", "IV"}
_COMPANY_SUFFIXES = {"Inc.", "Inc", "LLC", "LLP", "L.L.C.", "Ltd.", "Corp.", "Co."}
_BROADCAST = re.compile(r"[A-Z]{2,5} \d{1,2}")  # "NBC 7", "FOX 5"
_LEADING_FUNCTION_WORDS = {"the", "a", "an", "of", "and", "for", "on", "to", "in", "under",
                           "by", "with", "this", "that", "its", "their", "his", "her", "our",
                           "&", "after", "before", "since"}
_VERB_TAGS = {"VB", "VBP", "VBZ", "VBD", "VBG"}
_LAW_NOUNS = {"Code", "Constitution", "Bill", "Statute", "Statutes", "Regulation", "Regulations",
              "Rule", "Rules", "Treaty", "Charter", "Resolution", "Order", "Clause", "Amendment"}
# Words that open a body's generic name after a place: "Colorado" + "District Court".
_BODY_OPENERS = {"City", "County", "State", "District", "Superior", "Supreme", "Circuit",
                 "Municipal", "Police", "Public", "School", "Metro", "Metropolitan", "Department",
                 "Board", "Office", "Bureau", "Division", "Commission", "Council", "Sheriff's",
                 "Sheriff’s", "Attorney", "Court", "Highway", "Housing", "Transit", "Water",
                 "Election", "Elections", "Planning", "Health", "Legislature", "General"}
# Heads of bodies whose name goes on with "of"/"for" + a place or a subject.
_OF_HEADS = {"Office", "Department", "Bureau", "Division", "Court", "Council", "Board",
             "Commission", "Circuit", "Agency", "Authority", "Ministry"}
_CITY_OF = re.compile(r"(City|Town|Village|Borough|County|Township) of ([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})")
_PLACE_WORDS = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}"
_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,2})"
                       r"(?:,\s(?P<state>[A-Z][A-Za-z.]+(?: [A-Z][a-z]+)?))?"
                       r"(?:\s\([A-Z][\w-]*\))?\s?[–—-]", re.M)
_PLACE_STATE = re.compile(rf"\b(?P<place>{_PLACE_WORDS}),\s(?P<state>[A-Z][a-z]+\.?"
                          r"(?: [A-Z][a-z]+)?)(?=[\s,.;:)])")
_PARTY_DISTRICT = re.compile(rf"\b[RDI]-(?P<place>{_PLACE_WORDS})\b")
_IN_PLACE = re.compile(rf"\b(?:in|near|outside|from)\s(?P<place>{_PLACE_WORDS})\b(?!\s(?:of|for)\b)")
_COUNTIES = re.compile(rf"(?P<names>{_PLACE_WORDS}(?:,\s{_PLACE_WORDS})*,?\s(?:and|&)\s"
                       rf"{_PLACE_WORDS})\s[Cc]ounties\b")
_DIRECTIONS = {"Northern", "Southern", "Eastern", "Western", "Middle", "Central", "N.D.",
               "S.D.", "E.D.", "W.D.", "M.D.", "C.D."}
# Names that end like a plan or program: laws (optional unless made by statute).
_PLAN_HEADS = {"Program", "Plan", "Code", "Codes", "Guidelines", "Regulations", "Rules"}
# Words of a body's generic name: "Police Department", "Sheriff's Office", "City Council".
_GENERIC_BODY_WORDS = {"Police", "Department", "Sheriff's", "Sheriff", "Office", "City",
                       "County", "Council", "Board", "Commission", "Court", "District",
                       "Superior", "Municipal", "Circuit", "Town", "of", "Supervisors",
                       "Commissioners", "Education", "Attorney's", "Attorney", "Fire", "School"}
# Words that name a legislative chamber, and which chamber.
_CHAMBERS = {"House": "lower", "Senate": "upper", "Assembly": "lower", "General": "legislature",
             "Legislature": "legislature"}
_FEDERAL_CHAMBERS = {"upper": "U.S. Senate", "lower": "U.S. House of Representatives"}
_FEDERAL_CUES = re.compile(r"\b(?:Congress|congressional|Capitol Hill|U\.S\. (?:House|Senate)|"
                           r"Congressman|Congresswoman|U\.S\. Rep\.|U\.S\. Sen\.)")
_PLURAL_HEADS = {"Sheriffs", "Courts", "Prosecutors", "Troopers", "Marshals", "Supervisors"}
_POSSESSIVE_BODY_TITLES = {"sheriff", "attorney", "governor", "mayor", "controller", "treasurer",
                           "clerk", "assessor", "recorder", "auditor", "comptroller", "general"}
# Words that are title words but also open a body's name: "City Council", "State Board".
_HEAD_PREFIXES = {"city", "county", "state", "town", "village", "district", "police", "school"}
PRIORITY = {"model": 0, "gazetteer": 2, "acronym": 2, "law-pattern": 3, "rule": 1}


@dataclass
class Candidate:
    """A proposed entity span before overlaps are resolved."""

    start: int
    end: int
    label: str
    canonical: str = ""
    source: str = "model"
    rule_id: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading determiners and trailing possessives or punctuation."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct
                           or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'", "’") or doc[end - 1].is_punct
                           or doc[end - 1].is_space):
        end -= 1
    return start, end


class EntityRecognizer:
    """The ``policycorpus_entities`` component (see the module docstring)."""

    def __init__(self, nlp: Language) -> None:
        self.gaz = Gazetteer.load()
        self.title_words = {
            w.lower().rstrip(".") for t in self.gaz.titles for f in t.forms for w in f.split()
        } | {w.lower().rstrip(".") for t in self.gaz.titles for f in t.plural for w in f.split()}
        self.title_forms = {f for t in self.gaz.titles for f in t.forms}
        self._single_titles = sorted({f.lower() for f in self.title_forms
                                      if " " not in f and len(f) >= 5 and f.isalpha()})
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        for surface in self.gaz.case_sensitive:
            self.exact.add(surface, [nlp.make_doc(surface)])
        for key in self.gaz.by_key:
            self.folded.add(key, [nlp.make_doc(key)])
        for surface in self.gaz.places_exact:
            self.exact.add(surface, [nlp.make_doc(surface)])
        for known in set(self.gaz.places.values()):
            if known.kind in ("state", "country", "region", "city"):
                for surface in (known.name, *known.aliases):
                    if surface not in self.gaz.places_exact:
                        self.exact.add(surface, [nlp.make_doc(surface)])
        self.law_patterns = [(p.id, p.family, p.regex) for p in recognition_patterns()]
        self._long_keys: list[str] | None = None
        self._lower_words: set[str] = set()
        self._word_set: set[str] = set()
        self._words: list[str] = []
        self.legislatures = {row["state"]: row for row in load_jsonl("state_legislatures.jsonl")
                             if "state" in row}
        self.named_heads, self.named_max = named_instrument()

    # -- candidates ---------------------------------------------------------------

    def _model(self, doc: Doc) -> list[Candidate]:
        out = []
        for ent in doc.ents:
            label = LABELS.get(ent.label_)
            if label is None:
                continue
            pieces = [(ent.start, ent.end)]
            slashes = [t.i for t in ent if t.text == "/"]
            if slashes:  # photo credits: "Name/Outlet/Wire"
                bounds = [ent.start, *slashes, ent.end]
                pieces = [(bounds[i] + (i > 0), bounds[i + 1]) for i in range(len(bounds) - 1)]
            for start, end in pieces:
                start, end = _trim(doc, start, end)
                rule_id = ""
                if label in ("ORG", "PLACE"):
                    start = self._with_place_prefix(doc, start, end)
                if label == "PLACE" and end - start > 1 and end < len(doc) and \
                        rule_id != "rule#place-of-title" and \
                        doc[end - 1].text in ("City", "County") and \
                        f"{doc[end - 1].text} {doc[end].text}" in self.title_forms and \
                        self.gaz.place(doc[start:end - 1].text) is not None:
                    end -= 1  # "San Francisco" + "City Attorney"
                if label == "PERSON":
                    while start < end and doc[start].lower_.rstrip(".") in self.title_words:
                        start += 1
                    if any(t.text in ("\n", "\n\n") or "\n" in t.text for t in doc[start:end]):
                        continue
                    cut = end
                    while cut - start > 1 and doc[cut - 1].lower_.rstrip(".") in self.title_words \
                            and self.gaz.place(doc[start:cut].text) is None:
                        cut -= 1
                    whole = self.gaz.place(doc[start:end].text)
                    if whole is not None and whole.kind in ("county", "state"):
                        label, rule_id = "PLACE", "rule#place-of-title"  # "Cochise County"
                    elif cut < end and self.gaz.place(doc[start:cut].text) is not None:
                        # "Graham County Sheriff" read as a person: the place of a title
                        end, label, rule_id = cut, "PLACE", "rule#place-of-title"
                if label == "ORG" and doc[start].text[:1].isupper() and \
                        doc[start].lower_.rstrip(".") in self.title_words and \
                        2 <= end - start - 1 <= 3 and \
                        all(self._name_word(t) for t in doc[start + 1:end]):
                    # "Councilwoman Candi CdeBaca"
                    start, label, rule_id = start + 1, "PERSON", "rule#title-before-name"
                if end <= start:
                    continue
                text = doc[start:end].text
                if ent.label_ == "FAC" and not self._government_name(text):
                    continue
                if label != "PERSON" and self.gaz.is_building(text) or \
                        (label == "PLACE" and self.gaz.is_demonym(text)):
                    continue
                if label in ("ORG", "PLACE") and end + 1 < len(doc) and (
                        doc[end].ent_type_ == "PERSON"
                        or self._name_word(doc[end]) and self._name_word(doc[end + 1])):
                    # "Cook County Sheriff" + "Tom Dart": the title belongs to the person;
                    # trimming stops once what is left is a place ("King County" Executive)
                    while end - start > 1 and doc[end - 1].lower_.rstrip(".") in self.title_words \
                            and self.gaz.place(doc[start:end].text) is None:
                        end -= 1
                    text = doc[start:end].text
                if label == "PERSON" and end - start == 1 and start > 0 and \
                        doc[start - 1].lower_ in ("of", "in", "at", "from", "to", "near") and \
                        self.gaz.place(text) is not None:
                    label, rule_id = "PLACE", "rule#place-after-preposition"  # "the mayor of Aurora"
                if label != "PERSON" and all(w.lower().rstrip(".") in self.title_words
                                             for w in text.split()) and not (
                        text.split()[-1] in self.gaz.government_words
                        and text not in self.title_forms and len(text.split()) > 1):
                    continue  # a title, not a name ("City Council" is a body's name)
                if label == "LAW" and not any(t.like_num for t in doc[start:end]) and \
                        doc[end - 1].text not in self.named_heads | _LAW_NOUNS:
                    # "Innovation Law Lab": a law word inside a name
                    label, rule_id = "ORG", "rule#law-word-in-name"
                if label == "ORG" and any(t.tag_ in _VERB_TAGS for t in doc[start:end]):
                    continue  # a title-case headline read as a name: "Chiefs Refuse to Help"
                if label == "ORG" and "&" in text and self._whole_line(doc, start, end):
                    continue  # a section label: "Border & Immigration"
                if label == "ORG" and end - start == 1 and text.isupper() and end < len(doc) \
                        and doc[end].is_lower and doc[end].pos_ == "NOUN" \
                        and not self.gaz.lookup(text) and not self._defined(doc, text):
                    continue  # a kind of unit, not a named body: "SWAT agents"
                if label == "ORG" and self._related_persons_name(doc, start, end):
                    label, rule_id = "PERSON", "rule#relation-noun-person"  # "her neighbor Ana Diaz"
                if label == "ORG" and self._looks_like_byline_name(doc, start, end):
                    label, rule_id = "PERSON", "rule#byline-name"
                if label == "ORG" and self._persons_name(doc, start, end):
                    label, rule_id = "PERSON", "rule#given-name-not-organization"
                    if doc[start].text not in self.gaz.given_names:
                        start += 1
                if label == "ORG" and end < len(doc) and doc[end].like_num and \
                        len(doc[end].text) <= 2 and text.isupper():
                    end += 1  # broadcast outlets: "NBC 7", "FOX 5"
                pieces_as_places = self._place_list(doc, start, end)
                if pieces_as_places:
                    out.extend(pieces_as_places)  # "Navajo County, City of Holbrook, ..."
                    continue
                if label == "ORG":
                    kept = self._whole_org(doc, start, end)
                    if kept is None or self._not_an_org_name(doc, *kept):
                        continue
                    start, end = kept
                    pieces = self._org_pieces(doc, start, end)
                    if pieces:
                        out.extend(pieces)
                        continue
                    end = self._without_state_modifier(doc, start, end)
                out.append(Candidate(start, end, label, rule_id=rule_id))
        return out

    def _not_an_org_name(self, doc: Doc, start: int, end: int) -> bool:
        """Is an organization span of the model something other than a name?

        Fields glued across a lost line break ("CourtAna", "NumberCIVIL"); a
        list cut at its commas ("Diaz, Ruiz Lee", "Law Department Chair,
        Litigation Group"); a title-case phrase with a preposition and no head
        word (a bill's or agenda item's title: "Limits on Rent Increases");
        the rest of a title ("Secretary of" + "State for Trade"); words that
        are all instrument words ("Initiative Measure"); an acronym in a list
        of common nouns ("crimes, DUI and assault"); a misspelt title word
        ("Sherif's")."""
        span = doc[start:end]
        text = span.text
        if self.gaz.lookup(text) or self._defined(doc, text):
            return False
        for token in span:
            glued = _GLUED.fullmatch(token.text)
            if glued and (glued.group(2).isupper() and len(glued.group(2)) > 1
                          or glued.group(2) in self._word_set):
                return True
        heads = self.gaz.organization_words | self.gaz.government_words
        commas = [t.i for t in span if t.text == ","]
        if commas and not any(t.text in _COMPANY_SUFFIXES for t in span) and \
                not any(t.lower_ in ("and", "&") for t in doc[commas[-1]:end]) and \
                self.gaz.place(doc[commas[-1] + 1:end].text) is None:
            return True
        if not any(t.text in heads for t in span) and \
                any(t.lower_ in ("on", "in") for t in doc[start + 1:end - 1]):
            return True
        if start >= 2 and doc[start - 1].lower_ == "of" and \
                f"{doc[start - 2].text} of {doc[start].text}" in self.title_forms:
            return True
        if all(t.text in self.gaz.instrument_words for t in span):
            return True
        core = span[:-1] if len(span) > 1 and span[-1].text in ("'s", "’s") else span
        if len(core) == 1:
            token = core[0]
            if token.text in self.gaz.generic_acronyms:
                return True  # "on suspicion of DUI", "the MOU": a thing, not a body
            if token.text.isupper() and len(token.text) > 1:
                partners = [c for c in token.children if c.dep_ == "conj"]
                if token.dep_ == "conj":
                    partners.append(token.head)
                if any(p.is_lower and p.pos_ == "NOUN" for p in partners):
                    return True
            word = re.sub(r"['’]s$", "", token.lower_)
            if token.text[:1].isupper() and not token.text.isupper() and \
                    word not in self.title_words and \
                    get_close_matches(word, self._single_titles, n=1, cutoff=0.9):
                return True
        return False

    def _org_pieces(self, doc: Doc, start: int, end: int) -> list[Candidate]:
        """Two names the model glued at an "and", each ending in a head word
        ("Lincoln High School and Northern State University"); [] otherwise."""
        heads = self.gaz.organization_words  # "Police and Fire Department" is one body
        for i in range(start + 2, end - 2):
            if doc[i].lower_ == "and" and doc[i - 1].text in heads and \
                    doc[end - 1].text in heads and doc[i + 1].text[:1].isupper():
                return [Candidate(start, i, "ORG", rule_id="rule#two-names"),
                        Candidate(i + 1, end, "ORG", rule_id="rule#two-names")]
        return []

    def _without_state_modifier(self, doc: Doc, start: int, end: int) -> int:
        """"the Greens State conference": "State" after a party word modifies the
        noun after it, it is no part of the party's name ("Penn State" stays)."""
        if end - start >= 2 and doc[end - 1].text == "State" and end < len(doc) and \
                doc[end].is_lower and doc[end].pos_ == "NOUN" and \
                doc[end - 2].text in self.gaz.party_words:
            return end - 1
        return end

    def _patterned_agencies(self, doc: Doc) -> list[Candidate]:
        """Bodies named by a naming convention the model may miss ("Ofgem", "Ofwat":
        ``agency_name_pattern`` in ``models/agency_terms.jsonl``)."""
        patterns = self.gaz.agency_name_patterns
        return [Candidate(t.i, t.i + 1, "AGENCY", "", "rule", "agency_terms#agency_name_pattern")
                for t in self._tokens(doc, lambda w: w[:1].isupper() and w[1:2].islower()
                                      and any(p.fullmatch(w) for p in patterns))]

    def _related_names(self, doc: Doc) -> list[Candidate]:
        """Persons named right after a noun of kinship or relation, whatever the
        model made of them ("her neighbor Ana Diaz", "his landlord Bo Chen")."""
        out = []
        for token in self._tokens(doc, lambda w: w in self.gaz.relation_nouns):
            for size in (3, 2):
                start, end = token.i + 1, token.i + 1 + size
                if end <= len(doc) and self._related_persons_name(doc, start, end) and \
                        (end == len(doc) or not doc[end].is_title):
                    out.append(Candidate(start, end, "PERSON", "", "rule",
                                         "rule#relation-noun-person"))
                    break
        return out

    def _related_persons_name(self, doc: Doc, start: int, end: int) -> bool:
        """"her neighbor Ana Diaz": two or three capitalised words right after a
        noun of kinship or relation (``models/person_filters.jsonl``) name a person."""
        words = doc[start:end]
        if not 2 <= len(words) <= 3 or start == 0 or \
                doc[start - 1].text not in self.gaz.relation_nouns:
            return False
        if not all(t.is_alpha and t.is_title for t in words):
            return False
        heads = self.gaz.organization_words | self.gaz.government_words
        return not (any(t.text in heads for t in words) or self.gaz.lookup(words.text)
                    or self.gaz.place(words.text))

    def _or_aliases(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """"the Clean Streets Program, or Street Fund, will ...": a name right after a
        law and ", or" is that law's short name (an organization cannot be the
        other choice of a law); it takes the title-case words before it."""
        for law, cand in zip(chosen, chosen[1:]):
            lawlike = law.label == "LAW" or law.label in ("ORG", "AGENCY") and \
                doc[law.end - 1].text in _PLAN_HEADS and not law.canonical
            if not lawlike or cand.label != "ORG" or cand.start - law.end > 4 or \
                    law.end + 2 > cand.start or doc[law.end].text != "," or \
                    doc[law.end + 1].lower_ != "or" or self.gaz.lookup(doc[cand.start:cand.end].text):
                continue
            if not all(t.is_title for t in doc[law.end + 2:cand.start]):
                continue
            cand.start, cand.label, cand.rule_id = law.end + 2, "LAW", "rule#or-alias"
            cand.canonical = law.canonical or doc[law.start:law.end].text
        return chosen

    def _regional_office(self, doc: Doc, cand: Candidate) -> bool:
        """A known agency followed by a place or region: its regional office."""
        for k in range(cand.start + 1, cand.end):
            if self.gaz.lookup(doc[cand.start:k].text, ("agency",)) and \
                    self.gaz.place(doc[k:cand.end].text) is not None:
                return True
        return False

    def _place_list(self, doc: Doc, start: int, end: int) -> list[Candidate]:
        """A span the model glued over a list of places, split into the places
        (each a known place or "City of X"); [] when it is not such a list."""
        commas = [t.i for t in doc[start:end] if t.text in (",", "and", "&")]
        if not commas:
            return []
        bounds = [start - 1, *commas, end]
        out = []
        for a, b in zip(bounds, bounds[1:]):
            piece_start, piece_end = _trim(doc, a + 1, b)
            if piece_end <= piece_start:
                return []
            text = doc[piece_start:piece_end].text
            city_of = _CITY_OF.fullmatch(text)
            name = city_of.group(2) if city_of else text
            place = self.gaz.place(name)
            county = self.gaz.place(f"{name} County")
            if county is not None and (place is None or f"{name} County" in doc_text(doc)):
                place = county  # "Torrance and Cibola" in a story about those counties
            if place is None and not city_of:
                return []
            out.append(Candidate(piece_start, piece_end, "PLACE", place.name if place else name,
                                 "rule", "rule#place-list"))
        return out

    def _whole_org(self, doc: Doc, start: int, end: int) -> tuple[int, int] | None:
        """An organization span made whole, or None when it is no name at all.

        Joined: a hyphenated last word the model cut ("Review" + "-Journal").
        Trimmed: byline and credit chrome after the name ("Staff", "Photo",
        "Share"). Dropped: spans opening in lower case ("federal immigration
        enforcement"), numbers and addresses ("Box 618", "445th"), one common
        word ("Order", "Commissioners"), and capitals on a line of capitals
        (letterheads, scanned text) that no rule or data ties to a body."""
        while end + 1 < len(doc) and doc[end].text in ("-", "‐") and not doc[end - 1].whitespace_ \
                and not doc[end].whitespace_ and doc[end + 1].text[:1].isupper():
            end += 2
        while end - start > 1 and doc[end - 1].text in self.gaz.org_chrome_words:
            end -= 1
        if start >= 3 and doc[start - 1].text == "and":
            first = start - 1  # "the Ohio Immigrant" + "and" + "Refugee Rights Coalition"
            while first > 0 and doc[first - 1].is_title and doc[first - 1].is_alpha and \
                    not doc[first - 1].is_stop:
                first -= 1
            if first < start - 1 and first > 0 and doc[first - 1].lower_ == "the" and \
                    doc[end - 1].text in self.gaz.organization_words and \
                    doc[start - 2].text not in self.gaz.organization_words | self.gaz.government_words:
                # ("the Lincoln High School" + "and" + "Ohio State University" are two names)
                start = first
        if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].text in _COMPANY_SUFFIXES:
            end += 2  # "RISE, Inc."
        elif end < len(doc) and doc[end].text in _COMPANY_SUFFIXES:
            end += 1
        span = doc[start:end]
        text = span.text
        known = bool(self.gaz.lookup(text)) or self._defined(doc, text)
        if known:
            return start, end
        if not text[:1].isupper() and not (len(text) > 1 and text[1:2].isupper()):
            return None
        if span[0].text in _DIRECTIONS or span[0].text in ("N.", "S.", "E.", "W.") or \
                sum(c.isalpha() for c in text) <= 2:
            return None  # "W.D. Arkansas", "S. Main Center" (an address), "J."
        if all(w.lower() in self.gaz.generic_words for w in text.split()):
            return None  # "Press Release"
        if any(t.like_num or any(c.isdigit() for c in t.text) for t in span) and \
                not _CALL_LETTERS.fullmatch(text) and not _BROADCAST.fullmatch(text):
            return None
        if len(span) == 1:
            word = span[0]
            if word.tag_ == "NNPS" or word.lower_ in self.title_words or \
                    word.lower_ in self.gaz.generic_words:
                return None
            if word.text.isupper() and not _CALL_LETTERS.fullmatch(word.text) and \
                    self._capitals_line(doc, word):
                return None
            if word.text.isupper() and start > 0 and doc[start - 1].lower_ in ("a", "an") \
                    and not _CALL_LETTERS.fullmatch(word.text):
                return None  # "a DUI arrest", "an MOU": a thing, not a body
            if word.lower_ in self._lower_words or word.is_stop:
                return None  # the same word in lower case elsewhere ("WEST", "Order"): a common word
        return start, end

    @staticmethod
    def _capitals_line(doc: Doc, token: Token) -> bool:
        """Is ``token`` on a line written mostly in capitals (a letterhead, OCR)?"""
        text = doc_text(doc)
        line_start = text.rfind("\n", 0, token.idx) + 1
        line_end = text.find("\n", token.idx)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        letters = [c for c in line if c.isalpha()]
        return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.7 * len(letters)

    def _with_place_prefix(self, doc: Doc, start: int, end: int) -> int:
        """Move ``start`` back over a word the model cut off a place name at the
        front: "El" of "El Cajon City Council" in a title-case headline."""
        if start == 0:
            return start
        before = doc[start - 1]
        if not (before.is_title and before.is_alpha) or before.ent_type_:
            return start
        for size in (1, 2):
            if start + size > end:
                break
            inner = doc[start:start + size].text
            if self.gaz.place(f"{before.text} {inner}") is not None and \
                    self.gaz.place(inner) is None:
                return start - 1
        return start

    @staticmethod
    def _whole_line(doc: Doc, start: int, end: int) -> bool:
        before = doc[start - 1].text if start > 0 else "\n"
        after = doc[end].text if end < len(doc) else "\n"
        return "\n" in before and "\n" in after

    @staticmethod
    def _defined(doc: Doc, acronym: str) -> bool:
        return f"({acronym})" in doc_text(doc)

    def _looks_like_byline_name(self, doc: Doc, start: int, end: int) -> bool:
        """"NBC 7's Omari Fleming": a two- or three-word name after an outlet's possessive."""
        words = doc[start:end]
        if not 2 <= len(words) <= 3 or start < 2 or doc[start - 1].text not in ("'s", "’s"):
            return False
        if not all(t.is_alpha and t.is_title for t in words):
            return False
        text = words.text
        return not (self._government_name(text) or self.gaz.lookup(text)
                    or any(t.text in self.gaz.organization_words for t in words))

    def _persons_name(self, doc: Doc, start: int, end: int) -> bool:
        """"Dana Whitfield" labelled an organization: two to four capitalised words
        opening with a common given name (``models/given_names.jsonl``), with no
        organization, government or building word and nothing the gazetteer knows."""
        words = doc[start:end]
        if len(words) > 2 and words[0].text not in self.gaz.given_names and \
                words[1].text in self.gaz.given_names and \
                words[0].lower_.rstrip(".") in self.title_words | {"charge"}:
            words = doc[start + 1:end]  # "Charge Ana Diaz" of "Officer in Charge Ana Diaz"
        if not 2 <= len(words) <= 4 or words[0].text not in self.gaz.given_names:
            return False
        if not all(t.text in ("-", "‐") or t.text in _NAME_SUFFIXES or t.text[:1].isupper()
                   and not t.text.isupper() and all(c.isalpha() or c in "-'’." for c in t.text)
                   for t in words):
            return False
        if any(t.text in self.gaz.organization_words or t.text in self.gaz.government_words
               for t in words):
            return False
        text = words.text
        return not (self.gaz.lookup(text) or self.gaz.place(text) or self.gaz.is_building(text)
                    or self._government_name(text))

    def _rule_organizations(self, doc: Doc) -> list[Candidate]:
        """Organizations the model misses: broadcast call letters ("KPBS", "WNYC-FM")
        and title-case names ending in an organization head ("Immigrant Defense
        Advocates")."""
        out = []
        for token in self._tokens(doc, lambda w: w in self.gaz.organization_words
                                  or bool(_CALL_LETTERS.fullmatch(w))):
            if _CALL_LETTERS.fullmatch(token.text) and not self.gaz.lookup(token.text) and \
                    not token.is_stop and not self._capitals_line(doc, token) and \
                    token.lower_ not in self._lower_words:
                out.append(Candidate(token.i, token.i + 1, "ORG", token.text, "rule",
                                     "rule#call-letters"))
            if token.text in self.gaz.organization_words and token.i > 0 and \
                    (token.is_title or token.text.isupper()):
                start = token.i
                while start > 0:
                    prev = doc[start - 1]
                    if not (prev.is_title or prev.is_upper and prev.is_alpha and len(prev) > 1) \
                            or prev.is_stop:
                        break
                    start -= 1
                    if prev.is_sent_start:
                        break
                # a name at a sentence's start only when it is the whole line ("Prairie Public News")
                line_name = self._whole_line(doc, start, token.i + 1) or \
                    (start == 0 and (token.i + 1 == len(doc) or "\n" in doc[token.i + 1].text))
                if token.i - start >= 1 and (line_name or not doc[start].is_sent_start):
                    whole = self._whole_org(doc, start, token.i + 1)
                    if whole is not None:
                        out.append(Candidate(*whole, "ORG", "", "rule",
                                             "agency_terms#organization_head"))
        return out + self._credits(doc)

    def _credits(self, doc: Doc) -> list[Candidate]:
        """Photo credits and bylines: "(Ana Diaz/The Macon Ledger)", "Credit: Ana
        Diaz/Capitol Wire Service", "(AP Photo/Ana Diaz)": the outlet is an
        organization named once, the photographer a person."""
        out = []
        text = doc_text(doc)
        for match in _CREDIT.finditer(text):
            person, outlet = match.group("person"), match.group("outlet")
            if match.group("agency_first"):
                person, outlet = match.group("after"), match.group("agency_first")
            elif match.group("caps"):  # "REUTERS/Ana Diaz"
                person, outlet = match.group("named"), match.group("caps")
            for group, label in ((person, "PERSON"), (outlet, "ORG")):
                if not group:
                    continue
                start = text.find(group, match.start())
                span = doc.char_span(start, start + len(group.rstrip()), alignment_mode="contract")
                if span is None or not len(span):
                    continue
                known = self.gaz.lookup(span.text, ("organization", "agency"))
                out.append(Candidate(span.start, span.end, label,
                                     known[0].name if known and label == "ORG" else "",
                                     "gazetteer", "rule#photo-credit"))
        for match in _COLON_CREDIT.finditer(text):  # "(Valley News: AP: Ana Diaz)"
            pieces = [(match.start(g), match.end(g)) for g in ("first", "second") if match.group(g)]
            pieces = [(a, b, "ORG") for a, b in pieces] + [(*match.span("name"), "PERSON")]
            for a, b, label in pieces:
                span = doc.char_span(a, b)  # a piece glued to the word before is left out
                if span is not None and len(span):
                    known = self.gaz.lookup(span.text, ("organization",))
                    out.append(Candidate(span.start, span.end, label,
                                         known[0].name if known and label == "ORG" else "",
                                         "gazetteer", "rule#photo-credit"))
        return out

    @staticmethod
    def _name_piece(token: Token) -> bool:
        """A capitalised word or an acronym ("Harbor", "ASCEND")."""
        return token.is_alpha and (token.is_title or token.is_upper and len(token) > 1)

    def _company_names(self, doc: Doc) -> list[Candidate]:
        """Names the model misses that the text marks as companies or groups: a
        company suffix ("RISE, Inc.", "Harbor Freight LLC") or an appositive that
        says what they are ("Blue Line Transit, a company that ..."); the same
        words elsewhere in the text are the same name."""
        out = []
        found: dict[str, str] = {}
        for token in self._tokens(doc, lambda w: w in _COMPANY_SUFFIXES or w in _ORG_NOUNS):
            if token.text in _COMPANY_SUFFIXES:
                end = token.i - 1 if token.i > 0 and doc[token.i - 1].text == "," else token.i
                tail = token.i + 1
            else:
                if token.pos_ != "NOUN" or token.i < 3 or token.dep_ == "compound" or \
                        doc[token.i - 1].lower_ not in ("a", "an") and \
                        doc[token.i - 2].lower_ not in ("a", "an"):
                    continue
                article = token.i - 1 if doc[token.i - 1].lower_ in ("a", "an") else token.i - 2
                if doc[article - 1].text != ",":
                    continue
                end = tail = article - 1
            start = end
            while start > 0 and end - start < 4 and self._name_piece(doc[start - 1]) and \
                    not doc[start - 1].is_sent_start:
                start -= 1
            if start > 0 and doc[start - 1].is_sent_start and self._name_piece(doc[start - 1]) \
                    and end - start < 4 and doc[start - 1].lower_ not in _LEADING_FUNCTION_WORDS:
                start -= 1
            if start == end or doc[start].lower_ in _LEADING_FUNCTION_WORDS:
                continue
            name = doc[start:end].text
            appositive = token.text not in _COMPANY_SUFFIXES
            persons = doc[start].ent_type_ == "PERSON" or doc[start].text in self.gaz.given_names
            if appositive and persons or \
                    self.gaz.place(name) or name.lower() in self.title_words or \
                    all(t.lower_ in self.gaz.generic_words for t in doc[start:end]):
                continue
            out.append(Candidate(start, tail, "ORG", "", "rule", "rule#company-name"))
            found.setdefault(name, doc[start:tail].text)
        text = doc_text(doc)
        for name, full in found.items():
            for match in re.finditer(rf"\b{re.escape(name)}\b", text):
                span = doc.char_span(match.start(), match.end(), alignment_mode="contract")
                if span is not None and len(span):  # "Farrow" is the "Farrow LLP" named before
                    out.append(Candidate(span.start, span.end, "ORG", full if full != name else "",
                                         "rule", "rule#company-name"))
        return out

    def _place_police(self, doc: Doc) -> list[Candidate]:
        """"Oakland police" names the Oakland Police Department: a known city or
        county right before the word police."""
        out = []
        for token in self._tokens(doc, lambda w: w.lower() == "police"):
            if token.lower_ != "police" or token.i == 0 or (
                    token.i + 1 < len(doc) and doc[token.i + 1].text in self.gaz.government_words):
                continue  # "Tulsa Police Department" is named in full
            for width in (3, 2, 1):
                start = token.i - width
                if start < 0 or not all(t.text[:1].isupper() for t in doc[start:token.i]) or \
                        doc[start].is_stop:
                    continue
                place = self.gaz.place(doc[start:token.i].text)
                if place is not None and place.kind in ("city", "county"):
                    out.append(Candidate(start, token.i + 1, "AGENCY",
                                         f"{place.name} Police Department", "rule",
                                         rule_id="rule#place-police"))
                    break
        return out

    def _titled_names(self, doc: Doc) -> list[Candidate]:
        """Names the model missed right after a capitalised title of office:
        "Houston Police Chief Troy Finner", "Ald. Byron Sigcho-Lopez".

        Two or three capitalised proper nouns that are not themselves title
        words, places or known bodies; title-case headlines are left alone.
        """
        out = []
        for token in self._tokens(doc, lambda w: w[:1].isupper() and
                                  w.lower().rstrip(".") in self.title_words):
            if token.i >= len(doc) - 2 or not token.text[:1].isupper() or token.lower_.rstrip(".") not in self.title_words:
                continue
            end, size = token.i + 1, 0
            while end < len(doc) and size <= 3 and self._name_word(doc[end]):
                end += 1
                size += 1
                if end + 1 < len(doc) and doc[end].text in ("-", "‐") and \
                        not doc[end - 1].whitespace_ and not doc[end].whitespace_ and \
                        self._name_word(doc[end + 1]):
                    end += 2  # a hyphenated surname: "Sigcho-Lopez"
            if not 2 <= size <= 3 or (end < len(doc) and self._name_word(doc[end])):
                continue
            name = doc[token.i + 1:end]
            if self._title_case_line(name.sent) or self.gaz.place(name.text) is not None \
                    or self.gaz.lookup(name.text) or self._government_name(name.text):
                continue
            out.append(Candidate(name.start, name.end, "PERSON", "", "rule",
                                 rule_id="rule#name-after-title"))
        return out

    def _name_word(self, token: Token) -> bool:
        text = token.text
        return (token.pos_ == "PROPN" and text[:1].isupper() and not text.isupper()
                and token.lower_.rstrip(".") not in self.title_words
                and all(c.isalpha() or c in "-'’." for c in text))

    @staticmethod
    def _title_case_line(sent: Span) -> bool:
        """A headline in title case: no closing punctuation, most words capitalised."""
        if sent.text.rstrip()[-1:] in ".!?\"”'’":
            return False
        words = [t for t in sent if t.is_alpha and not t.is_stop]
        return len(words) >= 3 and sum(t.text[:1].isupper() for t in words) > 0.6 * len(words)

    def _document_state(self, cands: list[Candidate]) -> str:
        """The US state a document is mostly about, from its place candidates."""
        counts: dict[str, int] = {}
        for cand in cands:
            if cand.label == "PLACE" and cand.canonical:
                state = self.gaz.state_of(cand.canonical)
                if state:
                    counts[state] = counts.get(state, 0) + (2 if state == cand.canonical else 1)
        return max(counts, key=lambda k: counts[k]) if counts else ""

    def _legislatures(self, doc: Doc, state: str) -> list[Candidate]:
        """Chambers of a state legislature named bare or with their state ("the House",
        "N.C. Senate", "the General Assembly", "state Senate"), named as the state
        styles them (``models/state_legislatures.jsonl``); a sentence about Congress
        or a "U.S." before the chamber leaves it federal."""
        out = []
        for token in self._tokens(doc, lambda w: w in _CHAMBERS):
            words = _CHAMBERS.get(token.text)
            if words is None:
                continue
            end = token.i + 1
            kind = words
            if token.text == "House" and end + 1 < len(doc) and doc[end].lower_ == "of" and \
                    doc[end + 1].text in ("Representatives", "Delegates"):
                end += 2
            if token.text == "General":
                if end < len(doc) and doc[end].text == "Assembly":
                    end += 1
                else:
                    continue
            if end < len(doc) and (doc[end].text[:1].isupper() and doc[end].pos_ == "PROPN"
                                   and doc[end].lower_.rstrip(".") not in self.title_words
                                   or doc[end].lower_ in ("bill", "bills", "file", "resolution")):
                continue  # "House Bill 2", "Senate Judiciary Committee" (not "House Speaker")
            start, named = token.i, state
            before = doc[start - 1] if start > 0 else None
            if before is not None and before.lower_ == "state":
                start -= 1
            for width in (3, 2, 1):
                if start - width < 0:
                    continue
                place = self.gaz.place(doc[start - width:start].text)
                if place is not None and place.kind == "state" and \
                        doc[start - width].text[:1].isupper():
                    start, named = start - width, place.name
                    break
            if start > 0 and doc[start - 1].text == "White":
                continue
            federal = start > 0 and doc[start - 1].text in ("U.S.", "US", "States")
            row = self.legislatures.get(named)
            if token.text == "House" and row is not None and named == state and \
                    "House" not in row.get("lower", "House"):
                federal = True  # California's lower chamber is the Assembly: "House" is Congress's
            if federal or (named == state and _FEDERAL_CUES.search(self._sentence_text(doc, token))):
                if kind in _FEDERAL_CHAMBERS and token.text != "Assembly":
                    out.append(Candidate(token.i, end, "AGENCY", _FEDERAL_CHAMBERS[kind], "gazetteer",
                                         "rule#federal-chamber"))
                continue
            row = self.legislatures.get(named)
            if row is None:
                continue
            if kind == "lower" and token.text == "Assembly" and "Assembly" not in row.get("lower", ""):
                kind = "legislature"
            name = row.get(kind)
            if not name:
                continue
            out.append(Candidate(start, end, "AGENCY", name, "gazetteer",
                                 "state_legislatures#" + named))
        return out

    def _tokens(self, doc: Doc, test: Callable[[str], bool]) -> Iterator[Token]:
        """The tokens of ``doc`` whose text passes ``test`` (Token objects are made
        only for those: iterating a Doc makes one per word, the component's main cost)."""
        words = self._words if len(self._words) == len(doc) else [t.text for t in doc]
        return (doc[i] for i, w in enumerate(words) if test(w))

    @staticmethod
    def _sentence_text(doc: Doc, token: Token) -> str:
        """The text of ``token``'s sentence, without building the sentence spans."""
        start = token.i
        while start > 0 and not doc[start].is_sent_start:
            start -= 1
        end = token.i + 1
        while end < len(doc) and not doc[end].is_sent_start:
            end += 1
        return doc[start:end].text

    def _bodies_by_head(self, doc: Doc) -> list[Candidate]:
        """Capitalised names of government bodies the model missed, ending in a
        government head word: "City Council", "State Election Board",
        "Planning Commission" (two words at least; never inside a title-case
        headline, never a person's title)."""
        out = []
        for token in self._tokens(doc, lambda w: w in self.gaz.government_words):
            if token.text not in self.gaz.government_words or not token.text[:1].isupper() \
                    or token.ent_type_ or token.text in _PLURAL_HEADS:
                continue
            if token.i + 1 < len(doc) and doc[token.i + 1].text[:1].isupper() and \
                    doc[token.i + 1].is_alpha and not doc[token.i + 1].is_sent_start:
                continue  # the head is not the last word: "Police Chief", "Board Members"
            start = token.i
            while start > 0:
                before = doc[start - 1]
                if before.text in ("'s", "’s") and start > 1 and doc[start - 2].is_title:
                    start -= 1  # "Sheriff's Office", "District Attorney's Office"
                    continue
                if not (before.is_title and before.is_alpha) or before.ent_type_ == "PERSON" or \
                        before.lower_.rstrip(".") in self.title_words - _HEAD_PREFIXES - \
                        _POSSESSIVE_BODY_TITLES:
                    break
                start -= 1
            while start < token.i and doc[start].is_stop:
                start += 1
            if token.i - start < 1 or self._title_case_line(token.sent):
                continue
            out.append(Candidate(start, token.i + 1, "AGENCY", "", "rule",
                                 "agency_terms#government_head"))
        return out

    def _places_in_context(self, doc: Doc, state: str) -> list[Candidate]:
        """Places a reader finds from context, small towns included
        (``models/us_small_places.jsonl``): a dateline ("KANAB, Utah —",
        "PHOENIX —"), "X, State", a party-district tag ("R-Kanab"), "in X" in a
        document about X's state, and lists of counties ("Elbert and Garfield
        counties"). A common word is never a place: it must be capitalised and
        not written in lower case elsewhere in the document."""
        out = []
        text = doc_text(doc)
        lowered = self._lower_words

        def add(start: int, end: int, name: str, canonical: str, rule: str) -> None:
            span = doc.char_span(start, end, alignment_mode="contract")
            if span is not None and len(span) and name.lower() not in lowered:
                out.append(Candidate(span.start, span.end, "PLACE", canonical, "rule", rule))

        for match in _DATELINE.finditer(text):
            name = _title(match.group("place"))
            named_state = self.gaz.place(match.group("state") or "")
            in_state = named_state.name if named_state is not None and \
                named_state.kind == "state" else ""
            known = self.gaz.place(name)
            if known is not None or self.gaz.small_place(name, in_state or state):
                add(match.start("place"), match.end("place"), name,
                    known.name if known else name, "rule#dateline")
        for match in _PLACE_STATE.finditer(text):
            named_state = self.gaz.place(match.group("state"))
            if named_state is None or named_state.kind != "state":
                continue
            name = match.group("place")
            if self.gaz.place(name) is None and self.gaz.small_place(name, named_state.name):
                add(match.start("place"), match.end("place"), name, name, "rule#place-state")
        for match in _PARTY_DISTRICT.finditer(text):
            name = match.group("place")
            known = self.gaz.place(name)
            if known is not None or self.gaz.small_place(name, state):
                add(match.start("place"), match.end("place"), name,
                    known.name if known else name, "rule#party-district")
        if state:
            for match in _IN_PLACE.finditer(text):
                name = match.group("place")
                if self.gaz.place(name) is None and self.gaz.small_place(name, state):
                    add(match.start("place"), match.end("place"), name, name, "rule#in-place")
        for match in _COUNTIES.finditer(text):
            names = re.split(r",\s*(?:and\s+)?|\s+and\s+", match.group("names"))
            offset = match.start("names")
            for name in names:
                name = name.strip()
                start = text.find(name, offset)
                offset = start + len(name)
                county = self.gaz.place(f"{name} County")
                if name and county is not None:
                    add(start, start + len(name), name, county.name, "rule#county-list")
        return out

    def _not_a_place(self, doc: Doc, cand: Candidate) -> bool:
        """Judicial districts ("the Eastern District", "Middle District of
        Tennessee") and the country inside a title or a body's name ("U.S.
        Attorney", "U.S. District Court") are no place mentions."""
        if cand.label != "PLACE":
            return False
        words = doc[cand.start:cand.end]
        if any(t.text in _DIRECTIONS for t in words) and any(t.text == "District" for t in words):
            return True
        if words[-1].text == "District" and cand.start > 0 and doc[cand.start - 1].text in _DIRECTIONS:
            return True
        if words[-1].text == "County" and len(words) > 1 and "." in words[-2].text:
            return True  # "Estancia, N.M." + "County commissioners" of the next sentence
        if cand.canonical == "United States" or words.text in ("U.S.", "US", "United States"):
            after = doc[cand.end] if cand.end < len(doc) else None
            if after is not None and after.text[:1].isupper() and (
                    after.lower_.rstrip(".") in self.title_words
                    or after.text in self.gaz.government_words
                    or after.text in _BODY_OPENERS):
                return True
        return False

    def _cities_of(self, doc: Doc) -> list[Candidate]:
        """"the City of Yuma", "Town of Gila Bend": the place, however small."""
        out = []
        text = doc_text(doc)
        for match in _CITY_OF.finditer(text):
            kind, name = match.group(1), match.group(2)
            words = name.split()
            heads = [i for i, w in enumerate(words) if w in self.gaz.government_words]
            if heads:  # the body's name ends at its last head word ("... Department Chair")
                body = " ".join(words[:heads[-1] + 1])
                span = doc.char_span(match.start(), match.start(2) + len(body),
                                     alignment_mode="contract")
                if span is not None and len(span):  # "City of Tulsa Law Department"
                    out.append(Candidate(span.start, span.end, "AGENCY", "", "rule",
                                         "rule#city-of-body"))
                continue
            span = doc.char_span(match.start(), match.start(2) + len(name),
                                 alignment_mode="contract")
            if span is None or not len(span):
                continue
            place = self.gaz.place(name if kind != "County" else f"{name} County")
            canonical = place.name if place else (f"{name} County" if kind == "County" else name)
            out.append(Candidate(span.start, span.end, "PLACE", canonical, "rule",
                                 "rule#city-of"))
        return out

    def _misspelt(self, text: str) -> list[Known]:
        """A known agency or organization written with a typo ("Immigrations and
        Customs Enforcement"): names of three words or more, 95% alike."""
        if len(text.split()) < 3:
            return []
        from rapidfuzz import fuzz, process

        if self._long_keys is None:
            self._long_keys = [k for k, hits in self.gaz.by_key.items() if len(k.split()) >= 3
                               and any(h.type in ("agency", "organization") for h in hits)]
        best = process.extractOne(alias_key(text), self._long_keys, scorer=fuzz.ratio,
                                  score_cutoff=95)
        if best is None:
            return []
        return [k for k in self.gaz.by_key[best[0]] if k.type in ("agency", "organization")]

    def _appositive_kind(self, doc: Doc, cand: Candidate) -> str:
        """"X, an immigrant advocacy group": the noun the text puts after a name
        says what it is ("ORG" or "AGENCY"), or ""."""
        i = cand.end
        if i + 2 >= len(doc) or doc[i].text != "," or doc[i + 1].lower_ not in ("a", "an", "the"):
            return ""
        for token in doc[i + 2:i + 8]:
            if token.is_punct:
                return ""
            if token.dep_ == "compound":
                continue  # "a company spokeswoman" is a person
            if token.lower_ in _ORG_NOUNS and token.pos_ == "NOUN":
                return "ORG"
            if token.lower_ in _AGENCY_NOUNS and token.pos_ == "NOUN":
                return "AGENCY"
        return ""

    def _one_full_name(self, doc: Doc, generic: str) -> str:
        """The one full name a generic body name is short for in this document
        ("Police Department" -> "Tulsa Police Department" when the text names
        that one only), or ""."""
        pattern = re.compile(r"((?:[A-Z][\w.'’-]*\s){1,4})" +
                             re.escape(generic).replace("'", "['’]").replace("’", "['’]"))
        places = set()
        for match in pattern.finditer(doc_text(doc)):
            words = match.group(1).split()
            for i in range(len(words)):
                if words[i].lower() in ("the", "a", "an", "this", "that"):
                    continue
                place = self.gaz.place(" ".join(words[i:]))
                if place is not None:
                    places.add(" ".join(words[i:]))
                    break
        if len(places) == 1:
            return f"{places.pop()} {generic}".replace("’", "'")
        return ""

    def _join_split_names(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """One name, not pieces: a place right before a body's generic name
        ("Colorado" + "District Court"), a body or organization and what follows
        its "of"/"for" ("Supreme Court" of "Canada", "ACLU" of "Ohio",
        "Pennsylvania Office" of "Attorney General"); and two bodies in one
        possessive span split ("Justice Department's" + "Civil Rights Division").
        The place inside a joined name is no place mention."""
        out: list[Candidate] = []
        i = 0
        while i < len(chosen):
            cand = chosen[i]
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            if cand.label == "PLACE" and nxt is not None and nxt.start == cand.end and \
                    nxt.label in ("AGENCY", "ORG") and not nxt.canonical and \
                    doc[nxt.start].text in _BODY_OPENERS and self._government_name(
                        doc[nxt.start:nxt.end].text) and "\n" not in doc[cand.start:nxt.end].text:
                out.append(Candidate(cand.start, nxt.end, "AGENCY", "", "rule",
                                     "rule#place-before-body"))
                i += 2
                continue
            joined = self._of_join(doc, cand, nxt)
            if joined is not None:
                out.append(joined)
                i += 2 if nxt is not None and joined.end >= nxt.end else 1
                continue
            out.extend(self._possessive_split(doc, cand))
            i += 1
        return out

    def _of_join(self, doc: Doc, cand: Candidate, nxt: Candidate | None) -> Candidate | None:
        if cand.label not in ("AGENCY", "ORG") or cand.end + 1 >= len(doc) or \
                doc[cand.end].lower_ not in ("of", "for"):
            return None
        head = doc[cand.end - 1].text
        government = head in _OF_HEADS
        known_org = bool(self.gaz.lookup(doc[cand.start:cand.end].text, ("organization",)))
        if nxt is not None and nxt.start == cand.end + 1 and nxt.label == "PLACE" and \
                (government or known_org or head in self.gaz.organization_words) and \
                self.gaz.place(doc[nxt.start:nxt.end].text) is not None:
            end = nxt.end
        elif government and head in ("Office", "Department", "Bureau", "Division"):
            end = cand.end + 1  # "Office" of "Attorney General": a capitalised run
            while end < len(doc) and end - cand.end <= 7 and (
                    doc[end].text[:1].isupper() and doc[end].is_alpha
                    or doc[end].lower_ in ("the", "and") and end + 1 < len(doc)
                    and doc[end + 1].text[:1].isupper()):
                end += 1
            if end == cand.end + 1 or (nxt is not None and nxt.start < end < nxt.end):
                return None
            if nxt is not None and nxt.start < end and nxt.label == "PERSON":
                return None
        else:
            return None
        label = "AGENCY" if cand.label == "AGENCY" or government else "ORG"
        return Candidate(cand.start, end, label, "", "rule", "rule#name-of-place")

    def _possessive_split(self, doc: Doc, cand: Candidate) -> list[Candidate]:
        if cand.label != "AGENCY":
            return [cand]
        for i in range(cand.start + 1, cand.end - 1):
            if doc[i].text not in ("'s", "’s"):
                continue
            owner = self.gaz.lookup(doc[cand.start:i].text, ("agency",))
            part = doc[i + 1:cand.end].text
            if owner and self._government_name(part) and len(part.split()) >= 2:
                return [Candidate(cand.start, i, "AGENCY", owner[0].name, "gazetteer",
                                  owner[0].rule_id),
                        Candidate(i + 1, cand.end, "AGENCY", "", "rule",
                                  "rule#possessive-body")]
        return [cand]

    def _gazetteer(self, doc: Doc) -> list[Candidate]:
        out = []
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                surface = doc[start:end].text
                key = doc.vocab.strings[match_id]
                hits = self.gaz.case_sensitive.get(key) or self.gaz.by_key.get(key) or []
                hits = [k for k in hits if k.type != "law" or self._law_applies(doc, k)]
                hits = [k for k in hits if k.type != "agency" or self._agency_applies(doc, k,
                                                                                   surface)]
                if hits:
                    known = hits[0]
                    out.append(Candidate(start, end, LABEL_OF_TYPE[known.type], known.name,
                                         "gazetteer", known.rule_id))
                    continue
                place = self.gaz.place(surface)
                if place is not None and doc[start].text[:1].isupper():
                    out.append(Candidate(start, end, "PLACE", place.name, "gazetteer",
                                         place.rule_id))
        return out

    def _agency_applies(self, doc: Doc, known: Known, surface: str) -> bool:
        """A local body known by a short form without its place ("Metropolitan Police
        Department" of Washington) is that body only in a document naming its place."""
        if known.level not in ("municipal", "county", "state"):
            return True
        place = agency_jurisdiction(known.name, self.gaz).name
        if not place or alias_key(place) in alias_key(surface):
            return True
        keys = {alias_key(place)}
        found = self.gaz.place(place)
        if found is not None:
            keys |= {alias_key(a) for a in (found.name, *found.aliases)}
        text = f" {doc_key(doc)} "
        return any(len(key) > 3 and f" {key} " in text for key in keys)

    def _law_applies(self, doc: Doc, known: Known) -> bool:
        """Bill numbers are only trusted when the document names their jurisdiction."""
        if known.jurisdiction in ("", "United States"):
            return True
        key = alias_key(known.jurisdiction)
        return key in doc_key(doc)

    def _laws(self, doc: Doc) -> list[Candidate]:
        out = []
        text = doc_text(doc)
        for pattern_id, family, pattern in self.law_patterns:
            for match in pattern.finditer(text):
                span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
                if span is None:
                    continue
                known = [k for k in self.gaz.lookup(match.group(0), ("law",))
                         if self._law_applies(doc, k)]
                canonical = known[0].name if known else law_display(match.group(0))
                out.append(Candidate(span.start, span.end, "LAW", canonical, "law-pattern",
                                     f"law_patterns#{pattern_id}"))
        out.extend(self._named_laws(doc))
        return out

    def _named_laws(self, doc: Doc) -> list[Candidate]:
        """"the X Y Act", "Sanctuary Promise Ordinance": title-cased runs ending in a head."""
        out = []
        for token in self._tokens(doc, lambda w: w in self.named_heads):
            if token.text not in self.named_heads or token.i == 0:
                continue
            if token.i + 1 < len(doc) and (doc[token.i + 1].text[:1].isupper() and
                                           not doc[token.i + 1].is_sent_start
                                           or doc[token.i + 1].like_num
                                           or doc[token.i + 1].text == "&"):
                continue  # "Law Enforcement", "Act Now", "Directive 307.5", "Law & Society"
            if token.text == "Law" and token.i >= 2 and doc[token.i - 1].lower_ == "of" and (
                    doc[token.i - 2].text in self.gaz.government_words
                    or doc[token.i - 2].text in self.gaz.organization_words):
                continue  # "Department of Law", "School of Law": a body
            start = token.i
            words = 0
            while start > 0 and words < self.named_max:
                prev = doc[start - 1]
                if prev.text in self.named_heads or prev.tag_ in _VERB_TAGS and \
                        not prev.text[:1].isupper() or prev.tag_ in ("VBZ", "VBG", "VBD", "MD") \
                        or prev.pos_ == "AUX":
                    break  # another instrument, or a headline's verb: "Applauds", "Is"
                if prev.text[:1].isupper() and not prev.is_punct and not prev.like_num:
                    words += 1
                elif prev.lower_ in ("of", "and", "for", "on", "to", "the", "in", "&") and start - 1 > 0:
                    pass
                else:
                    break
                start -= 1
            while start < token.i and (doc[start].lower_ in _LEADING_FUNCTION_WORDS
                                       or doc[start].is_punct):
                start += 1
            if start == token.i or not any(doc[i].text[:1].isupper() for i in range(start, token.i)):
                continue
            end = token.i + 1
            # "... Act of 1996"
            if end + 1 < len(doc) and doc[end].lower_ == "of" and re.fullmatch(r"\d{4}", doc[end + 1].text):
                end += 2
            span = doc[start:end]
            known = [k for k in self.gaz.lookup(span.text, ("law",)) if self._law_applies(doc, k)]
            out.append(Candidate(start, end, "LAW", known[0].name if known else span.text,
                                 "law-pattern", "law_patterns#named-instrument"))
        return out

    def _acronyms(self, doc: Doc, chosen: list[Candidate]) -> tuple[list[Candidate], set[str]]:
        """Acronyms the text defines, in either order, and ones defined as common nouns."""
        by_end = {c.end: c for c in chosen}
        by_start = {c.start: c for c in chosen}
        defined: dict[str, Candidate] = {}
        common: set[str] = set()
        for token in self._tokens(doc, lambda w: w == "("):
            if token.text != "(" or token.i + 2 >= len(doc) or doc[token.i + 2].text != ")":
                inner = None
            else:
                inner = doc[token.i + 1]
            if inner is not None and re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]s?", inner.text):
                # "Long Form (ACR)"; skip a possessive before the bracket.
                end = token.i
                if end > 0 and doc[end - 1].text in ("'s", "’s", "."):
                    end -= 1  # "the Ana Diaz Team's (ADT)", "Special Response Team. (SRT)"
                long_form = by_end.get(end)
                if long_form is not None and not _spells(doc[long_form.start:end], inner.text) \
                        and (self._initials_back(doc, end, inner.text) or -1) <= long_form.start:
                    long_form = None  # "DENVER (KDVR)": a dateline's outlet, not an acronym
                    if end > 0 and doc[end - 1].ent_type_ in ("GPE", "LOC") or \
                            (end > 0 and doc[end - 1].text.isupper()):
                        continue
                if long_form is not None:
                    defined[inner.text] = long_form
                elif end > 0 and doc[end - 1].is_lower:
                    initials = self._initials_back(doc, end, inner.text)
                    if initials:
                        common.add(inner.text)
                else:
                    start = self._initials_back(doc, end, inner.text)
                    if start is None:
                        start = self._initials_back(doc, end, inner.text, small_words=True)
                    if start is not None:
                        label = self._long_form_label(doc[start:end])
                        cand = Candidate(start, end, label, doc[start:end].text, "acronym",
                                         "rule#acronym-definition")
                        chosen.append(cand)
                        defined[inner.text] = cand
            # "ACR (Long Form)"
            if token.text == "(" and token.i > 0 and re.fullmatch(r"[A-Z]{2,6}", doc[token.i - 1].text):
                close = next((t.i for t in doc[token.i + 1: token.i + 12] if t.text == ")"), None)
                if close is not None:
                    acr = doc[token.i - 1].text
                    inner_span = doc[token.i + 1: close]
                    if self._initials(inner_span) == acr.upper():
                        label = ("AGENCY" if self._government_name(inner_span.text)
                                 or by_start.get(token.i + 1, Candidate(0, 0, "")).label == "AGENCY"
                                 else "ORG")
                        cand = Candidate(inner_span.start, inner_span.end, label, inner_span.text,
                                         "acronym", "rule#acronym-definition")
                        chosen.append(cand)
                        defined[acr] = cand
        by_initials: dict[str, dict[str, Candidate]] = {}
        for c in chosen:
            if c.label in ("AGENCY", "ORG") and c.length >= 2:
                name = c.canonical or doc[c.start:c.end].text
                by_initials.setdefault(_initials_of(name), {})[name] = c
        for token in self._tokens(doc, lambda w: w in by_initials):
            spelled = by_initials.get(token.text)
            if not spelled or token.text in defined or len(spelled) != 1 or \
                    not re.fullmatch(r"[A-Z]{2,6}", token.text) or self.gaz.lookup(token.text):
                continue
            defined[token.text] = next(iter(spelled.values()))  # "RPD" of the Richmond PD
        out = []
        for token in self._tokens(doc, lambda w: w in defined):
            if token.text in defined:
                long_form = defined[token.text]
                canonical = long_form.canonical or doc[long_form.start:long_form.end].text
                label = long_form.label
                if label == "ORG" and not long_form.canonical:
                    label = self._long_form_label(doc[long_form.start:long_form.end])
                out.append(Candidate(token.i, token.i + 1, label, canonical, "acronym",
                                     "rule#acronym-definition"))
        return out, common

    @staticmethod
    def _initials(span: Span) -> str:
        return "".join(t.text[0] for t in span if t.text[:1].isupper()).upper()

    def _long_form_label(self, span: Span) -> str:
        """The label of an acronym's long form: a body, an instrument ("Memorandum
        of Understanding", "Interstate Compact") or an organization."""
        if self._government_name(span.text):
            return "AGENCY"
        if (span[0].text in self.gaz.instrument_words or span[-1].text in self.gaz.instrument_words) \
                and span[-1].text not in self.gaz.organization_words:
            return "LAW"
        return "ORG"

    def _initials_back(self, doc: Doc, end: int, acronym: str,
                       small_words: bool = False) -> int | None:
        """The start of the words before ``end`` whose initials spell ``acronym``
        (with ``small_words``, "of" and "and" count: "Memorandum of Understanding")."""
        want = acronym.rstrip("s").upper()
        letters = ""
        start = end
        while start > 0 and len(letters) < len(want) and end - start < len(want) * 2 + 2:
            word = doc[start - 1]
            if word.is_punct:
                break
            start -= 1
            if word.is_stop and word.is_lower and not small_words:
                continue
            letters = word.text[0].upper() + letters
        return start if letters == want else None

    def _government_name(self, text: str) -> bool:
        """Does an organization name read as a government body?"""
        words = text.replace("’", "'").split()
        if any(text.replace("’", "'").endswith(p) for p in self.gaz.government_phrases):
            return True  # "Dunmore School Board", whatever the word before its head
        if any(w in self.gaz.organization_words for w in words[-2:]):
            return False
        if any(p in text.replace("’", "'") for p in self.gaz.government_phrases):
            return True
        return any(w.rstrip("'s") in self.gaz.government_words or w in self.gaz.government_words
                   for w in words)

    # -- resolution -----------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        self._words = [t.text for t in doc]  # one pass; the rules below visit only their words
        self._lower_words = {w for w in self._words if w.islower()}  # common words of this text
        self._word_set = set(self._words)
        model_ents = [(e.start, e.end, e.label_) for e in doc.ents]
        cands = (self._model(doc) + self._gazetteer(doc) + self._laws(doc)
                 + self._rule_organizations(doc) + self._titled_names(doc)
                 + self._place_police(doc) + self._related_names(doc) + self._patterned_agencies(doc)
                 + self._company_names(doc))
        state = self._document_state(cands)
        cands += self._legislatures(doc, state) + self._bodies_by_head(doc) + self._cities_of(doc)
        cands += self._places_in_context(doc, state)
        cands = [c for c in cands if not self._not_a_place(doc, c)]
        chosen = self._or_aliases(doc, self._join_split_names(doc, _resolve(cands)))
        acronyms, common = self._acronyms(doc, chosen)
        chosen = _resolve(chosen + acronyms)
        spans = []
        origins: dict[int, SpanOrigin] = {}
        for cand in chosen:
            text = doc[cand.start:cand.end].text
            if text in common:
                continue
            label = cand.label
            if label in ("ORG", "PERSON") and cand.length == 1 and \
                    any(p.fullmatch(text) for p in self.gaz.agency_name_patterns):
                label = "AGENCY"  # a regulator named by the "Office of" convention ("Ofgem")
                cand.rule_id = cand.rule_id or "agency_terms#agency_name_pattern"
            if label == "ORG":
                known = self.gaz.lookup(text, ("agency", "organization")) or \
                    self._misspelt(text)
                known = [k for k in known
                         if k.type != "agency" or self._agency_applies(doc, k, text)]
                if known:
                    label = LABEL_OF_TYPE[known[0].type]
                    cand.canonical = cand.canonical or known[0].name
                    cand.rule_id = cand.rule_id or known[0].rule_id
                elif self._government_name(text):
                    label = "AGENCY"
                    cand.rule_id = cand.rule_id or "agency_terms#government_head"
                elif self._regional_office(doc, cand):
                    label = "AGENCY"  # "EPA Pacific Northwest": an agency's regional office
                    cand.rule_id = cand.rule_id or "rule#regional-office"
                elif cand.length == 2 and doc[cand.end - 1].text in self.gaz.nation_heads:
                    label, cand.canonical = "PLACE", text  # a tribal nation: its land and people
                    cand.rule_id = cand.rule_id or "agency_terms#nation_head"
                elif doc[cand.end - 1].text in self.gaz.instrument_words and \
                        doc[cand.end - 1].text not in self.gaz.organization_words:
                    label = "LAW"  # "the State and U.S. Constitutions"
                    cand.rule_id = cand.rule_id or "agency_terms#instrument_word"
                elif cand.length == 1 and text[1:].islower() and \
                        text.lower().endswith(self.gaz.program_suffixes) and \
                        not text.lower().endswith(tuple(f" {w}" for w in self.gaz.program_suffixes)) \
                        and len(text) >= 7:
                    continue  # a public program in one word ("Medicare", "TennCare"): no body
                elif self.gaz.place(text) and len(text.split()) <= 3:
                    place = self.gaz.place(text)
                    label, cand.canonical = "PLACE", place.name if place else ""
                    cand.rule_id = cand.rule_id or (place.rule_id if place else "")
            if label == "PLACE" and cand.source == "model" and self._government_name(text) \
                    and text.split()[-1] != "District":
                label = "AGENCY"  # "the Harris County Sheriff's Office" read as a location
                cand.rule_id = "agency_terms#government_head"
            if label == "ORG" and _DETENTION.search(text):
                label = "AGENCY"  # jails and detention centers are (optional) agencies
                cand.rule_id = cand.rule_id or "rule#detention"
            if label == "ORG" and not cand.canonical and cand.length <= 2 and \
                    self.gaz.small_place(text, state):
                label, cand.canonical = "PLACE", text  # "Beacon" in a New York story
                cand.rule_id = "rule#small-place"
            kind = self._appositive_kind(doc, cand)
            if kind and label in ("PLACE", "PERSON", "ORG") and cand.source == "model":
                label = kind  # "Aliento, an immigrant advocacy group"
                cand.rule_id = "rule#appositive-kind"
            city_of = _CITY_OF.fullmatch(text)
            if label in ("AGENCY", "ORG") and city_of and \
                    city_of.group(2).split()[-1] not in self.gaz.government_words and (
                    self.gaz.place(city_of.group(2)) is not None or len(city_of.group(2).split()) <= 3):
                # "the City of Winslow" as a party or in a list is the place
                kind, place_name = city_of.group(1), city_of.group(2)
                place = self.gaz.place(place_name if kind != "County" else f"{place_name} County")
                label = "PLACE"
                cand.canonical = place.name if place else (
                    f"{place_name} County" if kind == "County" else place_name)
                cand.rule_id = "rule#city-of"
            if label in ("ORG", "AGENCY") and not cand.canonical and \
                    doc[cand.end - 1].text in _PLAN_HEADS and cand.length >= 2:
                label, cand.rule_id = "LAW", "rule#program-or-plan"
            if label == "AGENCY" and not cand.canonical:
                known = [k for k in self.gaz.lookup(text, ("agency",))
                         if self._agency_applies(doc, k, text)]
                if known:  # "United States' Department of Labor" read as a location
                    cand.canonical = known[0].name
            if label == "AGENCY" and not cand.canonical:
                if all(w in _GENERIC_BODY_WORDS for w in text.replace("’", "'").split()):
                    full = self._one_full_name(doc, text)
                    if full:
                        cand.canonical = full
                    elif cand.length == 1:
                        continue  # "Department" alone names nothing
            if label == "AGENCY" and not cand.canonical and _DEPT.search(text):
                cand.canonical = _DEPT.sub("Department", text)  # "Law Dept." is the Law Department
            if label == "PLACE" and not cand.canonical:
                place = self.gaz.place(text)
                if place is not None:
                    cand.canonical = place.name
                    cand.rule_id = cand.rule_id or place.rule_id
            span = Span(doc, cand.start, cand.end, label=label, kb_id=cand.canonical or "",
                        span_id=cand.source)
            spans.append(span)
            origins[span.start_char] = SpanOrigin(span.end_char, _model_label(model_ents, cand),
                                                  cand.rule_id)
        doc.ents = spans
        doc._.pc_origins = origins
        return doc


def _initials_of(name: str) -> str:
    """"Richmond Police Department" -> "RPD" (small words left out)."""
    return "".join(w[0] for w in name.replace("’", "'").split()
                   if w[:1].isupper() and w.lower() not in ("of", "and", "the", "for"))


def _title(text: str) -> str:
    """"SALT LAKE CITY" -> "Salt Lake City"."""
    return " ".join(w.capitalize() if w.isupper() else w for w in text.split())


def _spells(span: Span, acronym: str) -> bool:
    """Do the initials of ``span`` (with or without its small words), or its capitals,
    spell ``acronym`` in order ("Tennessee Immigrant and Refugee Rights Coalition"
    -> "TIRRC", "U.S. Department of Labor" -> "USDOL")?"""
    want = acronym.rstrip("s").upper()
    initials = "".join(t.text[0] for t in span if t.text[:1].isalpha()).upper()
    capitals = "".join(c for c in span.text if c.isupper())
    return any(_subsequence(want, letters) for letters in (initials, capitals))


def _subsequence(want: str, letters: str) -> bool:
    it = iter(letters)
    return bool(want) and all(c in it for c in want) and want[0] == letters[:1]


def _model_label(model_ents: list[tuple[int, int, str]], cand: Candidate) -> str:
    """The base model's own label for the tokens of ``cand`` (the entity that
    overlaps it most), or "" when the model found nothing there."""
    best, overlap = "", 0
    for start, end, label in model_ents:
        shared = min(end, cand.end) - max(start, cand.start)
        if shared > overlap:
            best, overlap = label, shared
    return best


def _resolve(cands: list[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates: law citations first, then longest first,
    then by source priority."""
    ordered = sorted(cands, key=lambda c: (c.source != "law-pattern", -c.length,
                                           -PRIORITY.get(c.source, 0),
                                           not c.rule_id.startswith(("state_legislatures",
                                                                     "rule#federal-chamber")),
                                           c.start))
    taken: set[int] = set()
    kept = []
    for cand in ordered:
        if any(i in taken for i in range(cand.start, cand.end)):
            continue
        taken.update(range(cand.start, cand.end))
        kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


@Language.factory("policycorpus_entities", assigns=["doc.ents", "doc._.pc_origins"],
                  requires=["doc.ents"])
def make_entity_recognizer(nlp: Language, name: str) -> EntityRecognizer:
    """Factory of the ``policycorpus_entities`` component."""
    return EntityRecognizer(nlp)
