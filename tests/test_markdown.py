"""Markdown threat models: the seed's template, GitHub table rules, front matter, detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import RunCli, isolated
from tests.support.paths import REPO
from tests.support.spent import spending
from tmcheck.formats.markdown import read_markdown
from tmcheck.formats.markdown_table import cell_text, split_row

SEED = REPO / "fixtures" / "seed" / "threat-model.md"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_template_is_read_whole() -> None:
    model = read_markdown(SEED.read_text(encoding="utf-8"), "threat-model.md")
    assert model is not None and model.findings == ()
    assert model.title == "Threat Model: Checkout API"
    assert model.metadata == {
        "date": "2026-03-22",
        "author": "Payments Team",
        "scope": "Public checkout API, its auth service and the orders database."
        " Excludes the admin console.",
    }
    assert list(model.sections) == [
        "assets", "actors", "trust boundaries", "threats", "assumptions", "out of scope",
    ]  # fmt: skip
    assert [(item.text, item.line) for item in model.sections["assets"]] == [
        ("User PII stored in Postgres", 7),
        ("API authentication tokens", 8),
        ("Source code in private repos", 9),
    ]
    assert (
        model.sections["trust boundaries"][0].text
        == "Public internet → API Gateway (TLS termination)"
    )
    assert [i.text for i in model.sections["out of scope"]] == [
        "Physical attacks on data centers", "Nation-state adversaries",
    ]  # fmt: skip
    rows = [(e.id, e.line, e.component, e.category, e.risk, e.status) for e in model.entries]
    assert rows == [
        ("T001", 26, "API Gateway", "Spoofing", "HIGH", "Mitigated"),
        ("T002", 27, "User DB", "Information Disclosure", "HIGH", "Open"),
        ("T003", 28, "HTTPS Request", "Tampering", "MEDIUM", "Mitigated"),
        ("T004", 29, "Message Queue", "Elevation of Privilege", "HIGH", "In progress"),
    ]
    assert model.entries[0].mitigation == "JWT expiry 15 min; refresh tokens rotated on every use"
    assert model.entries[1].position_of("status") == (27, 194)


def test_seed_template_checks_with_the_expected_threats(run_cli: RunCli, tmp_path: Path) -> None:
    name = "fixtures/seed/threat-model.md"
    result = run_cli(
        "check", "--no-config", "--format", "json", name, cwd=isolated(tmp_path, name)
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert report["files"] == [
        {"path": "fixtures/seed/threat-model.md", "format": "markdown", "valid": True, "threats": 4}
    ]
    threats = [
        (t["id"], t["line"], t["category"], t["level"], t["level_model"], t["status"], t["open"],
         t["blocking"])
        for t in report["threats"]
    ]  # fmt: skip
    assert threats == [
        ("T001", 26, "Spoofing", "high", "rating", "mitigated", False, False),
        ("T002", 27, "Information Disclosure", "high", "rating", "open", True, True),
        ("T003", 28, "Tampering", "medium", "rating", "mitigated", False, False),
        ("T004", 29, "Elevation of Privilege", "high", "rating", "in_progress", True, True),
    ]
    assert [(f["rule"], f["line"], f["threat_id"]) for f in report["findings"]] == [
        ("blocking-threat", 27, "T002"), ("missing-owner", 27, "T002"),
        ("missing-ticket", 27, "T002"),
        ("blocking-threat", 29, "T004"), ("missing-owner", 29, "T004"),
        ("missing-ticket", 29, "T004"),
    ]  # fmt: skip
    assert "coverage" not in report  # no architecture in this run
    assert result.code == 1


def test_headers_any_order_and_case_extra_columns_and_inline_markup(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _write(
        tmp_path / "model.md",
        "# Threat Model: Search\n\n## Threats (STRIDE)\n\n"
        "Status | stride | Notes | id | COMPONENT | Risk | Owner | Likelihood | Impact\n"
        ":--- | :---: | --- | --- | --- | --- | --- | --- | ---\n"
        "Open | T | see `a\\|b` | `S-1` | **Search API** | 4 x 5 | Search Team | | |\n"
        "Open | Denial of Service | [runbook](https://x.invalid) | S-2 | Search API | | Search Team | Low | Minor\n"
        "mitigated | DoS | | S-3 | Search API | 15 | Search Team | | |\n",
    )
    result = run_cli("check", "--format", "json", "model.md", cwd=tmp_path)
    report = json.loads(result.stdout)
    threats = [
        (t["id"], t["line"], t["component"], t["category"], t["likelihood"], t["impact"],
         t["score"], t["level"], t["owner"])
        for t in report["threats"]
    ]  # fmt: skip
    assert threats == [
        ("S-1", 7, "Search API", "Tampering", 4, 5, 20, "critical", "Search Team"),
        ("S-2", 8, "Search API", "Denial of Service", 2, 2, 4, "low", "Search Team"),
        ("S-3", 9, "Search API", "Denial of Service", None, None, 15, "high", "Search Team"),
    ]
    assert [f["rule"] for f in report["findings"]] == ["blocking-threat", "missing-ticket"]
    assert result.code == 1


def test_broken_rows_and_missing_values_are_errors_at_their_line(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _write(
        tmp_path / "threat-model.md",
        "# Threat Model: Mail\n\n## Threats\n\n"
        "| ID | Component | STRIDE | Risk | Status |\n"
        "|----|-----------|--------|------|--------|\n"
        "| M1 | Mailer | Spoofing | LOW | Open |\n"
        "| M2 | Mailer | Tampering | LOW |\n"
        "|    | Mailer | Tampering | LOW | Mitigated |\n"
        "| M4 | Mailer |  | LOW | Mitigated |\n"
        "a line that GitHub shows as one more row\n"
        "\n"
        "| ID | STRIDE |\n"
        "|----|---|---|\n"
        "| M9 | Spoofing |\n",
    )
    result = run_cli("check", "threat-model.md", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "threat-model.md:8:1: error [markdown-table] this row has 4 cells and the header 5 (a | inside a cell is written \\|)",
        "threat-model.md:9:2: error [markdown-table] this row has no ID value",
        "threat-model.md:11:1: error [markdown-table] this row has 1 cells and the header 5 (a | inside a cell is written \\|)",
        "tmcheck failed: 1 file, 3 threats (1 open, 0 blocking at threshold 12); 3 errors, 0 warnings",
    ]
    assert result.code == 1


def test_front_matter_lines_are_the_files_and_give_defaults(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _write(
        tmp_path / "gateway.md",
        "---\nlayout: page\ncomponent: API Gateway\nowner: Edge Team\n---\n"
        "# Threat Model: Gateway\n\n## Threats\n\n"
        "| ID | STRIDE | Likelihood | Impact | Status | Owner |\n"
        "|----|--------|------------|--------|--------|-------|\n"
        "| G1 | Spoofing | High | High | Open | |\n"
        "| G2 | Tampering | High | High | Open | Core Team |\n",
    )
    result = run_cli("check", "--format", "json", "gateway.md", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [(t["id"], t["line"], t["component"], t["owner"]) for t in report["threats"]] == [
        ("G1", 12, "API Gateway", "Edge Team"),
        ("G2", 13, "API Gateway", "Core Team"),
    ]
    _write(
        tmp_path / "bad.md",
        "---\ntitle: x\nowner: !!python/name:os.system\n---\n# Threat Model\n\n"
        "| ID | STRIDE |\n|---|---|\n| B1 | Spoofing |\n",
    )
    bad = run_cli("check", "bad.md", cwd=tmp_path)
    assert bad.stdout.splitlines()[:1] == [
        "bad.md:3:8: error [parse-error] front matter: unsupported YAML tag '!!python/name:os.system':"
        " only plain data (mappings, sequences, strings, numbers, booleans, null) is read",
    ]
    _write(
        tmp_path / "open.md",
        "---\ntitle: x\n# Threat Model\n| ID | STRIDE |\n|--|--|\n| O1 | S |\n",
    )
    assert run_cli("check", "open.md", cwd=tmp_path).stdout.splitlines()[0] == (
        "open.md:1:1: error [parse-error] the YAML front matter opened here is never closed"
        " (a line with --- ends it)"
    )


def test_other_markdown_is_skipped_when_walked_and_a_note_when_named(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _write(tmp_path / "README.md", "# Project\n\n## Threats\n\nWe worry about many.\n")
    _write(tmp_path / "docs" / "notes.markdown", "| a | b |\n|---|---|\n| 1 | 2 |\n")
    walked = run_cli("check", "--format", "json", "-v", ".", cwd=tmp_path)
    report = json.loads(walked.stdout)
    assert report["files"] == []  # skipped files are not counted
    assert [f["rule"] for f in report["findings"]] == ["no-threat-models"]
    assert walked.stderr.splitlines() == [
        "skipped README.md: no threat table", "skipped docs/notes.markdown: no threat table",
    ]  # fmt: skip
    assert walked.code == 0
    named = run_cli("check", "README.md", cwd=tmp_path)
    assert named.stdout.splitlines()[0] == (
        "README.md:1:1: note [markdown-table] no threat table found: a table whose"
        " header names threat columns, such as ID, Threat, STRIDE, Likelihood, Impact, Risk,"
        " Mitigation, Status"
    )
    assert named.code == 0


def test_code_blocks_and_comments_hide_tables_and_headings(run_cli: RunCli, tmp_path: Path) -> None:
    _write(
        tmp_path / "tm.md",
        "# Threat Model: Docs\n\n```markdown\n## Threats\n| ID | STRIDE |\n|---|---|\n| X1 | Nope |\n```\n\n"
        "## Threats\n\n<!--\n| ID | STRIDE |\n|---|---|\n| X2 | Nope |\n-->\n"
        "| ID | STRIDE | Status |\n|---|---|---|\n| D1 | Tampering | Mitigated |\n",
    )
    report = json.loads(run_cli("check", "--format", "json", "tm.md", cwd=tmp_path).stdout)
    assert [(t["id"], t["line"]) for t in report["threats"]] == [("D1", 19)]
    assert report["findings"] == []


def test_a_pinned_format_reads_any_name_as_markdown(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / ".tmcheck.yaml", 'formats: {"*.txt": markdown}\n')
    _write(
        tmp_path / "model.txt",
        "## Threats\n| ID | STRIDE | Status |\n|--|--|--|\n| P1 | Spoofing | Mitigated |\n",
    )
    report = json.loads(run_cli("check", "--format", "json", "model.txt", cwd=tmp_path).stdout)
    assert report["files"][0]["format"] == "markdown" and report["threats"][0]["id"] == "P1"


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| a | b |", [("a", 3), ("b", 7)]),
        ("a | b", [("a", 1), ("b", 5)]),
        ("  |x|  y  |", [("x", 4), ("y", 8)]),
        ("| `a|b` |", [("`a", 3), ("b`", 6)]),  # GitHub splits at every unescaped pipe
        ("| `a\\|b` | \\\\| c |", [("a|b", 3), ("\\", 12), ("c", 16)]),
        ("| |", [("", 2)]),
    ],
)
def test_split_row(line: str, cells: list[tuple[str, int]]) -> None:
    assert [(cell.text, cell.column) for cell in split_row(line)] == cells


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("**HIGH**", "HIGH"),
        ("_Open_", "Open"),
        ("snake_case_name", "snake_case_name"),
        ("`` a ` b ``", "a ` b"),
        ("`code` and **bold `x`**", "code and bold x"),
        ("\\*not emphasis\\*", "*not emphasis*"),
        ("one<br>two<br/>three", "one two three"),
        ("[T-1](#t-1) ![img](x.png)", "T-1 img"),
        ("`unclosed", "`unclosed"),
    ],
)
def test_cell_text(raw: str, text: str) -> None:
    assert cell_text(raw) == text


def test_hostile_cells_cost_linear_time(run_cli: RunCli, tmp_path: Path) -> None:
    """Unclosed code spans, bold and links that a naive parser rescans for every opener."""
    size = 50_000
    cells = ["` `` " * (size // 5), "**a " * (size // 4), "[" * size, "[a](" * (size // 4)]
    rows = "".join(
        f"| H{i} | C | Spoofing | {cell} | LOW | Open |\n" for i, cell in enumerate(cells)
    )
    _write(
        tmp_path / "tm.md",
        "# Threat Model\n## Threats\n| ID | Component | STRIDE | Description | Risk | Status |\n"
        "|--|--|--|--|--|--|\n" + rows,
    )
    with spending() as spent:
        result = run_cli("check", "tm.md", cwd=tmp_path)
    assert spent.cpu < 10, str(spent)  # about 0.5 s of CPU; quadratic parsing took minutes
    assert result.stdout.endswith(
        "4 threats (4 open, 0 blocking at threshold 12); 0 errors, 0 warnings\n"
    )
