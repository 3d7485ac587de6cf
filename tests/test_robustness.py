"""Messy inputs: encodings, binary and empty files, copies, long documents, odd paths,
and databases that cannot be used. Every fixture file is generated here."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from conftest import copy_db, document_states, run, summary_count

from policycorpus.sources.decoding import decode_bytes
from policycorpus.sources.files import read_text
from policycorpus.store.database import Store
from policycorpus.store.migrations import SCHEMA_VERSION, m001_initial


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def one_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("Error:"), output
    return lines[0]


# -- decoding --------------------------------------------------------------------------

TEXT = ("El Cajon’s mayor said the city would “cooperate” with ICE — a café owner disagreed. "
        "Kevin de León called it a threat.\n") * 4


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_a_byte_order_mark_are_read(encoding):
    decoded = decode_bytes(TEXT.encode(encoding))
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


@pytest.mark.parametrize("encoding", ["utf-32", "utf-16", "utf-8-sig"])
def test_a_byte_order_mark_decides_the_encoding_and_is_dropped(encoding):
    assert decode_bytes(TEXT.encode(encoding)).text == TEXT


def test_latin1_text_reads_the_same_as_windows_1252():
    text = "Begoña Sáenz, alcaldesa de Mérida, habló en el café. " * 3
    assert decode_bytes(text.encode("latin-1")).text == text


def test_utf8_with_one_bad_byte_stays_utf8():
    data = TEXT.encode("utf-8") + b"\xff" + TEXT.encode("utf-8")
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text == TEXT + "\ufffd" + TEXT


@pytest.mark.parametrize("quotes", [1, 4])
def test_utf8_with_a_few_windows_1252_bytes_stays_utf8(quotes):
    """Curly quotes in UTF-8 and three stray Windows-1252 bytes (an accent, a pair of
    quotes pasted from another editor): only those three bytes are replaced."""
    said = "“We will not hold people past their release date,” the sheriff of Dane County said."
    clean = " ".join([said] * quotes) + " The board met in Madison."
    data = clean.encode("utf-8") + b" Caf\xe9 owners called it \x93fair\x94."
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text == clean + " Caf\ufffd owners called it \ufffdfair\ufffd."


def test_stray_control_characters_are_dropped():
    data = b"The mayor\x00 spoke.\n" + b"The council voted.\n" * 100 + b"\x1a"
    assert decode_bytes(data).text == "The mayor spoke.\n" + "The council voted.\n" * 100


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "PDF"),
    (b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(2000), "image/png"),
    (random.Random(2).randbytes(4000), "binary"),
    (b"PK\x03\x04" + random.Random(3).randbytes(500), "zip"),
])
def test_binary_data_is_rejected_with_what_it_looks_like(data, kind):
    decoded = decode_bytes(data)
    assert decoded.text is None
    assert kind in decoded.problem


# -- a messy corpus, ingested once -----------------------------------------------------


def article(i: int, name: str, city: str, fancy: bool = True) -> str:
    q1, q2, ap, dash = ("“", "”", "’", "—") if fancy else ('"', '"', "'", "-")
    return (f"{city} council debates sanctuary policy, part {i}\n\n"
            f"{city} Mayor {name} said Tuesday that the city would not help U.S. Immigration "
            f"and Customs Enforcement. {q1}We won{ap}t do it,{q2} {name.split()[-1]} said "
            f"{dash} the café owners of {city} agreed.\n\n"
            "The council will vote next week on the resolution.\n")


ENCODED = {  # file -> (encoding, mayor, city, typographic quotes)
    "utf8.txt": ("utf-8", "José Ramírez", "San Jose", True),
    "utf8-bom.txt": ("utf-8-sig", "Inés Peña", "Fresno", True),
    "utf16.txt": ("utf-16", "Tomás Núñez", "Oakland", True),
    "utf16le-nobom.txt": ("utf-16-le", "Renée Côté", "Berkeley", True),
    "utf16be-nobom.txt": ("utf-16-be", "Zoë Álvarez", "Salinas", True),
    "cp1252.txt": ("cp1252", "André Muñoz", "Modesto", True),
    "latin1.txt": ("latin-1", "Begoña Sáenz", "Merced", False),
}
SKIPPED = {  # file -> words of its warning
    "image.txt": "image/png",
    "report.txt": "PDF",
    "noise.txt": "not text",
    "empty.txt": "empty",
    "blank.txt": "only whitespace",
}
SHERIFFS = [("Fresno County", "Sheriff Margaret Mims"), ("Kern County", "Sheriff Donny Youngblood"),
            ("Tulare County", "Sheriff Mike Boudreaux"), ("Yolo County", "Sheriff Tom Lopez")]
CHUNK = 600


def long_article() -> str:
    paragraphs = ["Sheriffs across the valley answer the state on jail transfers"]
    for i in range(24):
        county, sheriff = SHERIFFS[i % len(SHERIFFS)]
        paragraphs.append(f"In {county}, {sheriff} said on day {i + 1} that the jail would "
                          "not hold people for immigration agents without a warrant.")
    paragraphs.append("Riverside Police Chief Larry Gonzalez closed the hearing.")
    return "\n\n".join(paragraphs) + "\n"


def build_messy_corpus(root: Path) -> None:
    root.mkdir(parents=True)
    for i, (name, (encoding, mayor, city, fancy)) in enumerate(ENCODED.items()):
        (root / name).write_bytes(article(i, mayor, city, fancy).encode(encoding))
    rng = random.Random(6)
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(3000))
    (root / "report.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 9 >>\n"
                                      b"stream\nBT (Mayor) Tj ET\nendstream\nendobj\n")
    (root / "noise.txt").write_bytes(rng.randbytes(5000))
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes(b"  \n\t\n  \r\n")
    (root / "long.txt").write_text(long_article(), encoding="utf-8")
    (root / "copies").mkdir()
    shutil.copy(root / "utf8.txt", root / "copies" / "utf8-copy.txt")
    (root / "copies" / "loop").symlink_to("..")
    (root / "selfloop.txt").symlink_to("selfloop.txt")
    (root / "broken.txt").symlink_to("nowhere.txt")
    os.mkfifo(root / "pipe.txt")


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """The messy corpus ingested once, long documents cut at CHUNK characters;
    returns (corpus folder, database path, ingest output)."""
    base = tmp_path_factory.mktemp("messy")
    corpus = base / "corpus"
    build_messy_corpus(corpus)
    db = base / "messy.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("policycorpus.pipeline.chunking.DEFAULT_CHUNK_CHARS", CHUNK)
        patch.setenv("COLUMNS", "200")
        result = run("ingest", corpus, "--db", db, "--workers", "1")
    assert result.exit_code == 0, result.output
    no_traceback(result)
    return corpus, db, result.output


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_the_summary_counts_every_kind_of_file(messy):
    _, _, output = messy
    assert summary_count(output, "found") == 14
    assert summary_count(output, "ingested") == 8
    assert summary_count(output, "skipped") == 5
    assert summary_count(output, "duplicates") == 1
    assert summary_count(output, "failed") == 0
    assert summary_count(output, "unchanged") == 0


@pytest.mark.parametrize("name", list(ENCODED))
def test_each_encoding_is_read_correctly(messy, name):
    _, db, _ = messy
    encoding, mayor, city, fancy = ENCODED[name]
    ((text,),) = query(db, "select d.text from documents d join document_paths p"
                           " on p.document_id = d.id where p.name = ?", (name,))
    assert text == read_text(article(list(ENCODED).index(name), mayor, city, fancy)).text
    assert mayor in text and "café" in text


def test_accented_names_become_entities(messy):
    _, db, _ = messy
    officials = {r[0] for r in query(db, "select name from entities where type = 'official'")}
    assert {"José Ramírez", "Renée Côté", "Zoë Álvarez", "André Muñoz"} <= officials


@pytest.mark.parametrize("name", list(SKIPPED))
def test_binary_and_empty_files_are_skipped_with_one_warning_naming_them(messy, name):
    corpus, db, output = messy
    lines = [line for line in output.splitlines() if str(corpus / name) in line]
    assert len(lines) == 1, output
    assert lines[0].startswith("Warning: skipped") and SKIPPED[name] in lines[0]
    assert query(db, "select count(*) from document_paths where name = ?", (name,)) == [(0,)]


def test_a_copy_is_stored_once_under_both_paths(messy):
    _, db, output = messy
    rows = query(db, "select d.id, d.path, p.name from documents d"
                     " join document_paths p on p.document_id = d.id"
                     " where d.hash = (select hash from documents where path = 'utf8.txt')")
    assert sorted(r[2] for r in rows) == ["copies/utf8-copy.txt", "utf8.txt"]
    assert {r[1] for r in rows} == {"utf8.txt"}
    assert query(db, "select count(*) from documents") == [(8,)]
    assert "Note:" in output and "utf8-copy.txt" in output


@pytest.mark.parametrize("name, reason", [
    ("copies/loop", "symlink loop"), ("selfloop.txt", "symlink loop"),
    ("broken.txt", "broken link"), ("pipe.txt", "not a regular file")])
def test_links_loops_and_pipes_are_warnings(messy, name, reason):
    corpus, _, output = messy
    (line,) = [line for line in output.splitlines() if str(corpus / name) in line]
    assert line.startswith("Warning: skipped") and reason in line


def test_a_long_document_is_processed_whole_in_pieces(messy):
    _, db, _ = messy
    ((doc_id, text),) = query(db, "select id, text from documents where path = 'long.txt'")
    assert text == read_text(long_article()).text, "stored whole, not truncated"
    assert len(text) > 5 * CHUNK
    mentions = query(db, "select m.start, m.end, m.text, m.sent_start, m.sent_end, e.name"
                         " from mentions m join entities e on e.id = m.entity_id"
                         " where m.document_id = ?", (doc_id,))
    for start, end, surface, sent_start, sent_end, _ in mentions:
        assert text[start:end] == surface
        assert sent_start <= start < end <= sent_end
    names = {name for *_, name in mentions}
    assert {"Margaret Mims", "Tom Lopez", "Larry Gonzalez"} <= names
    assert max(start for start, *_ in mentions) > len(text) - 100, "the last piece is there"
    mims = [start for start, *_, name in mentions if name == "Margaret Mims"]
    assert len(mims) == 6 and max(mims) > 4 * CHUNK, "one entity across every piece"


def test_a_dump_of_many_articles_keeps_every_article_past_their_footers():
    body = "\n\n".join(
        f"The county board voted on part {n} of the jail contract after a long public hearing "
        "in which residents, deputies and advocates spoke for and against it." for n in range(4))
    dump = "\n\n".join(f"Board votes on jail contract, story {i}\n\n{body}\n\nTags: jail, county"
                       for i in range(40))
    text = read_text(dump).text
    assert all(f"story {i}" in text for i in range(40))
    assert text.count(body) == 40
    assert "Tags:" not in text
    single = read_text(f"Board votes on jail contract\n\n{body}\n\nTags: jail\n\nRelated: more")
    assert "Related" not in single.text, "a page's own footer still goes"


def test_ingesting_the_messy_corpus_again_changes_nothing(messy, tmp_path):
    corpus, db, _ = messy
    copy = copy_db(db, tmp_path / "again.db")
    before = query(copy, "select * from mentions order by id")

    result = run("ingest", corpus, "--db", copy, "--workers", "1")

    assert result.exit_code == 0, result.output
    assert summary_count(result.output, "unchanged") == 9  # the copy's path too
    assert summary_count(result.output, "ingested") == 0
    assert summary_count(result.output, "skipped") == 5
    assert query(copy, "select * from mentions order by id") == before


# -- databases that cannot be used -----------------------------------------------------


def test_a_newer_schema_is_a_one_line_error(seeded_db, tmp_path):
    db = copy_db(seeded_db, tmp_path / "future.db")
    store = Store(db)
    store.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    store.close()
    (tmp_path / "empty-folder").mkdir()

    for command in (["person", "wells"], ["ingest", tmp_path / "empty-folder"]):
        result = run(*command, "--db", db)
        assert result.exit_code == 3, result.output
        no_traceback(result)
        assert "newer" in one_error_line(result.output)


def test_an_older_schema_is_migrated_in_place(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    m001_initial(db)
    db["meta"].insert({"key": "schema_version", "value": "1"})
    db["documents"].insert({"path": "old.txt", "hash": "h", "text": "Old text.", "title": "Old",
                            "pipeline_version": "0"})
    db.close()

    store = Store(path)

    assert store.schema_version() == SCHEMA_VERSION
    assert document_states(store) == {"old.txt": ("h", "0")}
    assert query(path, "select path from document_paths") == [("old.txt",)]
    store.close()


def test_a_migration_merged_out_of_order_still_runs(seeded_db, tmp_path):
    """A database at the latest version that never ran migration 3 (merged after 4)."""
    db = copy_db(seeded_db, tmp_path / "merged.db")
    conn = sqlite3.connect(str(db))
    conn.execute("drop table document_paths")
    conn.execute("delete from meta where key = 'migration_3'")
    conn.commit()
    conn.close()

    store = Store(db)

    assert store.schema_version() == SCHEMA_VERSION
    assert len(document_states(store)) == 5
    assert store.get_meta("migration_3") == "applied"
    store.close()


def test_ingest_into_a_file_that_is_not_sqlite_is_a_one_line_error(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("shopping list\n" * 200)
    result = run("ingest", tmp_path, "--db", junk)
    assert result.exit_code == 3
    no_traceback(result)
    assert "notes.db" in one_error_line(result.output)
    assert junk.read_text() == "shopping list\n" * 200


def test_a_database_folder_that_cannot_be_created_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    result = run("ingest", tmp_path, "--db", blocker / "corpus.db")
    assert result.exit_code == 3
    no_traceback(result)
    assert "cannot create" in one_error_line(result.output)


def test_a_database_locked_by_another_writer_is_a_one_line_error(seeded_db, tmp_path,
                                                                 monkeypatch):
    db = copy_db(seeded_db, tmp_path / "busy.db")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "new.txt").write_text(article(1, "Ana Reyes", "Fresno"), encoding="utf-8")
    holder = sqlite3.connect(str(db), isolation_level=None)
    holder.execute("begin immediate")  # another process in the middle of a write
    monkeypatch.setenv("POLICYCORPUS_BUSY_TIMEOUT", "0.2")
    try:
        result = run("ingest", corpus, "--db", db, "--workers", "1")
    finally:
        holder.execute("rollback")
        holder.close()
    assert result.exit_code == 3, result.output
    no_traceback(result)
    assert "locked" in result.output
    assert query(db, "select count(*) from documents where path = 'new.txt'") == [(0,)]


# -- permissions (a subprocess without root's override when the tests run as root) ------


def run_restricted(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``policycorpus ARGS`` in a subprocess that file permissions apply to."""
    command = [sys.executable, "-m", "policycorpus", *map(str, args)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        dropped = "-dac_override,-dac_read_search"
        command = [setpriv, f"--inh-caps={dropped}", f"--bounding-set={dropped}", "--", *command]
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_unreadable_files_and_folders_are_warnings(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "private").mkdir(parents=True)
    (corpus / "private" / "hidden-away.txt").write_text("Mayor Ann Lee spoke.")
    (corpus / "secret.txt").write_text("Mayor Bob Ray spoke.")
    (corpus / "private").chmod(0)
    (corpus / "secret.txt").chmod(0)
    try:
        result = run_restricted("ingest", corpus, "--db", tmp_path / "c.db", "--workers", "1")
    finally:
        (corpus / "private").chmod(0o755)
        (corpus / "secret.txt").chmod(0o644)
    assert result.returncode == 6, result.stderr  # a document failed: the run went on
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert any(str(corpus / "private") in w and "permission denied" in w for w in warnings)
    assert any(str(corpus / "secret.txt") in w and "cannot read" in w for w in warnings)
    assert summary_count(result.stdout, "failed") == 1
    assert summary_count(result.stdout, "found") == 1


def test_a_read_only_database_can_be_queried_but_not_ingested_into(seeded_db, tmp_path):
    db = copy_db(seeded_db, tmp_path / "shared.db")
    db.chmod(0o444)

    result = run_restricted("ingest", tmp_path, "--db", db)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert "read-only" in one_error_line(result.stderr)

    result = run_restricted("person", "wells", "--db", db, "--sentences", "1")
    assert result.returncode == 0, result.stderr
    assert "Bill Wells" in result.stdout


def test_a_missing_path_on_the_command_line_is_a_one_line_error(tmp_path):
    result = run("ingest", tmp_path / "no-such-folder", "--db", tmp_path / "c.db")
    assert result.exit_code == 4
    no_traceback(result)
    assert "no-such-folder" in one_error_line(result.output)
    assert not (tmp_path / "c.db").exists() or query(
        tmp_path / "c.db", "select count(*) from documents") == [(0,)]
