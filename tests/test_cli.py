"""The command line, used the way the README shows it, on the seed corpus."""

from __future__ import annotations

import csv
import io
import json

import click
import pytest
from conftest import SEEDS, run

from policycorpus.cli.main import cli

WELLS_DOCS = ["000_4212311d01db0eb0.txt", "002_bfc939b3e84a4cb1.txt"]
SB54_DOCS = ["000_4212311d01db0eb0.txt", "004_4fc4c65c31d887a8.txt"]


def as_json(*args: str) -> dict:
    """Run a query command with ``--json`` and parse its standard output."""
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- person ----------------------------------------------------------------------------


def test_person_shows_the_official_and_the_documents_that_mention_him(seeded_db):
    report = as_json("person", "wells", "--db", seeded_db)
    assert report["entity"]["name"] == "Bill Wells"
    assert report["entity"]["type"] == "official"
    assert [d["path"] for d in report["documents"]] == WELLS_DOCS
    assert report["document_count"] == 2


def test_person_prints_a_report_with_the_name_first(seeded_db):
    result = run("person", "wells", "--db", seeded_db)
    assert result.exit_code == 0, result.output
    header = "\n".join(result.output.splitlines()[:3])
    assert "Bill Wells" in header and "official" in header
    assert "Documents (2)" in result.output


@pytest.mark.parametrize("query", ["wells", "Wells", "BILL WELLS", "Bill Wells"])
def test_person_accepts_any_name_form(seeded_db, query):
    assert as_json("person", query, "--db", seeded_db)["entity"]["name"] == "Bill Wells"


def test_person_shows_the_role(seeded_db):
    roles = as_json("person", "wells", "--db", seeded_db)["roles"]
    assert {r["title"] for r in roles} == {"Mayor"}
    assert {r["document"] for r in roles} == set(WELLS_DOCS)


def test_person_sentences_option_limits_evidence(seeded_db):
    every = [s["text"] for s in as_json("person", "wells", "--db", seeded_db)["sentences"]]
    one = [s["text"] for s in as_json("person", "wells", "--sentences", "1",
                                      "--db", seeded_db)["sentences"]]
    assert 1 == len(one) < len(every)
    assert "border czar about protection" in one[0]  # the first sentence is kept
    assert any("orders them to do so" in text for text in every)  # a later one is cut


# -- law -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["SB 54", "sb-54", "senate bill 54"])
def test_law_citation_forms_resolve_to_one_entity(seeded_db, query):
    reference = as_json("law", "SB 54", "--db", seeded_db)
    report = as_json("law", query, "--db", seeded_db)
    assert report["entity"]["id"] == reference["entity"]["id"]
    assert [d["path"] for d in report["documents"]] == SB54_DOCS
    assert report["document_count"] == 2


def test_law_shows_the_places_around_it(seeded_db):
    places = {r["name"] for r in as_json("law", "SB 54", "--db", seeded_db)["related"]["place"]}
    assert {"El Cajon", "Los Angeles"} <= places, places


def test_law_has_its_canonical_name(seeded_db):
    report = as_json("law", "SB 54", "--db", seeded_db)
    assert report["entity"]["name"] == "California Values Act"
    by_title = as_json("law", "California Values Act", "--db", seeded_db)
    assert by_title["entity"]["id"] == report["entity"]["id"]


# -- names that do not resolve ---------------------------------------------------------


def test_unknown_name_exits_1_with_suggestions_and_no_traceback(seeded_db):
    result = run("person", "Zzyzx Qwerty", "--db", seeded_db)
    assert result.exit_code == 1
    assert "Did you mean" in result.output
    assert "Zzyzx Qwerty" in result.output
    no_traceback(result)


def test_near_miss_suggests_the_right_name(seeded_db):
    result = run("person", "Bill Wels", "--db", seeded_db)
    assert result.exit_code == 1
    suggestion = next(line for line in result.output.splitlines() if "Did you mean" in line)
    assert "Bill Wells" in suggestion
    no_traceback(result)


def test_unknown_id_exits_1(seeded_db):
    result = run("person", "wells", "--id", "999999", "--db", seeded_db)
    assert result.exit_code == 1
    no_traceback(result)


# -- export ----------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_document_entities_to_csv(seeded_db, tmp_path):
    out = tmp_path / "entities.csv"
    result = run("export", "document-entities", "-o", out, "--db", seeded_db)
    assert result.exit_code == 0, result.output
    rows = read_csv(out.read_text(encoding="utf-8"))
    assert rows
    header = list(rows[0])
    assert {"document", "type", "name", "role", "mentions"} <= set(header)
    assert header[:6] == ["document", "type", "name", "role", "org", "mentions"]
    pairs = [(r["document"], r["entity_id"]) for r in rows]
    assert len(pairs) == len(set(pairs)), "one row per (document, entity)"
    assert {r["document"] for r in rows} == set(
        p.name for p in SEEDS.iterdir() if p.is_file())
    for row in rows:
        assert "/" not in row["document"]
        assert int(row["mentions"]) >= 1
        assert row["type"] in {"official", "person", "agency", "organization", "law", "place"}
    assert ("000_4212311d01db0eb0.txt", "Bill Wells") in {(r["document"], r["name"]) for r in rows}
    assert f"Wrote {len(rows)} rows" in result.output


def test_export_names_are_unique_per_document(seeded_db):
    result = run("export", "document-entities", "--db", seeded_db)
    rows = read_csv(result.stdout)
    keys = [(r["document"], r["type"], r["name"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_export_to_stdout_matches_the_file(seeded_db, tmp_path):
    out = tmp_path / "entities.csv"
    run("export", "document-entities", "-o", out, "--db", seeded_db)
    result = run("export", "document-entities", "-o", "-", "--db", seeded_db)
    assert result.exit_code == 0, result.output
    # click's Result normalises line endings; both sides are the same CSV.
    assert result.stdout == out.read_text(encoding="utf-8")
    default = run("export", "document-entities", "--db", seeded_db)
    assert default.stdout == result.stdout


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_export_json_formats_parse(seeded_db, fmt):
    as_csv = read_csv(run("export", "document-entities", "--db", seeded_db).stdout)
    result = run("export", "document-entities", "--format", fmt, "--db", seeded_db)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rows = json.loads(result.stdout)
    else:
        rows = [json.loads(line) for line in result.stdout.splitlines() if line]
    assert len(rows) == len(as_csv)
    assert rows[0]["document"] == as_csv[0]["document"]
    assert isinstance(rows[0]["mentions"], int)


def test_export_format_from_file_extension(seeded_db, tmp_path):
    out = tmp_path / "entities.jsonl"
    result = run("export", "entities", "-o", out, "--db", seeded_db)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["entity_id"] for line in lines)


def test_export_entities(seeded_db):
    result = run("export", "entities", "--db", seeded_db)
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert list(rows[0]) == ["entity_id", "type", "name", "level", "jurisdiction", "documents",
                             "mentions", "law_key", "federal_register_slug", "officeholder_id"]
    ids = [r["entity_id"] for r in rows]
    assert len(ids) == len(set(ids))
    wells = next(r for r in rows if r["name"] == "Bill Wells")
    assert wells["documents"] == "2"
    assert int(wells["mentions"]) >= 2


def test_export_mentions(seeded_db):
    result = run("export", "mentions", "--db", seeded_db)
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert list(rows[0]) == ["document", "entity_id", "type", "name", "start", "end", "text",
                             "sentence", "source"]
    for row in rows:
        assert int(row["start"]) < int(row["end"])
        assert row["text"] in row["sentence"]
    texts = {(r["document"], r["text"]) for r in rows}
    assert ("000_4212311d01db0eb0.txt", "SB-54") in texts


def test_exported_mention_offsets_point_into_the_document(seeded_db):
    from policycorpus.store.database import Store

    store = Store(seeded_db, create=False)
    texts = dict(store.db.execute("select path, text from documents").fetchall())
    store.close()
    rows = read_csv(run("export", "mentions", "--db", seeded_db).stdout)
    for row in rows:
        assert texts[row["document"]][int(row["start"]):int(row["end"])] == row["text"]


def test_exported_sentences_are_trimmed(seeded_db):
    rows = read_csv(run("export", "mentions", "--db", seeded_db).stdout)
    untrimmed = [r["sentence"] for r in rows if r["sentence"] != r["sentence"].strip()]
    assert not untrimmed, untrimmed[:3]


def test_export_unknown_view_is_a_usage_error(seeded_db):
    result = run("export", "nothing", "--db", seeded_db)
    assert result.exit_code == 2


# -- help and errors -------------------------------------------------------------------


def all_commands() -> list[list[str]]:
    return [[]] + [[name] for name in cli.commands]  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", all_commands(), ids=lambda c: " ".join(c) or "policycorpus")
def test_every_command_has_help_with_examples(command):
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    example = result.output.split("Example:", 1)[1]
    assert "policycorpus" in example


def test_every_command_has_a_one_line_summary():
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        assert isinstance(command, click.Command)
        assert command.get_short_help_str(limit=200).strip(), name


def test_missing_database_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # as when stderr is a pipe or a log file
    missing = tmp_path / "no-such-folder" / "corpus.db"
    result = run("person", "wells", "--db", missing)
    assert result.exit_code == 3
    no_traceback(result)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error:")
    assert not missing.exists(), "a query must not create a database"


@pytest.mark.parametrize("command", [["law", "SB 54"], ["export", "entities"]])
def test_other_commands_need_an_existing_database(tmp_path, command):
    missing = tmp_path / "corpus.db"
    result = run(*command, "--db", missing)
    assert result.exit_code == 3
    no_traceback(result)
    assert not missing.exists()


def test_db_defaults_to_the_environment(seeded_db, monkeypatch):
    monkeypatch.setenv("POLICYCORPUS_DB", seeded_db)
    assert as_json("person", "wells")["entity"]["name"] == "Bill Wells"


def test_not_a_database_is_exit_3(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("this is not sqlite\n" * 100)
    result = run("person", "wells", "--db", junk)
    assert result.exit_code == 3
    no_traceback(result)


def test_ingest_missing_path_is_an_input_error(tmp_path):
    result = run("ingest", tmp_path / "nowhere", "--db", tmp_path / "c.db", "--workers", "1")
    assert result.exit_code == 4
    no_traceback(result)
    assert "nowhere" in result.output
