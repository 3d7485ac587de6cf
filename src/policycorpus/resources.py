"""Load the domain data the pipeline uses from ``models/`` (JSONL files).

The files ship inside the package as ``policycorpus.models`` (mapped from the
repository's ``models/`` folder), so an installed policycorpus finds them.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any


def models_root() -> Traversable:
    """The folder of domain data files."""
    return resources.files("policycorpus.models")


def _iter_files(root: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    out: list[tuple[str, Traversable]] = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            if not entry.name.startswith(("_", ".")):
                out.extend(_iter_files(entry, f"{prefix}{entry.name}/"))
        elif entry.name.endswith((".jsonl", ".cfg", ".json")):
            out.append((f"{prefix}{entry.name}", entry))
    return out


@cache
def load_jsonl(name: str) -> tuple[dict[str, Any], ...]:
    """Read ``models/NAME`` (one JSON object per line); a missing file is empty."""
    entry = models_root()
    for part in name.split("/"):
        entry = entry / part
    if not entry.is_file():
        return ()
    rows = []
    for number, line in enumerate(entry.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if line:
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"models/{name}:{number}: {exc}") from exc
    return tuple(rows)


@cache
def data_hash() -> str:
    """A short hash of every domain data file: part of the pipeline version."""
    digest = hashlib.sha256()
    for name, entry in _iter_files(models_root()):
        digest.update(name.encode())
        digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]
