"""``ingest --engine dask`` on a real ``LocalCluster`` of 2 single-threaded workers
(slow: each worker process loads the model).

The database equals that of an embedded ingest of the same files, table by
table (content, not ids or timestamps); each worker builds the pipeline
once; a re-run stores nothing; a worker killed in the middle of a task has
the task retried elsewhere, and nothing is stored twice.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from cluster_fixtures import contents, write_corpus
from conftest import run

from policycorpus.ingest.run import run_ingest
from policycorpus.records import Summary
from policycorpus.store.database import Store

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client():
    """A client of a LocalCluster(n_workers=2, threads_per_worker=1), for the module."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the plugin below
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def _ingest(db: Path, corpus: Path, client: Any = None) -> Summary:
    from policycorpus.ingest.cluster import DaskExecutor, run_cluster_ingest

    summary = Summary()
    store = Store(db)
    try:
        if client is None:
            list(run_ingest(store, [corpus], workers=1, summary=summary))
        else:
            list(run_cluster_ingest(store, [corpus], summary=summary,
                                    executor=DaskExecutor(client, workers=2)))
    finally:
        store.close()
    return summary


def _counts(summary: Summary) -> tuple[int, ...]:
    return (summary.found, summary.ingested, summary.unchanged, summary.skipped,
            summary.failed, summary.duplicates, summary.words)


def test_the_cluster_stores_what_the_embedded_ingest_stores(client, tmp_path):
    from policycorpus.ingest.extract import pipeline_loads

    corpus = write_corpus(tmp_path / "corpus")
    embedded = _ingest(tmp_path / "embedded.db", corpus)
    clustered = _ingest(tmp_path / "cluster.db", corpus, client)
    assert _counts(clustered) == _counts(embedded)
    assert clustered.ingested == 16
    assert contents(tmp_path / "cluster.db") == contents(tmp_path / "embedded.db")
    # both workers had work, and each built the pipeline once
    assert sorted(client.run(pipeline_loads).values()) == [1, 1]
    again = _ingest(tmp_path / "cluster.db", corpus, client)
    assert again.ingested == 0 and again.unchanged == 17  # the copy is a path of its own
    assert contents(tmp_path / "cluster.db") == contents(tmp_path / "embedded.db")
    assert sorted(client.run(pipeline_loads).values()) == [1, 1]


class CrashOnce(distributed.WorkerPlugin):
    """Makes the first attempt of the task of one file end its worker process."""

    def __init__(self, key: str, marker: str) -> None:
        self.key = key
        self.marker = marker

    def setup(self, worker: Any) -> None:
        from policycorpus.ingest import extract

        real = getattr(extract.extract_file, "real", extract.extract_file)
        key, marker = self.key, self.marker

        def crashing(task: Any) -> Any:
            if task.source.key == key:
                try:
                    os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                except FileExistsError:
                    return real(task)
                os._exit(1)  # as the OOM killer would
            return real(task)

        crashing.real = real  # type: ignore[attr-defined]
        extract.extract_file = crashing  # tasks name the function by module and name


def test_a_task_whose_worker_dies_is_retried_and_stored_once(client, tmp_path):
    corpus = write_corpus(tmp_path / "corpus", long=False)
    target = (corpus / "ga" / "warrant-bill.txt").resolve()
    marker = tmp_path / "crashed"
    client.register_plugin(CrashOnce(target.as_posix(), str(marker)), name="crash-once")
    try:
        clustered = _ingest(tmp_path / "cluster.db", corpus, client)
    finally:
        client.unregister_worker_plugin("crash-once")
    assert marker.exists()  # a worker did die
    embedded = _ingest(tmp_path / "embedded.db", corpus)
    assert _counts(clustered) == _counts(embedded)
    assert clustered.failed == 0
    assert contents(tmp_path / "cluster.db") == contents(tmp_path / "embedded.db")


def test_the_command_starts_and_closes_its_own_local_cluster(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", long=False)
    result = run("ingest", corpus, "--db", tmp_path / "c.db", "--engine", "dask",
                 "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "ingested" in result.output and "15" in result.output
    assert not (tmp_path / "c.db.shards").exists()
    _ingest(tmp_path / "embedded.db", corpus)
    assert contents(tmp_path / "c.db") == contents(tmp_path / "embedded.db")
