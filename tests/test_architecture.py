"""The layout stays as docs/ARCHITECTURE.md draws it: imports point one way, files stay small."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "routeplan"

# upstream to downstream: a module may import its own rank or lower, never higher
RANK = {
    "errors": 0,
    "config": 0,
    "timewindows": 0,
    "_io": 0,
    "_geo": 0,
    "_labels": 0,
    "_versions": 0,
    "_memory": 0,
    "_console": 0,
    "demo": 0,
    "registers": 1,
    "network": 2,
    "matrix": 3,
    "planner": 4,
    "render": 5,
    "coverage": 6,
    "campaign": 7,
    "pipeline": 8,
    "app": 9,
    "areas": 9,
    "cli": 10,
}


def _modules() -> list[tuple[Path, str, ast.Module]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        package = ".".join(parts[:-1])  # the package a relative import starts from
        out.append((path, package, ast.parse(path.read_text(encoding="utf-8"))))
    return out


def _imports(package: str, tree: ast.Module) -> list[tuple[str, list[str], int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            found.append((target, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("routeplan"):
            found.append((node.module or "", [a.name for a in node.names], node.lineno))
    return found


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_imports_point_one_way() -> None:
    upward = []
    for path, package, tree in _modules():
        if path.name == "__init__.py" and package == "routeplan":
            continue  # the public API re-exports every stage
        here = path.stem if package == "routeplan" else _stage(package)
        for target, names, line in _imports(package, tree):
            targets = [target] if target != "routeplan" else [f"routeplan.{n}" for n in names]
            for t in targets:
                there = _stage(t)
                if there in RANK and here in RANK and RANK[there] > RANK[here]:
                    upward.append(f"{path.name}:{line} ({here}) imports {t}")
    assert not upward, "imports against the flow:\n" + "\n".join(upward)


def test_no_module_imports_another_modules_private_names() -> None:
    private = [
        f"{path.relative_to(PACKAGE)}:{line} imports {name} from {target}"
        for path, package, tree in _modules()
        for target, names, line in _imports(package, tree)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not private, "\n".join(private)


def test_files_and_functions_stay_small() -> None:
    long_files = []
    long_functions = []
    for path, _, tree in _modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > 1000:
            long_files.append(f"{path.relative_to(PACKAGE)}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 100:
                    long_functions.append(f"{path.relative_to(PACKAGE)}:{node.name} {length}")
    assert not long_files, long_files
    assert not long_functions, long_functions
