"""Threagile: models (`threagile.yaml`, with includes) and the `risks.json` Threagile writes.

Expected figures come from the corpus files read with plain `yaml.safe_load` and `json`, and
from Threagile's own rules written out in the test (4 x 4 steps, wildcard tracking ids).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.cli import RunCli
from tests.support.paths import need
from tmcheck.check import run_check
from tmcheck.config import Settings

LIKELIHOOD = {"unlikely": 2, "likely": 3, "very-likely": 4, "frequent": 5}
IMPACT = {"low": 2, "medium": 3, "high": 4, "very-high": 5}
BANDS = ((20, "critical"), (12, "high"), (6, "medium"), (2, "low"), (1, "info"))
STRIDE = {"repudiation": "Repudiation", "spoofing": "Spoofing", "tampering": "Tampering",
          "information-disclosure": "Information Disclosure",
          "denial-of-service": "Denial of Service",
          "elevation-of-privilege": "Elevation of Privilege"}  # fmt: skip


def _level(score: int) -> str:
    return next(level for lowest, level in BANDS if score >= lowest)


def _example(shared: Path) -> Path:
    path = (shared / "corpus" / "threagile" / "example-threagile.yaml").resolve()
    need(path.is_file(), f"{path} is missing")
    return path


def test_the_demo_models_individual_risks_as_counted_by_hand(shared: Path) -> None:
    path = _example(shared)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = []
    for category in data["individual_risk_categories"].values():
        for risk in category["risks_identified"].values():
            parts = [risk.get(f"most_relevant_{name}") for name in (
                "technical_asset", "communication_link", "trust_boundary", "shared_runtime",
                "data_asset")]  # fmt: skip
            score = (LIKELIHOOD[risk["exploitation_likelihood"]]
                     * IMPACT[risk["exploitation_impact"]])  # fmt: skip
            expected.append(
                ("@".join([category["id"], *(p for p in parts if p)]),
                 STRIDE[category["stride"]], score, _level(score), "open")
            )  # fmt: skip
    result = run_check([str(path)], Settings(root=path.parent))
    [file] = result.files
    assert file.format == "threagile" and file.valid
    read = [(t.id, t.category, t.score, t.risk_level, t.status) for t in file.threats]
    assert read == expected
    assert read[1] == ("something-strange@contract-file-server", "Repudiation", 25, "critical",
                       "open")  # fmt: skip
    # Elements: every technical asset, communication link and trust boundary.
    kinds: dict[str, int] = {}
    for element in file.elements:
        kinds[element.kind] = kinds.get(element.kind, 0) + 1
    assets = data["technical_assets"].values()
    links = sum(len(asset.get("communication_links") or {}) for asset in assets)
    assert kinds["flow"] == links
    assert kinds["boundary"] == len(data["trust_boundaries"])
    assert sum(kinds.get(k, 0) for k in ("process", "datastore", "external_entity")) == len(
        data["technical_assets"]
    )
    flows = {element.name: element for element in file.elements if element.kind == "flow"}
    # identity-provider and ldap-auth-server share auth-env (not a network) inside
    # application-network: no crossing; the customer's browser (in no boundary) to the load
    # balancer (in application-network) crosses.
    assert not flows["LDAP Credential Check Traffic"].crosses_boundary
    assert flows["Customer Traffic"].crosses_boundary
    assert flows["Customer Traffic"].target == "Load Balancer"
    assert not [f for f in result.findings if f.rule == "stride-coverage"]  # off for Threagile
    assert result.coverage == ()


def test_includes_are_read_below_the_model_only(shared: Path, tmp_path: Path) -> None:
    main = (shared / "corpus" / "threagile" / "threagile-test-main.yaml").resolve()
    tracking = (shared / "corpus" / "threagile" / "threagile-test-risk_tracking.yaml").resolve()
    need(main.is_file() and tracking.is_file(), "Threagile's test model is missing")
    model = tmp_path / "model"
    model.mkdir()
    shutil.copy(main, model / "threagile.yaml")
    shutil.copy(tracking, model / "risk_tracking.yaml")
    result = run_check([str(model / "threagile.yaml")], Settings(root=tmp_path))
    missing = [f.message for f in result.findings if f.rule == "read-error"]
    assert len(missing) == 12 and "includes 'risk_tracking.yaml'" not in " ".join(missing)
    assert missing[0] == "includes 'meta.yaml': no such file"
    assert set(result.files[0].tool_data.tracking) == set(
        yaml.safe_load(tracking.read_text(encoding="utf-8"))["risk_tracking"]
    )
    (tmp_path / "secret.yaml").write_text("risk_tracking: {}\n")
    os.symlink(tmp_path / "secret.yaml", model / "linked.yaml")
    (model / "hostile.yaml").write_text(
        "threagile_version: 1.0.0\nincludes: [../secret.yaml, /etc/passwd, linked.yaml]\n"
    )
    refused = run_check([str(model / "hostile.yaml")], Settings(root=tmp_path)).findings
    assert [f.message for f in refused] == [
        "includes '../secret.yaml': outside the model's folder; tmcheck reads included files"
        " below it only",
        "includes '/etc/passwd': outside the model's folder; tmcheck reads included files"
        " below it only",
        "includes 'linked.yaml': is or lies under a symbolic link; tmcheck does not follow links",
    ]


def _risk(synthetic_id: str, likelihood: str, impact: str, severity: str, status: str,
          asset: str) -> dict[str, Any]:  # fmt: skip
    """A risk as Threagile 0.9 writes it: every key, `risk_status` included."""
    return {
        "category": synthetic_id.split("@")[0], "risk_status": status, "severity": severity,
        "exploitation_likelihood": likelihood, "exploitation_impact": impact,
        "title": f"<b>{synthetic_id.split('@')[0]}</b> risk at <b>{asset}</b>",
        "synthetic_id": synthetic_id, "most_relevant_data_asset": "",
        "most_relevant_technical_asset": asset, "most_relevant_communication_link": "",
        "most_relevant_trust_boundary": "", "most_relevant_shared_runtime": "",
        "data_breach_probability": "improbable", "data_breach_technical_assets": [],
    }  # fmt: skip


RISKS_V09 = [
    _risk("untrusted-deserialization@erp-system", "likely", "high", "elevated", "unchecked",
          "erp-system"),
    _risk("unencrypted-asset@sql-database", "very-likely", "high", "high", "unchecked",
          "sql-database"),
    _risk("missing-waf@apache-webserver", "likely", "medium", "elevated", "unchecked",
          "apache-webserver"),
    _risk("something-strange@sql-database", "likely", "medium", "critical", "unchecked",
          "sql-database"),
]  # fmt: skip


def _workspace(shared: Path, tmp_path: Path, risks: list[dict[str, Any]]) -> Path:
    shutil.copy(_example(shared), tmp_path / "threagile.yaml")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "risks.json").write_text(json.dumps(risks, separators=(",", ":")))
    return tmp_path


def test_risks_json_joined_with_the_models_tracking(shared: Path, tmp_path: Path) -> None:
    root = _workspace(shared, tmp_path, RISKS_V09)
    result = run_check([str(root)], Settings(root=root))
    by_format = {file.format: file for file in result.files}
    risks = by_format["threagile-risks"]
    read = [(t.id, t.category, t.score, t.risk_level, t.status, t.entry.owner)
            for t in risks.threats]  # fmt: skip
    assert read == [
        ("untrusted-deserialization@erp-system", "Tampering", 12, "high", "accepted",
         "Company ABC"),
        ("unencrypted-asset@sql-database", "Information Disclosure", 16, "high", "mitigated",
         "Company ABC"),  # by the wildcard entry unencrypted-asset@*
        ("missing-waf@apache-webserver", "Tampering", 9, "medium", "open", "Company ABC"),
        ("something-strange@sql-database", "Repudiation", 9, "medium", "open", "Company ABC"),
    ]  # fmt: skip
    accepted = risks.threats[0].entry
    assert accepted.acceptance == {"approver": "John Doe", "reason": "Risk accepted as tolerable"}
    assert accepted.title == "untrusted-deserialization risk at erp-system"
    assert accepted.mitigation == "(ticket XYZ-1234)"
    # The model's own individual risk is in risks.json too: counted once.
    assert [t.id for t in by_format["threagile"].threats] == [
        "something-strange@contract-file-server"
    ]
    orphans = sorted(f.threat_id or "" for f in result.findings if f.rule == "unresolved-reference")
    assert orphans == [
        "dos-risky-access-across-trust-boundary@*@*@*", "ldap-injection@*@ldap-auth-server@*",
        "missing-authentication-second-factor@*@*@*", "missing-hardening@*",
    ]  # fmt: skip
    one_line = [f for f in result.findings if f.path.endswith("risks.json")]
    assert one_line and all(f.line == 1 and f.column > 1 for f in one_line)


def test_the_current_risks_json_omits_zero_values(shared: Path, tmp_path: Path) -> None:
    parsed = (shared / "corpus" / "threagile" / "threagile-test-parsed-model.json").resolve()
    need(parsed.is_file(), f"{parsed} is missing")
    generated = json.loads(parsed.read_text(encoding="utf-8"))["generated_risks_by_category"]
    risks = [risk for category in generated.values() for risk in category]
    risks.append({"category": "missing-vault", "title": "<b>Missing Vault</b>",
                  "synthetic_id": "missing-vault"})  # fmt: skip
    (tmp_path / "risks.json").write_text(json.dumps(risks))
    result = run_check([str(tmp_path / "risks.json")], Settings(root=tmp_path))
    assert [(t.id, t.likelihood, t.impact, t.risk_level, t.status) for t in result.threats] == [
        ("something-strange@sql-database", 3, 3, "medium", "open"),
        ("something-strange@contract-file-server", 5, 5, "critical", "open"),
        ("missing-vault", 2, 2, "low", "open"),  # absent: unlikely x low, unchecked
    ]
    assert result.threats[2].category == "Information Disclosure"


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "level"),
    [(lk, im, LIKELIHOOD[lk] * IMPACT[im], _level(LIKELIHOOD[lk] * IMPACT[im]))
     for lk in LIKELIHOOD for im in IMPACT],
)  # fmt: skip
def test_the_4x4_mapping(
    tmp_path: Path, likelihood: str, impact: str, score: int, level: str
) -> None:
    risk = _risk("missing-waf@web", likelihood, impact, "elevated", "unchecked", "web")
    (tmp_path / "risks.json").write_text(json.dumps([risk]))
    [threat] = run_check([str(tmp_path / "risks.json")], Settings(root=tmp_path)).threats
    assert (threat.score, threat.risk_level) == (score, level)


def test_one_synthetic_id_for_two_risks_is_threagiles_not_a_duplicate(tmp_path: Path) -> None:
    """Threagile's push-instead-of-pull-deployment rule names only the build pipeline in its
    synthetic id: two risks of one `risks.json` may share it, and both are risks."""
    shared_id = "push-instead-of-pull-deployment@jenkins-buildserver"
    risks = [
        _risk(shared_id, "unlikely", "medium", "medium", "unchecked", "apache-webserver"),
        _risk(shared_id, "unlikely", "medium", "medium", "unchecked", "marketing-cms"),
    ]
    (tmp_path / "risks.json").write_text(json.dumps(risks))
    result = run_check([str(tmp_path / "risks.json")], Settings(root=tmp_path))
    assert [threat.entry.component for threat in result.threats] == [
        "apache-webserver", "marketing-cms"
    ]  # fmt: skip
    assert not [f for f in result.findings if f.rule == "duplicate-id"]


def _git(root: Path, *args: str, when: str = "2024-01-01T00:00:00Z") -> None:
    environment = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root, check=True, capture_output=True, env=environment,
    )  # fmt: skip


def test_a_risks_json_older_than_its_model_is_stale(
    shared: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    root = _workspace(shared, tmp_path, RISKS_V09)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "model and its risks")
    fresh = run_cli("check", "--no-config", ".", cwd=root)
    assert "[stale-output]" not in fresh.stdout
    model = root / "threagile.yaml"
    model.write_text(model.read_text().replace("Some Example Application", "Renamed"))
    _git(root, "commit", "-q", "-am", "model only", when="2024-03-05T00:00:00Z")
    stale = run_cli("check", "--no-config", ".", cwd=root)
    assert (
        "output/risks.json:1:1: warning [stale-output] risks.json was last committed before its"
        " model threagile.yaml changed (2024-01-01 < 2024-03-05)"
    ) in stale.stdout


def test_base_reads_the_tracking_as_it_was(shared: Path, tmp_path: Path, run_cli: RunCli) -> None:
    root = _workspace(shared, tmp_path, RISKS_V09)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "base")
    model = root / "threagile.yaml"
    model.write_text(
        model.read_text().replace(
            "risk_tracking:\n",
            "risk_tracking:\n\n  missing-waf@apache-webserver:\n    status: mitigated\n"
            "    justification: WAF in front\n    checked_by: Jane\n",
            1,
        )
    )
    _git(root, "commit", "-q", "-am", "head")
    report = json.loads(
        run_cli("check", "--no-config", "--format", "json", "--base", "HEAD~1", cwd=root).stdout
    )
    assert [(c["change"], c["id"], c["path"]) for c in report["changes"]] == [
        ("resolved", "missing-waf@apache-webserver", "output/risks.json")
    ]
    assert {f["format"] for f in report["files"]} == {"threagile", "threagile-risks"}
