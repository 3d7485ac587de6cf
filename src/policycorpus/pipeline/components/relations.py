"""``policycorpus_relations``: who did what to which law (``ANNOTATION.md``, "Law actions").

Runs after the linker, whose entity groups name the actors (officials,
persons, agencies, organizations) and the laws. A relation joins an actor
and a law of the same document through a trigger word of
``models/law_actions.jsonl`` (verb and noun families, no names), read off
the dependency parse:

- the subject of an active verb, the ``by`` agent of a passive one or of a
  participle after the law ("SB 5, sponsored by Rep. Ana Diaz"), and the
  subject a verb inherits through ``to``-clauses, coordination and light
  verbs ("filed suit challenging ...", "gave final passage to ...");
- the law as direct object, passive subject, prepositional object
  ("voted against", "sued over") or the noun a participle follows;
- coordination on either side ("Sens. A and B introduced HB 1 and HB 2");
- nominalisations: "Ana Diaz's bill" (sponsor), "the bill's sponsor, X",
  "X's veto of ...", "the court's ruling on ...";
- "urged a veto", "asked a judge to block it", "vowed to sign it" turn into
  support, oppose or challenge, as do "came out against", "testified in
  favor of" and "praised X for passing"; negated, refused and expected acts
  are left out;
- a law that directs, requires or allows a body to act is enforced by it
  ("SB 9 directs the Department of Revenue to ...");
- "the bill", "the measure", "it" name the law last mentioned in the
  paragraph (else shortly before, else the document's only law); "he",
  "she", "the governor", "the council" name the nearest person holding
  that title or the nearest body with that word in its name;
- a quotation that names a law (or "the bill") and praises or criticises it
  in the same clause (word lists in the data file) gives its speaker's
  support or opposition;
- roll calls: "Ayes: A, B. Noes: C" and "A Yes" lines give votes on the
  law last mentioned before them, as do "voted no" and headings such as
  "Passed by Senate, 43-17".

Each relation keeps the offsets of its subject and object mentions (those
of the antecedent when a reference was resolved), of its trigger and its
sentence, and the rule that produced it: ``Relation`` records in
``doc._.pc_relations``. It reads the linker's entities (``doc._.pc_entities``)
and the quotations (``doc._.pc_quotes``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from policycorpus.entity_types import PEOPLE
from policycorpus.extraction import ExtractedEntity, Quote, Relation
from policycorpus.pipeline import extensions  # noqa: F401  (declares doc._.pc_*)
from policycorpus.pipeline.components.doctext import doc_text
from policycorpus.pipeline.components.relation_lexicon import (
    Trigger,
    lexicon,
    title_names,
    title_word,
)

ACTORS = ("official", "person", "agency", "organization")
SUBJECT_DEPS = {"nsubj", "csubj"}
OBJECT_DEPS = {"dobj", "obj", "oprd", "attr", "npadvmod"}
OBJECT_PREPS = {"for", "against", "on", "over", "to", "of", "in", "with", "about", "toward",
                "towards", "behind", "under"}
REFERENCE_DETERMINERS = {"the", "this", "that", "a", "an", "its", "their", "his", "her", "such",
                         "these", "those"}
_COMPATIBLE = {"bill": {"bill", "act"}, "act": {"act", "bill"}}
ONE_TIME_ACTS = {"sign", "veto", "pass", "sponsor"}
SINGULAR_NOUN_ACTS = {"veto", "sign", "pass", "rule"}
# a reference word and the kind of law it prefers ("the bill" is not "the Act")
_KINDS = {"bill": re.compile(r"(?i:\bbill)|\b[A-Z]{1,3}\.? ?[A-Z]?\.? ?-?\d"),
          "act": re.compile(r"\bact\b", re.I), "ordinance": re.compile(r"\bordinance", re.I),
          "order": re.compile(r"\border\b", re.I), "resolution": re.compile(r"\bresolution", re.I)}
CLAUSE_DEPS = {"relcl", "ccomp", "advcl", "acl", "parataxis", "csubj", "xcomp", "punct"}
POSITIVE = {"sign", "pass", "vote_for", "sponsor", "enforce", "support"}
NEGATIVE = {"veto", "vote_against", "oppose"}
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_CONSTITUTIONAL = re.compile(r"\bconstitution\b|^(the )?([a-z]+(st|nd|rd|th)|first|second|third|"
                             r"fifth|eighth|ninth|twelfth|\d+(st|nd|rd|th)) amendment\b", re.I)
ONLY_LAW_REACH = 4
CHAIN_DEPTH = 3  # references followed back to an earlier reference  # paragraphs after a reference within which a document's only law may be


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    type: str
    name: str
    text: str
    role: str
    first: int  # token indices
    last: int
    subject: bool = False
    possessive: bool = False


@dataclass(frozen=True)
class _Found:
    relation: str
    subject: _Mention
    law: _Mention
    trigger: Token
    rule: str


class RelationFinder:
    """The ``policycorpus_relations`` component (see the module docstring)."""

    def __init__(self, nlp: Language) -> None:
        self.lex = lexicon()
        self._rollcall_first_words = frozenset(words[0] for words, _ in self.lex.rollcall)

    def __call__(self, doc: Doc) -> Doc:
        self._setup(doc, doc._.pc_entities or [])
        found: list[_Found] = []
        if self.laws:
            for token in doc:
                found.extend(self._from_token(token))
            found.extend(self._pending_rulings(found))
            found.extend(self._roll_calls(doc))
            found.extend(self._quoted_stances(doc))
        doc._.pc_relations = self._records(doc, found)
        return doc

    # -- the document's mentions ----------------------------------------------------

    def _setup(self, doc: Doc, groups: list[ExtractedEntity]) -> None:
        self.doc = doc
        self._rulings: list[tuple[Token, Trigger, list[Token], str, list[Token]]] = []
        self._resolved: dict[int, _Mention | None] = {}
        self._references: list[Token] | None = None
        self.actor_at: dict[int, _Mention] = {}
        self.law_at: dict[int, _Mention] = {}
        self.actors: list[_Mention] = []
        self.laws: list[_Mention] = []
        for group in groups:
            type_ = group.type
            if type_ not in ACTORS and type_ != "law":
                continue
            for m in group.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None or not len(span):
                    continue
                dep = span.root.dep_
                mention = _Mention(m.start, m.end, type_, group.name, m.text,
                                   group.role.lower(), span.start, span.end - 1,
                                   dep in ("nsubj", "nsubjpass"), dep == "poss")
                (self.laws if type_ == "law" else self.actors).append(mention)
                owner = self.law_at if type_ == "law" else self.actor_at
                for token in span:
                    owner.setdefault(token.i, mention)
        self.actors.sort(key=lambda m: m.start)
        self.laws.sort(key=lambda m: m.start)
        self.law_names = {m.name for m in self.laws}
        self.law_kinds: dict[str, set[str]] = {}
        for m in self.laws:
            kinds = self.law_kinds.setdefault(m.name, set())
            kinds.update(k for k, pattern in _KINDS.items() if pattern.search(m.text))
        text = doc_text(doc)
        self.paragraph_starts = [0] + [m.end() for m in _PARAGRAPH.finditer(text)]

    def _paragraph(self, char: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, char) - 1

    # -- triggers ---------------------------------------------------------------------

    def _from_token(self, token: Token) -> list[_Found]:
        lex = self.lex
        word = token.lower_
        if token.i in self.law_at or token.i in self.actor_at:
            return []
        if token.pos_ in ("VERB", "AUX") or token.tag_ in ("VBN", "VBD", "VBG", "VBZ", "VBP"):
            found: list[_Found] = []
            if word in lex.motion_outcomes and any(
                    c.dep_ == "nsubj" and c.lower_ in lex.motions for c in token.children):
                return self._motion(token)
            if word in lex.prep_verbs:
                found = self._vote(token, lex.prep_verbs[word])
            if word in lex.mandates or (word in lex.grants and any(
                    t.lower_ in lex.powers for t in token.subtree)):
                # "SB 9 directs the department to ...", "SB 4 gives the department
                # authority to ..."
                found = self._mandate(token)
            trigger = lex.verbs.get(word)
            if trigger is not None and not found:
                found = self._verb(token, trigger)
            return found
        elif token.pos_ in ("NOUN", "PROPN"):
            trigger = lex.nouns.get(word)
            if trigger is not None:
                return self._noun(token, trigger)
            if word in lex.law_references and word not in ("it", "which", "that"):
                return self._possessed_law(token)
        return []

    def _blocked(self, token: Token) -> bool:
        """A negated, conditional or hypothetical act ("has not vetoed", "would sign")."""
        lex = self.lex
        for child in token.children:
            if child.dep_ == "neg" or (child.dep_ in ("aux", "mark", "advmod")
                                        and child.lower_ in lex.blockers):
                return True
        return False

    @staticmethod
    def _future(token: Token) -> bool:
        return any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall")
                   for c in token.children)

    @staticmethod
    def _unrealised(token: Token) -> bool:
        """An infinitive hanging on a noun: "a window for the governor to sign or
        veto bills", "the power to veto" (not an act that took place)."""
        head = token.head if token.dep_ == "conj" else token
        if head.tag_ != "VB" or not any(c.dep_ == "aux" and c.lower_ == "to"
                                        for c in head.children):
            return False
        return (head.dep_ in ("acl", "relcl") and head.head.pos_ in ("NOUN", "PROPN")) \
            or any(c.dep_ == "mark" and c.lower_ == "for" for c in head.children)

    def _context(self, token: Token) -> tuple[str, Token | None, list[Token]]:
        """Walk up ``to``-clauses from a trigger without its own subject.

        Returns the context ("" / "vote" / "stance" / "blocked"), the verb
        whose subject is the agent (or the actor noun the clause hangs on:
        "Rep. Ana Diaz joining Democrats to vote against", "the agency's work
        to implement"), and the words passed.
        """
        lex = self.lex
        path: list[Token] = []
        head = token
        context = ""
        for _ in range(4):
            if head.dep_ in ("acl", "relcl") and head.head.i in self.actor_at:
                return context, head.head, path
            if head.dep_ == "acl" and head.tag_ == "VBG":
                # "with Rep. Ana Diaz joining Democrats to vote against": the parser
                # may hang "joining" on the noun before "with"
                doer = next((t for t in self.doc[head.head.i + 1:head.i]
                             if t.dep_ == "pobj" and t.head.lower_ == "with"
                             and t.i in self.actor_at), None)
                if doer is not None:
                    return context, doer, path
            owner = next((c for c in head.children if c.dep_ == "poss"
                          and c.i in self.actor_at), None) if head.i != token.i else None
            if owner is not None and head.pos_ == "NOUN":
                return context, owner, path
            if head.dep_ not in ("xcomp", "dobj", "conj", "advcl", "pcomp", "pobj", "prep",
                                 "acl", "acomp") or head.head.i == head.i:
                break
            if head.dep_ == "acomp" and self._relation_word(token) != "enforce":
                break  # "is responsible for enforcing", but "is eager to sign" is no act
            if head.dep_ == "conj" and head.head.pos_ not in ("VERB", "AUX"):
                break
            head = head.head
            path.append(head)
            if head.lower_ in lex.blockers or self._blocked(head):
                return "blocked", None, path
            if head.lower_ in lex.votes:
                context = context or "vote"
            elif head.lower_ in lex.stance:
                context = "stance"
            if any(c.dep_ in SUBJECT_DEPS or c.dep_ == "nsubjpass" for c in head.children):
                return context, head, path
        if head.i != token.i and head.pos_ == "NOUN":
            owner = next((c for c in head.children if c.dep_ == "poss"
                          and c.i in self.actor_at), None)
            if owner is not None:
                return context, owner, path
        return context, None, path

    def _owner_before_infinitive(self, token: Token) -> Token | None:
        """"Ofcom's work to implement the Act", "the county's duty to enforce it",
        however the parser hangs the infinitive: the actor owning the task noun
        just before ``to`` (not "the mayor's refusal to sign", "the governor's
        deadline to sign")."""
        to = next((c for c in token.children if c.dep_ == "aux" and c.lower_ == "to"), None)
        if to is None or to.i == 0:
            return None
        noun = self.doc[to.i - 1]
        if noun.pos_ != "NOUN" or noun.lower_ not in self.lex.tasks:
            return None
        return next((c for c in noun.children if c.dep_ == "poss" and c.i in self.actor_at),
                    None)

    def _agents_of(self, holder: Token | None) -> list[Token]:
        """The agent tokens ``_context`` leads to ("it is up to the county to enforce
        it": the county)."""
        if holder is None:
            return []
        if holder.i in self.actor_at:
            return [holder]
        subjects = [c for c in holder.children if c.dep_ in SUBJECT_DEPS]
        if not subjects and holder.lower_ in self.lex.mandates:
            # "the department is charged with enforcing SB 4": the one charged does it
            subjects = [c for c in holder.children if c.dep_ == "nsubjpass"]
        if subjects and subjects[0].lower_ == "it" and holder.lemma_ == "be":
            up = [p for c in holder.children if c.dep_ == "prep" and c.lower_ == "up"
                  for to in c.children if to.dep_ == "prep" and to.lower_ == "to"
                  for p in to.children if p.dep_ == "pobj"]
            return up
        return subjects

    def _verb(self, token: Token, trigger: Trigger) -> list[_Found]:
        if self._blocked(token) or self._unrealised(token):
            return []
        if any(c.dep_ in OBJECT_DEPS and c.lower_ in self.lex.nouns for c in token.children):
            return []  # "filed a lawsuit over ...": the noun is the act
        passive = self._passive(token)
        context, holder, path = "", None, []
        agents: list[Token] = []
        if passive:
            agents = [p for c in token.children if c.dep_ == "agent"
                      for p in c.children if p.dep_ == "pobj"]
        else:
            agents = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
            if token.dep_ == "relcl" and (not agents
                                          or agents[0].lower_ in ("who", "that", "which")):
                agents = [token.head]  # "Mayor Tim Stone, who opposed the ordinance, ..."
            elif not agents and token.dep_ == "acl" and token.tag_ == "VBG" \
                    and token.head.i in self.actor_at:
                agents = [token.head]  # "Rep. Ana Diaz, joining ..., voted"
        if not agents and not passive:
            owner = self._owner_before_infinitive(token)
            if owner is not None:
                agents = [owner]
            else:
                context, holder, path = self._context(token)
                if context == "blocked":
                    return []
                agents = self._agents_of(holder)
        if trigger.relation in ONE_TIME_ACTS and self._future(token):
            if token.dep_ != "ccomp":
                return []  # "the Senate will pass it" foretells, it does not report
            context = "stance"  # "Abbott has said he will sign it"
        if trigger.relation == "pass" and not passive:
            # "the bill passed the Senate": the law is the subject, the body the object
            subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
            bodies = [c for c in token.children if c.dep_ in OBJECT_DEPS
                      and c.i in self.actor_at and self.actor_at[c.i].type not in PEOPLE]
            if subjects and bodies and not any(c.i in self.actor_at for c in subjects):
                laws = self._laws_under(subjects[0], token)
                return self._combine(token, trigger, "pass", bodies, laws, "", ["law subject"],
                                     [])
            legislature = self._only_legislature()
            if subjects and not bodies and legislature is not None and not any(
                    c.dep_ in OBJECT_DEPS for c in token.children) \
                    and not any(c.i in self.actor_at for c in subjects) \
                    and not self._blocked(token):
                # "It passed 31-29": the document's one legislature passed it
                laws = self._laws_under(subjects[0], token)
                return [_Found("pass", legislature, law, token,
                               "law_actions#pass (law subject, the legislature)")
                        for law in laws]
        if trigger.relation == "pass" and passive and not agents and token.dep_ != "acl" \
                and not self._future(token):
            # "House Bill 5 was passed 61-30": the document's one legislature passed it
            legislature = self._only_legislature()
            subjects = [c for c in token.children if c.dep_ == "nsubjpass"]
            if legislature is not None and subjects:
                return [_Found("pass", legislature, law, token,
                               "law_actions#pass (passive, the legislature)")
                        for law in self._laws_under(subjects[0], token)]
        laws = self._objects(token, passive)
        if not laws and trigger.relation == "enforce":
            # "Under SB 5, the department enforces the rules": the law the clause is under
            clause = token
            while clause.dep_ in ("xcomp", "pcomp", "prep", "acomp", "conj") \
                    and clause.head.i != clause.i:
                clause = clause.head
            laws = [m for c in clause.children if c.dep_ == "prep"
                    and c.lower_ in ("under", "pursuant")
                    for m in self._laws_under(c, token)]
        if not laws and token.dep_ == "conj" and token.head.pos_ == "VERB":
            # "sponsored by A and signed by B": the second verb shares the first's law
            laws = self._objects(token.head, self._passive(token.head))
        if not laws and passive and agents and token.dep_ == "ROOT" \
                and not any(c.dep_ == "nsubjpass" for c in token.children):
            # "Passed by Senate, 43-17": a heading about the law under discussion
            law = self._law_before(token)
            laws = [law] if law is not None else []
        how = ["passive"] if passive else []
        relation = trigger.relation
        if context == "vote":
            relation = "vote_for" if relation in POSITIVE else (
                "vote_against" if relation in NEGATIVE | {"vote_against"} else relation)
            how.append("vote")
        return self._combine(token, trigger, relation, agents, laws, context, how, path)

    @staticmethod
    def _passive(token: Token) -> bool:
        return any(c.dep_ in ("nsubjpass", "auxpass", "agent") for c in token.children) or (
            token.dep_ in ("acl", "amod") and token.tag_ == "VBN")

    def _vote(self, token: Token, entry: tuple[str, str, frozenset[str], frozenset[str]]
              ) -> list[_Found]:
        """"voted for/against/yes on X" (and "voted 5-2 to approve X" from the inner
        verb); "came out against X", "testified in favor of X"."""
        if self._blocked(token):
            return []
        against, for_, against_words, for_words = entry
        relation = ""
        laws: list[_Mention] = []
        for child in token.children:
            if child.dep_ in ("prep", "advmod", "dobj", "prt", "intj"):  # "voted no"
                word = child.lower_
                if word in against_words:
                    relation = against
                elif word in for_words:
                    relation = relation or for_
                else:
                    continue
                laws += self._laws_under(child, token)
        if not relation:
            return []
        if for_ != "vote_for" and not laws:
            return []  # only a vote is on the law under discussion without naming it
        if not laws:  # "voted no": on the law under discussion
            law = self._resolve_law(token)
            laws = [law] if law is not None else []
        agents = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        context, path = "", []
        if not agents:
            context, holder, path = self._context(token)
            if context == "blocked":
                return []
            agents = self._agents_of(holder)
        if not agents and token.dep_ in ("acl", "relcl"):
            agents = [token.head]
        trigger = Trigger("vote" if for_ == "vote_for" else "stance-prep", "vote", relation)
        return self._combine(token, trigger, relation, agents, laws, context, [], path)

    def _mandate(self, token: Token) -> list[_Found]:
        """"The 287(g) program allows ICE to ...", "SB 5 directs the Department of
        Revenue to ...": the body a law empowers or requires enforces it."""
        if self._blocked(token):
            return []
        trigger = Trigger("mandate", "verb", "enforce")
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        passive = [c for c in token.children if c.dep_ == "nsubjpass"]
        if passive:
            return self._mandated(token, passive[0], trigger)
        if subjects:
            laws = self._laws_under(subjects[0], token)
        elif token.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to"
                                                     for c in token.children):
            # "signed Executive Order 9 to direct the Department of X to ...": the law
            # the main verb acts on directs the body
            laws = [m for c in token.head.children if c.dep_ in ("dobj", "nsubjpass")
                    for m in self._laws_under(c, token)]
        else:
            return []
        objects = [c for c in token.children if c.dep_ in ("dobj", "dative")]
        objects += [s for c in token.children if c.dep_ in ("xcomp", "ccomp") and c.i > token.i
                    for s in c.children if s.dep_ == "nsubj"]  # "allows ICE to deputize"
        bodies = [c for c in objects
                  if c.i in self.actor_at and self.actor_at[c.i].type in ("agency", "official")]
        return self._combine(token, trigger, "enforce", bodies, laws, "", ["law subject"], [])

    def _motion(self, token: Token) -> list[_Found]:
        """Minutes: "Motion to adopt Ordinance 5. Motion carried 4-1": the
        document's one deliberative body passed the law of the motion (the last
        law named in the paragraph before the outcome)."""
        if self._blocked(token):
            return []
        paragraph = self._paragraph(token.idx)
        laws = [m for m in self.laws if m.end <= token.idx
                and self._paragraph(m.start) == paragraph]
        bodies: dict[str, _Mention] = {}
        for m in self.actors:
            if m.type == "agency" and set(m.name.lower().split()) & self.lex.deliberative_words:
                bodies.setdefault(m.name, m)
        if not laws or len(bodies) != 1:
            return []
        body = next(iter(bodies.values()))
        return [_Found("pass", body, laws[-1], token, "law_actions#motion (the body)")]

    def _mandated(self, token: Token, subject: Token, trigger: Trigger) -> list[_Found]:
        """"The attorney general is authorized to adopt rules under the act", "the
        department is required by SB 4 to ...": the body a law empowers enforces it."""
        if not any(c.dep_ in ("xcomp", "ccomp") for c in token.children):
            return []  # "is required" alone names no task
        agents = [p for c in token.children if c.dep_ == "agent"
                  for p in c.children if p.dep_ == "pobj"]
        laws = [m for a in agents for m in self._laws_under(a, token)]
        if not laws:  # the law named or referred to elsewhere in the sentence
            sent = token.sent
            skip = {t.i for t in subject.subtree}
            laws = list(dict.fromkeys(self.law_at[t.i] for t in sent
                                      if t.i in self.law_at and t.i not in skip))
            if not laws:
                refs = [t for t in sent if t.i not in skip and t.pos_ == "NOUN"
                        and t.lower_ in self.lex.law_references
                        and t.lower_ not in self.lex.weak_references and self._is_reference(t)]
                law = self._resolve_law(refs[0]) if refs else None
                laws = [law] if law is not None else []
        actors = [m for m, _ in self._actors_of(subject) if m.type in ("agency", "official")]
        if not actors or len(set(m.name for m in laws)) != 1:
            return []
        return self._combine(token, trigger, "enforce", [subject], laws, "", ["passive"], [])

    def _noun(self, token: Token, trigger: Trigger) -> list[_Found]:
        """Nominal triggers: "the bill's sponsor, X", "X's veto of", "filed suit over"."""
        if trigger.relation in SINGULAR_NOUN_ACTS and token.tag_ in ("NNS", "NNPS"):
            return []  # "the most vetoes in a session" names no one act
        agents: list[Token] = []
        laws: list[_Mention] = []
        for child in token.children:
            if child.dep_ == "poss":
                if child.i in self.law_at or child.lower_ in self.lex.law_references \
                        or child.lower_ == "its":
                    laws += self._laws_under(child, token)
                else:
                    agents.append(child)
            elif child.dep_ == "prep":
                if child.lower_ == "by":
                    agents += [p for p in child.children if p.dep_ == "pobj"]
                elif child.lower_ in OBJECT_PREPS:
                    laws += self._laws_under(child, token)
            elif child.dep_ in ("appos", "conj") and child.i in self.actor_at:
                agents.append(child)  # "bill sponsor, Rep. Ana Diaz, says" (often a conj)
            elif child.dep_ == "compound" and (child.i in self.law_at or (
                    child.lower_ in self.lex.law_references and child.tag_ == "NN")):
                # "the SB 5 sponsor", "bill sponsor Rep. Ana Diaz"
                law = self._resolve_law(child)
                laws += [law] if law is not None else []
        if token.dep_ == "appos" and token.head.i in self.actor_at:
            agents.append(token.head)
        if token.dep_ == "attr" and token.head.lower_ in ("is", "was", "are", "were", "'s", "be"):
            agents += [c for c in token.head.children if c.dep_ in SUBJECT_DEPS]
        if token.dep_ == "nsubj" and token.head.lower_ in ("include", "includes", "included",
                                                           "are", "were", "is", "was"):
            # "Supporters of the bill include the Farm Bureau"
            agents += [c for c in token.head.children if c.dep_ in ("dobj", "attr")]
        context, path = "", []
        if not agents:
            context, holder, path = self._context(token)
            if context == "blocked":
                return []
            agents = self._agents_of(holder)
            if holder is not None and holder.i not in self.actor_at:
                if not laws:
                    # "gave final passage to a bill", "filed suit over the law"
                    laws = [m for p in [holder, *path] for c in p.children
                            if c.dep_ in ("prep", "dative") and c.lower_ in OBJECT_PREPS
                            for m in self._laws_under(c, token)]
        how = ["noun"]
        if not laws and agents and trigger.relation in ("sponsor", "support", "oppose"):
            # "Co-sponsors include Rep. Tina Ford": of the law the paragraph is about
            paragraph = self._paragraph(token.idx)
            same = [m for m in self.laws if m.end <= token.idx
                    and self._paragraph(m.start) == paragraph]
            laws, how = (same[-1:], ["noun", "law of the paragraph"]) if same else ([], how)
        if not laws and agents and trigger.courts_only and token.tag_ == "NN":
            # "Chief Justice Ana Diaz wrote the majority opinion": on the law the
            # document's court ruled on (``_pending_rulings``)
            self._rulings.append((token, trigger, agents, context, path))
        return self._combine(token, trigger, trigger.relation, agents, laws, context, how, path)

    def _pending_rulings(self, found: list[_Found]) -> list[_Found]:
        """A judge's opinion or decision that names no law is on the law the
        document's courts ruled on, when there is exactly one."""
        ruled = {f.law.name: f.law for f in found if f.relation == "rule"}
        if len(ruled) != 1:
            return []
        law = next(iter(ruled.values()))
        out: list[_Found] = []
        for token, trigger, agents, context, path in self._rulings:
            out += self._combine(token, trigger, trigger.relation, agents, [law], context,
                                 ["noun", "the ruling of the document"], path)
        return out

    def _possessed_law(self, token: Token) -> list[_Found]:
        """"Ana Diaz's bill": the owner of a bill sponsors it."""
        owners = [c for c in token.children if c.dep_ == "poss" and c.i in self.actor_at]
        if not owners:
            return []
        mention = self.actor_at[owners[0].i]
        if mention.type not in PEOPLE:
            return []
        law = self._resolve_law(token)
        if law is None:
            return []
        return [_Found("sponsor", mention, law, token, "law_actions#possessive")]

    # -- arguments ----------------------------------------------------------------------

    def _objects(self, token: Token, passive: bool) -> list[_Mention]:
        """The laws a verb acts on."""
        laws: list[_Mention] = []
        if passive:
            for child in token.children:
                if child.dep_ == "nsubjpass":
                    laws += self._laws_under(child, token)
            if token.dep_ in ("acl", "amod", "relcl") and not laws:
                laws += self._laws_under(token.head, token, stop_below=token)
            if token.dep_ == "advcl" and not laws:
                # "Sponsored by Sen. Ana Diaz, SB 5 expands ...": the main clause's subject
                laws += [m for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")
                         for m in self._laws_under(c, token)]
        else:
            for child in token.children:
                if child.dep_ in OBJECT_DEPS:
                    laws += self._laws_under(child, token)
                elif child.dep_ in ("prep", "dative") and child.lower_ in OBJECT_PREPS:
                    laws += self._laws_under(child, token)
            if not laws and self._courts(token):
                # "the court ruled that the act is constitutional"
                for clause in token.children:
                    if clause.dep_ == "ccomp":
                        laws += [m for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")
                                 for m in self._laws_under(c, token)]
            if token.dep_ == "relcl" and not laws:
                # "the bill, which Diaz sponsored"
                if any(c.dep_ in ("dobj", "nsubjpass") and c.lower_ in ("which", "that")
                       for c in token.children):
                    laws += self._laws_under(token.head, token, stop_below=token)
        return list(dict.fromkeys(laws))

    def _laws_under(self, head: Token, trigger: Token, stop_below: Token | None = None
                    ) -> list[_Mention]:
        """Laws named in the phrase under ``head`` (not inside other clauses or
        other triggers), or the law a reference there ("the bill", "it") names."""
        found: list[_Mention] = []
        reference: Token | None = None
        stack = [head]
        seen: set[int] = set()
        while stack:
            tok = stack.pop()
            if tok.i in seen:
                continue
            seen.add(tok.i)
            mention = self.law_at.get(tok.i)
            if mention is not None:
                if mention not in found:
                    found.append(mention)
            elif reference is None and self._is_reference(tok):
                reference = tok
            for child in tok.children:
                if child is stop_below or child is trigger:
                    continue
                same = self._relation_word(child) == self._relation_word(trigger) != "" or (
                    # "praised the council for passing the ordinance"
                    child.dep_ == "pcomp" and tok.lower_ == "for"
                    and self._relation_word(trigger) in ("support", "oppose"))
                if child.dep_ in CLAUSE_DEPS and child.i not in self.law_at and not same:
                    continue
                if tok is not head and self._is_trigger(child) and child.i not in self.law_at \
                        and not same:
                    continue  # another act ("filed a lawsuit over" is not "filed")
                stack.append(child)
        if not found and reference is not None:
            # "the program created by HB 500" names its law inside the phrase
            inner = [self.law_at[t.i] for t in reference.subtree if t.i in self.law_at]
            law = inner[0] if inner else self._resolve_law(reference)
            if law is not None:
                found.append(law)
        return found

    def _courts(self, token: Token) -> bool:
        trigger = self.lex.verbs.get(token.lower_)
        return trigger is not None and trigger.courts_only

    def _is_reference(self, token: Token) -> bool:
        """"the bill", "this measure", "it": a word that refers back to a law."""
        if token.lower_ not in self.lex.law_references or token.tag_ in ("NNS", "NNPS"):
            return False
        if token.pos_ == "PRON":
            return True
        if token.pos_ != "NOUN" or token.head.lower_ == "into":  # "signed into law"
            return False
        children = list(token.children)
        if any(c.dep_ in ("nummod", "compound") and c.pos_ in ("PROPN", "NUM")
               for c in children):
            return False  # "Executive Order 9" is a name the recognizer missed
        if not any(c.dep_ in ("det", "poss") for c in children):
            return token.lower_ in self.lex.bare_references  # "over legislation signed in ..."
        return any(c.dep_ in ("det", "poss") and c.lower_ in REFERENCE_DETERMINERS
                   or (c.dep_ == "poss" and c.i in self.law_at) for c in children)

    def _only_legislature(self) -> _Mention | None:
        """The document's legislative body, when it names exactly one."""
        bodies: dict[str, _Mention] = {}
        for m in self.actors:
            if m.type == "agency" and set(m.name.lower().split()) & self.lex.legislature_words:
                bodies.setdefault(m.name, m)
        return next(iter(bodies.values())) if len(bodies) == 1 else None

    def _relation_word(self, token: Token) -> str:
        """The relation a trigger word means by itself ("" for none)."""
        found = self.lex.verbs.get(token.lower_) or self.lex.nouns.get(token.lower_)
        return found.relation if found is not None else ""

    def _is_trigger(self, token: Token) -> bool:
        word = token.lower_
        return word in self.lex.verbs or word in self.lex.nouns or word in self.lex.prep_verbs

    def _resolve_law(self, token: Token, depth: int = 0) -> _Mention | None:
        """The law a reference ("the bill", "the measure", "it") names; failing a law
        in reach, the law an earlier reference of the last paragraphs named ("The
        bill also requires ... \n The measure ... It passed")."""
        if token.i in self.law_at:
            return self.law_at[token.i]
        if token.i in self._resolved:
            return self._resolved[token.i]
        law = self._resolve_law_directly(token)
        if law is None and depth < CHAIN_DEPTH and token.lower_ not in self.lex.weak_references \
                and not any(c.lower_ in ("a", "an", "another") for c in token.children):
            paragraph = self._paragraph(token.idx)
            earlier = [t for t in self._noun_references()
                       if t.i < token.i and 0 <= paragraph - self._paragraph(t.idx) <= 2]
            if earlier:
                law = self._resolve_law(earlier[-1], depth + 1)
        self._resolved[token.i] = law
        return law

    def _topic_of_sentence(self, law: _Mention, token: Token) -> _Mention:
        """``law``, unless it is an object in a sentence whose subject is a reference
        to another law: "The law ... also violates the Civil Rights Act. The law adds
        ..." continues the subject, not the act it violates."""
        if law.subject:
            return law
        sent = self.doc[law.first].sent
        for ref in self._noun_references():
            if sent.start <= ref.i < law.first and ref.i < token.i \
                    and ref.dep_ in ("nsubj", "nsubjpass"):
                other = self._resolve_law(ref, CHAIN_DEPTH)
                if other is not None:
                    return other
        return law

    def _noun_references(self) -> list[Token]:
        """The document's "the bill", "this measure" (not pronouns nor weak words)."""
        if self._references is None:
            words = self.lex.law_references - self.lex.weak_references
            self._references = [t for t in self.doc if t.lower_ in words and t.pos_ == "NOUN"
                                and self._is_reference(t)
                                and not any(c.lower_ in ("a", "an", "another")
                                            for c in t.children)]
        return self._references

    def _resolve_law_directly(self, token: Token) -> _Mention | None:
        """The law a reference names by the laws named around it."""
        paragraph = self._paragraph(token.idx)
        kind = token.lower_ if token.lower_ in _KINDS else ""
        if kind:
            # "the bill" may be a titled act, but "the resolution" is no Act
            laws = [m for m in self.laws if kind in self.law_kinds.get(m.name, set())]
            if not laws:
                wanted = _COMPATIBLE.get(kind, {kind})
                laws = [m for m in self.laws if wanted & self.law_kinds.get(m.name, set())]
            if not laws:
                return None
        else:
            laws = self.laws
        if token.pos_ != "PRON" and token.lower_ not in ("amendment", "constitution"):
            # "the law", "the bill" is no constitution nor "the Second Amendment"
            laws = [m for m in laws if not _CONSTITUTIONAL.search(m.name)]
        before = [m for m in laws if m.end <= token.idx]
        if any(c.lower_ in ("a", "an", "another") for c in token.children):
            # "enacted a law to create the X Program": the law named next in the
            # sentence; "a bill" introduces a law, it does not refer back to one
            sent = token.sent
            ahead = [m for m in laws if token.idx < m.start < sent.end_char]
            if ahead:
                return ahead[0]
            close = [m for m in laws if abs(self._paragraph(m.start) - paragraph) <= 1]
            return close[0] if close and len({m.name for m in laws}) == 1 else None
        same = [m for m in before if self._paragraph(m.start) == paragraph]
        if same:
            return self._topic_of_sentence(same[-1], token)
        if token.lower_ in self.lex.weak_references:
            # "the policy", "the program": a law of the same paragraph, or of the one
            # before when it is the only law named so far ("approved Directive 12 ...
            # \n\n Five members voted to approve the policy")
            if len({m.name for m in before}) == 1 \
                    and paragraph - self._paragraph(before[-1].start) <= 1:
                return before[-1]
            return None
        near = [m for m in before if paragraph - self._paragraph(m.start) <= 2]
        if near:
            return near[-1]
        if kind and before:
            return before[-1]
        names = {m.name for m in laws}
        if len(names) == 1 and (before or self._paragraph(laws[0].start)
                                - paragraph <= ONLY_LAW_REACH):
            # the document's only law, unless it is named only much later (a law the
            # story mentions in passing is not "the legislation" of its lede)
            return laws[0]
        # a law named later: in the same paragraph, or, when no law has been named
        # yet, in the next one (a lede speaks of "legislation" the story then names)
        after = [m for m in laws if m.start >= token.idx and (
            self._paragraph(m.start) == paragraph
            or (not before and self._paragraph(m.start) - paragraph <= 1))]
        return after[0] if after and len({m.name for m in self.laws}) <= 2 else None

    def _actors_of(self, head: Token) -> list[tuple[_Mention, str]]:
        """The actors a subject phrase names, with coordination; references resolved."""
        out: list[tuple[_Mention, str]] = []
        heads = [head]
        for tok in heads:  # grows: "A, B, C and D" parsed as conjuncts and appositions
            more = [*tok.conjuncts, *(c for c in tok.children
                                      if c.dep_ == "appos" and tok.i in self.actor_at)]
            heads += [c for c in more if c not in heads]
        for tok in heads:
            mention = self.actor_at.get(tok.i)
            if mention is not None:
                out.append((mention, ""))
                continue
            appos = [c for c in tok.children if c.dep_ == "appos" and c.i in self.actor_at]
            if appos:
                # "senators Ana Diaz, Tom Healy and Dee Park"
                for member in [appos[0], *appos[0].conjuncts]:
                    if member.i in self.actor_at:
                        out.append((self.actor_at[member.i], ""))
                continue
            resolved = self._resolve_actor(tok)
            if resolved is not None:
                out.append((resolved, "reference"))
                continue
            if tok.lower_ in self.lex.court_words:
                # "a three-judge panel of the 5th Circuit" rules as that court
                court = [self.actor_at[p.i] for c in tok.children
                         if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj" and p.i in self.actor_at]
                if court:
                    out.append((court[0], ""))
                    continue
            # "members of the council", "lawyers for the county" are not the body
            inner = [self.actor_at[c.i] for c in tok.children
                     if c.dep_ in ("compound", "nmod") and c.i in self.actor_at]
            if inner and tok.pos_ == "PROPN":
                out.append((inner[-1], ""))
        return out

    def _resolve_actor(self, token: Token) -> _Mention | None:
        """"he", "she" (the nearest person before); "the governor", "the court",
        "the council" (the nearest holder of that title or body with that word)."""
        word = token.lower_
        before = [m for m in self.actors if m.end <= token.idx]
        if word in self.lex.person_references:
            people = [m for m in before if m.type in PEOPLE and not m.possessive]
            chosen = next((m for m in reversed(people) if m.subject), None)
            return chosen or (people[-1] if people else None)
        if token.lower_ in self.lex.proxies and any(
                c.dep_ == "poss" and c.lower_ in ("his", "her") for c in token.children):
            # "his office", "her spokeswoman": the person "his" names
            people = [m for m in before if m.type in PEOPLE and not m.possessive]
            chosen = next((m for m in reversed(people) if m.subject), None)
            return chosen or (people[-1] if people else None)
        if token.pos_ != "NOUN" or not any(c.lower_ in ("the", "this", "that") for c in
                                           token.children):
            return None
        titles = title_names()
        wanted = titles.get(word, word)
        matches = [m for m in self.actors if
                   (m.type in PEOPLE and m.role.split()
                    and titles.get(title_word(m.role.split()[-1])) == wanted)
                   or (m.type not in PEOPLE and word in m.name.lower().split())]
        earlier = [m for m in matches if m.end <= token.idx]
        if earlier:
            return earlier[-1]
        return matches[0] if matches else None

    def _is_court(self, mention: _Mention) -> bool:
        words = set(re.findall(r"[a-z]+", (mention.role if mention.type in PEOPLE
                                           else mention.name).lower()))
        return bool(words & self.lex.court_words)

    # -- deciding ---------------------------------------------------------------------

    def _combine(self, token: Token, trigger: Trigger, relation: str, agents: list[Token],
                 laws: list[_Mention], context: str, how: list[str], path: list[Token]
                 ) -> list[_Found]:
        if not laws or not agents:
            return []
        out: list[_Found] = []
        actors = [found for agent in agents for found in self._actors_of(agent)]
        # in a list of voters with people, a name typed as an organization is a person
        people = context == "vote" and sum(m.type in PEOPLE for m, _ in actors) > 1
        for mention, via in actors:
            if people and mention.type == "organization":
                mention = _Mention(mention.start, mention.end, "person", mention.name,
                                   mention.text, mention.role, mention.first, mention.last)
            tags = [*how, *([via] if via else []), *([context] if context else [])]
            rule = f"law_actions#{trigger.id}" + (f" ({', '.join(dict.fromkeys(tags))})"
                                                  if tags else "")
            for rel in self._relation_for(mention, trigger, relation, context, path):
                out += [_Found(rel, mention, law, token, rule) for law in laws]
        return out

    def _relation_for(self, subject: _Mention, trigger: Trigger, relation: str, context: str,
                      path: list[Token]) -> list[str]:
        """The relation(s) a trigger means for this subject, or none."""
        is_person = subject.type in PEOPLE
        if context == "stance":
            stance = self.lex.stance_relations
            if relation in POSITIVE:
                return [stance.get("positive", "support")]
            if relation in NEGATIVE:
                return [stance.get("negative", "oppose")]
            if trigger.courts_only:  # "asked a judge to block the law"
                return [stance.get("court", "challenge")]
            return [relation] if relation in ("challenge", "support", "oppose") else []
        if trigger.courts_only and not self._is_court(subject):
            return []
        if trigger.people_only and not is_person:
            return []
        if context == "vote":
            if not is_person and relation == "vote_for" and trigger.relation == "pass":
                return ["pass", "vote_for"]
            return [relation] if relation in ("vote_for", "vote_against") else []
        if is_person and trigger.people is not None:
            return [trigger.people] if trigger.people else []
        if not is_person and trigger.bodies is not None:
            return [trigger.bodies] if trigger.bodies else []
        return [relation]

    # -- stances in quotations ------------------------------------------------------------

    def _quoted_stances(self, doc: Doc) -> list[_Found]:
        """A quotation (``policycorpus_quotes``) that names a law, or refers to one
        ("the bill", "this law"), and praises or criticises: its speaker supports
        or opposes that law ("'The bill is unconstitutional,' Sheriff Ana Diaz said")."""
        out: list[_Found] = []
        for quote in doc._.pc_quotes or []:
            speaker = self._speaker(doc, quote)
            span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
            if speaker is None or span is None or not len(span):
                continue
            anchors = [t for t in span if t.i in self.law_at]
            laws = [self.law_at[t.i] for t in anchors]
            if not laws:
                # "the bill", "this law", "a law that" (bare "legislation" is generic)
                anchors = [t for t in span if t.lower_ in self.lex.law_references
                           and t.pos_ == "NOUN" and self._is_reference(t)
                           and any(c.dep_ in ("det", "poss") for c in t.children)][:1]
                if not anchors:
                    # 'that the bill "is simply about scoring points"': the subject of
                    # the clause the quotation begins in, just before it
                    anchors = [c for c in self._clause(span[0]).children
                               if c.dep_ in ("nsubj", "nsubjpass") and c.i < span.start
                               and (c.i in self.law_at or self._is_reference(c))
                               and c.pos_ != "PRON"]
                law = self._quoted_law(anchors[0]) if anchors else None
                laws = [law] if law is not None else []
            if not laws:
                continue
            # praise or criticism in the clause that names the law (or the one it is
            # the complement of): "the bill would strip sheriffs of ...", "I am
            # pleased that the bill is now law", in the predicate of a clause whose
            # subject is the law ("the gist of the bill is something that needs to be
            # supported") or in a relative clause on it ("a law that turns the clock back")
            clauses = {self._clause(t).i for t in anchors}
            clauses |= {self._clause(t).head.i for t in anchors}
            about: set[int] = set()
            for t in anchors:
                about.update(c.i for c in t.subtree)
                phrase = t
                while (phrase.dep_ in ("pobj", "appos", "conj") or (
                        phrase.dep_ == "prep" and phrase.lower_ == "of")) \
                        and phrase.head.i != phrase.i:
                    phrase = phrase.head  # "the gist of the bill", not "Act settlements"
                if phrase.dep_ in ("nsubj", "nsubjpass"):
                    about.update(c.i for c in phrase.head.subtree)
            plus = minus = 0
            for token in span:
                polarity = self._polarity(token, span)
                if polarity and (token.i in clauses or token.i in about
                                 or self._clause(token).i in clauses
                                 or self._clause(token).head.i in clauses):
                    plus, minus = plus + (polarity > 0), minus + (polarity < 0)
            if plus == minus:
                continue
            relation = "support" if plus > minus else "oppose"
            out.append(_Found(relation, speaker, laws[0], span[0],
                              f"law_actions#quote-{'positive' if plus > minus else 'negative'}"))
        return out

    def _speaker(self, doc: Doc, quote: Quote) -> _Mention | None:
        """The actor who said a quotation: the mention at its speaker, or, for "the
        governor said", the nearest mention of the person the quotes component named."""
        speaker = self.actor_at.get(self._token_at(doc, quote.speaker_start))
        if speaker is not None:
            if speaker.possessive and doc[speaker.last].head.lower_ not in self.lex.proxies:
                return None  # "the Legislature's own lawyers said" is not the Legislature
            return speaker
        named = [m for m in self.actors if m.name == quote.speaker
                 and m.type == quote.speaker_type]
        earlier = [m for m in named if m.start <= quote.speaker_start]
        return earlier[-1] if earlier else (named[0] if named else None)

    def _polarity(self, token: Token, span: Any) -> int:
        """+1 for a word of praise or support, -1 for criticism or opposition, else 0."""
        lex = self.lex
        word = token.lower_.replace("’", "'")
        pair = f"{token.nbor(-1).lower_} {word}" if token.i > span.start else ""
        if word in lex.quote_positive:
            return 1
        if word in lex.quote_negative or pair in lex.quote_negative:
            return -1
        if token.pos_ == "VERB" and not self._blocked(token):
            trigger = lex.verbs.get(word)
            if trigger is not None and trigger.relation in ("support", "oppose"):
                return 1 if trigger.relation == "support" else -1
        return 0

    def _quoted_law(self, anchor: Token) -> _Mention | None:
        """The law a quotation's reference names; in a quotation "a law that ..."
        is the law under discussion, as "the law" would be."""
        if anchor.i in self.law_at:
            return self.law_at[anchor.i]
        law = self._resolve_law(anchor)
        if law is None and any(c.lower_ in ("a", "an") for c in anchor.children):
            paragraph = self._paragraph(anchor.idx)
            before = [m for m in self.laws if m.end <= anchor.idx
                      and paragraph - self._paragraph(m.start) <= 2
                      and not _CONSTITUTIONAL.search(m.name)]
            law = self._topic_of_sentence(before[-1], anchor) if before else None
        return law

    @staticmethod
    def _clause(token: Token) -> Token:
        """The verb heading the clause of ``token`` (the sentence root at most)."""
        head = token
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        return head

    @staticmethod
    def _token_at(doc: Doc, char: int) -> int:
        span = doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None else -1

    # -- roll calls -----------------------------------------------------------------------

    def _roll_calls(self, doc: Doc) -> list[_Found]:
        """"Ayes: A, B. Noes: C" and "A Yes B No" lines: votes on the law before them."""
        out: list[_Found] = []
        labels: list[tuple[int, int, str]] = []  # token start, token after the label, relation
        n = len(doc)
        texts = [t.text for t in doc]
        lowered = [t.lower() for t in texts]
        first_words = self._rollcall_first_words
        i = 0
        while i < n:
            if lowered[i] not in first_words or ":" not in texts[i + 1:i + 4] and not any(
                    t in ("-", "–", "—") for t in texts[i + 1:i + 4]):
                i += 1
                continue
            matched = False
            for words, relation in self.lex.rollcall:
                j = i + len(words)
                if j < n and tuple(lowered[i:j]) == words \
                        and texts[j] in (":", "-", "–", "—") \
                        and (i == 0 or doc[i - 1].is_sent_start or doc[i].is_sent_start
                             or texts[i - 1] in (".", ";", "|", ",") or doc[i].is_title
                             or doc[i].is_upper):
                    labels.append((i, j + 1, relation))
                    i = j + 1
                    matched = True
                    break
            if not matched:
                i += 1
        for index, (start, after, relation) in enumerate(labels):
            end = labels[index + 1][0] if index + 1 < len(labels) else n
            stop = after
            while stop < end and not (doc[stop].is_sent_start and stop > after
                                      and doc[stop].i not in self.actor_at
                                      and "\n" in doc[stop - 1].text_with_ws):
                stop += 1
            self._votes_in(doc, after, stop, relation, doc[start], out, "list")
        # "Okafor Yes", "Lindqvist Yes Moreau Yes": a person followed by a vote word
        for mention in self.actors:
            if mention.type not in PEOPLE or mention.last + 1 >= n:
                continue
            word = doc[mention.last + 1]
            if word.text in ("Yes", "Aye", "Yea", "YES", "AYE"):
                relation = "vote_for"
            elif word.text in ("No", "Nay", "NO", "NAY"):
                relation = "vote_against"
            else:
                continue
            if mention.last + 2 < n and doc[mention.last + 2].pos_ in ("VERB", "AUX", "ADP"):
                continue
            self._votes_in(doc, mention.first, mention.last + 1, relation, word, out, "name")
        return out

    def _votes_in(self, doc: Doc, start: int, end: int, relation: str, cue: Token,
                  out: list[_Found], how: str) -> None:
        law = self._law_before(cue)
        if law is None:
            return
        seen: set[_Mention] = set()
        for i in range(start, end):
            mention = self.actor_at.get(i)
            if mention is not None and mention.type in PEOPLE and mention not in seen:
                seen.add(mention)
                out.append(_Found(relation, mention, law, cue, f"law_actions#rollcall-{how}"))

    def _law_before(self, token: Token) -> _Mention | None:
        before = [m for m in self.laws if m.end <= token.idx]
        if before and self._paragraph(token.idx) - self._paragraph(before[-1].start) <= 4:
            return before[-1]
        return self.laws[0] if len(self.law_names) == 1 else None

    # -- output -----------------------------------------------------------------------------

    def _records(self, doc: Doc, found: list[_Found]) -> list[Relation]:
        out: list[Relation] = []
        seen: set[tuple[str, str, str, str, int]] = set()
        for f in found:
            if f.subject.name == f.law.name:
                continue
            key = (f.subject.type, f.subject.name, f.relation, f.law.name, f.trigger.i)
            if key in seen:
                continue
            seen.add(key)
            sent = f.trigger.sent
            out.append(Relation(
                relation=f.relation,
                subject_type=f.subject.type, subject=f.subject.name,
                subject_start=f.subject.start, subject_end=f.subject.end,
                subject_text=f.subject.text,
                object=f.law.name, object_start=f.law.start, object_end=f.law.end,
                object_text=f.law.text,
                start=f.trigger.idx, end=f.trigger.idx + len(f.trigger.text),
                cue=f.trigger.text,
                sent_start=sent.start_char, sent_end=sent.end_char,
                rule_id=f.rule,
            ))
        out.sort(key=lambda r: (r.start, r.subject_start, r.object_start))
        return out


@Language.factory("policycorpus_relations", assigns=["doc._.pc_relations"],
                  requires=["doc._.pc_entities", "doc._.pc_quotes"])
def make_relation_finder(nlp: Language, name: str) -> RelationFinder:
    """Factory of the ``policycorpus_relations`` component."""
    return RelationFinder(nlp)
