"""Document identity: a document is its file's resolved path (plus ``#ID`` for a
record), shown by its path relative to the folder given.

Equal names in different folders (every scraped site has an ``index.html``)
are different documents; a record file retires only its own records; an old
database keyed by relative paths is migrated and adopted; a moved folder's
documents follow their files without being processed again.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path


from policycorpus.store.database import Store

from conftest import run, summary_counts



def ingest(*paths: Path, db: Path) -> dict[str, int]:
    """Run ``ingest``; return its counts, checked to add up, and the output."""
    result = run("ingest", *paths, "--db", db, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    counts: dict[str, object] = dict(summary_counts(result.output))
    counts["output"] = result.output  # type: ignore[assignment]
    return counts


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def csv_export(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


SITE_A = "The transit board of Omaha voted on Monday to add night buses on four routes.\n"
SITE_B = "Governor Rosa Delgado of New Mexico signed House Bill 31 on school meals Friday.\n"
EXPORT_1 = [{"title": "Clinic opens in Bangor", "text": "A rural clinic opened in Bangor, Maine, "
             "on Tuesday, the state health department said."},
            {"title": "Dam repairs in Idaho", "text": "The Idaho Department of Water Resources "
             "began repairs on the Mackay dam on Wednesday."}]
EXPORT_2 = [{"title": "Bridge closes in Akron", "text": "The Akron city council closed the "
             "Y-Bridge for repairs on Thursday, the mayor said."},
            {"title": "Library levy in Spokane", "text": "Voters in Spokane approved a library "
             "levy on Tuesday, county officials said."}]


def test_equal_names_in_two_folders_are_two_documents(tmp_path):
    for site, text in (("site-a", SITE_A), ("site-b", SITE_B)):
        (tmp_path / site).mkdir()
        (tmp_path / site / "index.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "corpus.db"

    counts = ingest(tmp_path / "site-a", tmp_path / "site-b", db=db)

    assert counts["ingested"] == 2
    assert sorted(query(db, "select path, text from documents")) == sorted([
        ("index.txt", SITE_A.strip()), ("index.txt", SITE_B.strip())])
    assert sorted(query(db, "select path from document_paths")) == [
        (str((tmp_path / "site-a" / "index.txt").resolve()),),
        (str((tmp_path / "site-b" / "index.txt").resolve()),)]
    assert ingest(tmp_path / "site-a", tmp_path / "site-b", db=db)["unchanged"] == 2


def test_a_record_file_only_retires_its_own_records(tmp_path):
    for folder, rows in (("w1", EXPORT_1), ("w2", EXPORT_2)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "export.csv").write_text(csv_export(rows), encoding="utf-8")
    db = tmp_path / "corpus.db"
    ingest(tmp_path / "w1" / "export.csv", db=db)

    second = ingest(tmp_path / "w2" / "export.csv", db=db)

    assert "removed" not in second["output"]
    assert query(db, "select count(*) from documents") == [(4,)]
    (tmp_path / "w2" / "export.csv").write_text(csv_export(EXPORT_2[:1]), encoding="utf-8")
    third = ingest(tmp_path / "w2" / "export.csv", db=db)
    assert "removed 1 record(s) no longer in" in third["output"]
    titles = {t for (t,) in query(db, "select title from documents")}
    assert titles == {"Clinic opens in Bangor", "Dam repairs in Idaho", "Bridge closes in Akron"}


def test_two_record_files_of_the_same_name_in_one_run(tmp_path):
    for folder, rows in (("w1", EXPORT_1), ("w2", EXPORT_2)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "export.csv").write_text(csv_export(rows), encoding="utf-8")
    db = tmp_path / "corpus.db"

    counts = ingest(tmp_path / "w1", tmp_path / "w2", db=db)

    assert counts["ingested"] == 4
    assert sorted(query(db, "select path from documents")) == [
        ("export.csv#1",), ("export.csv#1",), ("export.csv#2",), ("export.csv#2",)]
    assert query(db, "pragma foreign_key_check") == []


def test_a_moved_folder_keeps_its_documents_under_the_new_paths(tmp_path):
    old = tmp_path / "2024"
    old.mkdir()
    (old / "omaha.txt").write_text(SITE_A, encoding="utf-8")
    (old / "santa-fe.txt").write_text(SITE_B, encoding="utf-8")
    db = tmp_path / "corpus.db"
    ingest(old, db=db)
    ids = dict(query(db, "select path, id from documents"))
    new = tmp_path / "archive" / "2024"
    new.parent.mkdir()
    old.rename(new)

    counts = ingest(new, db=db)

    assert (counts["ingested"], counts["duplicates"]) == (0, 2)  # not processed again
    assert "moved here from" in counts["output"]
    assert dict(query(db, "select path, id from documents")) == ids
    assert sorted(p for (p,) in query(db, "select path from document_paths")) == [
        str(new.resolve() / "omaha.txt"), str(new.resolve() / "santa-fe.txt")]
    assert ingest(new, db=db)["unchanged"] == 2


def make_legacy(db: Path) -> None:
    """Turn a database into one written before migration 7: relative keys, no
    ``name`` column, ``documents.path`` unique."""
    conn = sqlite3.connect(str(db))
    try:
        conn.execute("update document_paths set path = name")
        conn.execute("alter table document_paths drop column name")
        conn.execute("drop index idx_documents_path_shown")
        conn.execute("create unique index idx_documents_path on documents (path)")
        conn.execute("delete from meta where key = 'migration_7'")
        conn.execute("update meta set value = '6' where key = 'schema_version'")
        conn.commit()
    finally:
        conn.close()


def test_a_database_from_before_migration_7_is_migrated_and_its_paths_adopted(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "2023").mkdir(parents=True)
    (corpus / "2023" / "omaha.txt").write_text(SITE_A, encoding="utf-8")
    (corpus / "export.csv").write_text(csv_export(EXPORT_1), encoding="utf-8")
    db = tmp_path / "corpus.db"
    ingest(corpus, db=db)
    make_legacy(db)
    assert sorted(query(db, "select path from document_paths")) == [
        ("2023/omaha.txt",), ("export.csv#1",), ("export.csv#2",)]

    Store(db).close()  # migrates

    assert query(db, "select value from meta where key = 'migration_7'") == [("applied",)]
    assert [c[1] for c in query(db, "pragma table_info(document_paths)")][-1] == "name"
    assert not [i for i in query(db, "pragma index_list(documents)") if i[2]], "path unique"
    counts = ingest(corpus, db=db)
    assert counts["unchanged"] == 3
    root = corpus.resolve()
    assert sorted(query(db, "select path, name from document_paths")) == [
        (f"{root}/2023/omaha.txt", "2023/omaha.txt"), (f"{root}/export.csv#1", "export.csv#1"),
        (f"{root}/export.csv#2", "export.csv#2")]
