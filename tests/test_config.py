"""`.tmcheck.yaml`: discovery, precedence, and one clear line for every bad key or value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import RunCli

MODEL = """\
component: {name: Gateway, owner: Edge Team}
threats:
  - {id: G1, category: Spoofing, likelihood: likely, impact: major, status: Parked}
  - {id: G2, category: Tampering, likelihood: 3, impact: 3, status: Open}
"""


def _setup(tmp_path: Path, config: str) -> Path:
    (tmp_path / ".tmcheck.yaml").write_text(config, encoding="utf-8")
    models = tmp_path / "models"
    models.mkdir()
    (models / "gateway.yaml").write_text(MODEL, encoding="utf-8")
    return models


def test_config_found_above_the_current_directory(run_cli: RunCli, tmp_path: Path) -> None:
    models = _setup(
        tmp_path,
        "threshold: 9\n"
        "scales:\n"
        "  likelihood: {rare: 1, unlikely: 2, possible: 3, likely: 4, certain: 5}\n"
        "  impact: {negligible: 1, minor: 2, moderate: 3, major: 4, severe: 5}\n"
        "statuses: {parked: accepted}\n",
    )
    report = json.loads(run_cli("check", "--format", "json", "gateway.yaml", cwd=models).stdout)
    g1, g2 = report["threats"]
    assert (g1["score"], g1["status"], g1["open"]) == (16, "accepted", False)
    assert (g2["score"], g2["blocking"], report["threshold"]) == (9, True, 9)


def test_precedence_defaults_file_environment_command_line(run_cli: RunCli, tmp_path: Path) -> None:
    models = _setup(tmp_path, "threshold: 20\n")

    def threshold(*args: str, environ: dict[str, str] | None = None) -> int:
        result = run_cli(
            "check", "--format", "json", *args, "gateway.yaml", cwd=models, environ=environ
        )
        return int(json.loads(result.stdout)["threshold"])

    assert threshold() == 20
    assert threshold(environ={"TMCHECK_THRESHOLD": "15"}) == 15
    assert threshold("--threshold", "6", environ={"TMCHECK_THRESHOLD": "15"}) == 6
    assert threshold("--no-config") == 12


def test_rule_levels_and_off(run_cli: RunCli, tmp_path: Path) -> None:
    models = _setup(tmp_path, "rules: {unknown-status: error, unknown-rating: off}\n")
    result = run_cli("check", "gateway.yaml", cwd=models)
    assert "error [unknown-status]" in result.stdout and result.code == 1
    assert "unknown-rating" not in result.stdout


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "thresold: 12\n",
            "{cfg}:1:1: thresold: unknown key 'thresold'; did you mean 'threshold'?",
        ),
        (
            "include: [a]\nthreshold: high\n",
            "{cfg}:2:1: threshold: 'high' is not of type 'integer' (allowed: an integer from 1 to 25:"
            " open threats scoring this much or more block)",
        ),
        (
            "threshold: 30\n",
            "{cfg}:1:1: threshold: 30 is greater than the maximum of 25 (allowed: an integer from 1"
            " to 25: open threats scoring this much or more block)",
        ),
        (
            "level_model: lookup\n",
            "{cfg}:1:1: level_model: 'lookup' is not one of ['bands', 'matrix'] (allowed: 'bands'"
            " (level by score band) or 'matrix' (level by the likelihood x impact matrix))",
        ),
        (
            "gate: changed\n",
            "{cfg}:1:1: gate: 'changed' is not one of ['all', 'new'] (allowed: 'all' (every open"
            " threat at or above the threshold blocks) or 'new' (only threats that are new, raised"
            " or reopened since the base revision given with --base block))",
        ),
        (
            "rules: {blocking-thread: warning}\n",
            "{cfg}:1:9: rules.blocking-thread: unknown rule 'blocking-thread'; did you mean"
            " 'blocking-threat'?",
        ),
        (
            "threshold: 12\nthreshold: 13\n",
            "{cfg}:2:1: duplicate key 'threshold' (first defined at line 1)",
        ),
        ("- a\n", "{cfg}:1:1: the top level must be a mapping, found a sequence"),
        (
            "tresholds: 12\nbogus: 1\n",
            "{cfg}:1:1: tresholds: unknown key 'tresholds'; did you mean 'threshold'?\n"
            "tmcheck: error: {cfg}:2:1: bogus: unknown key 'bogus' (allowed: approvers, bands,"
            " closed_statuses, dialects, exclude, formats, gate, history_commits, include,"
            " level_model, matrix, max_file_bytes, max_files, owners, roles, rules, scales,"
            " statuses, threshold, ticket_url, tre\u2026",
        ),
        (
            "bands: {critical: 10, high: 12}\n",
            "bands: each level must start above the next (critical > high > medium > low > 1),"
            " got {'critical': 10, 'high': 12}",
        ),
    ],
)
def test_bad_config_is_one_line_and_exit_two(
    run_cli: RunCli, tmp_path: Path, config: str, message: str
) -> None:
    models = _setup(tmp_path, config)
    result = run_cli("check", "gateway.yaml", cwd=models)
    assert result.code == 2 and result.stdout == ""
    cfg = "../.tmcheck.yaml"  # found above the current directory, shown relative to it
    assert result.stderr == f"tmcheck: error: {message.replace('{cfg}', cfg)}\n"


def test_bad_environment_value_names_the_variable(run_cli: RunCli, tmp_path: Path) -> None:
    models = _setup(tmp_path, "")
    result = run_cli("check", "gateway.yaml", cwd=models, environ={"TMCHECK_LEVEL_MODEL": "x"})
    assert result.code == 2
    assert result.stderr.startswith("tmcheck: error: TMCHECK_LEVEL_MODEL: 'x' is not one of")
    result = run_cli("check", "gateway.yaml", cwd=models, environ={"TMCHECK_GATE": "New"})
    assert (result.code, result.stderr) == (
        2,
        "tmcheck: error: TMCHECK_GATE: 'New' is not one of ['all', 'new'] (allowed: 'all' (every"
        " open threat at or above the threshold blocks) or 'new' (only threats that are new,"
        " raised or reopened since the base revision given with --base block))\n",
    )
    result = run_cli("check", "--gate", "none", "gateway.yaml", cwd=models)
    assert result.code == 2
    assert result.stderr.startswith("tmcheck: error: argument --gate: invalid choice: 'none'")


def test_include_and_exclude_globs(run_cli: RunCli, tmp_path: Path) -> None:
    models = _setup(tmp_path, "include: ['models/**']\nexclude: ['*draft*']\n")
    (models / "draft-gateway.yaml").write_text(MODEL, encoding="utf-8")
    (tmp_path / "elsewhere.yaml").write_text(MODEL, encoding="utf-8")
    report = json.loads(run_cli("check", "--format", "json", cwd=tmp_path).stdout)
    assert [f["path"] for f in report["files"]] == ["models/gateway.yaml"]
