"""Entity knowledge: levels of government and jurisdictions of agencies and
officials, and law keys, on sentences in the style of several outlets and
states, and across documents."""

from __future__ import annotations

import json

import pytest
from conftest import run

from policycorpus.corpus.facts import DocEntity, document_facts
from policycorpus.pipeline.jurisdictions import (
    Jurisdiction,
    agency_jurisdiction,
    expand_levels,
)
from policycorpus.corpus.lawkeys import citation, law_key
from policycorpus.pipeline.build import extract
from policycorpus.pipeline.gazetteer import Gazetteer
from conftest import rows



@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def knowledge(nlp, gaz, text: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(type, name) -> (level, jurisdiction, law key) as the corpus layer reads them
    from one document."""
    found = extract(nlp(text))
    entities = [DocEntity(e.type, e.name, e.role, e.org,
                          [(m.start, m.end, m.text) for m in e.mentions])
                for e in found]
    return {(e.type, e.name): (f.level, f.jurisdiction, f.law_key)
            for e, f in zip(entities, document_facts(entities, text, gaz))}


# -- agencies ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, agency, level, jurisdiction", [
    ("HOUSTON (AP) — The Harris County Sheriff's Office said Tuesday it would end its "
     "agreement with federal immigration authorities.",
     "Harris County Sheriff's Office", "county", "Harris County"),
    ("The California Highway Patrol and the Fresno County Sheriff's Office set up a joint "
     "checkpoint near Fresno, Calif.", "California Highway Patrol", "state", "California"),
    ("AUSTIN — The Texas Department of Public Safety will enforce the law starting in March.",
     "Texas Department of Public Safety", "state", "Texas"),
    ("Chicago Mayor Brandon Johnson said Chicago Police Department officers will not help "
     "federal agents.", "Chicago Police Department", "municipal", "Chicago"),
    ("WINDOW ROCK, Ariz. — Navajo Nation Police Department officers will not enforce "
     "federal immigration law.", "Navajo Nation Police Department", "tribal", "Navajo Nation"),
    ("Oregon's sanctuary law bars Portland Police Bureau officers from asking about "
     "immigration status.", "Portland Police Bureau", "municipal", "Portland"),
    ("A spokesperson for Immigration and Customs Enforcement declined to comment.",
     "U.S. Immigration and Customs Enforcement", "federal", "United States"),
])
def test_agency_level_and_jurisdiction_in_other_outlets(nlp, gaz, text, agency, level,
                                                        jurisdiction):
    facts = knowledge(nlp, gaz, text)
    assert facts[("agency", agency)][:2] == (level, jurisdiction)


@pytest.mark.parametrize("name, expected", [
    ("Los Angeles County Sheriff's Department", ("county", "Los Angeles County")),
    ("El Cajon Police Department", ("municipal", "El Cajon")),
    ("U.S. Department of Homeland Security", ("federal", "United States")),
    ("San Diego Sheriff's Department", ("county", "San Diego County")),  # a city's sheriff
    ("Superior Court of California, County of San Diego", ("county", "San Diego County")),
    ("Miami-Dade Police Department", ("county", "Miami-Dade County")),
    ("Gila River Indian Community Police", ("tribal", "Gila River Indian Community")),
    ("Federal Protective Service", ("federal", "United States")),
    ("Georgia Department of Corrections", ("state", "Georgia")),
    ("Board of Supervisors", ("county", "")),  # the head alone: a level, no place
])
def test_agency_names_alone(gaz, name, expected):
    assert agency_jurisdiction(name, gaz) == Jurisdiction(*expected)


def test_local_means_county_and_municipal():
    assert expand_levels(["local", "tribal"]) == ("county", "municipal", "tribal")


# -- officials ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, official, level, jurisdiction", [
    ("Alex Villanueva, the sheriff of Los Angeles County, said deputies would not honor "
     "detainers.", "Alex Villanueva", "county", "Los Angeles County"),
    ("Mike Coffman, the mayor of Aurora, said the city had asked Colorado for help.",
     "Mike Coffman", "municipal", "Aurora"),
    ("AUSTIN — Texas Gov. Greg Abbott said the state would keep busing migrants.",
     "Greg Abbott", "state", "Texas"),
    ("Chicago Mayor Brandon Johnson said the city would not cooperate.",
     "Brandon Johnson", "municipal", "Chicago"),
])
def test_official_jurisdiction_where_the_text_gives_it(nlp, gaz, text, official, level,
                                                       jurisdiction):
    facts = knowledge(nlp, gaz, text)
    assert facts[("official", official)][:2] == (level, jurisdiction)


def test_an_office_without_a_place_has_its_level_only(nlp, gaz):
    facts = knowledge(nlp, gaz, "Gov. Brian Kemp signed the bill on Tuesday.")
    assert facts[("official", "Brian Kemp")][:2] == ("state", "")


# -- law keys --------------------------------------------------------------------------------


@pytest.mark.parametrize("surface, expected", [
    ("S.B. 54", ("bill", "SB 54")), ("Senate Bill 4", ("bill", "SB 4")),
    ("8 U.S.C. 1373", ("usc", "8 USC 1373")), ("Executive Order No. 13768", ("eo", "EO 13768")),
    ("287(g)", ("section", "Sec 287(g)")), ("California Values Act", ("", "")),
])
def test_citation_spellings(surface, expected):
    assert citation(surface) == expected


@pytest.mark.parametrize("text, law, key", [
    ("AUSTIN — Texas Gov. Greg Abbott said the state would enforce SB 4 starting in March.",
     "SB 4", "US-TX SB 4"),
    ("Georgia lawmakers passed SB 4 this year, and Gov. Brian Kemp signed it in Atlanta.",
     "SB 4", "US-GA SB 4"),
    ("California officials said Texas' SB 4 would not be copied in Sacramento.",
     "SB 4", "US-TX SB 4"),
    ("Cities that violate 8 U.S.C. 1373 could lose grants, the Justice Department said.",
     "8 U.S.C. 1373", "US 8 USC 1373"),
    ("He cited Executive Order 13768 in the letter to Denver officials.",
     "Executive Order 13768", "US EO 13768"),
    ("Oregon's HB 3265, the Sanctuary Promise Act, bars police from helping immigration agents.",
     "Sanctuary Promise Act", "US-OR HB 3265"),
])
def test_law_keys_in_other_outlets(nlp, gaz, text, law, key):
    assert knowledge(nlp, gaz, text)[("law", law)][2] == key


def test_a_title_takes_the_key_of_its_number_from_the_gazetteer(gaz):
    key = law_key("California Values Act", ["California Values Act"], [""], "California", "",
                  gaz)
    assert (key.key, key.level) == ("US-CA SB 54", "state")


# -- across documents -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_states(tmp_path_factory) -> str:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "tx.txt").write_text(
        "Texas law takes effect\n\nAUSTIN — Texas Gov. Greg Abbott signed SB 4, which lets "
        "Texas police arrest migrants. The Texas Department of Public Safety will enforce it.\n")
    (corpus / "ga.txt").write_text(
        "Georgia bill advances\n\nATLANTA — Georgia lawmakers passed SB 4 on Thursday. The "
        "Atlanta Police Department said it would review the bill.\n")
    (corpus / "ca1.txt").write_text(
        "Sanctuary law\n\nSACRAMENTO — California's SB 54 limits what the Los Angeles Police "
        "Department may share with Immigration and Customs Enforcement.\n")
    (corpus / "ca2.txt").write_text(
        "Values Act\n\nThe California Values Act was upheld in San Diego, and the San Diego "
        "County Sheriff's Department said it would comply.\n")
    db = tmp_path_factory.mktemp("db") / "c.db"
    result = run("ingest", corpus, "--db", db, "--workers", "1")
    assert result.exit_code == 0, result.output
    return str(db)




def test_sb_4_of_two_states_is_two_laws(two_states):
    laws = rows(two_states, "select name, law_key, jurisdiction from entities"
                            " where law_key like '%SB 4' order by law_key")
    assert laws == [("SB 4 (Georgia)", "US-GA SB 4", "Georgia"),
                    ("SB 4 (Texas)", "US-TX SB 4", "Texas")]
    result = run("law", "SB 4", "--db", two_states)
    assert result.exit_code == 1
    assert "matches 2 entities" in result.output


def test_a_popular_name_and_its_citation_share_one_law(two_states):
    assert rows(two_states, "select name, law_key from entities where law_key = 'US-CA SB 54'") \
        == [("California Values Act", "US-CA SB 54")]
    docs = rows(two_states, "select distinct d.path from mentions m join documents d"
                            " on d.id = m.document_id join entities e on e.id = m.entity_id"
                            " where e.law_key = 'US-CA SB 54' order by d.path")
    assert docs == [("ca1.txt",), ("ca2.txt",)]


def test_local_agencies_mentioned_with_ice(seeded_db):
    result = run("entities", "--type", "agency", "--level", "local", "--with", "ICE",
                 "--db", seeded_db, "--json")
    assert result.exit_code == 0, result.output
    listed = {r["name"] for r in json.loads(result.stdout)}
    with_ice = """select distinct e.name, e.level from entities e join mentions m
                  on m.entity_id = e.id where e.type = 'agency' and m.document_id in
                  (select document_id from mentions where entity_id =
                   (select id from entities where name = ?))"""
    agencies = rows(seeded_db, with_ice, ("U.S. Immigration and Customs Enforcement",))
    local = {name for name, level in agencies if level in ("county", "municipal")}
    assert len(local) == 9 and "El Cajon City Council" in local
    assert listed == local
    federal = {name for name, level in agencies if level == "federal"}
    assert federal and not federal & listed


def test_the_listing_says_what_it_is_mentioned_with(seeded_db):
    result = run("entities", "--type", "agency", "--level", "local", "--with", "ICE",
                 "--db", seeded_db)
    assert result.exit_code == 0, result.output
    assert "Entities (9) mentioned with U.S. Immigration and Customs Enforcement" in result.output


def test_a_level_picks_among_entities_that_share_a_name(two_states):
    result = run("entities", "--type", "law", "--level", "state", "--db", two_states, "--json")
    assert result.exit_code == 0
    assert {"US-TX SB 4", "US-GA SB 4"} <= {r["law_key"] for r in json.loads(result.stdout)}
    assert run("law", "SB 54", "--level", "federal", "--db", two_states).exit_code == 1
    assert run("law", "SB 54", "--level", "state", "--db", two_states).exit_code == 0
