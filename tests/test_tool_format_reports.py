"""The tools' files through every output: JSON format names, SARIF valid against the official
schema, the comment's tables, heat map and diagram."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import RunCli
from tests.support.paths import need

RISKS = [  # one risk of each rating the demo model can track, as Threagile 0.9 writes them
    {"category": "untrusted-deserialization", "risk_status": "unchecked", "severity": "elevated",
     "exploitation_likelihood": "likely", "exploitation_impact": "high",
     "title": "<b>Untrusted Deserialization</b> risk at <b>Backoffice ERP System</b>",
     "synthetic_id": "untrusted-deserialization@erp-system",
     "most_relevant_technical_asset": "erp-system"},
    {"category": "missing-waf", "risk_status": "unchecked", "severity": "high",
     "exploitation_likelihood": "very-likely", "exploitation_impact": "high",
     "title": "<b>Missing WAF</b> risk at <b>Apache Webserver</b>",
     "synthetic_id": "missing-waf@apache-webserver",
     "most_relevant_technical_asset": "apache-webserver"},
]  # fmt: skip


@pytest.fixture
def workspace(shared: Path, tmp_path: Path) -> Path:
    """One file of each tool's format, as a repository would hold them."""
    need(importlib.util.find_spec("defusedxml") is not None, "defusedxml is not installed")
    corpus = (shared / "corpus").resolve()
    shutil.copy(corpus / "threat-composer" / "sample-knowledge-packs-threat-model.tc.json",
                tmp_path / "threat-model.tc.json")  # fmt: skip
    shutil.copy(corpus / "tm7" / "SecurePortalModeling-ThreatModel.tm7", tmp_path / "portal.tm7")
    (tmp_path / "threagile").mkdir()
    shutil.copy(corpus / "threagile" / "example-threagile.yaml",
                tmp_path / "threagile" / "threagile.yaml")  # fmt: skip
    (tmp_path / "threagile" / "risks.json").write_text(json.dumps(RISKS, separators=(",", ":")))
    return tmp_path


def test_json_names_each_format(workspace: Path, run_cli: RunCli) -> None:
    report = json.loads(run_cli("check", "--no-config", "--format", "json", cwd=workspace).stdout)
    formats = {entry["path"]: (entry["format"], entry["threats"]) for entry in report["files"]}
    assert formats == {
        "portal.tm7": ("mstmt", 113),
        "threat-model.tc.json": ("threat-composer", 10),
        "threagile/risks.json": ("threagile-risks", 2),
        "threagile/threagile.yaml": ("threagile", 2),
    }
    by_id = {(t["path"], t["id"]): t for t in report["threats"]}
    waf = by_id[("threagile/risks.json", "missing-waf@apache-webserver")]
    assert (waf["likelihood"], waf["impact"], waf["score"], waf["level"]) == (4, 4, 16, "high")
    assert by_id[("threat-model.tc.json", "T-0004")]["categories"] == [
        "Information Disclosure", "Elevation of Privilege",
    ]  # fmt: skip


def test_sarif_is_valid_and_locates_one_line_files(
    workspace: Path, shared: Path, run_cli: RunCli
) -> None:
    import jsonschema

    report: dict[str, Any] = json.loads(
        run_cli("check", "--no-config", "--format", "sarif", cwd=workspace).stdout
    )
    schema = json.loads((shared / "corpus/sarif/sarif-schema-2.1.0.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [error.message for error in validator.iter_errors(report)] == []
    results = report["runs"][0]["results"]
    regions = {
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in results if r["ruleId"] == "blocking-threat"
    }  # fmt: skip
    assert ("threagile/risks.json", 1) in regions  # one line: line 1, and a column
    assert any(uri == "portal.tm7" for uri, _ in regions)
    messages = [r["message"]["text"] for r in results if r["ruleId"] == "blocking-threat"]
    assert any("missing-waf@apache-webserver" in message for message in messages)


def test_the_comment_draws_the_tools_diagrams(workspace: Path, run_cli: RunCli) -> None:
    report = run_cli("check", "--no-config", "--format", "markdown", cwd=workspace).stdout
    assert "### Blocking threats" in report
    assert "`missing-waf@apache-webserver`" in report
    assert "### Open threats by likelihood and impact" in report
    assert "```mermaid" in report
    assert "Backoffice ERP System" in report and "Encrypted Network Traffic" in report
