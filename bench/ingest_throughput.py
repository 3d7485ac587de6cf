"""Benchmark 1: ingest throughput against the raw spaCy pass.

Builds a corpus of at least --words words from the seeds (distinct file
names and contents, page chrome already removed), then, for each worker
count, runs in turn:

- the raw baseline, bench/raw_pipe.py: the same base model with the same
  components, nlp.pipe over the same files with the same batch size and
  n_process;
- policycorpus ingest over the same folder into a new database;

and reports both in words per second (corpus words / wall time of the whole
command, start-up and model load included) and their ratio.

Example:
  python bench/ingest_throughput.py
  python bench/ingest_throughput.py --words 60000 --workers 1
"""

from __future__ import annotations

import argparse
import json

from _common import (
    build_corpus,
    check,
    console,
    fresh_db,
    ingest_command,
    machine_note,
    raw_pipe_command,
    report,
    timed,
    verdict,
)

TARGET_RATIO = 0.85


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=300_000,
                        help="corpus size in words (default 300000)")
    parser.add_argument("--workers", default="1,2",
                        help="comma-separated worker counts to measure (default 1,2)")
    args = parser.parse_args()
    out = console()
    corpus, files, words = build_corpus(args.words)
    rows = [("corpus", f"{files:,} files, {words:,} words", "≥ 300,000 words",
             f"seeds x {files // 5} with shuffled paragraphs -> {corpus.name}")]
    rates: dict[int, float] = {}
    for workers in (int(w) for w in args.workers.split(",")):
        out.print(f"[dim]workers={workers}: raw nlp.pipe ...[/]")
        raw = check(timed(raw_pipe_command(corpus, workers)))
        raw_words = json.loads(raw.output.strip().splitlines()[-1])["words"]
        out.print(f"[dim]workers={workers}: policycorpus ingest ...[/]")
        db = fresh_db(f"throughput-{workers}.db")
        ingest = check(timed(ingest_command(corpus, db, workers)))
        raw_rate, ingest_rate = raw_words / raw.seconds, words / ingest.seconds
        rates[workers] = ingest_rate
        ratio = ingest_rate / raw_rate
        rows += [
            (f"raw nlp.pipe, {workers} process(es)",
             f"{raw_rate:,.0f} words/s ({raw.seconds:.1f} s)", "", raw.shell),
            (f"ingest, {workers} worker(s)",
             f"{ingest_rate:,.0f} words/s ({ingest.seconds:.1f} s)", "", ingest.shell),
            (f"ingest / raw, {workers} worker(s)", f"{ratio:.3f}",
             f"≥ {TARGET_RATIO} {verdict(ratio >= TARGET_RATIO)}", "the two commands above"),
            (f"ingest peak memory, {workers} worker(s)", f"{ingest.peak_rss_mb:,.0f} MB",
             "≤ 1,500 MB per process", "largest process of the ingest (ru_maxrss)"),
        ]
    if 1 in rates and 2 in rates:
        speedup = rates[2] / rates[1]
        rows.append(("ingest 2 workers / 1 worker", f"{speedup:.2f}x",
                     f"≥ 1.6x {verdict(speedup >= 1.6)}", "the ingest commands above"))
    out.print(report("Ingest throughput vs raw nlp.pipe", rows, [machine_note()]))


if __name__ == "__main__":
    main()
