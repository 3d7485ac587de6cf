"""Shared helpers of the benchmark scripts: the seed-built corpus, timed
subprocesses with their peak memory, and the Rich table every script prints.

Everything a script builds is cached under ``bench/out/`` (git-ignored),
keyed by its parameters, so a second run reuses it.
"""

from __future__ import annotations

import os
import random
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SEEDS = ROOT / "seeds"
BIN = Path(sys.executable).parent
POLICYCORPUS = str(BIN / "policycorpus")
PYTHON = sys.executable
CORPUS_VERSION = 1  # bump when the way corpora are built changes


@dataclass
class Run:
    """One timed command: wall seconds and the peak resident memory of its
    largest process (the command itself or any worker it started and waited for)."""

    command: list[str]
    seconds: float
    peak_rss_mb: float
    returncode: int
    output: str = ""

    @property
    def shell(self) -> str:
        """The command as one would type it, paths relative to the repository."""
        return " ".join(shlex.quote(_relative(part)) for part in self.command)


def _relative(part: str) -> str:
    base = str(ROOT) + os.sep
    return part[len(base):] if part.startswith(base) else part


def timed(command: Sequence[str], *, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to the end; return its wall time and peak RSS.

    ``os.wait4`` reports the child's resource usage, whose ``ru_maxrss`` is
    the largest resident set of the child and of the descendants it waited
    for (spaCy's worker processes are joined by the ingest process).
    """
    started = time.perf_counter()
    proc = subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})}, cwd=ROOT)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(list(command), seconds, usage.ru_maxrss / 1024, proc.returncode, output)


def check(run: Run) -> Run:
    """Stop the benchmark with the command's output if it failed."""
    if run.returncode != 0:
        sys.exit(f"failed ({run.returncode}): {run.shell}\n{run.output[-3000:]}")
    return run


def median_wall(command: Sequence[str], repeat: int) -> tuple[float, Run]:
    """The median wall time of ``repeat`` runs of ``command`` (and the last run)."""
    runs = [check(timed(command)) for _ in range(repeat)]
    return statistics.median(r.seconds for r in runs), runs[-1]


# -- the corpus -------------------------------------------------------------------------


def seed_texts() -> list[str]:
    """The seed articles as ingest sees them: decoded, page chrome removed."""
    from policycorpus.sources.files import decode, read_text

    texts = []
    for path in sorted(SEEDS.iterdir()):
        raw = decode(path.read_bytes())
        if raw is not None:
            texts.append(read_text(raw).text)
    return texts


def build_corpus(words: int, *, seed: int = 5) -> tuple[Path, int, int]:
    """A folder of at least ``words`` words made from the seeds; returns
    (folder, files, words).

    Each file is a seed article (page chrome already removed, so ingest and a
    raw ``nlp.pipe`` process the same words) with its body paragraphs in a
    different order, so every file has its own name and its own content.
    Built once per size under ``bench/out/``.
    """
    folder = OUT / f"corpus-v{CORPUS_VERSION}-{words}w-seed{seed}"
    stamp = folder / ".complete"
    if stamp.exists():
        files, total = (int(x) for x in stamp.read_text().split())
        return folder, files, total
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    rng = random.Random(seed)
    texts = seed_texts()
    total = count = 0
    while total < words:
        text = texts[count % len(texts)]
        paragraphs = text.split("\n\n")
        head, body = paragraphs[:2], paragraphs[2:]
        rng.shuffle(body)
        content = "\n\n".join(head + body) + "\n"
        (folder / f"article_{count:06d}.txt").write_text(content, encoding="utf-8")
        total += len(content.split())
        count += 1
    stamp.write_text(f"{count} {total}")
    return folder, count, total


def fresh_db(name: str) -> Path:
    """A path under bench/out/ for a new database (any old one is removed)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def ingest_command(corpus: Path, db: Path, workers: int, *extra: str) -> list[str]:
    """The ``policycorpus ingest`` command line a benchmark measures."""
    return [POLICYCORPUS, "ingest", str(corpus), "--db", str(db), "--workers", str(workers),
            *extra]


def raw_pipe_command(corpus: Path, workers: int) -> list[str]:
    """The raw ``nlp.pipe`` baseline command line (bench/raw_pipe.py)."""
    return [PYTHON, str(ROOT / "bench" / "raw_pipe.py"), str(corpus), "--workers", str(workers)]


# -- output -----------------------------------------------------------------------------


def report(title: str, rows: list[tuple[str, str, str, str]], notes: Sequence[str] = ()) -> Table:
    """The table each script prints: figure, value, target, and the command measured."""
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("target")
    table.add_column("command measured", overflow="fold")
    for row in rows:
        table.add_row(*row)
    if notes:
        table.caption = "\n".join(notes)
        table.caption_justify = "left"
    return table


def console() -> Console:
    """The console the scripts print on (wide enough for the commands)."""
    return Console(highlight=False, width=max(150, Console().width))


def machine_note() -> str:
    """Cores and load, so a reader can judge timings taken on a busy machine."""
    load = os.getloadavg()
    return (f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} / {load[1]:.2f} / "
            f"{load[2]:.2f} (1/5/15 min) at the end of the run")


def verdict(ok: bool) -> str:
    """A target's mark in the table."""
    return "[green]met[/]" if ok else "[red]missed[/]"
