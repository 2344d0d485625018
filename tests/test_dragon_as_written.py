"""Threat Dragon models as real files have them: an empty status, a copied cell."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tests.support.cli import RunCli


def _cells_with_threats(model: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        cell
        for diagram in model["detail"]["diagrams"]
        for cell in diagram["cells"]
        if isinstance(cell.get("data"), dict) and cell["data"].get("threats")
    ]


def _run(run_cli: RunCli, tmp_path: Path, model: dict[str, Any]) -> list[dict[str, Any]]:
    (tmp_path / "model.json").write_text(json.dumps(model, indent=1), encoding="utf-8")
    result = run_cli("check", "--no-config", "--format", "json", "model.json", cwd=tmp_path)
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return [
        f
        for f in findings
        if f["rule"] not in ("stride-coverage", "missing-owner", "missing-ticket")
    ]


def test_an_empty_status_is_a_missing_status(run_cli: RunCli, tmp_path: Path, shared: Path) -> None:
    model = json.loads((shared / "corpus/threat-dragon/v2/v2-threat-model.json").read_text())
    threat = _cells_with_threats(model)[0]["data"]["threats"][0]
    threat["status"] = ""
    findings = _run(run_cli, tmp_path, model)
    about = [f for f in findings if f["threat_id"] == threat["id"]]
    assert [(f["rule"], f["level"]) for f in about if f["rule"] != "blocking-threat"] == [
        ("unknown-status", "warning")
    ]
    assert "the status is empty; it counts as open" in about[-1]["message"]
    assert not any(f["rule"] == "schema" for f in findings)


def test_a_copied_cell_is_one_warning_naming_both_cells(
    run_cli: RunCli, tmp_path: Path, shared: Path
) -> None:
    model = json.loads((shared / "corpus/threat-dragon/v2/v2-threat-model.json").read_text())
    cells = model["detail"]["diagrams"][0]["cells"]
    original = _cells_with_threats(model)[0]
    duplicate = copy.deepcopy(original)
    duplicate["id"] = "copied-cell"
    duplicate["data"]["name"] = "Copied " + str(original["data"].get("name"))
    cells.append(duplicate)
    findings = _run(run_cli, tmp_path, model)
    duplicates = [f for f in findings if f["rule"] == "duplicate-id"]
    assert len(duplicates) == len(original["data"]["threats"])
    assert {f["level"] for f in duplicates} == {"warning"}
    assert "Copied " in duplicates[0]["message"] and "a copied cell?" in duplicates[0]["message"]
    assert not any(f["level"] == "error" and f["rule"] != "blocking-threat" for f in findings)
