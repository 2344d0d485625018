"""OTM, TM-BOM, pytm and threatcl files through `--base`, `gate: new`, SARIF and JSON.

A repository holds one file of each format (the fixtures); the head commit makes one change in
each: an OTM instance resolved and a new one added, a TM-BOM risk raised, a pytm finding given
a response, a threatcl threat raised.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.support.cli import RunCli
from tests.support.gitrepo import git
from tests.support.paths import FIXTURES

TOOLS = FIXTURES / "tools"
FILES = {
    "shop.otm": TOOLS / "otm" / "shop.otm",
    "shop.tmbom.json": TOOLS / "tm-bom" / "shop.tmbom.json",
    "tm.json": TOOLS / "pytm" / "shop-tm.json",
    "threatcl.json": TOOLS / "threatcl" / "shop-export.json",
}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _repository(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    for name, source in FILES.items():
        shutil.copyfile(source, root / name)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    _replace(
        root / "shop.otm",
        '{"threat": "session-theft", "state": "expose"}',
        '{"threat": "session-theft", "state": "mitigate"}',
    )
    _replace(
        root / "shop.otm",
        '"threats": [{"threat": "sql-injection", "state": "NotApplicable"}]',
        '"threats": [{"threat": "sql-injection", "state": "NotApplicable"},'
        ' {"threat": "session-theft", "state": "exposed"}]',
    )
    _replace(root / "shop.tmbom.json", '"likelihood": "rare"', '"likelihood": "likely"')
    _replace(
        root / "tm.json",
        '"response": "", "severity": "High", "target": "Shop API", "threat_id": "INP03"',
        '"response": "mitigated", "severity": "High", "target": "Shop API", "threat_id": "INP03"',
    )
    _replace(
        root / "threatcl.json",
        '{"likelihood":"low","impact":"low"}',
        '{"likelihood":"high","impact":"very_high"}',
    )
    git(root, "commit", "-q", "-am", "head")
    return root


def test_base_diff_matches_each_format_by_its_ids(tmp_path: Path, run_cli: RunCli) -> None:
    root = _repository(tmp_path)
    result = run_cli("check", "--no-config", "--format", "json", "--base", "HEAD~1", cwd=root)
    report = json.loads(result.stdout)
    assert sorted((f["path"], f["format"]) for f in report["files"]) == [
        ("shop.otm", "otm"),
        ("shop.tmbom.json", "tm-bom"),
        ("threatcl.json", "threatcl"),
        ("tm.json", "pytm"),
    ]
    changes = sorted((c["change"], c["path"], c["id"]) for c in report["changes"])
    assert changes == [
        ("new", "shop.otm", "session-theft@orders-db"),
        ("raised", "shop.tmbom.json", "order-history-loss"),
        ("raised", "threatcl.json", "Shop/Order flooding"),
        ("resolved", "shop.otm", "session-theft@api"),
        ("resolved", "tm.json", "INP03@Shop API"),
    ]


def test_gate_new_blocks_only_what_the_change_brought(tmp_path: Path, run_cli: RunCli) -> None:
    root = _repository(tmp_path)
    (root / ".tmcheck.yaml").write_text("gate: new\n", encoding="utf-8")
    result = run_cli("check", "--format", "json", "--base", "HEAD~1", cwd=root)
    report = json.loads(result.stdout)
    blocking = sorted(
        (f["path"], f["threat_id"]) for f in report["findings"] if f["rule"] == "blocking-threat"
    )
    assert blocking == [
        ("shop.otm", "session-theft@orders-db"),  # 4 x 5 = 20, new
        ("shop.tmbom.json", "order-history-loss"),  # likely x major = 16, raised from 4
        ("threatcl.json", "Shop/Order flooding"),  # 4 x 5 = 20, raised from 2 x 2
    ]
    assert result.code == 1


def test_sarif_names_the_threats_of_each_format(tmp_path: Path, run_cli: RunCli) -> None:
    root = _repository(tmp_path)
    result = run_cli("check", "--no-config", "--format", "sarif", ".", cwd=root)
    sarif = json.loads(result.stdout)
    blocking = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "blocking-threat"]
    where = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in blocking}
    assert where == {"shop.otm", "shop.tmbom.json", "tm.json", "threatcl.json"}
    one_line = [
        r for r in blocking
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tm.json"
    ]  # fmt: skip
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] == 1 for r in one_line)
    assert any("INP05@Shop API" in r["message"]["text"] for r in one_line)


def test_the_comment_lists_the_blocking_threats_of_each_format(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _repository(tmp_path)
    result = run_cli(
        "check", "--no-config", "--format", "markdown", "--base", "HEAD~1", "--gate", "new",
        cwd=root,
    )  # fmt: skip
    blocking = result.stdout.split("### Blocking threats", 1)[1].split("\n### ", 1)[0]
    for row in ("`session-theft@orders-db`", "`order-history-loss`", "`Shop/Order flooding`"):
        assert row in blocking
    assert "`INP05@Shop API`" not in blocking  # old debt under gate: new
