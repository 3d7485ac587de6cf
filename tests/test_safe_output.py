"""Output that cannot hurt the reader: no terminal escape sequences from the corpus reach
the terminal, and no exported CSV cell is run as a spreadsheet formula (issue 13)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policycorpus.cli.main import cli
from policycorpus.safetext import clean

from conftest import run

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # writes the clipboard
OSC0 = "\x1b]0;owned\x07"  # sets the window title
CSI2J = "\x1b[2J"  # clears the screen
C1_CSI = "\x9b2J"  # the same as a C1 control

RECORD = {
    "id": f"r1{OSC0}",
    "title": f"=HYPERLINK(\"http://example.invalid\",\"open\") {OSC52} [/bold] agenda",
    "author": "@handle",
    "text": ("Harbor City Council members in Tacoma voted 6-3 on Monday to end the jail's "
             "contract with Immigration and Customs Enforcement. Tacoma Mayor Dana Whitfield "
             f"said the vote {CSI2J} {C1_CSI} kept faith with residents. -1 vote was cast late."),
}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A corpus whose one record carries escape sequences and formula-like cells."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "feed.jsonl").write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    db = str(folder / "hostile.db")
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", db, "--workers", "1"])
    assert result.exit_code == 0, result.output
    return db


def test_clean_makes_every_control_character_visible_one_for_one():
    text = f"a{OSC52}b{OSC0}c{CSI2J}d{C1_CSI}e\x7f\r\tf\ng"
    cleaned = clean(text)
    assert len(cleaned) == len(text)  # offsets into the text still hold
    assert not any(ord(c) < 32 and c not in "\t\n" for c in cleaned)
    assert not any(0x7F <= ord(c) <= 0x9F for c in cleaned)
    assert "␛]52;c;" in cleaned and "␛[2J" in cleaned and "\t" in cleaned and "\n" in cleaned


def assert_no_escapes(output: str) -> None:
    assert "\x1b" not in output and "\x9b" not in output and "\x07" not in output, repr(output)


@pytest.mark.parametrize("command", [
    ["documents"], ["show", "feed.jsonl"], ["search", "contract"], ["entities"],
    ["agency", "ICE"], ["related", "ICE"], ["why", "ICE"], ["show", "feed.jsonl", "--json"],
    ["search", "contract", "--json"], ["documents", "--json"], ["show", "nothing-like-it"],
])
def test_no_escape_sequence_from_the_corpus_reaches_the_terminal(hostile_db, command):
    result = run(*command, "--db", hostile_db)
    assert result.exit_code in (0, 1), result.output
    assert_no_escapes(result.output)


def test_escape_sequences_are_shown_not_run(hostile_db):
    output = run("show", "feed.jsonl", "--db", hostile_db).output
    assert "␛]52;c;" in output and "␛]0;owned␇" in output and "␛[2J" in output


def test_json_output_keeps_the_data_exactly(hostile_db):
    view = json.loads(run("show", "feed.jsonl", "--json", "--db", hostile_db).stdout)
    assert OSC52 in view["title"] and CSI2J in view["text"] and C1_CSI in view["text"]


def test_rich_markup_in_a_title_is_text(hostile_db):
    result = run("documents", "--db", hostile_db)
    assert result.exit_code == 0 and "[/bold]" in result.output


# -- CSV formula injection ------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_cells_that_start_a_formula_are_neutralised(hostile_db):
    result = run("export", "documents", "--db", hostile_db)
    assert result.exit_code == 0, result.output
    row = read_csv(result.stdout)[0]
    assert row["title"].startswith("'=HYPERLINK(")
    assert row["byline"] in ("'@handle", "")  # the byline field may be read as a name or not
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_mention_sentences_are_neutralised_too(hostile_db):
    rows = read_csv(run("export", "mentions", "--db", hostile_db).stdout)
    assert rows and all(not r["sentence"].startswith(("=", "+", "-", "@")) for r in rows)


def test_no_formula_escape_writes_cells_as_they_are(hostile_db):
    result = run("export", "documents", "--no-formula-escape", "--db", hostile_db)
    assert read_csv(result.stdout)[0]["title"].startswith("=HYPERLINK(")


def test_json_exports_are_not_escaped(hostile_db):
    result = run("export", "documents", "--format", "jsonl", "--db", hostile_db)
    assert json.loads(result.stdout.splitlines()[0])["title"].startswith("=HYPERLINK(")


def test_bom_starts_a_csv_for_excel(hostile_db, tmp_path):
    out = tmp_path / "documents.csv"
    assert run("export", "documents", "-o", out, "--bom", "--db", hostile_db).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfdocument_id,")
    assert run("export", "documents", "--bom", "--format", "json",
               "--db", hostile_db).exit_code == 2


# -- exports written whole or not at all ------------------------------------------------


def one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_an_interrupted_export_keeps_the_previous_file(hostile_db, tmp_path, monkeypatch):
    from policycorpus.export import tables as export

    out = tmp_path / "entities.csv"
    assert run("export", "entities", "-o", out, "--db", hostile_db).exit_code == 0
    before = out.read_bytes()

    def interrupted(store):
        columns, rows = export.entities(store)

        def stream():
            yield next(rows)
            raise KeyboardInterrupt

        return columns, stream()

    monkeypatch.setitem(export.VIEWS, "entities", interrupted)
    result = run("export", "entities", "-o", out, "--db", hostile_db)
    assert result.exit_code == 130
    assert "not written" in result.output
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entities.csv"]  # no temporary file


def test_a_full_disk_is_one_line_and_keeps_nothing(hostile_db, tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    result = run("export", "entities", "-o", "/dev/full", "--db", hostile_db)
    assert result.exit_code == 5
    assert "No space left" in one_error_line(result)


def test_a_folder_as_output_is_one_line(hostile_db, tmp_path):
    result = run("export", "entities", "-o", tmp_path, "--db", hostile_db)
    assert result.exit_code == 5
    assert "folder" in one_error_line(result)


def test_a_missing_parent_folder_is_refused_not_created(hostile_db, tmp_path):
    out = tmp_path / "no" / "such" / "entities.csv"
    result = run("export", "entities", "-o", out, "--db", hostile_db)
    assert result.exit_code == 5
    assert "does not exist" in one_error_line(result)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("name", ["entities.xlsx", "entities.ods", "entities.xls"])
def test_a_spreadsheet_extension_is_refused(hostile_db, tmp_path, name):
    result = run("export", "entities", "-o", tmp_path / name, "--db", hostile_db)
    assert result.exit_code == 5
    assert "csv, json or jsonl" in one_error_line(result)
    assert not (tmp_path / name).exists()


def test_the_export_columns_carry_the_stored_facts(hostile_db):
    entities = read_csv(run("export", "entities", "--db", hostile_db).stdout)
    assert "law_key" in entities[0]
    documents = read_csv(run("export", "documents", "--db", hostile_db).stdout)
    assert documents[0]["source_format"] == "jsonl"
    assert {"url", "dateline"} <= documents[0].keys()
    roles = read_csv(run("export", "roles", "--db", hostile_db).stdout)
    mayor = next(r for r in roles if r["title"].lower() == "mayor")
    assert mayor["level"] == "municipal" and mayor["jurisdiction"] == "Tacoma"


def test_an_export_to_a_terminal_shows_control_characters_and_a_file_keeps_them():
    from policycorpus.export import tables as export

    rows = (["title"], iter([(f"agenda {CSI2J}{C1_CSI}",)]))
    shown = io.StringIO()
    export.write(rows, shown, "csv", export.WriteOptions(terminal=True))
    assert_no_escapes(shown.getvalue())
    assert "␛[2J" in shown.getvalue()
    kept = io.StringIO()
    export.write((["title"], iter([(f"agenda {CSI2J}",)])), kept, "csv")
    assert CSI2J in kept.getvalue()


def test_a_file_name_with_escape_sequences_is_shown_not_run(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / f"memo{OSC0}.txt").write_text(
        "Fresno Police Chief Luis Ortega said the department would publish its data.\n",
        encoding="utf-8")
    (folder / f"bad{OSC52}.txt").write_bytes(b"\x00\x01\x02" * 50)  # skipped: binary
    db = tmp_path / "c.db"
    result = run("ingest", folder, "--db", db, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert_no_escapes(result.output)
    assert "bad␛]52;c;" in result.output  # the warning names the file, visibly
    listing = run("documents", "--db", db).output
    assert_no_escapes(listing)
    assert "memo␛]0;owned␇.txt" in listing
