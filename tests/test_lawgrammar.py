"""One law grammar: every notation is recognised, keyed, displayed and given a
law-key family the same way (``policycorpus.lawgrammar``)."""

from __future__ import annotations

import pytest

from policycorpus.lawgrammar import citation, display
from policycorpus.names import alias_key
from policycorpus.pipeline.build import extract


@pytest.mark.parametrize("spellings, shown, family", [
    (["SB 21-131", "Senate Bill 21-131", "S.B. 21-131", "SB21-131"], "SB 21-131", "bill"),
    (["HB23-1189", "House Bill 23-1189", "HB 23-1189"], "HB 23-1189", "bill"),
    (["LB77", "LB 77", "Legislative Bill 77"], "LB 77", "bill"),
    (["SF 481", "Senate File 481", "SF481"], "SF 481", "bill"),
    (["Intro. 1024-A", "Introduction 1024-A", "Intro 1024-A"], "Intro. 1024-A", "bill"),
    (["State Question 820", "SQ 820"], "State Question 820", "question"),
    (["Executive Order 9", "EO 9", "Executive Order No. 9"], "Executive Order 9", "eo"),
    (["Directive 307.5"], "Directive 307.5", "directive"),
])
def test_every_spelling_of_a_citation_shares_key_display_and_family(spellings, shown, family):
    keys = {alias_key(s) for s in spellings}
    assert len(keys) == 1
    assert {display(s) for s in spellings} == {shown}
    assert {citation(s)[0] for s in spellings} == {family}


def test_a_session_year_bill_is_a_number_not_a_title():
    assert citation("SB 21-131") == ("bill", "SB 21-131")


@pytest.mark.parametrize("text, law", [
    ("Vermont lawmakers sent H.120 to the governor on Friday.", "H.120"),
    ("Omaha senators advanced LB77 on a 33-12 vote.", "LB77"),
    ("The Denver council passed Council Bill 118 on Monday.", "Council Bill 118"),
    ("The council passed Intro. 1024-A, the delivery workers bill.", "Intro. 1024-A"),
    ("Voters rejected State Question 820 in Tulsa and Norman.", "State Question 820"),
    ("The clerk cited Md. Code, Crim. Proc. 5-101 in the ruling.",
     "Md. Code, Crim. Proc. 5-101"),
    ("The landlord relied on ORS 90.100 and RCW 10.93.160.", "RCW 10.93.160"),
    ("Gov. Lena Park signed Executive Order 9 on Tuesday.", "Executive Order 9"),
    ("Officers must follow Directive 12.3, the chief said.", "Directive 12.3"),
    ("The sheriff applied under 287 (g) of the act.", "287 (g)"),
    ("Lawmakers passed the Fair Rents Ordinance on Monday.", "Fair Rents Ordinance"),
])
def test_notations_of_every_legislature_are_laws(nlp, text, law):
    mentions = {m.text.rstrip(".") for e in extract(nlp(text)) if e.type == "law"
                for m in e.mentions}
    assert law in mentions


def test_a_headline_verb_and_a_body_named_for_law_are_not_part_of_a_law(nlp):
    text = ("Governor Applauds Passage of Bill Strengthening the Vermont Trust Act\n"
            "The Vermont Department of Law said the Vermont Trust Act takes effect in July.")
    laws = {e.name for e in extract(nlp(text)) if e.type == "law"}
    assert laws == {"Vermont Trust Act"}
