"""The package stays ruff-clean and passes mypy --strict."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import REPO, need


def test_ruff() -> None:
    need(shutil.which("ruff") is not None, "ruff is not installed (pip install -e '.[test]')")
    # bench/ arrives with the benchmarks; lint it once it exists
    folders = [name for name in ("tmcheck", "tests", "bench") if (REPO / name).is_dir()]
    result = subprocess.run(["ruff", "check", *folders], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    need(shutil.which("mypy") is not None, "mypy is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
