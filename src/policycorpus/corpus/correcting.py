"""Recording one correction: check it, show what it changes, write the
corrections file and reapply, keeping the file and the database alike.

The correction verbs of the command line (``merge``, ``alias``, ``ignore``,
``retype``, ``role``) build an entry and call ``record``; what happened comes
back as a ``Recorded`` for the caller to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policycorpus.corpus import changes
from policycorpus.corpus import corrections as fixes
from policycorpus.corpus.reapply import reapply
from policycorpus.errors import CorrectionError, DatabaseError
from policycorpus.records import ReapplySummary
from policycorpus.store.database import Store


@dataclass
class Recorded:
    """What ``record`` did with one entry."""

    kind: str
    path: Path  # the corrections file
    diff: changes.Diff
    dry_run: bool = False
    already: bool = False  # the same entry was in the file: nothing written
    copied_from: Path | None = None  # the older folder-wide file this database's file began as
    written: bool = False
    applied: ReapplySummary | None = None


def merge_entry(names: list[str], into: str | None, type_: str | None) -> dict[str, Any]:
    """The ``[[merge]]`` entry for NAMES, named ``into`` or else the fullest of them."""
    canonical = into or max(names, key=lambda n: (len(n.split()), len(n)))
    others = [n for n in names if n != canonical]
    if not others and into is not None:
        raise CorrectionError(f"nothing to merge: {into!r} would be merged into itself")
    if not others:
        raise CorrectionError("nothing to merge: give at least two names, or one name and --into")
    entry: dict[str, Any] = {"into": canonical, "names": others}
    if type_:
        entry["type"] = type_
    return entry


def record(store: Store, db_path: Path, corrections_path: Path | None, kind: str,
           entry: dict[str, Any], *, dry_run: bool = False, no_apply: bool = False,
           force: bool = False) -> Recorded:
    """Show what a new entry changes, then write it and reapply.

    The database is changed and the file written together: the database in a
    transaction that commits only after the file is replaced (atomically), so
    a read-only database, a full disk or Ctrl-C leaves both as they were.
    An entry whose names match nothing is refused unless ``force``.
    """
    path = corrections_path or fixes.default_path(db_path)
    legacy = None if corrections_path else fixes.legacy_path(db_path)
    current = fixes.load(path)
    if kind == "merge":
        fixes.check_merge(current, entry["into"], entry["names"], str(path))
    diff = changes.diff(store, current, fixes.with_entry(current, kind, entry))
    done = Recorded(kind, path, diff, dry_run=dry_run)
    if dry_run:
        return done
    text = fixes.text_with_entry(path, kind, entry)
    if text is None:
        done.already = True
        return done
    if not force and diff.warnings:
        raise CorrectionError(f"[[{kind}]] not written: {'; '.join(diff.warnings)} "
                              "(check the name with 'policycorpus entities', or add --force "
                              "to record it for documents not ingested yet)")
    if store.readonly and not no_apply:
        raise DatabaseError(f"{db_path} is read-only: [[{kind}]] was not written, to keep the "
                            "corrections file and the database alike (make it writable, or "
                            "--no-apply to write the file only)")
    if legacy is not None:  # the folder-wide file of older versions becomes this database's
        done.path = path = fixes.own_path(db_path)
        fixes.write_text(path, legacy.read_text(encoding="utf-8"))
        done.copied_from = legacy
    if no_apply:
        fixes.write_text(path, text)
        done.written = True
        return done
    previous = path.read_bytes() if path.exists() else None
    try:
        with store.atomic():
            done.applied = reapply(store, fixes.loads(text.encode("utf-8"), str(path)))
            fixes.write_text(path, text)  # last: an error here rolls the database back
    except BaseException:
        if path.exists() and path.read_bytes() == text.encode("utf-8"):  # the commit failed
            if previous is None:
                path.unlink()
            else:
                fixes.write_text(path, previous.decode("utf-8"))
        raise
    done.written = True
    return done
