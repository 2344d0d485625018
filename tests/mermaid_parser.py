"""The real Mermaid parser, run by Node: installed from `tests/mermaid/` (pinned by its
package-lock.json) into a cache directory outside the repository, once per lock file.

One Node process parses a whole list of diagrams (starting Node and importing Mermaid takes
about 3 s), and reports for each what it contains: vertices, edges, subgraphs, classes, links.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).resolve().parent / "mermaid"
FILES = ("package.json", "package-lock.json", "validate.mjs")


def missing_tools() -> str | None:
    """Why the parser cannot run here, or None."""
    absent = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    return (
        f"{' and '.join(absent)} not installed (Debian: apt-get install nodejs npm)"
        if absent
        else None
    )


def install() -> Path:
    """The directory holding the installed parser (`npm ci` the first time)."""
    digest = hashlib.sha256()
    for name in FILES:
        digest.update((SOURCE / name).read_bytes())
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    target = cache / "tmcheck-tests" / f"mermaid-{digest.hexdigest()[:16]}"
    if (target / ".installed").is_file():
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(SOURCE / name, target / name)
    done = subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=target, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"npm ci failed in {target}:\n{done.stdout}{done.stderr}")
    (target / ".installed").write_text("ok\n")
    return target


def parse(diagrams: list[str]) -> list[dict[str, Any]]:
    """Each diagram as Mermaid reads it: {"ok": True, "vertices": ...} or {"ok": False, "error"}."""
    done = subprocess.run(
        ["node", "validate.mjs"], cwd=install(), input=json.dumps(diagrams),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"the Mermaid parser failed:\n{done.stderr[-3000:]}")
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def mermaid_script() -> Path | None:
    """Mermaid's browser bundle, to draw diagrams in a page; None without node and npm."""
    if missing_tools() is not None:
        return None
    return install() / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
