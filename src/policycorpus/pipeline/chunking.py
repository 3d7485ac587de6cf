"""Run the pipeline over documents of any length, and let one bad document fail alone.

spaCy refuses a text longer than ``nlp.max_length`` and its parser needs
about a gigabyte of memory per 100,000 characters, so a long document (a
40 MB dump) is cut into pieces of at most ``DEFAULT_CHUNK_CHARS`` at
paragraph breaks (failing that, at sentence ends, then at spaces). Each
piece goes through the pipeline on its own; the offsets of its mentions and
their sentences are shifted into the whole document's frame, and the pieces'
entities are merged into one list for the document: the same type and name
is one entity, and a person named like an official of the same document is
that official (the linker's rule within a piece). Short surnames in a later
piece ("Wells") join their full name across documents in ``linking``.
Quotations are shifted the same way and follow their speaker.

``pipe_documents`` also sets a spaCy error handler so that a document whose
processing raises does not end the run: the documents of a failed batch are
processed again one at a time and only the one that fails again is reported
failed.

Nothing here imports spaCy: the caller passes its ``Language``.
"""

from __future__ import annotations

import copy
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

C = TypeVar("C")
DEFAULT_CHUNK_CHARS = 100_000
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")
_MENTION_OFFSETS = ("start", "end", "sent_start", "sent_end")
_QUOTE_OFFSETS = ("start", "end", "speaker_start", "speaker_end")
_RELATION_OFFSETS = ("start", "end", "subject_start", "subject_end", "object_start", "object_end",
                     "sent_start", "sent_end")
PEOPLE = ("official", "person")


def split_text(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut ``text`` into (offset, piece) pairs, each piece at most ``limit`` characters.

    Pieces end after a paragraph break where the text has one in range, else
    after a line break, a sentence end or a space, else at ``limit``. Every
    piece is ``text[offset:offset + len(piece)]``; pieces of only whitespace
    are left out, but a text with no other content is returned whole.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = _cut_point(window)
        pieces.append((start, window[:cut]))
        start += cut
    pieces.append((start, text[start:]))
    kept = [(offset, piece) for offset, piece in pieces if piece.strip()]
    return kept or [(0, text)]


def _cut_point(window: str) -> int:
    """Where to end a piece inside ``window`` (a position after a separator, > 0)."""
    for separator in ("\n\n", "\n"):
        index = window.rfind(separator)
        if index > 0:
            return index + len(separator)
    for pattern in (_SENTENCE_END, _SPACE):
        ends = [m.end() for m in pattern.finditer(window) if m.end() > 0]
        if ends:
            return ends[-1]
    return len(window)


def shift_entities(entities: list[dict[str, Any]], offset: int) -> list[dict[str, Any]]:
    """The entities of a piece with their mention offsets moved by ``offset``."""
    if not offset:
        return entities
    shifted = []
    for entity in entities:
        entity = dict(entity)
        entity["mentions"] = [
            {**m, **{k: m[k] + offset for k in _MENTION_OFFSETS if k in m}}
            for m in entity.get("mentions", [])
        ]
        shifted.append(entity)
    return shifted


def shift_quotes(quotes: list[dict[str, Any]], offset: int) -> list[dict[str, Any]]:
    """The quotations of a piece with their offsets (and their speaker's) moved by ``offset``."""
    if not offset:
        return quotes
    return [{**q, **{k: q[k] + offset for k in _QUOTE_OFFSETS if k in q}} for q in quotes]


def shift_relations(relations: list[dict[str, Any]], offset: int) -> list[dict[str, Any]]:
    """The law actions of a piece with every offset moved by ``offset``."""
    if not offset:
        return relations
    return [{**r, **{k: r[k] + offset for k in _RELATION_OFFSETS if k in r}} for r in relations]


def merge_quotes(parts: Iterable[list[dict[str, Any]]], entities: list[dict[str, Any]]
                 ) -> list[dict[str, Any]]:
    """One document's quotations from its pieces', each speaker named as in ``entities``
    (a person who is an official elsewhere in the document is that official)."""
    officials = {e["name"] for e in entities if e["type"] == "official"}
    out = []
    for part in parts:
        for quote in part:
            if quote.get("speaker_type") == "person" and quote.get("speaker") in officials:
                quote = {**quote, "speaker_type": "official"}
            out.append(quote)
    return sorted(out, key=lambda q: (q["start"], q["end"]))


def merge_entities(parts: Iterable[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One document's entities from the entities of its pieces (already shifted).

    The same (type, name) is one entity with every mention and alias; a person
    and an official of the same name are the official; the first non-empty
    role, organisation, level and jurisdiction are kept.
    """
    parts = [list(p) for p in parts]
    officials = {e["name"] for p in parts for e in p if e["type"] == "official"}
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for part in parts:
        for entity in part:
            type_ = entity["type"]
            if type_ == "person" and entity["name"] in officials:
                type_ = "official"
            key = (type_, entity["name"])
            into = merged.get(key)
            if into is None:
                into = copy.deepcopy(entity)
                into["type"] = type_
                into["mentions"] = []
                into["aliases"] = []
                merged[key] = into
            else:
                for attr in ("role", "org", "level", "jurisdiction"):
                    if not into.get(attr) and entity.get(attr):
                        into[attr] = entity[attr]
            into["aliases"] = sorted({*into["aliases"], *entity.get("aliases", [])})
            into["mentions"].extend(copy.deepcopy(entity.get("mentions", [])))
    for entity in merged.values():
        entity["mentions"].sort(key=lambda m: (m["start"], m["end"]))
    return list(merged.values())


@dataclass
class Processed(Generic[C]):
    """The entities of one document, or why it failed (``entities`` is None)."""

    context: C
    entities: list[dict[str, Any]] | None
    error: str = ""
    quotes: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Job(Generic[C]):
    context: C
    text: str
    pieces: int
    arrived: int = 0
    lost: bool = False
    parts: list[list[dict[str, Any]]] = field(default_factory=list)
    quote_parts: list[list[dict[str, Any]]] = field(default_factory=list)
    relation_parts: list[list[dict[str, Any]]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.arrived >= self.pieces


def pipe_documents(
    nlp: Any,
    items: Iterable[tuple[str, C]],
    extract: Callable[[Any], list[dict[str, Any]]],
    *,
    quotes: Callable[[Any], list[dict[str, Any]]] | None = None,
    relations: Callable[[Any], list[dict[str, Any]]] | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    max_chars: int | None = None,
) -> Iterator[Processed[C]]:
    """Process (text, context) pairs with ``nlp``; yield each document's merged
    entities (``extract`` reads them off a processed Doc), quotations (read
    by ``quotes``, if given) and law actions (``relations``), in input order.

    Texts longer than ``max_chars`` (default ``DEFAULT_CHUNK_CHARS``) or than
    ``nlp.max_length`` are processed in pieces (``split_text``)."""
    limit = max(1, min(max_chars or DEFAULT_CHUNK_CHARS, nlp.max_length))
    failures: list[str] = []

    def record_failure(name: str, proc: Any, docs: Any, exc: Exception) -> None:
        failures.append(f"{name or 'pipeline'}: {type(exc).__name__}: {exc}")

    jobs: dict[int, _Job[C]] = {}
    sent: deque[int] = deque()  # sequence numbers of pieces sent, not yet received
    owner: dict[int, int] = {}  # sequence number of a piece -> index of its document
    next_index = 0

    def pieces() -> Iterator[tuple[str, tuple[int, int, int]]]:
        seq = 0
        for index, (text, context) in enumerate(items):
            cut = split_text(text, limit)
            jobs[index] = _Job(context, text, len(cut))
            for offset, piece in cut:
                sent.append(seq)
                owner[seq] = index
                yield piece, (seq, index, offset)
                seq += 1

    def ready() -> Iterator[Processed[C]]:
        nonlocal next_index
        while next_index in jobs and jobs[next_index].complete:
            job = jobs.pop(next_index)
            next_index += 1
            if job.lost:
                yield _retry(nlp, job, limit, extract, quotes, failures, relations)
            else:
                yield _merged(job.context, job.parts, job.quote_parts, job.relation_parts)

    def lose_until(seq: int | None) -> None:
        while sent and (seq is None or sent[0] < seq):
            lost = jobs[owner.pop(sent.popleft())]
            lost.lost = True
            lost.arrived += 1

    previous = _set_error_handler(nlp, record_failure)
    stream = pieces()
    try:
        try:
            for doc, (seq, index, offset) in nlp.pipe(stream, as_tuples=True,
                                                      n_process=n_process, batch_size=batch_size):
                lose_until(seq)
                sent.popleft()
                owner.pop(seq, None)
                job = jobs[index]
                job.arrived += 1
                job.parts.append(shift_entities(extract(doc), offset))
                job.quote_parts.append(shift_quotes(quotes(doc), offset) if quotes else [])
                job.relation_parts.append(
                    shift_relations(relations(doc), offset) if relations else [])
                yield from ready()
        except Exception as exc:  # raised by a component without an error handler
            failures.append(f"pipeline: {type(exc).__name__}: {exc}")
            lose_until(None)
            yield from ready()
            for _piece in stream:  # the rest, one document at a time
                lose_until(None)
                yield from ready()
        lose_until(None)
        yield from ready()
    finally:
        _set_error_handler(nlp, previous)


def _set_error_handler(nlp: Any, handler: Callable[..., Any]) -> Callable[..., Any]:
    """Install ``handler`` on the pipeline and every component that takes one;
    return the pipeline's previous default handler.

    ``Language.set_error_handler`` stops at spaCy's parser, whose Cython class
    cannot hold the attribute; such components keep raising, which
    ``pipe_documents`` handles by going on one document at a time.
    """
    previous = nlp.default_error_handler
    nlp.default_error_handler = handler
    for _name, component in nlp.pipeline:
        try:
            component.set_error_handler(handler)
        except AttributeError:
            continue
    return previous


def _merged(context: C, parts: list[list[dict[str, Any]]],
            quote_parts: list[list[dict[str, Any]]],
            relation_parts: list[list[dict[str, Any]]] | None = None) -> Processed[C]:
    entities = merge_entities(parts)
    return Processed(context, entities, quotes=merge_quotes(quote_parts, entities),
                     relations=[r for part in relation_parts or [] for r in part])


def _retry(nlp: Any, job: _Job[C], limit: int, extract: Callable[[Any], list[dict[str, Any]]],
           quotes: Callable[[Any], list[dict[str, Any]]] | None, failures: list[str],
           relations: Callable[[Any], list[dict[str, Any]]] | None = None) -> Processed[C]:
    """Process a document whose batch failed again, alone, and say why if it fails."""
    parts, quote_parts, relation_parts = [], [], []
    for offset, piece in split_text(job.text, limit):
        before = len(failures)
        try:
            doc = nlp(piece)
        except Exception as exc:  # a failure outside the components' error handler
            return Processed(job.context, None, f"{type(exc).__name__}: {exc}")
        if len(failures) > before:
            return Processed(job.context, None, failures[-1])
        parts.append(shift_entities(extract(doc), offset))
        quote_parts.append(shift_quotes(quotes(doc), offset) if quotes else [])
        relation_parts.append(shift_relations(relations(doc), offset) if relations else [])
    return _merged(job.context, parts, quote_parts, relation_parts)
