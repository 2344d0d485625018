"""The command line as a user meets it: help, messages, what to install, what to do next."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tests.support.gitrepo import git
from tests.support.paths import FIXTURES, REPO
from tmcheck.reporters.text import UNBLOCK_HINT
from tmcheck.suggest import closest
from tmcheck.terminal import use_color


def test_action_without_pygithub_names_the_extra(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "github", None)  # as if PyGithub were not installed
    run = run_cli("action", environ={"GITHUB_EVENT_NAME": "pull_request"})
    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "tmcheck: error: `tmcheck action` needs PyGithub, which tmcheck installs only with its"
        " extra: pip install 'tmcheck[github]'\n"
    )


def test_tmcheck_alone_prints_the_help(run_cli: RunCli) -> None:
    run = run_cli()
    assert (run.code, run.stderr) == (0, "")
    assert run.stdout.startswith("usage: tmcheck [-h] [--version] COMMAND ...")
    assert "exit codes:" in run.stdout and "examples:" in run.stdout


@pytest.mark.parametrize("args", [("--help",), ("check", "--help")])
def test_help_shows_exit_codes_and_examples(run_cli: RunCli, args: tuple[str, ...]) -> None:
    run = run_cli(*args)
    assert run.code == 0
    for line in (
        "  0    nothing at error level (warnings and notes never fail a run)",
        "  1    error-level findings: blocking threats, invalid files, unresolved ids",
        "  2    usage or configuration error (the message names the option or key)",
        "  3    internal error: a bug, please report it",
    ):
        assert line in run.stdout.splitlines()
    assert "\nexamples:\n  tmcheck check " in run.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "--formt", "json"), "unrecognized arguments: --formt; did you mean --format?"
         " (see `tmcheck check --help`)"),
        (("check", "--thresold=3"), "unrecognized arguments: --thresold=3; did you mean"
         " --threshold? (see `tmcheck check --help`)"),
        (("check", "--zzzzzz"), "unrecognized arguments: --zzzzzz (see `tmcheck check --help`)"),
        (("chek",), "argument COMMAND: invalid choice: 'chek' (choose from check, scaffold,"
         " action, rules, schema); did you mean 'check'? (see `tmcheck --help`)"),
        (("check", "--format", "jsn"), "argument --format: invalid choice: 'jsn' (choose from"
         " text, json, markdown, sarif); did you mean 'json'? (see `tmcheck check --help`)"),
        (("check", "--color", "alway"), "argument --color: invalid choice: 'alway' (choose from"
         " auto, always, never); did you mean 'always'? (see `tmcheck check --help`)"),
        (("rules", "blocking-thread"), "unknown rule 'blocking-thread'; did you mean"
         " 'blocking-threat'?"),
        (("rules", "qqq"), "unknown rule 'qqq'; `tmcheck rules` lists them"),
    ],
)  # fmt: skip
def test_a_misspelling_gets_the_closest_suggestion(
    run_cli: RunCli, args: tuple[str, ...], message: str
) -> None:
    run = run_cli(*args)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == f"tmcheck: error: {message}\n"


def test_suggestions_are_bounded_and_ignore_case() -> None:
    assert closest("Likelihood", ["likelihood", "impact"]) == "likelihood"
    assert closest("likelyhood", ["likelihood", "impact"]) == "likelihood"
    assert closest("x" * 100_000, ["x" * 10]) is None  # no quadratic comparison of a huge key
    assert closest("owner", ["likelihood", "impact"]) is None


SEED = [
    str(FIXTURES / "seed" / "stride-worksheet.yaml"),
    str(FIXTURES / "seed" / "threat-dragon-seed.json"),
]


def test_no_warnings_reports_errors_only_with_the_same_exit_code(run_cli: RunCli) -> None:
    full = run_cli("check", "--no-config", *SEED)
    errors_only = run_cli("check", "--no-config", "--no-warnings", *SEED)
    assert full.code == errors_only.code == 1
    assert " warning [" in full.stdout
    findings = [line for line in full.stdout.splitlines() if " error [" in line]
    assert errors_only.stdout.splitlines()[: len(findings)] == findings
    assert " warning [" not in errors_only.stdout
    report = json.loads(
        run_cli("check", "--no-config", "--no-warnings", "--format=json", *SEED).stdout
    )
    assert {finding["level"] for finding in report["findings"]} == {"error"}
    assert report["summary"]["warnings"] == 0


def test_quiet_writes_the_findings_only(run_cli: RunCli) -> None:
    full = run_cli("check", "--no-config", *SEED)
    quiet = run_cli("check", "--no-config", "-q", *SEED)
    assert quiet.code == full.code == 1
    assert quiet.stdout.splitlines() == [
        line for line in full.stdout.splitlines() if line.startswith(str(FIXTURES))
    ]
    assert "tmcheck failed" not in quiet.stdout and UNBLOCK_HINT not in quiet.stdout
    clean = run_cli(
        "check", "--no-config", "--quiet", str(FIXTURES / "seed" / "threat-library.yaml")
    )
    assert (clean.code, clean.stdout) == (0, "")


def _uncoloured(text: str) -> str:
    for code in ("1", "1;31", "1;32", "33", "36", "2", "0"):
        text = text.replace(f"\x1b[{code}m", "")
    return text


@pytest.mark.parametrize(
    ("args", "environ", "coloured"),
    [
        ((), {}, False),  # not a terminal
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins
        (("--color=always",), {"NO_COLOR": "1"}, True),  # the option wins over both
        (("--color=never",), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_follows_the_option_then_no_color_then_force_color(
    run_cli: RunCli, args: tuple[str, ...], environ: dict[str, str], coloured: bool
) -> None:
    plain = run_cli("check", "--no-config", *SEED)
    run = run_cli("check", "--no-config", *args, *SEED, environ=environ)
    assert run.code == plain.code
    assert ("\x1b[" in run.stdout) is coloured
    assert _uncoloured(run.stdout) == plain.stdout
    if coloured:
        first = run.stdout.splitlines()[0]
        assert (
            first.startswith("\x1b[1m")
            and "\x1b[1;31merror\x1b[0m \x1b[2m[blocking-threat]\x1b[0m" in first
        )
        assert "\x1b[1;31mtmcheck failed\x1b[0m: " in run.stdout


def test_colour_on_a_terminal_only_when_auto() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert use_color("auto", {}, Terminal()) is True
    assert use_color("auto", {}, io.StringIO()) is False
    assert use_color("auto", {"TERM": "dumb"}, Terminal()) is False
    assert use_color("auto", {"NO_COLOR": "1"}, Terminal()) is False
    assert use_color("auto", {"NO_COLOR": ""}, Terminal()) is True  # set but empty: no effect
    assert use_color("never", {}, Terminal()) is False


def test_colour_never_lets_a_file_colour_anything(run_cli: RunCli, tmp_path: Path) -> None:
    hostile = tmp_path / "stride-worksheet.yaml"
    hostile.write_text('component: {name: API}\nthreats: []\n"a\\e[31mred": 1\n')
    run = run_cli("check", "--no-config", "--color=always", str(hostile), cwd=tmp_path)
    assert "unknown key 'a\\x1b[31mred'" in run.stdout
    assert "\x1b" not in _uncoloured(run.stdout)


def test_notes_are_counted_in_the_summary_and_in_json(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".tmcheck.yaml").write_text("rules: {unrated-threat: note}\n")
    (tmp_path / "model.yaml").write_text(
        "component: {name: API}\nthreats:\n  - {id: T1, category: Spoofing, status: open}\n"
    )
    run = run_cli("check", "model.yaml", cwd=tmp_path)
    assert run.code == 0
    assert run.stdout.splitlines()[0].startswith("model.yaml:3:5: note [unrated-threat] ")
    assert run.stdout.splitlines()[-1].endswith("; 0 errors, 0 warnings, 1 note")
    report = json.loads(run_cli("check", "--format=json", "model.yaml", cwd=tmp_path).stdout)
    assert report["summary"]["notes"] == 1


def test_blocking_says_how_to_unblock(run_cli: RunCli) -> None:
    run = run_cli("check", "--no-config", *SEED)
    assert run.stdout.splitlines()[-1] == (
        "to unblock a threat: mitigate it (and set its status), re-rate it with a reason, or"
        " accept it with acceptance: {approver, reason, expires}; see `tmcheck rules"
        " blocking-threat`"
    )
    clean = run_cli("check", "--no-config", str(FIXTURES / "seed" / "threat-library.yaml"))
    assert UNBLOCK_HINT not in clean.stdout
    doc = run_cli("rules", "blocking-threat").stdout
    for words in (
        "mitigate it",
        "re-rate it",
        "accept it",
        "acceptance: {approver, reason, expires}",
        "YYYY-MM-DD",
    ):
        assert words in doc


def test_a_date_error_says_how_to_write_a_date(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(
        "component: {name: API}\nthreats:\n  - id: T1\n    category: Spoofing\n"
        "    status: accepted\n    acceptance: {approver: Ann, reason: later, expires: 31/12/2026}\n"
    )
    run = run_cli("check", "--no-config", "model.yaml", cwd=tmp_path)
    assert (
        "model.yaml:6:48: error [schema] $.threats[0].acceptance.expires: '31/12/2026' is not a date written YYYY-MM-DD, such as 2026-12-31"
        in run.stdout.splitlines()
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "model.yaml").write_text("component: {name: API}\nthreats: []\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first")
    return tmp_path


@pytest.mark.parametrize(
    ("base", "reason"),
    [
        ("nope", "git rev-parse failed: bad revision 'nope'"),
        ("HEAD~3", "git rev-parse failed: bad revision 'HEAD~3'"),
        ("--output=x", "not a revision"),
    ],
)
def test_a_base_git_cannot_resolve_is_a_usage_error(
    run_cli: RunCli, repository: Path, base: str, reason: str
) -> None:
    run = run_cli("check", "--no-config", f"--base={base}", "model.yaml", cwd=repository)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == f"tmcheck: error: --base {base}: {reason}\n"
    assert not (repository / "x").exists()


def test_a_base_outside_a_repository_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text("component: {name: API}\nthreats: []\n")
    run = run_cli("check", "--no-config", "--base=main", "model.yaml", cwd=tmp_path)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr.startswith(
        "tmcheck: error: --base main: git rev-parse failed: not a git repository"
    )


def _closed_pipe(*args: str, read_lines: int) -> subprocess.CompletedProcess[str]:
    """Run tmcheck with its output piped to a reader that stops after `read_lines` lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tmcheck", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    for _ in range(read_lines):
        process.stdout.readline()
    process.stdout.close()  # as `head` does once it has its lines
    error = process.stderr.read()
    code = process.wait(timeout=120)
    return subprocess.CompletedProcess(args, code, "", error)


@pytest.mark.parametrize("read_lines", [0, 1])
def test_a_closed_pipe_is_silent_and_the_exit_code_tells_the_result(read_lines: int) -> None:
    many = [str(path) for path in sorted((FIXTURES / "seed").iterdir())] * 1
    for args, code in (
        (("check", "--no-config", "--format=json", *many), 1),
        (("check", "--no-config", *many), 1),
        (("check", "--no-config", str(FIXTURES / "seed" / "threat-library.yaml")), 0),
        (("rules",), 0),
        (("schema", "threat-composer"), 0),
    ):
        result = _closed_pipe(*args, read_lines=read_lines)
        assert (result.returncode, result.stderr) == (code, ""), args
