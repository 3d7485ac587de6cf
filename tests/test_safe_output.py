"""Output that cannot hurt the reader: no terminal escape sequences from the corpus reach
the terminal, and no exported CSV cell is run as a spreadsheet formula (issue 13)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policycorpus.cli import cli
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
             f"contract with Immigration and Customs Enforcement. {CSI2J}Mayor Dana Whitfield "
             f"said the vote {C1_CSI} kept faith with residents. -1 vote was cast late."),
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
