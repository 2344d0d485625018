"""The hardened readers: YAML 1.2 meanings, limits, and positions for every key and item."""

from __future__ import annotations

import pytest

from tmcheck.parsing.encoding import decode_utf8
from tmcheck.parsing.safe_json import load_json
from tmcheck.parsing.safe_yaml import load_yaml
from tmcheck.parsing.tree import LoadError


def test_yaml_12_meanings() -> None:
    data = load_yaml(
        "a: no\nb: on\nc: 017\nd: 1:30\ne: 2024-01-01\nf: 0o17\ng: 0x1F\nh: ~\ni: true\nj: 1.5\nk: y\n"
    ).data
    assert data == {
        "a": "no", "b": "on", "c": 17, "d": "1:30", "e": "2024-01-01", "f": 15, "g": 31,
        "h": None, "i": True, "j": 1.5, "k": "y",
    }  # fmt: skip


def test_positions_of_keys_and_items() -> None:
    document = load_yaml("threats:\n  - id: T1\n    likelihood: 3\n  - {id: T2, impact: 4}\n")
    assert document.locate(["threats", 0]) == (2, 5)
    assert document.locate(["threats", 0, "likelihood"]) == (3, 5)
    assert document.locate(["threats", 1, "impact"]) == (4, 14)
    assert document.locate(["threats", 7, "x"]) == (1, 1)  # the nearest known: the key


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("a: 1\na: 2\n", 2, 1, "duplicate key 'a' (first defined at line 1)"),
        (
            "x: !!python/object/apply:os.system [id]\n",
            1,
            4,
            "unsupported YAML tag '!!python/object/apply:os.system'",
        ),
        ("x: !!binary aGk=\n", 1, 4, "unsupported YAML tag '!!binary'"),
        ("x: !!set {a}\n", 1, 4, "unsupported YAML tag '!!set'"),
        ("x: !!omap [a: 1]\n", 1, 4, "unsupported YAML tag '!!omap'"),
        ("x: !!int abc\n", 1, 4, "'abc' is not a valid !!int"),
        ("a: .nan\n", 1, 4, "non-finite number '.nan' is not allowed"),
        ("a: -.inf\n", 1, 4, "non-finite number '-.inf' is not allowed"),
        ("a: 1e999\n", 1, 4, "non-finite number '1e999' is not allowed"),
        ("a: " + "9" * 5000 + "\n", 1, 4, "number out of range (5000 digits; at most 18)"),
        ("a: &a [*a]\n", 1, 8, "alias *a refers to itself (recursive alias)"),
        ("a: *nope\n", 1, 4, "alias *nope names no anchor"),
        ("1: x\n", 1, 1, "mapping keys must be strings, found a number"),
        ("null: x\n", 1, 1, "mapping keys must be strings, found null"),
        ("? [a, b]\n: w\n", 1, 3, "mapping keys must be strings, found a collection"),
        ("- a\n", 1, 1, "the top level must be a mapping, found a sequence"),
        ("42\n", 1, 1, "the top level must be a mapping, found a number"),
        ("", 1, 1, "the file is empty"),
        ("a: 1\n---\nb: 2\n", 2, 1, "a second YAML document starts here"),
        ("a: \x1b[2J\n", 1, 4, "control character U+001B is not allowed in YAML"),
        ("[" * 30000 + "]" * 30000, 1, 65, "nesting deeper than 64 levels"),
        ("- " * 2000 + "x", 1, 129, "nesting deeper than 64 levels"),
    ],
)
def test_yaml_refusals(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(LoadError) as refused:
        load_yaml(text)
    assert message in refused.value.message
    assert (refused.value.line, refused.value.column) == (line, column)


def test_alias_bomb_is_stopped_by_expanded_size() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    with pytest.raises(LoadError, match="aliases expand beyond 10000 nodes"):
        load_yaml("\n".join(lines))
    assert load_yaml("base: &b {x: 1}\nuse: [*b, *b]\n").data["use"] == [{"x": 1}, {"x": 1}]


def test_alias_budget_counts_characters_too() -> None:
    # few nodes, but every alias repeats 100 KB of text: 5,000 of them would be 500 MB of titles
    text = 's: &s "' + "x" * 100_000 + '"\nl: [' + ", ".join(["*s"] * 11) + "]\n"
    with pytest.raises(LoadError) as refused:
        load_yaml(text)
    assert refused.value.message == "aliases expand beyond 1000000 characters (an alias bomb?)"
    assert (refused.value.line, refused.value.column) == (2, 45)
    assert len(load_yaml(text.replace(", *s]", "]")).data["l"]) == 10


def test_values_per_file_are_bounded() -> None:
    def items(count: int) -> str:
        return "".join(f"  - {{id: T{n}, category: Spoofing}}\n" for n in range(count))

    with pytest.raises(LoadError, match="the file holds more than 50000 values"):
        load_yaml("threats:\n" + items(10_000))
    with pytest.raises(LoadError, match="the file holds more than 50000 values"):
        load_json('{"a": [' + ",".join(["1"] * 50_000) + "]}")
    assert len(load_yaml("threats:\n" + items(5000)).data["threats"]) == 5000


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ('{"a": 1, "a": 2}', 1, 10, "duplicate key 'a' (first defined at line 1)"),
        ('{"a": NaN}', 1, 7, "non-finite number NaN is not allowed"),
        ('{"a": -Infinity}', 1, 7, "non-finite number -Infinity is not allowed"),
        ('{"a": 1e999}', 1, 7, "non-finite number '1e999' is not allowed"),
        ('{"a": [1, 2,]}', 1, 13, "expected a value before ']' (a trailing comma?)"),
        ('{"a": 1,}', 1, 9, "expected a key before '}' (a trailing comma?)"),
        ('{\n  "a": "\\ud800"\n}', 2, 8, "lone surrogate"),
        ('{"a": "x\ny"}', 1, 9, "Invalid control character"),
        ('{"a": 1} 2', 1, 10, "unexpected data after the end"),
        ('{"a": tru}', 1, 7, "invalid JSON value 'tru'"),
        ('{"a": 01}', 1, 7, "invalid JSON value '01'"),
        ('{"a" 1}', 1, 6, "expected ':' after the key"),
        ('{"a": [1', 1, 9, "unexpected end of the JSON document"),
        ("[" * 100000 + "]" * 100000, 1, 65, "nesting deeper than 64 levels"),
        ("[1]", 1, 1, "the top level must be a mapping, found a sequence"),
        ("  ", 1, 3, "the file is empty"),
    ],
)
def test_json_refusals(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(LoadError) as refused:
        load_json(text)
    assert message in refused.value.message
    assert (refused.value.line, refused.value.column) == (line, column)


def test_json_positions_and_values() -> None:
    document = load_json('{\n  "a": [1, 2.5, true, null, "x\\u00e9"],\n  "b": {"c": -3}\n}')
    assert document.data == {"a": [1, 2.5, True, None, "x\u00e9"], "b": {"c": -3}}
    assert document.locate(["a", 4]) == (2, 29)
    assert document.locate(["b", "c"]) == (3, 9)


def test_strict_utf8_with_one_leading_bom() -> None:
    assert decode_utf8(b"\xef\xbb\xbftitle: ok\n") == "title: ok\n"
    with pytest.raises(LoadError, match="byte order mark"):
        decode_utf8(b"a: 1\n\xef\xbb\xbfb: 2\n")
    with pytest.raises(LoadError) as refused:
        decode_utf8(b"title: caf\xe9\n")
    assert refused.value.message.startswith("not valid UTF-8 at byte offset 10")
    with pytest.raises(LoadError, match="at byte offset 0"):
        decode_utf8("title: ok\n".encode("utf-16"))
