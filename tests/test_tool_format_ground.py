"""What every tool format relies on: ids unique per file, size ceilings once the content is
recognised, top-level arrays, and `--base` matching a file-scoped id together with its file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.cli import RunCli
from tests.support.gitrepo import git
from tmcheck.check import run_check
from tmcheck.config import Settings


def _composer(*threats: tuple[int, str, str], padding: int = 0) -> str:
    """A Threat Composer file; `padding` bytes of image data make it large."""
    model: dict[str, Any] = {
        "schema": 1,
        "threats": [
            {"id": f"00000000-0000-4000-8000-{n:012d}", "numericId": n, "statement": statement,
             "status": status, "metadata": [{"key": "Priority", "value": "High"}]}
            for n, statement, status in threats
        ],
    }  # fmt: skip
    if padding:
        model["architecture"] = {"image": "data:image/png;base64," + "A" * padding}
    return json.dumps(model, indent=2)


def test_file_scoped_ids_repeat_across_files_but_not_within_one(tmp_path: Path) -> None:
    (tmp_path / "a.tc.json").write_text(_composer((1, "One", "threatResolved")))
    (tmp_path / "b.tc.json").write_text(_composer((1, "Other", "threatResolved")))
    (tmp_path / "c.tc.json").write_text(
        _composer((2, "Two", "threatResolved"), (2, "Again", "threatResolved"))
    )
    result = run_check([str(tmp_path)], Settings(root=tmp_path))
    duplicates = [
        (Path(f.path).name, f.message) for f in result.findings if f.rule == "duplicate-id"
    ]
    assert duplicates == [
        ("c.tc.json", f"duplicate threat id T-0002 (first defined at {tmp_path}/c.tc.json:4)")
    ]


def test_run_wide_ids_still_clash_across_files(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("threats:\n  - {id: R1, title: Replay, status: open}\n")
    result = run_check([str(tmp_path)], Settings(root=tmp_path))
    assert [f.rule for f in result.findings].count("duplicate-id") == 1


def test_a_tool_file_may_exceed_max_file_bytes_yaml_may_not(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / ".tmcheck.yaml").write_text("max_file_bytes: 1024\n")
    (tmp_path / "big.tc.json").write_text(_composer((1, "One", "threatResolved"), padding=5000))
    register = {"threats": [{"id": "R1", "title": "x" * 5000, "status": "open"}]}
    (tmp_path / "big-register.json").write_text(json.dumps(register))
    (tmp_path / "big.yaml").write_text("threats:\n  - {id: R2, title: " + "y" * 5000 + "}\n")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.stdout.splitlines()[:2] == [
        "big-register.json:1:1: error [read-error] is larger than 1024 bytes (max_file_bytes);"
        " not read",
        "big.yaml:1:1: error [read-error] is larger than 1024 bytes (max_file_bytes); not read",
    ]
    assert "1 threat" in result.stdout.splitlines()[-1]  # big.tc.json was read


def test_a_tool_file_has_its_own_ceiling(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "huge.tc.json").write_text(
        _composer((1, "One", "threatResolved"), padding=16 * 1024 * 1024)
    )
    result = run_cli("check", "--no-config", "huge.tc.json", cwd=tmp_path)
    assert result.code == 1
    assert result.stdout.startswith(
        f"huge.tc.json:1:1: error [read-error] is larger than {16 * 1024 * 1024} bytes"
    )


def test_a_json_array_is_not_a_parse_error(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "list.json").write_text('[{"name": "a"}, 2]')
    walked = run_cli("check", "--no-config", ".", cwd=tmp_path)
    assert "list.json" not in walked.stdout
    named = run_cli("check", "--no-config", "list.json", cwd=tmp_path)
    assert named.stdout.startswith("list.json:1:1: error [unknown-format]")


def test_base_matches_a_file_scoped_id_within_its_file(tmp_path: Path, run_cli: RunCli) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.tc.json").write_text(_composer((1, "Token theft", "threatIdentified")))
    (tmp_path / "b.tc.json").write_text(_composer((1, "Log loss", "threatIdentified")))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    # a.tc.json: T-0001 reworded and resolved; b.tc.json unchanged
    (tmp_path / "a.tc.json").write_text(_composer((1, "Session token theft", "threatResolved")))
    git(tmp_path, "commit", "-q", "-am", "head")
    result = run_cli("check", "--no-config", "--format", "json", "--base", "HEAD~1", cwd=tmp_path)
    changes = [
        (c["change"], c["id"], c["path"], c["fields"]) for c in json.loads(result.stdout)["changes"]
    ]
    assert changes == [("resolved", "T-0001", "a.tc.json", ["title", "status"])]
