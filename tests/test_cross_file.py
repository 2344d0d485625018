"""Cross-file rules see the whole model when only some files are named (pre-commit, a pull
request's changed files): the other threat models under the root are context."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.cli import RunCli
from tests.support.gitrepo import git

OLD = """\
component: {name: Orders DB, owner: Data Team}
threats:
  - {id: T1, category: Tampering, title: Rows altered, likelihood: 2, impact: 2, status: Open}
  - {id: T2, category: Information Disclosure, title: Backups read, likelihood: 2, impact: 2,
     status: Open}
  - {id: T3, category: Denial of Service, title: Disk filled, likelihood: 2, impact: 2,
     status: Mitigated}
"""
NEW = """\
component: {name: Orders API, owner: Web Team}
threats:
  - {id: T1, category: Spoofing, title: Forged token, likelihood: 2, impact: 2, status: Open}
"""
ARCHITECTURE = """\
system: Shop
components:
  - {name: Orders DB, type: datastore}
flows: []
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _report(run_cli: RunCli, root: Path, *args: str) -> dict[str, Any]:
    result = run_cli("check", "--no-config", "--format", "json", *args, cwd=root)
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_a_named_file_reusing_an_id_is_the_duplicate(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path, {"models/orders-db.yaml": OLD, "models/orders-api.yaml": NEW})
    report = _report(run_cli, tmp_path, "models/orders-api.yaml")
    assert [(f["path"], f["rule"], f["message"]) for f in report["findings"]] == [
        ("models/orders-api.yaml", "duplicate-id",
         "duplicate threat id T1 (first defined at models/orders-db.yaml:3)"),
    ]  # fmt: skip
    assert [f["path"] for f in report["files"]] == ["models/orders-api.yaml"]


def test_an_architecture_alone_is_covered_by_unchanged_threats(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _write(tmp_path, {"architecture.yaml": ARCHITECTURE, "models/orders-db.yaml": OLD})
    report = _report(run_cli, tmp_path, "architecture.yaml")
    (row,) = report["coverage"]
    assert row["missing"] == [] and row["threats"]["Tampering"] == ["T1"]
    assert not [f for f in report["findings"] if f["rule"] == "stride-coverage"]


def test_a_full_run_blames_the_definition_the_change_introduced(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _write(tmp_path, {"models/z-orders-db.yaml": OLD})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    _write(tmp_path, {"models/a-orders-api.yaml": NEW})
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "head")
    report = _report(run_cli, tmp_path, "--base", "HEAD~1")
    duplicates = [
        (f["path"], f["message"]) for f in report["findings"] if f["rule"] == "duplicate-id"
    ]
    assert duplicates == [
        ("models/a-orders-api.yaml",
         "duplicate threat id T1 (first defined at models/z-orders-db.yaml:3)"),
    ]  # fmt: skip


def test_a_named_file_outside_the_root_reads_no_context(run_cli: RunCli, tmp_path: Path) -> None:
    """Checking a file of another project from inside this one: this project's threat models
    say nothing about it (its T1 is no duplicate of theirs)."""
    _write(tmp_path, {"project/models/orders-db.yaml": OLD, "elsewhere/orders-api.yaml": NEW})
    outside = str(tmp_path / "elsewhere" / "orders-api.yaml")
    result = run_cli("check", "--no-config", "-v", outside, cwd=tmp_path / "project")
    assert result.stdout.splitlines() == [
        "tmcheck passed: 1 file, 1 threat (1 open, 0 blocking at threshold 12); 0 errors,"
        " 0 warnings"
    ]
    root = (tmp_path / "project").resolve()
    assert result.stderr == (
        f"context: {outside} is outside the root {root}: no other threat model read\n"
    )
    # A path that leaves the root and comes back names a file under it: context is read.
    _write(tmp_path, {"project/models/orders-api.yaml": NEW})
    inside = _report(run_cli, tmp_path / "project", "../project/models/orders-api.yaml")
    assert [f["rule"] for f in inside["findings"]] == ["duplicate-id"]
