#!/usr/bin/env python3
"""Build ``models/given_names.jsonl``: given names of U.S. public officials.

usage: python scripts/build_given_names.py [openstates-people.jsonl.gz] [--min-count N]

The source defaults to ``../shared/data/openstates-people.jsonl.gz`` (Open
States ``people`` repository, CC0 1.0). The recogniser uses the list to tell
a person's name the base model labelled an organization ("Dana Whitfield")
from an organization's name: a common given name opening a span without any
organization or government head word. Names seen at least ``--min-count``
times are kept, so the list is the common first names of the population of
officials, not of any corpus.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "openstates-people.jsonl.gz"
OUTPUT = ROOT / "models" / "given_names.jsonl"


def given_names(source: Path, min_count: int) -> list[str]:
    counts: Counter[str] = Counter()
    with gzip.open(source, "rt", encoding="utf-8") as f:
        for line in f:
            person = json.loads(line)
            first = (person.get("given_name") or "").split()
            if first and first[0].isalpha() and len(first[0]) > 1 and first[0][0].isupper():
                counts[first[0]] += 1
    return sorted(name for name, n in counts.items() if n >= min_count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--snapshot", default="2026-08-05")
    args = parser.parse_args()
    names = given_names(args.source, args.min_count)
    header = {"source": "Open States people repository (CC0 1.0): given names of state "
                        "legislators, governors, statewide officers and members of Congress",
              "snapshot": args.snapshot, "min_count": args.min_count, "names": len(names),
              "built_by": "scripts/build_given_names.py"}
    OUTPUT.write_text(json.dumps(header) + "\n" + json.dumps({"given_names": names}) + "\n",
                      encoding="utf-8")


if __name__ == "__main__":
    main()
