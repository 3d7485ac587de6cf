"""One write path: SQL writes live in the store package, and the corpus
layer's tables (entities, aliases, roles, mentions) are written by one module,
``store/derived.py``; ingest writes documents and the pipeline's rows only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import policycorpus

PACKAGE = Path(policycorpus.__file__).parent
CORPUS_TABLES = {"entities", "aliases", "roles", "mentions"}
SQL_WRITE = re.compile(r"\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|delete\s+from)"
                       r"\s+[\[\"]?(\w+)|\bupdate\s+[\[\"]?(\w+)[\]\"]?\s+set\b", re.I)
TABLE_WRITE = re.compile(r"\[\s*[\"'](\w+)[\"']\s*\]\s*\.\s*"
                         r"(?:insert|insert_all|upsert|upsert_all|update|delete|delete_where)\(")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def written_tables(path: Path) -> set[str]:
    """The tables a module writes: SQL in its string literals (docstrings aside)
    and sqlite-utils table calls (``db["t"].insert(...)``)."""
    source = path.read_text()
    tree = ast.parse(source)
    skip = _docstrings(tree)
    sql = " ".join(node.value for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)
                   and id(node) not in skip)
    tables = {a or b for a, b in SQL_WRITE.findall(sql)}
    return {t.lower() for t in tables} | set(TABLE_WRITE.findall(source))


def _modules(root: Path = PACKAGE) -> list[Path]:
    return [p for p in sorted(root.rglob("*.py")) if "models" not in p.relative_to(root).parts]


def test_sql_writes_live_only_in_the_store_package():
    outside = {str(p.relative_to(PACKAGE)): written_tables(p) for p in _modules()
               if p.relative_to(PACKAGE).parts[0] != "store"}
    assert {name: tables for name, tables in outside.items() if tables} == {}


def test_entities_aliases_roles_and_mentions_are_written_by_derived_alone():
    writers = {str(p.relative_to(PACKAGE)) for p in _modules()
               if written_tables(p) & CORPUS_TABLES}
    assert writers == {"store/derived.py"}


def test_the_check_finds_a_write_in_sql_and_through_sqlite_utils(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text('"""Update entities set nothing: a docstring is prose."""\n'
                      'def f(db):\n'
                      '    db.execute("update entities set name = ? where id = ?", [1, 2])\n'
                      '    db["aliases"].insert({"alias": "x"})\n'
                      '    db.execute("INSERT OR IGNORE INTO roles (title) values (?)", ["x"])\n'
                      '    db.execute("select * from mentions")\n')
    assert written_tables(module) == {"entities", "aliases", "roles"}
