"""The store: its schema, idempotent ingests, per-document replacement, atomic batches."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import SEED_NAMES, SEEDS, copy_db, document_states, run, summary_count

from policycorpus.corpus.corrections import Corrections
from policycorpus.corpus.reapply import reapply
from policycorpus.errors import DatabaseError
from policycorpus.store.database import (
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    Store,
)
from policycorpus.store.migrations import SCHEMA_VERSION
from conftest import rows

TABLES = ["documents", "entities", "aliases", "mentions", "roles", "meta"]


def counts(db_path: str | Path) -> dict[str, int]:
    conn = sqlite3.connect(str(db_path))
    try:
        return {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0]
                for t in TABLES + ["documents_fts"]}
    finally:
        conn.close()




# -- schema ----------------------------------------------------------------------------


def test_a_new_store_has_the_schema(tmp_path):
    store = Store(tmp_path / "new.db")
    names = set(store.db.table_names())
    assert set(TABLES) | {"documents_fts"} <= names
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert store.schema_version() == SCHEMA_VERSION
    fks = {t: {(fk.column, fk.other_table, fk.other_column) for fk in store.db[t].foreign_keys}
           for t in ("mentions", "aliases", "roles")}
    assert fks["mentions"] == {("document_id", "documents", "id"), ("entity_id", "entities", "id")}
    assert fks["aliases"] == {("entity_id", "entities", "id")}
    assert fks["roles"] == {("entity_id", "entities", "id"), ("document_id", "documents", "id")}
    assert store.db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert store.db["documents"].detect_fts() == "documents_fts"
    unique = {tuple(i.columns) for i in store.db["entities"].indexes if i.unique}
    assert ("type", "name") in unique
    store.close()


def test_reopening_keeps_the_version_and_the_rows(tmp_path):
    path = tmp_path / "c.db"
    store = Store(path)
    store.write_documents([record("a.txt", "Mayor Bill Wells spoke.", person=["Bill Wells"])])
    store.close()
    again = Store(path, create=False)
    assert again.schema_version() == SCHEMA_VERSION
    assert again.db["documents"].count == 1
    again.close()


def test_store_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "future.db"
    store = Store(path)
    store.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    store.close()
    with pytest.raises(DatabaseError, match="newer"):
        Store(path)


def test_store_refuses_another_sqlite_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="not a policycorpus"):
        Store(path)


def test_store_without_create_does_not_make_a_file(tmp_path):
    with pytest.raises(DatabaseError):
        Store(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_seeded_database_is_consistent(seeded_db):
    assert rows(seeded_db, "pragma foreign_key_check") == []
    assert rows(seeded_db, "pragma integrity_check") == [("ok",)]
    assert sorted(r[0] for r in rows(seeded_db, "select path from documents")) == SEED_NAMES
    assert rows(seeded_db, "select count(*) from entities where id not in"
                           " (select entity_id from mentions)") == [(0,)]
    types = {r[0] for r in rows(seeded_db, "select distinct type from entities")}
    assert types <= {"official", "person", "agency", "organization", "law", "place"}
    assert rows(seeded_db, "select count(*) from documents_fts where documents_fts match 'sanctuary'")[0][0] >= 3


# -- ingest is idempotent --------------------------------------------------------------


def test_ingesting_the_same_files_again_changes_nothing(seeded_db, tmp_path):
    db = copy_db(seeded_db, tmp_path / "corpus.db")
    before = counts(db)
    names_before = set(rows(db, "select type, name from entities"))
    mentions_before = rows(db, "select * from mentions order by id")

    result = run("ingest", SEEDS, "--db", db, "--workers", "1")

    assert result.exit_code == 0, result.output
    assert summary_count(result.output, "unchanged") == 5
    assert summary_count(result.output, "ingested") == 0
    assert counts(db) == before
    assert set(rows(db, "select type, name from entities")) == names_before
    assert rows(db, "select * from mentions order by id") == mentions_before


def test_a_changed_file_replaces_only_its_own_rows(seeded_db, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = copy_db(seeded_db, tmp_path / "corpus.db", moved=(SEEDS, corpus))  # as if `ingest
    # corpus` had run once
    changed = "001_ddca239829a7ee9d.txt"
    others = [n for n in SEED_NAMES if n != changed]

    def doc_rows(name: str) -> tuple[list[tuple], list[tuple]]:
        doc = rows(db, "select * from documents where path = ?", (name,))
        ments = rows(db, "select m.* from mentions m join documents d on d.id = m.document_id"
                         " where d.path = ? order by m.id", (name,))
        return doc, ments

    before = {name: doc_rows(name) for name in others}
    assert ("Nancy Pelosi",) in rows(db, "select name from entities")

    path = corpus / changed
    text = path.read_text(encoding="utf-8")
    assert text.count("Nancy Pelosi") == 1
    path.write_text(text.replace("Nancy Pelosi", "Gavin Newsom"), encoding="utf-8")

    result = run("ingest", corpus, "--db", db, "--workers", "1")

    assert result.exit_code == 0, result.output
    assert summary_count(result.output, "ingested") == 1
    assert summary_count(result.output, "unchanged") == 4
    for name in others:
        assert doc_rows(name) == before[name], name
    (doc,), _ = doc_rows(changed)
    new_text = rows(db, "select text from documents where path = ?", (changed,))[0][0]
    assert "Gavin Newsom" in new_text and "Nancy Pelosi" not in new_text
    mentions = rows(db, "select m.start, m.end, m.text, e.name from mentions m"
                        " join documents d on d.id = m.document_id"
                        " join entities e on e.id = m.entity_id where d.path = ?", (changed,))
    assert all(new_text[start:end] == surface for start, end, surface, _ in mentions)
    names = {name for *_, name in mentions}
    assert "Gavin Newsom" in names
    assert "Nancy Pelosi" not in names
    # Nancy Pelosi was only in the changed file: her entity and aliases are gone.
    assert rows(db, "select count(*) from entities where name = 'Nancy Pelosi'") == [(0,)]
    assert rows(db, "select count(*) from aliases where alias = 'Nancy Pelosi'") == [(0,)]
    assert rows(db, "select count(*) from documents") == [(5,)]
    assert rows(db, "pragma foreign_key_check") == []
    assert rows(db, "select count(*) from documents_fts where documents_fts match 'Newsom'") == [(1,)]
    assert rows(db, "select count(*) from documents_fts where documents_fts match 'Pelosi'") == [(0,)]


# -- write_documents with hand-made records (no spaCy) ---------------------------------


def record(path: str, text: str, *, roles: dict[str, str] | None = None,
           **surfaces_by_type: list[str]) -> DocumentRecord:
    """A DocumentRecord whose entities are found by plain string search in ``text``.

    ``person=["Bill Wells", "Wells"]`` makes one person named by the first surface,
    mentioned wherever any of the surfaces occurs.
    """
    entities = []
    for type_, surfaces in surfaces_by_type.items():
        name = surfaces[0]
        mentions = []
        taken: set[int] = set()
        for surface in surfaces:
            for match in re.finditer(re.escape(surface), text):
                if any(i in taken for i in range(match.start(), match.end())):
                    continue
                taken.update(range(match.start(), match.end()))
                mentions.append(MentionRecord(match.start(), match.end(), surface, 0, len(text),
                                              label=type_, source="test"))
        role = (roles or {}).get(name, "")
        entities.append(EntityRecord(type_, name, role=role,
                                     mentions=sorted(mentions, key=lambda m: m.start)))
    return DocumentRecord(path=path, hash=f"hash-of-{path}-{len(text)}", text=text,
                          title=text.split(".")[0], pipeline_version="test", entities=entities)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "unit.db")
    yield s
    s.close()


def snapshot(store: Store) -> dict[str, list[tuple]]:
    return {t: store.db.execute(f"select * from [{t}] order by 1").fetchall()
            for t in ("documents", "entities", "aliases", "mentions", "roles")}


def write(store: Store, records: list[DocumentRecord]) -> int:
    """Write documents as ingest does: the store's write, then the corpus layer's."""
    count = store.write_documents(records)
    reapply(store, Corrections())
    return count


def test_write_documents_stores_the_extraction_and_reapply_the_entities(store):
    count = store.write_documents([
        record("a.txt", "Mayor Bill Wells met ICE. Wells spoke.",
               official=["Bill Wells", "Wells"], organization=["ICE"],
               roles={"Bill Wells": "Mayor"}),
    ])
    assert count == 1
    assert store.db.execute("select type, name, role from extracted_entities order by id"
                            ).fetchall() == [("official", "Bill Wells", "Mayor"),
                                             ("organization", "ICE", "")]
    assert store.db["extracted_mentions"].count == 3
    # ingest writes no entity, alias, role or mention: the corpus layer does
    assert [store.db[t].count for t in ("entities", "aliases", "roles", "mentions")] == [0] * 4
    assert store.awaiting_reapply()

    reapply(store, Corrections())

    assert not store.awaiting_reapply()
    wells = store.db.execute("select id from entities where name = 'Bill Wells'").fetchone()[0]
    assert store.db.execute("select count(*) from mentions where entity_id = ?",
                            [wells]).fetchone()[0] == 2
    aliases = {r[0] for r in store.db.execute("select alias from aliases where entity_id = ?",
                                              [wells])}
    assert aliases == {"Bill Wells", "Wells"}
    assert store.db.execute("select title from roles where entity_id = ?",
                            [wells]).fetchall() == [("Mayor",)]
    assert document_states(store) == {"a.txt": ("hash-of-a.txt-38", "test")}


def test_rewriting_a_document_replaces_its_rows_and_reapply_drops_orphans(store):
    write(store, [
        record("a.txt", "Bill Wells met ICE.", person=["Bill Wells"], organization=["ICE"]),
        record("b.txt", "ICE came to Oakland.", organization=["ICE"], place=["Oakland"]),
    ])
    b_before = store.db.execute(
        "select m.* from mentions m join documents d on d.id = m.document_id"
        " where d.path = 'b.txt' order by m.id").fetchall()

    write(store, [record("a.txt", "Rob Bonta sued.", person=["Rob Bonta"])])

    names = {r[0] for r in store.db.execute("select name from entities")}
    assert names == {"Rob Bonta", "ICE", "Oakland"}  # ICE is kept: b.txt still mentions it
    assert store.db.execute("select count(*) from aliases where alias = 'Bill Wells'"
                            ).fetchone()[0] == 0
    assert store.db.execute(
        "select m.* from mentions m join documents d on d.id = m.document_id"
        " where d.path = 'b.txt' order by m.id").fetchall() == b_before
    assert store.db["documents"].count == 2


def test_a_failing_batch_leaves_no_partial_document(store, monkeypatch):
    write(store, [record("a.txt", "Bill Wells met ICE.", person=["Bill Wells"],
                         organization=["ICE"])])
    before = snapshot(store)
    original = store._insert_document
    calls = []

    def insert_then_fail(rec, now):
        calls.append(rec.path)
        if len(calls) > 1:
            raise RuntimeError("disk on fire")
        return original(rec, now)

    monkeypatch.setattr(store, "_insert_document", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.write_documents([
            record("a.txt", "Rob Bonta sued El Cajon.", person=["Rob Bonta"],
                   place=["El Cajon"]),
            record("b.txt", "ICE came to Oakland.", organization=["ICE"], place=["Oakland"]),
        ])
    assert calls == ["a.txt", "b.txt"]  # the first document was written before the error
    assert snapshot(store) == before
    assert not store.db.conn.in_transaction

    monkeypatch.undo()
    store.write_documents([record("b.txt", "ICE came to Oakland.", organization=["ICE"],
                                  place=["Oakland"])])
    assert store.db["documents"].count == 2


def test_a_failure_inside_one_document_leaves_no_document_row(store, monkeypatch):
    from policycorpus.store.extracted import ExtractedRows

    def fail(*args, **kwargs):
        raise RuntimeError("mention table locked")

    monkeypatch.setattr(ExtractedRows, "mention", fail)
    with pytest.raises(RuntimeError):
        store.write_documents([record("a.txt", "Bill Wells met ICE.", person=["Bill Wells"])])
    assert store.db["documents"].count == 0
    assert store.db["extracted_entities"].count == 0
    assert store.db.execute("select count(*) from documents_fts").fetchone()[0] == 0


def test_delete_documents_removes_their_rows_and_reapply_their_lone_entities(store):
    write(store, [
        record("a.txt", "Bill Wells met ICE.", person=["Bill Wells"], organization=["ICE"]),
        record("b.txt", "ICE came to Oakland.", organization=["ICE"], place=["Oakland"]),
    ])
    store.delete_documents(["a.txt"])
    assert [r[0] for r in store.db.execute("select path from documents")] == ["b.txt"]
    assert store.db.execute("select count(*) from mentions where text = 'Bill Wells'"
                            ).fetchone()[0] == 0
    assert store.awaiting_reapply()

    reapply(store, Corrections())

    assert {r[0] for r in store.db.execute("select name from entities")} == {"ICE", "Oakland"}
    assert store.db.execute("select count(*) from aliases where alias = 'Bill Wells'"
                            ).fetchone()[0] == 0
    assert store.db.execute("pragma foreign_key_check").fetchall() == []


def test_atomic_blocks_nest_and_roll_back_together(store):
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.set_meta("outer", "1")
            with store.atomic():
                store.set_meta("inner", "1")
            raise RuntimeError("abort")
    assert store.get_meta("outer") == ""
    assert store.get_meta("inner") == ""


def test_an_officials_roles_in_some_documents_are_found_by_one_seek_each(tmp_path):
    # a report reads the roles of a name's recent documents: the planner must not
    # read every role of a name found in hundreds of thousands of documents
    store = Store(tmp_path / "c.db")
    plan = " ".join(str(r) for r in store.db.execute(
        "explain query plan select title from roles where entity_id = ?"
        " and document_id in (select value from json_each(?))", [1, "[1, 2]"]))
    assert "idx_roles_entity_document (entity_id=? AND document_id=?)" in plan
