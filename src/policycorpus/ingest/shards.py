"""Shards: what ``extract`` made of one input file, on disk until ``merge`` stores it.

A shard is gzip-compressed JSON lines, one object per line with a ``kind``:

- ``header``: the input's key, the shard format and the pipeline version;
- ``document``: a ``DocumentRecord`` ready to be written (entities, quotes,
  law actions), as ``dataclasses.asdict`` makes it;
- ``begin`` / ``piece`` / ``end``: a long document processed in pieces: its
  record without entities, then each ``chunking.Piece`` (without its
  context), then its end, so that neither side holds it whole;
- ``outcome``: a document that was skipped or failed, with its reason;
- ``done``: the last line; a shard without it is incomplete.

Records are written and rebuilt generically (``to_plain``, ``from_plain``,
driven by the dataclasses' type hints), so a field added to a record needs
no change here. A shard's path follows from its input's key
(``shard_path``), so a retried task overwrites its own shard, and it is
written to a temporary file renamed into place (``ShardWriter``): a reader
sees a whole shard or none.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from policycorpus.errors import InputError
from policycorpus.plain import to_plain

FORMAT = 1
SUFFIX = ".jsonl.gz"


def shard_path(folder: Path, key: str) -> Path:
    """Where the shard of the input stored under ``key`` lives in ``folder``."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return folder / f"{digest}{SUFFIX}"


class ShardWriter:
    """Write one shard: lines go to a temporary file beside ``path``, renamed
    over it by ``commit``; closing without ``commit`` removes it.

    Example::

        with ShardWriter(path, key=key, pipeline_version=version) as shard:
            shard.write("document", record=record)
            shard.commit()
    """

    def __init__(self, path: Path, **header: Any) -> None:
        self.path = path
        self.header = header
        self._handle: IO[str] | None = None
        self._temp: Path | None = None

    def __enter__(self) -> "ShardWriter":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                    dir=self.path.parent)
        self._temp = Path(name)
        raw = os.fdopen(fd, "wb")
        self._handle = typing.cast(IO[str], gzip.open(raw, "wt", encoding="utf-8",
                                                      compresslevel=3))
        self._raw = raw
        self.write("header", format=FORMAT, **self.header)
        return self

    def write(self, kind: str, **fields: Any) -> None:
        """Append one line of ``kind`` with ``fields`` (records are made plain)."""
        assert self._handle is not None
        # ASCII escapes keep every string exact, lone surrogates of file names included
        self._handle.write(json.dumps({"kind": kind, **to_plain(fields)},
                                      separators=(",", ":")))
        self._handle.write("\n")

    def commit(self) -> None:
        """End the shard with its ``done`` line and move it into place."""
        assert self._handle is not None and self._temp is not None
        self.write("done")
        self._handle.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self._temp, self.path)
        self._handle = self._temp = None

    def __exit__(self, *exc: Any) -> None:
        if self._handle is not None:
            self._handle.close()
            self._raw.close()
        if self._temp is not None:
            self._temp.unlink(missing_ok=True)
        self._handle = self._temp = None


def read_shard(path: Path) -> Iterator[dict[str, Any]]:
    """The lines of a shard, one dict at a time; ``InputError`` if it is missing,
    damaged or incomplete (its last line is not ``done``)."""
    done = False
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                entry = json.loads(line)
                if number == 1 and (entry.get("kind") != "header"
                                    or entry.get("format") != FORMAT):
                    raise InputError(f"{path} is not a policycorpus shard of format {FORMAT}")
                if entry.get("kind") == "done":
                    done = True
                    break
                yield entry
    except (OSError, EOFError, ValueError) as exc:
        raise InputError(f"cannot read shard {path}: {exc}") from exc
    if not done:
        raise InputError(f"shard {path} is incomplete")
