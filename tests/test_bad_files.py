"""One bad file never ends a run: it is counted failed with its reason, the files
after it are stored, the summary adds up, and the exit code says so (6).

Each broken file here once made a reader raise inside the generator that feeds
``nlp.pipe``: the run stopped at that file with exit 0, and the next run
ended in a traceback.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from broken_fixtures import BROKEN, GOOD_RECORD, LAST_RECORD, huge_integer_jsonl
from conftest import run, summary_counts
from test_interruption import finish, start_ingest

FIRST = "The county commission of Boise approved a new bus route on Monday.\n"
LAST = "Senator Dana Whitfield of Vermont filed a bill on rural broadband Thursday.\n"
FAILED_DOCUMENTS = 6


counts = summary_counts  # the summary's counts, checked to add up


def stored(db: Path) -> set[str]:
    conn = sqlite3.connect(str(db))
    try:
        return {name for (name,) in conn.execute("select name from document_paths")}
    finally:
        conn.close()


def folder_with(tmp_path: Path, name: str, data: bytes) -> Path:
    """a.txt, the broken file, z.txt: the broken file sits between two good ones."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(FIRST, encoding="utf-8")
    (folder / name).write_bytes(data)
    (folder / "z.txt").write_text(LAST, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_fails_alone_and_the_run_goes_on(tmp_path, name):
    folder = folder_with(tmp_path, name, BROKEN[name]())
    db = tmp_path / "corpus.db"

    result = run("ingest", folder, "--db", db, "--workers", "1")

    assert "Traceback" not in result.output
    assert result.exit_code == FAILED_DOCUMENTS, result.output
    summary = counts(result.output)
    assert summary["failed"] == 1
    assert {"a.txt", "z.txt"} <= stored(db)
    failure = next(line for line in result.output.splitlines() if "failed" in line
                   and name in line)
    assert re.search(r"(RecursionError|ValueError|XMLSyntaxError)", failure), failure
    assert result.output.strip().splitlines()[-1].startswith("Error: 1 document(s) failed")

    again = run("ingest", folder, "--db", db, "--workers", "1")

    assert "Traceback" not in again.output
    assert again.exit_code == FAILED_DOCUMENTS, again.output
    assert counts(again.output)["unchanged"] == summary["ingested"]


def test_a_record_that_cannot_be_read_fails_alone_in_its_file(tmp_path):
    folder = folder_with(tmp_path, "wire.jsonl", huge_integer_jsonl())
    db = tmp_path / "corpus.db"

    result = run("ingest", folder, "--db", db, "--workers", "1")

    assert result.exit_code == FAILED_DOCUMENTS, result.output
    assert counts(result.output) == {"found": 5, "ingested": 4, "unchanged": 0, "skipped": 0,
                                     "failed": 1, "duplicates": 0}
    assert stored(db) == {"a.txt", f"wire.jsonl#{GOOD_RECORD['id']}",
                          f"wire.jsonl#{LAST_RECORD['id']}", "z.txt"}
    assert "wire.jsonl#2: ValueError" in result.output


def test_a_file_name_that_is_not_utf8_is_stored_under_a_printable_name(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9-minutes.txt"), "wb") as handle:
        handle.write(LAST.encode())

    result = run("ingest", folder, "--db", tmp_path / "corpus.db", "--workers", "1")

    assert result.exit_code == 0, result.output
    assert counts(result.output)["ingested"] == 1
    assert stored(tmp_path / "corpus.db") == {"caf\\xe9-minutes.txt"}


@pytest.mark.slow  # a real ingest process with two workers, each loading spaCy
def test_every_broken_file_at_once_with_two_workers(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, make in BROKEN.items():
        (folder / name).write_bytes(make())
    for i in range(6):
        (folder / f"note-{i}.txt").write_text(f"{FIRST}Item {i} on the agenda.\n{LAST}")
    db = tmp_path / "corpus.db"

    code, out, err = finish(start_ingest(folder, db, "--workers", "2"))

    assert "Traceback" not in err
    assert code == FAILED_DOCUMENTS, err
    summary = counts(out)
    assert summary["failed"] == len(BROKEN)
    assert summary["ingested"] == 6 + 2  # the notes and the two good records
    assert {f"note-{i}.txt" for i in range(6)} <= stored(db)
    assert err.strip().splitlines()[-1] == (
        f"Error: {len(BROKEN)} document(s) failed (see the warnings above); every other "
        "document is stored")


def test_an_error_that_is_not_one_files_stops_the_run_loudly(tmp_path, monkeypatch):
    """A database error while documents are being read must not pass for the end
    of the input (the pipeline's loop would swallow it): it ends the run with
    its one-line message."""
    from policycorpus.store.database import Store

    folder = tmp_path / "inbox"
    folder.mkdir()
    for i in range(4):
        (folder / f"note-{i}.txt").write_text(f"Item {i}. {FIRST}")
    real = Store.document_state
    calls = []

    def failing(self, key):
        calls.append(key)
        if len(calls) == 3:
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, key)

    monkeypatch.setattr(Store, "document_state", failing)

    result = run("ingest", folder, "--db", tmp_path / "corpus.db", "--workers", "1")

    assert result.exit_code == 3, result.output
    assert "Error: database error: disk I/O error" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name, data", [("feed.json", b"[]"), ("wire.jsonl", b"\n\n"),
                                        ("export.csv", b"title,text\n")])
def test_a_record_file_without_records_is_counted_skipped(tmp_path, name, data):
    folder = folder_with(tmp_path, name, data)

    result = run("ingest", folder, "--db", tmp_path / "corpus.db", "--workers", "1")

    assert result.exit_code == 0, result.output
    assert counts(result.output)["skipped"] == 1
    assert f"skipped {folder / name}: no records" in result.output
