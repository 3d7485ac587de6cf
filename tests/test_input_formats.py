"""Ingesting a folder of every input format: each file or record is a document with its
metadata, goes through the same pipeline, and follows the same idempotency rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import copy_db, run, summary_count
from format_fixtures import MIXED, write
from conftest import rows




def entities_in(db: str | Path, path: str) -> set[tuple[str, str]]:
    """(type, name) of the entities of one document."""
    return set(rows(db, "select distinct e.type, e.name from mentions m"
                        " join entities e on e.id = m.entity_id"
                        " join documents d on d.id = m.document_id where d.path = ?", (path,)))


def test_every_format_becomes_documents_with_its_format_and_date(formats_db):
    db, _corpus, result = formats_db

    assert summary_count(result.output, "found") == len(MIXED) + 1
    assert summary_count(result.output, "ingested") == len(MIXED)
    assert summary_count(result.output, "skipped") == 1
    assert "scan.pdf: no text layer in 1 page(s), probably a scan; run OCR on it first" in \
        " ".join(result.output.split())
    stored = {path: (fmt, published) for path, fmt, published in
              rows(db, "select path, source_format, published from documents")}
    assert stored == {path: (fmt, published) for path, (fmt, published, _) in MIXED.items()}


def test_metadata_of_each_format_is_stored(formats_db):
    db, _corpus, _result = formats_db
    meta = {r[0]: r[1:] for r in rows(
        db, "select path, title, byline, outlet, url, dateline from documents")}

    assert meta["fresno.html"] == ("Fresno council ends 287(g) deal with ICE", "Ana Ruiz",
                                   "The Valley Ledger",
                                   "https://valleyledger.example/news/fresno-ice", "FRESNO")
    assert meta["resolution.pdf"][0] == "Resolution No. 2025-114"
    assert meta["letter.docx"][:2] == ("Letter on SB 54", "Lee Chen")
    assert meta["wire.jsonl#w1"] == ("Madera sheriff limits ICE access to jail", "Tom Baker", "",
                                     "https://wire.example/w1", "MADERA, Calif.")
    assert meta["archive.csv#1"][3:] == ("https://archive.example/1", "VISALIA")


def test_entities_are_extracted_from_every_format(formats_db):
    db, _corpus, _result = formats_db
    ice = ("agency", "U.S. Immigration and Customs Enforcement")

    for path in MIXED:
        assert ice in entities_in(db, path), path
    assert ("official", "Jerry Dyer") in entities_in(db, "fresno.html")
    assert ("official", "Jerry Dyer") in entities_in(db, "archive.csv#2")
    assert ("official", "Margaret Mims") in entities_in(db, "resolution.pdf")
    assert ("official", "Tyson Pogue") in entities_in(db, "wire.jsonl#w1")
    assert ("law", "SB 54") in entities_in(db, "letter.docx")
    assert ("law", "SB 54") in entities_in(db, "wire.jsonl#2")
    # the PDF's hyphenated "agree-" "ment" and the HTML chrome did not reach the text
    pdf_text, = rows(db, "select text from documents where path = 'resolution.pdf'")[0]
    assert "renew its agreement, the Board" in pdf_text
    html_text, = rows(db, "select text from documents where path = 'fresno.html'")[0]
    assert "Subscribe" not in html_text and "taqueria" not in html_text


def test_mentions_point_into_the_stored_text_of_every_format(formats_db):
    db, _corpus, _result = formats_db
    for text, start, end, surface in rows(
            db, "select d.text, m.start, m.end, m.text from mentions m"
                " join documents d on d.id = m.document_id"):
        assert text[start:end] == surface


def test_a_second_ingest_skips_every_unchanged_document_and_record(formats_db, tmp_path):
    db, corpus, _result = formats_db
    copy = copy_db(db, tmp_path / "again.db")

    result = run("ingest", corpus, "--db", copy, "--workers", "1")

    assert result.exit_code == 0, result.output
    assert summary_count(result.output, "unchanged") == len(MIXED)
    assert summary_count(result.output, "ingested") == 0
    assert rows(copy, "select path, hash from documents order by path") == \
        rows(db, "select path, hash from documents order by path")


def test_editing_one_record_reprocesses_only_it_and_removed_records_go(formats_db, tmp_path):
    _db, corpus, _result = formats_db
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    copy = tmp_path / "edited.db"  # documents are keyed by their absolute path: ingest the copy
    assert run("ingest", folder, "--db", copy, "--workers", "1").exit_code == 0
    before = dict(rows(copy, "select path, id from documents"))
    wire = folder / "wire.jsonl"
    records = [json.loads(line) for line in wire.read_text(encoding="utf-8").splitlines()]
    records[0]["text"] = records[0]["text"].replace("Tyson Pogue", "Rick Hill")
    write(wire, "\n".join(json.dumps(r) for r in records[:2]) + "\n")  # w3 is gone

    result = run("ingest", folder, "--db", copy, "--workers", "1")

    assert result.exit_code == 0, result.output
    assert summary_count(result.output, "ingested") == 1
    assert summary_count(result.output, "unchanged") == len(MIXED) - 2
    assert "removed 1 record(s) no longer in" in result.output
    after = dict(rows(copy, "select path, id from documents"))
    assert set(after) == set(before) - {"wire.jsonl#w3"}
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {"wire.jsonl#w1"}
    assert ("official", "Rick Hill") in entities_in(copy, "wire.jsonl#w1")
    assert rows(copy, "select count(*) from entities where name = 'Tyson Pogue'") == [(0,)]


def test_record_field_options_name_the_columns_of_an_export(tmp_path):
    export = write(tmp_path / "feed.tsv",
                   "guid\tstory\twhen\n"
                   "k-7\tSheriff Kelly Martinez said deputies will not hold people for ICE."
                   "\t2025-06-30\n")

    skipped = run("ingest", export, "--db", tmp_path / "a.db")
    assert skipped.exit_code == 0, skipped.output
    assert "no text column (looked for: text, content, body); name it with --text-field" \
        in " ".join(skipped.output.split())
    assert summary_count(skipped.output, "skipped") == 1

    result = run("ingest", export, "--db", tmp_path / "b.db", "--workers", "1",
                 "--text-field", "story", "--date-field", "when", "--id-field", "guid")

    assert result.exit_code == 0, result.output
    assert summary_count(result.output, "ingested") == 1
    assert rows(tmp_path / "b.db", "select path, published, source_format from documents") == \
        [("feed.tsv#k-7", "2025-06-30", "csv")]
    assert ("official", "Kelly Martinez") in entities_in(tmp_path / "b.db", "feed.tsv#k-7")


def test_ingest_help_documents_the_formats_and_record_options():
    result = run("ingest", "--help")
    assert result.exit_code == 0
    for text in ("HTML, PDF, Word", "FILE#ID", "--text-field", "--title-field", "--date-field",
                 "--url-field", "--id-field", "Example:"):
        assert text in result.output


def test_a_missing_format_library_skips_its_files_and_says_which_extra(tmp_path, monkeypatch):
    import sys

    from format_fixtures import html_page

    page = write(tmp_path / "in" / "page.html", html_page(title="A page", paragraphs=["Text."]))
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if the html extra were missing

    result = run("ingest", page.parent, "--db", tmp_path / "c.db")

    assert result.exit_code == 0, result.output
    assert ("skipped " + str(page) + ": reading page.html needs the html extra: "
            "pip install 'policycorpus[html]'") in " ".join(result.output.split())
    assert summary_count(result.output, "skipped") == 1
    assert rows(tmp_path / "c.db", "select count(*) from documents") == [(0,)]


# -- schema ------------------------------------------------------------------------------


def test_migration_4_adds_the_source_columns_to_an_older_database(tmp_path):
    import sqlite_utils

    from policycorpus.store.database import Store
    from policycorpus.store.migrations import (
        SCHEMA_VERSION,
        m001_initial,
        m004_document_sources,
    )

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    m001_initial(db)
    db["meta"].insert({"key": "schema_version", "value": "1"})
    db["documents"].insert({"path": "a.txt", "hash": "h", "text": "Old text."})
    db["documents"].add_column("url", str)  # as if another branch's migration had added it
    db.close()

    store = Store(path)

    assert store.schema_version() == SCHEMA_VERSION
    columns = store.db["documents"].columns_dict
    assert {"url", "dateline", "source_format"} <= set(columns)
    assert rows(path, "select path, text, source_format from documents") == \
        [("a.txt", "Old text.", None)]
    m004_document_sources(store.db)  # running it again changes nothing
    assert store.db["documents"].columns_dict == columns
    store.close()
