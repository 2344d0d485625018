"""The one way tmcheck runs git: on the repository it was pointed at, and never its commands.

A pull request can commit a directory that git takes for a repository (`HEAD`, `config`,
`objects/`, `refs/`), whose `core.fsmonitor` git would then run. So the repository is found once,
from the action's workspace or the CLI's current directory (`Git.find`), and every later call names
it explicitly (`--git-dir`, `--work-tree`): no call discovers a repository from a file's or the
config's location. Every call also turns off what could run a command (fsmonitor, hooks, external
diff, textconv, the filters the configuration defines, a pager), reads no system configuration,
takes no `GIT_*` variable from the environment, and never prompts.

git's ownership check (CVE-2022-24765) stays on, except for the action's own workspace, which
belongs to another user inside the container; on the CLI a refusal is git's message, exit 2.
Paths come back NUL-separated, so no file name can split or inject a line.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tmcheck.errors import TmcheckError

TIMEOUT_SECONDS = 60
MAX_MESSAGE_CHARS = 2000

# On every call: nothing the repository's configuration names is run.
_SAFE_OPTIONS = (
    "--no-pager",
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.untrackedCache=false",
    "-c", "diff.external=",
    "-c", "gc.auto=0",
    "-c", "maintenance.auto=false",
    "-c", "safe.bareRepository=explicit",
)  # fmt: skip
# A filter driver with empty commands filters nothing; "required" would make that an error.
_FILTER_OFF = (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false"))
# Commands that could run a diff driver get these too.
_NO_DRIVERS = ("--no-ext-diff", "--no-textconv")


class GitError(TmcheckError):
    """git is missing, the directory is no repository, or a revision does not exist."""


class GitRefused(GitError):
    """git refuses the repository (another user's, or a bare one found implicitly)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One changed file: `status` is A(dded), M(odified), D(eleted) or R(enamed).

    Paths are relative to the repository's top level; `old_path` is set for renames."""

    status: str
    path: str
    old_path: str | None = None


@dataclass(frozen=True)
class Git:
    """One repository: its work tree `top` and its `git_dir`. Get one with `Git.find`."""

    top: Path
    git_dir: Path
    trusted_workspace: bool = False
    _filter_overrides: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @classmethod
    def find(cls, start: Path, *, trusted_workspace: bool = False) -> Git:
        """The repository whose work tree holds `start` (the CLI's current directory).

        With `trusted_workspace` (the action), `start` must be the top of the repository (git
        looks no higher) and git's ownership check is lifted for it alone."""
        start = Path(os.path.realpath(start))
        environment = _environment(trusted_workspace)
        options: tuple[str, ...] = ()
        if trusted_workspace:
            environment["GIT_CEILING_DIRECTORIES"] = str(start.parent)
            options = ("-c", f"safe.directory={start}")
        output = _run(
            ["git", *_SAFE_OPTIONS, *options, "rev-parse", "--absolute-git-dir", "--show-toplevel"],
            environment, start, "rev-parse", discovering=True,
        )  # fmt: skip
        lines = output.decode("utf-8", "surrogateescape").splitlines()
        if len(lines) != 2 or not lines[1]:
            raise GitError(f"{start} is not inside the work tree of a git repository")
        repository = cls(Path(lines[1]), Path(lines[0]), trusted_workspace)
        if trusted_workspace and repository.top != start:
            raise GitError(f"the workspace {start} is not the top of its git repository")
        return repository._with_filters_off()

    def run(self, *args: str, limit: int | None = None) -> bytes:
        """Run `git ARGS` on this repository and return its standard output."""
        environment = _environment(self.trusted_workspace)
        environment["GIT_CEILING_DIRECTORIES"] = str(self.top.parent)
        if self._filter_overrides:
            environment["GIT_CONFIG_COUNT"] = str(len(self._filter_overrides))
            for index, (key, value) in enumerate(self._filter_overrides):
                environment[f"GIT_CONFIG_KEY_{index}"] = key
                environment[f"GIT_CONFIG_VALUE_{index}"] = value
        options: tuple[str, ...] = ()
        if self.trusted_workspace:
            options = ("-c", f"safe.directory={self.top}")
        command = [
            "git", *_SAFE_OPTIONS, *options,
            f"--git-dir={self.git_dir}", f"--work-tree={self.top}", *args,
        ]  # fmt: skip
        output = _run(command, environment, self.top, args[0] if args else "")
        if limit is not None and len(output) > limit:
            raise GitError(f"git {args[0]} returned more than {limit} bytes")
        return output

    def resolve_commit(self, revision: str) -> str:
        """The full commit id of `revision` (a branch, tag, sha or expression such as HEAD~1)."""
        if revision.startswith("-"):
            raise GitError(f"{revision!r} is not a revision")
        output = self.run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        return output.decode().strip()

    def changes(
        self, base: str, head: str | None = None, *, since_fork: bool = False
    ) -> list[Change]:
        """Files changed from `base` to `head`, or to the working tree (untracked included).

        With `since_fork`, from the point where `head` left `base` (`base...head`): what a pull
        request changed, not what changed on its base branch meanwhile."""
        revisions = [base] if head is None else [base, head]
        if head is not None and since_fork:
            revisions = [f"{base}...{head}"]
        output = self.run("diff", *_NO_DRIVERS, "--name-status", "-z", "-M", *revisions, "--")
        found = _parse_name_status(output.decode("utf-8", "surrogateescape").split("\0"))
        if head is None:
            untracked = self.run("ls-files", "--others", "--exclude-standard", "-z")
            found += [
                Change("A", path)
                for path in untracked.decode("utf-8", "surrogateescape").split("\0")
                if path
            ]
        return found

    def files_at(self, revision: str) -> frozenset[str]:
        """The paths (relative to the top level) of every file in `revision`'s tree."""
        output = self.run("ls-tree", "-r", "-z", "--name-only", "--full-tree", revision)
        return frozenset(
            path for path in output.decode("utf-8", "surrogateescape").split("\0") if path
        )

    def read_at(self, revision: str, path: str, limit: int) -> bytes | None:
        """The content of `path` (relative to the top level) at `revision`; None if it did not
        exist.

        Only a regular file is read: a symlink or submodule at that revision raises GitError,
        and a blob larger than `limit` bytes is refused before it is read."""
        listing = self.run("ls-tree", "-z", "--full-tree", revision, "--", path)
        entry = next((item for item in listing.decode("utf-8", "surrogateescape").split("\0")
                      if item), None)  # fmt: skip
        if entry is None:
            return None
        mode, kind, blob = entry.split("\t", 1)[0].split(" ")
        if kind != "blob" or mode not in ("100644", "100755"):
            raise GitError(f"{path} at {revision[:12]} is not a regular file (mode {mode})")
        size = int(self.run("cat-file", "-s", blob).decode().strip())
        if size > limit:
            raise GitError(f"{path} at {revision[:12]} is larger than {limit} bytes")
        return self.run("cat-file", "blob", blob, limit=limit)

    def relative(self, path: str | os.PathLike[str]) -> str | None:
        """`path` relative to the top level, with `/`; None when it lies outside."""
        try:
            return Path(os.path.realpath(path)).relative_to(self.top).as_posix()
        except ValueError:
            return None

    def _with_filters_off(self) -> Git:
        """This repository with every filter driver its configuration defines turned off (a
        clean filter runs when git compares the work tree). Names go through GIT_CONFIG_KEY_n,
        where any name is one key, not through `-c`, which splits at `=`."""
        try:
            listing = self.run("config", "-z", "--name-only", "--get-regexp", r"^filter\.")
        except GitError:
            listing = b""  # none defined: git config exits 1
        drivers = {
            name[len("filter.") : name.rindex(".")]
            for name in listing.decode("utf-8", "surrogateescape").split("\0")
            if name.count(".") >= 2
        }
        overrides = tuple(
            (f"filter.{driver}.{key}", value)
            for driver in sorted(drivers)
            for key, value in _FILTER_OFF
        )
        return Git(self.top, self.git_dir, self.trusted_workspace, overrides)


def _environment(trusted_workspace: bool) -> dict[str, str]:
    """The process environment without any `GIT_*` variable (they can name another repository,
    index, object store or configuration), with system configuration off and no prompts.

    The action reads no global configuration either: the runner's HOME is nobody's choice for
    this repository. The CLI keeps the user's own (their `safe.directory` entries, for one)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    environment.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",  # a read never writes the index
        GIT_ATTR_NOSYSTEM="1",
        LC_ALL="C",  # git's messages are reported as they are, and recognized
    )
    if trusted_workspace:
        environment["GIT_CONFIG_GLOBAL"] = os.devnull
    return environment


def _run(
    command: list[str],
    environment: Mapping[str, str],
    cwd: Path,
    name: str,
    *,
    discovering: bool = False,
) -> bytes:
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
            env=dict(environment),
            cwd=cwd,
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except NotADirectoryError:
        raise GitError(f"{cwd} is not a directory") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {name} took longer than {TIMEOUT_SECONDS} s") from None
    if completed.returncode == 0:
        return completed.stdout
    message = completed.stderr.decode("utf-8", "replace").strip()[:MAX_MESSAGE_CHARS]
    lines = message.splitlines()
    if discovering and lines and "not a git repository" not in lines[0]:
        # git's own words, with its advice (`git config --global --add safe.directory ...`)
        said = " ".join(line.strip() for line in lines if line.strip())  # one line, advice kept
        raise GitRefused(f"git refuses the repository: {_fatal(said)}")
    raise GitError(f"git {name} failed: {_fatal(lines[-1]) if lines else completed.returncode}")


def _fatal(message: str) -> str:
    return message.removeprefix("fatal: ")


def _parse_name_status(fields: list[str]) -> list[Change]:
    found: list[Change] = []
    index = 0
    while index < len(fields) - 1:
        status = fields[index][:1]
        if status in ("R", "C"):
            found.append(
                Change("R" if status == "R" else "A", fields[index + 2], fields[index + 1])
            )
            index += 3
        else:
            found.append(Change(status if status in "ADM" else "M", fields[index + 1]))
            index += 2
    return found
