"""Large batches of mentions, inserted without a trigger firing per row.

``document_entities`` (migration 6) is kept exact by triggers on
``mentions``: each inserted mention adds one to its (entity, document) row.
For a batch of thousands of documents that upsert is most of the cost of
writing the mentions (about three quarters, measured at 10,000 documents),
so a large batch inside a transaction drops the insert trigger, inserts the
rows, adds their counts with one grouped statement and creates the trigger
again, all in the same transaction: other connections never see the
trigger missing, and a failure rolls the whole batch back with it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

TRIGGER = "mentions_document_entities_insert"
#: Batches smaller than this are inserted row by row, trigger and all.
BULK = 1_000
_INSERT = ("insert into mentions (id, document_id, entity_id, start, \"end\", text,"
           " sent_start, sent_end, label, source, model_label, rule_id)"
           " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def insert_mentions(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert mention rows (id, document id, entity id, start, end, text,
    sentence start and end, label, source, model label, rule id) and count
    them in ``document_entities``."""
    if not rows:
        return
    if len(rows) < BULK or not conn.in_transaction:
        conn.executemany(_INSERT, rows)
        return
    low, high = min(r[0] for r in rows), max(r[0] for r in rows)
    trigger = conn.execute("select sql from sqlite_master where type = 'trigger' and name = ?",
                           [TRIGGER]).fetchone()
    taken = conn.execute("select 1 from mentions where id between ? and ? limit 1",
                         [low, high]).fetchone()
    if trigger is None or taken is not None:  # counts by id range would be wrong
        conn.executemany(_INSERT, rows)
        return
    conn.execute(f"drop trigger {TRIGGER}")
    conn.executemany(_INSERT, rows)
    conn.execute(
        "insert into document_entities (entity_id, document_id, mentions)"
        " select entity_id, document_id, count(*) from mentions where id between ? and ?"
        " group by entity_id, document_id"
        " on conflict (entity_id, document_id) do update set mentions = mentions + excluded.mentions",
        [low, high])
    conn.execute(trigger[0])
