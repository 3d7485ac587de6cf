"""Score the stored law actions against a gold relations file, by the rules of
the shared ``score_relations.py``: per document, a predicted (subject,
relation, law) matches a gold one when both names equal the gold names or
one of the aliases the document's entity gold gives them, after
normalising; a prediction matching an optional gold relation is neither a
hit nor an extra.

A gold line is ``{"document": "file.txt", "relations": [{"subject",
"relation", "object", "optional"}]}``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policycorpus.query.evaluate import norm, prf, read_records
from policycorpus.relation_types import RELATIONS


@dataclass
class RelationScore:
    """Counts per relation (tp, fp, fn) and the errors."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # kind, document, text

    def table(self) -> dict[str, Any]:
        """relation -> {p, r, f1, tp, fp, fn}, plus "all"."""
        out: dict[str, Any] = {}
        total = [sum(c[i] for c in self.counts.values()) for i in range(3)]
        for label, (tp, fp, fn) in [*((r, self.counts.get(r, [0, 0, 0])) for r in RELATIONS),
                                    ("all", total)]:
            out[label] = prf(tp, fp, fn)
        return out


def load_gold(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Read a relations gold file keyed by document file name."""
    return read_records(path, "relations", "relations gold", _relations_problem)


def _relations_problem(record: dict[str, Any]) -> str:
    relations = record["relations"]
    if not isinstance(relations, list) or not all(
            isinstance(r, dict) and {"subject", "relation", "object"} <= r.keys()
            for r in relations):
        return "each relation needs subject, relation and object"
    return ""


def score(gold: dict[str, list[dict[str, Any]]], entities: dict[str, list[dict[str, Any]]],
          predicted: Iterable[dict[str, Any]]) -> RelationScore:
    """Score predicted rows (document, subject, relation, object); ``entities`` is
    the entity gold (for aliases), keyed like ``gold``."""
    pred: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for row in predicted:
        doc = (row.get("document") or "").replace("\\", "/").rsplit("/", 1)[-1]
        pred[doc].add((row.get("subject") or "", (row.get("relation") or "").strip().lower(),
                       row.get("object") or ""))
    result = RelationScore(counts={r: [0, 0, 0] for r in RELATIONS})
    for doc, relations in gold.items():
        key: dict[str, str] = {}
        for entity in entities.get(doc, []):
            for name in [entity["name"], *entity.get("aliases", [])]:
                key.setdefault(norm(name), norm(entity["name"]))

        def canon(name: str) -> str:
            return key.get(norm(name), norm(name))

        required = {(canon(r["subject"]), r["relation"], canon(r["object"]))
                    for r in relations if not r.get("optional")}
        optional = {(canon(r["subject"]), r["relation"], canon(r["object"]))
                    for r in relations if r.get("optional")}
        seen: set[tuple[str, str, str]] = set()
        for s, rel, o in sorted(pred.get(doc, ())):
            t = (canon(s), rel, canon(o))
            if t in seen:
                continue
            seen.add(t)
            if t in required:
                result.counts.setdefault(rel, [0, 0, 0])[0] += 1
            elif t not in optional:
                result.counts.setdefault(rel, [0, 0, 0])[1] += 1
                result.errors.append(("extra", doc, f"{s} {rel} {o}"))
        for t in sorted(required - seen):
            result.counts.setdefault(t[1], [0, 0, 0])[2] += 1
            result.errors.append(("missed", doc, " ".join(t)))
    return result


def format_table(result: RelationScore) -> str:
    """The plain-text table of ``score_relations.py`` (relations with counts, then all)."""
    table = result.table()
    lines = [f"{'relation':<14}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for label, t in table.items():
        if t["tp"] + t["fp"] + t["fn"] or label == "all":
            lines.append(f"{label:<14}{t['p']:>7.3f}{t['r']:>7.3f}{t['f1']:>7.3f}"
                         f"{t['tp']:>6}{t['fp']:>6}{t['fn']:>6}")
    return "\n".join(lines)
