"""The baseline of the ingest benchmarks: the base spaCy model alone over a folder.

Loads the same base model with the same components as ``policycorpus
ingest`` (``policycorpus.pipeline.build.EXCLUDED`` left out, the rest as the
model ships them), streams the files' texts into ``nlp.pipe`` with the same
batch size and number of processes, and consumes every Doc. Prints the
words and seconds as one line of JSON.

Example:
  python bench/raw_pipe.py bench/out/corpus-v1-300000w-seed5 --workers 2
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path

started = time.perf_counter()

import spacy  # noqa: E402

from policycorpus.ingest.run import PIPE_BATCH  # noqa: E402
from policycorpus.pipeline.build import EXCLUDED  # noqa: E402
from policycorpus.versions import BASE_MODEL  # noqa: E402


def texts(folder: Path, counts: dict[str, int]) -> Iterator[str]:
    """The text of every .txt file under ``folder``, in name order (words counted)."""
    for path in sorted(folder.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        counts["words"] += len(text.split())
        yield text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=1, help="nlp.pipe n_process")
    args = parser.parse_args()
    nlp = spacy.load(BASE_MODEL, exclude=EXCLUDED)
    counts = {"words": 0}
    docs = 0
    for _doc in nlp.pipe(texts(args.folder, counts), n_process=args.workers,
                         batch_size=PIPE_BATCH):
        docs += 1
    print(json.dumps({"docs": docs, "words": counts["words"], "components": nlp.pipe_names,
                      "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
