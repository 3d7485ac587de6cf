"""The cluster engine's two steps without a cluster: shards written and read back,
and extract + merge run in this process giving what the embedded ingest gives.

The Dask cluster itself is exercised in ``test_dask_cluster.py`` (slow)."""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from cluster_fixtures import contents, write_corpus
from conftest import run

from policycorpus.errors import InputError
from policycorpus.extraction import ExtractedEntity, Quote
from policycorpus.ingest import cluster as cluster_engine
from policycorpus.ingest import extract
from policycorpus.ingest.extract import ExtractTask, ShardInfo
from policycorpus.ingest.run import run_ingest
from policycorpus.ingest.shards import ShardWriter, read_shard, shard_path
from policycorpus.pipeline.chunking import Piece
from policycorpus.plain import from_plain
from policycorpus.records import Summary
from policycorpus.store.database import (
    DocumentRecord,
    EntityRecord,
    MentionRecord,
    QuoteRecord,
    RelationRecord,
    Store,
)


class InProcess:
    """An executor that runs each task at once, here (what a cluster does elsewhere)."""

    workers = 1

    def __init__(self) -> None:
        self.tasks: list[ExtractTask] = []

    def submit(self, fn: Callable[[ExtractTask], ShardInfo], task: ExtractTask) -> Future:
        self.tasks.append(task)
        future: Future = Future()
        try:
            future.set_result(fn(task))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def cancel(self, futures: list[Any]) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def loaded(nlp, monkeypatch):
    """``extract`` in this process uses the session's pipeline instead of building one."""
    monkeypatch.setattr(extract, "_pipeline", nlp)
    return nlp


def _record() -> DocumentRecord:
    text = "Sheriff Ana Ruiz of Pima County said SB 9 helps. \udcff"
    mention = MentionRecord(8, 16, "Ana Ruiz", 0, 49, "PERSON", "model", "PERSON", "title")
    return DocumentRecord(
        path="/in/a\udcffb.txt", hash="abc", text=text, title="Sheriff", published="2026-01-02",
        pipeline_version="v", names={"/in/a\udcffb.txt": "a\\xffb.txt"}, also=["/in/c.txt"],
        entities=[EntityRecord("official", "Ana Ruiz", "Sheriff", "Pima County",
                               "ocd-person/0001", mentions=[mention]),
                  EntityRecord("law", "SB 9")],
        quotes=[QuoteRecord(30, 40, "helps", "official", "Ana Ruiz", 8, 16, "Ana Ruiz", "said")],
        relations=[RelationRecord("support", "official", "Ana Ruiz", 8, 16, "SB 9", 37, 41,
                                  42, 47, 0, 49, cue="helps")])


def test_a_record_goes_through_a_shard_unchanged(tmp_path):
    record = _record()
    piece = Piece(None, 2, 3, [ExtractedEntity("place", "Tucson")],
                  [Quote(1, 2, "a", "official", "Ana Ruiz", 8, 16)], [])
    path = shard_path(tmp_path, record.path)
    with ShardWriter(path, key=record.path) as shard:
        shard.write("document", record=record)
        shard.write("piece", key=record.path, piece={"number": 2, "count": 3,
                                                     "entities": piece.entities,
                                                     "quotes": piece.quotes, "relations": []})
        shard.commit()
    header, document, piece_line = list(read_shard(path))
    assert header["key"] == record.path
    assert from_plain(DocumentRecord, document["record"]) == record
    assert from_plain(Piece, piece_line["piece"], context=None) == piece
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_a_shard_path_follows_from_the_key_alone(tmp_path):
    assert shard_path(tmp_path, "/a/b.txt") == shard_path(tmp_path, "/a/b.txt")
    assert shard_path(tmp_path, "/a/b.txt") != shard_path(tmp_path, "/a/c.txt")


def test_an_unfinished_shard_leaves_nothing_and_a_cut_one_is_refused(tmp_path):
    path = shard_path(tmp_path, "/x.txt")
    with pytest.raises(RuntimeError), ShardWriter(path, key="/x.txt") as shard:
        shard.write("document", record=_record())
        raise RuntimeError("worker stopped")
    assert list(tmp_path.iterdir()) == []
    with gzip.open(path, "wt") as handle:  # a shard without its last line
        handle.write('{"kind":"header","format":1}\n{"kind":"document","record":{}}\n')
    with pytest.raises(InputError, match="incomplete"):
        list(read_shard(path))


def _ingest(engine: str, corpus: Path, db: Path, executor: Any = None) -> Summary:
    summary = Summary()
    store = Store(db)
    try:
        if engine == "embedded":
            events = run_ingest(store, [corpus], workers=1, summary=summary)
        else:
            events = cluster_engine.run_cluster_ingest(store, [corpus], summary=summary,
                                                       executor=executor,
                                                       shards=db.parent / "shards")
        list(events)
    finally:
        store.close()
    return summary


def _counts(summary: Summary) -> tuple[int, ...]:
    return (summary.found, summary.ingested, summary.unchanged, summary.skipped,
            summary.failed, summary.duplicates, summary.words)


def test_extract_and_merge_give_the_tables_and_counts_of_the_embedded_ingest(loaded, tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    embedded = _ingest("embedded", corpus, tmp_path / "embedded.db")
    executor = InProcess()
    merged = _ingest("cluster", corpus, tmp_path / "merged.db", executor)
    assert _counts(merged) == _counts(embedded)
    assert merged.found == (merged.ingested + merged.unchanged + merged.skipped
                            + merged.failed + merged.duplicates)
    assert (merged.ingested, merged.skipped, merged.duplicates) == (16, 3, 1)
    assert contents(tmp_path / "merged.db") == contents(tmp_path / "embedded.db")
    # one task per file with something to send; a copy of a document in flight is not sent
    sent = {task.source.name for task in executor.tasks}
    assert "copies/ventura-budget.txt" in sent and "nm/ventura-budget.txt" not in sent
    assert len(sent) == len(executor.tasks)
    assert not (tmp_path / "shards").exists()  # every shard merged, then removed


def test_a_rerun_stores_nothing_and_changed_records_alone_are_sent(loaded, tmp_path):
    corpus = write_corpus(tmp_path / "corpus", long=False)
    _ingest("cluster", corpus, tmp_path / "c.db", InProcess())
    before = contents(tmp_path / "c.db")
    again = InProcess()
    summary = _ingest("cluster", corpus, tmp_path / "c.db", again)
    # only what was never stored is sent again: the empty files and the empty record
    assert sorted(task.source.name for task in again.tasks) == [
        "copies/empty.txt", "empty.txt", "exports/wire.jsonl"]
    assert again.tasks[-1].wants(f"{(corpus / 'exports' / 'wire.jsonl').resolve()}#r3")
    assert not again.tasks[-1].wants(f"{(corpus / 'exports' / 'wire.jsonl').resolve()}#r1")
    assert summary.ingested == 0
    assert summary.unchanged + summary.skipped + summary.duplicates == summary.found
    assert contents(tmp_path / "c.db") == before
    wire = corpus / "exports" / "wire.jsonl"
    lines = wire.read_text().splitlines()
    wire.write_text("\n".join([lines[0].replace("Tuesday", "Monday"), lines[1]]) + "\n")
    changed = InProcess()
    summary = _ingest("cluster", corpus, tmp_path / "c.db", changed)
    (task,) = [t for t in changed.tasks if t.source.name == "exports/wire.jsonl"]
    assert [task.wants(f"{wire.resolve()}#{i}") for i in ("r1", "r2")] == [True, False]
    assert summary.ingested == 1
    paths = {p for (p,) in Store(tmp_path / "c.db").db.execute(
        "select path from document_paths where path like ?", [f"{wire.resolve()}#%"])}
    assert paths == {f"{wire.resolve()}#r1", f"{wire.resolve()}#r2"}  # r3 retired


def test_a_task_that_fails_counts_its_documents_failed_and_the_run_goes_on(
        loaded, tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", long=False)
    real = extract.extract_file

    def flaky(task: ExtractTask) -> ShardInfo:
        if task.source.name.endswith("tenant-union.txt"):
            raise InputError("worker lost its disk")
        return real(task)

    monkeypatch.setattr(cluster_engine, "extract_file", flaky)
    summary = _ingest("cluster", corpus, tmp_path / "c.db", InProcess())
    assert summary.failed == 1 and summary.ingested == 14
    assert summary.found == (summary.ingested + summary.unchanged + summary.skipped
                             + summary.failed + summary.duplicates)


def test_a_worker_of_another_pipeline_version_refuses_the_task(tmp_path):
    (tmp_path / "a.txt").write_text("Mayor Ines Roldan spoke.")
    from policycorpus.sources.files import SourceFile

    task = ExtractTask(SourceFile(tmp_path / "a.txt", "a.txt"), tmp_path / "s.jsonl.gz", "old")
    with pytest.raises(InputError, match="same policycorpus"):
        extract.extract_file(task)


def test_without_dask_the_engine_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Mayor Ines Roldan spoke in Laredo.")
    result = run("ingest", tmp_path / "in", "--db", tmp_path / "x.db", "--engine", "dask")
    assert result.exit_code == 2
    assert "pip install 'policycorpus[dask]'" in result.output
    assert "Traceback" not in result.output


def test_scheduler_and_shards_need_the_dask_engine(tmp_path):
    result = run("ingest", tmp_path, "--db", tmp_path / "x.db", "--scheduler", "tcp://h:8786")
    assert result.exit_code == 2 and "need --engine dask" in result.output


def test_the_embedded_ingest_imports_no_dask():
    code = ("import sys, policycorpus.cli.main, policycorpus.ingest.run;"
            "from policycorpus.cli.main import cli;"
            "assert not any(m.split('.')[0] in ('dask', 'distributed') for m in sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_finished_run_clears_what_stopped_runs_left_in_the_shard_folder(tmp_path):
    folder = tmp_path / "corpus.db.shards"
    folder.mkdir()
    stale = shard_path(folder, "/old/a.txt")
    stale.write_bytes(b"")
    (folder / f".{stale.name}.x1y2.tmp").write_bytes(b"")  # a killed task's
    (folder / "notes.txt").write_text("mine")
    cluster_engine.remove_shards(folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    (folder / "notes.txt").unlink()
    cluster_engine.remove_shards(folder)
    assert not folder.exists()


def test_a_stopped_run_keeps_what_it_merged_and_a_rerun_completes_it(loaded, tmp_path,
                                                                     monkeypatch):
    corpus = write_corpus(tmp_path / "corpus", long=False)
    real = extract.extract_file
    calls: list[str] = []

    def stopping(task: ExtractTask) -> ShardInfo:
        calls.append(task.source.name)
        if len(calls) == 8:
            raise KeyboardInterrupt  # Ctrl-C while the eighth file is being extracted
        return real(task)

    monkeypatch.setattr(cluster_engine, "extract_file", stopping)
    store = Store(tmp_path / "c.db")
    summary = Summary()
    with pytest.raises(KeyboardInterrupt):
        list(cluster_engine.run_cluster_ingest(store, [corpus], summary=summary, batch_size=3,
                                               executor=InProcess(),
                                               shards=tmp_path / "shards"))
    stored = store.db.execute("select count(*) from documents").fetchone()[0]
    assert 0 < stored == summary.ingested < 7  # whole batches only
    assert store.get_meta("reapply") == "pending"
    store.close()
    monkeypatch.setattr(cluster_engine, "extract_file", real)
    again = _ingest("cluster", corpus, tmp_path / "c.db", InProcess())
    assert again.unchanged == stored and again.ingested == 15 - stored
    _ingest("embedded", corpus, tmp_path / "embedded.db")
    assert contents(tmp_path / "c.db") == contents(tmp_path / "embedded.db")


def test_a_task_travels_as_a_few_names_even_with_a_file_name_that_is_not_utf8(tmp_path):
    import pickle

    from policycorpus.sources.files import SourceFile

    odd = tmp_path / "caf\udce9.txt"
    task = ExtractTask(SourceFile(odd, "caf\\xe9.txt", str(odd)), tmp_path / "s.jsonl.gz", "v",
                       frozenset({str(odd)}), False)
    data = pickle.dumps(task)
    assert pickle.loads(data) == task and len(data) < 1000  # no pipeline, no text
