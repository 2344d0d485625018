"""Every Threat Dragon file of the shared corpus loads, with the counts the corpus README lists."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.support.cli import RunCli

# file: (threats, raw statuses, severity levels) from ../shared/corpus/README.md
EXPECTED = {
    "v1/demo-threat-model.json": (14, {"Open": 10, "Mitigated": 4}, {"high": 8, "medium": 4, "low": 2}),
    "v1/enter-the-dragon-3.json": (
        3, {"Open": 1, "Mitigated": 1, "Not Applicable": 1}, {"low": 1, "high": 1, "medium": 1},
    ),
    "v2/cryptocurrency-wallet.json": (1, {"Open": 1}, {"critical": 1}),
    "v2/generic-cms.json": (0, {}, {}),
    "v2/iot-device.json": (4, {"Open": 3, "Mitigated": 1}, {"medium": 2, "high": 1, None: 1}),
    "v2/td-test-model.json": (
        15, {"Mitigated": 11, "Open": 3, "NotApplicable": 1}, {"critical": 5, "medium": 5, "high": 5},
    ),
    "v2/test-reports.json": (8, {"Open": 6, "Mitigated": 2}, {"medium": 8}),
    "v2/three-tier-web-app.json": (2, {"Mitigated": 2}, {"high": 1, "medium": 1}),
    "v2/v2-threat-model.json": (14, {"Open": 10, "Mitigated": 4}, {"high": 8, "medium": 4, "low": 2}),
}  # fmt: skip
STATUS = {"Open": "open", "Mitigated": "mitigated", "Not Applicable": "not_applicable",
          "NotApplicable": "not_applicable"}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_threat_dragon_file_loads(name: str, shared: Path, run_cli: RunCli) -> None:
    path = shared / "corpus" / "threat-dragon" / name
    result = run_cli("check", "--no-config", "--format", "json", str(path))
    report = json.loads(result.stdout)
    count, statuses, levels = EXPECTED[name]
    assert report["files"] == [
        {"path": str(path), "format": "threat-dragon", "valid": True, "threats": count}
    ]
    threats = report["threats"]
    assert Counter(t["status_raw"] for t in threats) == Counter(statuses)
    assert Counter(t["status"] for t in threats) == Counter(
        {STATUS[raw]: n for raw, n in statuses.items()}
    )
    assert Counter(t["level"] for t in threats) == Counter(levels)
    assert all(t["level_model"] in ("severity", None) for t in threats)
    assert all(t["open"] == (t["status"] == "open") for t in threats)
    broken = [
        f for f in report["findings"] if f["rule"] in ("parse-error", "schema", "internal-error")
    ]
    assert broken == []
    assert result.code == (1 if any(t["blocking"] for t in threats) else 0)


def test_threat_dragon_own_schema_is_not_ours(shared: Path, run_cli: RunCli) -> None:
    """The upstream schema file is JSON but no threat model: named directly, it is reported."""
    path = shared / "corpus" / "threat-dragon" / "schema" / "threat-dragon-v2.schema.json"
    result = run_cli("check", "--no-config", str(path))
    assert "[unknown-format]" in result.stdout and result.code == 1
