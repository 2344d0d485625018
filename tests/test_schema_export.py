"""`tmcheck schema NAME`: standalone schemas that other validators and editors read as they are."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.cli import RunCli
from tests.support.paths import FIXTURES, REPO, need
from tmcheck.formats.detect import detect_format
from tmcheck.parsing.safe_json import load_json
from tmcheck.parsing.safe_yaml import load_yaml
from tmcheck.parsing.tree import LoadError
from tmcheck.schema_export import EXPORTABLE, standalone_schema
from tmcheck.validation import iter_schema_errors

OWN_FORMATS = ("stride-worksheet", "threat-register", "threat-library", "architecture", "config")


def load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return (load_json if path.suffix == ".json" else load_yaml)(text).data


def exported_validator(name: str) -> jsonschema.Draft202012Validator:
    # a registry that retrieves nothing: an exported schema must not need one
    return jsonschema.Draft202012Validator(
        standalone_schema(name), format_checker=jsonschema.FormatChecker()
    )


@pytest.mark.parametrize("name", EXPORTABLE)
def test_exported_schema_is_standalone(name: str, run_cli: RunCli) -> None:
    run = run_cli("schema", name)
    assert run.code == 0 and run.stderr == ""
    assert "urn:" not in run.stdout
    schema = json.loads(run.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "$id" not in schema
    references = [ref for ref in _references(schema) if not ref.startswith("#")]
    assert references == []
    for ref in _references(schema):  # every pointer lands on a schema in the document
        node: Any = schema
        for step in ref[1:].split("/")[1:]:
            node = node[step]
        assert isinstance(node, (dict, bool)), ref


def _references(node: Any) -> list[str]:
    if isinstance(node, list):
        return [ref for item in node for ref in _references(item)]
    if not isinstance(node, dict):
        return []
    found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
    return found + [ref for value in node.values() for ref in _references(value)]


def test_schema_lists_the_names_and_refuses_an_unknown_one(run_cli: RunCli) -> None:
    listed = run_cli("schema")
    assert listed.code == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == list(EXPORTABLE)
    unknown = run_cli("schema", "common")
    assert (unknown.code, unknown.stdout) == (2, "")
    assert (
        unknown.stderr == "tmcheck: error: unknown schema 'common'; `tmcheck schema` lists them\n"
    )


def _with_a_schema() -> list[tuple[Path, str]]:
    """The fixtures that read as data of a format with a schema (unreadable ones never meet it)."""
    found = []
    for folder in ("seed", "invalid"):
        for path in sorted((FIXTURES / folder).iterdir()):
            if path.suffix not in (".yaml", ".json"):
                continue
            try:
                name = detect_format(load(path))
            except (LoadError, UnicodeDecodeError):
                continue  # never reaches a schema
            if name in EXPORTABLE:
                found.append((path, name))
    return found


FILES = _with_a_schema()


@pytest.mark.parametrize(
    ("path", "name"), FILES, ids=[f"{p.parent.name}/{p.name}" for p, _ in FILES]
)
def test_exported_schema_decides_as_tmcheck_does(path: Path, name: str) -> None:
    data = load(path)
    valid_in_tmcheck = not list(iter_schema_errors(name, data))
    assert exported_validator(name).is_valid(data) == valid_in_tmcheck


def test_fixtures_include_files_the_schemas_refuse() -> None:
    refused = [path for path, name in FILES if list(iter_schema_errors(name, load(path)))]
    assert len(refused) >= 3


def test_schema_key_is_allowed_in_every_own_format_and_in_the_config() -> None:
    for name in OWN_FORMATS:
        properties = standalone_schema(name)["properties"]
        assert properties["$schema"] == {
            "type": "string",
            "description": f"a JSON Schema for editors and other validators (`tmcheck schema"
            f" {name}` prints one); tmcheck ignores it",
        }


def test_a_file_with_a_schema_key_is_checked_as_without(run_cli: RunCli, tmp_path: Path) -> None:
    seed = FIXTURES / "seed" / "stride-worksheet.yaml"
    marked = tmp_path / "stride-worksheet.yaml"
    marked.write_text(
        "# yaml-language-server: $schema=./stride-worksheet.schema.json\n"
        "$schema: ./stride-worksheet.schema.json\n" + seed.read_text(encoding="utf-8")
    )
    (tmp_path / ".tmcheck.yaml").write_text(
        "# yaml-language-server: $schema=./config.schema.json\n"
        "$schema: ./config.schema.json\nthreshold: 12\n"
    )
    elsewhere = tmp_path / "elsewhere"  # a root with no other threat model as context
    elsewhere.mkdir()
    plain = run_cli("check", "--no-config", str(seed), cwd=elsewhere)
    run = run_cli("check", "stride-worksheet.yaml", cwd=tmp_path)
    assert run.code == plain.code == 1
    assert "[schema]" not in run.stdout

    def messages(output: str) -> list[str]:  # the findings without their path and position
        return [line.split(":", 3)[3] for line in output.splitlines() if " error [" in line]

    assert messages(run.stdout) == messages(plain.stdout) != []


def test_check_jsonschema_accepts_the_seed_files_through_the_exported_schemas(
    run_cli: RunCli, tmp_path: Path
) -> None:
    checker = shutil.which("check-jsonschema") or str(
        Path(sys.executable).parent / "check-jsonschema"
    )
    assert Path(checker).exists(), "check-jsonschema is in the test extra"
    seeds = sorted(
        path for path in (FIXTURES / "seed").iterdir() if path.suffix in (".yaml", ".json")
    )
    by_format: dict[str, list[str]] = {}
    for path in seeds:
        name = detect_format(load(path))
        assert name is not None, path
        by_format.setdefault(name, []).append(str(path))
    assert set(by_format) >= {"stride-worksheet", "threat-register", "threat-dragon"}
    config = tmp_path / ".tmcheck.yaml"
    config.write_text("$schema: ./config.schema.json\nthreshold: 12\ngate: all\n")
    by_format["config"] = [str(config)]
    for name, paths in sorted(by_format.items()):
        schema = tmp_path / f"{name}.schema.json"
        schema.write_text(run_cli("schema", name).stdout)
        checked = subprocess.run(
            [checker, "--schemafile", str(schema), *paths],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert checked.returncode == 0, f"{name}: {checked.stdout}{checked.stderr}"
    # ... and refuses what tmcheck refuses
    broken = FIXTURES / "invalid" / "worksheet-missing-component.yaml"
    refused = subprocess.run(
        [checker, "--schemafile", str(tmp_path / "stride-worksheet.schema.json"), str(broken)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "'component' is a required property" in refused.stdout + refused.stderr


@pytest.mark.slow  # Node, and npm ci the first time
def test_yaml_language_server_reads_the_exported_schemas(run_cli: RunCli, tmp_path: Path) -> None:
    from tests.support import yaml_language_server

    missing = yaml_language_server.missing_tools()
    need(missing is None, str(missing))
    documents: list[tuple[Path, str]] = []
    seeds = [p for p in sorted((FIXTURES / "seed").iterdir()) if p.suffix == ".yaml"]
    for seed in seeds:
        name = detect_format(load(seed))
        assert name is not None
        (tmp_path / f"{name}.schema.json").write_text(run_cli("schema", name).stdout)
        line = f"# yaml-language-server: $schema=./{name}.schema.json\n"
        documents.append((tmp_path / seed.name, line + seed.read_text(encoding="utf-8")))
    line = "# yaml-language-server: $schema=./stride-worksheet.schema.json\n"
    broken = (
        line
        + "$schema: ./stride-worksheet.schema.json\ncompnent: {name: x}\nthreats:\n  - {id: T1, category: Spoofing, likelihood: 9}\n"
    )
    documents.append((tmp_path / "broken.yaml", broken))
    # the bundled schema names others by urn: an editor cannot load those
    (tmp_path / "bundled.schema.json").write_text(
        (REPO / "tmcheck" / "schemas" / "stride-worksheet.schema.json").read_text()
    )
    bundled = "# yaml-language-server: $schema=./bundled.schema.json\n" + (
        FIXTURES / "seed" / "stride-worksheet.yaml"
    ).read_text(encoding="utf-8")
    documents.append((tmp_path / "bundled.yaml", bundled))
    *valid, wrong, unloadable = yaml_language_server.validate(documents)
    assert valid == [[] for _ in seeds]  # every seed file, no diagnostic at all
    assert sorted(d["message"] for d in wrong) == [
        'Missing property "component".',
        "Property compnent is not allowed.",
        "Value is above the maximum of 5.",
    ]
    assert any("Problems loading reference 'urn:tmcheck:" in d["message"] for d in unloadable)
