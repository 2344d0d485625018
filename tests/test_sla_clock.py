"""The SLA clock from `identified:` dates and back-dated git history, acceptances by role, tickets.

The repository is built with real git: commits 30, 10 and 2 days before "today" (pinned with
TMCHECK_TODAY) add, raise, lower and accept threats; every expected date follows from the
seed's treatment table (critical 24 hours, high 1 week, medium 1 month, low 1 quarter).
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tmcheck.treatment import parse_sla

TODAY = "2026-11-30"
DAYS_30, DAYS_10, DAYS_2 = "2026-10-31", "2026-11-20", "2026-11-28"

CONFIG = """\
include: ['models/**']
approvers:
  Security Lead: [alice, bob]
  CISO: [carol]
ticket_url: "https://tracker.example/browse/{ticket}"
"""

V1 = """\
component: {name: API, owner: Platform Team}
threats:
  - {id: T1, category: Tampering, title: Request tampering, likelihood: 2, impact: 3, status: Open, ticket: "#12"}
  - {id: T2, category: Spoofing, title: Token forgery, likelihood: 3, impact: 4, status: Open, ticket: SEC-7}
  - {id: T3, category: Repudiation, title: Missing audit log, likelihood: 2, impact: 2, status: Open}
  - {id: T4, category: Denial of Service, title: Unbounded uploads, likelihood: 2, impact: 3, status: Open}
  - {id: T5, category: Elevation of Privilege, title: Admin API exposed, likelihood: 5, impact: 4, status: Open}
"""
# 10 days ago: T1 raised (medium -> high), T5 lowered (critical -> high), T6 added with its date.
V2 = """\
component: {name: API, owner: Platform Team}
threats:
  - {id: T1, category: Tampering, title: Request tampering, likelihood: 4, impact: 3, status: Open, ticket: "#12"}
  - {id: T2, category: Spoofing, title: Token forgery, likelihood: 3, impact: 4, status: Open, ticket: SEC-7}
  - {id: T3, category: Repudiation, title: Missing audit log, likelihood: 2, impact: 2, status: Open}
  - {id: T4, category: Denial of Service, title: Unbounded uploads, likelihood: 2, impact: 3, status: Open}
  - {id: T5, category: Elevation of Privilege, title: Admin API exposed, likelihood: 4, impact: 4, status: Open}
  - {id: T6, category: Spoofing, title: Webhook spoofing, likelihood: 4, impact: 4, status: Open, identified: 2026-11-25}
"""
# 2 days ago: T7 (critical) added; acceptances by each role.
V3 = (
    V2
    + """\
  - {id: T7, category: Tampering, title: Cache poisoning, likelihood: 5, impact: 5, status: Open}
  - id: T8
    category: Spoofing
    title: SSO bypass
    likelihood: 5
    impact: 4
    status: Accepted
    acceptance: {approver: Team Lead, reason: Vendor fix due, expires: 2027-06-30}
  - id: T9
    category: Tampering
    title: Log injection
    likelihood: 3
    impact: 4
    status: Accepted
    acceptance: {approver: Alice, reason: WAF rule, expires: 2027-06-30}
  - id: T10
    category: Repudiation
    title: Weak audit
    likelihood: 5
    impact: 5
    status: Accepted
    acceptance: {approver: CISO, reason: Compensating control, expires: 2027-06-30}
  - id: T11
    category: Tampering
    title: Open redirect
    likelihood: 2
    impact: 3
    status: Accepted
    acceptance: {approver: Dave, reason: Low value, expires: 2027-06-30}
"""
)


def git(repo: Path, *args: str, date: str | None = None) -> str:
    environment = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date is not None:
        environment["GIT_AUTHOR_DATE"] = environment["GIT_COMMITTER_DATE"] = f"{date}T12:00:00Z"
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo, check=True, capture_output=True, text=True, env=environment,
    ).stdout.strip()  # fmt: skip


def commit(repo: Path, files: dict[str, str], date: str, message: str) -> str:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message, date=date)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commits = {
        "v1": commit(root, {".tmcheck.yaml": CONFIG, "models/api.yaml": V1}, DAYS_30, "v1"),
    }
    # The file moves with the second commit: history follows it.
    git(root, "mv", "models/api.yaml", "models/service.yaml")
    commits["v2"] = commit(root, {"models/service.yaml": V2}, DAYS_10, "v2")
    commits["v3"] = commit(root, {"models/service.yaml": V3}, DAYS_2, "v3")
    return root, commits


def _json(run_cli: RunCli, cwd: Path, **environ: str) -> dict[str, object]:
    result = run_cli(
        "check", "--format", "json", cwd=cwd,
        environ={"TMCHECK_TODAY": TODAY, "TMCHECK_HISTORY_COMMITS": "500", **environ},
    )  # fmt: skip
    assert result.code == 1, result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    return report


def _by_id(report: dict[str, object]) -> dict[str, dict[str, object]]:
    threats = report["threats"]
    assert isinstance(threats, list)
    return {threat["id"]: threat for threat in threats}


def test_clock_starts_due_dates_and_sources_follow_the_seed_table(
    run_cli: RunCli, repo: tuple[Path, dict[str, str]]
) -> None:
    root, commits = repo
    threats = _by_id(_json(run_cli, root))
    clocks = {
        key: (t["level"], t["clock_start"], t["clock_source"], t["due"], t["overdue"])
        for key, t in threats.items()
    }
    assert clocks == {
        # raised 10 days ago: the clock restarts at the commit that raised it
        "T1": ("high", DAYS_10, "git", "2026-11-27", True),
        "T2": ("high", DAYS_30, "git", "2026-11-07", True),
        "T3": ("low", DAYS_30, "git", "2027-01-31", False),  # 1 quarter
        "T4": ("medium", DAYS_30, "git", "2026-11-30", False),  # due today: not yet overdue
        # lowered 10 days ago from critical: keeps the start of its time at high or above
        "T5": ("high", DAYS_30, "git", "2026-11-07", True),
        "T6": ("high", "2026-11-25", "identified", "2026-12-02", False),
        "T7": ("critical", DAYS_2, "git", "2026-11-29", True),
        # accepted by a Team Lead, but critical: still open, so its clock runs
        "T8": ("critical", DAYS_2, "git", "2026-11-29", True),
        # rightly accepted: closed, no clock
        "T9": ("high", None, None, None, False),
        "T10": ("critical", None, None, None, False),
        "T11": ("medium", None, None, None, False),
    }
    assert threats["T1"]["clock_commit"] == commits["v2"]
    assert threats["T2"]["clock_commit"] == commits["v1"]  # found across the rename
    assert threats["T2"]["treatment"] == {
        "action": "Remediation in current sprint", "sla": "1 week", "approver": "Security Lead",
    }  # fmt: skip
    assert (threats["T1"]["ticket"], threats["T1"]["ticket_url"]) == ("#12", None)
    assert threats["T2"]["ticket_url"] == "https://tracker.example/browse/SEC-7"


def test_findings_name_the_overdue_threats_and_the_unauthorized_acceptance(
    run_cli: RunCli, repo: tuple[Path, dict[str, str]]
) -> None:
    root, commits = repo
    report = _json(run_cli, root)
    findings = report["findings"]
    assert isinstance(findings, list)
    overdue = [f["message"] for f in findings if f["rule"] == "sla-overdue"]
    v1, v2, v3 = (commits[k][:7] for k in ("v1", "v2", "v3"))
    assert overdue == [
        f"T1 (high) has been open 10 days since {DAYS_10} (commit {v2}); its SLA is 1 week:"
        " overdue by 3 days",
        f"T2 (high) has been open 30 days since {DAYS_30} (commit {v1}); its SLA is 1 week:"
        " overdue by 23 days",
        f"T5 (high) has been open 30 days since {DAYS_30} (commit {v1}); its SLA is 1 week:"
        " overdue by 23 days",
        f"T7 (critical) has been open 2 days since {DAYS_2} (commit {v3}); its SLA is 24 hours:"
        " overdue by 1 day",
        f"T8 (critical) has been open 2 days since {DAYS_2} (commit {v3}); its SLA is 24 hours:"
        " overdue by 1 day",
    ]
    assert all(f["level"] == "warning" for f in findings if f["rule"] == "sla-overdue")
    acceptance = [
        (f["level"], f["message"]) for f in findings if f["rule"] == "acceptance-unauthorized"
    ]
    assert acceptance == [
        ("error", "T8 is critical: acceptance needs CISO; approved by Team Lead"),
        ("warning", "T11's acceptance names 'Dave', neither a role (Team Lead, Security Lead,"
         " CISO) nor a person under approvers:; a medium threat needs Team Lead"),
    ]  # fmt: skip
    blocking = {f["threat_id"] for f in findings if f["rule"] == "blocking-threat"}
    assert "T8" in blocking and "T9" not in blocking and "T10" not in blocking
    tickets = sorted(f["threat_id"] for f in findings if f["rule"] == "missing-ticket")
    assert tickets == ["T5", "T6", "T7", "T8"]  # blocking, no ticket
    summary = report["summary"]
    assert isinstance(summary, dict) and summary["overdue"] == 5


def test_a_shallow_clone_says_the_clock_is_unknown(
    run_cli: RunCli, repo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _ = repo
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{root}", str(clone))
    threats = _by_id(_json(run_cli, clone))
    assert threats["T2"]["clock_start"] is None and threats["T2"]["due"] is None
    assert threats["T2"]["clock_unknown"] == "shallow clone: check out with fetch-depth: 0"
    assert threats["T2"]["overdue"] is False
    assert threats["T6"]["clock_source"] == "identified"  # the file's own date needs no history
    markdown = run_cli(
        "check", "--format", "markdown", cwd=clone, environ={"TMCHECK_TODAY": TODAY,
                                                             "TMCHECK_HISTORY_COMMITS": "500"},
    ).stdout  # fmt: skip
    assert "| unknown: shallow clone: check out with fetch\\-depth: 0 |" in markdown
    assert "| in 2 days |" in markdown


def test_a_deeper_clone_knows_what_happened_within_it(
    run_cli: RunCli, repo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, commits = repo
    clone = tmp_path / "depth2"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{root}", str(clone))
    threats = _by_id(_json(run_cli, clone))
    assert threats["T7"]["clock_start"] == DAYS_2  # added inside the visible history
    assert threats["T7"]["clock_commit"] == commits["v3"]
    assert threats["T2"]["clock_unknown"] == "shallow clone: check out with fetch-depth: 0"


def test_the_commit_cap_bounds_the_history_read(
    run_cli: RunCli, repo: tuple[Path, dict[str, str]]
) -> None:
    root, commits = repo
    threats = _by_id(_json(run_cli, root, TMCHECK_HISTORY_COMMITS="2"))
    assert threats["T7"]["clock_commit"] == commits["v3"]  # the two commits read show it added
    assert threats["T2"]["clock_unknown"] == (
        "its history is longer than the 2 commits read (history_commits)"
    )
    off = _by_id(_json(run_cli, root, TMCHECK_HISTORY_COMMITS="0"))
    assert off["T2"]["clock_unknown"] == "git history not read (history_commits: 0)"


def test_an_uncommitted_raise_starts_the_clock_today(
    run_cli: RunCli, repo: tuple[Path, dict[str, str]]
) -> None:
    root, _ = repo
    model = root / "models" / "service.yaml"
    model.write_text(
        model.read_text().replace("likelihood: 2, impact: 2", "likelihood: 3, impact: 3")
    )  # T3: low -> medium, not committed
    threats = _by_id(_json(run_cli, root))
    assert (threats["T3"]["level"], threats["T3"]["clock_start"]) == ("medium", TODAY)
    assert threats["T3"]["clock_commit"] is None


def test_a_reopened_threat_starts_again(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    open_line = "  - {id: R1, category: Spoofing, likelihood: 4, impact: 4, status: Open}\n"
    head = "component: {name: X, owner: o}\nthreats:\n"
    commit(root, {"m.yaml": head + open_line}, DAYS_30, "open")
    commit(root, {"m.yaml": head + open_line.replace("Open", "Mitigated")}, DAYS_10, "fixed")
    commit(root, {"m.yaml": head + open_line}, DAYS_2, "reopened")
    threats = _by_id(_json(run_cli, root))
    assert (threats["R1"]["clock_start"], threats["R1"]["due"]) == (DAYS_2, "2026-12-05")


@pytest.mark.parametrize(
    ("text", "start", "due"),
    [
        ("24 hours", "2026-11-06", "2026-11-07"),
        ("36 hours", "2026-11-06", "2026-11-08"),
        ("1 week", "2026-11-06", "2026-11-13"),
        ("1 month", "2026-01-31", "2026-02-28"),
        ("1 quarter", "2026-11-30", "2027-02-28"),
        ("10 days", "2026-11-06", "2026-11-16"),
        (10, "2026-11-06", "2026-11-16"),
        ("None", "2026-11-06", None),
    ],
)
def test_sla_arithmetic(text: str | int, start: str, due: str | None) -> None:
    sla = parse_sla(text)
    assert sla is not None
    got = sla.due(datetime.date.fromisoformat(start))
    assert (got.isoformat() if got else None) == due


def test_the_policy_is_configurable_and_checked(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(
        "component: {name: X, owner: o}\nthreats:\n"
        "  - {id: P1, category: Spoofing, likelihood: 4, impact: 4, status: Open,"
        " identified: 2026-11-25}\n"
        "  - id: P2\n    category: Spoofing\n    likelihood: 4\n    impact: 4\n"
        "    status: Accepted\n    acceptance: {approver: eve, reason: r, expires: 2027-01-01}\n"
    )
    (tmp_path / ".tmcheck.yaml").write_text(
        "treatment:\n  high: {sla: 2 days, approver: Architect}\n"
        "roles: [Team Lead, Architect, Security Lead, CISO]\n"
        "approvers: {Architect: [eve]}\n"
        "rules: {sla-overdue: error, missing-ticket: off}\n"
    )
    result = run_cli("check", "m.yaml", cwd=tmp_path, environ={"TMCHECK_TODAY": TODAY})
    assert [line for line in result.stdout.splitlines() if line.startswith("m.yaml:")] == [
        "m.yaml:3:5: error [blocking-threat] open threat P1 (Open) scores 4 x 4 = 16 (high), at"
        " or above the threshold 12",
        "m.yaml:3:74: error [sla-overdue] P1 (high) has been open 5 days since 2026-11-25"
        " (identified); its SLA is 2 days: overdue by 3 days",
    ]
    (tmp_path / ".tmcheck.yaml").write_text(
        "treatment:\n  high: {approver: Architect}\nroles: [Team Lead, Security Lead, CISO]\n"
    )
    bad = run_cli("check", "m.yaml", cwd=tmp_path)
    assert bad.code == 2
    assert "treatment.high.approver: 'Architect' is not one of the roles" in bad.stderr
    (tmp_path / ".tmcheck.yaml").write_text("treatment:\n  high: {sla: fortnight}\n")
    bad = run_cli("check", "m.yaml", cwd=tmp_path)
    assert bad.code == 2 and "treatment.high.sla: 'fortnight' is not an SLA" in bad.stderr
    (tmp_path / ".tmcheck.yaml").unlink()
    bad_today = run_cli("check", "m.yaml", cwd=tmp_path, environ={"TMCHECK_TODAY": "soon"})
    assert bad_today.code == 2 and "TMCHECK_TODAY" in bad_today.stderr
