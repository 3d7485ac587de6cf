"""``policycorpus_linker``: group a document's mentions into entities with
canonical names, and write them to ``doc._.pc_entities`` (``ExtractedEntity``).

- People: a surname or partial name ("Wells", "de León") joins the nearest
  full name before it ("Bill Wells"); a surname the model missed or took for
  an organization is found again; the fullest form is the name. A person
  with a role anywhere in the document is an official.
- Organizations and agencies: a short form that ends a longer name in the
  document ("the Chronicle", "City Council") joins it; "X Police" is
  "X Police Department".
- Laws: a number and a title the text ties together ("SB 54, the California
  Values Act") are one law, named by its title.
- Places: normalised through the gazetteer ("L.A." -> "Los Angeles").

Each mention carries its provenance: the step (``source``), the base model's
own label (``model_label``) and the rule of ``models/`` that produced it
(``rule_id``). The linker reads, and clears, what the components before it
handed over (``pc_origins``, ``pc_roles``, ``pc_implied``, ``pc_state``; see
``pipeline/extensions.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from policycorpus.extraction import ExtractedEntity, Mention
from policycorpus.names import alias_key
from policycorpus.pipeline.components.doctext import doc_text
from policycorpus.pipeline.components.recognize import TYPE_OF_LABEL
from policycorpus.pipeline.extensions import TitleRole
from policycorpus.pipeline.gazetteer import Gazetteer

_NAME_PARTICLES = {"de", "del", "della", "la", "le", "van", "von", "der", "den", "di", "da",
                   "du", "st", "st.", "bin", "al", "el", "ibn", "mac", "o'"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_LAW_TIES = {",", "(", ")", "the", "known", "as", "also", "or", "—", "–", "-", "called", "aka",
             "a.k.a.", "dubbed", "named"}


@dataclass
class MentionCluster:
    """Mentions that refer to one entity in a document, as the linker gathers
    them: a spaCy label, the name so far, the spans, the role of a person."""

    label: str
    name: str
    spans: list[tuple[int, int, str, str, str]] = field(default_factory=list)  # start,end,text,label,source
    role: TitleRole | None = None
    officeholder_id: str = ""


def _surname_keys(name: str) -> list[str]:
    """Keys under which a later partial mention of ``name`` may appear."""
    words = [w for w in name.split() if w.lower() not in _SUFFIXES]
    if len(words) < 2:
        return []
    keys = [alias_key(words[-1]), alias_key(" ".join(words[1:]))]
    for i in range(1, len(words)):
        if words[i].lower() in _NAME_PARTICLES:
            keys.append(alias_key(" ".join(words[i:])))
            break
    return list(dict.fromkeys(k for k in keys if k))


class Linker:
    """The ``policycorpus_linker`` component (see the module docstring)."""

    def __init__(self, nlp: Language) -> None:
        self.gaz = Gazetteer.load()
        self.title_words = {w.lower().rstrip(".") for t in self.gaz.titles for f in t.forms
                            for w in f.split()}

    def __call__(self, doc: Doc) -> Doc:
        roles: dict[int, TitleRole] = doc._.pc_roles or {}
        implied = doc._.pc_implied or []
        provenance = {(start, origin.end): (origin.model_label, origin.rule_id)
                      for start, origin in (doc._.pc_origins or {}).items()}
        document_state = doc._.pc_state or ""
        # handed over: cleared, so that they do not travel with the Doc
        doc._.pc_roles = doc._.pc_implied = doc._.pc_origins = doc._.pc_state = None
        org_words = {alias_key(e.text.split()[-1]) for e in doc.ents
                     if e.label_ in ("ORG", "AGENCY") and len(e.text.split()) >= 2}
        people, claimed, org_persons = self._people(doc, roles, org_words)
        self._confirm_officeholders(doc, people, document_state)
        groups: list[MentionCluster] = list(people)
        groups += self._organizations(doc, claimed, org_persons)
        groups += self._laws(doc)
        groups += self._places(doc, claimed)
        for implication in implied:
            span = doc.char_span(implication.start, implication.end, alignment_mode="expand")
            if span is None:
                continue
            key = (span.start_char, span.end_char)
            provenance[key] = (provenance.get(key, ("", ""))[0], implication.rule_id)
            name = implication.name
            if implication.kind == "place":
                group = next((g for g in groups if g.label == "PLACE"
                              and alias_key(g.name) == alias_key(name)), None)
                if group is None:
                    group = MentionCluster("PLACE", name)
                    groups.append(group)
                group.spans.append((span.start_char, span.end_char, span.text, "PLACE", "title"))
                continue
            self._add(groups, "AGENCY", name, span, "title")
        doc._.pc_entities = [self._export(doc, g, provenance) for g in groups if g.spans]
        return doc

    # -- people -------------------------------------------------------------------

    def _valid_person(self, span: Span) -> bool:
        words = span.text.split()
        if not words or any(c.isdigit() for c in span.text):
            return False
        if all(w.lower().rstrip(".") in self.title_words for w in words):
            return False
        return any(w[:1].isupper() for w in words) and (not span.text.isupper()
                                                         or span.id_ == "letterhead")

    def _people(self, doc: Doc, roles: dict[int, TitleRole], org_words: set[str]
                ) -> tuple[list[MentionCluster], set[int], list[Span]]:
        """Person groups, the characters they claim, and one-word "persons" that
        are really the short form of an organization ("the Chronicle")."""
        persons = [e for e in doc.ents if e.label_ == "PERSON" and self._valid_person(e)]
        org_persons = [e for e in persons if len(e.text.split()) == 1
                       and alias_key(e.text) in org_words]
        persons = [e for e in persons if e not in org_persons]
        anchors: list[tuple[MentionCluster, list[str]]] = []
        groups: list[MentionCluster] = []
        pending: list[Span] = []
        for span in persons:
            if len(span.text.split()) >= 2 and not self._partial_of_anchor(span, anchors):
                group = next((g for g, _ in anchors if alias_key(g.name) == alias_key(span.text)),
                             None) or next((g for g, _ in anchors if _without_initials(g.name)
                                            == _without_initials(span.text)), None)
                if group is None:  # "Ana B. Diaz" and "Ana Diaz" are one person
                    group = MentionCluster("PERSON", " ".join(span.text.split()))
                    groups.append(group)
                    anchors.append((group, _surname_keys(group.name)))
                self._attach(group, span, roles)
            else:
                pending.append(span)
        surname_index: dict[str, list[MentionCluster]] = {}
        for group, keys in anchors:
            for key in keys:
                surname_index.setdefault(key, []).append(group)
        claimed = {i for g in groups for s in g.spans for i in range(s[0], s[1])}
        # partial names, and other entities that are really a known surname
        others = sorted((e for e in doc.ents if e.label_ in ("ORG", "PLACE") and e.id_ == "model"),
                        key=lambda s: s.start_char)
        for span in [*sorted(pending, key=lambda s: s.start_char), *others]:
            target = self._nearest(surname_index.get(alias_key(span.text), []), span)
            if target is None and span.label_ == "PERSON":
                target = self._nearest(_misspelt(surname_index, alias_key(span.text)), span)
            if target is not None:
                self._attach(target, span, roles)
                claimed.update(range(span.start_char, span.end_char))
            elif span.label_ == "PERSON":
                group = next((g for g in groups if alias_key(g.name) == alias_key(span.text)), None)
                if group is None:
                    group = MentionCluster("PERSON", " ".join(span.text.split()))
                    groups.append(group)
                    if " " not in group.name:
                        surname_index.setdefault(alias_key(group.name), []).append(group)
                self._attach(group, span, roles)
                claimed.update(range(span.start_char, span.end_char))
        # surnames the model missed
        covered = {i for e in doc.ents for i in range(e.start_char, e.end_char)} | claimed
        found: dict[str, list[int]] = {}  # one pass over the tokens, then key by key
        for token in doc:
            if token.idx in covered or not token.text[:1].isupper() or token.pos_ != "PROPN":
                continue
            key = alias_key(token.text)
            if key in surname_index and " " not in key:
                found.setdefault(key, []).append(token.i)
        for key, targets in surname_index.items():
            for i in found.get(key, ()):
                target = self._nearest(targets, doc[i:i + 1])
                if target is not None:
                    self._attach(target, doc[i:i + 1], roles, source="linker")
        return groups, claimed, org_persons

    def _confirm_officeholders(self, doc: Doc, people: list[MentionCluster],
                               document_state: str) -> None:
        """Link people to the public records of office holders when the document
        supports it (a fitting title in a state the document names, or a party
        label or party-district tag): the record's id, and a role for a person
        the text names only with a party ("Republican Ana Diaz (R-Salem)")."""
        from policycorpus.pipeline.officeholders import state_code

        states = {state_code(document_state)}
        for ent in doc.ents:
            if ent.label_ == "PLACE":
                states.add(state_code(self.gaz.state_of(ent.kb_id_ or ent.text)))
        states.discard("")
        text = doc_text(doc)
        pending: list[tuple[MentionCluster, str, str]] = []
        surnames: list[MentionCluster] = []
        for group in people:
            if len(group.name.split()) < 2:
                if group.role is not None and group.role.title:
                    surnames.append(group)  # "Sen. Diaz" alone
                continue
            title = group.role.title if group.role is not None else ""
            party = ""
            for start, end, *_ in group.spans:
                party = party or _party_near(text, start, end)
            if title or party:
                pending.append((group, title, party))
        if not pending and not (surnames and states):
            return
        from policycorpus.pipeline.officeholders import OfficeHolders  # lazily: 0.1 s, ~20 MB

        holders = OfficeHolders.load()
        if not states:  # "Gov. Ana Diaz" alone can tell the state
            for group, title, party in pending:
                found = holders.confirm(group.name, title, None, party) if title else None
                if found is not None and found.state != "us":
                    states.add(found.state)
        for group, title, party in pending:
            confirmed = holders.confirm(group.name, title, states, party)
            if confirmed is None and group.role is None and any(
                    _PARTY_DISTRICT.match(text, s[1]) for s in group.spans):
                # "Tom Lee, R-Salina": a party-district tag is a legislator's
                group.role = TitleRole("")
            if confirmed is None:
                continue
            group.officeholder_id = confirmed.id
            if group.role is None:
                group.role = TitleRole(confirmed.role)
        for group in surnames:  # the full name behind "Sen. Diaz": the record's id
            assert group.role is not None
            found = holders.confirm_surname(group.name, group.role.title, states)
            if found is not None:
                group.officeholder_id = found.id

    @staticmethod
    def _partial_of_anchor(span: Span, anchors: list[tuple[MentionCluster, list[str]]]) -> bool:
        key = alias_key(span.text)
        return any(key in keys for _, keys in anchors)

    @staticmethod
    def _nearest(targets: list[MentionCluster], span: Span) -> MentionCluster | None:
        """The group among ``targets`` whose first mention is nearest before ``span``."""
        if not targets:
            return None
        before = [g for g in targets if g.spans and g.spans[0][0] <= span.start_char]
        pool = before or targets
        return max(pool, key=lambda g: g.spans[0][0] if g.spans else -1)

    @staticmethod
    def _attach(group: MentionCluster, span: Span, roles: dict[int, TitleRole],
                source: str | None = None) -> None:
        group.spans.append((span.start_char, span.end_char, span.text, span.label_,
                            source or span.id_ or "model"))
        role = roles.get(span.start_char)
        if role is not None and (group.role is None or (role.org and not group.role.org)):
            group.role = role

    # -- organizations ----------------------------------------------------------------

    def _canonical_org(self, span: Span) -> str:
        if span.kb_id_:
            return span.kb_id_
        name = " ".join(span.text.replace("’", "'").split())
        place = re.sub(r"\s*\bpolice$", "", name, flags=re.I)
        if span.label_ == "AGENCY" and place != name and self.gaz.place(place) is not None:
            # "Oakland police" is the Oakland Police Department; "Illinois State Police" stays
            name = place + " Police Department"
        return name

    def _organizations(self, doc: Doc, claimed: set[int], extra: list[Span]
                       ) -> list[MentionCluster]:
        spans = [e for e in doc.ents if e.label_ in ("ORG", "AGENCY")
                 and e.start_char not in claimed] + extra
        by_name: dict[str, MentionCluster] = {}
        for span in sorted(spans, key=lambda s: -len(s.text)):
            name = self._canonical_org(span)
            key = alias_key(name)
            group = by_name.get(key)
            if group is None:
                group = self._suffix_group(by_name, key)
            if group is None:
                group = MentionCluster(span.label_, name)
                by_name[key] = group
            if span.label_ == "AGENCY" and (span.kb_id_ or group.label == "PERSON"):
                group.label = "AGENCY"
            if group.label == "PERSON":
                group.label = "ORG"
            self._attach(group, span, {})
        return list(by_name.values())

    @staticmethod
    def _suffix_group(by_name: dict[str, MentionCluster], key: str) -> MentionCluster | None:
        """A longer name in the document that ends with this short form."""
        hits = [g for k, g in by_name.items() if k.endswith(" " + key)]
        return hits[0] if len(hits) == 1 else None

    # -- laws ---------------------------------------------------------------------------

    def _laws(self, doc: Doc) -> list[MentionCluster]:
        spans = [e for e in doc.ents if e.label_ == "LAW"]
        parent = list(range(len(spans)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i in range(len(spans) - 1):
            a, b = spans[i], spans[i + 1]
            gap = doc[a.end:b.start]
            if len(gap) <= 5 and a.sent == b.sent and gap and \
                    all(t.lower_ in _LAW_TIES for t in gap) and \
                    _is_number_law(a.kb_id_ or a.text) != _is_number_law(b.kb_id_ or b.text):
                parent[find(i)] = find(i + 1)
        keys: dict[str, int] = {}
        for i, span in enumerate(spans):
            key = alias_key(span.kb_id_ or span.text)
            if key in keys:
                parent[find(i)] = find(keys[key])
            keys[key] = i
        clusters: dict[int, list[Span]] = {}
        for i, span in enumerate(spans):
            clusters.setdefault(find(i), []).append(span)
        groups = []
        for members in clusters.values():
            names = [m.kb_id_ or m.text for m in members]
            titled = [n for n in names if not _is_number_law(n)]
            group = MentionCluster("LAW", (titled or names)[0])
            for member in members:
                self._attach(group, member, {})
            groups.append(group)
        return groups

    # -- places -------------------------------------------------------------------------

    def _places(self, doc: Doc, claimed: set[int]) -> list[MentionCluster]:
        groups: dict[str, MentionCluster] = {}
        for span in doc.ents:
            if span.label_ != "PLACE" or not span.text[:1].isupper() or span.start_char in claimed:
                continue
            name = span.kb_id_ or " ".join(span.text.split())
            group = groups.setdefault(alias_key(name), MentionCluster("PLACE", name))
            self._attach(group, span, {})
        return list(groups.values())

    # -- output -------------------------------------------------------------------------

    @staticmethod
    def _add(groups: list[MentionCluster], label: str, name: str, span: Span, source: str
             ) -> None:
        key = alias_key(name)
        group = next((g for g in groups if g.label in ("AGENCY", "ORG")
                      and alias_key(g.name) == key), None)
        if group is None:  # a bare "Senate" or "House" the title explains
            group = next((g for g in groups if g.label in ("AGENCY", "ORG") and any(
                s[0] < span.end_char and span.start_char < s[1] for s in g.spans)), None)
            if group is not None:
                group.name = name
        if group is None:
            group = MentionCluster(label, name)
            groups.append(group)
        group.label = label
        group.spans.append((span.start_char, span.end_char, span.text, label, source))

    def _export(self, doc: Doc, group: MentionCluster,
                provenance: dict[tuple[int, int], tuple[str, str]]) -> ExtractedEntity:
        type_ = TYPE_OF_LABEL[group.label]
        if type_ == "person" and group.role is not None:
            type_ = "official"
        if type_ == "person":
            longest = max((s[2] for s in group.spans), key=lambda t: len(t.split()))
            if len(longest.split()) > len(group.name.split()):
                group.name = " ".join(longest.split())
        mentions = []
        for start, end, text, label, source in sorted(set(group.spans)):
            span = doc.char_span(start, end, alignment_mode="expand")
            # A mention the sentence splitter cut through belongs to both sentences.
            first = span[0].sent if span is not None and len(span) else None
            last = span[-1].sent if span is not None and len(span) else None
            model_label, rule_id = provenance.get((start, end), ("", ""))
            if source == "linker":
                rule_id = "linker#surname"
            mentions.append(Mention(
                start, end, text,
                sent_start=first.start_char if first is not None else start,
                sent_end=last.end_char if last is not None else end,
                label=label, source=source, model_label=model_label, rule_id=rule_id,
            ))
        role = group.role if type_ == "official" and group.role is not None else TitleRole("")
        return ExtractedEntity(
            type=type_,
            name=group.name,
            aliases=tuple(sorted({m.text for m in mentions})),
            role=role.title,
            org=role.org,
            officeholder_id=group.officeholder_id,
            mentions=tuple(mentions),
        )


def _without_initials(name: str) -> str:
    """A name's key without middle initials: "Ana B. Diaz" -> "ana diaz"."""
    words = alias_key(name).split()
    return " ".join(w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and len(w) == 1))


def _misspelt(surname_index: dict[str, list[MentionCluster]], key: str) -> list[MentionCluster]:
    """The people whose surname this one-word name misspells by two swapped
    letters ("Hartnel" for "Hartnle"), as minutes and OCR do; long names only."""
    if len(key) < 6 or " " in key:
        return []
    from rapidfuzz.distance import OSA

    hits = [groups for surname, groups in surname_index.items()
            if " " not in surname and len(surname) == len(key) and surname[0] == key[0]
            and sorted(surname) == sorted(key) and OSA.distance(surname, key) == 1]
    return hits[0] if len(hits) == 1 else []


_PARTY_WORDS = {"republican": "R", "democrat": "D", "democratic": "D", "gop": "R",
                "independent": "I"}
_PARTY_DISTRICT = re.compile(r"\s*[,(]\s*[RDI]\s*[-–—]\s*[A-Z0-9]")
_PARTY_TAG = re.compile(r"\s*[,(]\s*([RDI])\s*(?:[-–—,.)]|$)")


def _party_near(text: str, start: int, end: int) -> str:
    """The party a label before a name or a party-district tag after it gives:
    "Republican Ana Diaz", "Sen. Ana Diaz, R-Salem", "Rep. Tom Lee (D-12)"."""
    tag = _PARTY_TAG.match(text, end)
    if tag:
        return tag.group(1)
    before = text[max(0, start - 40):start].split()
    for word in reversed(before[-3:]):
        party = _PARTY_WORDS.get(word.lower().strip(",.()"))
        if party:
            return party
        if not word[:1].isupper():
            break
    return ""


def _is_number_law(name: str) -> bool:
    """True for a cited number ("SB 54", "Section 287(g)"), not a titled law."""
    return bool(re.search(r"\d", name)) and not re.search(r"\b(Act|Law|Ordinance)\b", name)


@Language.factory("policycorpus_linker", assigns=["doc._.pc_entities"],
                  requires=["doc.ents", "doc._.pc_origins", "doc._.pc_roles"])
def make_linker(nlp: Language, name: str) -> Linker:
    """Factory of the ``policycorpus_linker`` component."""
    return Linker(nlp)
