"""What a run holds per threat is small, and what it writes does not change for it: the streamed
JSON report, packed positions, short titles, and a check path that imports no jsonschema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.gitrepo import make_repository
from tests.support.paths import FIXTURES, REPO
from tmcheck.check import run_check
from tmcheck.config import load_settings
from tmcheck.formats.fields import short_title
from tmcheck.git import Git
from tmcheck.model import ThreatEntry
from tmcheck.reporters import json_report
from tmcheck.results import RunResult


def _result(paths: list[str], cwd: Path, base: str | None = None) -> RunResult:
    settings = load_settings(cwd=cwd, use_config_file=True, environment={})
    repository = Git.find(cwd) if base is not None else None
    return run_check(paths, settings, base=base, repository=repository)


def _whole(result: RunResult) -> str:
    return json.dumps(json_report.to_dict(result), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("folder", ["seed", "invalid"])
def test_streamed_json_is_the_whole_document_byte_for_byte(folder: str) -> None:
    result = _result([str(FIXTURES / folder)], REPO)
    assert result.threats and result.findings
    assert json_report.render(result) == _whole(result)


def test_streamed_json_escapes_strings_as_the_encoder_does(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(
        'component: {name: "\u00dc \\"q\\" back\\\\slash \\u2028"}\n'
        "threats:\n"
        '  - {id: T1, category: Spoofing, title: "\\x01 \\U0001F600 </script>",'
        " likelihood: 5, impact: 5, status: Open}\n",
        encoding="utf-8",
    )
    result = _result([str(tmp_path / "m.yaml")], tmp_path)
    entry = result.threats[0].entry
    assert (entry.title, entry.component) == (
        "\x01 \U0001f600 </script>",
        '\u00dc "q" back\\slash \u2028',
    )
    assert json_report.render(result) == _whole(result)


def test_streamed_json_with_changes_and_with_nothing(tmp_path: Path) -> None:
    make_repository(tmp_path)
    changed = _result([], tmp_path, base="HEAD~1")
    assert changed.comparison is not None and changed.comparison.changes
    assert json_report.render(changed) == _whole(changed)
    empty = RunResult((), (), (), 12)
    assert json_report.render(empty) == _whole(empty)
    assert '"files": [],' in json_report.render(empty)


def test_entries_keep_the_positions_findings_point_at() -> None:
    positions = {"id": (3, 7), "description": (4, 5), "status": (70000, 300), "owner": (9, 2**33)}
    entry = ThreatEntry("m.yaml", 3, 5, "stride-worksheet", "T1", "t", positions=positions)
    assert isinstance(entry.positions, bytes)
    assert entry.position_of("id") == (3, 7)
    assert entry.position_of("status") == (70000, 300)
    assert entry.position_of("owner") == (9, 2**32 - 1)  # clamped, never an error
    assert entry.position_of("description") == (3, 5)  # a long text: the entry's own line
    assert entry.position_of("no-such-key") == (3, 5)
    assert ThreatEntry("m.yaml", 1, 1, "x", None, "").position_of("id") == (1, 1)


def test_repeated_words_are_held_once() -> None:
    first, second = (
        ThreatEntry("m.yaml", 1, 1, "x", "T", "", status="".join(["In ", "progress"]))
        for _ in range(2)
    )
    assert first.status == "In progress" and first.status is second.status


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Short and whole.", "Short and whole."),
        ("x" * 120, "x" * 120),
        (
            "Administrators can change prices without an audit trail. " + "More words here. " * 8,
            "Administrators can change prices without an audit trail.",
        ),
        ("e.g. " + "word " * 30, "e.g. " + "word " * 22 + "word\u2026"),
        ("v1.2 " + "z" * 130, "v1.2\u2026"),
        ("y" * 130, "y" * 119 + "\u2026"),
    ],
)
def test_long_texts_give_a_short_title(text: str, title: str) -> None:
    assert short_title(text) == title
    assert len(short_title(text)) <= 120


def test_a_long_description_is_titled_by_its_first_sentence(tmp_path: Path) -> None:
    description = "Tokens never expire. " + "They are reused by every client of the API. " * 5
    (tmp_path / "m.yaml").write_text(
        "component: {name: API}\n"
        f"threats:\n  - {{id: T1, category: Spoofing, description: {description}}}\n",
        encoding="utf-8",
    )
    report = json.loads(json_report.render(_result([str(tmp_path / "m.yaml")], tmp_path)))
    assert report["threats"][0]["title"] == "Tokens never expire."


_IMPORTS = """
import sys
from tmcheck.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"jsonschema", "referencing", "jinja2", "github"})
print(code, ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("model", "config", "environment", "expected"),
    [
        ("seed/stride-worksheet.yaml", "threshold: 20\nrules: {missing-owner: off}\n", {}, "0 "),
        ("seed/threat-register.yaml", None, {"TMCHECK_THRESHOLD": "25"}, "0 "),
        ("invalid/worksheet-schema-errors.yaml", None, {}, "1 jsonschema,referencing"),
        ("seed/threat-register.yaml", "threshold: 30\n", {}, "2 jsonschema,referencing"),
    ],
)
def test_valid_files_and_config_do_not_import_jsonschema(
    tmp_path: Path, model: str, config: str | None, environment: dict[str, str], expected: str
) -> None:
    target = tmp_path / Path(model).name
    target.write_bytes((FIXTURES / model).read_bytes())
    if config is not None:
        (tmp_path / ".tmcheck.yaml").write_text(config, encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, "-c", _IMPORTS, "check", "--format", "json", target.name],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.stderr.splitlines()[-1] == expected, ran.stderr
