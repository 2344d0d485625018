"""unresolved-reference: every id a diagram or a threat names is defined."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "unresolved-reference"

LIBRARY = {
    "library.yaml": "categories:\n  auth:\n    - {id: TL-1, name: Token theft, description: x}\n"
}


def test_ids_defined_in_the_run_pass(tmp_path: Path) -> None:
    source = "threats:\n  - {id: T1, threat: Spoofing, library: [TL-1]}\n"
    assert check_rule(RULE, source, tmp_path, others=LIBRARY) == []


def test_an_undefined_library_id_at_the_key(tmp_path: Path) -> None:
    source = """\
        threats:
          - id: T1
            threat: Spoofing
            library: [TL-9]
        """
    assert check_rule(RULE, source, tmp_path) == [(4, 5)]
