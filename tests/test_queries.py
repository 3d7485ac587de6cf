"""The researcher's questions, each one command on the seed corpus (issue 4)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import run

WELLS_DOCS = ["000_4212311d01db0eb0.txt", "002_bfc939b3e84a4cb1.txt"]
ICE = "U.S. Immigration and Customs Enforcement"


def as_json(*args: str) -> object:
    """Run a query command with ``--json`` and parse its standard output."""
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- quotes ----------------------------------------------------------------------------


def test_the_quotes_of_bill_wells_include_the_venezuelan_gang_member(seeded_db):
    report = as_json("person", "Bill Wells", "--db", seeded_db)
    direct = [q for q in report["quotes"] if q["kind"] == "direct"]
    assert any("Venezuelan gang member" in q["text"] for q in direct)
    assert {q["document"] for q in report["quotes"]} == set(WELLS_DOCS)
    # A quote is exactly the text between the marks, at its offsets.
    text = as_json("show", WELLS_DOCS[0], "--db", seeded_db)["text"]
    for quote in report["quotes"]:
        if quote["document"] == WELLS_DOCS[0]:
            assert text[quote["start"]:quote["end"]] == quote["text"]


def test_person_shows_the_quotes_in_the_terminal(seeded_db):
    result = run("person", "wells", "--db", seeded_db)
    assert "Quotes (" in result.output
    assert "“That has nothing to do with the police officers in El Cajon”" in result.output


def test_quotes_export_names_the_speaker_of_every_quote(seeded_db):
    result = run("export", "quotes", "--format", "jsonl", "--db", seeded_db)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"Bill Wells", "Matthew Albence", "Eric Garcetti"} <= {r["speaker"] for r in rows}
    assert all(r["type"] in ("official", "person", "agency", "organization") for r in rows)
    assert {r["kind"] for r in rows} == {"direct", "indirect"}


# -- related ---------------------------------------------------------------------------


def test_agencies_that_appear_with_ice_include_cbp_and_dhs(seeded_db):
    data = as_json("related", "ICE", "--type", "agency", "--db", seeded_db)
    names = [r["name"] for r in data["related"]]
    assert {"U.S. Customs and Border Protection", "U.S. Department of Homeland Security"} \
        <= set(names)
    assert as_json("related", ICE, "--type", "agency", "--db", seeded_db) == data
    assert data["entity"]["name"] == ICE and ICE not in names
    assert {r["type"] for r in data["related"]} == {"agency"}
    # Ranked by shared documents, then by shared sentences.
    keys = [(r["documents"], r["sentences"]) for r in data["related"]]
    assert keys == sorted(keys, reverse=True)


def test_related_shows_a_sentence_with_both_as_evidence(seeded_db):
    data = as_json("related", "ICE", "--type", "agency", "--db", seeded_db)
    cbp = next(r for r in data["related"] if r["name"] == "U.S. Customs and Border Protection")
    evidence = cbp["evidence"]
    assert evidence["document"] == "004_4fc4c65c31d887a8.txt"
    marked = {evidence["text"][s:e] for s, e in evidence["spans"]}
    assert "ICE" in marked and "CBP" in marked


def test_same_sentence_keeps_only_entities_in_a_sentence_with_it(seeded_db):
    loose = as_json("related", "ICE", "--db", seeded_db, "--limit", "200")["related"]
    tight = as_json("related", "ICE", "--same-sentence", "--db", seeded_db,
                    "--limit", "200")["related"]
    assert 0 < len(tight) < len(loose)
    assert all(r["sentences"] > 0 for r in tight)
    assert {r["name"] for r in tight} <= {r["name"] for r in loose}


def test_officials_who_spoke_about_sb_54_and_where(seeded_db):
    data = as_json("related", "SB 54", "--type", "official", "--db", seeded_db)
    officials = {r["name"] for r in data["related"]}
    assert "Bill Wells" in officials
    places = {r["name"] for r in as_json("related", "SB 54", "--type", "place",
                                         "--db", seeded_db)["related"]}
    assert {"California", "El Cajon"} <= places


# -- agency, place, filters ------------------------------------------------------------


def test_agency_resolves_an_acronym(seeded_db):
    report = as_json("agency", "ICE", "--db", seeded_db)
    assert report["entity"]["name"] == ICE
    assert len(report["documents"]) == 5


def test_place_lists_documents_and_officials_there(seeded_db):
    report = as_json("place", "el cajon", "--db", seeded_db)
    assert [d["path"] for d in report["documents"]] == WELLS_DOCS
    assert "Bill Wells" in {r["name"] for r in report["related"]["official"]}


def test_document_filter_narrows_every_list(seeded_db):
    report = as_json("person", "wells", "--document", WELLS_DOCS[1], "--db", seeded_db)
    assert [d["path"] for d in report["documents"]] == [WELLS_DOCS[1]]
    assert {q["document"] for q in report["quotes"]} == {WELLS_DOCS[1]}
    assert {s["document"] for s in report["sentences"]} == {WELLS_DOCS[1]}


def test_a_date_range_keeps_dated_documents_inside_it(seeded_db):
    # Only 003 has a date (2017-02-09) in the seeds.
    inside = as_json("documents", "--since", "2017", "--until", "2017-02", "--db", seeded_db)
    assert [d["path"] for d in inside["documents"]] == ["003_c85576414f7e80aa.txt"]
    assert as_json("documents", "--since", "2018-01-01", "--db", seeded_db)["documents"] == []


def test_a_bad_date_is_a_usage_error(seeded_db):
    result = run("law", "SB 54", "--since", "last week", "--db", seeded_db)
    assert result.exit_code == 2 and "not a date" in result.output


def test_limit_caps_the_documents(seeded_db):
    report = as_json("agency", "ICE", "--limit", "2", "--db", seeded_db)
    assert len(report["documents"]) == 2


def test_a_name_shared_by_two_entities_lists_them_and_id_picks_one(tmp_path, seeded_db):
    from conftest import copy_db

    from policycorpus.store.database import Store

    db = copy_db(seeded_db, tmp_path / "two.db")
    store = Store(db)
    with store.atomic():  # a second entity named "Wells", as a correction could make one
        other = store.db["entities"].insert({"type": "person", "name": "Wells"}).last_pk
        store.db["aliases"].insert({"entity_id": other, "alias": "Wells", "key": "wells"})
        doc = store.db.execute("select id from documents limit 1").fetchone()[0]
        store.db["mentions"].insert({"document_id": doc, "entity_id": other, "start": 0,
                                     "end": 5, "text": "Wells", "sent_start": 0, "sent_end": 5})
    store.close()
    result = run("person", "wells", "--db", db)
    assert result.exit_code == 1
    assert "matches 2 entities" in result.output and "--id" in result.output
    picked = as_json("person", "wells", "--id", str(other), "--db", db)
    assert picked["entity"]["name"] == "Wells"


# -- listings, show, search ------------------------------------------------------------


def test_entities_lists_the_most_mentioned_first(seeded_db):
    rows = as_json("entities", "--db", seeded_db)
    assert rows[0]["name"] == ICE and rows[0]["documents"] == 5
    officials = as_json("entities", "--type", "official", "--limit", "3", "--db", seeded_db)
    assert len(officials) == 3 and {r["type"] for r in officials} == {"official"}


def test_documents_lists_titles_and_counts(seeded_db):
    rows = as_json("documents", "--db", seeded_db)["documents"]
    assert len(rows) == 5
    wells = next(r for r in rows if r["path"] == WELLS_DOCS[0])
    assert wells["title"].startswith("People rally against El Cajon")
    assert wells["entities"]["official"] >= 2 and wells["mentions"] > 20


def test_show_highlights_the_document_and_lists_roles_and_quotes(seeded_db):
    view = as_json("show", "000_4212311d01db0eb0.txt", "--db", seeded_db)
    assert {"Bill Wells", "Donald Trump"} <= {r["name"] for r in view["roles"]}
    for mention in view["mentions"][:20]:
        assert view["text"][mention["start"]:mention["end"]].strip()
    assert any(q["speaker"] == "Eva Pecheco" for q in view["quotes"])
    # a unique part of the path is enough
    assert as_json("show", "000_42", "--db", seeded_db)["path"] == "000_4212311d01db0eb0.txt"
    result = run("show", "000_42", "--db", seeded_db)
    assert result.exit_code == 0 and "Roles" in result.output and "Quotes" in result.output


def test_show_marks_mentions_inline_when_output_is_plain(seeded_db):
    result = run("show", "002_bfc939b3e84a4cb1.txt", "--db", seeded_db)
    assert "Mayor [Bill Wells](official) said" in result.output
    assert "[Rob Bonta](official)" in result.output


def test_show_an_unknown_document_suggests_close_names(seeded_db):
    result = run("show", "000_4212311d01db0eb1.txt", "--db", seeded_db)
    assert result.exit_code == 1
    assert "no document" in result.output and "000_4212311d01db0eb0.txt" in result.output


def test_search_finds_stemmed_words_with_snippets(seeded_db):
    data = as_json("search", "deport", "--db", seeded_db)
    assert data["hits"]
    for hit in data["hits"]:
        assert all(hit["snippet"][s:e].lower().startswith("deport") for s, e in hit["spans"])


def test_search_phrases_and_operators(seeded_db):
    both = as_json("search", '"license plate" OR sanctuary', "--db", seeded_db)["hits"]
    only = as_json("search", "sanctuary NOT Cajon", "--db", seeded_db)["hits"]
    assert len(only) < len(both)


@pytest.mark.parametrize("text", ['"unbalanced', "sanctuary AND", "NEAR/3 x", "287(g)"])
def test_bad_search_syntax_is_a_one_line_error(seeded_db, text):
    result = run("search", text, "--db", seeded_db)
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "cannot search" in result.output


def test_literal_search_takes_any_text(seeded_db):
    data = as_json("search", "287(g) program", "--literal", "--db", seeded_db)
    assert [h["path"] for h in data["hits"]] == ["003_c85576414f7e80aa.txt"]


def test_an_acronym_not_in_the_text_suggests_the_name_it_abbreviates(seeded_db):
    result = run("org", "ACLU", "--db", seeded_db)
    assert result.exit_code == 1
    assert "Did you mean: American Civil Liberties Union" in result.output


# -- output for scripts and narrow terminals -------------------------------------------

QUERIES = [
    ["person", "wells"], ["law", "SB 54"], ["agency", "ICE"], ["place", "California"],
    ["org", "American Civil Liberties Union"], ["related", "ICE"], ["entities"], ["documents"],
    ["show", "004_4fc4c65c31d887a8.txt"], ["search", "sanctuary"], ["timeline", "ICE"],
    ["why", "wells"],
]


@pytest.mark.parametrize("args", QUERIES, ids=lambda a: a[0])
def test_every_query_command_prints_json_that_parses(seeded_db, args):
    data = as_json(*args, "--db", seeded_db)
    assert data


@pytest.mark.parametrize("args", QUERIES, ids=lambda a: a[0])
def test_output_fits_80_columns_without_colour(seeded_db, monkeypatch, args):
    monkeypatch.setenv("COLUMNS", "80")
    result = run(*args, "--db", seeded_db)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    assert not re.search(r"\x1b\[", result.output)


def test_quotes_follow_their_speaker_through_a_correction(tmp_path, seeded_db):
    from conftest import copy_db

    db = copy_db(seeded_db, tmp_path / "merged.db")
    larson = [q["text"] for q in as_json("person", "Jeremiah Larson", "--db", db)["quotes"]]
    assert larson
    result = run("merge", "Jeremiah Larson", "--into", "Bill Wells", "--db", db)
    assert result.exit_code == 0, result.output
    quotes = [q["text"] for q in as_json("person", "Bill Wells", "--db", db)["quotes"]]
    assert set(larson) <= set(quotes)
