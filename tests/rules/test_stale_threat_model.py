"""stale-threat-model: a changed architecture whose threat model did not change."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "stale-threat-model"

ARCHITECTURE = "components:\n  - {name: Web, type: process}\nflows: []\n"
MODEL = {"model.yaml": "threats:\n  - {id: T1, component: Web, threat: Spoofing}\n"}


def test_the_model_changed_too_or_nothing_is_known(tmp_path: Path) -> None:
    both = ["architecture.yaml", "model.yaml"]
    assert check_rule(RULE, ARCHITECTURE, tmp_path / "a", name="architecture.yaml",
                      others=MODEL, changed=both) == []  # fmt: skip
    assert check_rule(RULE, ARCHITECTURE, tmp_path / "b", name="architecture.yaml",
                      others=MODEL) == []  # fmt: skip


def test_only_the_architecture_changed(tmp_path: Path) -> None:
    assert check_rule(
        RULE, ARCHITECTURE, tmp_path, name="architecture.yaml", others=MODEL,
        changed=["architecture.yaml"],
    ) == [(1, 1)]  # fmt: skip
