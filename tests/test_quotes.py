"""Quotations and their speakers, on sentences written the way other outlets write."""

from __future__ import annotations

import pytest

from policycorpus.pipeline.build import extract_quotes
from policycorpus.pipeline.components.quotes import find_quotations



def quotes(nlp, text: str) -> list[tuple[str, str, str]]:
    """(speaker, quoted text, kind) for each quote the pipeline finds in ``text``."""
    return [(q.speaker, q.text, q.kind) for q in extract_quotes(nlp(text))]


def test_quote_marks_pair_within_a_paragraph_curly_or_straight():
    text = '“We will comply," she said. "But not happily.”\n\n"Another paragraph'
    spans = [(text[s:e], open_) for s, e, _p, open_ in find_quotations(text)]
    assert spans == [("We will comply", False), ("But not happily.", False),
                     ("Another paragraph", True)]


def test_a_quote_left_open_runs_to_the_end_of_its_paragraph():
    text = '"First part of a long quote.\n\n"Second part," he said.'
    (start, end, paragraph, open_ended), second = find_quotations(text)[:2]
    assert text[start:end] == "First part of a long quote." and open_ended
    assert paragraph == 0 and second[2] == 1


@pytest.mark.parametrize("text, speaker, quote", [
    # Houston Chronicle style: quote first, then name and verb.
    ('"We are not going to be the deportation arm of the federal government," '
     "Harris County Sheriff Ed Gonzalez said.", "Ed Gonzalez",
     "We are not going to be the deportation arm of the federal government"),
    # Inverted attribution, AP style.
    ('"This law makes every community less safe," said Denver Mayor Mike Johnston.',
     "Mike Johnston", "This law makes every community less safe"),
    # Speaker first, colon.
    ('Gov. Greg Abbott said: "Texas will defend its border."', "Greg Abbott",
     "Texas will defend its border."),
])
def test_direct_quotes_are_attributed_to_the_named_speaker(nlp, text, speaker, quote):
    assert (speaker, quote, "direct") in quotes(nlp, text)


def test_he_said_points_back_to_the_last_subject_not_a_possessive(nlp):
    text = ("Chicago Mayor Brandon Johnson met President Donald Trump's border czar on Monday. "
            '"We will protect our residents," he said.')
    assert quotes(nlp, text) == [("Brandon Johnson", "We will protect our residents", "direct")]


def test_the_title_alone_points_back_to_the_official_holding_it(nlp):
    text = ("Phoenix Police Chief Michael Sullivan spoke to reporters with Sen. Mark Kelly. "
            '"Our officers do not ask about status," the chief said.')
    assert ("Michael Sullivan", "Our officers do not ask about status", "direct") in quotes(nlp, text)


def test_a_second_quote_in_the_paragraph_keeps_the_speaker(nlp):
    text = ('"The program is voluntary," Sheriff Chad Bianco said. '
            '"Nobody forced us to sign the agreement."')
    found = quotes(nlp, text)
    assert ("Chad Bianco", "Nobody forced us to sign the agreement.", "direct") in found


def test_an_agency_can_be_the_speaker(nlp):
    text = ('U.S. Immigration and Customs Enforcement said in a statement that it '
            '"will continue to enforce the law."')
    speakers = {speaker for speaker, _text, _kind in quotes(nlp, text)}
    assert speakers == {"U.S. Immigration and Customs Enforcement"}


def test_reported_speech_keeps_the_clause_said(nlp):
    text = "Attorney General Kris Mayes said that the county had violated state law."
    assert quotes(nlp, text) == [("Kris Mayes", "the county had violated state law", "indirect")]


def test_scare_quotes_without_a_speaker_are_not_quotes(nlp):
    text = 'Critics call the city a "sanctuary" for criminals.'
    assert quotes(nlp, text) == []
