"""Every rule's documentation holds: its Passes example passes it and its Fails example fails
it. The examples are fragments (a threat's keys, a list of threats, part of an architecture);
each rule says here what whole files its fragments stand in."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.rules import examples, run_rule
from tmcheck.rules import RULES

ARCHITECTURE = "components:\n  - {name: Web, type: process}\nflows: []\n"
Files = dict[str, str]


def _register(fragment: str) -> str:
    """A threat register of the threats in `fragment` (a `threats:` mapping or its list); an
    item without a category gets Spoofing."""
    if not fragment.startswith("threats:"):
        fragment = "threats:\n" + textwrap.indent(fragment, "  ")
    lines = []
    for line in fragment.splitlines():
        lines.append(line)
        item = re.match(r"(\s*)- (?!\{)", line)
        if item and "threat:" not in fragment:
            lines.append(f"{item.group(1)}  threat: Spoofing")
    return "\n".join(lines) + "\n"


def _threat(fragment: str) -> str:
    """A threat register with one threat of these keys."""
    keys = "" if "category:" in fragment else "threat: Spoofing\n"
    body = ("id: T001\n" + keys + fragment).replace("category:", "threat:")
    return "threats:\n" + textwrap.indent(body, "    ").replace("    ", "  - ", 1)


def _architecture(fragment: str) -> str:
    return (
        fragment
        if re.search(r"^(flows|trust_boundaries):", fragment, re.M)
        else (fragment + "flows: []\n")
    )


def _stale(fragment: str) -> tuple[Files, list[str]]:
    """`changed: a, b`: the architecture and, when named, its threat model changed."""
    changed = [name.strip() for name in fragment.split("#")[0].split(":", 1)[1].split(",")]
    files = {
        "docs/architecture.yaml": ARCHITECTURE,
        "docs/threat-model.md": "# Threat Model\n\n## Threats\n\n| ID | Component | STRIDE |"
        " Risk | Status |\n|---|---|---|---|---|\n| T1 | Web | Spoofing | LOW | Open |\n",
    }
    return files, changed


# rule id: (fragment -> files), for Passes and Fails alike unless said otherwise
FILES: dict[str, Callable[[str], Files]] = {
    "acceptance-expired": lambda fragment: {"model.yaml": _threat(fragment)},
    "acceptance-incomplete": lambda fragment: {"model.yaml": _threat(fragment)},
    "acceptance-unauthorized": lambda fragment: {"model.yaml": _threat(fragment)},
    "blocking-threat": lambda fragment: {"model.yaml": _register(fragment)},
    "duplicate-element": lambda fragment: {"architecture.yaml": _architecture(fragment)},
    "duplicate-id": lambda fragment: {"model.yaml": _register(fragment)},
    "missing-owner": lambda fragment: {"model.yaml": _threat(fragment)},
    "missing-ticket": lambda fragment: {"model.yaml": _register(fragment)},
    "risk-level-mismatch": lambda fragment: {"model.yaml": _threat(fragment)},
    "risk-score-mismatch": lambda fragment: {"model.yaml": _threat(fragment)},
    "sla-overdue": lambda fragment: {"model.yaml": _register(fragment)},
    "undefined-element": lambda fragment: {
        "architecture.yaml": fragment
        if fragment.startswith("trust_boundaries")
        else "components:\n  - {name: Browser User, type: external_entity}\n"
        "  - {name: API Gateway, type: process}\n" + fragment
    },
    "unknown-category": lambda fragment: {"model.yaml": _threat(fragment)},
    "unknown-component": lambda fragment: {
        "model.yaml": _register(fragment),
        "architecture.yaml": "components:\n  - {name: User DB, type: datastore}\nflows: []\n",
    },
    "unknown-rating": lambda fragment: {"model.yaml": _threat(fragment)},
    "unknown-status": lambda fragment: {"model.yaml": _threat(fragment)},
    "unrated-threat": lambda fragment: {"model.yaml": _threat(fragment)},
    "unresolved-reference": lambda fragment: {
        "dragon.json": '{"summary": {"title": "Shop"}, "detail": {"diagrams": [{"title": "Flow",'
        f' "diagramType": "STRIDE", "cells": [{fragment.strip()}]}}]}}}}\n',
        "model.yaml": _threat("category: Spoofing\n"),  # defines T001 only
    },
}


def _files(rule: str, fragment: str, passes: bool) -> tuple[Files, list[str] | None]:
    if rule == "stale-threat-model":
        return _stale(fragment)
    if rule == "stride-coverage":  # Passes: threats for the architecture of Fails
        architecture = {"architecture.yaml": _architecture(examples(rule)[1])}
        return ({"model.yaml": _register(fragment)} if passes else {}) | architecture, None
    return FILES[rule](fragment), None


@pytest.mark.parametrize("rule", sorted(RULES))
def test_the_documented_examples_hold(rule: str, tmp_path: Path) -> None:
    passes, fails = examples(rule)
    files, changed = _files(rule, passes, True)
    assert run_rule(rule, files, tmp_path / "passes", changed=changed) == [], passes
    files, changed = _files(rule, fails, False)
    assert run_rule(rule, files, tmp_path / "fails", changed=changed) != [], fails
