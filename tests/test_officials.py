"""Officials of every office: titles, lists, letterheads, counsel lists, people
that are not people, and confirmation against the public records. Sentences
are written in the style of many outlets and states (never the dev set's)."""

from __future__ import annotations

import pytest

from policycorpus.pipeline.officeholders import OfficeHolders
from policycorpus.pipeline.build import extract


def people(nlp, text: str) -> dict[str, dict]:
    """Officials and persons by name."""
    return {e.name: e for e in extract(nlp(text)) if e.type in ("official", "person")}


def official(nlp, text: str, name: str) -> dict:
    found = people(nlp, text)
    assert name in found, found.keys()
    assert found[name].type == "official", found[name]
    return found[name]


@pytest.mark.parametrize("text, name, role", [
    ("Health Secretary Marisol Quintero said the clinics would stay open.",
     "Marisol Quintero", "Health Secretary"),
    ("Secretary of Labor Dale Whitcomb announced the rule on Tuesday.",
     "Dale Whitcomb", "Secretary of Labor"),
    ("U.S. Attorney for the Western District of Ohio Priya Raman filed the charges.",
     "Priya Raman", "U.S. Attorney for the Western District of Ohio"),
    ("Alberta Premier Tobias Lindqvist rejected the federal plan.", "Tobias Lindqvist",
     "Premier"),
    ("County Clerk Keisha Odom certified the results late Friday.", "Keisha Odom",
     "County Clerk"),
    ("First Selectman Grady Pruitt said the town would appeal.", "Grady Pruitt",
     "First Selectman"),
    ("Superintendent Hana Okafor closed the schools for the storm.", "Hana Okafor",
     "Superintendent"),
])
def test_titles_of_every_office(nlp, text, name, role):
    assert official(nlp, text, name).role == role


def test_a_plural_title_gives_each_name_of_its_list_the_singular_title(nlp):
    text = ("Aldermen Renata Vukovic (12th); Omar Haddad (19th) and Lucille Benoit (41st) "
            "voted against the budget on Wednesday.")
    for name in ("Renata Vukovic", "Omar Haddad", "Lucille Benoit"):
        assert official(nlp, text, name).role == "Alderman"


def test_a_second_list_with_the_same_verb_shares_the_title(nlp):
    text = ("Trustees Renata Vukovic, Omar Haddad and Lucille Benoit voted to approve the "
            "contract, while Grady Pruitt and Keisha Odom voted against it.")
    for name in ("Grady Pruitt", "Keisha Odom"):
        assert official(nlp, text, name).role == "Trustee"


def test_including_after_a_plural_title(nlp):
    text = "Several sheriffs, including Yavapai County's Dale Whitcomb, criticized the order."
    assert official(nlp, text, "Dale Whitcomb").role == "sheriff"


def test_a_letterhead_puts_the_title_on_the_next_line(nlp):
    text = ("Office of the Governor\n\nMARISOL QUINTERO\nGovernor\n\nDear Secretary,\n"
            "We write about the grant.\n")
    found = people(nlp, text)
    names = {n.lower(): e for n, e in found.items()}
    assert names["marisol quintero"].type == "official"


def test_a_post_nominal_title(nlp):
    text = "The Rt Hon Tobias Lindqvist MP\nMinister for Housing\n\nDear colleague,\n"
    assert official(nlp, text, "Tobias Lindqvist")


def test_counsel_lists_tell_government_lawyers_from_a_firms(nlp):
    text = ("Priya Raman, Omar Haddad, Baker Whitcomb LLP, Denver, CO, for the plaintiffs.\n\n"
            "Keisha Odom, Grady Pruitt, U.S. Department of Justice, Washington, DC, "
            "for the defendants.\n")
    found = people(nlp, text)
    assert found["Keisha Odom"].type == "official"
    assert found["Grady Pruitt"].type == "official"
    assert found["Priya Raman"].type == "person"


def test_a_judge_named_with_j(nlp):
    text = "MEMORANDUM\n\nWhitcomb, J.\n\nThe plaintiffs ask the court to enjoin the rule."
    assert official(nlp, text, "Whitcomb")


@pytest.mark.parametrize("text, not_a_person", [
    ("Council Approves Budget Amid Protest Outside Capitol\n\nThe vote was 7-2.",
     "Protest Outside Capitol"),
    ("The Regional Rescue Squad arrived at noon, said Lucille Benoit.", "Rescue Squad"),
    ("Lucille Benoit\nStaff Writer\n\nThe county will vote Tuesday.", "Staff Writer"),
])
def test_not_people(nlp, text, not_a_person):
    assert not_a_person not in people(nlp, text)


def test_a_photo_credit_names_a_person(nlp):
    text = "Protesters gather outside the statehouse. (AP Photo/Renata Vukovic)\n"
    assert "Renata Vukovic" in people(nlp, text)


def test_a_party_label_and_a_state_confirm_a_legislator_from_the_records(nlp):
    holders = OfficeHolders.load()
    record = next(h for h in holders.holders if h.party == "D"
                  and any(r[0] == "us upper" and r[1] == "ca" for r in h.roles))
    text = f"Democrat {record.name} of California called the bill cruel."
    found = official(nlp, text, record.name)
    assert found.officeholder_id == record.id


def test_a_common_name_alone_never_makes_an_official(nlp):
    holders = OfficeHolders.load()
    record = next(h for h in holders.holders if h.state == "tx" and h.roles)
    text = f"{record.name} said the traffic was terrible this morning."
    found = people(nlp, text)
    assert all(e.type == "person" and not e.officeholder_id for e in found.values())


def test_confirmation_needs_a_fitting_title_in_a_named_state():
    holders = OfficeHolders.load()
    record = next(h for h in holders.holders if h.state == "ny" and
                  any(r[0] == "governor" for r in h.roles))
    assert holders.confirm(record.name, "Gov.", {"ny"}).id == record.id
    assert holders.confirm(record.name, "Gov.", {"oh"}) is None
    assert holders.confirm(record.name, "Sheriff", {"ny"}) is None
    assert holders.confirm(record.name, "", {"ny"}) is None  # no title, no party


@pytest.mark.parametrize("text, name", [
    ("The store clerk Lucille Benoit said the line was long.", "Lucille Benoit"),
    ("A private investigator, Grady Pruitt, found the car.", "Grady Pruitt"),
    ("The church minister Omar Haddad led the vigil.", "Omar Haddad"),
])
def test_generic_titles_need_a_government_body_or_a_capital(nlp, text, name):
    assert people(nlp, text)[name].type == "person"


def test_a_name_with_and_without_middle_initial_is_one_person(nlp):
    text = ("Attorney General Priya K. Raman will speak Friday. Officials said "
            "Attorney General Priya Raman would announce the settlement.")
    found = people(nlp, text)
    assert len([n for n in found if "Raman" in n]) == 1


def test_a_surname_misspelt_by_swapped_letters_joins_its_person(nlp):
    text = ("Present were Chairman Dale Whitcomb and Supervisor Renata Vukovic. "
            "Mr. Whitcmob moved approval.")
    assert "Whitcmob" not in people(nlp, text)


def test_the_head_of_a_government_is_an_official(nlp):
    text = "The tax was introduced in 2019 by Tobias Lindqvist's Liberal government."
    assert official(nlp, text, "Tobias Lindqvist")


def test_members_of_a_body_listed_after_it(nlp):
    text = "Three members of the House, Marisol Vukovic, Omar Haddad and Lucille Benoit, sued."
    for name in ("Marisol Vukovic", "Omar Haddad", "Lucille Benoit"):
        assert official(nlp, text, name).role == "member"


def test_a_party_district_tag_makes_a_legislator(nlp):
    text = "The bill's sponsor, Grady Pruitt, R-Emporia, said it would pass the Senate."
    assert official(nlp, text, "Grady Pruitt")


def test_a_rank_before_a_title_is_part_of_it(nlp):
    text = "Deputy Police Chief Omar Haddad said the unit was disbanded."
    assert official(nlp, text, "Omar Haddad").role == "Deputy Police Chief"


def test_an_appositive_finds_a_name_the_model_missed(nlp):
    text = "Keisha Odom, director of the state Department of Corrections, said inmates moved."
    assert official(nlp, text, "Keisha Odom").role == "director"


def test_a_surname_with_a_title_and_a_state_finds_a_current_holder():
    holders = OfficeHolders.load()
    record = next(h for h in holders.holders if h.state == "ny" and
                  any(r[0] == "governor" and (not r[5] or r[5] >= "2026") for r in h.roles))
    surname = record.name.split()[-1]
    assert holders.confirm_surname(surname, "Gov.", {"ny"}).id == record.id
    assert holders.confirm_surname(surname, "Gov.", set()) is None
    assert holders.confirm_surname(surname, "", {"ny"}) is None


def test_a_plural_title_after_a_list(nlp):
    text = "Before: Marisol Vukovic, Omar Haddad and Lucille Benoit, Circuit Judges."
    for name in ("Marisol Vukovic", "Omar Haddad", "Lucille Benoit"):
        assert official(nlp, text, name).role == "Circuit Judge"


def test_party_district_tags_inside_a_list(nlp):
    text = "The letter was signed by Sens. Omar Haddad, D-Ill., and Lucille Benoit, R-Iowa."
    assert official(nlp, text, "Lucille Benoit").role == "Sen."


def test_a_quotation_glued_to_the_next_words(nlp):
    text = '"We will end the contract,"Sheriff Keisha Odom said. "It is over."'
    assert official(nlp, text, "Keisha Odom").role == "Sheriff"


def test_a_repeated_verb_in_a_joined_clause_shares_the_title(nlp):
    text = "Justice Omar Haddad dissented, and Lucille Benoit dissented in part."
    assert official(nlp, text, "Lucille Benoit").role == "Justice"


def test_a_speech_verb_never_passes_a_title_on(nlp):
    text = ("Sheriff Keisha Odom said the policy changed, and resident Grady Pruitt said "
            "he was unhappy.")
    assert people(nlp, text)["Grady Pruitt"].type == "person"


@pytest.mark.parametrize("text, word", [
    ("See Ames, Vol. 28, Harvard Law Review (2019).", "Vol"),
    ("Officials at the Parks and Recreation Division said the pool reopens.", "Parks"),
])
def test_words_of_citations_and_body_names_are_not_people(nlp, text, word):
    assert word not in people(nlp, text)


def test_one_public_record_is_one_entity_across_documents(tmp_path):
    from conftest import run

    from policycorpus.store.database import Store

    holders = OfficeHolders.load()
    record = next(h for h in holders.holders if h.state == "ny" and
                  any(r[0] == "governor" for r in h.roles))
    first, last = record.name.split()[0], record.name.split()[-1]
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(f"Gov. {first} {last} signed the budget in Albany, New York.\n")
    (folder / "b.txt").write_text(f"Gov. {first} Q. {last} vetoed a housing bill in New York.\n")
    db = tmp_path / "c.db"
    assert run("ingest", folder, "--db", db).exit_code == 0
    rows = Store(db, create=False).db.execute(
        "select name from entities where type = 'official'").fetchall()
    assert len(rows) == 1, rows
    shown = run("person", f"{first} {last}", "--json", "--db", db)
    assert record.id in shown.stdout


@pytest.mark.parametrize("text, name, role", [
    ("Acting Under Secretary Priya Raman signed the memo.", "Priya Raman",
     "Acting Under Secretary"),
    ("Senator the Hon Dale Whitcomb welcomed the decision in Canberra.", "Dale Whitcomb",
     "Senator"),
    ("Minister of Finance Lucille Benoit tabled the budget in Ottawa.", "Lucille Benoit",
     "Minister of Finance"),
    ("Home Secretary Keisha Odom announced the new visa rules.", "Keisha Odom",
     "Home Secretary"),
])
def test_offices_of_other_governments_and_styles(nlp, text, name, role):
    assert official(nlp, text, name).role == role


def test_in_office_reads_the_terms_of_a_record():
    holders = OfficeHolders.load()
    record = next(h for h in holders.holders if h.roles and
                  all(r[4][:4].isdigit() and r[5][:4].isdigit() for r in h.roles))
    first = min(int(r[4][:4]) for r in record.roles)
    last = max(int(r[5][:4]) for r in record.roles)
    assert holders.in_office(record.id, f"{first}-06-01")
    assert not holders.in_office(record.id, f"{first - 10}-06-01")
    assert not holders.in_office(record.id, f"{last + 10}-06-01")
    assert holders.in_office(record.id, "")
