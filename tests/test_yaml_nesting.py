"""Deep nesting is refused the same way whatever libyaml PyYAML bundles.

PyYAML 6.0.4's libyaml refuses nesting past 1,000 levels by itself, and its scanner reads ahead,
so it can refuse before tmcheck's 64-level check sees the 65th level. The pure-Python parser
has no such limit: it is the reference for what tmcheck reports (message, line and column).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tmcheck.parsing import safe_yaml
from tmcheck.parsing.tree import LoadError


class PurePythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def refusal(text: str) -> tuple[str, int, int]:
    with pytest.raises(LoadError) as refused:
        safe_yaml.load_yaml(text)
    return refused.value.message, refused.value.line, refused.value.column


DEEP = [
    "[" * 30000 + "]" * 30000,
    "- " * 2000 + "x",
    "a: ééé\nb: " + "{x: " * 1200,
    "top:\n" + "".join("  " * depth + f"k{depth}:\n" for depth in range(1, 1100)),
    "x:\n" + "".join(" " * depth + "- \n" for depth in range(1, 1200)),
    # the file's own errors before the 65th level are reported, not the nesting
    "a: 1\na: 2\nb: " + "[" * 1200,
    "a: !!python/object x\nb: " + "[" * 1200,
    "[" * 100 + "}" + "[" * 1200,
]


@pytest.mark.parametrize("text", DEEP, ids=range(len(DEEP)))
def test_nesting_refusal_matches_a_parser_without_its_own_limit(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = refusal(text)
    parser: Any = PurePythonParser
    monkeypatch.setattr(safe_yaml, "_Parser", parser)
    assert bundled == refusal(text)


def test_a_syntax_error_before_the_65th_level_is_reported_as_without_deep_nesting() -> None:
    # the two parsers word syntax errors differently: the reference is the bundled parser on
    # the same text with nesting that no libyaml refuses by itself
    shallow = refusal("a: [" + "[" * 30 + "}" + "[" * 100)
    assert shallow[0].startswith("invalid YAML: ")
    assert refusal("a: [" + "[" * 30 + "}" + "[" * 1200) == shallow


def test_the_64_level_message_at_the_65th_level() -> None:
    assert refusal("[" * 30000) == ("nesting deeper than 64 levels", 1, 65)
    assert refusal("k: " + "{a: " * 1500) == ("nesting deeper than 64 levels", 1, 4 + 4 * 63)


def test_64_levels_are_read() -> None:
    text = "[" * 63 + "1" + "]" * 63
    assert safe_yaml.load_yaml("k: " + text).data["k"] is not None
