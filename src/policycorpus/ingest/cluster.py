"""Ingest on a Dask cluster: ``extract`` on the workers, ``merge`` here.

``run_cluster_ingest`` is ``run_ingest`` with the pipeline moved to a
cluster (``dask.distributed``: a ``LocalCluster`` of this machine's
processes, or a scheduler's address). The client reads the inputs as the
embedded ingest does (``run.input_documents``), so unchanged files,
copies, unreadable files and vanished records are settled before anything
is sent; each file with documents to process becomes one task
(``extract.extract_file``), which writes the file's shard to the shard
folder. Tasks are sent as the inputs are read, at most ``window`` at a
time, and their shards merged here in the order the files were read, so
the database ends as the embedded ingest leaves it.

Workers read the inputs and write the shards at the paths the client
gives: on a real cluster both must be on a file system the workers share
(docs/scaling.md). dask is imported only here, and only when a file needs
processing.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from policycorpus.errors import ClusterError
from policycorpus.ingest.extract import ExtractTask, ShardInfo, extract_file
from policycorpus.ingest.merge import Dispatched, Merger, Sent
from policycorpus.ingest.run import (
    REAPPLY,
    count_sources,
    finish_ingest,
    input_documents,
    is_duplicate,
    is_unchanged,
)
from policycorpus.ingest.shards import SUFFIX
from policycorpus.records import Event, EventKind, Summary
from policycorpus.sources.readers import RecordFields
from policycorpus.store.database import Store
from policycorpus.versions import pipeline_version

INSTALL = "pip install 'policycorpus[dask]'"
TASKS_PER_WORKER = 4  # tasks in flight per worker: enough to keep it busy while we merge
WORKERS_REFRESH_S = 5.0  # how often to ask a scheduler how many workers it has


def default_shard_folder(database: Path) -> Path:
    """Where shards go by default: a folder beside the database (``corpus.db.shards``)."""
    return database.with_name(database.name + ".shards")


class Executor(Protocol):
    """What runs ``extract`` tasks: ``submit`` returns a future (``done()``,
    ``result()``), as ``concurrent.futures`` and ``distributed`` do."""

    @property
    def workers(self) -> int:
        """How many tasks it runs at once."""
        ...

    def submit(self, fn: Callable[[ExtractTask], ShardInfo], task: ExtractTask) -> Any: ...

    def cancel(self, futures: list[Any]) -> None: ...

    def close(self) -> None: ...


class DaskExecutor:
    """A ``distributed.Client``, and the ``LocalCluster`` it started (if any)."""

    def __init__(self, client: Any, cluster: Any = None, workers: int = 0) -> None:
        self.client = client
        self.cluster = cluster
        self._workers = workers  # 0: ask the scheduler (workers may join while we run)
        self._asked = 0.0
        self._known = 1

    @property
    def workers(self) -> int:
        """How many workers the cluster has (asked at most every few seconds)."""
        if self._workers:
            return self._workers
        if time.monotonic() - self._asked > WORKERS_REFRESH_S:
            self._asked = time.monotonic()
            with contextlib.suppress(Exception):
                self._known = max(1, len(self.client.scheduler_info().get("workers", {})))
        return self._known

    def submit(self, fn: Callable[[ExtractTask], ShardInfo], task: ExtractTask) -> Any:
        return self.client.submit(fn, task, pure=False)

    def cancel(self, futures: list[Any]) -> None:
        self.client.cancel(futures)

    def close(self) -> None:
        """Let go of the scheduler; close the local cluster."""
        with contextlib.suppress(Exception):
            self.client.close(timeout=10)
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close(timeout=10)


def connect(scheduler: str | None, workers: int) -> DaskExecutor:
    """A client of the scheduler at ``scheduler``, or of a new ``LocalCluster`` of
    ``workers`` single-threaded processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(f"the dask engine needs dask.distributed: {INSTALL}") from None
    try:
        if scheduler:
            return DaskExecutor(Client(scheduler, timeout="30s"))
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        return DaskExecutor(Client(cluster), cluster, workers)
    except (OSError, TimeoutError, ValueError) as exc:  # unreachable, or not an address
        where = scheduler or "a local cluster"
        raise ClusterError(f"cannot start or reach {where}: {exc}") from None


def run_cluster_ingest(
    store: Store,
    paths: list[Path],
    *,
    scheduler: str | None = None,
    workers: int = 1,
    shards: Path | None = None,
    force: bool = False,
    batch_size: int = 64,
    summary: Summary | None = None,
    fields: RecordFields | None = None,
    corrections: Path | None = None,
    executor: Executor | None = None,
) -> Iterator[Event]:
    """Ingest the files under ``paths`` into ``store`` with a Dask cluster, yielding
    the events of ``run_ingest`` (and with its accounting: found = ingested +
    unchanged + skipped + failed + duplicates).

    ``scheduler`` is a scheduler's address (``tcp://host:8786``); without it a
    ``LocalCluster`` of ``workers`` processes is started, and closed at the
    end. Shards go to ``shards`` (default: beside the database). Stopping
    the generator (Ctrl-C) cancels the cluster's work; what was merged stays
    stored and a re-run goes on from there. ``executor`` replaces the cluster
    (tests run tasks in this process with one).
    """
    summary = summary if summary is not None else Summary()
    version = pipeline_version()
    folder = shards or default_shard_folder(store.path)
    summary.found = count_sources(paths)
    yield Event(EventKind.FOUND, total=summary.found)
    events: deque[Event] = deque()
    in_flight: dict[str, Sent] = {}  # content hash -> document sent, not yet stored
    merger = Merger(store, summary, in_flight, batch_size=batch_size)
    cluster: Executor | None = None
    futures: deque[tuple[Dispatched, Any]] = deque()  # in the order the files were read
    current: Dispatched | None = None

    def send(dispatched: Dispatched) -> Iterator[Event]:
        nonlocal cluster
        if cluster is None:
            if executor is None:
                yield Event(EventKind.LOADING, message=f"connecting to {scheduler}" if scheduler
                            else f"starting a local Dask cluster of {workers} processes")
            cluster = executor or connect(scheduler, workers)
            store.set_meta(REAPPLY, "pending")  # until reapply has seen the new documents
            folder.mkdir(parents=True, exist_ok=True)
        while len(futures) >= TASKS_PER_WORKER * max(1, cluster.workers):
            yield from merge_next()
        futures.append((dispatched, cluster.submit(extract_file,
                                                   dispatched.task(folder, version, fields))))
        while futures and futures[0][1].done():
            yield from merge_next()

    def merge_next() -> Iterator[Event]:
        dispatched, future = futures[0]
        try:
            info: ShardInfo = future.result()
        except Exception as exc:  # the task failed: every document of the file did
            futures.popleft()
            yield from merger.merge(dispatched, None, _reason(exc))
            return
        futures.popleft()
        yield from merger.merge(dispatched, Path(info.shard))

    try:
        for source, document in input_documents(store, paths, fields, summary, events):
            if current is not None and current.source is not source:
                if current.sent:
                    yield from send(current)
                current = None
            if current is None:
                current = Dispatched(source)
            if (is_unchanged(store, document, version, force, summary, events)
                    or is_duplicate(store, source, document, version, force, summary, events,
                                    in_flight)):
                current.leave_out(document)
            else:
                in_flight[document.hash] = current.add(document)
            while events:
                yield events.popleft()
        while events:
            yield events.popleft()
        if current is not None and current.sent:
            yield from send(current)
        while futures:
            yield from merge_next()
        yield from merger.flush()
        while events:
            yield events.popleft()
    finally:
        if cluster is not None:
            if futures:  # stopped: the rest of the work is not wanted
                with contextlib.suppress(Exception):
                    cluster.cancel([future for _, future in futures])
            if executor is None:
                cluster.close()
    if cluster is not None:
        store.set_meta("pipeline_version", version)
        remove_shards(folder)
    yield from finish_ingest(store, summary, corrections, changed=cluster is not None)


def remove_shards(folder: Path) -> None:
    """Remove what a finished run leaves in its shard folder: shards of earlier,
    stopped runs, temporary files of killed tasks, and the folder when empty."""
    for pattern in (f"*{SUFFIX}", f".*{SUFFIX}.*.tmp"):
        for path in folder.glob(pattern):
            path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()


def _reason(exc: BaseException) -> str:
    """Why a task failed, in one line (a killed worker, a version mismatch, ...)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

