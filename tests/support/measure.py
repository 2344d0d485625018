"""`tmcheck ARGS` in a child process of its own, measured: wall time, CPU time (the child's
rusage from `wait4`), and peak resident memory (the child's own VmHWM, read from /proc as it
ends: `wait4`'s ru_maxrss would also count the process it was forked from).

Children are forked by a server process that has imported tmcheck, PyGithub and Jinja2 once
(as multiprocessing's forkserver does): a hostile case then costs its own work, not the ~0.3 s
of starting Python and importing them again, and that work is what the bounds are about. The
server is started with the canary and the token in its real environment, so that a child that
followed a link to /proc/self/environ would show them, as a child started by exec would.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.support.hostile_harness import CANARY, TOKEN

SECONDS_BEFORE_KILL = 30  # a hang fails the test instead of the suite

# Reads one request per line; forks a child per request that runs tmcheck's main as the
# request says, records its memory high-water mark and exits; answers with its exit code,
# wall time and CPU time.
_SERVER = """
import json, os, signal, sys, time
import github, jinja2, jsonschema, yaml
import tmcheck.action, tmcheck.check, tmcheck.cli, tmcheck.reporters.markdown
import tmcheck.reporters.sarif, tmcheck.reporters.text
for line in sys.stdin:
    request = json.loads(line)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["environ"])
            for fd, name, flags in ((0, os.devnull, os.O_RDONLY),
                                    (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                                    (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
                opened = os.open(name, flags, 0o600)
                os.dup2(opened, fd)
                os.close(opened)
            signal.alarm(request["kill_after"])
            code = tmcheck.cli.main(request["args"])
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            with open("/proc/self/status") as status, open(request["status"], "w") as out:
                out.write(status.read())
            os._exit(code)
    _, wait_status, usage = os.wait4(pid, 0)
    answer = {"code": os.waitstatus_to_exitcode(wait_status), "wall": time.monotonic() - started,
              "cpu": usage.ru_utime + usage.ru_stime}
    sys.stdout.write(json.dumps(answer) + "\\n")
    sys.stdout.flush()
"""


@dataclass
class Measured:
    code: int
    stdout: str
    stderr: str
    wall: float
    cpu: float
    peak_mb: float


class _ForkServer:
    def __init__(self) -> None:
        self._home = tempfile.mkdtemp(prefix="tmcheck-forkserver-")
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self._home,
            "LC_ALL": "C.UTF-8",
            "CANARY": CANARY,
            "INPUT_TOKEN": TOKEN,
        }
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-c", _SERVER], cwd=self._home, env=environment,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        )  # fmt: skip
        atexit.register(self.close)

    def run(self, request: Mapping[str, object]) -> dict[str, float]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline()
        if not answer:
            raise RuntimeError(f"the fork server ended ({self._process.poll()})")
        result: dict[str, float] = json.loads(answer)
        return result

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=10)


_servers: list[_ForkServer] = []


def measure(args: Sequence[str], cwd: Path, environ: Mapping[str, str], scratch: Path) -> Measured:
    """Run `tmcheck ARGS` in `cwd` with exactly `environ` (beside PATH, HOME and a UTF-8
    locale), its output kept in `scratch`."""
    if not _servers:
        _servers.append(_ForkServer())
    status, out, err = scratch / "status", scratch / "stdout", scratch / "stderr"
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(scratch)}
    environment.update({"LC_ALL": "C.UTF-8", **environ})
    answer = _servers[0].run({
        "args": list(args), "cwd": str(cwd), "environ": environment, "stdout": str(out),
        "stderr": str(err), "status": str(status), "kill_after": SECONDS_BEFORE_KILL,
    })  # fmt: skip
    peak = 0.0
    if status.exists():
        line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
        peak = int(line.split()[1]) / 1024
    return Measured(
        int(answer["code"]),
        out.read_text(encoding="utf-8", errors="replace"),
        err.read_text(encoding="utf-8", errors="replace"),
        answer["wall"],
        answer["cpu"],
        peak,
    )
