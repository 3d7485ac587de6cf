"""Killing an ingest half-way and running two at once: the database stays whole.

Each test runs real ``python -m policycorpus ingest`` processes on a generated
corpus (the seeds, and copies of them made distinct by a last line), kills
one after its first batch is committed, then checks that every stored
document is complete and that a second run ends with the rows of an
uninterrupted one.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED_NAMES, SEEDS

pytestmark = pytest.mark.slow  # real subprocesses / hypothesis: CI runs them (make test-slow)

DOCUMENTS = 12  # the seeds, then copies of them made distinct (enough to outlast the first batch)


def make_corpus(root: Path, count: int = DOCUMENTS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        name = SEED_NAMES[i % len(SEED_NAMES)]
        text = (SEEDS / name).read_text(encoding="utf-8")
        (root / f"{i:02d}_{name}").write_text(f"{text}\n\nFiled from desk {i}.\n",
                                              encoding="utf-8")
    return root


def start_ingest(corpus: Path, db: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "policycorpus", "ingest", str(corpus), "--db", str(db),
               "--batch-size", "1", *extra]
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=180)
    return process.returncode, out, err


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(str(db), timeout=30)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def stored_documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        return query(db, "select count(*) from documents")[0][0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def wait_for_first_batch(process: subprocess.Popen[str], db: Path, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = stored_documents(db)
        if count:
            return count
        assert process.poll() is None, finish(process)
        time.sleep(0.05)
    raise AssertionError("no batch was committed in time")


def mentions_by_document(db: Path, table: str = "mentions") -> dict[str, set[tuple]]:
    """path -> (start, end, text) of its mentions (``extracted_mentions``: as the
    pipeline found them, before a reapply gives them entities)."""
    out: dict[str, set[tuple]] = {}
    for path, start, end, text in query(
            db, "select d.path, m.start, m.end, m.text from documents d"
                f" join {table} m on m.document_id = d.id"):
        out.setdefault(path, set()).add((start, end, text))
    return out


def final_rows(db: Path) -> dict[str, set[tuple]]:
    return {
        "mentions": set(query(db, """select d.path, e.type, e.name, m.start, m.end from mentions m
                                     join documents d on d.id = m.document_id
                                     join entities e on e.id = m.entity_id""")),
        "roles": set(query(db, """select d.path, e.name, r.title, r.org from roles r
                                  join documents d on d.id = r.document_id
                                  join entities e on e.id = r.entity_id""")),
        "documents": set(query(db, "select path, hash, title, text from documents")),
    }


def assert_consistent(db: Path, reference: dict[str, set[tuple]],
                      table: str = "mentions") -> None:
    """Whole file, no half documents: each stored document has all its mentions
    (in ``table``: ``extracted_mentions`` until a reapply has run)."""
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "pragma foreign_key_check") == []
    stored = mentions_by_document(db, table)
    documents = {r[0] for r in query(db, "select path from documents")}
    assert set(stored) == documents, "a document without mentions"
    for path, mentions in stored.items():
        assert mentions == reference[path], path
    assert query(db, "select count(*) from documents_fts") == query(
        db, "select count(*) from documents")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("interrupt") / "corpus")


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> tuple[dict[str, set[tuple]], dict[str, set[tuple]]]:
    """The rows of an uninterrupted ingest, and its mentions by document."""
    db = tmp_path_factory.mktemp("reference") / "reference.db"
    code, out, err = finish(start_ingest(corpus, db, "--workers", "1"))
    assert code == 0, err
    return final_rows(db), mentions_by_document(db)


@pytest.mark.parametrize("how, workers, exit_code", [
    ("SIGKILL", "1", -signal.SIGKILL),
    ("SIGINT", "2", 130),
    ("SIGTERM", "1", 143),
], ids=["kill-9", "ctrl-c-two-workers", "kill"])
def test_an_interrupted_ingest_keeps_whole_documents_and_resumes(corpus, reference, tmp_path,
                                                                 how, workers, exit_code):
    rows, mentions = reference
    db = tmp_path / "corpus.db"
    process = start_ingest(corpus, db, "--workers", workers)
    wait_for_first_batch(process, db)
    os.killpg(process.pid, getattr(signal, how))  # the whole group, as a terminal's Ctrl-C
    code, out, err = finish(process)

    assert code == exit_code, err
    assert "Traceback" not in err and "Traceback" not in out
    if how != "SIGKILL":
        assert "Interrupted." in err
        assert "ingested" in out, "the summary of what was stored"
    stored = stored_documents(db)
    assert 1 <= stored < len(rows["documents"]), "killed half-way"
    assert_consistent(db, mentions, "extracted_mentions")  # the reapply did not run

    code, out, err = finish(start_ingest(corpus, db, "--workers", "1"))

    assert code == 0, err
    assert_consistent(db, mentions)
    assert final_rows(db) == rows


def test_two_ingests_into_one_database_wait_for_each_other(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in SEED_NAMES[:3]:
        (corpus / name).write_bytes((SEEDS / name).read_bytes())
    db = tmp_path / "shared.db"

    first = start_ingest(corpus, db, "--workers", "1")
    second = start_ingest(corpus, db, "--workers", "1")
    results = [finish(first), finish(second)]

    for code, out, err in results:
        assert "Traceback" not in err
        if code:
            assert code == 3, err
            lines = [line for line in err.splitlines() if line.strip()]
            assert len(lines) == 1 and "locked" in lines[0], err
    assert any(code == 0 for code, _, _ in results)
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert sorted(r[0] for r in query(db, "select path from documents")) == SEED_NAMES[:3]
    assert query(db, "select count(*) from documents where id not in"
                     " (select document_id from mentions)") == [(0,)]
    assert query(db, "select count(*) from document_paths") == [(3,)]


def test_ctrl_c_stops_two_busy_workers_at_once(tmp_path):
    """Both workers hold a batch (16 texts each) when Ctrl-C arrives; the one
    whose results the parent has not read yet is blocked on a full pipe. The
    run still stops at once, without a traceback, keeping whole documents."""
    corpus = make_corpus(tmp_path / "corpus", 40)
    db = tmp_path / "corpus.db"
    process = start_ingest(corpus, db, "--workers", "2")
    wait_for_first_batch(process, db)
    os.killpg(process.pid, signal.SIGINT)
    try:
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:  # hung: do not leave it behind
            os.killpg(process.pid, signal.SIGKILL)

    assert process.returncode == 130, err
    assert "Interrupted." in err and "Traceback" not in err and "W127" not in err
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select count(*) from documents where id not in"  # no reapply ran
                     " (select document_id from extracted_mentions)") == [(0,)]
    assert 1 <= stored_documents(db) < 40
