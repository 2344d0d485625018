"""unknown-component: a threat names a component the architecture has."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "unknown-component"

ARCHITECTURE = {
    "architecture.yaml": "components:\n  - {name: User DB, type: datastore}\nflows: []\n"
}


def test_a_known_component_or_no_architecture_passes(tmp_path: Path) -> None:
    source = "threats:\n  - {id: T1, component: user db, threat: Spoofing}\n"
    assert check_rule(RULE, source, tmp_path / "a", others=ARCHITECTURE) == []
    assert (
        check_rule(RULE, "threats:\n  - {id: T1, component: X, threat: Spoofing}\n", tmp_path / "b")
        == []
    )


def test_a_misspelt_component_at_it(tmp_path: Path) -> None:
    source = """\
        threats:
          - id: T1
            component: Users DB
            threat: Spoofing
        """
    assert check_rule(RULE, source, tmp_path, others=ARCHITECTURE) == [(3, 5)]
