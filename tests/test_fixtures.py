"""Every file in fixtures/invalid/ gives exactly the output stored beside it.

Set TMCHECK_UPDATE_EXPECTED=1 to rewrite the .expected files after a deliberate change, then
read the diff: it is the review.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.cli import RunCli, isolated
from tests.support.paths import FIXTURES

CASES = sorted(
    path for path in (FIXTURES / "invalid").iterdir() if path.suffix in (".yaml", ".json", ".md")
)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_invalid_fixture(case: Path, run_cli: RunCli, tmp_path: Path) -> None:
    name = f"fixtures/invalid/{case.name}"
    result = run_cli("check", "--no-config", name, cwd=isolated(tmp_path, name))
    actual = f"exit {result.code}\n{result.stdout}"
    expected_file = case.with_suffix(case.suffix + ".expected")
    if os.environ.get("TMCHECK_UPDATE_EXPECTED") == "1":
        expected_file.write_text(actual, encoding="utf-8")
    assert result.stderr == ""
    assert actual == expected_file.read_text(encoding="utf-8")
