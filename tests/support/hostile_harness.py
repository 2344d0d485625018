"""The hostile cases as data, and the two ways to run them: `tmcheck check` and `tmcheck action`.

Each folder under tests/hostile/ is one class of attack: its input files and an `expected.json`
that says, per case, what must come out (exit code, the findings as `path:line:column: level
[rule] message` prefixes, strings that must appear nowhere). Cases git cannot carry portably
(symlinks, FIFOs, gitlinks, huge files, thousands of files, hostile file names) are described
under `make` and built here at run time, both as plain files and as commits of a real git
repository that serves as the action's workspace.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support import gitrepo
from tests.support.fake_github import FakeGitHub
from tests.support.runner_emulation import step_environment
from tmcheck.cli import main

HOSTILE = Path(__file__).resolve().parent.parent / "hostile"
MODELS = "threatmodels"  # where the cases go in a workspace
CANARY = "tmcheck-canary-7f3a"
TOKEN = "ghs_tmcheckHostileCanary0123456789abcdef"
REPOSITORY = "octo-org/octo-repo"
# Every commit of a workspace is made on this day and every action run judges SLA clocks on
# it, so a Due cell ("in 1 day") says the same whenever, and however close to midnight, the
# tests run.
COMMITTED = "2026-01-05T12:00:00+00:00"
TODAY = "2026-01-05"
# Nothing that runs on hostile input may print these anywhere.
ALWAYS_FORBIDDEN = (
    CANARY, TOKEN, "Traceback", "[internal-error]", '"ruleId": "internal-error"',
    "internal error", "uid=",
)  # fmt: skip
# Raw characters that must never reach a log line or a comment: C0 (but tab and newline),
# DEL, C1, the bidi overrides and isolates, lone surrogates.
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_FINDING_LINE = re.compile(r".*:\d+:\d+: (error|warning|note) \[[a-z-]+\] ")
# The file a symlink case may point at: a threat model that would block if it were ever read.
SECRET_MODEL = (
    "component: {name: " + CANARY + ", owner: x}\n"
    "threats:\n  - {id: LEAK1, category: Spoofing, likelihood: 5, impact: 5, title: "
    + CANARY
    + "}\n"
)


@dataclass(frozen=True)
class Case:
    """One hostile input and what must come of it."""

    klass: str
    id: str
    file: str  # its name under threatmodels/
    about: str
    exit: int
    findings: tuple[str, ...]
    forbidden: tuple[str, ...] = ()
    make: Mapping[str, Any] | None = None
    cli: Mapping[str, Any] = field(default_factory=dict)  # overrides for `tmcheck check`
    action: Mapping[str, Any] = field(default_factory=dict)  # overrides for `tmcheck action`

    @property
    def path(self) -> str:
        return f"{MODELS}/{self.file}"

    def expected(self, entry: str) -> tuple[int, tuple[str, ...]]:
        """(exit code, finding prefixes) for entry point "cli" or "action"."""
        override = self.cli if entry == "cli" else self.action
        return (
            int(override.get("exit", self.exit)),
            tuple(override.get("findings", self.findings)),
        )

    def runs_in(self, entry: str) -> bool:
        return not (self.cli if entry == "cli" else self.action).get("skip")

    @property
    def cli_args(self) -> list[str]:
        return list(self.cli.get("args", [self.path]))


@dataclass(frozen=True)
class HostileClass:
    name: str
    about: str
    config: str | None  # the .tmcheck.yaml of the workspace, if any
    read_only_token: bool  # the API answers 403 to writes, as for a fork's pull request
    cases: tuple[Case, ...]


def load_classes() -> list[HostileClass]:
    classes = []
    for expected in sorted(HOSTILE.glob("*/expected.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        name = expected.parent.name
        cases = tuple(
            Case(
                klass=name,
                id=item["id"],
                file=item["file"],
                about=item["about"],
                exit=item["exit"],
                findings=tuple(item["findings"]),
                forbidden=tuple(item.get("forbidden", ())),
                make=item.get("make"),
                cli=item.get("cli", {}),
                action=item.get("action", {}),
            )
            for item in data["cases"]
        )
        classes.append(
            HostileClass(
                name,
                data["about"],
                data.get("config"),
                bool(data.get("read_only_token")),
                cases,
            )
        )
    return classes


CLASSES = load_classes()
CASES = [case for klass in CLASSES for case in klass.cases]


# --- building workspaces ---------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    """`git ARGS` in `repo`, a commit dated COMMITTED."""
    return gitrepo.git(repo, *args, date=COMMITTED)


@dataclass
class Places:
    """The directories a case is built against: the workspace and a place outside it."""

    workspace: Path
    outside: Path
    listener: str = "http://127.0.0.1:9"  # set by tests that run a listener

    def fill(self, text: str) -> str:
        return text.replace("{outside}", str(self.outside)).replace("{listener}", self.listener)


def make_places(tmp: Path, listener: str | None = None) -> Places:
    outside = tmp / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.yaml").write_text(SECRET_MODEL, encoding="utf-8")
    (outside / "dir" / "secret.yaml").write_text(SECRET_MODEL, encoding="utf-8")
    # a config whose value an error message would echo, were it ever read
    (outside / "dir" / "tmcheck.yaml").write_text(f"threshold: {CANARY}\n", encoding="utf-8")
    workspace = tmp / "workspace"
    (workspace / MODELS).mkdir(parents=True)
    places = Places(workspace, outside)
    if listener:
        places.listener = listener
    return places


def materialize(case: Case, places: Places) -> list[str]:
    """Create the case under the workspace; returns the gitlink paths to add to the index."""
    target = places.workspace / MODELS / case.file
    make = case.make or {}
    if not make:
        target.write_bytes((HOSTILE / case.klass / case.file).read_bytes())
    elif "symlink" in make:
        os.symlink(places.fill(make["symlink"]), target)
    elif "fifo" in make:
        os.mkfifo(target)
    elif "gitlink" in make:
        target.mkdir()  # what a checkout leaves for a submodule that is not initialized
        return [case.path]
    elif "many" in make:
        target.mkdir()
        spec = make["many"]
        for index in range(1, spec["count"] + 1):
            if "item" in spec:  # numbered items, ids unique across files ({file}, {n})
                item = spec["item"].replace("{file}", str(index))
                items = (item.replace("{n}", str(n)) for n in range(1, spec["items"] + 1))
                text = spec["head"] + "".join(items)
            else:
                text = spec["text"]
            (target / spec["name"].format(index)).write_text(text, encoding="utf-8")
    elif "numbered" in make:
        spec = make["numbered"]
        items = (spec["item"].replace("{n}", str(n)) for n in range(1, spec["count"] + 1))
        target.write_text(spec["head"] + "".join(items), encoding="utf-8")
    else:
        with target.open("wb") as stream:
            for piece, times in make.get("repeat", [[make.get("text", ""), 1]]):
                chunk = places.fill(piece).encode("utf-8")
                for _ in range(times // 4096):
                    stream.write(chunk * 4096)
                stream.write(chunk * (times % 4096))
    return []


def write_config(spec: Mapping[str, Any], places: Places) -> None:
    """The workspace's config from a config case (`.tmcheck.yaml`, or its `path`): a file of
    config/, or `make` (a `symlink` at `at`, the config itself by default)."""
    target = places.workspace / spec.get("path", ".tmcheck.yaml")
    make = spec.get("make") or {}
    if "symlink" in make:
        os.symlink(places.fill(make["symlink"]), places.workspace / make.get("at", target))
    elif "repeat" in make:
        target.write_text("".join(piece * times for piece, times in make["repeat"]))
    else:
        target.write_bytes((HOSTILE / "config" / spec["file"]).read_bytes())


@dataclass
class PullRequest:
    """A git workspace whose pull request (base..head) adds a class's cases."""

    places: Places
    base: str
    head: str
    event: Path
    output: Path
    summary: Path

    def environ(self, server: FakeGitHub, **inputs: str) -> dict[str, str]:
        environ = step_environment(
            server.url, REPOSITORY, self.places.workspace, "pull_request", self.event,
            token=TOKEN, output=self.output, summary=self.summary, inputs=inputs,
        )  # fmt: skip
        return {**environ, "CANARY": CANARY, "TMCHECK_TODAY": TODAY}


def pull_request(
    tmp: Path,
    cases: Sequence[Case],
    *,
    config: str | None = None,
    base_files: Mapping[str, str] | None = None,
    listener: str | None = None,
    head_config: Mapping[str, Any] | None = None,
) -> PullRequest:
    """A repository whose base commit holds `config` and `base_files`, and whose head commit
    adds `cases` (as real symlinks, a gitlink, odd names...) and, if given, the `head_config`
    the pull request brings (see `write_config`)."""
    places = make_places(tmp, listener)
    workspace = places.workspace
    git(workspace, "init", "-q", "-b", "main")
    (workspace / "README.txt").write_text("base\n")
    if config is not None:
        (workspace / ".tmcheck.yaml").write_text(config, encoding="utf-8")
    for name, text in (base_files or {}).items():
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text(text, encoding="utf-8")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "base")
    base = git(workspace, "rev-parse", "HEAD")
    gitlinks = [path for case in cases for path in materialize(case, places)]
    if head_config is not None:
        write_config(head_config, places)
    git(workspace, "add", "-A", ".")
    for path in gitlinks:
        git(workspace, "update-index", "--add", "--cacheinfo", f"160000,{base},{path}")
    git(workspace, "commit", "-qm", "head")
    head = git(workspace, "rev-parse", "HEAD")
    event = tmp / "event.json"
    pull = {
        "number": 1,
        "base": {"sha": base, "ref": "main", "repo": {"full_name": REPOSITORY}},
        "head": {"sha": head, "ref": "feature", "repo": {"full_name": "forker/octo-repo"}},
    }
    event.write_text(json.dumps({"action": "opened", "number": 1, "pull_request": pull}))
    return PullRequest(places, base, head, event, tmp / "github_output", tmp / "summary.md")


# --- running ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """Everything one run produced, for assertions."""

    code: int
    stdout: str
    stderr: str
    comments: list[str] = field(default_factory=list)
    check_runs: list[str] = field(default_factory=list)  # each run as JSON text
    files: dict[str, str] = field(default_factory=dict)  # summary, outputs, report, ...
    requests: list[str] = field(default_factory=list)  # each request body as JSON text
    token_leaked: bool = False

    def everything(self) -> str:
        return "\n".join(
            [
                self.stdout,
                self.stderr,
                *self.comments,
                *self.check_runs,
                *self.files.values(),
                *self.requests,
            ]
        )

    def log_findings(self) -> list[str]:
        """The finding lines of the text report (the action logs it between stop-commands)."""
        lines = self.stdout.splitlines()
        begin = next(
            (i for i, line in enumerate(lines) if line.startswith("::stop-commands::")), None
        )
        if begin is not None:
            token = lines[begin].split("::")[2]
            lines = lines[begin + 1 : lines.index(f"::{token}::")]
        # A blocking threat without a ticket is also a missing-ticket note: the cases are about
        # hostile input, and say which blocking-threat errors they expect.
        return [
            line
            for line in lines
            if _FINDING_LINE.match(line) and " note [missing-ticket] " not in line
        ]


def run_cli(args: Sequence[str], cwd: Path, monkeypatch: Any) -> Outcome:
    monkeypatch.chdir(cwd)
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", *args], stdout=out, stderr=err, environ={"CANARY": CANARY}, cwd=cwd)
    return Outcome(code, out.getvalue(), err.getvalue())


def config_args(config: str | None) -> list[str]:
    return ["--config", ".tmcheck.yaml"] if config is not None else ["--no-config"]


def run_action(pull: PullRequest, server: FakeGitHub, **inputs: str) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    code = main(["action"], stdout=out, stderr=err, environ=pull.environ(server, **inputs))
    return collect(pull, server, code, out.getvalue(), err.getvalue())


def collect(pull: PullRequest, server: FakeGitHub, code: int, stdout: str, stderr: str) -> Outcome:
    files = {}
    for path in (pull.output, pull.summary, *_outputs_in(pull.places.workspace)):
        if path.is_file() and not path.is_symlink():
            files[path.name] = path.read_text(encoding="utf-8")
    return Outcome(
        code,
        stdout,
        stderr,
        comments=[comment.body for comment in server.comments_on(1)],
        check_runs=[
            json.dumps([run.title, run.summary, run.text, run.annotations], ensure_ascii=False)
            for run in server.check_runs.values()
        ],
        files=files,
        requests=[json.dumps(r.body, ensure_ascii=False) for r in server.requests],
        token_leaked=any(r.token_leaked for r in server.requests),
    )


def _outputs_in(workspace: Path) -> Iterator[Path]:
    yield workspace / "tmcheck-report.md"
    yield workspace / "tmcheck.sarif"


def match_findings(lines: Sequence[str], expected: Sequence[str]) -> list[str]:
    """Problems matching each expected prefix to its own line, and no line left over."""
    problems = []
    remaining = list(lines)
    for prefix in expected:
        hit = next((line for line in remaining if line.startswith(prefix)), None)
        if hit is None:
            problems.append(f"missing: {prefix}")
        else:
            remaining.remove(hit)
    problems += [f"unexpected: {line}" for line in remaining]
    return problems
