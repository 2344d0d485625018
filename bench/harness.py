"""Measuring child processes (wall time, peak RSS) and preparing the peers they are compared to."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# The floor: the cheapest way to read the same files, libyaml straight into Python objects.
FLOOR = """
import os, sys, yaml
directory = sys.argv[1]
for name in sorted(os.listdir(directory)):
    with open(os.path.join(directory, name), "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""


# Runs one command and prints "wall cpu maxrss_kib exit_code". A child's ru_maxrss on Linux starts
# at the RSS of the process that forked it, so the benchmark (which may hold a parsed 100 MB
# report) must not fork the measured command itself: this small process (~5 MB) does.
SPAWNER = """
import os, sys, time
out, err, cwd, command = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.chdir(cwd)
        os.dup2(os.open(out, flags, 0o644), 1)
        os.dup2(os.open(err, flags, 0o644), 2)
        os.execv(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
cpu = usage.ru_utime + usage.ru_stime
print(wall, cpu, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


class BenchError(Exception):
    """A run that cannot be trusted: wrong exit code, a traceback, an unexpected output."""


@dataclass(frozen=True)
class Sample:
    """One child process: wall and CPU (user + system) seconds, peak RSS in KiB, exit code."""

    wall: float
    cpu: float
    rss_kib: int
    code: int


def median_sample(samples: Sequence[Sample]) -> Sample:
    """Median wall time, CPU time and peak RSS, each over all samples."""
    return Sample(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        int(statistics.median(s.rss_kib for s in samples)),
        samples[0].code,
    )


def tool(name: str) -> str:
    """The real console script for `name`, next to this interpreter or, from a virtualenv, next
    to the interpreter it was made from (not a pyenv shim on PATH: a shim adds ~0.1 s a start)."""
    for folder in (Path(sysconfig.get_path("scripts")), Path(sys.base_prefix) / "bin"):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"{name} is not installed")
    return found


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without TMCHECK_* variables, plus `extra`.

    Without PYTHONDONTWRITEBYTECODE too: an installed tmcheck (and the peer) has its bytecode
    cached, and with the variable set an editable install compiles every module on each start
    (~0.1 s here)."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TMCHECK_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    environment.update(extra)
    return environment


def measure(
    command: Sequence[str], *, cwd: Path, env: dict[str, str], log: Path
) -> tuple[Sample, str]:
    """Run `command` once through the spawner; stdout goes to `log`, stderr is returned."""
    log.parent.mkdir(parents=True, exist_ok=True)
    error_log = log.with_suffix(".stderr")
    spawner = [sys.executable, "-I", "-S", "-c", SPAWNER, str(log), str(error_log), str(cwd)]
    done = subprocess.run([*spawner, *command], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"the spawner failed on {command[0]}: {done.stderr[-2000:]}")
    wall, cpu, rss, code = done.stdout.split()
    stderr = error_log.read_text(encoding="utf-8", errors="replace")
    if "Traceback (most recent call last)" in stderr:
        raise BenchError(f"{command[0]} printed a traceback:\n{stderr[-3000:]}")
    return Sample(float(wall), float(cpu), int(rss), int(code)), stderr


def batches(arguments: Sequence[str], fixed: Sequence[str], env: dict[str, str]) -> list[list[str]]:
    """Split `arguments` into as few command lines as fit in half of ARG_MAX."""
    limit = os.sysconf("SC_ARG_MAX") // 2
    base = sum(len(os.fsencode(a)) + 9 for a in fixed)
    base += sum(len(os.fsencode(k)) + len(os.fsencode(v)) + 10 for k, v in env.items())
    result: list[list[str]] = [[]]
    size = base
    for argument in arguments:
        cost = len(os.fsencode(argument)) + 9  # the string, its NUL and its argv pointer
        if result[-1] and size + cost > limit:
            result.append([])
            size = base
        result[-1].append(argument)
        size += cost
    return result
