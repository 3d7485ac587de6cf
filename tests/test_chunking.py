"""Long documents in pieces, offsets in the whole document's frame, one bad document failing alone.

No model here: a blank English pipeline with a sentencizer and a toy
component that takes every capitalised word for a person and writes it, as
the linker does, to ``doc._.pc_entities``.
"""

from __future__ import annotations

import multiprocessing

import pytest
import spacy
from spacy.language import Language

from policycorpus.extraction import ExtractedEntity, Mention, Quote
from policycorpus.pipeline import extensions  # noqa: F401  (declares doc._.pc_*)
from policycorpus.pipeline.build import extract
from policycorpus.pipeline.chunking import (
    merge_entities,
    merge_quotes,
    Piece,
    Processed,
    pipe_documents,
    shift_entities,
    shift_quotes,
    split_text,
)


@Language.component("test_chunking_capitals")
def capitals(doc):
    """Each capitalised word is a person; "Mayor X" makes X an official."""
    if "EXPLODE" in doc.text:
        raise RuntimeError("the component cannot read this document")
    found = []
    for token in doc:
        if token.text[:1].isupper() and token.is_alpha and token.text != "Mayor":
            is_official = token.i > 0 and doc[token.i - 1].text == "Mayor"
            sent = token.sent
            found.append(ExtractedEntity(
                "official" if is_official else "person", token.text, aliases=(token.text,),
                role="Mayor" if is_official else "",
                mentions=(Mention(token.idx, token.idx + len(token), token.text,
                                  sent.start_char, sent.end_char, "PERSON", "test"),)))
    doc._.pc_entities = found
    return doc


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_chunking_capitals")
    return nlp


NAMES = ["Ann", "Bea", "Cal", "Dee", "Eve", "Fay"]


def paragraphs(n: int) -> str:
    return "\n\n".join(f"Paragraph {i} says Wells met the council. Nobody objected."
                       for i in range(n))


# -- split_text ------------------------------------------------------------------------


def test_a_short_text_is_one_piece():
    assert split_text("One paragraph.\n\nTwo.", 100) == [(0, "One paragraph.\n\nTwo.")]


def test_pieces_end_at_paragraph_breaks_and_rebuild_the_text():
    text = paragraphs(30)
    pieces = split_text(text, 200)
    assert len(pieces) > 5
    assert "".join(piece for _, piece in pieces) == text
    for offset, piece in pieces:
        assert len(piece) <= 200
        assert text[offset:offset + len(piece)] == piece
        assert piece.startswith("Paragraph"), piece[:20]


def test_a_paragraph_longer_than_the_limit_is_cut_at_sentence_ends():
    text = "The mayor spoke first. " * 40
    pieces = split_text(text, 100)
    assert all(len(p) <= 100 for _, p in pieces)
    assert all(p.endswith(". ") for _, p in pieces[:-1])
    assert "".join(p for _, p in pieces) == text


def test_text_without_spaces_is_cut_at_the_limit():
    pieces = split_text("x" * 250, 100)
    assert [(o, len(p)) for o, p in pieces] == [(0, 100), (100, 100), (200, 50)]


def test_whitespace_only_pieces_are_left_out():
    text = "First part." + " " * 300 + "\n\nLast part."
    pieces = split_text(text, 100)
    assert [p.strip() for _, p in pieces] == ["First part.", "Last part."]
    for offset, piece in pieces:
        assert text[offset:offset + len(piece)] == piece


# -- shifting and merging --------------------------------------------------------------


def entity(type_, name, start, role=""):
    return ExtractedEntity(type_, name, aliases=(name,), role=role,
                           mentions=(Mention(start, start + len(name), name, start, start + 20),))


def test_shift_moves_mention_and_sentence_offsets():
    (shifted,) = shift_entities([entity("person", "Wells", 3)], 1000)
    assert shifted.mentions == (Mention(1003, 1008, "Wells", sent_start=1003, sent_end=1023),)


def test_merge_joins_the_same_name_and_keeps_the_role():
    merged = merge_entities([
        [entity("person", "Wells", 0)],
        [entity("official", "Wells", 500, role="Mayor"), entity("place", "Ohio", 520)],
        [entity("person", "Wells", 900)],
    ])
    by_key = {(e.type, e.name): e for e in merged}
    assert set(by_key) == {("official", "Wells"), ("place", "Ohio")}
    wells = by_key[("official", "Wells")]
    assert wells.role == "Mayor"
    assert [m.start for m in wells.mentions] == [0, 500, 900]


# -- pipe_documents --------------------------------------------------------------------


def test_chunked_offsets_match_the_whole_document(nlp):
    text = paragraphs(40)
    whole = list(pipe_documents(nlp, [(text, "doc")], extract, max_chars=10**6))
    chunked = list(pipe_documents(nlp, [(text, "doc")], extract, max_chars=300))
    (whole_entities,), (chunked_entities,) = [[p.entities for p in r] for r in (whole, chunked)]

    def mentions(entities):
        return sorted((e.type, e.name, m.start, m.end) for e in entities
                      for m in e.mentions)

    assert mentions(chunked_entities) == mentions(whole_entities)
    wells = next(e for e in chunked_entities if e.name == "Wells")
    assert len(wells.mentions) == 40
    for m in wells.mentions:
        assert text[m.start:m.end] == "Wells"
        assert text[m.sent_start:m.sent_end].strip().startswith("Paragraph")


def test_a_document_longer_than_max_length_is_not_truncated(nlp):
    nlp.max_length = 500
    try:
        text = paragraphs(30) + "\n\nMayor Zed closed the meeting."
        assert len(text) > nlp.max_length
        (done,) = pipe_documents(nlp, [(text, "long")], extract)
    finally:
        nlp.max_length = 1_000_000
    zed = next(e for e in done.entities if e.name == "Zed")
    assert zed.type == "official"
    assert text[zed.mentions[0].start:zed.mentions[0].end] == "Zed"


def test_a_failing_document_fails_alone_and_order_is_kept(nlp):
    items = [(f"Mayor {name} spoke.", i) for i, name in enumerate(NAMES[:5])]
    items.insert(2, ("Then EXPLODE happened.", "bad"))
    done = list(pipe_documents(nlp, items, extract, batch_size=4))
    assert [d.context for d in done] == [0, 1, "bad", 2, 3, 4]
    bad = done[2]
    assert bad.entities is None
    assert "RuntimeError" in bad.error and "cannot read" in bad.error
    assert all(d.entities for d in done if d.context != "bad")


def test_a_failing_document_fails_alone_with_worker_processes(nlp):
    items = [(f"Mayor {name} spoke.", i) for i, name in enumerate(NAMES)]
    items.insert(3, ("EXPLODE " * 3, "bad"))
    done = list(pipe_documents(nlp, items, extract, n_process=2, batch_size=2))
    assert [d.context for d in done] == [0, 1, 2, "bad", 3, 4, 5]
    assert [d.context for d in done if d.entities is None] == ["bad"]
    assert [d.entities[0].name for d in done if d.entities] == NAMES


def test_quotes_are_shifted_and_follow_their_speaker_to_the_official():
    quote = Quote(10, 30, "We will not comply", speaker_type="person", speaker="Wells",
                  speaker_start=35, speaker_end=40)
    entities = merge_entities([[entity("person", "Wells", 35)],
                               [entity("official", "Wells", 1035, role="Mayor")]])
    (merged,) = merge_quotes([[], shift_quotes([quote], 1000)], entities)
    assert (merged.start, merged.end) == (1010, 1030)
    assert (merged.speaker_start, merged.speaker_end) == (1035, 1040)
    assert merged.speaker_type == "official"
    assert quote.start == 10, "the piece's own record is not changed"


# -- streaming pieces (bounded memory, issue 13) ---------------------------------------


@Language.component("test_chunking_lengths")
def lengths(doc):
    """Record the length of every text the pipeline sees."""
    doc.user_data["length"] = len(doc.text)
    return doc


def test_every_text_sent_to_the_pipeline_is_at_most_max_chars(nlp):
    spy = spacy.blank("en")
    spy.add_pipe("test_chunking_lengths")
    items = [(paragraphs(60), "long"), ("Mayor Ann spoke.", "short"), ("y" * 1000, "nospace")]
    seen = []
    list(pipe_documents(spy, items, lambda doc: seen.append(doc.user_data["length"]) or [],
                        max_chars=250, batch_size=4))
    assert len(seen) >= 20
    assert max(seen) <= 250, "so a batch of 4 holds at most 1,000 characters"


@pytest.mark.parametrize("n_process", [1, 2])
def test_streamed_pieces_arrive_one_by_one_then_their_document(nlp, n_process):
    text = paragraphs(12)
    items = [("Mayor Ann spoke.", "before"), (text, "long"), ("Mayor Bea spoke.", "after")]
    out = list(pipe_documents(nlp, items, extract, max_chars=120, stream=True,
                              n_process=n_process, batch_size=3))
    kinds = [(type(o).__name__, o.context) for o in out]
    pieces = [o for o in out if isinstance(o, Piece)]
    assert kinds[0] == ("Processed", "before") and kinds[-1] == ("Processed", "after")
    assert kinds[1:-2] == [("Piece", "long")] * len(pieces)
    assert [p.number for p in pieces] == list(range(1, len(pieces) + 1))
    assert {p.count for p in pieces} == {len(pieces)} and len(pieces) >= 5
    assert out[-2].context == "long" and out[-2].in_pieces and out[-2].entities == []
    starts = [m.start for p in pieces for e in p.entities for m in e.mentions
              if e.name == "Wells"]
    assert len(starts) == 12 and all(text[s:s + 5] == "Wells" for s in starts)


def test_a_failing_piece_fails_its_document_after_the_pieces_before_it(nlp):
    text = paragraphs(4) + "\n\nThen EXPLODE happened.\n\n" + paragraphs(4)
    items = [(text, "long"), ("Mayor Cal spoke.", "next")]
    out = list(pipe_documents(nlp, items, extract, max_chars=120, stream=True, batch_size=2))
    failed = [o for o in out if isinstance(o, Processed) and o.entities is None]
    assert [f.context for f in failed] == ["long"] and "cannot read" in failed[0].error
    assert out.index(failed[0]) == 2, "the pieces before the bad one were handed out"
    assert not any(isinstance(o, Piece) for o in out[out.index(failed[0]):])
    assert out[-1].context == "next" and out[-1].entities[0].name == "Cal"


def test_worker_processes_start_before_the_first_document_is_read(nlp):
    """A forked worker starts with a copy of the parent's memory, so no document
    (a 30 MB text) may be in memory when spaCy forks its workers."""
    workers_at_first_read = []

    def items():
        workers_at_first_read.append(len(multiprocessing.active_children()))
        yield "Mayor Ann spoke.", 0
        yield "Mayor Bea spoke.", 1

    done = list(pipe_documents(nlp, items(), extract, n_process=2, batch_size=2))
    assert workers_at_first_read == [2]
    assert [d.entities[0].name for d in done] == ["Ann", "Bea"]
