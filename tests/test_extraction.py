"""Extraction mechanisms on sentences written in the style of other outlets and
states (not the seeds): each test is one mechanism with its own examples."""

from __future__ import annotations

import pytest

from policycorpus.pipeline.build import extract



def entities(nlp, text: str) -> dict[tuple[str, str], dict]:
    return {(e.type, e.name): e for e in extract(nlp(text))}


def names(nlp, text: str, type_: str) -> set[str]:
    return {name for (t, name) in entities(nlp, text) if t == type_}


@pytest.mark.parametrize("text, law", [
    ("Texas lawmakers passed Senate Bill 4 in a special session.", "SB 4"),
    ("The measure, S.B. 1718, takes effect in July in Florida.", "SB 1718"),
    ("Iowa's HF 2 would let police arrest migrants.", "HF 2"),
    ("Voters rejected Proposition 187 decades ago.", "Proposition 187"),
    ("Cities that violate 8 U.S.C. 1373 could lose grants.", "8 U.S.C. 1373"),
    ("He cited Executive Order No. 13768 in the letter.", "Executive Order 13768"),
])
def test_law_citation_families(nlp, text, law):
    assert law in names(nlp, text, "law")


def test_a_named_act_is_a_law(nlp):
    text = "The Keep Washington Working Act limits what local police may share."
    assert "Keep Washington Working Act" in names(nlp, text, "law")


def test_a_number_and_a_title_the_text_ties_are_one_law(nlp):
    text = ("Oregon's HB 3265, the Sanctuary Promise Act, bars police from helping "
            "immigration agents.")
    laws = [e for e in extract(nlp(text)) if e.type == "law"]
    assert len(laws) == 1
    assert laws[0].name == "Sanctuary Promise Act"
    assert "HB 3265" in laws[0].aliases


def test_an_acronym_defined_in_the_text_joins_its_long_form(nlp):
    text = ("The Minnesota Bureau of Criminal Apprehension (BCA) opened an inquiry. "
            "A BCA agent declined to comment.")
    agencies = [e for e in extract(nlp(text)) if e.type == "agency"]
    assert [a.name for a in agencies] == ["Minnesota Bureau of Criminal Apprehension"]
    assert "BCA" in agencies[0].aliases


def test_a_lowercase_long_form_makes_the_acronym_no_entity(nlp):
    text = "Police use automated license plate readers (ALPR) across Denver. ALPR data is kept."
    found = extract(nlp(text))
    assert not any(e.name == "ALPR" for e in found)


def test_well_known_acronyms_link_to_the_full_agency_name(nlp):
    text = "ICE and CBP officers met DHS officials in Phoenix."
    found = names(nlp, text, "agency")
    assert {"U.S. Immigration and Customs Enforcement", "U.S. Customs and Border Protection",
            "U.S. Department of Homeland Security"} <= found


@pytest.mark.parametrize("text, person, role_word", [
    ("Texas Gov. Greg Abbott signed the bill on Monday.", "Greg Abbott", "Gov."),
    ("Philadelphia District Attorney Larry Krasner said the city would not comply.",
     "Larry Krasner", "District Attorney"),
    ("Minneapolis Mayor Jacob Frey spoke first. Frey said the city is safe.", "Jacob Frey",
     "Mayor"),
    ("Cook County Sheriff Tom Dart said deputies would not hold people for ICE.", "Tom Dart",
     "Sheriff"),
])
def test_a_title_before_the_name_makes_an_official(nlp, text, person, role_word):
    found = entities(nlp, text)
    assert ("official", person) in found
    assert role_word in found[("official", person)].role


def test_an_appositive_title_makes_an_official(nlp):
    text = "John Tully, the mayor of Aurora, said the city would review the policy."
    found = entities(nlp, text)
    assert ("official", "John Tully") in found
    assert "mayor" in found[("official", "John Tully")].role


def test_a_plural_title_is_shared_by_the_coordinated_names(nlp):
    text = "Sens. Ted Cruz and John Cornyn wrote to the agency on Tuesday."
    officials = names(nlp, text, "official")
    assert {"Ted Cruz", "John Cornyn"} <= officials


def test_a_generic_title_at_an_ngo_is_not_an_office(nlp):
    text = ("Maria Lopez, the policy director of the Southern Poverty Law Center, "
            "criticised the plan.")
    found = entities(nlp, text)
    assert ("person", "Maria Lopez") in found


def test_a_spokesperson_of_a_police_department_is_an_official(nlp):
    text = "Seattle police spokeswoman Officer Jane Park said no one was arrested."
    found = entities(nlp, text)
    assert ("official", "Jane Park") in found
    assert "Seattle Police Department" in names(nlp, text, "agency")


def test_a_surname_joins_the_full_name_in_the_document(nlp):
    text = ("Denver Mayor Mike Johnston defended the shelters. Johnston said the city "
            "had no choice, and Johnston's aides agreed.")
    people = [e for e in extract(nlp(text)) if e.type in ("official", "person")]
    assert [p.name for p in people] == ["Mike Johnston"]
    assert len(people[0].mentions) == 3


@pytest.mark.parametrize("text, place", [
    ("Agents were sent to L.A. on Friday.", "Los Angeles"),
    ("Officials in the U.S. disagreed.", "United States"),
    ("The raid happened in Newark, N.J., last week.", "New Jersey"),
])
def test_places_are_normalised(nlp, text, place):
    assert place in names(nlp, text, "place")


def test_demonyms_and_buildings_are_not_places(nlp):
    text = "Chicagoans rallied outside Chicago City Hall on Monday."
    places = names(nlp, text, "place")
    assert "Chicagoans" not in places
    assert "Chicago City Hall" not in places


def test_government_bodies_are_agencies_and_outlets_organizations(nlp):
    text = ("The Houston City Council voted after the Houston Chronicle reported on the "
            "Harris County Sheriff's Office.")
    assert {"Houston City Council", "Harris County Sheriff's Office"} <= names(nlp, text, "agency")
    assert "Houston Chronicle" in names(nlp, text, "organization")


@pytest.mark.parametrize("text, agency", [
    ("El Cajon City Council says data sharing will continue\n\nThe vote was 4-1.",
     "El Cajon City Council"),
    ("San Bernardino County Sheriff Votes to Join Program\n\nDeputies will train.",
     "San Bernardino County"),
])
def test_a_title_case_headline_keeps_the_whole_place_in_an_agency_name(nlp, text, agency):
    found = {name for (t, name) in entities(nlp, text)}
    assert any(name.startswith(agency) for name in found), found


def test_a_name_after_a_title_is_a_person_even_when_the_model_misses_it(nlp):
    text = ("Houston Police Chief Troy Finner told reporters his officers would not ask "
            "about immigration status.")
    found = entities(nlp, text)
    assert ("official", "Troy Finner") in found


def test_a_dotted_title_and_a_hyphenated_surname(nlp):
    text = "Ald. Byron Sigcho-Lopez said the change is needed."
    official = entities(nlp, text)[("official", "Byron Sigcho-Lopez")]
    assert official.role == "Ald."


def test_a_title_set_off_by_commas_before_the_name(nlp):
    text = ("A spokesperson for the Illinois State Police, Melaney Arnold, said the agency "
            "follows the law.")
    official = entities(nlp, text)[("official", "Melaney Arnold")]
    assert official.role == "spokesperson"
    assert official.org == "Illinois State Police"


def test_an_official_without_a_body_does_not_borrow_an_earlier_one(nlp):
    text = ("Lubbock County Sheriff Kelly Rowe joined the program. "
            "Attorney General Ken Paxton, a Republican, said the state would appeal.")
    assert entities(nlp, text)[("official", "Ken Paxton")].org == ""


def test_a_law_word_inside_an_organization_name_is_not_a_law(nlp):
    text = "The lawsuit was brought by the Innovation Law Lab and two other groups."
    assert "Innovation Law Lab" not in names(nlp, text, "law")


@pytest.mark.parametrize("text, law", [
    ("The officer broke ORS 181A.820, the lawsuit says.", "ORS 181A.820"),
    ("Washington's RCW 10.93.160 bars such requests.", "RCW 10.93.160"),
    ("Arizona's A.R.S. 11-1051 was partly struck down.", "A.R.S. 11-1051"),
])
def test_state_statute_citations_are_laws(nlp, text, law):
    assert law in names(nlp, text, "law")


def test_a_short_law_name_takes_the_state_of_the_document(nlp):
    text = ("Illinois Attorney General Kwame Raoul said the Illinois TRUST Act applies. "
            "Police must follow the TRUST Act.")
    assert names(nlp, text, "law") == {"Illinois TRUST Act"}


@pytest.mark.parametrize("text, agency", [
    ("Oakland police said the raid was not coordinated.", "Oakland Police Department"),
    ("The Illinois State Police run the database.", "Illinois State Police"),
])
def test_police_names_are_completed_only_after_a_place(nlp, text, agency):
    assert agency in names(nlp, text, "agency")


@pytest.mark.parametrize("text, name, role, org", [
    ("San Francisco City Attorney David Chiu, who brought the case, praised the ruling.",
     "David Chiu", "City Attorney", "San Francisco"),
    ("King County Executive Dow Constantine issued a statement.",
     "Dow Constantine", "County Executive", "King County"),
])
def test_a_title_that_begins_with_the_last_word_of_the_place(nlp, text, name, role, org):
    official = entities(nlp, text)[("official", name)]
    assert (official.role, official.org) == (role, org)


def test_a_title_the_model_read_into_an_organization_name(nlp):
    text = "The measure was sponsored by Councilwoman Candi CdeBaca and two colleagues."
    assert entities(nlp, text)[("official", "Candi CdeBaca")].role == "Councilwoman"


@pytest.mark.parametrize("text, law", [
    ("Colorado Gov. Jared Polis signed Senate Bill 21-131 in 2021.", "SB 21-131"),
    ("The measure, Council Bill 24-0512, passed 11-2.", "Council Bill 24-0512"),
])
def test_bill_numbers_with_session_prefixes(nlp, text, law):
    assert law in names(nlp, text, "law")


@pytest.mark.parametrize("text, name, role", [
    ("John Fabbricatore, the former field office director for ICE's Denver office, "
     "criticized the ordinance.", "John Fabbricatore", "former field office director"),
    ("Jane Doe, a public information officer for the Denver Sheriff Department, said no.",
     "Jane Doe", "public information officer"),
])
def test_an_appositive_title_with_nouns_inside_it(nlp, text, name, role):
    assert entities(nlp, text)[("official", name)].role == role
