"""Provenance of every mention (step, model label, rule of models/), ``why``,
the extracted rows reapply works from, older databases, and the Datasette view."""

from __future__ import annotations

import json

import pytest
import sqlite_utils
from conftest import copy_db, run

from policycorpus.resources import load_jsonl
from policycorpus.store.database import Store
from policycorpus.store.migrations import SCHEMA_VERSION, m001_initial
from conftest import rows




def test_every_mention_says_which_step_produced_it(seeded_db):
    steps = dict(rows(seeded_db, "select source, count(*) from mentions group by source"))
    assert set(steps) <= {"model", "gazetteer", "law-pattern", "acronym", "rule", "title",
                          "linker"}
    assert steps["model"] and steps["gazetteer"] and steps["law-pattern"]
    # the model's own label where the model found the text
    labels = {label for (label,) in rows(
        seeded_db, "select distinct model_label from mentions where source = 'model'")}
    assert labels and labels <= {"PERSON", "ORG", "GPE", "LOC", "FAC", "LAW", "NORP"}
    # every non-model step names its rule
    assert rows(seeded_db, "select count(*) from mentions where source != 'model'"
                           " and coalesce(rule_id, '') = ''") == [(0,)]


def test_rule_ids_point_into_models(seeded_db):
    files = {"agencies": "gazetteer/agencies.jsonl", "organizations": "gazetteer/organizations.jsonl",
             "laws": "gazetteer/laws.jsonl", "law_patterns": "law_patterns.jsonl",
             "title_bodies": "title_bodies.jsonl", "titles": "gazetteer/titles.jsonl",
             "places": "gazetteer/places.jsonl", "state_legislatures": "state_legislatures.jsonl",
             "federal_register": "federal_agencies.jsonl"}
    keys = {"agencies": "id", "organizations": "id", "laws": "id", "law_patterns": "id",
            "title_bodies": "body", "titles": "title", "places": "name",
            "state_legislatures": "state", "federal_register": "slug"}
    checked = 0
    for (rule_id,) in rows(seeded_db, "select distinct rule_id from mentions where rule_id != ''"):
        source, _, ident = rule_id.partition("#")
        if source in files:
            assert ident in {str(r.get(keys[source])) for r in load_jsonl(files[source])}, rule_id
            checked += 1
        else:
            assert source in ("geonames", "rule", "linker", "agency_terms"), rule_id
    assert checked >= 5


def test_mentions_and_extracted_rows_share_ids(seeded_db):
    mentions = rows(seeded_db, 'select id, document_id, start, "end", text from mentions order by id')
    extracted = rows(seeded_db, 'select id, document_id, start, "end", text from extracted_mentions'
                                " order by id")
    assert mentions == extracted


def test_documents_carry_the_json_array_of_their_entity_ids(seeded_db):
    for doc_id, value in rows(seeded_db, "select id, entity_ids from documents"):
        expected = [e for (e,) in rows(seeded_db, "select distinct entity_id from mentions"
                                                  " where document_id = ? order by entity_id",
                                       (doc_id,))]
        assert json.loads(value) == expected


def why(*args: str) -> dict:
    result = run("why", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_why_shows_each_mention_with_its_provenance(seeded_db):
    report = why("wells", "--db", seeded_db)
    entity = report["entity"]
    assert (entity["name"], entity["type"]) == ("Bill Wells", "official")
    assert (entity["level"], entity["jurisdiction"]) == ("municipal", "El Cajon")
    mentions = report["mentions"]
    [(count,)] = rows(seeded_db, "select count(*) from mentions m join entities e"
                                 " on e.id = m.entity_id where e.name = 'Bill Wells'")
    assert len(mentions) == count
    assert "PERSON" in {m["model_label"] for m in mentions}
    assert {m["document_entity"] for m in mentions} == {"official Bill Wells"}
    assert {m["link_rule"] for m in mentions} == {"name"}
    assert all(m["text"] in m["sentence"] for m in mentions)


def test_why_prints_the_provenance_of_each_mention(seeded_db):
    result = run("why", "wells", "--db", seeded_db)
    assert result.exit_code == 0, result.output
    assert "level: municipal  jurisdiction: El Cajon" in result.output
    assert "model label: PERSON" in result.output and "linked by: name" in result.output
    assert f"Mentions ({len(why('wells', '--db', seeded_db)['mentions'])})" in result.output


def test_why_of_a_law_shows_its_key_and_pattern(seeded_db):
    report = why("SB 54", "--type", "law", "--db", seeded_db)
    assert report["law_key"] == "US-CA SB 54"
    assert "law_patterns#bill-number" in {m["rule_id"] for m in report["mentions"]}


def test_why_of_an_unknown_name_is_a_one_line_error(seeded_db):
    result = run("why", "Nobody Anywhere", "--db", seeded_db)
    assert result.exit_code == 1
    assert "no official/person/agency/organization/law/place named" in result.output


def test_an_older_database_gets_extracted_rows_and_reapplies(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    m001_initial(db)
    db["meta"].insert({"key": "schema_version", "value": "1"})
    doc = db["documents"].insert({"path": "a.txt", "hash": "h", "text": "Texas passed SB 4. "
                                  "Wells met the Harris County Sheriff's Office."}).last_pk
    law = db["entities"].insert({"type": "law", "name": "SB 4"}).last_pk
    sheriff = db["entities"].insert({"type": "agency",
                                     "name": "Harris County Sheriff's Office"}).last_pk
    texas = db["entities"].insert({"type": "place", "name": "Texas"}).last_pk
    db["mentions"].insert_all([
        {"document_id": doc, "entity_id": texas, "start": 0, "end": 5, "text": "Texas"},
        {"document_id": doc, "entity_id": law, "start": 13, "end": 17, "text": "SB 4"},
        {"document_id": doc, "entity_id": sheriff, "start": 32, "end": 62,
         "text": "Harris County Sheriff's Office"}])
    db.conn.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.db["extracted_mentions"].count == 3
    store.close()
    result = run("reapply", "--db", path)
    assert result.exit_code == 0, result.output
    assert rows(path, "select name, level, jurisdiction, coalesce(law_key, '') from entities"
                      " where type != 'place' order by name") == [
        ("Harris County Sheriff's Office", "county", "Harris County", ""),
        ("SB 4", "state", "Texas", "US-TX SB 4")]


def test_datasette_metadata_describes_every_table(seeded_db, tmp_path):
    out = tmp_path / "metadata.json"
    result = run("export", "datasette-metadata", "-o", out, "--db", seeded_db)
    assert result.exit_code == 0, result.output
    metadata = json.loads(out.read_text())
    tables = metadata["databases"]["corpus"]["tables"]
    names = {name for (name,) in rows(seeded_db, "select name from sqlite_master where type = 'table'")}
    assert set(tables) == names
    for name, table in tables.items():
        assert table.get("hidden") or table.get("description"), name
    assert {"array": "entity_ids"} in tables["documents"]["facets"]
    assert set(tables["mentions"]["columns"]) >= {"model_label", "rule_id", "link_rule",
                                                  "correction"}


@pytest.mark.parametrize("what", ["document-entities", "entities", "mentions"])
def test_exports_still_work_after_reapply(seeded_db, tmp_path, what):
    db = copy_db(seeded_db, tmp_path / "c.db")
    assert run("reapply", "--db", db).exit_code == 0
    result = run("export", what, "-o", "-", "--db", db)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) > 10
