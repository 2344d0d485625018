"""unknown-category: a STRIDE threat's category is one of the six."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.support.rules import check_rule, run_rule
from tmcheck.check import run_check
from tmcheck.config import Settings

RULE = "unknown-category"


def test_names_initials_and_short_forms_pass(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: information disclosure}
          - {id: T2, threat: E}
          - {id: T3, threat: DoS}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_another_word_fails_at_the_category(tmp_path: Path) -> None:
    source = """\
        component: {name: Web, owner: Web Team}
        threats:
          - id: T1
            category: Privilege escalation
        """
    assert check_rule(RULE, source, tmp_path) == [(4, 5)]


def test_abbreviations_pass_and_auth_names_none(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Info Disc}
          - {id: T2, threat: Elevation}
          - {id: T3, threat: Repud / Tamper}
          - {id: T4, threat: Auth}
        """
    assert check_rule(RULE, source, tmp_path) == [(5, 14)]


MARKDOWN = """\
    | ID | Threat | Category |
    |---|---|---|
    | 1 | Tenant reads another tenant's rows | Broken Access Control |
    | 2 | Query built from input | Injection |
    | 3 | Forged session | Spofing |
    | 4 | Queue flooded | Denial / Resource Exhaustion |
    | 5 | Debug port open | Config Error |
    """


def test_another_taxonomy_in_markdown_is_one_note_and_a_misspelling_an_error(
    tmp_path: Path,
) -> None:
    files = {"model.md": textwrap.dedent(MARKDOWN)}
    findings = [(f.line, f.level, f.message) for f in run_rule(RULE, files, tmp_path)]
    assert findings == [
        (3, "note", "categories of another taxonomy than STRIDE ('Broken Access Control',"
         " 'Injection', 'Denial / Resource Exhaustion', 'Config Error'): kept as written, they"
         " count toward no STRIDE category"),
        (5, "error", "3: 'Spofing' is not a STRIDE category (Spoofing, Tampering, Repudiation,"
         " Information Disclosure, Denial of Service, Elevation of Privilege); did you mean"
         " 'Spoofing'?"),
    ]  # fmt: skip
    result = run_check([str(tmp_path / "model.md")], Settings(root=tmp_path))
    assert [t.categories for t in result.threats] == [(), (), (), ("Denial of Service",), ()]
    assert result.threats[0].entry.category == "Broken Access Control"  # kept as written


def test_another_taxonomy_in_yaml_stays_an_error(tmp_path: Path) -> None:
    source = "threats:\n  - {id: T1, threat: Broken Access Control}\n"
    assert check_rule(RULE, source, tmp_path) == [(2, 14)]
