"""The same content under two paths is one document with both paths (no spaCy here)."""

from __future__ import annotations

import pytest
from conftest import document_states, run

from policycorpus.corpus.corrections import Corrections
from policycorpus.corpus.reapply import reapply
from policycorpus.store.database import (
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    Store,
)

TEXT = "Mayor Bill Wells met ICE agents in El Cajon."
OTHER = "Sheriff Kelly Martinez spoke in San Diego."


def record(path: str, text: str = TEXT, *, also: tuple[str, ...] = (), version: str = "v1"
           ) -> DocumentRecord:
    """A record with one person mentioned by the first two words after the title."""
    name = " ".join(text.split()[1:3])
    start = text.index(name)
    mention = MentionRecord(start, start + len(name), name, 0, len(text), "PERSON", "test")
    return DocumentRecord(path=path, hash=f"sha-{hash(text)}", text=text, title=text[:20],
                          pipeline_version=version, also=list(also),
                          entities=[EntityRecord("official", name, mentions=[mention])])


def write(store: Store, records: list[DocumentRecord]) -> None:
    """Write documents as ingest does: the store's write, then the corpus layer's."""
    store.write_documents(records)
    reapply(store, Corrections())


def delete(store: Store, paths: list[str]) -> None:
    """Forget paths as ingest does, then reapply."""
    store.delete_documents(paths)
    reapply(store, Corrections())


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "dups.db")
    yield s
    s.close()


def documents(store: Store) -> list[tuple]:
    return store.db.execute("select id, path, text from documents order by id").fetchall()


def paths(store: Store) -> dict[str, int]:
    return dict(store.db.execute("select path, document_id from document_paths"))


def test_two_paths_with_the_same_content_are_one_document(store):
    write(store, [record("inbox/a.txt", also=("archive/a-copy.txt",))])
    ((doc_id, path, text),) = documents(store)
    assert (path, text) == ("inbox/a.txt", TEXT)
    assert paths(store) == {"inbox/a.txt": doc_id, "archive/a-copy.txt": doc_id}
    assert document_states(store) == {"inbox/a.txt": (record("x").hash, "v1"),
                                       "archive/a-copy.txt": (record("x").hash, "v1")}
    assert store.db.execute("select count(*) from mentions").fetchone() == (1,)


def test_add_path_records_a_copy_without_processing_it(store):
    write(store, [record("a.txt")])
    doc_id = store.document_with_content(record("x").hash, "v1")
    assert doc_id is not None
    assert store.document_with_content(record("x").hash, "v2") is None

    store.add_path("copy.txt", doc_id)
    store.add_path("copy.txt", doc_id)  # again: nothing changes

    assert paths(store) == {"a.txt": doc_id, "copy.txt": doc_id}
    assert len(documents(store)) == 1


def test_changing_one_copy_keeps_the_other_copys_document(store):
    write(store, [record("a.txt", also=("b.txt",))])
    ((kept_id, _, _),) = documents(store)
    mentions_before = store.db.execute(
        "select * from mentions where document_id = ?", [kept_id]).fetchall()

    write(store, [record("a.txt", OTHER)])  # a.txt now holds other content

    docs = {path: (doc_id, text) for doc_id, path, text in documents(store)}
    assert docs["b.txt"] == (kept_id, TEXT), "the first path moves to the remaining copy"
    assert docs["a.txt"][1] == OTHER
    assert paths(store) == {"b.txt": kept_id, "a.txt": docs["a.txt"][0]}
    assert store.db.execute("select * from mentions where document_id = ?",
                            [kept_id]).fetchall() == mentions_before
    names = {r[0] for r in store.db.execute("select name from entities")}
    assert names == {"Bill Wells", "Kelly Martinez"}


def test_a_document_goes_with_its_last_path(store):
    write(store, [record("a.txt", also=("b.txt",))])
    delete(store, ["a.txt"])
    assert [p for _, p, _ in documents(store)] == ["b.txt"]
    delete(store, ["b.txt"])
    assert documents(store) == []
    assert paths(store) == {}
    assert store.db.execute("select count(*) from entities").fetchone() == (0,)


def test_reprocessing_one_copy_keeps_one_document_with_every_path(store):
    write(store, [record("a.txt", also=("b.txt",))])
    write(store, [record("b.txt", version="v2")])  # e.g. --force on b.txt alone
    ((doc_id, path, _),) = documents(store)
    assert path == "a.txt", "the first path seen stays the document's path"
    assert paths(store) == {"a.txt": doc_id, "b.txt": doc_id}
    assert store.db.execute("select count(*) from mentions").fetchone() == (1,)
    assert set(document_states(store).values()) == {(record("x").hash, "v2")}


def test_full_text_search_finds_a_copied_document_once(store):
    write(store, [record("a.txt", also=("b.txt", "c.txt"))])
    hits = store.db.execute(
        "select count(*) from documents_fts where documents_fts match 'Wells'").fetchone()
    assert hits == (1,)
    assert store.db.execute("pragma foreign_key_check").fetchall() == []


def test_export_lists_every_path_of_every_document(tmp_path):
    db = tmp_path / "dups.db"
    s = Store(db)
    write(s, [record("a.txt", also=("copies/a.txt",)), record("b.txt", OTHER)])
    s.close()

    result = run("export", "document-paths", "--db", db, "--format", "csv")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "document_id,document,path"
    assert [line.split(",", 1)[1] for line in lines[1:]] == [
        "a.txt,a.txt", "a.txt,copies/a.txt", "b.txt,b.txt"]
