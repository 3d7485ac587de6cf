"""A long document is stored piece by piece, as its pieces finish, with the same rows
as if it had been merged whole (bounded memory, issue 13).

The pipeline here is a toy (no model): every capitalised word is a person,
"Mayor X" makes X an official, and a sentence with "said" is a quotation of
its first name.
"""

from __future__ import annotations

import sqlite3

import pytest
import spacy
from spacy.language import Language

from policycorpus.extraction import ExtractedEntity, Mention, Quote
from policycorpus.ingest import run as ingest_module
from policycorpus.pipeline import extensions  # noqa: F401  (declares doc._.pc_*)
from policycorpus.ingest.run import run_ingest
from policycorpus.store.database import Store

SKIP = {"Mayor", "The", "On"}


@Language.component("test_piecewriter_people")
def people(doc):
    if "EXPLODE" in doc.text:
        raise RuntimeError("the component cannot read this piece")
    found: dict[tuple[str, str], list[Mention]] = {}
    quotes = []
    for sent in doc.sents:
        speaker = None
        for token in sent:
            if not (token.text[:1].isupper() and token.is_alpha) or token.text in SKIP:
                continue
            official = token.i > 0 and doc[token.i - 1].text == "Mayor"
            key = ("official" if official else "person", token.text)
            found.setdefault(key, []).append(Mention(
                token.idx, token.idx + len(token), token.text, sent.start_char, sent.end_char,
                label="PERSON", source="test"))
            speaker = speaker or token
        if speaker is not None and any(t.text == "said" for t in sent):
            quotes.append(Quote(sent.start_char, sent.end_char, sent.text, "person",
                                speaker.text, speaker.idx, speaker.idx + len(speaker),
                                kind="indirect"))
    doc._.pc_entities = [
        ExtractedEntity(type_, name, aliases=(name,), role="Mayor" if type_ == "official" else "",
                        mentions=tuple(mentions))
        for (type_, name), mentions in found.items()]
    doc._.pc_quotes = quotes
    return doc


@pytest.fixture(autouse=True)
def toy_pipeline(monkeypatch):
    def build():
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("test_piecewriter_people")
        return nlp
    monkeypatch.setattr("policycorpus.pipeline.build.build", build)


def long_text(paragraphs: int = 30, middle: str = "") -> str:
    parts = [f"On day {i} Wells said the board of Ashford met about the jail."
             for i in range(paragraphs)]
    if middle:
        parts.insert(paragraphs // 2, middle)
    return "\n\n".join(parts + ["Mayor Wells closed the session with Ortega."])


def ingest(tmp_path, name, files, *, chunk, monkeypatch):
    folder = tmp_path / f"{name}-files"
    folder.mkdir()
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    monkeypatch.setattr("policycorpus.pipeline.chunking.DEFAULT_CHUNK_CHARS", chunk)
    store = Store(tmp_path / f"{name}.db")
    events = list(run_ingest(store, [folder], workers=1,
                             corrections=tmp_path / "none.toml"))
    return store, events


def rows(store: Store) -> dict[str, list[tuple]]:
    """Everything stored about the documents, without ids."""
    sql = {
        "mentions": "select d.path, e.type, e.name, m.start, m.end, m.sent_start, m.sent_end"
                    " from mentions m join entities e on e.id = m.entity_id"
                    " join documents d on d.id = m.document_id",
        "extracted": "select d.path, x.type, x.name, x.role, count(m.id) from extracted_entities x"
                     " join documents d on d.id = x.document_id left join extracted_mentions m"
                     " on m.extracted_entity_id = x.id group by x.id",
        "roles": "select e.name, r.title from roles r join entities e on e.id = r.entity_id",
        "quotes": "select e.type, e.name, q.start, q.end from quotes q"
                  " join entities e on e.id = q.entity_id",
        "aliases": "select e.type, e.name, a.alias from aliases a join entities e"
                   " on e.id = a.entity_id",
        "entities": "select type, name from entities",
        "documents": "select path, words, substr(text, 1, 40) from documents",
    }
    return {k: sorted(store.db.execute(v).fetchall()) for k, v in sql.items()}


def test_a_long_document_in_pieces_is_stored_as_if_whole(tmp_path, monkeypatch):
    files = {"long.txt": long_text(), "short.txt": "Mayor Ortega said the jail stays open."}
    pieces, events = ingest(tmp_path, "pieces", files, chunk=200, monkeypatch=monkeypatch)
    # the same pieces merged in memory (``merge_entities``) and written whole
    merged = ingest_module.pipe_documents
    monkeypatch.setattr(ingest_module, "pipe_documents",
                        lambda *a, **k: merged(*a, **{**k, "stream": False}))
    whole, whole_events = ingest(tmp_path, "whole", files, chunk=200, monkeypatch=monkeypatch)
    assert "piece" not in [e.kind for e in whole_events]
    assert [e.kind for e in events].count("piece") > 10
    assert rows(pieces) == rows(whole)
    wells = [r for r in rows(pieces)["extracted"] if r[2] == "Wells"]
    assert wells == [("long.txt", "official", "Wells", "Mayor", 31)], "the person joined the mayor"
    assert {q[:2] for q in rows(pieces)["quotes"]} == {("official", "Wells"),
                                                        ("official", "Ortega")}


def test_each_piece_is_written_when_it_finishes_with_an_event(tmp_path, monkeypatch):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "long.txt").write_text(long_text(), encoding="utf-8")
    monkeypatch.setattr("policycorpus.pipeline.chunking.DEFAULT_CHUNK_CHARS", 200)
    store = Store(tmp_path / "corpus.db")
    written = []
    pieces = []
    for event in run_ingest(store, [folder], workers=1, corrections=tmp_path / "none.toml"):
        if event.kind == "piece":
            pieces.append(event.message)
            written.append(store.db.execute("select count(*) from extracted_mentions"
                                            ).fetchone()[0])
    assert pieces[0] == f"piece 1 of {len(pieces)}" and pieces[-1].startswith(f"piece {len(pieces)} ")
    assert written == sorted(written) and written[0] > 0 and len(set(written)) == len(written)
    # outside the ingest's transaction nothing was visible until the document was complete
    assert store.db.execute("select count(*) from documents").fetchone()[0] == 1


def test_a_piece_that_fails_leaves_no_trace_of_its_document(tmp_path, monkeypatch):
    files = {"long.txt": long_text(middle="Then EXPLODE happened."),
             "short.txt": "Mayor Ortega said the jail stays open."}
    store, events = ingest(tmp_path, "bad", files, chunk=200, monkeypatch=monkeypatch)
    failed = [e for e in events if e.kind == "failed"]
    assert [e.path for e in failed] == ["long.txt"] and "cannot read" in failed[0].message
    assert rows(store)["documents"][0][0] == "short.txt" and len(rows(store)["documents"]) == 1
    assert \
        {name for _, name in rows(store)["entities"]} == {"Ortega"}


def test_a_run_stopped_inside_a_long_document_rolls_it_back(tmp_path, monkeypatch):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "long.txt").write_text(long_text(), encoding="utf-8")
    monkeypatch.setattr("policycorpus.pipeline.chunking.DEFAULT_CHUNK_CHARS", 200)
    store = Store(tmp_path / "corpus.db")
    run = run_ingest(store, [folder], workers=1, corrections=tmp_path / "none.toml")
    next(e for e in run if e.kind == "piece" and e.message.startswith("piece 3 "))
    run.close()  # what Ctrl-C does to the generator
    conn = sqlite3.connect(tmp_path / "corpus.db")
    assert conn.execute("select count(*) from documents").fetchone()[0] == 0
    assert conn.execute("select count(*) from extracted_mentions").fetchone()[0] == 0
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
