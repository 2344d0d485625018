"""stride-coverage: each element has a threat for each STRIDE category it asks."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "stride-coverage"

ARCHITECTURE = "components:\n  - {name: Browser User, type: external_entity}\nflows: []\n"


def test_every_category_covered_or_not_applicable(tmp_path: Path) -> None:
    threats = {
        "model.yaml": "threats:\n  - {id: T1, component: Browser User, threat: Spoofing}\n"
        "  - {id: T2, component: browser  user, threat: Repudiation, status: not applicable}\n"
    }
    assert check_rule(RULE, ARCHITECTURE, tmp_path, name="architecture.yaml", others=threats) == []


def test_each_missing_category_at_the_element(tmp_path: Path) -> None:
    threats = {"model.yaml": "threats:\n  - {id: T1, component: Browser User, threat: Spoofing}\n"}
    assert check_rule(RULE, ARCHITECTURE, tmp_path, name="architecture.yaml", others=threats) == [
        (2, 5)
    ]
