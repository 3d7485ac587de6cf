"""The corrections file cannot be corrupted and always agrees with its database:
atomic writes, read-only databases, dead entries, merge cycles, and one file per
database (issue 13)."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policycorpus.cli.main import cli

from conftest import copy_db, run

ARTICLES = {
    "tacoma.txt": (
        "Port vote splits council\n\n"
        "TACOMA, Wash. — Tacoma Mayor Dana Whitfield said Tuesday that the city would not "
        "renew its jail contract. Whitfield spoke after Harbor Watch, a tenants' group, "
        "delivered 4,000 signatures to the Pierce County Sheriff's Department.\n"),
    "boise.txt": (
        "Legislators weigh detention bill\n\n"
        "BOISE, Idaho — Idaho Gov. Corey Lindqvist signed House Bill 83 on Friday. "
        "Harbor Watch called the law cruel, and Lindqvist said it keeps Idaho safe.\n"),
}


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path_factory.mktemp("base") / "base.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def db(base_db: Path, tmp_path: Path) -> Path:
    return copy_db(base_db, tmp_path / "corpus.db")


def entity_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select id, type, name from entities order by id").fetchall()


def names(db: Path) -> set[str]:
    return {row[2] for row in entity_rows(db)}


def one_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), output
    return lines[0]


def test_the_default_corrections_file_belongs_to_one_database(db, tmp_path):
    other = copy_db(db, tmp_path / "other.db")
    assert "Harbor Watch" in names(db)
    result = run("ignore", "Harbor Watch", "--db", db)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "corpus.corrections.toml").exists()
    assert not (tmp_path / "corrections.toml").exists()
    assert run("reapply", "--db", other).exit_code == 0
    assert "Harbor Watch" not in names(db) and "Harbor Watch" in names(other)


def test_the_old_shared_file_is_read_then_copied_to_the_database_own_file(db, tmp_path):
    legacy = tmp_path / "corrections.toml"
    legacy.write_text('# kept by hand\n[[ignore]]\nname = "Harbor Watch"\n', encoding="utf-8")
    assert run("reapply", "--db", db).exit_code == 0
    assert "Harbor Watch" not in names(db)  # still applied: nothing lost on upgrade
    result = run("retype", "Pierce County Sheriff's Department", "organization", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Copied" in result.output
    own = (tmp_path / "corpus.corrections.toml").read_text(encoding="utf-8")
    assert own.startswith("# kept by hand\n[[ignore]]") and "[[retype]]" in own
    assert legacy.read_text(encoding="utf-8").count("[[") == 1  # left for other databases


def test_a_full_disk_leaves_the_file_and_the_database_as_they_were(db, tmp_path, monkeypatch):
    import policycorpus.atomicfile as atomicfile

    path = tmp_path / "corpus.corrections.toml"
    path.write_text('# my notes\n[[alias]]\nname = "Dana Whitfield"\naliases = ["DW"]\n',
                    encoding="utf-8")
    assert run("reapply", "--db", db).exit_code == 0
    before_file, before_rows = path.read_bytes(), entity_rows(db)

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomicfile.os, "fsync", full_disk)
    result = run("ignore", "Harbor Watch", "--db", db)
    assert result.exit_code == 5
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error:") and "No space left on device" in last
    assert "Traceback" not in result.output
    assert path.read_bytes() == before_file
    assert entity_rows(db) == before_rows
    assert sorted(p.name for p in tmp_path.iterdir() if "corrections" in p.name) == [path.name]


def test_a_name_that_matches_nothing_is_not_recorded(db, tmp_path):
    result = run("merge", "Nobody We Know", "--into", "Dana Whitfield", "--db", db)
    assert result.exit_code == 2
    assert "no entity named 'Nobody We Know'" in one_error_line(result.output)
    assert not (tmp_path / "corpus.corrections.toml").exists()


@pytest.mark.parametrize("args", [["Dana Whitfield", "--into", "Dana Whitfield"],
                                  ["dana whitfield", "--into", "Dana  Whitfield"]])
def test_merging_a_name_into_itself_is_one_clear_line(db, tmp_path, args):
    result = run("merge", *args, "--db", db)
    assert result.exit_code == 2
    assert "merged into itself" in one_error_line(result.output)
    assert not (tmp_path / "corpus.corrections.toml").exists()


def test_a_merge_cycle_is_refused(db, tmp_path):
    first = run("merge", "Harbor Watch", "--into", "Pierce County Sheriff's Department",
                "--db", db)
    assert first.exit_code == 0, first.output
    text = (tmp_path / "corpus.corrections.toml").read_text(encoding="utf-8")
    result = run("merge", "Pierce County Sheriff's Department", "--into", "Harbor Watch",
                 "--db", db)
    assert result.exit_code == 2
    assert "merge cycle" in one_error_line(result.output)
    assert (tmp_path / "corpus.corrections.toml").read_text(encoding="utf-8") == text


def run_restricted(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``policycorpus ARGS`` in a subprocess that file permissions apply to, even as root."""
    command = [sys.executable, "-m", "policycorpus", *map(str, args)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        dropped = "-dac_override,-dac_read_search"
        command = [setpriv, f"--inh-caps={dropped}", f"--bounding-set={dropped}", "--", *command]
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_a_read_only_database_gets_no_correction_and_the_file_stays_alike(db, tmp_path):
    path = tmp_path / "corpus.corrections.toml"
    before_rows = entity_rows(db)
    db.chmod(0o444)
    try:
        result = run_restricted("ignore", "Harbor Watch", "--db", db)
        assert result.returncode == 3, result.stderr
        assert "read-only" in one_error_line(result.stderr)
        assert not path.exists()
        result = run_restricted("ignore", "Harbor Watch", "--no-apply", "--db", db)
        assert result.returncode == 0, result.stderr
        assert "[[ignore]]" in path.read_text(encoding="utf-8")
        result = run_restricted("reapply", "--db", db)
        assert result.returncode == 3, result.stderr
        assert "read-only" in one_error_line(result.stderr)
    finally:
        db.chmod(0o644)
    assert entity_rows(db) == before_rows
