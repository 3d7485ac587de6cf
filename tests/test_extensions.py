"""The pipeline's contract: typed records on ``Doc._`` extensions.

No statistical model here: ``spacy.blank("en")`` with a sentencizer, entity
spans set by hand where a component needs them, and our components alone.
"""

from __future__ import annotations

import dataclasses
import json
import pickle

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from policycorpus.extraction import (
    ExtractedEntity,
    Mention,
    Quote,
    Relation,
)
from policycorpus.pipeline import extensions
from policycorpus.plain import from_plain, to_plain
from policycorpus.pipeline.build import extract, extract_quotes, extract_relations
from policycorpus.pipeline.extensions import ImpliedMention, SpanOrigin, TitleRole

COUNCIL_MEMBER = ExtractedEntity(
    "official", "Renata Okafor", aliases=("Okafor", "Renata Okafor"), role="Councilwoman",
    org="Bexley City Council", officeholder_id="ocd-person/0001",
    mentions=(Mention(0, 13, "Renata Okafor", 0, 60, "PERSON", "model", "PERSON", ""),
              Mention(70, 76, "Okafor", 61, 90, "PERSON", "linker", "", "linker#surname")))
QUOTE = Quote(100, 130, "We will fund the buses first", "official", "Renata Okafor", 132, 138,
              "Okafor", "said", "direct")
ACTION = Relation("sponsor", "official", "Renata Okafor", 0, 13, "HB 88", 30, 35, 20, 29, 0, 60,
                  "Renata Okafor", "HB 88", "sponsored", "law_actions#sponsor")


@Language.component("test_extensions_writer")
def writer(doc: Doc) -> Doc:
    """Writes one record of each kind, as the components do."""
    doc._.pc_entities = [COUNCIL_MEMBER]
    doc._.pc_quotes = [QUOTE]
    doc._.pc_relations = [ACTION]
    doc._.pc_roles = {0: TitleRole("Councilwoman", "Bexley City Council")}
    doc._.pc_implied = [ImpliedMention(20, 39, "Bexley City Council", "agency", "rule#test")]
    doc._.pc_origins = {0: SpanOrigin(13, "PERSON", "")}
    return doc


@pytest.fixture(scope="module")
def writing_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("test_extensions_writer")
    return nlp


@pytest.mark.parametrize("record", [COUNCIL_MEMBER, QUOTE, ACTION])
def test_records_round_trip_through_plain_data_json_and_pickle(record):
    assert from_plain(type(record), to_plain(record)) == record
    assert from_plain(type(record), dataclasses.asdict(record)) == record
    assert from_plain(type(record), json.loads(json.dumps(to_plain(record)))) == record
    assert pickle.loads(pickle.dumps(record)) == record


def test_records_are_frozen_and_shift_into_a_new_record():
    with pytest.raises(dataclasses.FrozenInstanceError):
        QUOTE.start = 0  # type: ignore[misc]
    moved = COUNCIL_MEMBER.shifted(1000)
    assert [m.start for m in moved.mentions] == [1000, 1070]
    assert [m.sent_end for m in moved.mentions] == [1060, 1090]
    assert COUNCIL_MEMBER.mentions[0].start == 0
    assert (ACTION.shifted(5).subject_start, ACTION.shifted(5).sent_end) == (5, 65)


def test_registering_twice_changes_nothing():
    extensions.register()
    extensions.register()
    assert all(Doc.has_extension(name) for name in extensions.EXTENSIONS)
    assert spacy.blank("en")("Nothing here.")._.pc_entities is None


def test_extension_values_survive_doc_bytes(writing_nlp):
    doc = writing_nlp("Councilwoman Renata Okafor sponsored HB 88.")
    copy = Doc(writing_nlp.vocab).from_bytes(doc.to_bytes())
    assert extract(copy) == [COUNCIL_MEMBER]
    assert copy._.pc_roles == {0: TitleRole("Councilwoman", "Bexley City Council")}
    assert copy._.pc_implied == doc._.pc_implied and copy._.pc_origins == doc._.pc_origins


def test_extension_values_come_back_as_records_from_worker_processes(writing_nlp):
    texts = [f"Councilwoman Renata Okafor spoke, part {i}." for i in range(6)]
    docs = list(writing_nlp.pipe(texts, n_process=2, batch_size=2))
    assert len(docs) == 6
    for doc in docs:
        (entity,) = extract(doc)
        assert entity == COUNCIL_MEMBER and isinstance(entity.mentions, tuple)
        assert extract_quotes(doc) == [QUOTE] and extract_relations(doc) == [ACTION]


# -- components on a blank pipeline ------------------------------------------------------


def test_recognizer_finds_citations_and_tells_where_each_span_came_from():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("policycorpus_entities")
    doc = nlp("Lawmakers in Nebraska passed Legislative Bill 77 on a vote of 33-12.")
    law = next(span for span in doc.ents if span.label_ == "LAW")
    assert (law.text, law.kb_id_, law.id_) == ("Legislative Bill 77", "LB 77", "law-pattern")
    origin = doc._.pc_origins[law.start_char]
    assert origin.end == law.end_char and origin.rule_id.startswith("law_patterns#")


def test_linker_turns_a_titled_person_and_their_surname_into_one_official():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("policycorpus_officials")
    nlp.add_pipe("policycorpus_linker")
    doc = nlp.make_doc("Bexley Mayor Renata Okafor spoke on Monday. Later, Okafor left.")
    doc.ents = [Span(doc, 2, 4, "PERSON"), Span(doc, 10, 11, "PERSON")]
    for _name, component in nlp.pipeline:
        doc = component(doc)
    (official,) = extract(doc)
    assert (official.type, official.name, official.role) == ("official", "Renata Okafor", "Mayor")
    assert [(m.text, m.sent_start) for m in official.mentions] == [("Renata Okafor", 0),
                                                                   ("Okafor", 44)]
    assert doc._.pc_roles is None, "what the linker was handed is cleared"
