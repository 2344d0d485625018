"""The pre-commit path stays light: `tmcheck check` imports neither PyGithub nor Jinja2, and the
XML reader only when a file that looks like XML is read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.paths import FIXTURES

HEAVY = ("github", "jinja2", "markupsafe", "requests", "urllib3", "xml.etree", "defusedxml")
_PROBE = """
import io, sys
from tmcheck.cli import main
code = main(sys.argv[2:], stdout=io.StringIO(), stderr=io.StringIO())
heavy = sorted(
    wanted for wanted in sys.argv[1].split(",")
    if any(name == wanted or name.startswith(wanted + ".") for name in sys.modules)
)
print(code, ",".join(heavy))
"""


# YAML, JSON and Markdown models: no XML.
_SEED = [str(path) for path in sorted((FIXTURES / "seed").iterdir())]


def _imports(*args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-I", "-c", _PROBE, ",".join(HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def test_check_imports_no_github_and_no_jinja() -> None:
    models = _SEED
    assert _imports("check", "--no-config", *models) == "1"
    assert _imports("check", "--no-config", "--format", "json", *models) == "1"
    assert _imports("check", "--no-config", "--format", "sarif", *models) == "1"
    assert _imports("check", "--no-config", str(FIXTURES / "invalid")) == "1"
    # the Markdown report is the one that needs Jinja2, and only it
    assert (
        _imports("check", "--no-config", "--format", "markdown", *models) == "1 jinja2,markupsafe"
    )


def test_the_xml_reader_is_imported_for_xml_only(tmp_path: Path) -> None:
    xml = tmp_path / "model.tm7"  # no ThreatModel: read as XML, then no threat model
    xml.write_text('<KnowledgeBase xmlns="x"><Manifest/></KnowledgeBase>', encoding="utf-8")
    assert _imports("check", "--no-config", str(xml), *_SEED) == "1 defusedxml,xml.etree"
    assert _imports("check", "--no-config", *_SEED) == "1"
