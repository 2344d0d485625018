"""yaml-language-server (the YAML support of VS Code, Neovim, Helix), run by Node: installed from
`tests/yaml_language_server/` (pinned by its package-lock.json) into a cache directory outside
the repository, once per lock file. Its language service validates documents as an editor does,
each against the schema its `# yaml-language-server: $schema=...` line names."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).resolve().parent / "yaml_language_server"
FILES = ("package.json", "package-lock.json", "validate.mjs")


def missing_tools() -> str | None:
    absent = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    return (
        f"{' and '.join(absent)} not installed (Debian: apt-get install nodejs npm)"
        if absent
        else None
    )


def _install() -> Path:
    digest = hashlib.sha256()
    for name in FILES:
        digest.update((SOURCE / name).read_bytes())
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    target = cache / "tmcheck-tests" / f"yaml-language-server-{digest.hexdigest()[:16]}"
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


def validate(documents: list[tuple[Path, str]]) -> list[list[dict[str, Any]]]:
    """The diagnostics of each (path, text), as yaml-language-server reports them."""
    done = subprocess.run(
        ["node", "validate.mjs"], cwd=_install(),
        input=json.dumps([{"path": str(path), "text": text} for path, text in documents]),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"yaml-language-server failed:\n{done.stderr[-3000:]}")
    results: list[list[dict[str, Any]]] = json.loads(done.stdout)
    return results
