"""Benchmark 5: a messy archive, ingested to the end with every file accounted for.

Generates under bench/out/messy-archive/ a folder like a scraped archive:
thousands of short articles in nested folders whose names repeat
(``index.html`` and ``a.txt`` in many folders), exact copies in other
folders, a few good files of every format, broken ones (truncated DOCX, bad
PDF, a PDF content stream nested 50,000 deep, JSONL with a 5,000-digit
integer, deeply nested JSON, a non-UTF-8 file name, binary junk, empty
files) and one long text file (--big-mb, default 30). Then runs the real
``policycorpus ingest`` with 2 workers and reports:

- the summary (found, ingested, unchanged, skipped, failed, duplicates),
  whether it adds up, and whether every generated file is accounted for
  (stored under its path, or named in a warning of the run);
- the peak memory (VmHWM) of every process of the run, the ingest process
  and each spaCy worker, sampled from /proc while it runs;
- the wall time and the exit code;
- ``PRAGMA integrity_check`` of the database.

It reports what it sees: a run that loses files or dies shows as "missed",
with the files not accounted for.

Example:
  python bench/messy_archive.py
  python bench/messy_archive.py --files 500 --big-mb 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import OUT, POLICYCORPUS, ROOT, console, fresh_db, machine_note, report, seed_texts, verdict

sys.path.insert(0, str(ROOT / "tests"))
from broken_fixtures import deeply_nested_pdf  # noqa: E402
from format_fixtures import html_page, make_docx, make_pdf  # noqa: E402

TARGET_MB = 1024
WORKERS = 2
OUTCOMES = ("ingested", "unchanged", "skipped", "failed", "duplicates")


# -- the archive -------------------------------------------------------------------------


def build_archive(root: Path, files: int, big_mb: int, seed: int = 13, *,
                  broken: bool = True) -> list[bytes]:
    """Write the archive under ``root`` (made afresh); return every file's path
    relative to ``root``, as bytes (one name is not UTF-8). ``broken=False``
    leaves out the broken files."""
    if root.exists():
        subprocess.run(["rm", "-rf", str(root)], check=True)
    root.mkdir(parents=True)
    rng = random.Random(seed)
    sentences = [s.strip() + "." for text in seed_texts() for s in text.split(". ")
                 if len(s.split()) > 6]
    written: list[bytes] = []

    def put(rel: str | bytes, data: str | bytes) -> None:
        raw = rel if isinstance(rel, bytes) else os.fsencode(rel)
        path = Path(os.fsdecode(os.path.join(os.fsencode(root), raw)))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        written.append(raw)

    def article(n: int) -> list[str]:
        body = rng.sample(sentences, 4)
        return [f"Dispatch {n} from the county desk, filed on day {n % 365}.", *body]

    # thousands of short articles, in nested folders with repeated names
    for n in range(files):
        site, section, day = n % 25, (n // 25) % 8, n // 200
        folder = f"site{site:02d}/section{section}/day{day:03d}"
        paragraphs = article(n)
        if n % 3 == 0:
            put(f"{folder}/index.html",
                html_page(title=f"Dispatch {n}", paragraphs=paragraphs, site=f"Site {site}"))
        elif n % 3 == 1:
            put(f"{folder}/a.txt", "\n\n".join(paragraphs) + "\n")
        else:
            put(f"{folder}/notes/a.md", "# Dispatch\n\n" + "\n\n".join(paragraphs) + "\n")
    # exact copies under other names and folders
    for n in range(0, files, max(1, files // 20)):
        paragraphs = article(10**6 + n)
        text = "\n\n".join(paragraphs) + "\n"
        put(f"copies/first/{n}/a.txt", text)
        put(f"copies/second/{n}/a.txt", text)
    # a few good files of every other format
    for n in range(3):
        put(f"letters/{n}/letter.docx", make_docx(article(2 * 10**6 + n)))
        put(f"reports/{n}/report.pdf", make_pdf([article(3 * 10**6 + n)]))
        put(f"feeds/{n}/items.jsonl", "\n".join(
            json.dumps({"id": f"i{k}", "text": " ".join(article(4 * 10**6 + 10 * n + k))})
            for k in range(3)) + "\n")
        put(f"feeds/{n}/items.json", json.dumps(
            [{"id": f"j{k}", "text": " ".join(article(5 * 10**6 + 10 * n + k))} for k in range(2)]))
        put(f"feeds/{n}/items.csv", "id,text\n" + "".join(
            f'c{k},"{" ".join(article(6 * 10**6 + 10 * n + k))}"\n' for k in range(2)))
    if broken:
        _put_broken(put, rng, article)
    # one long text file
    big = []
    size = 0
    n = 0
    while size < big_mb * 1_000_000:
        paragraph = f"Session {n}. " + " ".join(rng.sample(sentences, 5))
        big.append(paragraph)
        size += len(paragraph) + 2
        n += 1
    put("dumps/big.txt", "\n\n".join(big) + "\n")
    return written


def _put_broken(put: Any, rng: random.Random, article: Any) -> None:
    """Broken files of each format, a non-UTF-8 name, junk and empty files."""
    good_docx = make_docx(article(7 * 10**6))
    put("broken/truncated.docx", _truncated_docx(good_docx))
    put("broken/not-a.docx", b"PK\x03\x04 this is no zip archive")
    put("broken/bad.pdf", b"%PDF-1.4\n" + rng.randbytes(3000))
    put("broken/deep.pdf", deeply_nested_pdf(50_000))
    put("broken/huge-int.jsonl", json.dumps({"id": "ok", "text": " ".join(article(8))}) + "\n"
        + '{"id": "big", "text": "A number", "n": ' + "9" * 5000 + "}\n")
    put("broken/deep.json", "[" * 100_000 + "]" * 100_000)
    put(b"broken/caf\xe9-latin1-name.txt", "\n\n".join(article(9)) + "\n")
    put("broken/junk.txt", rng.randbytes(20_000))
    put("broken/junk", rng.randbytes(5_000))
    put("broken/empty.txt", b"")
    put("broken/empty.html", b"")
    put("broken/empty.jsonl", b"")
    put("broken/empty.pdf", b"")
    put("broken/empty.docx", b"")


def _truncated_docx(data: bytes) -> bytes:
    """A Word file whose word/document.xml stops half-way."""
    import io

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "word/document.xml":
                body = body[: len(body) // 2]
            target.writestr(item, body)
    return out.getvalue()



# -- the run -----------------------------------------------------------------------------


@dataclass
class Peaks:
    """The largest VmHWM seen of every process of a run (pid -> MB, role)."""

    mb: dict[int, float] = field(default_factory=dict)
    role: dict[int, str] = field(default_factory=dict)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def _hwm_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


def sample(root_pid: int, peaks: Peaks, stop: threading.Event, every: float = 0.2) -> None:
    """Record the VmHWM of ``root_pid`` and its descendants until ``stop`` is set."""
    while not stop.is_set():
        tree = _children()
        todo = [(root_pid, "ingest process")]
        while todo:
            pid, role = todo.pop()
            mb = _hwm_mb(pid)
            if mb is not None:
                peaks.mb[pid] = max(mb, peaks.mb.get(pid, 0.0))
                peaks.role.setdefault(pid, role)
            todo += [(child, "worker") for child in tree.get(pid, [])]
        stop.wait(every)


def run_ingest(folder: Path, db: Path) -> tuple[int, str, float, Peaks]:
    """Run ``policycorpus ingest`` with 2 workers; return (exit code, output, seconds, peaks)."""
    command = [POLICYCORPUS, "ingest", str(folder), "--db", str(db), "--workers", str(WORKERS)]
    peaks = Peaks()
    stop = threading.Event()
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "COLUMNS": "250"}, cwd=ROOT)
    sampler = threading.Thread(target=sample, args=(proc.pid, peaks, stop), daemon=True)
    sampler.start()
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    proc.wait()
    stop.set()
    sampler.join()
    return proc.returncode, output, time.perf_counter() - started, peaks


def summary_counts(output: str) -> dict[str, int]:
    """The counts of the summary table the ingest printed."""
    counts = {}
    for label in ("found", *OUTCOMES):
        match = re.search(rf"│\s*{label}\s*│\s*([\d,]+)\s*│", output)
        if match:
            counts[label] = int(match.group(1).replace(",", ""))
    return counts


def unaccounted(folder: Path, files: list[bytes], db: Path, output: str) -> list[str]:
    """The generated files neither stored under their path nor named in the output."""
    stored: list[str] = []
    if db.exists():
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            stored = [row[0] for row in conn.execute("select path from document_paths")]
            conn.close()
        except sqlite3.Error:
            pass
    stored_files = {path.split("#", 1)[0] for path in stored}
    missing = []
    for raw in files:
        rel = os.fsdecode(raw)
        shown = raw.decode("utf-8", "replace")
        stored_as = raw.decode("utf-8", "backslashreplace")  # a name that is not UTF-8: \xNN
        names = {rel, shown, stored_as, str(folder / rel), str(folder) + "/" + shown,
                 str(folder) + "/" + stored_as}
        if any(name in stored_files for name in names):
            continue
        if any(path.endswith("/" + rel) or path.endswith("/" + shown)
               or path.endswith("/" + stored_as) for path in stored_files):
            continue
        if any(name in output for name in names) or _ascii_stem(raw) in output:
            continue
        missing.append(shown)
    return missing


def _ascii_stem(raw: bytes) -> str:
    """The path up to its first byte that is not ASCII (how a terminal may show it)."""
    text = raw.decode("ascii", "replace")
    stem = text.split("\ufffd", 1)[0]
    return stem if stem != text and len(stem) > 8 else "\0"


def integrity(db: Path) -> str:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        result = ", ".join(row[0] for row in conn.execute("pragma integrity_check"))
        conn.close()
        return result
    except sqlite3.Error as exc:
        return f"error: {exc}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=3000,
                        help="short articles in nested folders (default 3000)")
    parser.add_argument("--big-mb", type=int, default=30,
                        help="size of the one long text file in MB (default 30)")
    parser.add_argument("--no-broken", action="store_true",
                        help="leave out the broken files (to measure the rest where they "
                             "still end the run)")
    args = parser.parse_args()
    out = console()
    folder = OUT / "messy-archive"
    out.print(f"[dim]generating {args.files:,} articles and a {args.big_mb} MB file ...[/]")
    files = build_archive(folder, args.files, args.big_mb, broken=not args.no_broken)
    db = fresh_db("messy-archive.db")
    out.print(f"[dim]ingesting {len(files):,} files with {WORKERS} workers ...[/]")
    code, output, seconds, peaks = run_ingest(folder, db)
    counts = summary_counts(output)
    outcomes = sum(counts.get(k, 0) for k in OUTCOMES)
    adds_up = "found" in counts and counts["found"] == outcomes
    missing = unaccounted(folder, files, db, output)
    check = integrity(db)
    shell = f"policycorpus ingest bench/out/messy-archive --db bench/out/messy-archive.db --workers {WORKERS}"
    rows = [
        ("files generated", f"{len(files):,}", "", "bench/messy_archive.py"),
        ("exit code", str(code), "0 if nothing failed, else non-zero with a count", shell),
        ("summary", ", ".join(f"{k} {counts[k]:,}" for k in ("found", *OUTCOMES) if k in counts)
         or "no summary printed", "", "the summary table of the command above"),
        ("found = ingested + unchanged + skipped + failed + duplicates",
         f"{counts.get('found', '?')} vs {outcomes}", verdict(adds_up), ""),
        ("generated files not accounted for", f"{len(missing):,}", f"0 {verdict(not missing)}",
         "stored under their path, or named in a warning"),
        ("time", f"{seconds:,.1f} s", "", shell),
    ]
    for pid in sorted(peaks.mb, key=lambda p: (peaks.role[p] != "ingest process", p)):
        mb = peaks.mb[pid]
        rows.append((f"peak memory, {peaks.role[pid]} (pid {pid})", f"{mb:,.0f} MB",
                     f"< {TARGET_MB:,} MB {verdict(mb < TARGET_MB)}", "VmHWM sampled from /proc"))
    rows.append(("PRAGMA integrity_check", check, verdict(check == "ok"), f"sqlite3 {db.name}"))
    notes = [machine_note()]
    if missing:
        notes.append("not accounted for: " + ", ".join(missing[:10])
                     + (" ..." if len(missing) > 10 else ""))
    if code != 0 and "│ found" not in output:
        notes.append("last output: " + output.strip()[-600:])
    out.print(report("Messy archive", rows, notes))


if __name__ == "__main__":
    main()
