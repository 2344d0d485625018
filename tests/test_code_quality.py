"""The package stays ruff-clean, passes mypy --strict, and its modules import without cycles.

ruff and mypy run as `python -m` from the interpreter running the tests: never skipped because
a virtualenv's scripts are not on PATH (they are test dependencies: a missing one fails)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO


def test_ruff() -> None:
    folders = [name for name in ("tmcheck", "tests", "bench") if (REPO / name).is_dir()]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *folders], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # half a minute from a cold cache
def test_mypy() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _module_imports(package: Path) -> dict[str, set[str]]:
    """Each module of the package, and the package modules it imports when it is imported
    (not inside functions, not under TYPE_CHECKING)."""
    modules = {}
    for path in package.rglob("*.py"):
        name = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
                "tmcheck"
            ):
                continue
            assert node.module is not None
            imported.add(node.module)
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {other for other in imported if other in modules and other != name}
    return graph


def test_no_import_cycles() -> None:
    graph = _module_imports(REPO / "tmcheck")
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = [*path[path.index(module) :], module]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
