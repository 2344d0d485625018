"""The seed documents' examples give exactly what the seeds say they mean."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from tests.support.cli import RunCli, isolated
from tests.support.paths import REPO

SEED = "fixtures/seed"


def _report(run_cli: RunCli, *files: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    names = [f"{SEED}/{f}" for f in files]
    with tempfile.TemporaryDirectory() as directory:
        result = run_cli(
            "check", "--no-config", "--format", "json", *names,
            cwd=isolated(Path(directory), *names),
        )  # fmt: skip
    assert result.stderr == ""
    return result.code, json.loads(result.stdout)


def test_stride_worksheet_scores_and_blocks(run_cli: RunCli) -> None:
    code, report = _report(run_cli, "stride-worksheet.yaml")
    threats = {t["id"]: t for t in report["threats"]}
    assert {i: t["score"] for i, t in threats.items()} == {
        "T001": 15, "T002": 8, "T003": 12, "T004": 12, "T005": 15,
    }  # fmt: skip
    assert threats["T002"]["status"] == "mitigated" and not threats["T002"]["open"]
    assert threats["T001"]["status"] == "partially_mitigated"
    assert threats["T001"]["status_raw"] == "Mitigated (partial)"
    assert threats["T001"]["open"] is True
    assert sorted(i for i, t in threats.items() if t["blocking"]) == [
        "T001",
        "T003",
        "T004",
        "T005",
    ]
    assert code == 1 and report["passed"] is False
    assert report["summary"] == {
        "files": 1, "threats": 5, "open": 4, "blocking": 4, "overdue": 0, "errors": 4,
        "warnings": 0, "notes": 4,
    }  # fmt: skip
    assert {f["rule"] for f in report["findings"]} == {"blocking-threat", "missing-ticket"}
    lines = {
        f["threat_id"]: f["line"] for f in report["findings"] if f["rule"] == "blocking-threat"
    }
    assert lines == {"T001": 9, "T003": 42, "T004": 58, "T005": 76}


def test_threat_register_mitigation_status(run_cli: RunCli) -> None:
    code, report = _report(run_cli, "threat-register.yaml")
    threats = {t["id"]: t for t in report["threats"]}
    assert threats["T004"]["status"] == "in_progress"
    assert threats["T004"]["open"] and threats["T004"]["blocking"]
    assert threats["T004"]["level"] == "high" and threats["T004"]["score"] is None
    assert threats["T004"]["level_model"] == "rating"
    for closed in ("T001", "T002", "T003"):
        assert threats[closed]["status"] == "mitigated"
        assert not threats[closed]["open"] and not threats[closed]["blocking"]
    assert code == 1


def test_dread_register(run_cli: RunCli) -> None:
    code, report = _report(run_cli, "threat-register-dread.yaml")
    threats = {t["id"]: t for t in report["threats"]}
    assert (threats["T010"]["level"], threats["T010"]["level_model"]) == ("critical", "dread")
    assert threats["T010"]["blocking"] and threats["T010"]["score"] is None
    assert (threats["T011"]["level"], threats["T011"]["open"]) == ("medium", False)
    assert code == 1


def test_dragon_seed_reference_to_undefined_threat(run_cli: RunCli) -> None:
    code, report = _report(run_cli, "threat-dragon-seed.json", "stride-worksheet.yaml")
    unresolved = [f for f in report["findings"] if f["rule"] == "unresolved-reference"]
    assert [(f["threat_id"], f["path"], f["line"]) for f in unresolved] == [
        ("T006", "fixtures/seed/threat-dragon-seed.json", 16)
    ]
    assert "Orders Database" in unresolved[0]["message"]
    assert code == 1


def test_dragon_seed_alone_finds_its_worksheet_under_the_root(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """T001-T005 are defined in a file not named: tmcheck looks them up under the root."""
    models = tmp_path / "docs" / "threat-model"
    models.mkdir(parents=True)
    for name in ("threat-dragon-seed.json", "stride-worksheet.yaml"):
        shutil.copy(REPO / SEED / name, models / name)
    result = run_cli("check", "docs/threat-model/threat-dragon-seed.json", cwd=tmp_path)
    lines = result.stdout.splitlines()[:-1]
    assert [line for line in lines if "[stride-coverage]" not in line] == [
        "docs/threat-model/threat-dragon-seed.json:16:71: error [unresolved-reference] Orders"
        " Database names threat id T006, which no threat model defines"
    ]
    assert result.code == 1


def test_library_ids_resolve_references_from_threats(run_cli: RunCli, tmp_path: Path) -> None:
    register = tmp_path / "register.yaml"
    register.write_text(
        "threats:\n"
        "  - {id: R1, threat: Spoofing, risk: LOW, library: TL-AUTH-001}\n"
        "  - {id: R2, threat: Spoofing, risk: LOW, library: [TL-INJ-001, TL-NOPE-1]}\n",
        encoding="utf-8",
    )
    library = REPO / SEED / "threat-library.yaml"
    result = run_cli("check", "--no-config", str(register), str(library), cwd=tmp_path)
    assert result.stdout.splitlines()[:-1] == [
        f"{register}:3:43: error [unresolved-reference] R2 names library id TL-NOPE-1,"
        " which no threat library defines"
    ]
    assert result.code == 1
