"""Benchmark 5: the corpus layer at scale: a generated corpus grown to
--largest documents (default 1,000,000) through the real store path,
``Store.write_documents`` then the incremental ``reapply`` per batch.

At each checkpoint (10k, 100k, 1M documents; databases cached under
bench/out/, one file per checkpoint, with the generator's random state after
its last document beside it, FILE.rng.json, so that growing on and every
measurement resume the stream there) it measures, each in a fresh process on
a copy of the checkpoint:

- adding 1, 100 and 10,000 documents: write plus reapply, seconds and peak
  memory (the generated records need no NLP: this is the cost beyond it);
- replacing 1 document (a new version of a stored one: its old rows deleted,
  the new ones written, then reapply);
- one correction (a merge of two people) applied by reapply;
- database bytes per document;

and at the largest checkpoint the query medians of bench/queries.py.

Example:
  python bench/scale.py                       # 10k, 100k, 1M
  python bench/scale.py --largest 100000      # stop at 100k
  python bench/scale.py --measure-add 100 --db COPY --start N --resume CHECKPOINT
                                              # one measurement
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from _common import OUT, PYTHON, console, machine_note, report, verdict
from synthetic import GENERATOR_VERSION, Params, documents

CHECKPOINTS = (10_000, 100_000, 1_000_000)
BATCH = 5_000
TARGET_ADD_ONE = 2.0
TARGET_CORRECTION = 5.0
TARGET_QUERY_MS = 100.0


def params_for(largest: int) -> Params:
    """One population for every checkpoint, sized for the largest."""
    return Params(documents=largest, mentions=30 * largest,
                  people=max(40_000, largest // 10), organizations=max(4_000, largest // 100))


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2 ** 20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _state_file(path: Path) -> Path:
    """Where the random stream's state after a checkpoint's last document is kept."""
    return Path(str(path) + ".rng.json")


def load_state(path: Path) -> Any:
    """The stream's state saved beside a checkpoint, or None."""
    file = _state_file(path)
    if not file.exists():
        return None
    version, internal, gauss = json.loads(file.read_text())["state"]
    return (version, tuple(internal), gauss)


def save_state(path: Path, size: int, rng: random.Random) -> None:
    """Keep the stream's state after document ``size`` - 1 beside ``path``, so
    that measurements resume there instead of generating ``size`` documents."""
    _state_file(path).write_text(json.dumps({"documents": size, "state": rng.getstate()}))


def ensure_state(path: Path, params: Params, size: int) -> None:
    """Save the state beside a checkpoint grown before states were kept."""
    if load_state(path) is None:
        rng = random.Random()
        for _ in documents(replace(params, documents=size, mentions=30 * size), rng=rng):
            pass
        save_state(path, size, rng)


def grow(path: Path, params: Params, start: int, stop: int, log: bool = True,
         state: Any = None) -> float:
    """Write documents [start, stop) of the stream into ``path`` in batches, each
    followed by the incremental reapply (the stream resumed from ``state`` when
    given); return the seconds spent."""
    from policycorpus.corpus.corrections import Corrections
    from policycorpus.corpus.reapply import reapply
    from policycorpus.store.database import Store

    store = Store(path)
    rng = random.Random()
    stream = itertools.islice(documents(params, start, state, rng), stop - start)
    began = time.perf_counter()
    done = start
    while True:
        batch = list(itertools.islice(stream, BATCH))
        if not batch:
            break
        store.write_documents(batch)
        reapply(store, Corrections())
        done += len(batch)
        if log:
            rate = (done - start) / (time.perf_counter() - began)
            print(f"  {done:,} documents ({rate:.0f}/s, peak {_peak_mb():.0f} MB)",
                  file=sys.stderr, flush=True)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    save_state(path, stop, rng)
    return time.perf_counter() - began


def checkpoint(params: Params, size: int, previous: Path | None) -> tuple[Path, float]:
    """The cached database of the first ``size`` documents, grown from the
    previous checkpoint when missing."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"scale-g{GENERATOR_VERSION}-{params.key}-{size}.db"
    done = Path(str(path) + ".complete")
    if path.exists() and done.exists():
        return path, 0.0
    start = 0
    state = None
    path.unlink(missing_ok=True)
    if previous is not None:
        shutil.copyfile(previous, path)
        start = int(previous.name.rsplit("-", 1)[1].split(".")[0])
        state = load_state(previous)
    seconds = grow(path, params, start, size, state=state)
    done.write_text("ok")
    return path, seconds


def _copy(path: Path) -> Path:
    work = OUT / "scale-work.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copyfile(path, work)
    return work


def measure_add(db: Path, params: Params, start: int, count: int,
                state: Any = None) -> dict[str, float]:
    """In this process: add ``count`` documents (those after ``start``) and reapply."""
    from policycorpus.corpus.corrections import Corrections
    from policycorpus.corpus.reapply import reapply
    from policycorpus.store.database import Store

    # the same stream, longer (only the published years of later documents differ)
    longer = replace(params, documents=start + count, mentions=30 * (start + count))
    records = list(documents(longer, start, state))
    store = Store(db)
    before = _rss_mb()
    began = time.perf_counter()
    store.write_documents(records)
    wrote = time.perf_counter() - began
    summary = reapply(store, Corrections())
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "write": wrote, "reapply": seconds - wrote,
            "peak_mb": _peak_mb(), "rss_before_mb": before, "groups": summary.groups}


def measure_replace(db: Path, params: Params, start: int, state: Any = None
                    ) -> dict[str, float]:
    """In this process: store a new version of the document in the middle of the
    first ``start`` (another generated document's content under its path) and
    reapply."""
    from policycorpus.corpus.corrections import Corrections
    from policycorpus.corpus.reapply import reapply
    from policycorpus.store.database import Store

    longer = replace(params, documents=start + 1, mentions=30 * (start + 1))
    record = next(documents(longer, start, state))
    path = f"synthetic/{start // 2:06d}.txt"
    record = replace(record, path=path, hash=f"{record.hash}-replacing-{path}")
    store = Store(db)
    before = _rss_mb()
    began = time.perf_counter()
    store.write_documents([record])
    wrote = time.perf_counter() - began
    summary = reapply(store, Corrections())
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "write": wrote, "reapply": seconds - wrote,
            "peak_mb": _peak_mb(), "rss_before_mb": before, "groups": summary.groups}


def measure_correction(db: Path) -> dict[str, float]:
    """In this process: merge two frequent people (ranks 50 and 51) and reapply."""
    from policycorpus.corpus.corrections import Corrections, Merge
    from policycorpus.corpus.reapply import reapply
    from policycorpus.store.database import Store

    store = Store(db)
    a, b = [r[0] for r in store.db.execute(
        "select e.name from entities e join (select entity_id, count(*) n from"
        " document_entities group by entity_id) c on c.entity_id = e.id"
        " where e.type = 'person' order by c.n desc limit 2 offset 50")]
    before = _rss_mb()
    began = time.perf_counter()
    summary = reapply(store, Corrections(merges=[Merge(a, (a, b))], digest="bench"))
    return {"seconds": time.perf_counter() - began, "peak_mb": _peak_mb(),
            "rss_before_mb": before, "groups": summary.groups, "full": summary.full}


def _in_child(*args: str) -> dict[str, float]:
    proc = subprocess.run([PYTHON, __file__, *args], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).parent)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--largest", type=int, default=CHECKPOINTS[-1])
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (default 5)")
    parser.add_argument("--measure-add", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure-replace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure-correction", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--resume", type=Path, help=argparse.SUPPRESS)  # checkpoint's state
    args = parser.parse_args()
    params = params_for(args.largest)
    state = load_state(args.resume) if args.resume else None
    if args.measure_add:
        print(json.dumps(measure_add(args.db, params, args.start, args.measure_add, state)))
        return
    if args.measure_replace:
        print(json.dumps(measure_replace(args.db, params, args.start, state)))
        return
    if args.measure_correction:
        print(json.dumps(measure_correction(args.db)))
        return
    out = console()
    sizes = [s for s in CHECKPOINTS if s < args.largest] + [args.largest]
    rows: list[tuple[str, str, str, str]] = []
    previous: Path | None = None
    for size in sizes:
        out.print(f"[dim]checkpoint {size:,} documents ...[/]")
        path, built = checkpoint(params, size, previous)
        previous = path
        note = f"bench/out/{path.name}" + (f" (grown in {built:.0f} s)" if built else " (cached)")
        rows.append((f"{size:,} documents: database", f"{path.stat().st_size / size:,.0f} B/doc",
                     "", note))
        ensure_state(path, params, size)
        for count in (1, 100, 10_000):
            work = _copy(path)
            r = _in_child("--largest", str(args.largest), "--measure-add", str(count),
                          "--db", str(work), "--start", str(size), "--resume", str(path))
            target = f"< {TARGET_ADD_ONE:g} s {verdict(r['seconds'] < TARGET_ADD_ONE)}" \
                if count == 1 else ""
            rows.append((f"{size:,}: add {count:,}", f"{r['seconds']:.2f} s, "
                         f"{r['peak_mb']:.0f} MB peak", target,
                         f"write {r['write']:.2f} s + reapply {r['reapply']:.2f} s "
                         f"({r['groups']:,.0f} groups rebuilt; RSS before {r['rss_before_mb']:.0f} MB)"))
        work = _copy(path)
        r = _in_child("--largest", str(args.largest), "--measure-replace", "--db", str(work),
                      "--start", str(size), "--resume", str(path))
        rows.append((f"{size:,}: replace 1", f"{r['seconds']:.2f} s, {r['peak_mb']:.0f} MB peak",
                     "", f"write {r['write']:.2f} s + reapply {r['reapply']:.2f} s "
                     f"({r['groups']:,.0f} groups rebuilt; RSS before {r['rss_before_mb']:.0f} MB)"))
        work = _copy(path)
        r = _in_child("--largest", str(args.largest), "--measure-correction", "--db", str(work))
        rows.append((f"{size:,}: one correction", f"{r['seconds']:.2f} s, "
                     f"{r['peak_mb']:.0f} MB peak",
                     f"< {TARGET_CORRECTION:g} s {verdict(r['seconds'] < TARGET_CORRECTION)}",
                     f"merge of two people, reapply ({r['groups']:,.0f} groups rebuilt)"))
    from queries import in_process, query_names

    assert previous is not None
    person, law = query_names(previous)
    for query in (["person", person], ["law", law], ["related", person],
                  ["search", "sanctuary"]):
        ms, note = in_process([*query, "--db", str(previous)], args.repeat)
        shown = "policycorpus " + " ".join(f'"{a}"' if " " in a else a for a in query)
        rows.append((f"{sizes[-1]:,}: {query[0]} (median of {args.repeat})",
                     note if ms is None else f"{ms:.1f} ms",
                     "" if ms is None else f"< {TARGET_QUERY_MS:g} ms "
                     f"{verdict(ms < TARGET_QUERY_MS)}", shown))
    for suffix in ("", "-wal", "-shm"):
        Path(str(OUT / "scale-work.db") + suffix).unlink(missing_ok=True)
    out.print(report(f"The corpus layer at {sizes[-1]:,} documents", rows, [machine_note()]))


if __name__ == "__main__":
    main()
