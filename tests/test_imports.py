"""The pre-commit path stays light: `tmcheck check` imports neither PyGithub nor Jinja2."""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import FIXTURES

HEAVY = ("github", "jinja2", "markupsafe", "requests", "urllib3")
_PROBE = """
import io, sys
from tmcheck.cli import main
code = main(sys.argv[2:], stdout=io.StringIO(), stderr=io.StringIO())
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1].split(",")))
print(code, ",".join(heavy))
"""


def _imports(*args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-I", "-c", _PROBE, ",".join(HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def test_check_imports_no_github_and_no_jinja() -> None:
    models = [str(path) for path in sorted((FIXTURES / "seed").iterdir())]
    assert _imports("check", "--no-config", *models) == "1"
    assert _imports("check", "--no-config", "--format", "json", *models) == "1"
    assert _imports("check", "--no-config", "--format", "sarif", *models) == "1"
    assert _imports("check", "--no-config", str(FIXTURES / "invalid")) == "1"
    # the Markdown report is the one that needs Jinja2, and only it
    assert (
        _imports("check", "--no-config", "--format", "markdown", *models) == "1 jinja2,markupsafe"
    )
