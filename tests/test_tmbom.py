"""OWASP TM-BOM: the OWASP Threat Model Library's models in the shared corpus, and our own file.

The expectations are counted by hand from each file: each risk's likelihood x impact and
declared score, the statuses of the controls linked to its threats, and the threats no risk
names. They are written out below.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import FIXTURES, need
from tmcheck.check import run_check
from tmcheck.config import Settings
from tmcheck.formats.tmbom import derived_status
from tmcheck.results import RunResult

CORPUS = "tm-bom"
SHOP = FIXTURES / "tools" / "tm-bom" / "shop.tmbom.json"

# file: [(id, likelihood, impact, level, status)], risks first, then threats in no risk
EXPECTED: dict[str, list[tuple[Any, ...]]] = {
    "hashicorp-vault-threat-model.json": [
        ("insider-abuse-of-kubernetes-access", 3, 5, "high", "open"),  # 8 controls suggested
        ("workload-auth-abuse", 2, 5, "medium", "open"),  # 8 controls suggested
        ("network-exposure-and-mitm", 1, 5, "low", "partially_mitigated"),  # 2 active of 5
        ("vault-availability-risk", 2, 4, "medium", "partially_mitigated"),  # 1 active of 5
    ],
    "ephemeral-browser-isolation-threat-model.json": [
        ("tracking-privacy-violation", 3, 4, "high", "mitigated"),  # 4 controls, all active
        ("credential-exposure-risk", 2, 5, "medium", "mitigated"),  # 4 controls, all active
        ("control-plane-compromise", 2, 5, "medium", "partially_mitigated"),  # 1 suggested
        ("container-isolation-failure", 1, 5, "low", "partially_mitigated"),
        ("availability-dos-risk", 3, 3, "medium", "partially_mitigated"),
        ("browser-zero-day-containment", 2, 3, "medium", "partially_mitigated"),
        ("shared-endpoint-session-reuse", None, None, None, "open"),  # no risk, no control
        ("streaming-layer-exposure", None, None, None, "partially_mitigated"),  # no risk
    ],
    "cryptocurrency-wallet-threat-model.json": [  # no `risks`: 3 unrated threats
        ("wallet-file-theft", None, None, None, "open"),  # controls under_review
        ("api-key-theft-misuse", None, None, None, "open"),
        ("electrumx-data-tampering", None, None, None, "open"),
    ],
    "huskyai.tmbom.json": [
        ("adversarial-attack-on-huskyai", 2, 4, "medium", "partially_mitigated"),
        ("web-attacks", 3, 3, "medium", "open"),  # 4 controls, all suggested
        ("unauthorized-ssh-access", 3, 5, "high", "partially_mitigated"),
        ("sensitive-image-exposure", None, None, None, "partially_mitigated"),  # no risk
    ],
}
ELEMENTS = {  # file: actors, components, data stores, flows, trust zones
    "hashicorp-vault-threat-model.json": (3, 12, 3, 24, 4),
    "ephemeral-browser-isolation-threat-model.json": (3, 9, 3, 16, 5),
    "cryptocurrency-wallet-threat-model.json": (1, 10, 3, 11, 3),
    "huskyai.tmbom.json": (4, 6, 7, 23, 2),
}


def _check(path: Path, root: Path) -> RunResult:
    return run_check([str(path)], Settings(root=root))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_library_models_read_as_counted_by_hand(shared: Path, name: str) -> None:
    path = (shared / "corpus" / CORPUS / name).resolve()
    need(path.is_file(), f"{path} is missing")
    result = _check(path, shared)
    [file] = result.files
    assert file.format == "tm-bom"
    assert file.valid, [f.message for f in file.findings if f.rule == "schema"]
    read = [(t.id, t.likelihood, t.impact, t.risk_level, t.status) for t in file.threats]
    assert read == EXPECTED[name]
    assert all(t.entry.status.startswith("derived: ") for t in file.threats)
    assert all(t.categories == () and t.entry.id_scope == "file" for t in file.threats)
    kinds = Counter(e.kind for e in file.elements)
    actors, components, stores, flows, zones = ELEMENTS[name]
    assert kinds == {"external_entity": actors, "process": components, "datastore": stores,
                     "flow": flows, "boundary": zones}  # fmt: skip
    assert all("\n" not in e.name for e in file.elements)
    broken = ("schema", "parse-error", "internal-error", "duplicate-id", "unknown-status")
    assert not [f for f in result.findings if f.rule in broken]
    # TM-BOM threats name no STRIDE category, so no element is asked for one
    assert result.coverage == () and not [f for f in result.findings if f.rule == "stride-coverage"]


def test_the_library_declares_a_score_that_is_not_likelihood_times_impact(shared: Path) -> None:
    """hashicorp-vault: `vault-availability-risk` is unlikely x major = 8, declared 10 (high)."""
    path = (shared / "corpus" / CORPUS / "hashicorp-vault-threat-model.json").resolve()
    need(path.is_file(), f"{path} is missing")
    result = _check(path, shared)
    [mismatch] = [f for f in result.findings if f.rule == "risk-score-mismatch"]
    assert mismatch.message == (
        "vault-availability-risk: risk_score is 10, but likelihood 2 x impact 4 = 8"
    )
    assert [t.id for t in result.blocking_threats] == ["insider-abuse-of-kubernetes-access"]
    insider = result.threats[0]
    assert insider.entry.mitigation is not None
    assert insider.entry.mitigation.endswith("(status derived from controls: 8 suggested)")


def test_our_own_file_statuses_from_controls_and_components() -> None:
    result = _check(SHOP, FIXTURES)
    [file] = result.files
    assert (file.format, file.valid) == ("tm-bom", True)
    assert [(t.id, t.score, t.risk_level, t.entry.status, t.entry.component) for t in file.threats] == [
        ("order-data-breach", 20, "critical", "derived: mitigated", "Shop API"),  # retired ignored
        ("account-takeover", 15, "high", "derived: in progress", "Shop API"),  # scheduled
        ("order-history-loss", 4, "low", "derived: partially mitigated", "Orders DB"),
        ("scraping", None, None, "derived: open", "Shop API"),  # in no risk: unrated
    ]  # fmt: skip
    assert file.threats[2].entry.mitigation == (
        "Quarterly restore drill [active]; Backups in a second region [under_review]"
        " (status derived from controls: 1 active, 1 under_review)"
    )
    assert [t.id for t in result.blocking_threats] == ["account-takeover"]
    rules = Counter(f.rule for f in result.findings)
    assert rules["risk-score-mismatch"] == 1  # rare x major is 4, declared 5
    assert rules["unrated-threat"] == 1
    assert rules["unknown-component"] == 0  # components_affected may name a data store
    flows = {e.name: e.crosses_boundary for e in file.elements if e.kind == "flow"}
    assert flows == {"Place order": True, "Store order": False}


def test_derived_status() -> None:
    assert derived_status([]) == ("derived: open", "derived: no control")
    assert derived_status(["active", "assumed", "retired"])[0] == "derived: mitigated"
    assert derived_status(["active", "suggested"])[0] == "derived: partially mitigated"
    assert derived_status(["approved", "suggested"])[0] == "derived: in progress"
    assert derived_status(["suggested", "under_review", "wont_do"]) == (
        "derived: open",
        "derived from controls: 1 suggested, 1 under_review",
    )


def test_a_file_without_schema_is_told_by_its_keys(tmp_path: Path) -> None:
    text = SHOP.read_text(encoding="utf-8").replace(
        '"$schema": "https://github.com/OWASP/www-project-threat-model-library/blob/v1.0.2/'
        'threat-model.schema.json",\n',
        "",
    )
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    result = _check(path, tmp_path)
    assert (result.files[0].format, result.files[0].valid, len(result.threats)) == (
        "tm-bom",
        True,
        4,
    )


def test_schema_errors_of_a_tm_bom_file(tmp_path: Path) -> None:
    text = SHOP.read_text(encoding="utf-8").replace(
        '"likelihood": "rare"', '"likelihood": "rarely"'
    )
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    result = _check(path, tmp_path)
    [schema] = [f for f in result.findings if f.rule == "schema"]
    assert schema.message.startswith("$.risks[2].likelihood: 'rarely' is not one of")
    assert result.threats[2].likelihood is None
