"""`tmcheck ARGS` in a child process of its own, measured: wall time, CPU time (the child's
rusage from `wait4`), and peak resident memory (the child's own VmHWM, read from /proc as it
ends: `wait4`'s ru_maxrss would also count the pytest process it was forked from)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Run tmcheck's main, then record this process's memory high-water mark.
_MEASURED = """
import sys
from tmcheck.cli import main
code = 3
try:
    code = main(sys.argv[2:])
finally:
    with open("/proc/self/status") as status, open(sys.argv[1], "w") as out:
        out.write(status.read())
sys.exit(code)
"""


@dataclass
class Measured:
    code: int
    stdout: str
    stderr: str
    wall: float
    cpu: float
    peak_mb: float


def measure(args: Sequence[str], cwd: Path, environ: Mapping[str, str], scratch: Path) -> Measured:
    status, out, err = scratch / "status", scratch / "stdout", scratch / "stderr"
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(scratch)}
    environment.update({"LC_ALL": "C.UTF-8", **environ})
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-I", "-c", _MEASURED, str(status), *args],
            cwd=cwd, env=environment, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
        )  # fmt: skip
        guard = threading.Timer(30, process.kill)  # a hang fails the test instead of the suite
        guard.start()
        _, wait_status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        guard.cancel()
    process.returncode = os.waitstatus_to_exitcode(wait_status)
    peak = 0.0
    if status.exists():
        line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
        peak = int(line.split()[1]) / 1024
    return Measured(
        process.returncode,
        out.read_text(encoding="utf-8", errors="replace"),
        err.read_text(encoding="utf-8", errors="replace"),
        wall,
        usage.ru_utime + usage.ru_stime,
        peak,
    )
