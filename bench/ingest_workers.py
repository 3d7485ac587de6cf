"""Benchmark 2: one worker against two, and peak memory at two corpus sizes.

Runs policycorpus ingest over seed-built corpora of --words and twice
--words words, each with 1 and with 2 workers, into new databases, and
reports words per second, the speed-up of 2 workers over 1, and the peak
resident memory of the largest ingest process (the main process or a spaCy
worker). Memory that does not grow with the corpus shows the ingest streams.

Example:
  python bench/ingest_workers.py
  python bench/ingest_workers.py --words 50000
"""

from __future__ import annotations

import argparse

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

TARGET_SPEEDUP = 1.6
TARGET_MB = 1500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=100_000,
                        help="the smaller corpus size in words; the larger is twice it "
                             "(default 100000)")
    args = parser.parse_args()
    out = console()
    rows = []
    peaks: list[float] = []
    for size in (args.words, 2 * args.words):
        corpus, files, words = build_corpus(size)
        rates = {}
        for workers in (1, 2):
            out.print(f"[dim]{words:,} words, {workers} worker(s) ...[/]")
            db = fresh_db(f"workers-{size}-{workers}.db")
            run = check(timed(ingest_command(corpus, db, workers)))
            rates[workers] = words / run.seconds
            peaks.append(run.peak_rss_mb)
            rows += [
                (f"{words:,} words, {workers} worker(s)",
                 f"{rates[workers]:,.0f} words/s ({run.seconds:.1f} s)", "", run.shell),
                (f"{words:,} words, {workers} worker(s): peak memory",
                 f"{run.peak_rss_mb:,.0f} MB",
                 f"≤ {TARGET_MB:,} MB {verdict(run.peak_rss_mb <= TARGET_MB)}",
                 "largest process of the command above (ru_maxrss)"),
            ]
        speedup = rates[2] / rates[1]
        rows.append((f"{words:,} words: 2 workers / 1 worker", f"{speedup:.2f}x",
                     f"≥ {TARGET_SPEEDUP}x {verdict(speedup >= TARGET_SPEEDUP)}",
                     "the two ingest commands above"))
    growth = max(peaks[2:]) / max(peaks[:2])
    rows.append(("peak memory, larger corpus / smaller", f"{growth:.2f}x",
                 "≈ 1 (independent of corpus size)", "the peaks above"))
    out.print(report("Ingest with 1 and 2 workers", rows, [machine_note()]))


if __name__ == "__main__":
    main()
