"""What the pipeline extracts from one document: plain, typed records.

The pipeline's components write these on each ``Doc`` (as ``Doc._``
extensions, see ``pipeline/extensions.py``); chunking shifts and merges
them; ingest hands them to the store. They cross process boundaries (spaCy's
worker processes, a cluster's tasks), so they are small frozen dataclasses of
str, int and tuples of such records, and ``plain.to_plain``/``from_plain``
(or ``dataclasses.asdict`` and ``from_plain``) round-trip them. No imports beyond
the standard library: every stage may use them.

Offsets are characters of the document's text; a mention's sentence is
``sent_start``..``sent_end``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in a document, with its provenance: the step
    that found it (``source``), the base model's own label (``model_label``)
    and the rule of ``models/`` that made it (``rule_id``)."""

    start: int
    end: int
    text: str
    sent_start: int
    sent_end: int
    label: str = ""
    source: str = ""
    model_label: str = ""
    rule_id: str = ""

    def shifted(self, offset: int) -> Mention:
        """The same mention ``offset`` characters further into the text."""
        return replace(self, start=self.start + offset, end=self.end + offset,
                       sent_start=self.sent_start + offset, sent_end=self.sent_end + offset)


@dataclass(frozen=True, slots=True)
class ExtractedEntity:
    """An entity as the pipeline found it in one document: its type, canonical
    name, surface forms, an official's title and body as stated, the public
    record confirmed for it, and its mentions in text order."""

    type: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str = ""
    org: str = ""
    officeholder_id: str = ""
    mentions: tuple[Mention, ...] = ()

    def shifted(self, offset: int) -> ExtractedEntity:
        """The same entity with every mention ``offset`` characters further on."""
        return replace(self, mentions=tuple(m.shifted(offset) for m in self.mentions))


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation (``kind`` "direct") or reported speech ("indirect") and who
    said it: the speaker entity's type and canonical name, and the offsets and
    text of the mention that names them; ``cue`` is the speech verb."""

    start: int
    end: int
    text: str
    speaker_type: str
    speaker: str
    speaker_start: int
    speaker_end: int
    speaker_text: str = ""
    cue: str = ""
    kind: str = "direct"

    def shifted(self, offset: int) -> Quote:
        """The same quotation ``offset`` characters further into the text."""
        return replace(self, start=self.start + offset, end=self.end + offset,
                       speaker_start=self.speaker_start + offset,
                       speaker_end=self.speaker_end + offset)


@dataclass(frozen=True, slots=True)
class Relation:
    """A law action (``relation``: sponsor, sign, veto ...) found in one
    document: the subject and law (object) by canonical name with the offsets
    of their mentions, the trigger word (``start``..``end``, ``cue``), its
    sentence and the rule that found it."""

    relation: str
    subject_type: str
    subject: str
    subject_start: int
    subject_end: int
    object: str
    object_start: int
    object_end: int
    start: int
    end: int
    sent_start: int
    sent_end: int
    subject_text: str = ""
    object_text: str = ""
    cue: str = ""
    rule_id: str = ""

    def shifted(self, offset: int) -> Relation:
        """The same law action with every offset moved by ``offset``."""
        return replace(self, subject_start=self.subject_start + offset,
                       subject_end=self.subject_end + offset,
                       object_start=self.object_start + offset,
                       object_end=self.object_end + offset,
                       start=self.start + offset, end=self.end + offset,
                       sent_start=self.sent_start + offset, sent_end=self.sent_end + offset)


#: The records by class name, for ``from_plain``.
RECORDS: dict[str, type] = {cls.__name__: cls for cls in (Mention, ExtractedEntity, Quote,
                                                          Relation)}
