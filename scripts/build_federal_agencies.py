#!/usr/bin/env python3
"""Build ``models/federal_agencies.jsonl`` from the Federal Register agency list.

usage: python scripts/build_federal_agencies.py [SOURCE.jsonl] [--snapshot LABEL]

SOURCE defaults to ``../shared/data/federal-register-agencies.jsonl`` (the
Federal Register agencies API output, U.S. government data, public domain).
Each output line keeps what recognition and linking need: the slug, the name
as the Register files it ("Justice Department"), the forms news writes
("Department of Justice", "U.S. Department of Justice"), the acronym when it
can be trusted, and the parent's slug. The first line records the source and
snapshot so the file says where it came from; rerun when the list is refreshed.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "federal-register-agencies.jsonl"
OUTPUT = ROOT / "models" / "federal_agencies.jsonl"
# The Register files "Office of X" as "X Office": head words it moves to the end.
INVERTED_HEADS = ("Department", "Office", "Bureau", "Service", "Administration")
# Departments whose natural form takes "the": "Department of the Treasury".
HEADS = ("Department", "Office", "Bureau", "Service", "Administration", "Agency", "Commission",
         "Board", "Council", "Division", "Institute", "Corporation", "Center", "Committee")
WITH_ARTICLE = {"Treasury", "Interior", "Army", "Navy", "Air Force"}


def natural_forms(name: str) -> list[str]:
    """Forms news uses for a Register name: "Justice Department" -> "Department of
    Justice", "U.S. Department of Justice"; "Management and Budget Office" ->
    "Office of Management and Budget"."""
    base = name
    first, _, rest = name.partition(", ")
    if rest and any(h in first.split() for h in HEADS):
        base = first  # "Administration Office, Executive Office of the President"
    forms = [base]
    if base.startswith(("U.S. ", "United States ")):
        plain = base.removeprefix("U.S. ").removeprefix("United States ")
        forms += [plain, f"U.S. {plain}", f"United States {plain}"]
    words = base.split()
    if len(words) >= 2 and words[-1] in INVERTED_HEADS and words[-1] != "Service" \
            and words[-1] != "Administration":
        head, rest = words[-1], " ".join(words[:-1])
        article = "the " if rest in WITH_ARTICLE else ""
        natural = f"{head} of {article}{rest}"
        forms += [natural, natural.replace(", and ", " and ")]
        if head == "Department":
            forms += [f"U.S. {natural}", f"United States {natural}", f"U.S. {base}"]
    elif not base.startswith(("U.S.", "United States")) and " of the United States" not in base:
        if any(w in base for w in ("Department", "Agency", "Commission", "Bureau", "Service",
                                   "Administration", "Board")):
            forms.append(f"U.S. {base}")
    return list(dict.fromkeys(forms))


def trusted_acronym(short: str, name: str, duplicated: set[str]) -> str:
    """An acronym the recogniser may match on its own: three or more capitals,
    unique in the list, and not the name itself."""
    if not short or short == name or short in duplicated:
        return ""
    return short if re.fullmatch(r"[A-Z]{3,6}", short) else ""


def build(source: Path, snapshot: str) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    counts: dict[str, int] = {}
    for row in rows:
        if row.get("short_name"):
            counts[row["short_name"]] = counts.get(row["short_name"], 0) + 1
    duplicated = {s for s, n in counts.items() if n > 1}
    slug_of = {str(row["id"]): row["slug"] for row in rows}
    out: list[dict[str, object]] = [{
        "source": "Federal Register agencies API (federalregister.gov/api/v1/agencies), "
                  "U.S. government data, public domain",
        "snapshot": snapshot, "agencies": len(rows),
        "built_by": "scripts/build_federal_agencies.py"}]
    for row in sorted(rows, key=lambda r: r["slug"]):
        item: dict[str, object] = {"slug": row["slug"], "name": row["name"],
                                   "forms": natural_forms(row["name"])}
        acronym = trusted_acronym(row.get("short_name") or "", row["name"], duplicated)
        if acronym:
            item["acronym"] = acronym
        if row.get("parent_id") and str(row["parent_id"]) in slug_of:
            item["parent"] = slug_of[str(row["parent_id"])]
        out.append(item)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--snapshot", default="2025")
    args = parser.parse_args()
    rows = build(args.source, args.snapshot)
    OUTPUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                      encoding="utf-8")


if __name__ == "__main__":
    main()
