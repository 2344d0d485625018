"""undefined-element: flows and components name what the architecture defines."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "undefined-element"


def test_defined_names_pass(tmp_path: Path) -> None:
    source = """\
        trust_boundaries: [{name: DMZ}]
        components:
          - {name: Browser User, type: external_entity}
          - {name: API Gateway, type: process, boundary: dmz}
        flows:
          - {name: HTTPS Request, from: Browser User, to: api  gateway}
        """
    assert check_rule(RULE, source, tmp_path, name="architecture.yaml") == []


def test_each_undefined_end_and_boundary_at_its_key(tmp_path: Path) -> None:
    source = """\
        trust_boundaries: [{name: DMZ}]
        components:
          - {name: API Gateway, type: process, boundary: Intranet}
        flows:
          - {name: HTTPS Request, from: Browser User, to: API Gatway}
        """
    assert check_rule(RULE, source, tmp_path, name="architecture.yaml") == [
        (3, 40), (5, 27), (5, 47)
    ]  # fmt: skip
