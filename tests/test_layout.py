"""The package follows the flow: each stage imports only from itself, the
stages before it and the shared base modules, never from a later stage."""

from __future__ import annotations

import ast
from pathlib import Path

import policycorpus

PACKAGE = Path(policycorpus.__file__).parent
FLOW = ["sources", "pipeline", "store", "corpus", "ingest", "query", "render", "export", "cli"]
BASE = "base"  # the modules directly in policycorpus/: errors, names, dates, records, ...
# Pairs that the order alone would allow but that the design keeps apart.
FORBIDDEN = {("render", "ingest"), ("export", "render"), ("query", "ingest")}


def _stage(parts: tuple[str, ...]) -> str:
    return parts[0] if len(parts) > 1 and parts[0] in FLOW else BASE


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "policycorpus":
                names.update(f"policycorpus.{alias.name}" for alias in node.names)
            elif node.module.startswith("policycorpus."):
                names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("policycorpus."))
    return names


def _violations() -> list[str]:
    rank = {BASE: -1, **{stage: i for i, stage in enumerate(FLOW)}}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] in {"models", "__main__.py"}:
            continue
        stage = _stage(parts)
        for module in _imported(ast.parse(path.read_text())):
            target = _stage(tuple(module.split(".")[1:]) + ("",))
            if rank[target] > rank[stage] or (stage, target) in FORBIDDEN:
                found.append(f"{'/'.join(parts)} ({stage}) imports {module} ({target})")
    return found


def test_no_module_imports_from_a_later_stage():
    assert _violations() == []


def test_every_stage_is_a_package_and_no_stray_modules_sit_beside_them():
    for stage in FLOW:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    base = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert base == ["__init__", "__main__", "atomicfile", "dates", "entity_types", "errors",
                    "extraction", "lawgrammar", "names", "plain", "records", "relation_types",
                    "resources", "safetext", "versions"]


def test_the_check_catches_an_upward_import(tmp_path, monkeypatch):
    fake = tmp_path / "policycorpus"
    (fake / "store").mkdir(parents=True)
    (fake / "store" / "bad.py").write_text("from policycorpus.query.reports import x\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert _violations() == ["store/bad.py (store) imports policycorpus.query.reports (query)"]
