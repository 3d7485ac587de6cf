"""Agencies, organizations, laws and places on sentences in the style of many
outlets and states: government bodies of every level, Federal Register
agencies with their slugs, fragments that are not names, bill notations."""

from __future__ import annotations

import importlib.util
import json

import pytest

from policycorpus.pipeline.gazetteer import Gazetteer
from policycorpus.pipeline.build import extract

from conftest import ROOT, run


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def found(nlp, text: str) -> set[tuple[str, str]]:
    """(type, name) of every entity the pipeline extracts from ``text``."""
    return {(e.type, e.name) for e in extract(nlp(text))}


def names(nlp, text: str, type_: str) -> set[str]:
    return {name for t, name in found(nlp, text) if t == type_}


# -- the Federal Register list -------------------------------------------------------------


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_federal_agencies", ROOT / "scripts" / "build_federal_agencies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_register_names_are_turned_into_the_forms_news_uses():
    forms = _build_script().natural_forms
    assert "Department of the Interior" in forms("Interior Department")
    assert "U.S. Department of Energy" in forms("Energy Department")
    assert "Office of Personnel Management" in forms("Personnel Management Office")
    assert forms("Administration Office, Executive Office of the President")[0] == \
        "Administration Office"


def test_the_shipped_file_records_its_source_and_snapshot():
    header = json.loads((ROOT / "models" / "federal_agencies.jsonl").read_text().splitlines()[0])
    assert "Federal Register" in header["source"] and header["snapshot"]


def test_register_agencies_carry_their_slug_by_any_full_name(gaz):
    assert gaz.federal_register_slug(["Department of Energy"]) == "energy-department"
    assert gaz.federal_register_slug(["U.S. Department of Energy"]) == "energy-department"
    assert gaz.federal_register_slug(["Tulsa Police Department"]) == ""


def test_a_register_acronym_never_shadows_a_place_or_a_known_outlet(gaz):
    assert all(k.type != "agency" for k in gaz.lookup("USA"))
    assert gaz.lookup("NPR")[0].type == "organization"


def test_a_register_agency_is_recognised_in_the_text(nlp):
    text = ("The Bureau of Land Management said Friday it would reopen the comment period, "
            "a BLM spokeswoman told the Casper Star-Tribune.")
    assert "Bureau of Land Management" in names(nlp, text, "agency")


def test_agency_json_and_entity_export_show_the_slug(tmp_path):
    doc = tmp_path / "energy.txt"
    doc.write_text("BOISE, Idaho — The U.S. Department of Energy will review the plan, "
                   "officials said Monday.\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert run("ingest", doc, "--db", db, "--workers", "1").exit_code == 0
    report = json.loads(run("agency", "U.S. Department of Energy", "--db", db, "--json").stdout)
    assert report["entity"]["federal_register_slug"] == "energy-department"
    out = tmp_path / "entities.csv"
    assert run("export", "entities", "-o", out, "--db", db).exit_code == 0
    assert "energy-department" in out.read_text()


# -- bodies of every level -------------------------------------------------------------------


def test_bare_chambers_are_the_documents_state_legislature(nlp):
    text = ("RALEIGH, N.C. — The N.C. House voted 71-45 on Tuesday, and the Senate followed. "
            "The General Assembly adjourned Thursday.")
    assert {"North Carolina House of Representatives", "North Carolina Senate",
            "North Carolina General Assembly"} <= names(nlp, text, "agency")


def test_chambers_are_named_as_each_state_styles_them(nlp):
    text = ("ANNAPOLIS, Md. — The House of Delegates passed the measure, which the state "
            "Senate approved a week later.")
    assert {"Maryland House of Delegates", "Maryland Senate"} <= names(nlp, text, "agency")


def test_a_sentence_about_congress_keeps_the_chamber_federal(nlp):
    text = "SALEM, Ore. — The House will vote next week, Congress aides said."
    assert "U.S. House of Representatives" in names(nlp, text, "agency")
    assert "Oregon House of Representatives" not in names(nlp, text, "agency")


def test_bodies_the_model_misses_are_found_by_their_head_word(nlp):
    text = ("BOISE, Idaho — Members of the Boise City Council voted 4-2 after the Planning "
            "Commission sent the plan back.")
    assert {"Boise City Council", "Planning Commission"} <= names(nlp, text, "agency")



def test_a_title_names_its_body_as_the_text_does_not_by_template(nlp):
    text = "FLAGSTAFF, Ariz. — Yavapai County Sheriff Ana Diaz said Monday her deputies would not help."
    assert "Yavapai County Sheriff" in names(nlp, text, "agency")
    assert not any("Department" in n for n in names(nlp, text, "agency"))


def test_a_titles_body_takes_the_full_name_the_text_gives_later(nlp):
    text = ("Cobb County Sheriff Tom Reyes spoke Tuesday. The Cobb County Sheriff's Office "
            "said later it would comply.")
    assert names(nlp, text, "agency") == {"Cobb County Sheriff's Office"}


def test_supported_body_name_prefers_the_texts_own_words():
    from policycorpus.pipeline.bodynames import supported_body_name

    assert supported_body_name("the Portland Police Bureau said", "Portland Police",
                               "Portland Police Department") == "Portland Police Bureau"
    assert supported_body_name("Lake County sheriff Jo Ames", "Lake County sheriff",
                               "Lake County Sheriff's Department") == "Lake County Sheriff"
    assert supported_body_name("Reno Police Chief Al Moss", "Reno Police",
                               "Reno Police Department") == "Reno Police Department"


# -- whole names, not fragments ------------------------------------------------------------


def test_a_datelines_call_letters_are_an_outlet_not_the_city(nlp):
    text = "OMAHA, Neb. (KETV) — A judge ruled Monday that the county may proceed."
    assert "KETV" in names(nlp, text, "organization")
    assert names(nlp, text, "place") >= {"Omaha"}


def test_an_acronym_is_defined_only_by_words_that_spell_it(nlp):
    text = ("The Ohio Immigrant and Refugee Rights Alliance (OIRRA) praised the vote. "
            "OIRRA had pushed for it for years.")
    orgs = names(nlp, text, "organization")
    assert "Ohio Immigrant and Refugee Rights Alliance" in orgs and "OIRRA" not in orgs


def test_byline_chrome_and_common_words_are_not_organizations(nlp):
    text = ("The Tulsa Beacon Staff\nThe judge's Order came Friday, and the order was "
            "appealed. Commissioners met at 3rd Floor, Box 212.")
    orgs = names(nlp, text, "organization")
    assert not orgs & {"Order", "Commissioners", "Box 212", "3rd Floor", "The Tulsa Beacon Staff"}


def test_a_hyphenated_name_stays_whole(nlp):
    text = "He spoke to the Boise Statesman-Journal on Monday. (Ana Ruiz/Macon Herald-Ledger)"
    assert any(n.endswith("Herald-Ledger") or n.endswith("Statesman-Journal") for n in names(nlp, text, "organization"))


@pytest.mark.parametrize("text, outlet", [
    ("The jail on Monday. (Ana Ruiz/Macon Herald-Ledger)", "Macon Herald-Ledger"),
    ("Seated are leaders. Credit: Tom Healy/Capitol Wire Service\nNext line.",
     "Capitol Wire Service"),
    ("The governor spoke Friday. (AP Photo/Dee Park)", "Associated Press"),
])
def test_photo_credits_name_the_outlet_once(nlp, text, outlet):
    orgs = [e for e in extract(nlp(text)) if e.type == "organization"]
    assert [e.name for e in orgs] == [outlet]


def test_a_persons_name_the_model_read_as_an_organization_is_a_person(nlp):
    text = "Commissioners Dana Whitfield and Maria Ochoa-Brandt voted no on the contract."
    assert not names(nlp, text, "organization") & {"Dana Whitfield", "Maria Ochoa-Brandt"}


def test_an_outlet_before_the_photographer_is_named_once(nlp):
    text = "Rifles are displayed at a store in Yuma. REUTERS/Ana Diaz"
    assert names(nlp, text, "organization") == {"Reuters"}


@pytest.mark.parametrize("text, body, type_", [
    ("A Nevada District Court judge dismissed the suit Friday.", "Nevada District Court",
     "agency"),
    ("The Supreme Court of Ireland ruled 4-3 on Thursday.", "Supreme Court of Ireland", "agency"),
    ("The ACLU of Ohio sued the city on Monday.", "ACLU of Ohio", "organization"),
    ("The Kansas Office of Attorney General signed the agreement.",
     "Kansas Office of Attorney General", "agency"),
])
def test_a_name_with_a_place_inside_stays_whole(nlp, text, body, type_):
    entities = found(nlp, text)
    assert (type_, body) in entities
    inner = body.split(" of ")[-1] if " of " in body else body.split()[0]
    assert ("place", inner) not in entities


def test_two_bodies_in_one_possessive_are_two(nlp):
    text = "The Interior Department's Bureau of Land Management opened an inquiry in Tulsa."
    assert {"Bureau of Land Management", "U.S. Department of the Interior"} <= \
        names(nlp, text, "agency")


def test_a_city_named_as_a_party_is_the_place(nlp):
    text = "The City of Yuma and the Town of Gila Bend joined the suit."
    assert {"Yuma", "Gila Bend"} <= names(nlp, text, "place")
    assert not names(nlp, text, "agency")


def test_a_generic_body_name_is_the_one_full_name_the_text_gives(nlp):
    text = ("The Tulsa Police Department released the video. The Police Department said "
            "officers followed policy. The Department declined to comment.")
    assert names(nlp, text, "agency") == {"Tulsa Police Department"}


def test_programs_and_plans_with_a_name_are_laws(nlp):
    text = "The Climate Resilience Cost Recovery Program takes effect in 2027, the agency said."
    assert "Climate Resilience Cost Recovery Program" in names(nlp, text, "law")


# -- places -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, place", [
    ("MOAB, Utah — The county will end the agreement, officials said.", "Moab"),
    ("TUCSON — The Justice Department sued the state on Tuesday.", "Tucson"),
    ("Rep. Ann Lee, R-Sedona, said the bill goes too far.", "Sedona"),
    ("The school board met Monday in Cottonwood, Arizona, to vote.", "Cottonwood"),
    ("The suit was filed by Weld and Logan counties in Colorado.", "Logan County"),
])
def test_small_towns_are_found_from_context(nlp, text, place):
    assert place in names(nlp, text, "place")


def test_a_common_word_is_no_town(nlp):
    text = ("Justice was served, the lawyer said in Denver, Colorado. Residents in Commerce "
            "wanted justice too.")
    assert "Justice" not in names(nlp, text, "place")


def test_judicial_districts_and_the_country_in_a_title_are_not_places(nlp):
    text = ("The U.S. Attorney for the Western District of Ohio said the Northern District "
            "had agreed, according to U.S. District Court filings.")
    places = names(nlp, text, "place")
    assert not places & {"Western District", "Northern District", "United States"}


def test_a_list_the_model_glued_is_split_into_its_places(nlp):
    text = "The pact with the Yavapai County, City of Sedona, Town of Chino Valley was renewed."
    assert {"Yavapai County", "Sedona", "Chino Valley"} <= names(nlp, text, "place")


def test_provinces_and_states_of_other_countries_are_places(nlp):
    text = "Manitoba Premier Ana Diaz met officials from Queensland and Tasmania."
    assert {"Manitoba", "Queensland", "Tasmania"} <= names(nlp, text, "place")


@pytest.mark.parametrize("text, org", [
    ("Tucson Sentinel\nTUCSON — The county voted Tuesday to end the contract.", "Tucson Sentinel"),
    ("The mayor said so on KBOI Newsradio's morning show on Tuesday.", "KBOI Newsradio"),
    ("Voters of Ohio, RISE, Inc. and two churches filed the suit Friday.", "RISE, Inc."),
])
def test_outlets_and_companies_are_named_whole(nlp, text, org):
    assert org in names(nlp, text, "organization")


def test_capitals_that_are_common_words_are_not_organizations(nlp):
    text = "The deputy drove WEST on the highway, heading west, and filed a Press Release."
    assert not names(nlp, text, "organization") & {"WEST", "Press Release"}


def test_an_acronym_spelled_by_a_body_the_text_names_is_that_body(nlp):
    text = ("The Macon Police Department released the footage. MPD officers were not "
            "disciplined, an MPD spokeswoman said.")
    entities = extract(nlp(text))
    body = next(e for e in entities if e.name == "Macon Police Department")
    assert "MPD" in {m.text for m in body.mentions}
    assert not any(e.name == "MPD" for e in entities)


def test_jails_and_detention_centers_are_agencies(nlp):
    text = "Detainees at the Lea County Detention Center were moved on Friday."
    assert "Lea County Detention Center" in names(nlp, text, "agency")


def test_a_misspelt_known_body_is_that_body(nlp):
    text = "A spokesman for Immigration and Custom Enforcement declined to comment."
    assert "U.S. Immigration and Customs Enforcement" in names(nlp, text, "agency")


def test_an_organization_name_cut_at_its_and_is_joined(nlp):
    text = "The Ohio Tenant and Worker Justice Coalition applauded the decision."
    assert "Ohio Tenant and Worker Justice Coalition" in names(nlp, text, "organization")
    assert "Worker Justice Coalition" not in names(nlp, text, "organization")


def test_a_place_and_title_read_as_a_person_name_the_body(nlp):
    text = "“We will not,” said Cochise County Sheriff Mark Dannels. “Not here.”"
    assert "Cochise County Sheriff" in names(nlp, text, "agency")
    assert "Cochise County Sheriff" not in names(nlp, text, "person")


def test_a_bodys_name_made_of_title_words_is_still_a_body(nlp):
    text = "On a 7-2 vote, the City Council approved the budget on Tuesday in Boise, Idaho."
    assert "City Council" in names(nlp, text, "agency")


def test_a_local_bodys_short_name_needs_its_place_in_the_document(nlp, gaz):
    from policycorpus.pipeline.jurisdictions import agency_jurisdiction

    local = next(k for k in set(v for hits in gaz.by_key.values() for v in hits)
                 if k.type == "agency" and k.level == "municipal" and any(
                     " " in a and agency_jurisdiction(k.name, gaz).name not in a
                     and not gaz.place(a.split()[0]) for a in k.aliases))
    alias = next(a for a in local.aliases if " " in a
                 and agency_jurisdiction(local.name, gaz).name not in a)
    text = f"RENO, Nev. — The {alias} will rejoin the program, officials said."
    assert local.name not in names(nlp, text, "agency")


def test_a_response_team_defined_by_its_acronym_is_an_agency(nlp):
    text = ("The Gila Valley Regional Tactical Response Team (TRT) was called in. "
            "The TRT stood down at noon.")
    assert any(n.endswith("Tactical Response Team") for n in names(nlp, text, "agency"))
    assert "TRT" not in names(nlp, text, "organization")


def test_an_acronym_after_a_or_an_is_a_thing(nlp):
    text = "Deputies made a DUI arrest and signed an MOU with the county."
    assert not names(nlp, text, "organization") & {"DUI", "MOU"}


def test_a_small_town_named_like_a_word_inside_a_name_is_no_place(nlp):
    text = ("ATHENS, Ga. — The county's Chamber of Commerce backed the plan on Monday, "
            "its president said.")
    assert "Commerce" not in names(nlp, text, "place")


# -- organization precision: what is not an organization's name -----------------------------


def test_fields_glued_across_a_lost_line_break_are_no_name(nlp):
    text = ("Judge\nWriting for the PanelHarrow, J.\nCase NumberCASE NO. 21-4410\n\n"
            "Harrow, J., wrote that the county had no duty to hold the men.")
    orgs = names(nlp, text, "organization")
    assert not any("PanelHarrow" in n or "NumberCASE" in n for n in orgs)


def test_a_list_of_surnames_cut_at_a_comma_is_no_organization(nlp):
    text = ("Some residents said the trustees named by the governor — Okafor, Lindqvist "
            "Baptiste and Moreau — ignored them.")
    assert not any("," in n for n in names(nlp, text, "organization"))


def test_a_counsel_lists_title_and_unit_are_not_one_body(nlp):
    text = ("Mara T. Quill, City of Fresno Law Department Chair, Appeals Unit, Ivo Renner, "
            "for the City of Fresno.")
    assert "City of Fresno Law Department" in names(nlp, text, "agency")
    assert not any("Chair" in n for t, n in found(nlp, text))


def test_a_title_case_bill_title_is_no_organization(nlp):
    text = ("Gov. Dana Whitcomb signed HB24-1175 Limits on Rent Increases In Mobile Home Parks - "
            "Representative Ana Ruiz, Senators Tom Lee and Kay Ward.")
    assert not any("Limits" in n or "Mobile Home" in n for n in names(nlp, text, "organization"))


def test_instrument_words_alone_are_no_name(nlp):
    text = ("AGENDA ITEM 4. Recommendation to Review the Argument Against the Initiative Measure "
            "that Proposes to Amend the City Charter.")
    assert "Initiative Measure" not in names(nlp, text, "organization")


def test_the_rest_of_a_title_is_no_organization(nlp):
    text = ("The letter was signed by the Secretary of State for Business and Trade, who "
            "thanked the regulator for its work.")
    assert not any(n.startswith(("State for", "Business")) for n in names(nlp, text, "organization"))


def test_an_acronym_in_a_list_of_common_nouns_is_no_organization(nlp):
    text = ("Under the policy, jail staff flag inmates booked on felonies, DWI and "
            "domestic assault charges for federal agents.")
    assert "DWI" not in names(nlp, text, "organization")


def test_a_misspelt_title_is_no_organization(nlp):
    text = "On March 3, Sherif’s Sergeant Dale Ortiz and Deputy Amy Chu made the arrest."
    assert not names(nlp, text, "organization")


def test_a_name_after_a_relation_noun_is_a_person(nlp):
    text = ("Renters packed the hearing; her neighbor Juniper Ashgrove held a sign "
            "backing the plan.")
    assert "Juniper Ashgrove" in names(nlp, text, "person")
    assert "Juniper Ashgrove" not in names(nlp, text, "organization")


def test_two_names_glued_at_and_are_two(nlp):
    text = ("Students of the Lakeview High School and Prairie Valley University shootings "
            "testified on Thursday.")
    orgs = names(nlp, text, "organization")
    assert {"Lakeview High School", "Prairie Valley University"} <= orgs


def test_a_state_word_before_a_noun_is_no_part_of_a_party(nlp):
    text = "The premier spoke at the Greens State conference in Hobart on Saturday."
    assert "Greens State" not in names(nlp, text, "organization")


def test_a_tribal_nation_is_a_place_not_an_organization(nlp):
    text = ("The board discussed leaving the Hopi Nation out of the agreement, and a "
            "supervisor objected.")
    assert "Hopi Nation" not in names(nlp, text, "organization")
    assert "Hopi Nation" in names(nlp, text, "place")


def test_an_agencys_regional_office_is_an_agency(nlp):
    text = ('"Idling buses foul the air," said EPA Pacific Northwest Regional Administrator '
            "Ana Ruiz on Monday.")
    assert not any(n.startswith("EPA") for n in names(nlp, text, "organization"))


def test_a_plural_of_constitutions_is_a_law(nlp):
    text = "The bill violates the Ohio and U.S. Constitutions, opponents said."
    assert not any("Constitutions" in n for n in names(nlp, text, "organization"))


def test_an_instruments_acronym_is_no_organization(nlp):
    text = ("The county signed a Memorandum of Agreement (MOA) with the sheriff. "
            "A copy of the MOA is online.")
    assert "MOA" not in names(nlp, text, "organization")


def test_an_abbreviated_department_is_the_department(nlp):
    text = ("Ana Ruiz, City of Tacoma Law Dept., and Bo Chen, City of Tacoma Law Department, "
            "for the City of Tacoma.")
    agencies = names(nlp, text, "agency")
    assert "City of Tacoma Law Department" in agencies and len(agencies) == 1


def test_a_one_word_public_program_is_no_organization(nlp):
    text = ("Gov. Ana Ruiz signed the expansion of TennCare on Monday; thousands more will "
            "qualify for Medicare-style coverage.")
    assert not names(nlp, text, "organization") & {"TennCare", "Medicare"}


def test_a_short_name_after_a_program_and_or_is_the_programs_alias(nlp):
    text = ("The law creates a Lead Pipe Replacement Revolving Program, or Pipe Fund, that "
            "lends money to towns.")
    laws = names(nlp, text, "law")
    assert "Lead Pipe Replacement Revolving Program" in laws and len(laws) == 1
    assert not names(nlp, text, "organization")


def test_an_app_promo_and_a_stations_tagline_are_chrome():
    from policycorpus.sources.files import strip_chrome

    kept, dropped = strip_chrome(
        "Want more from Valley Now? Get the latest with the Valley Now app today!\n"
        "101.7 FM Broadcasting From The College Of The Ozarks\n"
        "The Springfield Council met on Monday.")
    assert kept == ["The Springfield Council met on Monday."] and len(dropped) == 2


def test_a_regulator_named_by_the_office_of_convention_is_an_agency(nlp):
    text = ("I want to thank Ofwat for its work to implement the Water Act. I know Ofwat "
            "is intending to finalise the rules. Often the minister agreed.")
    assert "Ofwat" in names(nlp, text, "agency")
    assert not names(nlp, text, "organization") | names(nlp, text, "person")


def test_a_university_called_state_keeps_its_name_and_an_ampersand_binds_one_name(nlp):
    text = ("Fans crowded the Penn State campus on Saturday, the Raleigh News & Observer "
            "reported.")
    orgs = names(nlp, text, "organization")
    assert "Penn" not in orgs and "Observer" not in orgs


def test_a_company_suffix_or_appositive_makes_a_name_the_model_missed(nlp):
    text = ("Harbor Ridge Transit, a company that runs school buses, paid a fine. "
            "ASCEND, Inc. and the county sued. Harbor Ridge Transit's lawyer declined "
            "to comment, said Mara Quinn, a company spokeswoman.")
    orgs = names(nlp, text, "organization")
    assert {"Harbor Ridge Transit", "ASCEND, Inc."} <= orgs
    assert "Mara Quinn" in names(nlp, text, "person")


def test_a_credit_of_outlets_and_a_photographer_after_colons(nlp):
    text = "Tenants rallied on Friday.\n(Valley Public Radio: Wire Service: Ana Ruiz)"
    assert "Wire Service" in names(nlp, text, "organization")
    assert "Ana Ruiz" in names(nlp, text, "person")


def test_generic_acronyms_are_no_organizations(nlp):
    text = ("Officers arrested him on suspicion of OWI, the Reno Police Department said. "
            "The MOA was signed on Friday, and the PAC spent heavily.")
    assert not names(nlp, text, "organization") & {"OWI", "MOA", "PAC"}
