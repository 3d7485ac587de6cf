"""Score the stored entities against a gold JSONL file, by the rules of the
project's annotation guidelines (the same rules and table as the shared
``score.py``), so users can measure extraction on their own gold.

A gold line is ``{"document": "file.txt", "entities": [{"type", "name",
"aliases", "role", "optional"}]}``. Per document and type a predicted entity
matches a gold one when its name equals the gold name or an alias after
normalising; a second prediction of an already matched entity is a false
positive. Officials and persons are also scored together as ``people``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policycorpus.errors import InputError

TYPES = ["official", "person", "agency", "organization", "law", "place"]
GROUPS = {"people": {"official", "person"}}

# Abbreviated and gendered forms of titles, read as the same word.
TITLE_WORDS = {
    "gov": "governor", "sen": "senator", "sens": "senator", "rep": "representative",
    "reps": "representative", "ald": "alderman", "alderwoman": "alderman",
    "alderperson": "alderman", "lt": "lieutenant", "sgt": "sergeant", "atty": "attorney",
    "gen": "general", "supt": "superintendent", "asst": "assistant", "dep": "deputy",
    "capt": "captain", "cmdr": "commander", "det": "detective", "insp": "inspector",
    "pres": "president", "sec": "secretary", "sheriffs": "sheriff", "chiefs": "chief",
    "councilman": "council member", "councilwoman": "council member",
    "councilmember": "council member", "councilor": "council member",
    "assemblyman": "assemblymember", "assemblywoman": "assemblymember",
    "congressman": "representative", "congresswoman": "representative",
    "spokeswoman": "spokesperson", "spokesman": "spokesperson",
}


def norm(name: str) -> str:
    """Normalise a name for matching: case, accents, leading "the", possessive, punctuation."""
    s = unicodedata.normalize("NFKD", name or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("\u2019", "'").strip()
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"'s?$", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


def title_words(role: str) -> set[str]:
    """The words of a title with abbreviations and gendered forms unified."""
    return set(" ".join(TITLE_WORDS.get(w, w) for w in norm(role).split()).split())


def role_ok(gold: str, predicted: str) -> bool:
    """A role is right when one title's words contain the other's."""
    g, p = title_words(gold), title_words(predicted)
    return bool(g) and bool(p) and (g <= p or p <= g)


@dataclass
class Score:
    """Precision, recall and F1 per type, and official role accuracy."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    roles: list[int] = field(default_factory=lambda: [0, 0])
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)

    def table(self) -> dict[str, Any]:
        """The score as a dictionary: label -> {p, r, f1, tp, fp, fn}, plus role accuracy."""
        out: dict[str, Any] = {}
        for label in [*TYPES, *GROUPS, "all"]:
            tp, fp, fn = self.counts.get(label, [0, 0, 0])
            out[label] = prf(tp, fp, fn)
        out["official_role_accuracy"] = (round(self.roles[0] / self.roles[1], 3)
                                         if self.roles[1] else 0.0)
        return out


def load_gold(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Read a gold JSONL file keyed by document file name."""
    return read_records(path, "entities", "gold", _gold_problem)


def read_records(path: Path, field: str, what: str,
                 problem_of: Callable[[dict[str, Any]], str]) -> dict[str, list[dict[str, Any]]]:
    """Read a JSONL file of ``{"document": ..., field: [...]}`` records, keyed by
    document file name; a record of the wrong shape (``problem_of`` says what is
    wrong, "" if nothing) is a one-line ``InputError`` naming the ``what`` file."""
    gold: dict[str, list[dict[str, Any]]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {what} file {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            gold[record["document"].rsplit("/", 1)[-1]] = record[field]
            problem = problem_of(record)
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}:{number}: not a {what} record ({exc})") from exc
        if problem:
            raise InputError(f"{path}:{number}: not a {what} record ({problem})")
    return gold


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 (rounded as score.py prints them) with the counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def _gold_problem(record: dict[str, Any]) -> str:
    """What is wrong with the shape of a gold record ("" if nothing)."""
    if not isinstance(record["entities"], list):
        return "'entities' must be a list"
    for entity in record["entities"]:
        if not isinstance(entity, dict):
            return "each entity must be an object"
        if not isinstance(entity.get("type"), str) or not isinstance(entity.get("name"), str):
            return "each entity needs a string 'type' and 'name'"
        aliases = entity.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            return "'aliases' must be a list of strings"
        if not isinstance(entity.get("role", ""), str):
            return "'role' must be a string"
    return ""


def _match(golds: list[dict[str, Any]], preds: list[dict[str, str]]
           ) -> tuple[int, int, list[str], list[tuple[dict, dict]], list[tuple[str, str]]]:
    keys = [{norm(g["name"]), *map(norm, g.get("aliases", []))} for g in golds]
    used: set[int] = set()
    tp = fp = 0
    pairs: list[tuple[dict, dict]] = []
    wrong: list[tuple[str, str]] = []
    for p in preds:
        n = norm(p["name"])
        hit = next((i for i, k in enumerate(keys) if n in k and i not in used), None)
        if hit is None:
            fp += 1
            wrong.append(("unmerged" if any(n in k for k in keys) else "extra", p["name"]))
            continue
        used.add(hit)
        if golds[hit].get("optional"):
            continue
        tp += 1
        pairs.append((golds[hit], p))
    fn = [g["name"] for i, g in enumerate(golds) if i not in used and not g.get("optional")]
    wrong += [("missed", name) for name in fn]
    return tp, fp, fn, pairs, wrong


def score(gold: dict[str, list[dict[str, Any]]],
          predicted: Iterable[dict[str, str]]) -> Score:
    """Score predicted rows (document, type, name, role) against ``gold``."""
    by_doc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in predicted:
        doc = (row.get("document") or "").replace("\\", "/").rsplit("/", 1)[-1]
        by_doc[doc].append({"type": (row.get("type") or "").strip().lower(),
                            "name": row.get("name") or "", "role": row.get("role") or ""})
    result = Score(counts=defaultdict(lambda: [0, 0, 0]))
    result.missing_documents = sorted(set(gold) - set(by_doc))
    for doc, gold_entities in gold.items():
        pred_entities = by_doc.get(doc, [])
        for label, types in [(t, {t}) for t in TYPES] + list(GROUPS.items()):
            g = [e for e in gold_entities if e["type"] in types]
            p = [e for e in pred_entities if e["type"] in types]
            tp, fp, fn, pairs, wrong = _match(g, p)
            counts = result.counts[label]
            counts[0] += tp
            counts[1] += fp
            counts[2] += len(fn)
            if label in TYPES:
                result.errors += [(label, kind, doc, name) for kind, name in wrong]
            if label == "official":
                for gold_entity, pred_entity in pairs:
                    if gold_entity.get("role"):
                        result.roles[1] += 1
                        right = role_ok(gold_entity["role"], pred_entity["role"])
                        result.roles[0] += right
                        if not right:
                            result.errors.append((
                                label, "role", doc,
                                f"{pred_entity['name']} (gold {gold_entity['role']!r}, "
                                f"predicted {pred_entity['role']!r})"))
    result.counts["all"] = [sum(result.counts[t][i] for t in TYPES) for i in range(3)]
    return result


ERROR_KINDS = ("missed", "extra", "unmerged", "role")


def grouped_errors(result: Score) -> list[tuple[str, str, str, str]]:
    """The errors grouped by type, then kind (missed, extra, unmerged, wrong
    role), then document."""
    return sorted(result.errors, key=lambda e: (TYPES.index(e[0]) if e[0] in TYPES else 99,
                                                ERROR_KINDS.index(e[1]), e[2]))


def format_errors(result: Score) -> str:
    """The errors as plain text, one heading per type and kind."""
    lines: list[str] = []
    heading = ("", "")
    for label, kind, doc, name in grouped_errors(result):
        if (label, kind) != heading:
            heading = (label, kind)
            count = sum(1 for e in result.errors if e[:2] == heading)
            lines.append(f"{label} {'wrong role' if kind == 'role' else kind} ({count})")
        lines.append(f"  {doc}: {name}")
    return "\n".join(lines)


def format_table(result: Score) -> str:
    """The plain-text table of ``score.py``."""
    table = result.table()
    lines = [f"{'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for label in [*TYPES, *GROUPS, "all"]:
        t = table[label]
        lines.append(f"{label:<14}{t['p']:>7.3f}{t['r']:>7.3f}{t['f1']:>7.3f}"
                     f"{t['tp']:>6}{t['fp']:>6}{t['fn']:>6}")
    lines.append(f"official role accuracy {table['official_role_accuracy']:.3f}")
    if result.missing_documents:
        missing = result.missing_documents
        lines.append(f"documents with no predictions: {len(missing)} ({', '.join(missing[:5])})")
    return "\n".join(lines)
