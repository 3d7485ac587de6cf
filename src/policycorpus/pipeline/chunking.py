"""Run the pipeline over documents of any length, and let one bad document fail alone.

spaCy refuses a text longer than ``nlp.max_length``, and its memory grows
with the characters of a batch (about 2.5 GB per million: tok2vec and parser
work on a whole batch at once), so a long document (a 40 MB dump) is cut
into pieces of at most ``DEFAULT_CHUNK_CHARS`` at paragraph breaks (failing
that, at sentence ends, then at spaces): a batch of 16 texts then holds at
most 160,000 characters, whatever the file. Each piece goes through the
pipeline on its own; the offsets of its mentions and their sentences are
shifted into the whole document's frame (the records of
``policycorpus.extraction``, each with its ``shifted``). ``merge_entities`` makes one list of
the pieces' entities: the same type and name is one entity, and a person
named like an official of the same document is that official (the linker's
rule within a piece). Short surnames in a later piece ("Wells") join their
full name across documents in ``linking``. Quotations are shifted the same
way and follow their speaker. With ``stream=True`` the pieces are handed out
one by one as they are processed instead (``Piece``), so that ingest can
store a long document piece by piece (``piecewriter``) and hold one piece's
entities at a time.

``pipe_documents`` also sets a spaCy error handler so that a document whose
processing raises does not end the run: the pieces of a failed batch are
processed again one at a time and only the document of one that fails again
is reported failed.

Nothing here imports spaCy: the caller passes its ``Language``.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from policycorpus.entity_types import in_document
from policycorpus.extraction import ExtractedEntity, Mention, Quote, Relation

C = TypeVar("C")
DEFAULT_CHUNK_CHARS = 10_000  # a batch of 16 pieces: 160,000 characters, ~450 MB in spaCy
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")
_WARM_UP = -1  # the sequence number of the empty texts that start worker processes


def split_text(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut ``text`` into (offset, piece) pairs, each piece at most ``limit`` characters.

    Pieces end after a paragraph break where the text has one in range, else
    after a line break, a sentence end or a space, else at ``limit``. Every
    piece is ``text[offset:offset + len(piece)]``; pieces of only whitespace
    are left out, but a text with no other content is returned whole.
    """
    return list(iter_pieces(text, limit))


def iter_pieces(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """``split_text`` one piece at a time, so a long text is never copied whole."""
    bounds = piece_bounds(text, limit)
    for offset, length in bounds:
        yield offset, text[offset:offset + length]


def piece_bounds(text: str, limit: int) -> list[tuple[int, int]]:
    """The (offset, length) of each piece ``split_text`` cuts ``text`` into."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        cut = _cut_point(text[start:start + limit])
        bounds.append((start, cut))
        start += cut
    bounds.append((start, len(text) - start))
    kept = [(offset, length) for offset, length in bounds
            if not text[offset:offset + length].isspace() and length]
    return kept or [(0, len(text))]


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


def shift_entities(entities: list[ExtractedEntity], offset: int) -> list[ExtractedEntity]:
    """The entities of a piece with their mention offsets moved by ``offset``."""
    if not offset:
        return entities
    return [entity.shifted(offset) for entity in entities]


def shift_quotes(quotes: list[Quote], offset: int) -> list[Quote]:
    """The quotations of a piece with their offsets (and their speaker's) moved by ``offset``."""
    if not offset:
        return quotes
    return [quote.shifted(offset) for quote in quotes]


def shift_relations(relations: list[Relation], offset: int) -> list[Relation]:
    """The law actions of a piece with every offset moved by ``offset``."""
    if not offset:
        return relations
    return [relation.shifted(offset) for relation in relations]


def merge_quotes(parts: Iterable[list[Quote]], entities: list[ExtractedEntity]) -> list[Quote]:
    """One document's quotations from its pieces', each speaker named as in ``entities``
    (a person who is an official elsewhere in the document is that official)."""
    officials = {e.name for e in entities if e.type == "official"}
    out = []
    for part in parts:
        for quote in part:
            speaker_type = in_document(quote.speaker_type, quote.speaker, officials)
            if speaker_type != quote.speaker_type:
                quote = replace(quote, speaker_type=speaker_type)
            out.append(quote)
    return sorted(out, key=lambda q: (q.start, q.end))


@dataclass
class _Merging:
    """One entity of a document while its pieces' entities are merged."""

    first: ExtractedEntity
    role: str
    org: str
    aliases: set[str]
    mentions: list[Mention]


def merge_entities(parts: Iterable[list[ExtractedEntity]]) -> list[ExtractedEntity]:
    """One document's entities from the entities of its pieces (already shifted).

    The same (type, name) is one entity with every mention and alias; a person
    and an official of the same name are the official; the first non-empty
    role and organisation are kept.
    """
    parts = [list(p) for p in parts]
    officials = {e.name for p in parts for e in p if e.type == "official"}
    merged: dict[tuple[str, str], _Merging] = {}
    for part in parts:
        for entity in part:
            type_ = in_document(entity.type, entity.name, officials)
            into = merged.get((type_, entity.name))
            if into is None:
                into = merged[(type_, entity.name)] = _Merging(
                    replace(entity, type=type_), entity.role, entity.org, set(), [])
            into.role = into.role or entity.role
            into.org = into.org or entity.org
            into.aliases.update(entity.aliases)
            into.mentions.extend(entity.mentions)
    return [replace(m.first, role=m.role, org=m.org, aliases=tuple(sorted(m.aliases)),
                    mentions=tuple(sorted(m.mentions, key=lambda x: (x.start, x.end))))
            for m in merged.values()]


@dataclass
class Processed(Generic[C]):
    """The entities of one document, or why it failed (``entities`` is None).

    A document processed in pieces with ``stream=True`` has had its pieces
    yielded as ``Piece`` before this, and ``entities`` and ``quotes`` here are
    empty (``in_pieces`` is True).
    """

    context: C
    entities: list[ExtractedEntity] | None
    error: str = ""
    quotes: list[Quote] = field(default_factory=list)
    in_pieces: bool = False
    relations: list[Relation] = field(default_factory=list)


@dataclass
class Piece(Generic[C]):
    """One processed piece of a long document (``pipe_documents(..., stream=True)``):
    its entities and quotations, offsets already in the whole document's frame."""

    context: C
    number: int  # 1-based
    count: int
    entities: list[ExtractedEntity]
    quotes: list[Quote]
    relations: list[Relation] = field(default_factory=list)


@dataclass
class _Job(Generic[C]):
    context: C
    text: str
    pieces: int
    arrived: int = 0
    error: str = ""
    parts: list[list[ExtractedEntity]] = field(default_factory=list)
    quote_parts: list[list[Quote]] = field(default_factory=list)
    relation_parts: list[list[Relation]] = field(default_factory=list)


@dataclass(frozen=True)
class _Sent:
    seq: int  # position of the piece in the stream
    index: int  # of its document
    offset: int
    length: int


def pipe_documents(
    nlp: Any,
    items: Iterable[tuple[str, C]],
    extract: Callable[[Any], list[ExtractedEntity]],
    *,
    quotes: Callable[[Any], list[Quote]] | None = None,
    relations: Callable[[Any], list[Relation]] | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    max_chars: int | None = None,
    stream: bool = False,
) -> Iterator[Processed[C] | Piece[C]]:
    """Process (text, context) pairs with ``nlp``; yield each document's merged
    entities (``extract`` reads them off a processed Doc) and quotations (read
    by ``quotes``, if given), in input order.

    Texts longer than ``max_chars`` (default ``DEFAULT_CHUNK_CHARS``) or than
    ``nlp.max_length`` are processed in pieces (``split_text``), so that a
    batch of ``batch_size`` texts never holds more than ``batch_size * max_chars``
    characters. With ``stream``, such a document is not merged here: each of
    its pieces is yielded as a ``Piece`` as soon as it is processed, then a
    ``Processed`` with ``in_pieces`` (or, if a piece failed, with the error),
    so that the caller holds one piece's entities at a time.
    """
    limit = max(1, min(max_chars or DEFAULT_CHUNK_CHARS, nlp.max_length))
    failures: list[str] = []

    def record_failure(name: str, proc: Any, docs: Any, exc: Exception) -> None:
        failures.append(f"{name or 'pipeline'}: {type(exc).__name__}: {exc}")

    jobs: dict[int, _Job[C]] = {}
    sent: deque[_Sent] = deque()  # pieces sent to the pipeline, not yet received

    def pieces() -> Iterator[tuple[str, int]]:
        if n_process > 1:
            # spaCy reads 2 * n_process batches before it forks its workers, and a
            # worker starts with a copy of the parent's memory: empty texts first,
            # so that no document (a 30 MB text, its bytes) is in memory at the fork.
            for _ in range(2 * n_process * batch_size):
                yield "", _WARM_UP
        seq = 0
        for index, (text, context) in enumerate(items):
            bounds = piece_bounds(text, limit)
            jobs[index] = _Job(context, text, len(bounds))
            for offset, length in bounds:
                sent.append(_Sent(seq, index, offset, length))
                yield text[offset:offset + length], seq
                seq += 1

    def arrived(entry: _Sent, doc: Any, error: str) -> Iterator[Processed[C] | Piece[C]]:
        """Account for one piece, processed (``doc``) or failed (``error``)."""
        job = jobs[entry.index]
        job.arrived += 1
        if job.error:
            pass  # a piece before it failed: the document is lost already
        elif doc is None:
            job.error = error or "the pipeline dropped this document"
        else:
            found = shift_entities(extract(doc), entry.offset)
            said = shift_quotes(quotes(doc), entry.offset) if quotes else []
            acts = shift_relations(relations(doc), entry.offset) if relations else []
            if stream and job.pieces > 1:
                yield Piece(job.context, job.arrived, job.pieces, found, said, acts)
            else:
                job.parts.append(found)
                job.quote_parts.append(said)
                job.relation_parts.append(acts)
        if job.arrived == job.pieces:
            del jobs[entry.index]
            if job.error:
                yield Processed(job.context, None, job.error)
            elif stream and job.pieces > 1:
                yield Processed(job.context, [], in_pieces=True)
            else:
                yield _merged(job.context, job.parts, job.quote_parts, job.relation_parts)

    def alone(entry: _Sent) -> Iterator[Processed[C] | Piece[C]]:
        """A piece whose batch failed, processed again on its own."""
        job = jobs[entry.index]
        if job.error:
            yield from arrived(entry, None, job.error)
            return
        before = len(failures)
        try:
            doc = nlp(job.text[entry.offset:entry.offset + entry.length])
        except Exception as exc:  # a failure outside the components' error handler
            yield from arrived(entry, None, f"{type(exc).__name__}: {exc}")
            return
        if len(failures) > before:
            yield from arrived(entry, None, failures[-1])
        else:
            yield from arrived(entry, doc, "")

    def lost_until(seq: int | None) -> Iterator[Processed[C] | Piece[C]]:
        while sent and (seq is None or sent[0].seq < seq):
            yield from alone(sent.popleft())

    previous = _set_error_handler(nlp, record_failure)
    stream_in = pieces()
    try:
        try:
            for doc, seq in nlp.pipe(stream_in, as_tuples=True, n_process=n_process,
                                     batch_size=batch_size):
                if seq == _WARM_UP:
                    continue
                yield from lost_until(seq)
                yield from arrived(sent.popleft(), doc, "")
        except Exception as exc:  # raised by a component without an error handler
            failures.append(f"pipeline: {type(exc).__name__}: {exc}")
            yield from lost_until(None)
            for _piece in stream_in:  # the rest, one piece at a time
                yield from lost_until(None)
        yield from lost_until(None)
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


def _merged(context: C, parts: list[list[ExtractedEntity]],
            quote_parts: list[list[Quote]],
            relation_parts: list[list[Relation]]) -> Processed[C]:
    entities = merge_entities(parts)
    return Processed(context, entities, quotes=merge_quotes(quote_parts, entities),
                     relations=[r for part in relation_parts for r in part])
