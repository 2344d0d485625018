"""AWS Threat Composer (`.tc.json`): the real files of the shared corpus and small files of our own.

The expected figures are counted from each file with a few lines of plain `json` (no tmcheck
code): ids from `numericId`, the first STRIDE letter, the Priority word and the status.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import RunCli
from tests.support.paths import need
from tmcheck.check import run_check
from tmcheck.config import Settings

CORPUS = "threat-composer"
FILES = {  # file: threats, as the research counted them by hand (formats-next.md, 2.6)
    "ThreatComposer.tc.json": 20,
    "ThreatComposerWorkspace-reinforce2024-ex2.tc.json": 25,
    "sample-knowledge-packs-threat-model.tc.json": 10,
}
LETTERS = {"S": "Spoofing", "T": "Tampering", "R": "Repudiation", "I": "Information Disclosure",
           "D": "Denial of Service", "E": "Elevation of Privilege"}  # fmt: skip


def _hand_count(path: Path) -> list[dict[str, Any]]:
    """What each threat should become, read with nothing but `json`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    expected = []
    for threat in data["threats"]:
        metadata = {pair["key"]: pair["value"] for pair in threat.get("metadata", [])}
        status = threat.get("status", "threatIdentified")
        expected.append(
            {
                "id": "T-" + str(threat["numericId"]).zfill(4),
                "categories": tuple(LETTERS[letter] for letter in metadata.get("STRIDE", [])),
                "level": metadata["Priority"].lower() if "Priority" in metadata else None,
                "status": {"threatIdentified": "open", "threatResolved": "mitigated",
                           "threatResolvedNotUseful": "not_applicable"}[status],
                "title": " ".join(threat["statement"].split()),
            }
        )  # fmt: skip
    return expected


@pytest.mark.parametrize("name", sorted(FILES))
def test_corpus_files_read_as_counted_by_hand(shared: Path, name: str) -> None:
    path = (shared / "corpus" / CORPUS / name).resolve()
    need(path.is_file(), f"{path} is missing")
    result = run_check([str(path)], Settings(root=shared))
    [file] = result.files
    assert file.format == "threat-composer"
    assert file.valid, [finding.message for finding in file.findings if finding.rule == "schema"]
    read = [
        {
            "id": t.id,
            "categories": t.categories,
            "level": t.risk_level,
            "status": t.status,
            "title": t.entry.title,
        }
        for t in file.threats
    ]
    assert read == _hand_count(path)
    assert len(read) == FILES[name]
    assert all(t.score is None and t.entry.id_scope == "file" for t in file.threats)
    assert not [f for f in result.findings if f.rule in ("unknown-status", "duplicate-id")]


def test_the_three_corpus_files_together(shared: Path) -> None:
    folder = (shared / "corpus" / CORPUS).resolve()
    need(folder.is_dir(), f"{folder} is missing")
    result = run_check([str(folder / name) for name in sorted(FILES)], Settings(root=shared))
    assert len(result.threats) == 55
    # sample-knowledge-packs and reinforce2024 both number from T-0001: no duplicate across files
    assert not [f for f in result.findings if f.rule == "duplicate-id"]
    blocking = Counter(t.entry.path.rsplit("/", 1)[1] for t in result.blocking_threats)
    assert blocking == {  # open High threats; ThreatComposer.tc.json has all 20 resolved
        "ThreatComposerWorkspace-reinforce2024-ex2.tc.json": 5,
        "sample-knowledge-packs-threat-model.tc.json": 2,
    }


def test_unset_statuses_with_resolved_mitigations_get_one_note(
    shared: Path, run_cli: RunCli
) -> None:
    path = (shared / "corpus" / CORPUS / "sample-knowledge-packs-threat-model.tc.json").resolve()
    need(path.is_file(), f"{path} is missing")
    result = run_cli("check", "--no-config", str(path), cwd=shared)
    notes = [line for line in result.stdout.splitlines() if "[status-not-set]" in line]
    assert len(notes) == 1
    assert (
        "10 threats have no status although every mitigation linked to them is resolved"
        in (notes[0])
    )
    threat = run_check([str(path)], Settings(root=shared)).threats[0]
    assert threat.status == "open"  # said, not guessed
    assert threat.entry.mitigation and threat.entry.mitigation.endswith("[mitigationResolved]")
    assert threat.entry.component == "CloudFront distribution"
    assert threat.rating == "priority High"


def _workspace(*threats: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"schema": 1, "threats": list(threats), **extra}


def _threat(number: int, statement: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"00000000-0000-4000-8000-{number:012d}", "numericId": number,
            "statement": statement, **fields}  # fmt: skip


def test_statuses_priorities_and_multi_letter_stride(tmp_path: Path) -> None:
    model = _workspace(
        _threat(1, "A spoofer can pretend", status="threatIdentified",
                metadata=[{"key": "Priority", "value": "High"},
                          {"key": "STRIDE", "value": ["S", "E"]}]),
        _threat(2, "A reader can read", status="threatResolvedNotUseful",
                metadata=[{"key": "Priority", "value": "Low"}]),
        {"id": "x3", "numericId": 3, "threatSource": "An insider", "prerequisites": "with access",
         "threatAction": "delete the logs", "threatImpact": "lost audit trail"},
    )  # fmt: skip
    path = tmp_path / "model.tc.json"
    path.write_text(json.dumps(model, indent=2), encoding="utf-8")
    threats = run_check([str(path)], Settings(root=tmp_path)).threats
    assert [(t.id, t.status, t.risk_level, t.category, t.categories) for t in threats] == [
        ("T-0001", "open", "high", "Spoofing", ("Spoofing", "Elevation of Privilege")),
        ("T-0002", "not_applicable", "low", None, ()),
        ("T-0003", "open", None, None, ()),
    ]
    assert threats[2].entry.title == (
        "An insider with access can delete the logs, which leads to lost audit trail"
    )


def test_schema_errors_are_reported_at_line_and_column(tmp_path: Path) -> None:
    model = _workspace(_threat(1, "A spoofer can pretend", status="threatMaybe"))
    path = tmp_path / "model.tc.json"
    path.write_text(json.dumps(model, indent=2), encoding="utf-8")
    result = run_check([str(path)], Settings(root=tmp_path))
    schema = [f for f in result.findings if f.rule == "schema"]
    assert [(f.line, f.column) for f in schema] == [(8, 7)]
    assert schema[0].message.startswith("$.threats[0].status: 'threatMaybe' is not one of")


def test_mitigations_that_are_no_list_are_schema_errors_not_a_crash(tmp_path: Path) -> None:
    model = {**_workspace(_threat(1, "A spoofer can pretend")), "mitigations": 5,
             "mitigationLinks": 7}  # fmt: skip
    path = tmp_path / "model.tc.json"
    path.write_text(json.dumps(model, indent=2), encoding="utf-8")
    result = run_check([str(path)], Settings(root=tmp_path))
    assert sorted(f.rule for f in result.findings if f.level == "error") == ["schema", "schema"]
    assert [t.id for t in result.threats] == ["T-0001"]


def test_a_mitigation_status_that_is_no_word_is_a_schema_error_not_a_crash(tmp_path: Path) -> None:
    model = _workspace(_threat(1, "A spoofer can pretend"))
    model["mitigations"] = [{"id": "m1", "numericId": 1, "content": "Sign it", "status": [5]}]
    model["mitigationLinks"] = [{"mitigationId": "m1", "linkedId": model["threats"][0]["id"]}]
    path = tmp_path / "model.tc.json"
    path.write_text(json.dumps(model, indent=2), encoding="utf-8")
    result = run_check([str(path)], Settings(root=tmp_path))
    errors = [f for f in result.findings if f.level == "error"]
    assert {f.rule for f in errors} == {"schema"}
    assert any(f.message.startswith("$.mitigations[0].status: ") for f in errors)
    assert [t.id for t in result.threats] == ["T-0001"]


def test_a_one_line_file_gets_line_one_and_columns_naming_the_threat(tmp_path: Path) -> None:
    model = _workspace(
        _threat(1, "A spoofer can pretend", metadata=[{"key": "Priority", "value": "Low"}]),
        _threat(7, "An attacker can take over", metadata=[{"key": "Priority", "value": "High"}]),
    )
    text = json.dumps(model)
    path = tmp_path / "model.tc.json"
    path.write_text(text, encoding="utf-8")
    result = run_check([str(path)], Settings(root=tmp_path))
    [blocking] = [f for f in result.findings if f.rule == "blocking-threat"]
    assert blocking.line == 1
    assert blocking.column == text.index('{"id": "00000000-0000-4000-8000-000000000007"') + 1
    assert "T-0007" in blocking.message


def test_threat_composer_words_are_not_learnt_by_other_formats(tmp_path: Path) -> None:
    (tmp_path / "register.yaml").write_text(
        "threats:\n  - {id: R1, title: Replay, status: threatResolved}\n", encoding="utf-8"
    )
    result = run_check([str(tmp_path / "register.yaml")], Settings(root=tmp_path))
    assert [t.status for t in result.threats] == ["unknown"]
    assert [f.rule for f in result.findings if f.rule == "unknown-status"] == ["unknown-status"]


def test_a_newer_schema_version_is_checked_against_v1_with_a_note(tmp_path: Path) -> None:
    model = _workspace(_threat(1, "A spoofer can pretend"))
    model["schema"] = 1.1
    path = tmp_path / "model.tc.json"
    path.write_text(json.dumps(model, indent=2), encoding="utf-8")
    result = run_check([str(path)], Settings(root=tmp_path))
    assert [(f.rule, f.level, f.line) for f in result.findings if f.rule == "schema"] == [
        ("schema", "note", 2)
    ]
    assert result.files[0].valid and [t.id for t in result.threats] == ["T-0001"]
