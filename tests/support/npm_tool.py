"""A Node program of the tests, pinned by its package-lock.json: installed with `npm ci` into a
cache directory outside the repository, once per lock file, and run with JSON in and out."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent
FILES = ("package.json", "package-lock.json", "validate.mjs")


def missing_tools() -> str | None:
    """Why Node programs cannot run here, or None."""
    absent = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    return (
        f"{' and '.join(absent)} not installed (Debian: apt-get install nodejs npm)"
        if absent
        else None
    )


@dataclass(frozen=True)
class NpmTool:
    name: str  # in messages and in the cache directory's name
    folder: str  # under tests/: package.json, package-lock.json and validate.mjs

    def install(self) -> Path:
        """The directory holding the installed program (`npm ci` the first time)."""
        source = TESTS / self.folder
        digest = hashlib.sha256()
        for name in FILES:
            digest.update((source / name).read_bytes())
        cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        target = cache / "tmcheck-tests" / f"{self.folder}-{digest.hexdigest()[:16]}"
        if (target / ".installed").is_file():
            return target
        target.mkdir(parents=True, exist_ok=True)
        # the test processes run side by side: one installs, the others wait for it
        with (target.parent / f"{target.name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (target / ".installed").is_file():
                self._npm_ci(source, target)
        return target

    @staticmethod
    def _npm_ci(source: Path, target: Path) -> None:
        for name in FILES:
            shutil.copyfile(source / name, target / name)
        done = subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=target, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"npm ci failed in {target}:\n{done.stdout}{done.stderr}")
        (target / ".installed").write_text("ok\n")

    def run(self, request: Any) -> Any:
        """`node validate.mjs` with `request` as JSON on its input; its JSON output."""
        done = subprocess.run(
            ["node", "validate.mjs"], cwd=self.install(), input=json.dumps(request),
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"{self.name} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout)
