"""`tmcheck check --base REF` on a real two-commit repository: the changes, the gate, the JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tests.support.gitrepo import STABLE, git, make_repository, write
from tmcheck.reporters.text import UNBLOCK_HINT


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    base, head = make_repository(tmp_path)
    return tmp_path, base, head


def _change(
    id: str | None, path: str, line: int, change: str, title: str, fields: list[str],
    before: tuple[int | None, str | None, str | None], after: tuple[int | None, str | None, str | None],
) -> dict[str, object]:  # fmt: skip
    return {
        "id": id, "path": path, "line": line, "change": change, "title": title, "fields": fields,
        "score_before": before[0], "score_after": after[0],
        "level_before": before[1], "level_after": after[1],
        "status_before": before[2], "status_after": after[2],
    }  # fmt: skip


EXPECTED_CHANGES = [
    _change("A3", "models/api.yaml", 6, "reopened", "Missing audit log", ["status"],
            (15, "high", "mitigated"), (15, "high", "open")),
    _change("A7", "models/api.yaml", 3, "new", "Webhook spoofing", [],
            (None, None, None), (20, "critical", "open")),
    _change("A1", "models/api.yaml", 4, "raised", "Request tampering",
            ["likelihood", "impact", "score", "level"], (6, "medium", "open"), (16, "high", "open")),
    _change(None, "models/shop.json", 25, "raised", "Cart tampering", ["level", "rating"],
            (None, "medium", "open"), (None, "high", "open")),
    _change("A4", "models/api.yaml", 7, "changed", "Verbose errors", ["owner"],
            (4, "low", "open"), (4, "low", "open")),
    _change("A2", "models/api.yaml", 5, "resolved", "Token forgery", ["status"],
            (15, "high", "open"), (15, "high", "mitigated")),
    _change("L1", "models/legacy.yaml", 2, "removed", "Shared admin password", [],
            (9, "medium", "in_progress"), (None, None, None)),
    _change("A5", "models/api.yaml", 7, "removed", "Unbounded uploads", [],
            (6, "medium", "open"), (None, None, None)),
]  # fmt: skip


def test_json_lists_every_kind_of_change_most_severe_first(
    run_cli: RunCli, repo: tuple[Path, str, str]
) -> None:
    root, base, _ = repo
    result = run_cli("check", "--format", "json", "--base", "HEAD~1", cwd=root)
    report = json.loads(result.stdout)
    assert report["base"] == base and len(base) == 40
    assert report["gate"] == "all"
    assert report["changes"] == EXPECTED_CHANGES
    assert [f["path"] for f in report["files"]] == [
        "models/api.yaml", "models/shop.json", "models/stable.yaml",
    ]  # fmt: skip


CHANGE_LINES = [
    "changes since HEAD~1 ({base}): 1 reopened, 1 new, 2 raised, 1 changed, 1 resolved, 2 removed",
    "  reopened A3 at models/api.yaml:6: mitigated -> open; 3 x 5 = 15 (high)",
    "  new      A7 at models/api.yaml:3: open, 4 x 5 = 20 (critical)",
    "  raised   A1 at models/api.yaml:4: 2 x 3 = 6 (medium) -> 4 x 4 = 16 (high)",
    "  raised   'Cart tampering' at models/shop.json:25: severity Medium (medium) -> severity High (high)",
    "  changed  A4 at models/api.yaml:7: owner Alice -> Bob",
    "  resolved A2 at models/api.yaml:5: open -> mitigated; 3 x 5 = 15 (high)",
    "  removed  L1 was at models/legacy.yaml:2: in_progress, 3 x 3 = 9 (medium)",
    "  removed  A5 was at models/api.yaml:7: open, 2 x 3 = 6 (medium)",
]
BLOCKING = {
    "A7": "models/api.yaml:3:5: error [blocking-threat] open threat A7 (Open) scores 4 x 5 = 20 (critical), at or above the threshold 12",
    "A1": "models/api.yaml:4:5: error [blocking-threat] open threat A1 (Open) scores 4 x 4 = 16 (high), at or above the threshold 12",
    "A3": "models/api.yaml:6:5: error [blocking-threat] open threat A3 (Open) scores 3 x 5 = 15 (high), at or above the threshold 12",
    "A6": "models/api.yaml:8:5: error [blocking-threat] open threat A6 (Open) scores 4 x 4 = 16 (high), at or above the threshold 12",
    "SQL": "models/shop.json:18:17: error [blocking-threat] open threat 'SQL injection in search' (Open) is high (severity High), at or above high, the level of threshold 12",
    "Cart": "models/shop.json:25:17: error [blocking-threat] open threat 'Cart tampering' (Open) is high (severity High), at or above high, the level of threshold 12",
    "S1": "models/stable.yaml:3:5: error [blocking-threat] open threat S1 (Open) scores 4 x 4 = 16 (high), at or above the threshold 12",
}
OWNERS = [
    "models/shop.json:18:17: warning [missing-owner] open high threat 'SQL injection in search' has no owner",
    "models/shop.json:25:17: warning [missing-owner] open high threat 'Cart tampering' has no owner",
]


def _expected(blocking: list[str], base: str, summary: str) -> list[str]:
    findings = sorted([BLOCKING[key] for key in blocking] + OWNERS)
    changes = [line.format(base=base[:12]) for line in CHANGE_LINES]
    return [*findings, *changes, summary, *([UNBLOCK_HINT] if blocking else [])]


def test_gate_all_blocks_every_open_threat_at_the_threshold(
    run_cli: RunCli, repo: tuple[Path, str, str]
) -> None:
    root, base, _ = repo
    result = run_cli("check", "--base", "HEAD~1", cwd=root)
    assert result.code == 1
    assert result.stdout.splitlines() == _expected(
        ["A7", "A1", "A3", "A6", "SQL", "Cart", "S1"],
        base,
        "tmcheck failed: 3 files, 9 threats (8 open, 7 blocking at threshold 12); 7 errors, 2 warnings",
    )


@pytest.mark.parametrize("how", ["config", "environment", "command line"])
def test_gate_new_blocks_only_what_the_change_introduced(
    run_cli: RunCli, repo: tuple[Path, str, str], how: str
) -> None:
    root, base, _ = repo
    args, environ = ["check", "--base", "HEAD~1"], {}
    if how == "config":
        write(
            root / ".tmcheck.yaml",
            "include: ['models/**']\nrules: {stride-coverage: off, unknown-component: off,"
            " missing-ticket: off}\ngate: new\n",
        )
    elif how == "environment":
        environ = {"TMCHECK_GATE": "new"}
    else:
        args.append("--gate=new")
    result = run_cli(*args, cwd=root, environ=environ)
    assert result.code == 1
    assert result.stdout.splitlines() == _expected(
        ["A7", "A1", "A3", "Cart"],
        base,
        "tmcheck failed: 3 files, 9 threats (8 open, 4 blocking at threshold 12,"
        " gate new: 3 existing not blocking); 4 errors, 2 warnings",
    )
    report = json.loads(run_cli(*args, "--format=json", cwd=root, environ=environ).stdout)
    assert report["gate"] == "new"
    blocking = {t["id"] or t["title"]: t["blocking"] for t in report["threats"] if t["open"]}
    assert blocking == {
        "A7": True, "A1": True, "A3": True, "Cart tampering": True,
        "A4": False, "A6": False, "SQL injection in search": False, "S1": False,
    }  # fmt: skip


def test_gate_new_passes_when_only_old_debt_remains(
    run_cli: RunCli, repo: tuple[Path, str, str]
) -> None:
    root, _, head = repo
    write(
        root / "models" / "stable.yaml", "# reviewed\n" + (root / "models/stable.yaml").read_text()
    )
    result = run_cli("check", "--base", "HEAD", "--gate", "new", cwd=root)
    assert result.code == 0, result.stdout
    assert result.stdout.splitlines()[-2:] == [
        f"no threat changed since HEAD ({head[:12]})",
        "tmcheck passed: 3 files, 9 threats (8 open, 0 blocking at threshold 12,"
        " gate new: 7 existing not blocking); 0 errors, 2 warnings",
    ]


def test_gate_new_without_a_base_falls_back_to_all_with_one_warning(
    run_cli: RunCli, repo: tuple[Path, str, str]
) -> None:
    root, _, _ = repo
    result = run_cli("check", "--gate", "new", cwd=root)
    lines = result.stdout.splitlines()
    assert lines[0] == (
        ".:1:1: warning [gate-without-base] gate: new needs a base revision to compare with"
        " (--base REF); every open threat at or above the threshold blocks, as with gate: all"
    )
    assert lines[-2:] == [
        "tmcheck failed: 3 files, 9 threats (8 open, 7 blocking at threshold 12); 7 errors,"
        " 3 warnings",
        UNBLOCK_HINT,
    ]
    assert "changes" not in json.loads(run_cli("check", "--format=json", cwd=root).stdout)


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("no-such-branch", "git rev-parse failed: bad revision 'no-such-branch'"),
        ("--output=/tmp/x", "not a revision"),
    ],
)
def test_a_base_that_does_not_exist_is_a_usage_error(
    run_cli: RunCli, repo: tuple[Path, str, str], ref: str, reason: str
) -> None:
    """On the command line a base git cannot resolve is the user's to fix: exit 2, git's
    reason. (The action warns instead: shallow clones are common there.)"""
    root, _, _ = repo
    result = run_cli("check", f"--base={ref}", "--gate=new", cwd=root)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"tmcheck: error: --base {ref}: {reason}\n"


def test_outside_a_git_repository_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "model.yaml", "component: {name: X}\nthreats: []\n")
    result = run_cli("check", "--base", "main", "model.yaml", cwd=tmp_path)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.startswith(
        "tmcheck: error: --base main: git rev-parse failed: not a git repository"
    )


def test_a_file_broken_at_the_base_is_one_warning_and_not_compared(
    run_cli: RunCli, repo: tuple[Path, str, str]
) -> None:
    root, _, head = repo
    write(root / "models" / "stable.yaml", "threats: [\n")
    git(root, "commit", "-qam", "break stable")
    git(root, "checkout", "-q", head, "--", "models/stable.yaml")  # repaired in the working tree
    result = run_cli("check", "--base", "HEAD", "--gate", "new", cwd=root)
    broken_commit = git(root, "rev-parse", "HEAD")[:12]
    assert [line for line in result.stdout.splitlines() if "base-unreadable" in line] == [
        f"models/stable.yaml:1:1: warning [base-unreadable] cannot compare with base"
        f" {broken_commit}: line 2: invalid YAML: did not find expected node content (while"
        " parsing a flow node); its threats are not compared and block as under gate: all"
    ]
    # S1 is not new, but could not be compared: it blocks, as under gate: all
    assert BLOCKING["S1"] in result.stdout.splitlines()
    assert "changes since HEAD" not in result.stdout and "no threat changed" in result.stdout


def test_a_broken_head_file_is_not_diffed(run_cli: RunCli, repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    write(root / "models" / "api.yaml", "threats: [\n")
    report = json.loads(run_cli("check", "--format=json", "--base=HEAD~1", cwd=root).stdout)
    assert [c["id"] for c in report["changes"]] == [None, "L1"]  # shop.json and legacy.yaml


def test_files_named_on_the_command_line_leave_deleted_files_alone(
    run_cli: RunCli, repo: tuple[Path, str, str]
) -> None:
    """pre-commit names the changed files: a deleted file elsewhere is not this run's business."""
    root, _, _ = repo
    report = json.loads(
        run_cli("check", "--format=json", "--base=HEAD~1", "models/shop.json", cwd=root).stdout
    )
    assert [(c["change"], c["title"]) for c in report["changes"]] == [("raised", "Cart tampering")]


def test_uncommitted_changes_compare_with_the_working_tree(
    run_cli: RunCli, repo: tuple[Path, str, str]
) -> None:
    root, _, _ = repo
    text = (root / "models/stable.yaml").read_text().replace("impact: 4", "impact: 5")
    write(root / "models" / "stable.yaml", text)
    write(root / "models" / "new.yaml", "component: {name: N}\nthreats:\n"
          "  - {id: N1, category: Spoofing, title: New one, likelihood: 1, impact: 1}\n")  # fmt: skip
    report = json.loads(run_cli("check", "--format=json", "--base=HEAD", cwd=root).stdout)
    assert [(c["change"], c["id"]) for c in report["changes"]] == [("new", "N1"), ("raised", "S1")]


def test_an_ignored_file_is_new_not_unchanged(run_cli: RunCli, repo: tuple[Path, str, str]) -> None:
    """git diff does not list an ignored file; it is not at the base either: its threats are new.
    (A walk skips it, as git does; named, it is checked.)"""
    root, _, _ = repo
    write(root / ".gitignore", "models/local/\n")
    write(root / "models" / "local" / "m.yaml", STABLE.replace("S1", "I1"))
    walked = run_cli("check", "--base=HEAD", "--gate=new", cwd=root)
    assert "models/local/m.yaml" not in walked.stdout
    result = run_cli("check", "--base=HEAD", "--gate=new", "models/local/m.yaml", cwd=root)
    assert "  new      I1 at models/local/m.yaml:3: open, 4 x 4 = 16 (high)" in result.stdout
    assert "error [blocking-threat] open threat I1" in result.stdout
