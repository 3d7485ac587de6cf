"""Random names to every command and random files to ingest: a clear exit,
never a traceback, and no row lost.

The commands are discovered from the click group, so commands added later
are covered too: each argument gets a random value of its kind (a name, a
choice, a file of random bytes or JSON). Each example runs on its own copy
of the seeded database, in its own folder, since some commands (the
corrections verbs) write beside it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

import click
import pytest
from conftest import SEED_NAMES, copy_db, run, summary_count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycorpus.cli import main as cli_module

pytestmark = pytest.mark.slow  # real subprocesses / hypothesis: CI runs them (make test-slow)

GROUP: click.Group = cli_module.cli  # type: ignore[assignment]
WRITING_COMMANDS = {"ingest"}
QUERY_COMMANDS = sorted(name for name in GROUP.commands if name not in WRITING_COMMANDS)
FUZZ = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
TRICKY = [
    "", " ", "'", '"', "O'Brien", 'the "sanctuary" law', "Robert'); DROP TABLE entities;--",
    "%", "_", "\\", "*", "sanctuary*", "NEAR(ice police)", "ice AND NOT police", "a OR",
    "(", ")", "^", "-", "--", ":", "title:ice", "SB 54\x00", "\x00", "José Ramírez", "李",
    "🙂", "\u202e", "\ufeff", "\n", "a" * 2000, "?", "1=1", "%' OR '1'='1",
]
names = st.one_of(st.sampled_from(TRICKY), st.text(max_size=60))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["document", "entities", "name", "type", "aliases",
                                       "role", "optional"]), children, max_size=4),
    max_leaves=10,
)
gold_like = st.fixed_dictionaries({
    "document": st.sampled_from(SEED_NAMES) | st.text(max_size=10) | json_values,
    "entities": st.lists(
        st.fixed_dictionaries({"type": st.sampled_from(["official", "law", "x"]) | json_values,
                               "name": names | json_values},
                              optional={"aliases": json_values, "role": json_values,
                                        "optional": json_values})
        | json_values, max_size=3) | json_values,
})
file_contents = st.one_of(
    st.binary(max_size=400),
    st.lists(gold_like | json_values, min_size=1, max_size=3).map(
        lambda records: "\n".join(map(json.dumps, records)).encode()),
)


def no_traceback(result) -> None:
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    assert result.exit_code in (0, 1, 2, 3, 4, 5, 6), result.output


def arguments_for(command: click.Command, draw, tmp: Path) -> list[str]:
    """Random values for the positional arguments of ``command``."""
    args: list[str] = []
    for param in command.params:
        if not isinstance(param, click.Argument):
            continue
        count = 1 if param.nargs == 1 else draw(st.integers(1, 2))
        for i in range(count):
            if isinstance(param.type, click.Choice):
                args.append(draw(st.sampled_from(list(param.type.choices))))
            elif isinstance(param.type, click.Path):
                path = tmp / f"input-{len(args)}-{i}"
                path.write_bytes(draw(file_contents))
                args.append(str(path))
            else:
                args.append(draw(names))
    return args


def test_the_query_commands_are_discovered():
    assert {"person", "law", "export", "evaluate"} <= set(QUERY_COMMANDS)


def documents(db: Path) -> list[tuple]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute("select id, path, hash, text from documents order by id").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("command", QUERY_COMMANDS)
@FUZZ
@given(data=st.data())
def test_commands_survive_random_names(seeded_db, tmp_path, command, data):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    db = copy_db(seeded_db, folder / "corpus.db")
    before = documents(db)
    args = arguments_for(GROUP.commands[command], data.draw, folder)

    result = run(command, *args, "--db", db)

    no_traceback(result)
    if result.exit_code:
        errors = [line for line in result.output.splitlines() if line.startswith("Error")]
        assert len(errors) == 1, result.output
    assert documents(db) == before, "no document lost or changed"
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


filenames = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="/\\"),
    min_size=1, max_size=20,
).filter(lambda n: not n.startswith(".") and len(n.encode()) < 200)
files = st.dictionaries(filenames, st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).flatmap(lambda t: st.sampled_from(
        ["utf-8", "utf-16", "utf-16-le", "cp1252", "latin-1"]).map(
        lambda enc: t.encode(enc, errors="replace"))),
), min_size=1, max_size=3)


@FUZZ
@given(corpus=files)
def test_ingest_survives_random_files_and_loses_no_rows(seeded_db, tmp_path, monkeypatch,
                                                        nlp, corpus):
    monkeypatch.setattr("policycorpus.pipeline.build.build", lambda: nlp)
    folder = tmp_path / "random"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name, data in corpus.items():
        (folder / f"{name}.txt").write_bytes(data)
    db = copy_db(seeded_db, tmp_path / "fuzz.db")
    seeded = sqlite3.connect(str(db)).execute(
        "select d.path, count(m.id) from documents d join mentions m on m.document_id = d.id"
        " group by d.id").fetchall()

    result = run("ingest", folder, "--db", db, "--workers", "1")

    no_traceback(result)
    counts = {label: summary_count(result.output, label)
              for label in ("found", "ingested", "unchanged", "skipped", "failed", "duplicates")}
    assert result.exit_code == (6 if counts["failed"] else 0), result.output
    assert counts["found"] == len(corpus)
    assert counts["found"] == sum(v for k, v in counts.items() if k != "found")
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        for path, mentions in seeded:  # the seed documents keep every mention
            assert conn.execute(
                "select count(m.id) from documents d join mentions m on m.document_id = d.id"
                " where d.path = ?", [path]).fetchone()[0] == mentions
        assert conn.execute("select count(*) from document_paths").fetchone()[0] == (
            len(seeded) + counts["ingested"] + counts["duplicates"])
    finally:
        conn.close()


# -- the shapes that once ended a run: broken files in nested folders with repeated names --

TEXT_LINES = ["The parks board of Reno voted to extend pool hours on Monday.",
              "Commissioner Lena Ortiz of Maricopa County proposed a jail audit.",
              "The Vermont Senate passed S. 12 on housing permits Thursday."]


def _jsonl_with_number(digits: int) -> bytes:
    lines = [json.dumps({"text": TEXT_LINES[0]}), '{"text": "%s", "n": %s}' % (
        TEXT_LINES[1], "9" * digits), json.dumps({"text": TEXT_LINES[2]})]
    return "\n".join(lines).encode()


def _cut_docx(fraction: float) -> bytes:
    from broken_fixtures import truncated_docx

    return truncated_docx(fraction)


broken_file = st.one_of(
    st.integers(1, 6000).map(lambda d: ("jsonl", _jsonl_with_number(d))),
    st.integers(1, 120_000).map(lambda depth: ("json", b"[" * depth + b"]" * depth)),
    st.integers(1, 120_000).map(lambda depth: ("jsonl", b'{"text": ' + b"[" * depth
                                               + b"]" * depth + b"}")),
    st.floats(0.0, 1.0).map(lambda f: ("docx", _cut_docx(f))),
    st.integers(1, 60_000).map(lambda depth: ("pdf", _nested_pdf(depth))),
    st.sampled_from(TEXT_LINES).map(lambda t: ("txt", t.encode())),
    st.binary(max_size=200).map(lambda b: ("txt", b)),
)
raw_names = st.one_of(
    st.sampled_from([b"index", b"export", b"a"]),  # the same names again and again
    st.binary(min_size=1, max_size=12).filter(
        lambda n: b"/" not in n and b"\x00" not in n and not n.startswith(b".")),
)
nested_files = st.lists(
    st.tuples(st.sampled_from(["", "site-a", "site-b/2024"]), raw_names, broken_file),
    min_size=1, max_size=5,
)


def _nested_pdf(depth: int) -> bytes:
    from broken_fixtures import deeply_nested_pdf

    return deeply_nested_pdf(depth)


@FUZZ
@given(entries=nested_files)
def test_ingest_accounts_for_every_broken_file_in_nested_folders(tmp_path, monkeypatch,
                                                                 nlp, entries):
    monkeypatch.setattr("policycorpus.pipeline.build.build", lambda: nlp)
    folder = Path(tempfile.mkdtemp(dir=tmp_path)) / "archive"
    written = {}
    for sub, name, (suffix, data) in entries:
        (folder / sub).mkdir(parents=True, exist_ok=True)
        path = os.path.join(os.fsencode(folder / sub), name + b"." + suffix.encode())
        with open(path, "wb") as handle:
            handle.write(data)
        written[path] = suffix
    db = folder.parent / "fuzz.db"

    for attempt in ("first", "again"):
        result = run("ingest", folder, "--db", db, "--workers", "1")

        no_traceback(result)
        counts = {label: summary_count(result.output, label) for label in
                  ("found", "ingested", "unchanged", "skipped", "failed", "duplicates")}
        assert counts["found"] == sum(v for k, v in counts.items() if k != "found"), attempt
        assert counts["found"] >= len(written)
        assert result.exit_code == (6 if counts["failed"] else 0), result.output
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        assert counts["ingested"] == 0  # the second run: nothing new
    finally:
        conn.close()
