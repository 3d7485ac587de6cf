"""Shared fixtures: a temporary database for every test, the pipeline loaded
once, the seeds ingested once, and ``rows()`` to read a database.

Nothing here touches ``data/``: ``POLICYCORPUS_DB`` points every test at a
file in its own temporary folder. Loading the spaCy model costs a few
seconds, so it is loaded once (``nlp``) and every ingest run in-process uses
that pipeline; the seed corpus is ingested once per session (``seeded_db``)
and tests that only read share that database.

The ingest and reapply summaries have no ``--json``: ``summary_count()``
reads a count from their table; query commands are read through ``--json``.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from policycorpus.cli.main import cli
from policycorpus.pipeline import build as pipeline_build

REAL_BUILD = pipeline_build.build

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_NAMES = sorted(p.name for p in SEEDS.iterdir() if p.is_file())


def run(*args: str | Path) -> Result:
    """Invoke ``policycorpus ARGS...`` in-process and return the click Result.

    click 8.2+ mixes stderr into ``result.output``; ``result.stdout`` is
    standard output alone.
    """
    return CliRunner().invoke(cli, [str(a) for a in args])


def rows(db: str | Path, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows of ``sql`` read from the database at ``db`` (opened and closed here)."""
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


SUMMARY_LABELS = ("found", "ingested", "unchanged", "skipped", "failed", "duplicates")


def summary_count(output: str, label: str) -> int:
    """A count from the table ``ingest`` or ``reapply`` prints: the number on
    the row whose label is ``label`` (``ingested``, ``mentions moved``...),
    whatever the table's borders."""
    match = re.search(rf"^\W*{re.escape(label)}\W+(\d[\d,]*)\W*$", output, re.MULTILINE)
    assert match, f"no {label!r} row in:\n{output}"
    return int(match.group(1).replace(",", ""))


def summary_counts(output: str) -> dict[str, int]:
    """The file counts of an ingest summary, checked to add up: found = the others."""
    counts = {label: summary_count(output, label) for label in SUMMARY_LABELS}
    assert counts["found"] == sum(v for k, v in counts.items() if k != "found"), output
    return counts


def document_states(store) -> dict[str, tuple[str, str]]:
    """Each stored path with its document's (content hash, pipeline version)."""
    return dict((path, (digest, version)) for path, digest, version in store.db.execute(
        "select p.path, d.hash, d.pipeline_version from document_paths p"
        " join documents d on d.id = p.document_id"))


def copy_db(source: str | Path, target: str | Path,
            moved: tuple[Path, Path] | None = None) -> Path:
    """Copy a SQLite database consistently (WAL included) with the backup API.

    ``moved=(old, new)`` makes the copy as if it had been ingested from the
    folder ``new`` instead of ``old``: documents are keyed by absolute path.
    """
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
        if moved:
            old, new = (str(p.resolve()) for p in moved)
            dst.execute("update document_paths set path = ? || substr(path, ?)"
                        " where substr(path, 1, ?) = ?", [new, len(old) + 1, len(old) + 1,
                                                         old + "/"])
            dst.commit()
    finally:
        dst.close()
        src.close()
    return Path(target)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default database at a temporary file; make Rich output plain and wide.

    A wide console keeps names and file names in report tables on one line,
    so assertions test content rather than wrapping.
    """
    db = tmp_path / "default.db"
    monkeypatch.setenv("POLICYCORPUS_DB", str(db))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return db


_PIPELINE: list = []


def shared_pipeline():
    """The full pipeline, built on first use and then shared by the whole session."""
    if not _PIPELINE:
        _PIPELINE.append(REAL_BUILD())
    return _PIPELINE[0]


@pytest.fixture(autouse=True)
def _one_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingests run in-process share the session's pipeline instead of loading
    the model again (a second or two each); ``build(base)`` still builds."""
    monkeypatch.setattr(pipeline_build, "build",
                        lambda base=None: shared_pipeline() if base is None else REAL_BUILD(base))


@pytest.fixture(scope="session")
def nlp():
    """The full pipeline, loaded once for the whole session (tests must not change it)."""
    return shared_pipeline()


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seed corpus ingested once into a session-wide database; returns its path.

    Tests must treat it as read-only: copy it (``copy_db``) before writing.
    """
    path = str(tmp_path_factory.mktemp("seeded") / "corpus.db")
    result = CliRunner().invoke(cli, ["ingest", str(SEEDS), "--db", path, "--workers", "1"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="session")
def formats_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Result]:
    """A corpus of every input format (``format_fixtures.MIXED``) ingested once.

    Returns (database path, corpus folder, the ingest's click Result); read-only
    like ``seeded_db``.
    """
    from format_fixtures import write_mixed_corpus

    root = tmp_path_factory.mktemp("formats")
    corpus = write_mixed_corpus(root / "corpus")
    path = str(root / "formats.db")
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", path, "--workers", "1"])
    assert result.exit_code == 0, result.output
    return path, corpus, result
