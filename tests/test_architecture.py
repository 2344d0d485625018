"""Architecture files and STRIDE per element: the seed's example, coverage, component names."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from tests.support.cli import RunCli, isolated
from tests.support.paths import REPO
from tmcheck.coverage import applicable, coverage_table
from tmcheck.formats.architecture import read
from tmcheck.model import Element
from tmcheck.parsing.safe_yaml import load_yaml

SEED = REPO / "fixtures" / "seed"

# The seed's architecture checked with the seed's Markdown threat model: what each element asks
# (flows that cross a boundary ask S too) and what the four threats of the template cover.
SEED_COVERAGE = [
    ("Browser User", "external_entity", 11, "", "S R"),
    ("API Gateway", "process", 12, "S", "T R D E"),
    ("Auth Service", "process", 13, "", "S T R D E"),
    ("User DB", "datastore", 14, "I", "T D"),
    ("App Service", "process", 15, "", "S T R D E"),
    ("Postgres DB", "datastore", 16, "", "T I D"),
    ("Message Queue", "datastore", 17, "", "T I D"),  # T004 is EoP: no datastore question
    ("Worker Service", "process", 18, "", "S T R D E"),
    ("HTTPS Request", "flow", 20, "T", "S I D"),
    ("Internal gRPC call", "flow", 21, "", "T I D"),
    ("Identity lookup", "flow", 22, "", "S T I D"),
    ("App request", "flow", 23, "", "S T I D"),
    ("Order writes", "flow", 24, "", "S T I D"),
    ("Job enqueue", "flow", 25, "", "T I D"),
    ("Job dequeue", "flow", 26, "", "T I D"),
]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _letters(categories: list[str]) -> str:
    return " ".join(category[0] for category in categories)


def _json(run_cli: RunCli, *args: str, cwd: Path = REPO) -> tuple[int, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as directory:
        if cwd == REPO:  # only the named files: the repository holds many other models
            files = [arg for arg in args if not arg.startswith("-") and (REPO / arg).is_file()]
            cwd = isolated(Path(directory), *files)
        result = run_cli("check", "--no-config", "--format", "json", *args, cwd=cwd)
    assert result.stderr == ""
    return result.code, json.loads(result.stdout)


def test_seed_architecture_elements() -> None:
    path = SEED / "architecture.yaml"
    elements = read(load_yaml(path.read_text(encoding="utf-8")), "architecture.yaml").elements
    assert [(e.name, e.kind) for e in elements if e.kind == "boundary"] == [
        ("Internet", "boundary"), ("DMZ", "boundary"), ("Internal", "boundary"),
        ("Data", "boundary"),
    ]  # fmt: skip
    flows = {
        e.name: (e.source, e.target, e.protocol, e.crosses_boundary)
        for e in elements
        if e.kind == "flow"
    }
    assert flows["HTTPS Request"] == ("Browser User", "API Gateway", "HTTPS/443", True)
    assert flows["Job enqueue"] == ("App Service", "Message Queue", "AMQP", False)


def test_seed_architecture_and_markdown_give_the_expected_coverage(run_cli: RunCli) -> None:
    code, report = _json(
        run_cli, "fixtures/seed/architecture.yaml", "fixtures/seed/threat-model.md"
    )
    rows = [
        (
            row["element"],
            row["kind"],
            row["line"],
            _letters(row["covered"]),
            _letters(row["missing"]),
        )
        for row in report["coverage"]
    ]
    assert rows == SEED_COVERAGE
    assert report["coverage"][8] == {
        "element": "HTTPS Request",
        "kind": "flow",
        "path": "fixtures/seed/architecture.yaml",
        "line": 20,
        "crosses_boundary": True,
        "applicable": ["Spoofing", "Tampering", "Information Disclosure", "Denial of Service"],
        "covered": ["Tampering"],
        "missing": ["Spoofing", "Information Disclosure", "Denial of Service"],
        "threats": {"Tampering": ["T003"]},
    }
    coverage_findings = [
        (f["line"], f["message"]) for f in report["findings"] if f["rule"] == "stride-coverage"
    ]
    assert len(coverage_findings) == sum(len(row[4].split()) for row in SEED_COVERAGE) == 53
    assert coverage_findings[0] == (
        11,
        "external entity 'Browser User' has no Repudiation threat: add one, or one with status"
        " not_applicable",
    )
    assert (
        20,
        "data flow 'HTTPS Request' has no Spoofing threat (it crosses a trust boundary): add one,"
        " or one with status not_applicable",
    ) in coverage_findings
    others = [
        (f["rule"], f["path"], f["line"])
        for f in report["findings"]
        if f["rule"] != "stride-coverage"
    ]
    assert others == [
        ("blocking-threat", "fixtures/seed/threat-model.md", 27),
        ("missing-owner", "fixtures/seed/threat-model.md", 27),
        ("missing-ticket", "fixtures/seed/threat-model.md", 27),
        ("blocking-threat", "fixtures/seed/threat-model.md", 29),
        ("missing-owner", "fixtures/seed/threat-model.md", 29),
        ("missing-ticket", "fixtures/seed/threat-model.md", 29),
    ]
    assert [f["format"] for f in report["files"]] == ["architecture", "markdown"]
    assert report["summary"]["warnings"] == 55 and code == 1


def test_text_coverage_section(run_cli: RunCli, tmp_path: Path) -> None:
    _write(
        tmp_path / "architecture.yaml",
        "components:\n"
        "  - {name: Web, type: process}\n"
        "  - {name: Files, type: datastore, out_of_scope: true}\n"
        "flows:\n"
        "  - {name: Upload, from: Web, to: Files}\n",
    )
    _write(
        tmp_path / "register.yaml",
        "threats:\n"
        + "".join(
            f"  - {{id: W{i}, component: web, threat: {c}, risk: LOW, status: mitigated}}\n"
            for i, c in enumerate(("S", "T", "R", "DoS", "EoP"))
        )
        + "  - {id: U1, component: Upload, threat: Tampering, status: not applicable}\n",
    )
    result = run_cli("check", "--coverage", "architecture.yaml", "register.yaml", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "architecture.yaml:5:5: warning [stride-coverage] data flow 'Upload' has no Denial of Service threat: add one, or one with status not_applicable",
        "architecture.yaml:5:5: warning [stride-coverage] data flow 'Upload' has no Information Disclosure threat: add one, or one with status not_applicable",
        "STRIDE coverage: 6 of 8 categories covered; 1 of 2 elements complete",
        "architecture.yaml:2:5: process 'Web': covered S T R D E",
        "architecture.yaml:5:5: data flow 'Upload': covered T; missing I D",
        "tmcheck passed: 2 files, 6 threats (0 open, 0 blocking at threshold 12); 0 errors, 2 warnings",
    ]
    plain = run_cli("check", "--coverage", "register.yaml", cwd=tmp_path).stdout.splitlines()
    assert plain[0] == "STRIDE coverage: the checked files have no architecture elements"


def test_runs_without_architecture_have_no_coverage_and_no_component_warnings(
    run_cli: RunCli,
) -> None:
    _, report = _json(run_cli, "fixtures/seed/threat-register.yaml")
    assert "coverage" not in report
    assert {f["rule"] for f in report["findings"]} == {"blocking-threat", "missing-owner"}


def test_unknown_component_only_with_architecture(run_cli: RunCli, tmp_path: Path) -> None:
    _write(
        tmp_path / "architecture.yml",
        "trust_boundaries: []\ncomponents:\n  - {name: User DB, type: datastore, out_of_scope: true}\n",
    )
    _write(
        tmp_path / "register.yaml",
        "threats:\n"
        "  - {id: R1, component: Users DB, threat: Tampering, risk: LOW, status: mitigated}\n"
        "  - {id: R2, component: '  user   db ', threat: Tampering, risk: LOW, status: mitigated}\n",
    )
    _write(
        tmp_path / "sheet.yaml",
        "component: {name: Billing}\nthreats:\n"
        "  - {id: B1, category: Spoofing, likelihood: 1, impact: 1, status: Open}\n"
        "  - {id: B2, category: Tampering, likelihood: 1, impact: 1, status: Open}\n",
    )
    result = run_cli("check", "architecture.yml", "register.yaml", "sheet.yaml", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "register.yaml:2:14: warning [unknown-component] R1 names component 'Users DB', which is no element of the architecture; did you mean 'User DB'?",
        "sheet.yaml:1:13: warning [unknown-component] B1 names component 'Billing', which is no element of the architecture",
        "tmcheck passed: 3 files, 4 threats (2 open, 0 blocking at threshold 12); 0 errors, 2 warnings",
    ]
    without = run_cli("check", "register.yaml", "sheet.yaml", cwd=tmp_path)
    assert "[unknown-component]" not in without.stdout


def test_crossing_is_derived_from_boundaries_when_not_written(tmp_path: Path) -> None:
    document = load_yaml(
        "trust_boundaries: [{name: A}, {name: B}]\n"
        "components:\n"
        "  - {name: One, type: process, boundary: A}\n"
        "  - {name: Two, type: process, boundary: b}\n"
        "  - {name: Three, type: process, boundary: A}\n"
        "  - {name: Free, type: external_entity}\n"
        "flows:\n"
        "  - {from: One, to: Two}\n"
        "  - {from: one, to: Three}\n"
        "  - {from: Free, to: One}\n"
        "  - {from: One, to: Two, crosses_boundary: false, name: Declared}\n",
    )
    flows = [e for e in read(document, "a.yaml").elements if e.kind == "flow"]
    assert [(f.name, f.crosses_boundary) for f in flows] == [
        ("One -> Two", True), ("one -> Three", False), ("Free -> One", True), ("Declared", False),
    ]  # fmt: skip


def test_coverage_table_rules() -> None:
    def element(kind: str, **more: Any) -> Element:
        return Element(name="X", kind=kind, path="a", line=1, column=1, **more)

    assert [_letters(list(applicable(element(kind)))) for kind in APPLICABLE_KINDS] == [
        "S T R D E", "T I D", "T I D", "S R", "",
    ]  # fmt: skip
    assert _letters(list(applicable(element("flow", crosses_boundary=True)))) == "S T I D"
    assert coverage_table([element("process", out_of_scope=True), element("boundary")], []) == ()


APPLICABLE_KINDS = ("process", "datastore", "flow", "external_entity", "boundary")


def test_coverage_can_be_turned_off_or_raised(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "architecture.yaml", "components: [{name: Web, type: process}]\nflows: []\n")
    _write(tmp_path / ".tmcheck.yaml", "rules: {stride-coverage: off}\n")
    assert run_cli("check", "architecture.yaml", cwd=tmp_path).stdout == (
        "tmcheck passed: 1 file, 0 threats (0 open, 0 blocking at threshold 12); 0 errors, 0 warnings\n"
    )
    _write(tmp_path / ".tmcheck.yaml", "rules: {stride-coverage: error}\n")
    raised = run_cli("check", "architecture.yaml", cwd=tmp_path)
    assert raised.code == 1 and raised.stdout.count("error [stride-coverage]") == 5


def test_architecture_is_detected_by_content(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "dfd.yml", "components: []\nflows: []\n")
    _write(tmp_path / "other.yml", "components: [a, b]\n")  # no flows or boundaries: not ours
    _, report = _json(run_cli, ".", cwd=tmp_path)
    assert [(f["path"], f["format"]) for f in report["files"]] == [("dfd.yml", "architecture")]
    skipped = run_cli("check", "--no-config", "-v", ".", cwd=tmp_path).stderr
    assert skipped == "skipped other.yml: not a threat model\n"
