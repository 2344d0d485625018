"""Which files a run reads: globs, walks, and confined reads (no links, bounded)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tmcheck.config import Settings
from tmcheck.discover import ReadRefused, discover, read_bounded
from tmcheck.globs import GlobSet

MODEL = "component: {name: X, owner: Y}\nthreats: []\n"


def _every_file(root: Path) -> Settings:
    return Settings(root=root, include=("**",), exclude=(), max_files=10)


def test_globs() -> None:
    globs = GlobSet(["docs/**/*.{yaml,yml}", "*.json", "./arch/*.md"])
    assert globs.matches("docs/a.yaml") and globs.matches("docs/x/y/b.yml")
    assert globs.matches("deep/in/tree/x.json") and globs.matches("arch/a.md")
    assert not globs.matches("docs/a.md") and not globs.matches("other/arch/a.md")
    assert GlobSet(["**/node_modules/**"]).matches_directory("web/node_modules")


def test_hostile_glob_is_linear() -> None:
    globs = GlobSet(["threatmodels/*a*a*a*a*a*a*a*a*a*a*a*a*b"])
    assert not globs.matches("threatmodels/" + "a" * 5000 + ".yaml")  # returns at once


def test_symlinks_are_reported_never_read(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "real.yaml").write_text(MODEL)
    os.symlink("/proc/self/environ", tmp_path / "models" / "leak.yaml")
    os.symlink("/dev/zero", tmp_path / "models" / "zero.yaml")
    os.symlink("/", tmp_path / "models" / "rootdir")
    os.symlink(tmp_path / "models", tmp_path / "linked-models")
    environ = {"CANARY": "tmcheck-canary-7f3a"}
    walked = run_cli("check", "models", cwd=tmp_path, environ=environ)
    assert walked.stdout.splitlines()[:-1] == [
        "models/leak.yaml:1:1: error [read-error] is a symbolic link; tmcheck does not follow links",
        "models/zero.yaml:1:1: error [read-error] is a symbolic link; tmcheck does not follow links",
    ]
    named = run_cli(
        "check", "models/leak.yaml", "models/rootdir/etc/hostname", "linked-models/real.yaml",
        cwd=tmp_path, environ=environ,
    )  # fmt: skip
    assert named.stdout.splitlines()[:-1] == [
        "linked-models/real.yaml:1:1: error [read-error] lies under a symbolic link (linked-models); tmcheck does not follow links",
        "models/leak.yaml:1:1: error [read-error] is a symbolic link; tmcheck does not follow links",
        "models/rootdir/etc/hostname:1:1: error [read-error] lies under a symbolic link (models/rootdir); tmcheck does not follow links",
    ]
    assert "canary" not in walked.stdout + named.stdout


def test_workspace_containment(tmp_path: Path) -> None:
    inside = tmp_path / "ws" / "a.yaml"
    inside.parent.mkdir()
    inside.write_text(MODEL)
    (tmp_path / "outside.yaml").write_text(MODEL)
    found = discover(
        [str(inside), str(tmp_path / "outside.yaml")],
        _every_file(tmp_path / "ws"),
        workspace=tmp_path / "ws",
    )
    assert [c.path for c in found.candidates] == [str(inside)]
    assert [f.message for f in found.findings] == [
        "is outside the workspace; tmcheck reads only files inside it"
    ]
    sibling = tmp_path / "ws-other" / "a.yaml"  # shares the workspace's name as a prefix
    sibling.parent.mkdir()
    sibling.write_text(MODEL)
    found = discover([str(sibling)], _every_file(tmp_path), workspace=tmp_path / "ws")
    assert found.candidates == () and len(found.findings) == 1


def test_special_files_and_size_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ReadRefused, match="is not a regular file"):
        read_bounded(str(fifo), 1000)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(ReadRefused, match="is larger than 1000 bytes"):
        read_bounded(str(big), 1000)
    os.symlink(big, tmp_path / "link.yaml")
    with pytest.raises(ReadRefused, match="symbolic link"):
        read_bounded(str(tmp_path / "link.yaml"), 5000)
    assert read_bounded(str(big), 2000) == b"a" * 2000


def test_file_cap_reports_what_was_not_checked(run_cli: RunCli, tmp_path: Path) -> None:
    for index in range(5):
        (tmp_path / f"m{index}.yaml").write_text(MODEL)
    result = run_cli("check", ".", cwd=tmp_path, environ={"TMCHECK_MAX_FILES": "3"})
    assert result.stdout.splitlines()[0] == (
        "m3.yaml:1:1: error [too-many-files] 2 files not checked: a run checks at most 3"
        " (max_files); the first not checked is this one"
    )
    assert result.code == 1


def test_names_that_are_not_utf8_are_reported_printably(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / os.fsdecode(b"bad\xff.yaml")).write_text(MODEL)
    walked = run_cli("check", "models", cwd=tmp_path)
    named = run_cli("check", os.fsdecode(b"models/bad\xff.yaml"), cwd=tmp_path)
    expected = (
        "models/bad\\xff.yaml:1:1: error [read-error] the file name is not valid UTF-8;"
        " tmcheck reads only files with UTF-8 names"
    )
    assert walked.stdout.splitlines()[0] == named.stdout.splitlines()[0] == expected


def test_a_changed_path_that_is_a_directory_is_not_walked(tmp_path: Path) -> None:
    (tmp_path / "sub.yaml").mkdir()  # what a checkout leaves for a submodule
    (tmp_path / "sub.yaml" / "inner.yaml").write_text(MODEL)
    found = discover(
        [str(tmp_path / "sub.yaml")], _every_file(tmp_path), workspace=tmp_path, explicit=False
    )
    assert found.candidates == ()
    assert [f.message for f in found.findings] == ["is not a regular file (a submodule?)"]


def test_a_brace_pattern_past_the_limit_is_a_config_error(run_cli: RunCli, tmp_path: Path) -> None:
    """Before, the pattern silently matched nothing, so its files were never checked."""
    many = "{" + ",".join(f"a{index}" for index in range(9)) + "}"
    pattern = f"docs/{many}/{many}/*.yaml"  # 81 alternatives
    (tmp_path / ".tmcheck.yaml").write_text(f'include: ["{pattern}"]\n')
    result = run_cli("check", cwd=tmp_path)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        f"tmcheck: error: include/exclude/formats: the pattern {pattern!r} has more than 64"
        " alternatives once its braces are expanded; split it\n"
    )
    fits = f"docs/{many}/*.yaml"  # 9
    (tmp_path / ".tmcheck.yaml").write_text(f'include: ["{fits}"]\n')
    (tmp_path / "docs" / "a3").mkdir(parents=True)
    (tmp_path / "docs" / "a3" / "m.yaml").write_text(MODEL)
    assert run_cli("check", cwd=tmp_path).stdout.startswith("tmcheck passed: 1 file")
