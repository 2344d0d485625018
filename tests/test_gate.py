"""Which threats block is decided in one place, the gate: normalization only says which open
threats are at the threshold."""

from __future__ import annotations

from pathlib import Path

from tmcheck.check import assemble
from tmcheck.config import Settings
from tmcheck.discover import Candidate
from tmcheck.file_checker import FileChecker
from tmcheck.gate import apply_gate

REGISTER = b"""\
threats:
  - {id: R1, threat: Spoofing, risk: 25, status: Open}
  - {id: R2, threat: Tampering, risk: 4, status: Open}
  - {id: R3, threat: Tampering, risk: 25, status: Mitigated}
"""


def test_normalization_says_at_threshold_and_the_gate_says_blocking(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    file = FileChecker(settings).check_content(REGISTER, Candidate("register.yaml", True))
    assert [(t.id, t.at_threshold, t.blocking) for t in file.threats] == [
        ("R1", True, False), ("R2", False, False), ("R3", False, False),
    ]  # fmt: skip

    result = assemble([file], settings)
    assert [t.id for t in result.blocking_threats] == ["R1"] and result.gate == "all"

    without_base = apply_gate([file], "new")  # nothing to compare with: as gate: all
    assert [t.id for f in without_base.files for t in f.threats if t.blocking] == ["R1"]
    assert [f.rule for f in without_base.findings] == ["gate-without-base"]
    assert (without_base.gate, without_base.debt) == ("all", ())
