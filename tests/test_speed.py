"""Speed and scale: streaming ingest, skipping by hash, parallel workers, the
document_entities table, bounded queries on large databases, and the bench scripts.

Most tests avoid the spaCy model: a stand-in pipeline shows what the ingest
feeds it and when, and small generated databases stand in for an archive.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, SEED_NAMES, SEEDS, copy_db, run, summary_counts

from policycorpus.corpus.corrections import Corrections, Merge
from policycorpus.corpus.reapply import reapply
from policycorpus.ingest import run as ingest_module
from policycorpus.query import reports as q
from policycorpus.sources.files import SourceFile
from policycorpus.store.database import Store

sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402

HEAVY = ("spacy", "thinc", "numpy")


class FakePipeline:
    """Stands in for the spaCy pipeline: records what it is fed and when."""

    max_length = 1_000_000
    default_error_handler = None
    pipeline: list = []

    def __init__(self, reads: list[str]) -> None:
        self.reads = reads
        self.reads_when_fed: list[int] = []
        self.n_process = 0

    def pipe(self, texts, *, as_tuples, n_process, batch_size):
        self.n_process = n_process
        for text, key in texts:
            if text:  # not the empty texts that start worker processes (chunking)
                self.reads_when_fed.append(len(self.reads))
            nothing = SimpleNamespace(pc_entities=None, pc_quotes=None, pc_relations=None)
            yield SimpleNamespace(text=text, _=nothing), key


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Replace the pipeline with a FakePipeline and count file reads."""
    reads: list[str] = []
    original = SourceFile.read_bytes

    def read_bytes(self):
        reads.append(self.name)
        return original(self)

    monkeypatch.setattr(SourceFile, "read_bytes", read_bytes)
    fake = FakePipeline(reads)
    import policycorpus.pipeline.build as pipeline

    monkeypatch.setattr(pipeline, "build", lambda: fake)
    return fake


def python_probe(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter (so sys.modules starts empty)."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False, cwd=ROOT)


_RUN_AND_LIST_HEAVY = """
import json, sys
from click.testing import CliRunner
from policycorpus.cli.main import cli
result = CliRunner().invoke(cli, sys.argv[1:])
print(json.dumps({"exit": result.exit_code, "output": result.output,
                  "heavy": sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'thinc', 'numpy'})}))
"""


# -- ingest -----------------------------------------------------------------------------


def test_ingest_reads_each_file_only_when_the_pipeline_asks_for_it(fake_pipeline, tmp_path):
    store = Store(tmp_path / "stream.db")
    events = list(ingest_module.run_ingest(store, [SEEDS], workers=2, batch_size=2))
    assert [e.kind for e in events].count("ingested") == len(SEED_NAMES)
    # the n-th text reached the pipeline after n files had been read, not all of them
    assert fake_pipeline.reads_when_fed == list(range(1, len(SEED_NAMES) + 1))
    assert fake_pipeline.n_process == 2


def test_ingest_writes_one_transaction_per_batch(fake_pipeline, tmp_path, monkeypatch):
    store = Store(tmp_path / "batches.db")
    sizes: list[int] = []
    original = store.write_documents

    def write_documents(records):
        sizes.append(len(records))
        return original(records)

    monkeypatch.setattr(store, "write_documents", write_documents)
    list(ingest_module.run_ingest(store, [SEEDS], batch_size=2))
    assert sizes == [2, 2, 1]
    assert store.db["documents"].count == 5


def test_a_changed_pipeline_version_reprocesses_stale_documents_only(fake_pipeline, tmp_path,
                                                                     monkeypatch):
    store = Store(tmp_path / "versions.db")
    monkeypatch.setattr(ingest_module, "pipeline_version", lambda: "v1")
    first = ingest_module.Summary()
    list(ingest_module.run_ingest(store, [SEEDS], summary=first))
    monkeypatch.setattr(ingest_module, "pipeline_version", lambda: "v2")
    second, third = ingest_module.Summary(), ingest_module.Summary()
    list(ingest_module.run_ingest(store, [SEEDS], summary=second))
    list(ingest_module.run_ingest(store, [SEEDS], summary=third))
    assert (first.ingested, second.ingested, third.ingested) == (5, 5, 0)
    assert third.unchanged == 5
    assert {r[0] for r in store.db.execute("select pipeline_version from documents")} == {"v2"}


def test_force_reprocesses_unchanged_files(fake_pipeline, tmp_path):
    store = Store(tmp_path / "force.db")
    list(ingest_module.run_ingest(store, [SEEDS]))
    again = ingest_module.Summary()
    list(ingest_module.run_ingest(store, [SEEDS], force=True, summary=again))
    assert (again.ingested, again.unchanged) == (5, 0)
    assert store.db["documents"].count == 5


def test_reingest_of_an_unchanged_corpus_never_loads_spacy(seeded_db, tmp_path):
    db = copy_db(seeded_db, tmp_path / "again.db")
    probe = python_probe(_RUN_AND_LIST_HEAVY, "ingest", str(SEEDS), "--db", str(db))
    result = json.loads(probe.stdout)
    assert result["exit"] == 0, result["output"]
    assert summary_counts(result["output"])["unchanged"] == 5
    assert summary_counts(result["output"])["ingested"] == 0
    assert result["heavy"] == []
    assert Store(db, create=False).db["documents"].count == 5


@pytest.mark.slow  # two worker processes, each loading spaCy
def test_two_workers_store_what_one_worker_stores(seeded_db, tmp_path):
    db = tmp_path / "two.db"
    files = tmp_path / "two-files"
    files.mkdir()
    for name in SEED_NAMES[:2]:
        (files / name).write_bytes((SEEDS / name).read_bytes())
    result = run("ingest", files, "--db", db, "--workers", "2")
    assert result.exit_code == 0, result.output

    def rows(path: Path) -> set[tuple]:
        store = Store(path, create=False)
        return {tuple(r) for r in store.db.execute(
            """select d.path, e.type, e.name, m.start, m.end from mentions m
               join documents d on d.id = m.document_id join entities e on e.id = m.entity_id
               where d.path in (?, ?)""", SEED_NAMES[:2])}

    assert rows(db) and rows(db) == rows(Path(seeded_db))


# -- the query path ---------------------------------------------------------------------


@pytest.mark.parametrize("args", [["person", "wells"], ["law", "SB 54"]])
def test_query_commands_never_import_spacy_or_numpy(seeded_db, args):
    probe = python_probe(_RUN_AND_LIST_HEAVY, *args, "--db", seeded_db)
    result = json.loads(probe.stdout)
    assert result["exit"] == 0, result["output"]
    assert result["heavy"] == []


# -- document_entities ------------------------------------------------------------------


def counts(store: Store) -> set[tuple[int, int, int]]:
    return {tuple(r) for r in store.db.execute("select * from document_entities")}


def expected(store: Store) -> set[tuple[int, int, int]]:
    return {tuple(r) for r in store.db.execute(
        "select entity_id, document_id, count(*) from mentions group by 1, 2")}


def test_document_entities_follow_every_write_merge_and_delete(tmp_path):
    store = Store(tmp_path / "de.db")
    store.write_documents(list(synthetic.documents(synthetic.Params(
        documents=30, mentions=600, people=40, agencies=10, organizations=10, laws=5,
        places=10))))
    reapply(store, Corrections())
    assert counts(store) and counts(store) == expected(store)
    a, b = (r[0] for r in store.db.execute(
        "select name from entities where type = 'person' order by id limit 2"))
    reapply(store, Corrections(merges=[Merge(a, (a, b))], digest="merge"))
    assert store.db.execute("select count(*) from entities where name = ?", [b]
                            ).fetchone()[0] == 0
    assert counts(store) == expected(store)
    store.delete_documents(["synthetic/000003.txt", "synthetic/000007.txt"])
    assert counts(store) == expected(store)
    reapply(store, Corrections(merges=[Merge(a, (a, b))], digest="merge"))
    assert counts(store) == expected(store)
    assert store.db.execute("pragma foreign_key_check").fetchall() == []


def test_the_migration_fills_document_entities_of_an_existing_database(seeded_db, tmp_path):
    db = copy_db(seeded_db, tmp_path / "old.db")
    store = Store(db)
    before = counts(store)
    store.db.execute("drop table document_entities")
    for trigger in ("insert", "delete", "update"):
        store.db.execute(f"drop trigger mentions_document_entities_{trigger}")
    store.db.execute("delete from meta where key = 'migration_6'")
    store.set_meta("schema_version", "5")
    store.close()
    store = Store(db)
    assert counts(store) == before == expected(store)


# -- bounded queries on a larger database -----------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Store:
    """A generated archive of 400 documents (no NLP), shared by the tests below."""
    path = tmp_path_factory.mktemp("archive") / "archive.db"
    synthetic.generate(path, synthetic.Params(documents=400, mentions=12_000, people=300,
                                              agencies=40, organizations=40, laws=20,
                                              places=40))
    return Store(path, readonly=True)


def top_person(store: Store) -> q.Entity:
    row = store.db.execute(
        """select e.id, e.type, e.name from entities e join document_entities de
           on de.entity_id = e.id where e.type in ('official', 'person')
           group by e.id order by count(*) desc limit 1""").fetchone()
    return q.Entity(*row)


def test_the_report_of_a_frequent_name_counts_all_documents_and_looks_at_recent_ones(archive):
    entity = top_person(archive)
    total = archive.db.execute(
        "select count(distinct document_id) from mentions where entity_id = ?",
        [entity.id]).fetchone()[0]
    assert total > 50
    report = q.entity_report(archive, entity, limit=5, window=50)
    assert report.document_count == total and report.window == 50
    assert len(report.documents) == 5
    assert [d.mentions for d in report.documents] == sorted(
        (d.mentions for d in report.documents), reverse=True)
    shared = [c.documents for items in report.related.values() for c in items]
    assert shared and max(shared) <= 50
    full = q.entity_report(archive, entity, limit=5, window=10_000)
    assert full.window == total and max(
        c.documents for items in full.related.values() for c in items) > max(shared)


def test_the_person_command_says_how_many_documents_and_which_window(archive):
    entity = top_person(archive)
    result = run("person", entity.name, "--db", archive.path, "--limit", "3")
    assert result.exit_code == 0, result.output
    total = archive.db.execute("select count(*) from document_entities where entity_id = ?",
                               [entity.id]).fetchone()[0]
    assert f"Documents ({total:,}, the 3 with most mentions)" in result.output


def test_related_counts_over_the_latest_documents_as_a_full_count_would(archive):
    entity = top_person(archive)
    latest = q.related_entities(archive, entity, window=40, limit=5)
    assert latest and all(1 <= item.documents <= 40 for item in latest)
    assert q.window_of(archive, entity, window=40)[0] == 40
    # over every document, the counts match a plain SQL count of shared documents
    full = q.related_entities(archive, entity, window=10_000, limit=5)
    for item in full:
        shared = archive.db.execute(
            """select count(*) from document_entities a join document_entities b
               on b.document_id = a.document_id and b.entity_id = ?
               where a.entity_id = ?""", [item.id, entity.id]).fetchone()[0]
        assert item.documents == shared
        assert item.evidence is not None and item.evidence.spans  # a sentence naming them


def test_the_related_command_says_which_documents_it_looked_at(archive):
    entity = top_person(archive)
    total = archive.db.execute("select count(*) from document_entities where entity_id = ?",
                               [entity.id]).fetchone()[0]
    data = json.loads(run("related", entity.name, "--db", archive.path, "--json").output)
    assert data["documents"] == total
    assert data["documents_looked_at"] == min(total, q.RECENT_DOCUMENTS)


def test_search_ranks_only_the_latest_matches_when_asked(archive):
    everything = q.search(archive, "sanctuary", limit=500, window=0)
    latest = q.search(archive, "sanctuary", limit=500, window=10)
    assert len(everything) > 10 and len(latest) == 10
    newest = sorted(hit.id for hit in everything)[-10:]
    assert sorted(hit.id for hit in latest) == newest


def test_generated_mentions_point_at_their_text_and_sentence():
    params = synthetic.Params(documents=20, mentions=600, people=30, agencies=8,
                              organizations=8, laws=4, places=8)
    records = list(synthetic.documents(params))
    assert sum(len(m.mentions) for r in records for m in r.entities) >= 600
    for record in records:
        for entity in record.entities:
            for m in entity.mentions:
                assert record.text[m.start:m.end] == m.text
                assert m.sent_start <= m.start < m.end <= m.sent_end


# -- the bench scripts --------------------------------------------------------------------


@pytest.mark.parametrize("script", ["ingest_throughput.py", "ingest_workers.py",
                                    "reingest.py", "queries.py", "synthetic.py",
                                    "raw_pipe.py"])
def test_every_bench_script_explains_itself(script):
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--help"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Example:" in proc.stdout
