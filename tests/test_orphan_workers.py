"""``kill -9`` of an ingest (or the kernel's OOM killer) leaves no worker behind.

The parent cannot stop its workers when it is killed outright, and a worker
blocked on a pipe ignores SIGTERM; each worker must end itself when its
parent dies (``interrupts.die_with_parent``). A real ingest with two workers
runs here, its parent is killed with SIGKILL, and its workers must be gone
within seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from test_interruption import make_corpus, start_ingest

pytestmark = [pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc"),
              pytest.mark.slow]  # kills a real ingest: CI runs it (make test-slow)


def children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` and that run the same command (forked workers)."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and \
                    (entry / "cmdline").read_bytes() == command:
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@contextmanager
def busy_ingest(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, list[int]]]:
    """A real ingest with two busy workers: (its process, the workers' pids).
    Nothing of it outlives the block, even when the test fails."""
    corpus = make_corpus(tmp_path / "corpus", 300)  # enough to keep two workers busy
    process = start_ingest(corpus, tmp_path / "corpus.db", "--workers", "2")
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            workers = children(process.pid)
            time.sleep(0.1)
        assert len(workers) == 2, "the two workers never started"
        time.sleep(1)  # let them get busy
        yield process, workers
    finally:
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_kill_9_of_the_parent_ends_both_workers(tmp_path):
    with busy_ingest(tmp_path) as (process, workers):
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)], "workers outlived their parent"


def test_a_parent_whose_workers_died_first_still_stops_on_sigterm(tmp_path):
    """Workers killed first (the OOM killer, ``pkill -9`` of the workers), then
    SIGTERM to the parent: it must exit (143) rather than wait forever for the
    dead workers' queues."""
    with busy_ingest(tmp_path) as (process, workers):
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        os.kill(process.pid, signal.SIGTERM)

        assert process.wait(timeout=30) == 143
