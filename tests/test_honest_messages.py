"""Messages that say what happened: totals rather than limits, empty and damaged
databases, queries that never write, and suggestions that fit (issue 13)."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from policycorpus.store.database import Store

from conftest import copy_db, run


def one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert "Traceback" not in result.output
    return lines[0]


# -- totals, not limits ----------------------------------------------------------------


def test_search_gives_the_total_and_how_many_it_shows(seeded_db):
    everything = json.loads(run("search", "sanctuary", "--json", "--db", seeded_db).stdout)
    total = len(everything["hits"])
    assert total > 2 and everything["total"] == total
    limited = json.loads(run("search", "sanctuary", "--limit", "2", "--json",
                             "--db", seeded_db).stdout)
    assert (limited["total"], limited["showing"], len(limited["hits"])) == (total, 2, 2)
    text = run("search", "sanctuary", "--limit", "2", "--db", seeded_db).output
    assert f"{total} documents match 'sanctuary', showing 2" in text


def test_documents_gives_the_total_and_how_many_it_shows(seeded_db):
    data = json.loads(run("documents", "--limit", "2", "--json", "--db", seeded_db).stdout)
    assert (data["total"], data["showing"], len(data["documents"])) == (5, 2, 2)
    assert "Documents (5, showing 2)" in run("documents", "--limit", "2", "--db", seeded_db).output
    assert "Documents (5)" in run("documents", "--db", seeded_db).output


def test_entities_gives_the_total_and_how_many_it_shows(seeded_db):
    every = json.loads(run("entities", "--limit", "1000", "--json", "--db", seeded_db).stdout)
    output = run("entities", "--limit", "3", "--db", seeded_db).output
    assert f"Entities ({len(every)}, showing 3)" in output


# -- show: the right hints -------------------------------------------------------------


def test_an_ambiguous_document_does_not_suggest_an_option_show_lacks(seeded_db):
    result = run("show", "00", "--db", seeded_db)
    assert result.exit_code == 1
    assert "--id" not in result.output
    assert "give more of the path, or the document's id" in result.output


def test_an_unknown_document_id_suggests_nothing_unrelated(seeded_db):
    result = run("show", "999", "--db", seeded_db)
    assert result.exit_code == 1
    assert ".txt" not in result.output
    assert "no document with id 999" in result.output


# -- empty databases, and queries that never write ----------------------------------------

QUERIES = [["entities"], ["documents"], ["search", "sanctuary"], ["person", "wells"],
           ["show", "1"], ["related", "ICE"], ["timeline", "ICE"], ["why", "ICE"],
           ["export", "entities"]]


def test_ingest_of_a_missing_folder_leaves_no_database(tmp_path):
    db = tmp_path / "data" / "corpus.db"
    result = run("ingest", tmp_path / "nosuchdir", "--db", db)
    assert result.exit_code == 4
    assert not db.exists() and not db.parent.exists()


@pytest.mark.parametrize("command", QUERIES, ids=" ".join)
def test_a_zero_byte_database_is_not_written_by_a_query(tmp_path, command):
    db = tmp_path / "empty.db"
    db.touch()
    result = run(*command, "--db", db)
    assert result.exit_code == 1
    assert "nothing ingested yet: run policycorpus ingest" in one_error_line(result)
    assert db.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


@pytest.mark.parametrize("command", QUERIES, ids=" ".join)
def test_a_database_without_documents_says_nothing_is_ingested(tmp_path, command):
    db = tmp_path / "new.db"
    Store(db).close()
    before = db.read_bytes()
    result = run(*command, "--db", db)
    assert result.exit_code == 1
    assert "nothing ingested yet: run policycorpus ingest" in one_error_line(result)
    assert db.read_bytes() == before


def test_a_query_opens_a_database_whose_path_looks_like_a_uri(seeded_db, tmp_path):
    folder = tmp_path / "a?b#c%20"
    folder.mkdir()
    db = copy_db(seeded_db, folder / "corpus.db")
    result = run("documents", "--db", db)
    assert result.exit_code == 0, result.output


# -- damaged databases -----------------------------------------------------------------


@pytest.fixture(scope="module")
def damaged_db(seeded_db, tmp_path_factory) -> Path:
    """The seeds' database with one page in the middle overwritten by random bytes."""
    db = copy_db(seeded_db, tmp_path_factory.mktemp("damaged") / "damaged.db")
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("pragma page_size").fetchone()[0]
        pages = conn.execute("pragma page_count").fetchone()[0]
        conn.execute("pragma journal_mode = delete")
    with open(db, "r+b") as handle:
        handle.seek(page_size * (pages // 2))
        handle.write(random.Random(13).randbytes(page_size))
    return db


@pytest.mark.parametrize("command", [*QUERIES, ["reapply"], ["ingest", "EMPTY-FOLDER"]],
                         ids=" ".join)
def test_every_command_reports_a_damaged_database(damaged_db, tmp_path, command):
    db = copy_db_file(damaged_db, tmp_path / "damaged.db")
    (tmp_path / "empty").mkdir()
    command = [str(tmp_path / "empty") if c == "EMPTY-FOLDER" else c for c in command]
    result = run(*command, "--db", db)
    assert result.exit_code == 3
    assert "damaged" in one_error_line(result)


def copy_db_file(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)  # byte for byte: the backup API would refuse the damage
    return target
