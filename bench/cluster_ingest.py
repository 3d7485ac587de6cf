"""Benchmark: ingest with ``--engine dask`` (a LocalCluster) against the embedded ingest,
and the cost model for sizing a cluster.

Builds (or reuses) the seed-made corpus of ``ingest_throughput.py``, then runs:

- ``bench/raw_pipe.py`` with 1 process: CPU-seconds per 1,000 words of the
  base spaCy model alone;
- ``policycorpus ingest`` with 1 process: CPU-seconds per 1,000 words of the
  whole ingest (base model, policycorpus components, store, corpus layer) —
  what a cluster must supply;
- ``policycorpus ingest`` with ``--workers N`` and with ``--engine dask
  --workers N``, each into a new database: wall time, documents per second,
  and the peak of the resident memory of the whole process tree (the
  command, the spaCy workers or the Dask scheduler, nannies and workers),
  sampled every 0.2 s.

Needs the dask extra (``pip install 'policycorpus[dask]'``, psutil comes with it).

Example:
  python bench/cluster_ingest.py
  python bench/cluster_ingest.py --words 60000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from _common import (
    build_corpus,
    console,
    fresh_db,
    ingest_command,
    machine_note,
    raw_pipe_command,
    report,
)


@dataclass
class Measured:
    command: list[str]
    seconds: float
    cpu: float  # user + system seconds of the process and the descendants it waited for
    peak_mb: float  # largest sum of RSS over the process tree
    output: str
    processes: int = 0  # in the tree at the peak

    @property
    def shell(self) -> str:
        return " ".join(self.command)


def measure(command: list[str]) -> Measured:
    """Run ``command``; its wall time, CPU time and the peak RSS of its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0.0, 0]
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                total = 0
                for p in tree:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                if total / 2**20 > peak[0]:
                    peak[0], peak[1] = total / 2**20, len(tree)
            except psutil.Error:
                return
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{output[-3000:]}")
    return Measured(command, seconds, usage.ru_utime + usage.ru_stime, peak[0], output,
                    int(peak[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=60_000,
                        help="corpus size in words (default 60000)")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    args = parser.parse_args()
    out = console()
    corpus, files, words = build_corpus(args.words)
    rows = [("corpus", f"{files:,} files, {words:,} words", "",
             f"seeds shuffled -> {corpus.name}")]

    out.print("[dim]raw nlp.pipe, 1 process ...[/]")
    raw = measure(raw_pipe_command(corpus, 1))
    raw_words = json.loads(raw.output.strip().splitlines()[-1])["words"]
    rows.append(("CPU-s per 1,000 words, base model alone", f"{raw.cpu / raw_words * 1000:.3f}",
                 "", raw.shell))
    out.print("[dim]ingest, 1 process ...[/]")
    one = measure(ingest_command(corpus, fresh_db("cluster-1.db"), 1))
    rows.append(("CPU-s per 1,000 words, whole ingest", f"{one.cpu / words * 1000:.3f}",
                 "", one.shell))
    rows.append(("  its wall time, peak memory", f"{one.seconds:.1f} s, {one.peak_mb:,.0f} MB",
                 "", ""))
    for label, extra in (("embedded", ()), ("dask", ("--engine", "dask"))):
        out.print(f"[dim]ingest {label}, {args.workers} processes ...[/]")
        run = measure(ingest_command(corpus, fresh_db(f"cluster-{label}.db"), args.workers,
                                     *extra))
        rows.append((f"{label}, {args.workers} workers: docs/s, words/s",
                     f"{files / run.seconds:.2f}, {words / run.seconds:,.0f}", "", run.shell))
        rows.append((f"{label}, {args.workers} workers: wall, CPU, peak memory (tree)",
                     f"{run.seconds:.1f} s, {run.cpu:.1f} CPU-s, {run.peak_mb:,.0f} MB "
                     f"({run.processes} processes)", "", ""))
    out.print(report("Ingest on a local Dask cluster, and the cost model", rows,
                     [machine_note(), "wall times include start-up and model loading"]))


if __name__ == "__main__":
    main()
