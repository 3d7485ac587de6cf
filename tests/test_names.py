"""Lookup keys and display names: what users type finds what articles wrote."""

from __future__ import annotations

import pytest

from policycorpus.names import alias_key, fold, law_display


@pytest.mark.parametrize("surface", ["SB-54", "S.B. 54", "SB54", "Senate Bill 54", "sb 54",
                                     "senate bill 54", "SB 54", "S.B.54"])
def test_citation_spellings_of_a_bill_share_a_key(surface):
    assert alias_key(surface) == alias_key("SB 54") == "sb 54"


@pytest.mark.parametrize("a, b", [
    ("Assembly Bill 450", "AB 450"),
    ("A.B. 450", "AB-450"),
    ("House Resolution 1", "H.R. 1"),
    ("Executive Order No. 13768", "EO 13768"),
    ("executive order 13768", "E.O. 13768"),
    ("Proposition 187", "Prop. 187"),
    ("§ 287(g)", "Section 287(g)"),
])
def test_other_citation_families_share_a_key(a, b):
    assert alias_key(a) == alias_key(b)


def test_different_bills_keep_different_keys():
    assert alias_key("SB 54") != alias_key("AB 54")
    assert alias_key("SB 54") != alias_key("SB 540")
    assert alias_key("Senate Bill 54") != alias_key("Senate Bill 4")


@pytest.mark.parametrize("surface, display", [
    ("SB-54", "SB 54"),
    ("S.B. 54", "SB 54"),
    ("senate bill 54", "SB 54"),
    ("Assembly Bill 450", "AB 450"),
    ("287(g)", "Section 287(g)"),
    ("section 287 (g)", "Section 287(g)"),
    ("Executive Order No. 13768", "Executive Order 13768"),
    ("E.O. 13768", "Executive Order 13768"),
    ("Prop. 187", "Proposition 187"),
    ("8 U.S.C. 1373", "8 U.S.C. 1373"),
])
def test_law_display_gives_the_canonical_spelling(surface, display):
    assert law_display(surface) == display


@pytest.mark.parametrize("title", ["Immigration and Nationality Act", "California Values Act",
                                   "Real ID Act"])
def test_law_display_leaves_titles_alone(title):
    assert law_display(title) == title
    assert law_display(f"  {title.replace(' ', '   ')} ") == title


@pytest.mark.parametrize("a, b", [
    ("Kevin de León", "kevin de leon"),      # accents
    ("JOSÉ Ramírez", "Jose Ramirez"),
    ("Bill Wells's", "Bill Wells"),          # possessives
    ("Bill Wells’s", "Bill Wells"),          # typographic apostrophe
    ("Bill Wells'", "Bill Wells"),
    ("the Department of Homeland Security", "Department of Homeland Security"),  # leading "the"
    ("The Los Angeles Times", "Los Angeles Times"),
    ("  Bill   Wells ", "bill wells"),      # spacing and case
    ("Immigration & Customs Enforcement", "Immigration Customs Enforcement"),
])
def test_alias_key_ignores_case_accents_possessives_and_articles(a, b):
    assert alias_key(a) == alias_key(b)


def test_alias_key_keeps_words_that_only_start_with_the():
    assert alias_key("Theodore Roosevelt") == "theodore roosevelt"
    assert alias_key("the theater") == "theater"


def test_alias_key_of_nothing_is_empty():
    assert alias_key("") == ""
    assert alias_key("  ...  ") == ""


def test_fold_strips_accents_and_curly_quotes():
    assert fold("León’s") == "leon's"
    assert fold("‘Ñandú’") == "'nandu'"


def test_a_bill_number_with_a_session_prefix_keeps_it():
    assert law_display("Senate Bill 21-131") == "SB 21-131"
    assert alias_key("SB21-131") == alias_key("Senate Bill 21-131")
