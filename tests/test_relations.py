"""Law actions: the pipeline component on sentences in the style of many outlets
and states, the relations table through ingest, reapply and corrections, and
the commands that show them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import copy_db, run
from policycorpus.pipeline.build import extract_relations


def triples(nlp, text: str) -> set[tuple[str, str, str]]:
    doc = nlp(text)
    return {(r.subject, r.relation, r.object) for r in extract_relations(doc)}


def test_the_data_file_names_only_known_relations():
    from policycorpus.store.relations import RELATIONS
    from policycorpus.resources import load_jsonl

    named = set()
    for row in load_jsonl("law_actions.jsonl"):
        assert row["forms"] and all(isinstance(f, str) and f for f in row["forms"]), row["id"]
        for key in ("relation", "people", "bodies", "against_relation", "for_relation",
                    "positive", "negative", "court"):
            if row.get(key):
                named.add(row[key])
    assert named and named <= set(RELATIONS)


def test_signed_into_law_and_vetoed(nlp):
    found = triples(nlp, "Gov. Maria Ortega signed Senate Bill 12 into law on Monday. "
                         "Gov. Tom Baxter vetoed House Bill 88 last year.")
    assert ("Maria Ortega", "sign", "SB 12") in found
    assert ("Tom Baxter", "veto", "HB 88") in found


def test_participles_after_the_law_and_coordinated_agents(nlp):
    found = triples(nlp, "House Bill 2210, sponsored by Rep. Dana Whitfield and signed in May "
                         "by Gov. Luis Romero, takes effect in July.")
    assert ("Dana Whitfield", "sponsor", "HB 2210") in found
    assert ("Luis Romero", "sign", "HB 2210") in found


def test_the_bill_refers_back_within_the_paragraph(nlp):
    found = triples(nlp, "Lawmakers debated Senate Bill 40 for hours. The bill was introduced "
                         "by Sens. Karen Holt and Omar Reyes.")
    assert {("Karen Holt", "sponsor", "SB 40"), ("Omar Reyes", "sponsor", "SB 40")} <= found


def test_a_law_that_passed_was_passed_by_the_one_legislature(nlp):
    found = triples(nlp, "The Kansas Legislature met in March. Senate Bill 31 cuts income "
                         "taxes. It passed with support from both parties.")
    assert ("Kansas Legislature", "pass", "SB 31") in found


def test_the_governor_and_he_name_the_official_before(nlp):
    found = triples(nlp, "Gov. Ana Lopez met lawmakers on Monday about House Bill 12. The "
                         "governor signed the bill on Friday. Sen. Raj Patel wrote Senate Bill "
                         "3, and he introduced it in January.")
    assert ("Ana Lopez", "sign", "HB 12") in found
    assert ("Raj Patel", "sponsor", "SB 3") in found


def test_votes_passage_and_negation(nlp):
    found = triples(nlp, "The Tacoma City Council voted 6-3 to approve Ordinance 2025-17. "
                         "Council member Rita Chen voted against the ordinance. "
                         "Mayor Paul Greer has not vetoed the ordinance.")
    assert ("Tacoma City Council", "pass", "Ordinance 2025-17") in found
    assert ("Rita Chen", "vote_against", "Ordinance 2025-17") in found
    assert not any(r == "veto" for _, r, _ in found)


def test_unrealised_acts_and_new_bills_are_not_relations(nlp):
    text = ("Gov. Ana Lopez signed House Bill 12 in March.\n\nLawmakers met on Monday.\n\n"
            "Lawmakers left on Tuesday.\n\nThe session ended, the start of a ten-day window "
            "for the governor to sign or veto legislation. The governor also vetoed a bill "
            "that would have raised fees.")
    found = triples(nlp, text)
    assert ("Ana Lopez", "sign", "HB 12") in found
    assert not any(r == "veto" for _, r, _ in found)


def test_supporters_and_relative_clauses(nlp):
    found = triples(nlp, "Mayor Tim Stone, who opposed Ordinance 2023-4, spoke first. "
                         "Supporters of House Bill 7 include the Ohio Farm Bureau.")
    assert ("Tim Stone", "oppose", "Ordinance 2023-4") in found
    assert ("Ohio Farm Bureau", "support", "HB 7") in found


def test_a_promised_act_is_a_stance_and_a_forecast_is_nothing(nlp):
    found = triples(nlp, "Lawmakers debated Senate Bill 4 on Tuesday. Gov. Greg Abbott has "
                         "said he will sign it. The Senate will pass House Bill 9 next week.")
    assert ("Greg Abbott", "support", "SB 4") in found
    assert not any(r in ("sign", "pass") for _, r, _ in found)


def test_a_phrase_naming_its_own_law_and_weak_references(nlp):
    found = triples(nlp, "Commissioners adopted Ordinance 2021-07 on Monday.\n\nThe Department "
                         "of Labor will administer the program created by House Bill 500.\n\n"
                         "Judge Amy Reyes blocked the policy on Friday.")
    assert ("U.S. Department of Labor", "enforce", "HB 500") in found
    assert not any(r == "rule" for _, r, _ in found)


def test_fronted_sponsors_and_cosponsor_lists(nlp):
    found = triples(nlp, "Sponsored by Sen. Laura Ellis and Rep. Mark Dunn, Senate Bill 220 "
                         "expands broadband access. Co-sponsors include Rep. Tina Ford.")
    assert {("Laura Ellis", "sponsor", "SB 220"), ("Mark Dunn", "sponsor", "SB 220"),
            ("Tina Ford", "sponsor", "SB 220")} <= found


def test_a_later_law_is_named_only_when_none_came_before(nlp):
    text = ("Senate Bill 8 takes effect in July.\n\nThe Firearms Policy Coalition, which "
            "challenged the law, said it would keep fighting.\n\nThe state Supreme Court "
            "upheld House Bill 481 on Tuesday.")
    found = triples(nlp, text)
    assert ("Firearms Policy Coalition", "challenge", "SB 8") in found
    assert ("Firearms Policy Coalition", "challenge", "HB 481") not in found


def test_praise_or_criticism_of_a_law_in_a_quotation(nlp):
    found = triples(nlp, "Lawmakers sent House Bill 370 to the governor on Monday.\n\n"
                         "\u201cThe bill would strip sheriffs of their authority,\u201d Sheriff "
                         "Dale Prentiss said.\n\n\u201cThe weather was bad,\u201d Mayor Jo "
                         "Park said.")
    assert ("Dale Prentiss", "oppose", "HB 370") in found
    assert not any(s == "Jo Park" for s, _, _ in found)


def test_lawsuits_and_stances(nlp):
    found = triples(nlp, "The American Civil Liberties Union filed a lawsuit challenging "
                         "House Bill 1450 on Friday. Sheriff Dale Prentiss urged the governor "
                         "to veto House Bill 1450.")
    assert ("American Civil Liberties Union", "challenge", "HB 1450") in found
    assert ("Dale Prentiss", "oppose", "HB 1450") in found
    assert not any(r == "veto" for _, r, _ in found)


def test_a_possessive_bill_is_sponsored_by_its_owner(nlp):
    found = triples(nlp, "Senate Bill 77 cleared a committee. Sen. Alma Ruiz's bill would cap "
                         "rent increases.")
    assert ("Alma Ruiz", "sponsor", "SB 77") in found


def test_roll_call_lists(nlp):
    text = ("The board considered Resolution 2024-08 on Tuesday.\n\n"
            "Ayes: Commissioner Janet Fowler, Commissioner Ray Ortiz. "
            "Noes: Commissioner Alan Pike.")
    found = triples(nlp, text)
    assert ("Janet Fowler", "vote_for", "Resolution 2024-08") in found
    assert ("Ray Ortiz", "vote_for", "Resolution 2024-08") in found
    assert ("Alan Pike", "vote_against", "Resolution 2024-08") in found


def test_stances_by_preposition_and_praise(nlp):
    found = triples(nlp, "Assembly Bill 311 reached the floor in June. Gov. Ellen Marsh came "
                         "out against Assembly Bill 311. Mayor Jo Park testified in favor of "
                         "AB 311.")
    assert ("Ellen Marsh", "oppose", "AB 311") in found
    assert ("Jo Park", "support", "AB 311") in found


def test_a_law_that_empowers_a_body_is_enforced_by_it(nlp):
    found = triples(nlp, "Senate Bill 9 directs the Department of Revenue to collect the tax.")
    assert ("Department of Revenue", "enforce", "SB 9") in found


def test_headings_and_absolutes_of_vote_summaries(nlp):
    found = triples(nlp, "House Bill 64 would cap insulin prices. It was approved 61-30, with "
                         "Rep. Nora Beck of Cedar Falls joining Democrats to vote against the "
                         "measure.")
    assert ("Nora Beck", "vote_against", "HB 64") in found


def test_every_relation_keeps_offsets_sentence_and_rule(nlp):
    text = "Gov. Maria Ortega signed Senate Bill 12 into law on Monday."
    (record,) = extract_relations(nlp(text))
    assert text[record.subject_start:record.subject_end] == "Maria Ortega"
    assert text[record.object_start:record.object_end] == "Senate Bill 12"
    assert text[record.start:record.end] == "signed"
    assert text[record.sent_start:record.sent_end].startswith("Gov. Maria Ortega")
    assert record.rule_id == "law_actions#sign"


# -- stored, corrected, queried ----------------------------------------------------------

ARTICLE = """Governor signs immigration bill

March 3, 2024

Gov. Maria Ortega signed Senate Bill 12 into law on Monday. The bill was sponsored by Sen. Omar Reyes.

The Idaho Civil Rights Project filed a lawsuit challenging SB 12 on Tuesday.
"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The article ingested once for the module (read-only: see ``corpus``)."""
    root = tmp_path_factory.mktemp("relations")
    folder = root / "docs"
    folder.mkdir()
    (folder / "ortega.txt").write_text(ARTICLE, encoding="utf-8")
    db = root / "rel.db"
    result = run("ingest", folder, "--db", db, "--workers", "1")
    assert result.exit_code == 0, result.output
    return folder, db


@pytest.fixture()
def corpus(ingested: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of the ingested article's database, in its own folder."""
    folder, db = ingested
    return folder, copy_db(db, tmp_path / "rel.db")


def rows(db: Path) -> list[dict]:
    result = run("export", "relations", "--format", "jsonl", "-o", "-", "--db", db)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_ingest_stores_relations_with_document_date(corpus):
    _, db = corpus
    found = {(r["subject"], r["relation"], r["object"], r["date"]) for r in rows(db)}
    assert ("Maria Ortega", "sign", "SB 12", "2024-03-03") in found
    assert ("Omar Reyes", "sponsor", "SB 12", "2024-03-03") in found
    assert ("Idaho Civil Rights Project", "challenge", "SB 12", "2024-03-03") in found
    first = next(r for r in rows(db) if r["relation"] == "sign")
    assert set(first) >= {"document", "subject", "subject_type", "relation", "object", "date",
                          "sentence"}
    assert first["subject_type"] == "official" and "signed" in first["sentence"]


def test_relations_follow_merges_and_corrections(corpus):
    _, db = corpus
    result = run("merge", "Idaho Civil Rights Project", "ICRP", "--into", "ICRP",
                 "--type", "organization", "--db", db)
    assert result.exit_code == 0, result.output
    assert any(r["subject"] == "ICRP" and r["relation"] == "challenge" for r in rows(db))
    result = run("relate", "Maria Ortega", "sign", "SB 12", "--drop", "--db", db)
    assert result.exit_code == 0, result.output
    assert not any(r["relation"] == "sign" for r in rows(db))
    result = run("relate", "Omar Reyes", "support", "SB 12", "--document", "ortega.txt",
                 "--db", db)
    assert result.exit_code == 0, result.output
    assert any(r["subject"] == "Omar Reyes" and r["relation"] == "support" for r in rows(db))
    assert run("reapply", "--db", db).exit_code == 0
    assert not any(r["relation"] == "sign" for r in rows(db))


def test_relate_needs_a_document_to_add(corpus):
    _, db = corpus
    result = run("relate", "Omar Reyes", "support", "SB 12", "--db", db)
    assert result.exit_code == 2
    assert "--document" in result.output


def test_queries_show_actions(corpus):
    _, db = corpus
    result = run("law", "senate bill 12", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    assert sorted((a["subject"], a["relation"]) for a in json.loads(result.stdout)["actions"]) \
        == [("Idaho Civil Rights Project", "challenge"), ("Maria Ortega", "sign"),
            ("Omar Reyes", "sponsor")]
    data = json.loads(run("person", "Maria Ortega", "--db", db, "--json").stdout)
    assert [(a["relation"], a["object"]) for a in data["actions"]] == [("sign", "SB 12")]
    data = json.loads(run("relations", "--relation", "sponsor", "--since", "2024",
                          "--db", db, "--json").stdout)
    assert data["total"] == 1 and data["relations"][0]["subject"] == "Omar Reyes"
    data = json.loads(run("relations", "--since", "2025", "--db", db, "--json").stdout)
    assert data["total"] == 0
    data = json.loads(run("why", "Maria Ortega", "--db", db, "--json").stdout)
    assert [a["rule_id"] for a in data["relations"]] == ["law_actions#sign"]


def test_reports_print_the_actions(corpus):
    _, db = corpus
    result = run("law", "senate bill 12", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Actions (3)" in result.output
    assert "Laws acted on (1)" in run("person", "Maria Ortega", "--db", db).output
    assert "rule: law_actions#sign" in run("why", "Maria Ortega", "--db", db).output


def test_evaluate_scores_relations(corpus, tmp_path):
    _, db = corpus
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"document": "ortega.txt", "entities": [
        {"type": "official", "name": "Maria Ortega"},
        {"type": "law", "name": "SB 12", "aliases": ["Senate Bill 12"]}]}) + "\n")
    relations = tmp_path / "relations.jsonl"
    relations.write_text(json.dumps({"document": "ortega.txt", "relations": [
        {"subject": "Maria Ortega", "relation": "sign", "object": "Senate Bill 12"},
        {"subject": "Maria Ortega", "relation": "veto", "object": "Senate Bill 12"}]}) + "\n")
    result = run("evaluate", gold, "--relations", relations, "--db", db, "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["relations"]
    assert scores["sign"]["tp"] == 1 and scores["veto"]["fn"] == 1


def test_datasette_metadata_describes_relations(corpus):
    _, db = corpus
    meta = json.loads(run("export", "datasette-metadata", "-o", "-", "--db", db).stdout)
    tables = next(iter(meta["databases"].values()))["tables"]
    assert "relation" in tables["relations"]["columns"]


# -- recall: references across paragraphs, constitutions, roll-call sentences -------------

def test_the_policy_in_the_next_paragraph_is_the_only_law_named_before(nlp):
    text = ("The Fresno County Board of Supervisors adopted Resolution 2022-114 on "
            "Tuesday.\n\nSupervisors Nathan Magsig and Buddy Mendes voted to approve the "
            "policy, while Supervisor Sal Quintero voted no.")
    found = triples(nlp, text)
    assert ("Nathan Magsig", "vote_for", "Resolution 2022-114") in found
    assert ("Buddy Mendes", "vote_for", "Resolution 2022-114") in found


def test_the_policy_is_not_resolved_when_two_laws_came_before(nlp):
    text = ("The council adopted Ordinance 88 and Resolution 12 on Monday.\n\n"
            "Council member Ravi Shah voted to approve the policy.")
    assert not any(r == "vote_for" for _, r, _ in triples(nlp, text))


def test_the_law_is_no_constitutional_amendment(nlp):
    text = ("Attorney General Lena Ortiz filed an appeal in support of the gun law.\n\n"
            "A judge said the ban violated the Second Amendment.")
    found = triples(nlp, text)
    assert not any(o == "Second Amendment" for _, _, o in found)


def test_the_only_law_named_much_later_is_not_the_legislation_of_the_lede(nlp):
    text = ("Gov. Dana Whitfield signed the legislation on Monday.\n\nShe spoke at the "
            "capitol.\n\nLawmakers praised her.\n\nThe crowd cheered.\n\nIt rained.\n\n"
            "The expansion grew out of the Affordable Care Act of 2010.")
    assert not any(r == "sign" for _, r, _ in triples(nlp, text))


def test_the_bill_and_it_follow_earlier_references_past_a_law_it_violates(nlp):
    text = ("Assembly Bill 1420, signed by Gov. Ellen Marsh in May, limits cash bail.\n"
            "The law also violates the Voting Rights Act of 1965, critics say. The law "
            "takes effect in July.\n"
            "Prosecutors say that is a mistake.\n"
            "Defense lawyers praised the provision on fees.\n"
            "The bill also caps fines. The measure drew protests. It passed along party "
            "lines.\n"
            "The Nevada Legislature adjourned in June.")
    found = triples(nlp, text)
    assert ("Nevada Legislature", "pass", "AB 1420") in found
    assert not any(o == "Voting Rights Act of 1965" for _, _, o in found)


def test_lawyers_of_a_body_do_not_speak_for_it(nlp):
    found = triples(nlp, "Mayor Lia Grant spoke. The Reno City Council's lawyers said "
                         "Senate Bill 310 is unconstitutional.")
    assert not any(s == "Reno City Council" for s, _, _ in found)


def test_an_order_signed_to_direct_an_agency_is_enforced_by_it(nlp):
    found = triples(nlp, "Gov. Tom Baxter signed Executive Order 14 in March to direct the "
                         "Department of Public Safety to review the contracts.")
    assert ("Tom Baxter", "sign", "Executive Order 14") in found
    assert ("Department of Public Safety", "enforce", "Executive Order 14") in found


def test_a_body_authorized_under_a_law_enforces_it(nlp):
    found = triples(nlp, "Attorney General Ray Moss praised lawmakers. The Oregon Consumer "
                         "Data Act takes effect in July. The attorney general is authorized "
                         "to adopt rules to carry out the act's provisions.")
    assert ("Ray Moss", "enforce", "Oregon Consumer Data Act") in found


def test_a_passive_requirement_without_a_law_in_its_sentence_is_nothing(nlp):
    found = triples(nlp, "Gov. Ana Lopez signed the Oregon Consumer Data Act in June. "
                         "The Oregon Department of Justice is required to publish a report "
                         "on crime every year.")
    assert not any(r == "enforce" for _, r, _ in found)


def test_the_owner_of_a_task_to_implement_a_law_enforces_it(nlp):
    found = triples(nlp, "I want to thank the Food Standards Agency for all of the Food Standards "
                         "Agency's work to implement the Food Safety Act. The mayor's refusal "
                         "to enforce the Food Safety Act drew criticism from Mayor Lia Grant.")
    assert ("Food Standards Agency", "enforce", "Food Safety Act") in found
    assert not any(s == "Lia Grant" and r == "enforce" for s, r, _ in found)


def test_it_is_up_to_his_office_to_enforce_the_law(nlp):
    found = triples(nlp, "House Bill 56 takes effect in July. Attorney General Tom Reeves says "
                         "it's up to his office, not city police, to enforce this law.")
    assert ("Tom Reeves", "enforce", "HB 56") in found


def test_the_judge_who_wrote_the_opinion_ruled_on_the_law_the_court_ruled_on(nlp):
    text = ("The Montana Supreme Court struck down House Bill 102 on Friday.\n\n"
            "Justice Laurie McKinnon wrote the majority opinion. Gov. Greg Gianforte "
            "criticized the decision.")
    found = triples(nlp, text)
    assert ("Laurie McKinnon", "rule", "HB 102") in found
    assert not any(s == "Greg Gianforte" and r == "rule" for s, r, _ in found)


def test_an_opinion_is_on_no_law_when_the_courts_ruled_on_two(nlp):
    text = ("The Montana Supreme Court struck down House Bill 102 and upheld Senate Bill "
            "7 on Friday.\n\nJustice Laurie McKinnon wrote the majority opinion.")
    found = triples(nlp, text)
    assert not any(s == "Laurie McKinnon" for s, _, _ in found)


def test_a_quotation_by_the_governor_about_the_bill_before_it(nlp):
    text = ("Governor Janet Mills rejected a rent cap on Friday.\n\nMills vetoed House Bill "
            "1820 a week after lawmakers sent it to her desk.\n\nThe governor wrote in her "
            "message to lawmakers that the bill \u201cis a partisan stunt that would hurt "
            "renters in every county of the state.\u201d")
    assert ("Janet Mills", "oppose", "HB 1820") in triples(nlp, text)


def test_a_quotation_that_calls_for_support_of_the_bill(nlp):
    text = ("The Senate passed Senate Bill 52 in March.\n\nBoard member Rosa Lind said the "
            "district backs parents. \u201cI think the heart of the bill is something that "
            "should be adopted and supported,\u201d Lind said.")
    found = triples(nlp, text)
    assert ("Rosa Lind", "support", "SB 52") in found


def test_a_quotation_about_a_law_that_turns_back_the_clock(nlp):
    text = ("Senate Bill 1070 was signed in April.\n"
            "The law also conflicts with the National Voter Registration Act, the department "
            "said.\n"
            "\u201cTexas has passed a law that turns the clock back on civil rights,\u201d "
            "Assistant Attorney General Dana Reyes said.")
    found = triples(nlp, text)
    assert ("Dana Reyes", "oppose", "SB 1070") in found
    assert not any(o == "National Voter Registration Act" for _, _, o in found)


def test_settlements_under_a_law_are_not_criticism_of_it(nlp):
    text = ("\u201cClean Water Act settlements like this one show our commitment to towns "
            "that suffered a heavy burden of pollution,\u201d said Regional Administrator "
            "Lee Park.")
    assert not any(r == "oppose" for _, r, _ in triples(nlp, text))


def test_a_deadline_or_power_to_sign_is_no_act(nlp):
    found = triples(nlp, "Gov. Kate Brown's deadline to sign or veto House Bill 3000 is "
                         "Friday. The governor's power to veto House Bill 3000 is limited.")
    assert not any(r in ("sign", "veto") for _, r, _ in found)


def test_minutes_with_votes_cast_as_yes_and_no(nlp):
    text = ("The Boone County Commission considered Ordinance 2023-15 on Tuesday.\n\n"
            "Motion by Commissioner Janet Fowler, seconded by Commissioner Ray Ortiz, to "
            "adopt Ordinance 2023-15. Motion carried 4-1, with Commissioner Alan Pike voting "
            "no.\n\nRoll call on Ordinance 19-44: Council members Ana Diaz and Tom Healy voted "
            "yes; Council member Raj Patel voted no.")
    found = triples(nlp, text)
    assert ("Alan Pike", "vote_against", "Ordinance 2023-15") in found
    assert ("Raj Patel", "vote_against", "Ordinance 19-44") in found
    assert ("Ana Diaz", "vote_for", "Ordinance 19-44") in found


def test_a_motion_carried_in_minutes_is_passed_by_the_body(nlp):
    text = ("Minutes of the Lake County Board of Commissioners, June 4.\n\n"
            "Motion by Commissioner Ray Ortiz to approve Resolution 2024-31. Motion carried "
            "5-0.")
    found = triples(nlp, text)
    assert ("Lake County Board of Commissioners", "pass", "Resolution 2024-31") in found
    two = text + "\n\nThe Lake County Planning Commission met later."
    assert not any(r == "pass" for _, r, _ in triples(nlp, two))


def test_bills_cleared_given_final_approval_or_passed_without_an_agent(nlp):
    found = triples(nlp, "House Bill 2001 cleared the Oregon Senate on a 17-10 vote Tuesday.")
    assert ("Oregon Senate", "pass", "HB 2001") in found
    found = triples(nlp, "The Ohio Senate gave final approval to Senate Bill 83 on Wednesday.")
    assert ("Ohio Senate", "pass", "SB 83") in found
    found = triples(nlp, "The Georgia House of Representatives met Thursday. House Bill 1105 "
                         "was passed 101-69.")
    assert ("Georgia House of Representatives", "pass", "HB 1105") in found
    found = triples(nlp, "The Georgia House of Representatives met Thursday. House Bill 1105 "
                         "will be passed next week.")
    assert not any(r == "pass" for _, r, _ in found)


def test_bodies_charged_with_or_responsible_for_enforcing_a_law(nlp):
    found = triples(nlp, "The Texas Department of Public Safety is charged with enforcing "
                         "Senate Bill 4.")
    assert ("Texas Department of Public Safety", "enforce", "SB 4") in found
    found = triples(nlp, "Under Senate Bill 5, the Washington Department of Labor and "
                         "Industries is responsible for enforcing the rules.")
    assert ("Washington Department of Labor and Industries", "enforce", "SB 5") in found
    found = triples(nlp, "Gov. Jay Inslee is eager to sign Senate Bill 5.")
    assert not any(r == "sign" for _, r, _ in found)


def test_a_law_that_gives_a_body_authority_is_enforced_by_it(nlp):
    found = triples(nlp, "Senate Bill 4 gives the Texas Department of Public Safety authority "
                         "to arrest migrants.")
    assert ("Texas Department of Public Safety", "enforce", "SB 4") in found
    found = triples(nlp, "Senate Bill 4 gives the Texas Department of Public Safety $40 "
                         "million for new troopers.")
    assert not any(r == "enforce" for _, r, _ in found)


def test_a_panel_of_a_court_rules_as_the_court(nlp):
    found = triples(nlp, "A three-judge panel of the 5th Circuit upheld House Bill 20 on Friday.")
    assert any(r == "rule" and o == "HB 20" and "Circuit" in s for s, r, o in found)
    found = triples(nlp, "A panel of the Ohio Farm Bureau praised House Bill 20 on Friday.")
    assert not any(r == "rule" for _, r, _ in found)


def test_quoted_praise_and_criticism_in_many_words(nlp):
    found = triples(nlp, "Senate Bill 23 would ban flavored vapes.\n\n\u201cThis bill will "
                         "protect kids from a lifetime of addiction,\u201d said Sen. Mara Cole, "
                         "a Democrat from Eugene.")
    assert ("Mara Cole", "support", "SB 23") in found
    found = triples(nlp, "House Bill 1 cuts property taxes.\n\n\u201cHouse Bill 1 is a "
                         "disaster for our schools,\u201d Superintendent Lee Grant said.")
    assert ("Lee Grant", "oppose", "HB 1") in found


def test_generic_legislation_in_a_quotation_is_no_law(nlp):
    found = triples(nlp, "Gov. Ted Marsh signed Senate Bill 40 on Friday.\n\n\u201cThis year, "
                         "the other party passed legislation that raised taxes and showed "
                         "government overreach,\u201d Marsh said in a statement.")
    assert not any(r == "oppose" for _, r, _ in found)


def test_a_quotation_whose_clause_has_no_verb_ends(nlp):
    """A clause that climbs to a sentence root that is no verb ("The bill. A
    disaster.") must stop there: spaCy's Token objects are new on every
    access, so the root is found by index, never by identity."""
    import signal

    def too_slow(*_):
        raise TimeoutError("the relation component did not finish")

    text = ("Sheriff Ana Diaz spoke about House Bill 12 on Monday.\n\n"
            "\u201cThe bill. A disaster for every county,\u201d Diaz said.\n\n"
            "\u201cThis law, a mess.\u201d said Diaz.")
    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(30)
    try:
        doc = nlp(text)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert doc.text == text
