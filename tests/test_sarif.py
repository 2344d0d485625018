"""`--format sarif`: valid SARIF 2.1.0, repository-relative URIs, fingerprints that follow a threat."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.support.cli import RunCli
from tests.support.gitrepo import git, make_repository, write

# RFC 3986 relative reference: unreserved, sub-delims, ":", "@", "/" and percent-encodings only.
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})+")


def _sarif(run_cli: RunCli, *args: str, cwd: Path) -> dict[str, Any]:
    result = run_cli("check", "--format", "sarif", *args, cwd=cwd)
    assert result.stderr == ""
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _validate(report: dict[str, Any], shared: Path) -> None:
    import jsonschema

    schema = json.loads((shared / "corpus/sarif/sarif-schema-2.1.0.json").read_text())
    validator = jsonschema.validators.validator_for(schema)
    errors = [e.message for e in validator(schema).iter_errors(report)]
    assert errors == []


def test_validates_against_the_official_schema(
    run_cli: RunCli, tmp_path: Path, shared: Path
) -> None:
    make_repository(tmp_path)
    write(tmp_path / "models" / "broken.yaml", "threats: [\n")
    for args in ([], ["--base", "HEAD~1", "--gate", "new"], ["--gate", "new"]):
        _validate(_sarif(run_cli, *args, cwd=tmp_path), shared)
    _validate(_sarif(run_cli, "fixtures/seed", cwd=Path(__file__).parent.parent), shared)


def test_what_code_scanning_requires(run_cli: RunCli, tmp_path: Path) -> None:
    from tmcheck import __version__
    from tmcheck.rules import DEFAULT_LEVELS

    make_repository(tmp_path)
    report = _sarif(run_cli, "--gate", "new", cwd=tmp_path)
    assert (report["version"], report["$schema"]) == (
        "2.1.0", "https://json.schemastore.org/sarif-2.1.0.json",
    )  # fmt: skip
    (run,) = report["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["semanticVersion"]) == ("tmcheck", __version__)
    assert [rule["id"] for rule in driver["rules"]] == list(DEFAULT_LEVELS)
    for rule in driver["rules"]:
        assert set(rule) >= {"id", "name", "shortDescription", "fullDescription", "help",
                             "helpUri", "defaultConfiguration"}  # fmt: skip
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["defaultConfiguration"]["level"] == DEFAULT_LEVELS[rule["id"]]
        assert rule["helpUri"].startswith("https://github.com/tmcheck/tmcheck")
    blocking = driver["rules"][0]
    assert blocking["fullDescription"]["text"].startswith(
        "an open threat at or above the threshold blocks the merge. A threat is open unless"
    )
    assert (
        "Passes" not in blocking["fullDescription"]["text"] and "Passes" in blocking["help"]["text"]
    )
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        assert set(result["partialFingerprints"]) == {"primaryLocationLineHash", "tmcheck/v1"}
    # code scanning rejects an upload with a result without a location: the run-level
    # warning points at the first checked file
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
               for r in run["results"])  # fmt: skip
    run_level = [r for r in run["results"] if r["ruleId"] == "gate-without-base"]
    (where,) = [r["locations"][0]["physicalLocation"] for r in run_level]
    assert where["artifactLocation"]["uri"] == "models/api.yaml"
    first = run["results"][1]["locations"][0]["physicalLocation"]
    assert first == {"artifactLocation": {"uri": "models/api.yaml"},
                     "region": {"startLine": 3, "startColumn": 5}}  # fmt: skip
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_uris_are_relative_to_the_repository_and_percent_encoded(
    run_cli: RunCli, tmp_path: Path
) -> None:
    git(tmp_path, "init", "-q")
    models = tmp_path / "team a" / "models"
    name = "ü #1 [50%].yaml"
    write(models / name, "component: {name: X, owner: o}\nthreats:\n"
          "  - {id: U1, category: Spoofing, likelihood: 5, impact: 5, status: Open, ticket: '#1'}\n")  # fmt: skip
    report = _sarif(run_cli, name, cwd=models)  # run from a subdirectory, no config file
    (result,) = report["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "team%20a/models/%C3%BC%20%231%20%5B50%25%5D.yaml"
    assert URI_REFERENCE.fullmatch(uri)


def test_outside_a_repository_uris_are_relative_to_the_config(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write(tmp_path / ".tmcheck.yaml", "threshold: 20\n")
    write(tmp_path / "sub" / "m.yaml", "component: {name: X, owner: o}\nthreats:\n"
          "  - {id: U1, category: Spoofing, likelihood: 5, impact: 5, status: Open, ticket: '#1'}\n")  # fmt: skip
    report = _sarif(run_cli, "m.yaml", cwd=tmp_path / "sub")
    (result,) = report["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "sub/m.yaml"


def test_messages_are_plain_text_with_links_escaped(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "m.json", json.dumps({"detail": {"diagrams": [{"cells": [{"data": {
        "type": "tm.Process", "name": "P", "threats": [{
            "title": "see [here](https://evil.example) \\ `x` **y**\u202e",
            "status": "Open", "severity": "High", "owner": "o"}]}}]}]}}))  # fmt: skip
    results = _sarif(run_cli, "m.json", cwd=tmp_path)["runs"][0]["results"]
    (result,) = [r for r in results if r["ruleId"] == "blocking-threat"]
    assert result["message"]["text"] == (
        # the label is the title's repr(): its backslash and bidi control come escaped already
        "open threat 'see \\[here\\](https://evil.example) \\\\\\\\ `x` **y**\\\\u202e' (Open)"
        " is high (severity High), at or above high, the level of threshold 12"
    )


def _fingerprints(report: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """fingerprint -> (uri, line) of each result that has a location."""
    found = {}
    for result in report["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
        assert fingerprint == result["partialFingerprints"]["tmcheck/v1"]
        assert fingerprint not in found  # unique within a run
        found[fingerprint] = (location["artifactLocation"]["uri"], location["region"]["startLine"])
    return found


def test_fingerprints_follow_a_threat_across_commits(run_cli: RunCli, tmp_path: Path) -> None:
    make_repository(tmp_path)
    before = _fingerprints(_sarif(run_cli, cwd=tmp_path))
    # Next commit: every threat moves to another line, A1 and A6 are rated higher, the worksheets
    # move to another folder, and the diagram's threats (no ids) change order.
    api = (tmp_path / "models/api.yaml").read_text()
    api = api.replace("impact: 4, status: Open}\n", "impact: 5, status: Open}\n")
    write(tmp_path / "models/api.yaml", "# reviewed\n\n" + api)
    (tmp_path / "models/sub").mkdir()
    git(tmp_path, "mv", "models/api.yaml", "models/stable.yaml", "models/sub/")
    shop = json.loads((tmp_path / "models/shop.json").read_text())
    threats = shop["detail"]["diagrams"][0]["cells"][0]["data"]["threats"]
    threats.reverse()
    write(tmp_path / "models/shop.json", "\n" + json.dumps(shop, indent=4))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "move")
    after = _fingerprints(_sarif(run_cli, cwd=tmp_path))
    assert before.keys() == after.keys()
    moved = {before[key]: after[key] for key in before}
    assert moved[("models/api.yaml", 4)] == ("models/sub/api.yaml", 6)  # A1
    assert moved[("models/api.yaml", 8)] == ("models/sub/api.yaml", 10)  # A6
    assert moved[("models/stable.yaml", 3)] == ("models/sub/stable.yaml", 3)  # S1
    assert all(old != new for old, new in moved.items() if "shop" in old[0])


def test_results_with_the_same_identity_are_told_apart(run_cli: RunCli, tmp_path: Path) -> None:
    threats = "".join(
        f"  - {{id: D1, category: Spoofing, title: t{n}, likelihood: 5, impact: 5}}\n"
        for n in range(3)
    )
    write(tmp_path / "m.yaml", f"component: {{name: X, owner: o}}\nthreats:\n{threats}")
    by_rule: dict[str, list[str]] = {}
    for result in _sarif(run_cli, "m.yaml", cwd=tmp_path)["runs"][0]["results"]:
        fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
        by_rule.setdefault(result["ruleId"], []).append(fingerprint)
    digests = {rule: {f.split(":")[0] for f in prints} for rule, prints in by_rule.items()}
    assert all(len(digest) == 1 for digest in digests.values())
    assert digests["blocking-threat"] != digests["duplicate-id"]
    assert {rule: [f.split(":")[1] for f in prints] for rule, prints in by_rule.items()} == {
        "blocking-threat": ["1", "2", "3"],
        "duplicate-id": ["1", "2"],
        "missing-ticket": ["1", "2", "3"],
    }


def test_a_file_outside_the_repository_is_left_out_and_counted(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Code scanning shows files of the repository only; a `file:` URI would also name a path
    outside it. Such results are dropped, and one located warning says how many."""
    repository, outside = tmp_path / "repo", tmp_path / "elsewhere"
    repository.mkdir()
    git(repository, "init", "-q")
    model = "component: {name: X, owner: o}\nthreats:\n" + (
        "  - {id: O1, category: Spoofing, likelihood: 5, impact: 5, status: Open, ticket: '#1'}\n"
    )
    write(repository / "models" / "inside.yaml", model.replace("O1", "I1"))
    write(outside / "secret-name.yaml", model)
    report = _sarif(run_cli, "models", str(outside / "secret-name.yaml"), cwd=repository)
    text = json.dumps(report)
    assert "file://" not in text and "secret-name" not in text and "elsewhere" not in text
    (run,) = report["runs"]
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert set(uris) == {"models/inside.yaml"}
    (dropped,) = [r for r in run["results"] if r["ruleId"] == "outside-repository"]
    assert dropped["message"]["text"].startswith("1 result about files outside the repository")
