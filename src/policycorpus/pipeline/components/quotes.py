"""``policycorpus_quotes``: quotations and who said them.

Runs after the linker, whose entity groups name the speakers. A quotation is
text between double quote marks (curly or straight, paired within a
paragraph; a quote still open at a paragraph's end runs to it, as news
writing continues quotes across paragraphs). It is attributed through the
dependency parse to the subject of a speech verb (``models/speech_verbs.jsonl``)
in the sentences around it, in any of the forms news uses:

- ``"...," Wells said.`` / ``"...," said Wells.`` / ``Wells said: "..."``;
- ``"...," a spokesman for ICE said`` (the entity named in the subject);
- ``"...," he said`` (the nearest person named before);
- ``"...," the mayor said`` (the nearest official holding that title);
- ``according to Wells`` ;
- a quote without a verb continues the speaker of the quote before it in
  the same paragraph, or of an unclosed quote in the paragraph before.

Indirect speech ("Wells said that the law ...", "ICE stated the
program ...") is kept too, as ``kind="indirect"``: the clausal complement of
the speech verb.

It reads the linker's entities (``doc._.pc_entities``) and writes
``doc._.pc_quotes``: ``Quote`` records with the quote's offsets and text,
the speaker's type, canonical name and surface offsets, the verb and the
kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from policycorpus.extraction import ExtractedEntity, Quote
from policycorpus.pipeline import extensions  # noqa: F401  (declares doc._.pc_*)
from policycorpus.pipeline.components.doctext import doc_text
from policycorpus.resources import load_jsonl

QUOTE_MARKS = "\"“”"
OPENERS = "“"
SPEAKER_TYPES = ("official", "person", "agency", "organization")
PRONOUNS = {"he", "she"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_PARAGRAPH = re.compile(r"\n\s*\n|\n")


@dataclass
class _Quote:
    start: int
    end: int
    paragraph: int
    open_ended: bool


@dataclass
class _Mention:
    start: int
    end: int
    type: str
    name: str
    text: str
    subject: bool
    possessive: bool


@dataclass
class _Speaker:
    type: str
    name: str
    start: int
    end: int
    text: str


def speech_forms() -> frozenset[str]:
    """Every inflected form of the speech verbs in ``models/speech_verbs.jsonl``."""
    return frozenset(f for row in load_jsonl("speech_verbs.jsonl") for f in row["forms"])


def find_quotations(text: str) -> list[tuple[int, int, int, bool]]:
    """Quoted spans as (start, end, paragraph number, open-ended), inner offsets.

    Marks pair up in order within a paragraph; curly and straight marks mix
    freely (“like this," as pasted text often has).
    """
    out: list[tuple[int, int, int, bool]] = []
    position = 0
    for number, paragraph in enumerate(_PARAGRAPH.split(text)):
        base = text.index(paragraph, position) if paragraph else position
        position = base + len(paragraph)
        opened: int | None = None
        for i, char in enumerate(paragraph):
            if char not in QUOTE_MARKS:
                continue
            if opened is None:
                opened = i + 1
            elif char in OPENERS and not paragraph[opened:i].strip():
                opened = i + 1
            else:
                inner = paragraph[opened:i].rstrip().rstrip(",").rstrip()
                if inner.strip():
                    out.append((base + opened, base + opened + len(inner), number, False))
                opened = None
        if opened is not None and paragraph[opened:].strip():
            end = len(paragraph.rstrip())
            out.append((base + opened, base + end, number, True))
    return out


class QuoteFinder:
    """The ``policycorpus_quotes`` component (see the module docstring)."""

    def __init__(self, nlp: Language) -> None:
        self.verbs = speech_forms()

    def __call__(self, doc: Doc) -> Doc:
        groups: list[ExtractedEntity] = doc._.pc_entities or []
        owner = self._token_owners(doc, groups)
        mentions = self._mentions(doc, groups)
        roles = {g.name: g.role.lower() for g in groups if g.type == "official"}
        quotes: list[Quote] = []
        inside: set[int] = set()
        previous: tuple[_Quote, _Speaker] | None = None
        text = doc_text(doc)
        for start, end, paragraph, open_ended in find_quotations(text):
            quote = _Quote(start, end, paragraph, open_ended)
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            inside.update(range(span.start, span.end))
            verb = self._verb_near(doc, span)
            speaker = self._speaker(doc, verb, owner, mentions, roles) if verb is not None else None
            cue = verb.text.lower() if verb is not None else ""
            if speaker is None and verb is None and previous is not None:
                before, who = previous
                if before.paragraph == paragraph or (before.open_ended
                                                     and before.paragraph == paragraph - 1):
                    speaker, cue = who, ""
            if speaker is None:
                continue
            previous = (quote, speaker)
            quotes.append(self._record(text, start, end, speaker, cue, "direct"))
        reported: set[int] = set()
        for token in doc:
            if token.i in inside or token.i in reported or token.lower_ not in self.verbs \
                    or token.pos_ not in ("VERB", "AUX"):
                continue
            clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if clause is None or any(t.i in inside for t in clause.subtree):
                continue
            speaker = self._speaker(doc, token, owner, mentions, roles)
            if speaker is None:
                continue
            reported.update(t.i for t in clause.subtree)
            words = [t for t in clause.subtree if not (t.i == clause.left_edge.i and t.lower_ == "that")]
            first, last = words[0], words[-1]
            while (last.is_punct or last.is_space) and last.i > first.i:
                last = doc[last.i - 1]
            quotes.append(self._record(text, first.idx, last.idx + len(last.text), speaker,
                                       token.lower_, "indirect"))
        quotes.sort(key=lambda q: q.start)
        doc._.pc_quotes = quotes
        return doc

    # -- attribution --------------------------------------------------------------

    @staticmethod
    def _mentions(doc: Doc, groups: list[ExtractedEntity]) -> list[_Mention]:
        """Speaker-type mentions in text order, marking grammatical subjects."""
        out: list[_Mention] = []
        for group in groups:
            if group.type not in SPEAKER_TYPES:
                continue
            for m in group.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                dep = span.root.dep_ if span is not None else ""
                out.append(_Mention(m.start, m.end, group.type, group.name, m.text,
                                    dep in SUBJECT_DEPS, dep == "poss"))
        out.sort(key=lambda m: m.start)
        return out

    @staticmethod
    def _token_owners(doc: Doc, groups: list[ExtractedEntity]
                      ) -> dict[int, tuple[str, str, int, int, str]]:
        owner: dict[int, tuple[str, str, int, int, str]] = {}
        for group in groups:
            if group.type not in SPEAKER_TYPES:
                continue
            for m in group.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None:
                    continue
                for token in span:
                    owner[token.i] = (group.type, group.name, m.start, m.end, m.text)
        return owner

    def _verb_near(self, doc: Doc, quote: Span) -> Token | None:
        """The speech verb outside the quote in the sentences where it starts or ends."""
        candidates: list[tuple[int, Token]] = []
        sentences = {quote[0].sent, quote[-1].sent}
        if quote.end < len(doc):
            sentences.add(doc[quote.end].sent)
        for sent in sentences:
            for token in sent:
                if quote.start - 1 <= token.i <= quote.end:
                    continue
                if token.lower_ in self.verbs or (
                        token.lower_ == "according" and token.i + 1 < len(doc)
                        and doc[token.i + 1].lower_ == "to"):
                    distance = quote.start - token.i if token.i < quote.start else token.i - quote.end
                    candidates.append((distance, token))
        if not candidates:
            return None
        return min(candidates, key=lambda c: (c[0], c[1].i))[1]

    def _speaker(self, doc: Doc, verb: Token, owner: dict[int, tuple[str, str, int, int, str]],
                 mentions: list[_Mention], roles: dict[str, str]
                 ) -> _Speaker | None:
        if verb.lower_ == "according":
            objects = [t for t in doc[verb.i + 1].children if t.dep_ == "pobj"]
            return self._from_phrase(objects[0], owner) if objects else None
        head = verb
        while True:
            subjects = [c for c in head.children if c.dep_ in SUBJECT_DEPS]
            if subjects or head.dep_ != "conj" or head.head.i == head.i:
                break
            head = head.head
        if not subjects:
            return None
        subject = subjects[0]
        found = self._from_phrase(subject, owner)
        if found is not None:
            return found
        if subject.lower_ in PRONOUNS:
            return self._antecedent(mentions, verb.idx, ("official", "person"), None, roles)
        if subject.pos_ == "NOUN":
            return self._antecedent(mentions, verb.idx, ("official",), subject.lower_, roles)
        return None

    @staticmethod
    def _from_phrase(head: Token, owner: dict[int, tuple[str, str, int, int, str]]) -> _Speaker | None:
        """The entity named in a subject phrase, people before bodies."""
        found = [owner[t.i] for t in head.subtree if t.i in owner]
        if not found:
            return None
        rank = {"official": 0, "person": 0, "agency": 1, "organization": 1}
        type_, name, start, end, text = min(found, key=lambda f: (rank[f[0]], f[2]))
        return _Speaker(type_, name, start, end, text)

    @staticmethod
    def _antecedent(mentions: list[_Mention], before: int, types: tuple[str, ...],
                    title_word: str | None, roles: dict[str, str]) -> _Speaker | None:
        """The nearest earlier mention of one of ``types`` (holding ``title_word``).

        A grammatical subject is preferred over a mere mention, and a
        possessive ("Trump's border czar") is never the antecedent.
        """
        earlier = [m for m in mentions if m.start < before and m.type in types
                   and not m.possessive
                   and (title_word is None or title_word in roles.get(m.name, "").split())]
        chosen = next((m for m in reversed(earlier) if m.subject), None)
        if chosen is None and earlier:
            chosen = earlier[-1]
        if chosen is None:
            return None
        return _Speaker(chosen.type, chosen.name, chosen.start, chosen.end, chosen.text)

    @staticmethod
    def _record(text: str, start: int, end: int, speaker: _Speaker, cue: str, kind: str
                ) -> Quote:
        return Quote(start, end, text[start:end], speaker_type=speaker.type,
                     speaker=speaker.name, speaker_start=speaker.start,
                     speaker_end=speaker.end, speaker_text=speaker.text, cue=cue, kind=kind)


@Language.factory("policycorpus_quotes", assigns=["doc._.pc_quotes"],
                  requires=["doc._.pc_entities"])
def make_quote_finder(nlp: Language, name: str) -> QuoteFinder:
    """Factory of the ``policycorpus_quotes`` component."""
    return QuoteFinder(nlp)
