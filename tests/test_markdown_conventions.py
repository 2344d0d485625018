"""Markdown threat models as real repositories write them: templates with placeholder rows,
rows numbered per document, ranges of ratings, and a Threat Dragon diagram naming a document's
threats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import RunCli
from tests.support.gitrepo import git
from tests.support.spent import spending
from tmcheck.formats.markdown import read_markdown
from tmcheck.formats.markdown_rows import is_empty

TEMPLATE = """\
# Threat Model: <system>

## Threats

| Component | STRIDE | Threat | Likelihood | Impact | Status |
|---|---|---|---|---|---|
| Web | Spoofing | Session cookie replayed | Low | Minor | Mitigated |
| ... | ... | ... | ... | ... | ... |
| … | TBD | TODO | ? | - | — |

## Risks

| ID | Title | Likelihood | Impact | Owner |
|---|---|---|---|---|
| R-01 | ... | ... | ... | ... |
| R-02 | *...* | TBD | N/A | \u2013 |
|  |  |  |  |  |
| R-03 | Audit log can be erased | TBD | High | ... |
"""


def _report(run_cli: RunCli, cwd: Path, *args: str) -> dict[str, Any]:
    result = run_cli("check", "--no-config", "--format", "json", *args, cwd=cwd)
    assert result.stderr == ""
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.mark.parametrize(
    ("text", "empty"),
    [("", True), ("...", True), ("\u2026", True), ("TBD", True), ("todo", True), ("?", True),
     ("-", True), ("\u2013", True), ("\u2014", True), ("---", True), ("N/A", True),
     ("na", True), ("None", False), ("Low", False), ("-1", False), ("1", False),
     ("To do later", False)],
)  # fmt: skip
def test_placeholders(text: str, empty: bool) -> None:
    assert is_empty(text) is empty


def test_a_templates_placeholder_rows_are_no_threats(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "template.md").write_text(TEMPLATE, encoding="utf-8")
    report = _report(run_cli, tmp_path, "template.md")
    assert [(t["id"], t["line"]) for t in report["threats"]] == [(None, 7), ("R-03", 18)]
    findings = [(f["line"], f["rule"]) for f in report["findings"]]
    # its TBD likelihood is no rating, its "..." owner no owner; nothing is unknown
    assert findings == [(18, "unrated-threat")]


def test_a_placeholder_status_is_open_but_a_status_word_keeps_its_meaning(tmp_path: Path) -> None:
    text = (
        "| ID | Threat | Risk | Status |\n|---|---|---|---|\n"
        "| T1 | Replay | Low | ... |\n| T2 | Forgery | Low | N/A |\n| T3 | Leak | Low | TODO |\n"
    )
    model = read_markdown(text, "model.md")
    assert model is not None
    assert [entry.status for entry in model.entries] == [None, "N/A", "TODO"]


def test_ids_are_per_document_and_unique_within_one(run_cli: RunCli, tmp_path: Path) -> None:
    table = "| # | Threat | STRIDE | Risk |\n|---|---|---|---|\n"
    (tmp_path / "payments.md").write_text(
        table + "| 1 | Card replay | Spoofing | Low |\n| 2 | Refund forged | Tampering | Low |\n",
        encoding="utf-8",
    )
    (tmp_path / "search.md").write_text(
        table
        + "| 1 | Index poisoned | Tampering | Low |\n| 1 | Query logged | Info Disc | Low |\n",
        encoding="utf-8",
    )
    (tmp_path / "register.yaml").write_text(
        "threats:\n  - {id: '1', threat: Spoofing, title: Key leak, risk: Low}\n", encoding="utf-8"
    )
    report = _report(run_cli, tmp_path, ".")
    assert [(f["path"], f["line"], f["rule"], f["message"]) for f in report["findings"]] == [
        ("search.md", 4, "duplicate-id", "duplicate threat id 1 (first defined at search.md:3)")
    ]
    named = _report(run_cli, tmp_path, "search.md")  # the others read as context: no clash
    assert [f["path"] for f in named["findings"]] == ["search.md"]


def test_a_diagram_names_a_documents_threat_by_its_id(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "threats.md").write_text(
        "| ID | Component | STRIDE | Risk |\n|---|---|---|---|\n"
        "| TM-1 | Checkout | Tampering | Low |\n",
        encoding="utf-8",
    )
    cells = '[{"type": "tm.Process", "name": "Web", "threats": ["TM-1", "TM-9"]}]'
    (tmp_path / "dragon.json").write_text(
        '{"summary": {"title": "Shop"}, "detail": {"diagrams": [{"title": "Flow",'
        f' "diagramType": "STRIDE", "cells": {cells}}}]}}}}\n',
        encoding="utf-8",
    )
    report = _report(run_cli, tmp_path, "dragon.json")
    unresolved = [f["message"] for f in report["findings"] if f["rule"] == "unresolved-reference"]
    assert unresolved == ["Web names threat id TM-9, which no threat model defines"]
    (row,) = report["coverage"]
    assert row["threats"]["Tampering"] == ["TM-1"]


def test_a_range_reads_as_its_higher_end(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "model.md").write_text(
        "| ID | Threat | STRIDE | Likelihood | Impact | Risk |\n|---|---|---|---|---|---|\n"
        "| T1 | Replay | Spoofing | Low\u2013Medium | Low - Very High | Medium/High |\n"
        "| T2 | Flood | Denial of Service | 1 to 2 | Minor-Moderate | Low to Medium |\n",
        encoding="utf-8",
    )
    report = _report(run_cli, tmp_path, "model.md")
    assert [(t["id"], t["score"], t["level"]) for t in report["threats"]] == [
        ("T1", 15, "high"),
        ("T2", 6, "medium"),
    ]
    # the declared levels are read as ranges too: no risk-level-mismatch, no unknown-rating
    rules = ["blocking-threat", "missing-owner", "missing-ticket"]
    assert [f["rule"] for f in report["findings"]] == rules


def test_a_cell_of_many_separators_reads_in_linear_time(tmp_path: Path) -> None:
    cell = "Low-" * 15 + "High"  # 64 characters: short enough to be tried as a range
    rows = "".join(f"| T{n} | Replay | Spoofing | {cell} | {cell} |\n" for n in range(2000))
    with spending() as spent:
        model = read_markdown("| ID | Threat | STRIDE | Likelihood | Impact |\n|---|---|---|---|---|\n"
                              + rows, "model.md")  # fmt: skip
    assert model is not None and len(model.entries) == 2000
    assert spent.cpu < 2.0, str(spent)  # CPU: a busy machine slows the clock, not the work


def test_the_residual_risk_is_the_rating(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "residual.md").write_text(
        "| ID | Threat | Initial Risk | Mitigations Applied | Residual Risk |\n"
        "|---|---|---|---|---|\n"
        "| R-1 | Tenant data read across tenants | Critical | Row-level policies | Low |\n"
        "| R-2 | Cost exhaustion | High | Quotas | Medium |\n",
        encoding="utf-8",
    )
    (tmp_path / "inherent.md").write_text(
        "| ID | Threat | Residual Risk | Inherent Risk |\n|---|---|---|---|\n"
        "| I-1 | Replay | Low | High |\n",
        encoding="utf-8",
    )
    report = _report(run_cli, tmp_path, "residual.md", "inherent.md")
    levels = [(t["id"], t["level"], t["level_model"]) for t in report["threats"]]
    assert levels == [
        ("I-1", "low", "rating"),
        ("R-1", "low", "rating"),
        ("R-2", "medium", "rating"),
    ]
    assert not [f for f in report["findings"] if f["rule"] == "unrated-threat"]


def test_base_matches_a_documents_id_within_its_file(run_cli: RunCli, tmp_path: Path) -> None:
    table = "| # | Threat | STRIDE | Risk | Status |\n|---|---|---|---|---|\n"
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "api.md").write_text(table + "| 1 | Token replay | Spoofing | High | Open |\n")
    (tmp_path / "db.md").write_text(table + "| 1 | Backup read | Info Disc | High | Open |\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    # reworded and fixed: matched by its id in its file (db.md's 1 is another threat)
    (tmp_path / "api.md").write_text(table + "| 1 | JWT replay | Spoofing | High | Fixed |\n")
    git(tmp_path, "commit", "-q", "-am", "head")
    report = _report(run_cli, tmp_path, "--base", "HEAD~1")
    changes = [(c["change"], c["id"], c["path"], c["fields"]) for c in report["changes"]]
    assert changes == [("resolved", "1", "api.md", ["title", "status"])]
