"""Files of formats tmcheck does not read are never read as one of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import RunCli

CATALOG = """\
metadata: {id: CCC.Core, title: Common Cloud Controls}
threats:
  - id: CCC.Core.TH01
    title: Access control is misconfigured
    description: An attacker uses a misconfigured policy to read data.
    capabilities: [{reference-id: CCC.Core, entries: [{reference-id: CCC.Core.F01}]}]
    external-mappings: [{reference-id: MITRE-ATT&CK, entries: [{reference-id: T1078}]}]
"""
THREATSPEC = json.dumps(
    {"mitigations": [], "exposures": [], "acceptances": [], "transfers": [], "connections": []}
)
ARRAY = json.dumps([{"id": "A1", "title": "Replay", "risk": "High"}])


@pytest.mark.parametrize(
    ("name", "text", "what"),
    [
        ("threats.yaml", CATALOG, "a threat catalog (FINOS Common Cloud Controls)"),
        ("threatmodel.json", THREATSPEC, "a threatspec threat model"),
        ("export.json", ARRAY, "a JSON array of threats"),
    ],
)
def test_named_it_is_unknown_format_naming_it_walked_it_is_skipped(
    run_cli: RunCli, tmp_path: Path, name: str, text: str, what: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    named = run_cli("check", "--no-config", name, cwd=tmp_path)
    assert named.stdout.startswith(f"{name}:1:1: error [unknown-format] {what}")
    assert "[schema]" not in named.stdout
    walked = run_cli("check", "--no-config", "-v", ".", cwd=tmp_path)
    assert "[no-threat-models]" in walked.stdout and walked.code == 0
    assert walked.stderr.startswith(f"skipped {name}: {what}")
