"""`--format sarif` and the action's `sarif-file`: SARIF 2.1.0 that validates against the schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from tests.conftest import RunCli


def _validator(shared: Path) -> Draft4Validator:
    schema = json.loads((shared / "corpus" / "sarif" / "sarif-schema-2.1.0.json").read_text())

    def refuse(uri: str) -> Resource:
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]

    registry: Registry = Registry(retrieve=refuse)  # type: ignore[call-arg]
    return Draft4Validator(schema, registry=registry)


def test_sarif_validates_and_points_at_lines(run_cli: RunCli, shared: Path) -> None:
    result = run_cli(
        "check", "--no-config", "--format", "sarif", "fixtures/seed", "fixtures/invalid"
    )
    assert result.code == 1
    document = json.loads(result.stdout)
    errors = [error.message for error in _validator(shared).iter_errors(document)]
    assert errors == []
    (run,) = document["runs"]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    first = run["results"][0]
    assert rules[first["ruleIndex"]] == first["ruleId"]
    located = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run["results"]
    }  # fmt: skip
    assert ("blocking-threat", "fixtures/seed/stride-worksheet.yaml", 9) in located


@pytest.mark.parametrize(
    ("name", "uri"),
    [("a b#c%d.yaml", "a%20b%23c%25d.yaml"), ("x\n::error::y.yaml", "x%0A%3A%3Aerror%3A%3Ay.yaml")],
)
def test_file_names_become_uri_references(
    run_cli: RunCli, tmp_path: Path, shared: Path, name: str, uri: str
) -> None:
    (tmp_path / name).write_text(
        "component: {name: X}\nthreats: [{id: T1, category: S, likelihood: 5, impact: 5}]\n"
    )
    result = run_cli("check", "--no-config", "--format", "sarif", name, cwd=tmp_path)
    document = json.loads(result.stdout)
    assert list(_validator(shared).iter_errors(document)) == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    }
    assert uris == {uri}
