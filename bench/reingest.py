"""Benchmark 3: re-ingest of an unchanged corpus against the first ingest.

Ingests a seed-built corpus of --words words into a new database, then runs
the same command again: every file is skipped by its hash without loading
the spaCy model. Reports both wall times, their ratio, and the peak memory
of each run (the re-run's shows that the model was never loaded).

Example:
  python bench/reingest.py
  python bench/reingest.py --words 300000 --workers 1
"""

from __future__ import annotations

import argparse
import re

from _common import (
    build_corpus,
    check,
    console,
    fresh_db,
    ingest_command,
    machine_note,
    report,
    timed,
    verdict,
)

TARGET = 0.03


def unchanged_count(output: str) -> int:
    """The "unchanged" figure of an ingest summary table."""
    match = re.search(r"unchanged\s*│\s*([\d,]+)", output)
    return int(match.group(1).replace(",", "")) if match else -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=100_000,
                        help="corpus size in words (default 100000)")
    parser.add_argument("--workers", type=int, default=2, help="ingest workers (default 2)")
    args = parser.parse_args()
    out = console()
    corpus, files, words = build_corpus(args.words)
    db = fresh_db("reingest.db")
    command = ingest_command(corpus, db, args.workers)
    out.print("[dim]first ingest ...[/]")
    first = check(timed(command))
    out.print("[dim]re-ingest ...[/]")
    again = check(timed(command))
    skipped = unchanged_count(again.output)
    ratio = again.seconds / first.seconds
    rows = [
        ("corpus", f"{files:,} files, {words:,} words", "", corpus.name),
        ("first ingest", f"{first.seconds:.2f} s, peak {first.peak_rss_mb:,.0f} MB", "",
         first.shell),
        ("re-ingest, unchanged corpus", f"{again.seconds:.2f} s, peak {again.peak_rss_mb:,.0f} MB",
         f"{skipped:,} of {files:,} files unchanged", again.shell),
        ("re-ingest / first ingest", f"{ratio:.3%}", f"≤ {TARGET:.0%} {verdict(ratio <= TARGET)}",
         "the two runs above"),
    ]
    out.print(report("Re-ingest of an unchanged corpus", rows, [machine_note()]))


if __name__ == "__main__":
    main()
