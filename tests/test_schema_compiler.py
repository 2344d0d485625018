"""The compiled schema check says what jsonschema says: on every fixture, every shared corpus
file, and mutated documents (wrong types, boundary numbers and lengths, extra and missing keys,
`true` for `1`, `3.0` for `3`, astral characters, impossible dates)."""

from __future__ import annotations

import copy
import importlib.util
import json
import random
from collections.abc import Callable, Iterator, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from tests.support.paths import FIXTURES, REPO
from tmcheck.file_checker import parse
from tmcheck.parsing.tree import LoadError
from tmcheck.schema_compiler import SUPPORTED, compile_schema
from tmcheck.schema_keywords import SchemaCompileError
from tmcheck.validation import _validator, load_schema

SCHEMAS = sorted(
    entry.name.removesuffix(".schema.json")
    for entry in (files("tmcheck") / "schemas").iterdir()
    if entry.name.endswith(".schema.json")
)
DOCUMENT_SCHEMAS = [name for name in SCHEMAS if name != "common"]
# A valid config that sets every key, for the config schema's mutations.
FULL_CONFIG: dict[str, Any] = {
    "include": ["**/*.yaml"],
    "exclude": ["vendor/**"],
    "threshold": 12,
    "gate": "new",
    "level_model": "matrix",
    "scales": {"likelihood": {"rare": 1, "certain": 5}, "impact": {"minor": 2}},
    "bands": {"critical": 20, "high": 12, "medium": 6, "low": 2},
    "matrix": [["info", "low", "medium", "high", "critical"]] * 5,
    "statuses": {"parked": "accepted"},
    "closed_statuses": ["mitigated", "accepted"],
    "rules": {"missing-owner": "off"},
    "formats": {"models/*.json": "threat-dragon"},
    "max_file_bytes": 4096,
    "max_files": 10,
}
# A valid worksheet whose threat sets every optional key the seeds leave out.
FULL_WORKSHEET: dict[str, Any] = {
    "title": "Payments",
    "version": 2,
    "component": {"name": "API", "owner": "Team", "type": "process", "x-team": "a"},
    "threats": [
        {
            "id": "T-1",
            "category": "Spoofing",
            "likelihood": 2,
            "impact": "High",
            "risk_score": 8,
            "dread": {
                "damage": 1,
                "reproducibility": 2,
                "exploitability": 3,
                "affected": 1,
                "discoverability": 2,
            },
            "status": "Accepted",
            "library": ["LIB-1", "LIB-2"],
            "acceptance": {
                "approver": "CISO",
                "reason": "cost",
                "expires": "2026-02-28",
                "ticket": "SEC-1",
            },
            "gaps": [],
            "x-note": None,
        }
    ],
}
SEEDS: list[tuple[str, str]] = [
    ("stride-worksheet", "seed/stride-worksheet.yaml"),
    ("threat-register", "seed/threat-register.yaml"),
    ("threat-register", "seed/threat-register-dread.yaml"),
    ("threat-library", "seed/threat-library.yaml"),
    ("threat-dragon", "seed/threat-dragon-seed.json"),
    ("otm", "tools/otm/shop.otm"),
    ("tm-bom", "tools/tm-bom/shop.tmbom.json"),
]


def compiled_valid(name: str, instance: Any) -> bool:
    return compile_schema(name, load_schema)(instance)


def jsonschema_valid(name: str, instance: Any) -> bool:
    return bool(_validator(name).is_valid(instance))


def assert_same_verdict(name: str, instance: Any) -> bool:
    verdict = jsonschema_valid(name, instance)
    assert compiled_valid(name, instance) == verdict, (name, json.dumps(instance)[:2000])
    return verdict


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_shipped_schema_compiles(name: str) -> None:
    compile_schema(name, load_schema)


def _keywords(node: Any, under_properties: bool = False) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if not under_properties:
                yield key
            names = key in ("properties", "patternProperties", "$defs") and not under_properties
            yield from _keywords(value, names)
    elif isinstance(node, list):
        for item in node:
            yield from _keywords(item)


def test_shipped_schemas_use_only_implemented_keywords() -> None:
    used = {keyword for name in SCHEMAS for keyword in _keywords(load_schema(name))}
    assert used <= SUPPORTED, used - SUPPORTED


@pytest.mark.parametrize(
    ("schema", "refused"),
    [
        ({"multipleOf": 2}, "multipleOf"),
        ({"properties": {"a": {"prefixItems": [{}]}}}, "prefixItems"),
        ({"items": {"contains": {}}}, "contains"),
        ({"dependentRequired": {"a": ["b"]}}, "dependentRequired"),
        ({"$anchor": "here"}, "$anchor"),
        ({"unevaluatedProperties": False}, "unevaluatedProperties"),
        ({"format": "email"}, "email"),
        ({"type": "text"}, "text"),
        ({"items": [{}]}, "items"),
        ({"$ref": "https://example.com/schema.json#/$defs/x"}, "leaves"),
        ({"$ref": "other.json"}, "pointer"),
        ({"$ref": "#/$defs/missing"}, "no schema"),
        ({"anyOf": [{"$id": "urn:elsewhere"}]}, "$id"),
        ({"$schema": "http://json-schema.org/draft-07/schema#"}, "draft-07"),
    ],
)
def test_unimplemented_keywords_are_refused(schema: dict[str, Any], refused: str) -> None:
    with pytest.raises(SchemaCompileError, match=refused.replace("$", r"\$")):
        compile_schema("x", lambda name: schema)


@pytest.mark.parametrize(
    ("schema", "instances"),
    [
        ({"type": "integer"}, [3, 3.0, 3.5, True, False, "3", None, -0.0, 10**17]),
        ({"type": "number"}, [1, 1.5, True, "1", None]),
        ({"type": ["string", "null"], "maxLength": 2}, ["ab", "abc", None, 0, "😀😀", "😀😀😀"]),
        ({"enum": [1, "a", None]}, [1, 1.0, True, "a", None, False, 0]),
        ({"enum": [True, [1, {"a": False}]]}, [True, 1, [1, {"a": False}], [1, {"a": 0}]]),
        ({"const": 0}, [0, 0.0, False, "0"]),
        ({"enum": [1, 2, "2"], "const": 2}, [1, 2, 2.0, "2", True]),
        (
            {"uniqueItems": True},
            [
                [1, True],
                [1, 1.0],
                [True, True],
                [0, False],
                [{"a": 1}, {"a": 1}],
                [[1], [True]],
                ["a", "b", "a"],
            ],
        ),
        ({"minimum": 1, "exclusiveMaximum": 5}, [1, 0.99, 4.999, 5, 5.0, True, "9"]),
        ({"exclusiveMinimum": 1, "maximum": 5}, [1, 1.0001, 5, 5.5]),
        ({"oneOf": [{"type": "integer"}, {"minimum": 2}]}, [1, 3, 2.5, "x"]),
        (
            {"allOf": [{"minLength": 2}, {"pattern": "^a"}], "not": {"const": "ab"}},
            ["a", "ab", "abc", "bc", 5],
        ),
        (
            {"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "integer"}},
            ["a", "ab", 1, 1.5],
        ),
        ({"if": {"minimum": 3}, "then": {"maximum": 4}}, [2, 3, 5, "x"]),
        (
            {"format": "date"},
            [
                "2024-02-29",
                "2023-02-29",
                "2024-1-01",
                "2024-01-01\n",
                "\uff12\uff10\uff12\uff14-01-01",
                20240101,
            ],
        ),
        (
            {"required": ["a"], "minProperties": 2, "maxProperties": 3},
            [{"a": 1}, {"a": 1, "b": 2}, {"b": 1, "c": 2}, {"a": 1, "b": 2, "c": 3, "d": 4}, []],
        ),
        (
            {
                "properties": {"a": {"type": "integer"}},
                "patternProperties": {"^x-": {"type": "string"}, "b": False},
                "additionalProperties": {"type": "boolean"},
            },
            [
                {"a": 1},
                {"a": "1"},
                {"x-a": "s"},
                {"x-a": 1},
                {"ab": 1},
                {"c": True},
                {"c": 1},
                {"a": 1, "x-b": "s", "z": False},
            ],
        ),
        (
            {"additionalProperties": False, "patternProperties": {"^x-": {}}},
            [{}, {"x-": 1}, {"X-a": 1}, {"y": 1}],
        ),
        (
            {
                "$defs": {
                    "node": {
                        "type": "object",
                        "properties": {"next": {"$ref": "#/$defs/node"}},
                        "additionalProperties": False,
                    }
                },
                "$ref": "#/$defs/node",
            },
            [{}, {"next": {"next": {}}}, {"next": {"next": {"other": 1}}}, {"next": 1}],
        ),
        (
            {"items": {"type": "string"}, "minItems": 1, "maxItems": 2},
            [[], ["a"], ["a", 1], ["a", "b", "c"], "ab"],
        ),
        (False, [None, {}]),
        (True, [None, {}]),
    ],
)
def test_keyword_meanings_match_jsonschema(schema: Any, instances: Sequence[Any]) -> None:
    reference = Draft202012Validator(schema, format_checker=FormatChecker())
    check = compile_schema("x", lambda name: schema)
    for instance in instances:
        assert check(instance) == reference.is_valid(instance), instance


def _shared_files(shared: Path) -> list[Path]:
    folders = (shared / "corpus", shared / "formats")
    return sorted(
        p for folder in folders for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json")
    )


def _fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))


def _documents(paths: Sequence[Path]) -> Iterator[tuple[Path, Any]]:
    for path in paths:
        try:
            yield path, parse(path.read_bytes(), str(path)).data
        except LoadError:
            continue


def test_fixtures_get_the_same_verdict() -> None:
    verdicts = [
        assert_same_verdict(name, data)
        for _, data in _documents(_fixture_files())
        for name in DOCUMENT_SCHEMAS
    ]
    assert True in verdicts and False in verdicts


def test_shared_corpus_gets_the_same_verdict(shared: Path) -> None:
    documents = list(_documents(_shared_files(shared)))
    assert len(documents) >= 20
    for _, data in documents:
        for name in DOCUMENT_SCHEMAS:
            assert_same_verdict(name, data)


def test_benchmark_worksheets_get_the_same_verdict() -> None:
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    for index in range(1, 41):
        data = parse(corpus.worksheet(index).encode(), f"w{index}.yaml").data
        assert assert_same_verdict("stride-worksheet", data)
        assert_same_verdict("stride-worksheet", mutate(data, random.Random(index).choice))


# --- mutations of valid documents -----------------------------------------------------------

Choose = Callable[[Sequence[Any]], Any]
_LIMIT_KEYWORDS = ("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems",
                   "minProperties", "maxProperties")  # fmt: skip


def _harvest(node: Any, numbers: set[int], words: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _LIMIT_KEYWORDS and isinstance(value, int):
                numbers.add(value)
            elif key in ("properties", "patternProperties"):
                words.update(value)
            elif key == "enum":
                words.update(v for v in value if isinstance(v, str))
            _harvest(value, numbers, words)
    elif isinstance(node, list):
        for item in node:
            _harvest(item, numbers, words)


def _interesting_values() -> tuple[list[Any], list[str]]:
    """Values at and around every limit in the schemas, every enum word and property name,
    and the values JSON Schema treats unlike Python."""
    numbers: set[int] = set()
    words: set[str] = set()
    for name in SCHEMAS:
        _harvest(load_schema(name), numbers, words)
    values: list[Any] = [None, True, False, 0, 1, -1, 1.0, 3.0, 2.5, -0.0, 1e3, "", " ", "a b",
                         "x", {}, [], [[]], [{}], "2024-02-29", "2023-02-29", "2024-1-01",
                         "2024-01-01\n", "\uff12\uff10\uff12\uff14-01-01", {"affected": 1}, ["a", "a"]]  # fmt: skip
    for n in sorted(numbers):
        if n > 25_000:
            values += [n - 1, n, n + 1, float(n)]
            continue
        for size in {max(n - 1, 0), n, n + 1}:
            values += [size, float(size), size + 0.5, "é" * size, "😀" * size, ["s"] * size]
            values.append({f"k{i}": 1 for i in range(size)})
    values += sorted(words) + [word.upper() for word in words]
    keys = [*sorted(words), "x-extra", "X-extra", "x-", "xx-", "extra", "", " id"]
    return values, keys


VALUES, KEYS = _interesting_values()


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def mutate(document: dict[str, Any], choose: Choose) -> dict[str, Any]:
    """One edit of a copy of `document` at a place `choose` picks."""
    document = copy.deepcopy(document)
    path = choose(list(_paths(document)))
    node = _at(document, path)
    edits = ["replace", "replace"] if path else []
    if isinstance(node, dict):
        edits += ["add", "delete"] if node else ["add"]
    if isinstance(node, list):
        edits += ["append", "drop"] if node else ["append"]
    edit = choose(edits)
    if edit == "replace":
        _at(document, path[:-1])[path[-1]] = copy.deepcopy(choose(VALUES))
    elif edit == "add":
        node[choose(KEYS)] = copy.deepcopy(choose(VALUES))
    elif edit == "delete":
        del node[choose(sorted(node))]
    elif edit == "append":  # often a copy of an item: uniqueItems
        node.append(copy.deepcopy(choose(node if node and choose((True, False)) else VALUES)))
    else:
        del node[choose(range(len(node)))]
    return document


def _seeds() -> list[tuple[str, dict[str, Any]]]:
    seeds = [(name, parse((FIXTURES / path).read_bytes(), path).data) for name, path in SEEDS]
    return [*seeds, ("stride-worksheet", FULL_WORKSHEET), ("config", FULL_CONFIG)]


SEED_DOCUMENTS = _seeds()
SEED_IDS = [name for name, _ in SEED_DOCUMENTS]


@pytest.mark.parametrize(("name", "document"), SEED_DOCUMENTS, ids=SEED_IDS)
def test_seeds_are_valid(name: str, document: dict[str, Any]) -> None:
    assert compiled_valid(name, document) and jsonschema_valid(name, document)


@pytest.mark.parametrize(("name", "document"), SEED_DOCUMENTS, ids=SEED_IDS)
def test_random_mutations_get_the_same_verdict(name: str, document: dict[str, Any]) -> None:
    rng = random.Random(f"tmcheck-mutations:{name}")
    verdicts = []
    for _ in range(300):
        mutated = document
        for _ in range(rng.choice((1, 1, 2, 3))):
            mutated = mutate(mutated, rng.choice)
        verdicts.append(assert_same_verdict(name, mutated))
    assert True in verdicts and False in verdicts  # the edits reach both verdicts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEED_DOCUMENTS), data=st.data())
def test_hypothesis_mutations_get_the_same_verdict(
    seed: tuple[str, dict[str, Any]], data: st.DataObject
) -> None:
    name, mutated = seed

    def choose(options: Sequence[Any]) -> Any:
        return data.draw(st.sampled_from(list(options)))

    for _ in range(data.draw(st.integers(1, 3))):
        mutated = mutate(mutated, choose)
    if data.draw(st.booleans()):  # and an arbitrary JSON value somewhere
        path = choose(list(_paths(mutated))[1:] or [()])
        if path:
            _at(mutated, path[:-1])[path[-1]] = data.draw(_json_values)
    assert_same_verdict(name, mutated)


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**18), 10**18)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
