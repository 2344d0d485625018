"""A threat-model repository with two commits, built with real git, for the base-diff tests.

The head commit, relative to the base, makes every kind of change once: in `models/api.yaml`
A1 is raised, A2 resolved, A3 reopened, A4 changes owner, A5 is removed, A7 is new and A6 stays
(old debt, on another line); `models/shop-v1.json` (a Threat Dragon diagram whose threats have no
ids) is renamed to `models/shop.json` and its "Cart tampering" raised from Medium to High;
`models/legacy.yaml` is deleted; `models/stable.yaml` does not change (S1: old debt).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path


def git(repo: Path, *args: str, date: str | None = None) -> str:
    """`git ARGS` in `repo`; a commit made with `date` (ISO 8601) carries it as both its author
    and committer date instead of now."""
    environment = None
    if date is not None:
        environment = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo, env=environment, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


API_BASE = """\
component: {name: API, owner: Platform Team}
threats:
  - {id: A1, category: Tampering, title: Request tampering, likelihood: 2, impact: 3, status: Open}
  - {id: A2, category: Spoofing, title: Token forgery, likelihood: 3, impact: 5, status: Open}
  - {id: A3, category: Repudiation, title: Missing audit log, likelihood: 3, impact: 5, status: Mitigated}
  - {id: A4, category: Information Disclosure, title: Verbose errors, likelihood: 2, impact: 2, status: Open, owner: Alice}
  - {id: A5, category: Denial of Service, title: Unbounded uploads, likelihood: 2, impact: 3, status: Open}
  - {id: A6, category: Elevation of Privilege, title: Admin API exposed, likelihood: 4, impact: 4, status: Open}
"""

API_HEAD = """\
component: {name: API, owner: Platform Team}
threats:
  - {id: A7, category: Spoofing, title: Webhook spoofing, likelihood: 4, impact: 5, status: Open}
  - {id: A1, category: Tampering, title: Request tampering, likelihood: 4, impact: 4, status: Open}
  - {id: A2, category: Spoofing, title: Token forgery, likelihood: 3, impact: 5, status: Mitigated}
  - {id: A3, category: Repudiation, title: Missing audit log, likelihood: 3, impact: 5, status: Open}
  - {id: A4, category: Information Disclosure, title: Verbose errors, likelihood: 2, impact: 2, status: Open, owner: Bob}
  - {id: A6, category: Elevation of Privilege, title: Admin API exposed, likelihood: 4, impact: 4, status: Open}
"""

STABLE = """\
component: {name: Billing, owner: Billing Team}
threats:
  - {id: S1, category: Tampering, title: Invoice tampering, likelihood: 4, impact: 4, status: Open}
"""

LEGACY = """\
threats:
  - id: L1
    component: Legacy portal
    threat: Spoofing
    description: Shared admin password
    likelihood: 3
    impact: 3
    mitigation: {control: Rotate it, status: planned}
"""


def dragon(cart_severity: str) -> str:
    threats = [
        {"title": "SQL injection in search", "type": "Tampering", "severity": "High",
         "status": "Open", "mitigation": "Parameterized queries"},
        {"title": "Cart tampering", "type": "Tampering", "severity": cart_severity,
         "status": "Open", "mitigation": "Sign the cart"},
    ]  # fmt: skip
    cells = [
        {"id": "c1", "shape": "process",
         "data": {"type": "tm.Process", "name": "Shop", "threats": threats}},
        {"id": "c2", "shape": "store",
         "data": {"type": "tm.Store", "name": "Orders", "threats": []}},
    ]  # fmt: skip
    model = {
        "summary": {"title": "Shop"},
        "detail": {"diagrams": [{"title": "Main", "diagramType": "STRIDE", "cells": cells}]},
    }
    return json.dumps(model, indent=2) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_repository(root: Path) -> tuple[str, str]:
    """Build the repository in `root`; return the (base, head) commit ids."""
    git(root, "init", "-q", "-b", "main")
    # The diagram makes the run architecture-aware; coverage is not what these tests are about.
    write(
        root / ".tmcheck.yaml",
        "include: ['models/**']\nrules: {stride-coverage: off, unknown-component: off, missing-ticket: off}\n",
    )
    write(root / "models" / "api.yaml", API_BASE)
    write(root / "models" / "stable.yaml", STABLE)
    write(root / "models" / "legacy.yaml", LEGACY)
    write(root / "models" / "shop-v1.json", dragon("Medium"))
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    base = git(root, "rev-parse", "HEAD")
    write(root / "models" / "api.yaml", API_HEAD)
    git(root, "rm", "-q", "models/legacy.yaml")
    git(root, "mv", "models/shop-v1.json", "models/shop.json")
    write(root / "models" / "shop.json", dragon("High"))
    git(root, "add", ".")
    git(root, "commit", "-qm", "head")
    return base, git(root, "rev-parse", "HEAD")
