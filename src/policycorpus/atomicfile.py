"""Files written whole or not at all.

``atomic_write(path)`` opens a temporary file in the target's folder; when
the block ends without an error, the data is flushed to disk (fsync) and
the temporary file renamed over ``path`` in one step. An error, Ctrl-C or a
full disk leaves the previous ``path`` untouched and no temporary file
behind. Paths that are not regular files (``/dev/stdout``, ``/dev/full``, a
named pipe) are written directly: they cannot be replaced by a rename.

Failures are ``OutputError`` with a one-line message naming the path.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from policycorpus.errors import OutputError


def check_writable(path: str | Path) -> Path:
    """``path`` as a Path if a file can be written there, else OutputError: a
    folder, a missing parent folder (never created silently) or a read-only
    folder are refused before any work is done."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; give a file name")
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: the folder {parent} does not exist "
                          "(create it first)")
    if _is_regular_or_missing(path) and not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write {path}: the folder {parent} is read-only")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"cannot write {path}: the file is read-only")
    return path


def _is_regular_or_missing(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        return True


def _message(path: Path, exc: OSError) -> str:
    return f"cannot write {path}: {exc.strerror or exc}"


@contextmanager
def atomic_write(path: str | Path, *, encoding: str = "utf-8",
                 newline: str | None = None) -> Iterator[IO[str]]:
    """A text handle whose content replaces ``path`` only when the block succeeds."""
    path = check_writable(path)
    if not _is_regular_or_missing(path):  # a device or pipe: write straight to it
        try:
            with open(path, "w", encoding=encoding, newline=newline) as handle:
                yield handle
        except OSError as exc:
            raise OutputError(_message(path, exc)) from exc
        return
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(_message(path, exc)) from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _copy_mode(path, temp)
        os.replace(temp, path)
        _sync_folder(path.parent)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(_message(path, exc)) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _copy_mode(path: Path, temp: Path) -> None:
    """Give the new file the old one's permissions, or the usual ones for a new file."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temp, mode)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems cannot sync a folder
            os.fsync(fd)
    finally:
        os.close(fd)
