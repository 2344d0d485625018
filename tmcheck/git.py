"""The few git questions tmcheck asks: what changed since a revision, and a file as it was.

git runs without a shell, with a timeout, and with `safe.directory` set for the one repository
it is asked about (inside the action's container the workspace belongs to another user, and
git refuses such a repository otherwise). Paths come back NUL-separated, so no file name can
split or inject a line.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tmcheck.errors import TmcheckError

TIMEOUT_SECONDS = 60


class GitError(TmcheckError):
    """git is missing, the directory is no repository, or a revision does not exist."""


@dataclass(frozen=True, slots=True)
class Change:
    """One changed file: `status` is A(dded), M(odified), D(eleted) or R(enamed).

    Paths are relative to the repository's top level; `old_path` is set for renames."""

    status: str
    path: str
    old_path: str | None = None


def run_git(repository: Path, *args: str, limit: int | None = None) -> bytes:
    """Run `git ARGS` in `repository` and return its standard output."""
    command = ["git", "-c", f"safe.directory={repository.resolve()}", "-C", str(repository), *args]
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {TIMEOUT_SECONDS} s") from None
    if completed.returncode != 0:
        reason = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {reason[-1] if reason else completed.returncode}")
    if limit is not None and len(completed.stdout) > limit:
        raise GitError(f"git {args[0]} returned more than {limit} bytes")
    return completed.stdout


def top_level(directory: Path) -> Path:
    """The top directory of the repository that holds `directory`."""
    return Path(run_git(directory, "rev-parse", "--show-toplevel").decode().strip())


def resolve_commit(repository: Path, revision: str) -> str:
    """The full commit id of `revision` (a branch, tag, sha or expression such as HEAD~1)."""
    if revision.startswith("-"):
        raise GitError(f"{revision!r} is not a revision")
    output = run_git(repository, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    return output.decode().strip()


def changes(
    repository: Path, base: str, head: str | None = None, *, since_fork: bool = False
) -> list[Change]:
    """Files changed from `base` to `head`, or to the working tree (untracked files included).

    With `since_fork`, from the point where `head` left `base` (`base...head`): what a pull
    request changed, not what changed on its base branch meanwhile."""
    revisions = [base] if head is None else [base, head]
    if head is not None and since_fork:
        revisions = [f"{base}...{head}"]
    output = run_git(
        repository, "diff", "--name-status", "-z", "-M", "--no-ext-diff", *revisions, "--"
    )
    fields = output.decode("utf-8", "surrogateescape").split("\0")
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
    if head is None:
        untracked = run_git(repository, "ls-files", "--others", "--exclude-standard", "-z")
        found += [
            Change("A", path)
            for path in untracked.decode("utf-8", "surrogateescape").split("\0")
            if path
        ]
    return found


def files_at(repository: Path, revision: str) -> frozenset[str]:
    """The paths (relative to the top level) of every file in `revision`'s tree."""
    output = run_git(repository, "ls-tree", "-r", "-z", "--name-only", "--full-tree", revision)
    return frozenset(path for path in output.decode("utf-8", "surrogateescape").split("\0") if path)


def read_at(repository: Path, revision: str, path: str, limit: int) -> bytes | None:
    """The content of `path` (relative to the top level) at `revision`; None if it did not exist.

    Only a regular file is read: a symlink or submodule at that revision raises GitError, and a
    blob larger than `limit` bytes is refused before it is read.
    """
    listing = run_git(repository, "ls-tree", "-z", revision, "--", path).decode(
        "utf-8", "surrogateescape"
    )
    entry = next((item for item in listing.split("\0") if item), None)
    if entry is None:
        return None
    mode, kind, blob = entry.split("\t", 1)[0].split(" ")
    if kind != "blob" or mode not in ("100644", "100755"):
        raise GitError(f"{path} at {revision[:12]} is not a regular file (mode {mode})")
    size = int(run_git(repository, "cat-file", "-s", blob).decode().strip())
    if size > limit:
        raise GitError(f"{path} at {revision[:12]} is larger than {limit} bytes")
    return run_git(repository, "cat-file", "blob", blob, limit=limit)
