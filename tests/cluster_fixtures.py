"""A small mixed corpus for the cluster engine, and the content of a database
compared without ids or timestamps.

The texts are made up, in the style of several outlets and states: short
articles, a JSONL and a CSV export, two copies of one article, an empty
file and its copy, and one article long enough to be processed in pieces.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

ARTICLES = {
    "nm/ventura-budget.txt": (
        "Governor signs public safety budget\n\n"
        "SANTA FE — Gov. Marisol Ventura signed House Bill 12 on Tuesday, sending $40 million "
        "to the New Mexico Department of Public Safety for crime labs.\n\n"
        '"This is about clearing the backlog," Ventura said at the Capitol.'),
    "oh/columbus-cameras.md": (
        "# Columbus council pauses camera contract\n\n"
        "The Columbus City Council voted 5-2 on Monday to delay a contract with Flock Safety "
        "after Councilmember Irene Haddad questioned how long license plate data is kept.\n\n"
        "Police Chief Tomasz Brennan said the department follows Ohio law on retention."),
    "ga/warrant-bill.txt": (
        "Senate passes warrant bill\n\n"
        "ATLANTA — The Georgia Senate passed Senate Bill 311 on Thursday. State Sen. Corliss "
        "Abernathy, a Macon Democrat, sponsored the measure, which requires a warrant before "
        "the Georgia Bureau of Investigation can search phone records."),
    "wa/tenant-union.txt": (
        "Tenant group sues county\n\n"
        "SPOKANE — The Inland Tenants Alliance filed suit against Spokane County on Friday, "
        "arguing that its eviction rules violate the Washington Residential Landlord-Tenant "
        "Act.\n\nCounty Commissioner Rhea Vantongeren declined to comment."),
    "az/border-grant.html": (
        "<html><head><title>Border county wins grant</title></head><body><article>"
        "<h1>Border county wins grant</h1>"
        "<p>YUMA — Yuma County Sheriff Octavio Lindqvist said Wednesday that the county will "
        "receive $2 million from the Department of Homeland Security.</p>"
        "<p>The grant pays for overtime under Operation Stonegarden, Lindqvist said.</p>"
        "</article></body></html>"),
    "mi/jail-audit.txt": (
        "Audit faults jail medical contract\n\n"
        "LANSING — An audit released Monday by the Michigan Office of the Auditor General "
        "found that a jail health contractor missed staffing targets in Ingham County.\n\n"
        "Rep. Delphine Okafor called for hearings before the House Oversight Committee."),
    "tx/bail-vote.txt": (
        "House rejects bail amendment\n\n"
        "AUSTIN — The Texas House on Saturday rejected an amendment to House Bill 1 that "
        "would have limited cash bail. Rep. Lucinda Farrow of El Paso voted against it.\n\n"
        "The ACLU of Texas opposed the bill."),
    "co/body-cameras.txt": (
        "Denver police expand body cameras\n\n"
        "DENVER — Mayor Ezekiel Marchetti announced Thursday that every Denver Police "
        "Department patrol officer will wear a body camera by June, as Senate Bill 217 "
        "requires."),
    "ny/sanctuary-order.txt": (
        "Rochester keeps sanctuary order\n\n"
        "ROCHESTER, N.Y. — Mayor Philippa Sandoval said Tuesday the city will keep its "
        "sanctuary order despite a letter from U.S. Immigration and Customs Enforcement."),
    "pa/clean-slate.txt": (
        "Clean slate expansion advances\n\n"
        "HARRISBURG — The Pennsylvania House Judiciary Committee advanced a clean slate "
        "expansion Wednesday. Chairman Wendell Ocasio said the bill would seal more records."),
    "fl/sheriff-drones.txt": (
        "Sheriff asks for drone rules\n\n"
        "BARTOW — Polk County Sheriff Gideon Treadwell asked the Florida Legislature on "
        "Monday to loosen limits on police drones set by the Freedom from Unwarranted "
        "Surveillance Act."),
}

RECORDS = [
    {"id": "r1", "title": "Council adopts surveillance ordinance",
     "body": "OAKLAND — The Oakland City Council adopted a surveillance technology ordinance on "
             "Tuesday. Councilmember Desmond Achterberg wrote the ordinance."},
    {"id": "r2", "title": "Judge blocks immigration law",
     "body": "BOISE — U.S. District Judge Hester Quintanilla blocked Idaho House Bill 83 on "
             "Friday, saying it conflicts with federal immigration law."},
    {"id": "r3", "title": "Empty record", "body": "   "},
]

CSV_ROWS = [
    {"id": "c1", "headline": "Sheriff resigns",
     "text": "OMAHA — Douglas County Sheriff Renata Holloway resigned Monday after an "
              "investigation by the Nebraska State Patrol."},
    {"id": "c2", "headline": "Grant for crisis teams",
     "text": "PROVIDENCE — Gov. Amos Kettering announced a grant for mental health crisis "
              "teams run by the Rhode Island Department of Health."},
]

LONG_PARAGRAPHS = [
    "The Maricopa County Board of Supervisors met for six hours on Wednesday to hear from "
    "residents about the county jail budget and the sheriff's request for new deputies.",
    "Supervisor Anneliese Dubrovnik asked Sheriff Caspian Ortega how many deputies were "
    "assigned to the jail last year and how much overtime they worked.",
    "Residents who spoke during public comment were split, with several asking the board to "
    "spend more on mental health services instead of detention.",
    '"We cannot arrest our way out of a housing crisis," said Marguerite Osei, who leads '
    "the Valley Housing Coalition.",
]


def long_text(chars: int = 12_000) -> str:
    """A made-up meeting story of at least ``chars`` characters, in paragraphs."""
    parts = ["Supervisors debate jail budget"]
    while sum(len(p) + 2 for p in parts) < chars:
        parts.extend(LONG_PARAGRAPHS)
    return "\n\n".join(parts)


def write_corpus(root: Path, *, long: bool = True) -> Path:
    """Write the corpus under ``root`` (about 20 documents); return ``root``."""
    for name, text in ARTICLES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    copies = root / "copies"
    copies.mkdir(parents=True, exist_ok=True)
    (copies / "ventura-budget.txt").write_text(ARTICLES["nm/ventura-budget.txt"],
                                               encoding="utf-8")
    (root / "empty.txt").write_text("   \n\n", encoding="utf-8")
    (copies / "empty.txt").write_text("   \n\n", encoding="utf-8")
    exports = root / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    (exports / "wire.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    with (exports / "desk.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "headline", "text"])
        writer.writeheader()
        writer.writerows(CSV_ROWS)
    if long:
        (root / "az" / "supervisors-meeting.txt").write_text(long_text(), encoding="utf-8")
    return root


# -- the content of a database, without ids or timestamps ---------------------------

VOLATILE = {"ingested_at"}
VOLATILE_META = {"reapplied_at", "entities_watermark"}
#: Columns holding ids of another table that the schema does not declare.
REFERENCES = {("relations", "extracted_relation_id"): "extracted_relations",
              ("corpus_keys", "group_id"): "extracted_entities",
              ("corpus_pending", "document_id"): "documents"}
#: What identifies a row of these tables (others: all their columns).
IDENTITY = {"documents": ("path", "hash"), "entities": ("type", "name")}


def contents(db: str | Path) -> dict[str, list[tuple]]:
    """Every table's rows with ids replaced by what they point at, sorted."""
    conn = sqlite3.connect(str(db))
    try:
        return _Contents(conn).all()
    finally:
        conn.close()


class _Contents:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.cache: dict[tuple[str, Any], Any] = {}
        self.tables = [name for (name,) in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
            " and name not like 'documents_fts_%' order by name")]

    def references(self, table: str) -> dict[str, str]:
        refs = {row[3]: row[2] for row in self.conn.execute(
            f"pragma foreign_key_list([{table}])")}
        refs.update({column: target for (t, column), target in REFERENCES.items()
                     if t == table})
        return refs

    def row(self, table: str, values: dict[str, Any]) -> tuple:
        refs = self.references(table)
        out = []
        for column, value in sorted(values.items()):
            if column in VOLATILE or (column == "id" and table != "documents_fts"):
                continue
            if column in refs and value is not None:
                value = self.identity(refs[column], value)
            elif table == "documents" and column == "entity_ids" and value:
                value = tuple(sorted(repr(self.identity("entities", i))
                                     for i in json.loads(value)))
            out.append((column, value))
        return tuple(out)

    def identity(self, table: str, row_id: Any) -> Any:
        key = (table, row_id)
        if key not in self.cache:
            cursor = self.conn.execute(f"select * from [{table}] where id = ?", [row_id])
            names = [d[0] for d in cursor.description]
            found = cursor.fetchone()
            values = dict(zip(names, found)) if found else {"missing": row_id}
            if table in IDENTITY and found:
                self.cache[key] = tuple(values[c] for c in IDENTITY[table])
            else:
                self.cache[key] = self.row(table, values)
        return self.cache[key]

    def all(self) -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = {}
        for table in self.tables:
            if table == "documents_fts":
                rows = [(self.identity("documents", r[0]), r[1], r[2]) for r in self.conn.execute(
                    "select rowid, title, text from documents_fts")]
            else:
                cursor = self.conn.execute(f"select * from [{table}]")
                names = [d[0] for d in cursor.description]
                rows = [self.row(table, dict(zip(names, r))) for r in cursor]
                if table == "meta":
                    rows = [r for r in rows if dict(r)["key"] not in VOLATILE_META]
            out[table] = sorted(rows, key=repr)
        return out
