"""Benchmark 4: query latency on a generated database of 100,000 documents.

Generates (once; cached under bench/out/) a database of --documents
documents and at least 30 mentions each through the store layer, no NLP
(see bench/synthetic.py), then:

- times each query command in process, through the click entry point with
  CliRunner (parsing, querying and rendering with Rich included): the median
  of --repeat runs after one warm-up. The names are the most mentioned
  official or person and the most mentioned law, as a user of an archive
  would look them up. A command this version does not have is reported as
  "not available";
- times `policycorpus person NAME` as a subprocess against
  `python -c "import click, rich, sqlite_utils"` (median of --wall-repeat);
- lists the heavy modules (spaCy, thinc, numpy) a query command imports:
  there should be none.

Example:
  python bench/queries.py
  python bench/queries.py --documents 20000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from pathlib import Path

from _common import (
    OUT,
    POLICYCORPUS,
    PYTHON,
    console,
    machine_note,
    median_wall,
    report,
    verdict,
)
from synthetic import Params, ensure_database

TARGET_MS = 50
TARGET_WALL = 1.5
HEAVY = ("spacy", "thinc", "numpy", "torch", "blis", "rapidfuzz")

_IMPORTS_PROBE = """
import json, sys
from policycorpus.cli.main import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
finally:
    heavy = sorted({m.split('.')[0] for m in sys.modules} & set(%r))
    sys.stderr.write(json.dumps(heavy) + "\\n")
""" % (HEAVY,)


def query_names(db: Path) -> tuple[str, str]:
    """The most mentioned official or person and the most cited law's short form."""
    from policycorpus.store.database import Store

    store = Store(db, readonly=True)
    try:
        person = store.db.execute(
            """select e.name from entities e where e.type in ('official', 'person')
               order by (select count(*) from mentions m where m.entity_id = e.id) desc
               limit 1""").fetchone()[0]
        law = store.db.execute(
            """select a.alias from aliases a join entities e on e.id = a.entity_id
               where e.type = 'law' and a.alias != e.name
               order by (select count(*) from mentions m where m.entity_id = e.id) desc
               limit 1""").fetchone()[0]
    finally:
        store.close()
    return person, law


def in_process(args: list[str], repeat: int) -> tuple[float | None, str]:
    """Median milliseconds of ``policycorpus ARGS`` run through CliRunner, or None
    with the reason when the command does not exist or fails."""
    from click.testing import CliRunner

    from policycorpus.cli.main import cli

    if args[0] not in cli.commands:  # type: ignore[attr-defined]
        return None, "not available"
    runner = CliRunner()
    result = runner.invoke(cli, args)  # warm-up: first open, page cache
    if result.exit_code != 0:
        return None, f"exit {result.exit_code}: {result.output.strip().splitlines()[-1:]}"
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        runner.invoke(cli, args)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), f"{len(result.output.splitlines())} lines of output"


def heavy_imports(args: list[str]) -> list[str]:
    """The heavy modules that ``policycorpus ARGS`` imports."""
    proc = subprocess.run([PYTHON, "-c", _IMPORTS_PROBE, *args], capture_output=True,
                          text=True, check=False)
    return json.loads(proc.stderr.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100_000,
                        help="documents in the generated database (default 100000)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per query (default 20)")
    parser.add_argument("--wall-repeat", type=int, default=10,
                        help="runs of each subprocess for the wall times (default 10)")
    args = parser.parse_args()
    out = console()
    params = Params(documents=args.documents, mentions=30 * args.documents)
    out.print(f"[dim]database of {params.documents:,} documents (generated once, then "
              f"reused) ...[/]")
    db, generated = ensure_database(OUT, params)
    counts = _counts(db)
    person, law = query_names(db)
    rows = [("database", ", ".join(f"{v:,} {k}" for k, v in counts.items()),
             "100,000 documents, ≥ 3,000,000 mentions",
             f"bench/synthetic.py -> bench/out/{db.name}"
             + (f" (generated in {generated:.0f} s)" if generated else " (cached)"))]
    queries = [["person", person], ["law", law], ["related", person], ["search", "sanctuary"]]
    for query in queries:
        command = [*query, "--db", str(db)]
        ms, note = in_process(command, args.repeat)
        shown = "policycorpus " + " ".join(f'"{a}"' if " " in a else a for a in query)
        if ms is None:
            rows.append((f"{query[0]}: median of {args.repeat}", note, f"≤ {TARGET_MS} ms", shown))
        else:
            rows.append((f"{query[0]}: median of {args.repeat}", f"{ms:.1f} ms",
                         f"≤ {TARGET_MS} ms {verdict(ms <= TARGET_MS)}", f"{shown} ({note})"))
    baseline_cmd = [PYTHON, "-c", "import click, rich, sqlite_utils"]
    query_cmd = [POLICYCORPUS, "person", person, "--db", str(db)]
    baseline, _ = median_wall(baseline_cmd, args.wall_repeat)
    wall, run = median_wall(query_cmd, args.wall_repeat)
    ratio = wall / baseline
    rows += [
        (f"bare imports: median of {args.wall_repeat}", f"{baseline * 1000:.0f} ms", "",
         'python -c "import click, rich, sqlite_utils"'),
        (f"query command: median of {args.wall_repeat}", f"{wall * 1000:.0f} ms", "",
         run.shell),
        ("query command / bare imports", f"{ratio:.2f}x",
         f"≤ {TARGET_WALL}x {verdict(ratio <= TARGET_WALL)}", "the two commands above"),
    ]
    for query in queries[:2]:
        heavy = heavy_imports([*query, "--db", str(db)])
        rows.append((f"heavy modules imported by {query[0]}", ", ".join(heavy) or "none",
                     f"none {verdict(not heavy)}", f"sys.modules after policycorpus {query[0]}"))
    out.print(report(f"Queries on {counts['documents']:,} documents", rows, [machine_note()]))


def _counts(db: Path) -> dict[str, int]:
    from policycorpus.store.database import Store

    store = Store(db, readonly=True)
    try:
        return {table: store.db[table].count for table in ("documents", "mentions", "entities")}
    finally:
        store.close()


if __name__ == "__main__":
    main()
