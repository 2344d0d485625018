"""A pull request on a small checkout system, built with real git: the fixture of the PR comment.

The base commit has three STRIDE worksheets and a Threat Dragon data-flow diagram (trust
boundaries Internet, DMZ, Internal and Data; seven components; six flows). The head commit:

- adds G1 "Forged payment webhooks" (new, 4 x 5 = 20) to the API Gateway;
- raises G2 "Request tampering" from 2 x 3 = 6 to 4 x 4 = 16;
- reopens A1 "No audit log for refunds" on the App Service (3 x 5 = 15, mitigated at base);
- resolves S1 "Token forgery" on the Auth Service (3 x 5 = 15, now mitigated);
- draws a new external entity, Payment Provider, and its flow to the API Gateway.

Older threats stay as they were: A3 "Admin API reachable from the DMZ" (4 x 4 = 16) and the
diagram's own "SQL injection in order search" on Postgres DB (severity High, no id) are at or
above the threshold: old debt, which `gate: new` (the repository's setting) does not block.

Commits have fixed dates and authors, so their ids, and the rendered comment, are the same on
every run.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

REPOSITORY = "octo-org/checkout"
PULL_REQUEST = 42
_ENVIRONMENT = {
    "GIT_AUTHOR_NAME": "Dana Developer",
    "GIT_AUTHOR_EMAIL": "dana@example.invalid",
    "GIT_COMMITTER_NAME": "Dana Developer",
    "GIT_COMMITTER_EMAIL": "dana@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(repo: Path, *args: str, date: str = "2025-03-01T10:00:00Z") -> str:
    environment = {
        **os.environ,
        **_ENVIRONMENT,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=environment, check=True, capture_output=True, text=True
    ).stdout.strip()


def worksheet(component: str, owner: str, threats: list[dict[str, Any]]) -> str:
    lines = [f"component: {{name: {component}, owner: {owner}}}", "threats:"]
    for threat in threats:
        fields = ", ".join(f"{key}: {value}" for key, value in threat.items())
        lines.append(f"  - {{{fields}}}")
    return "\n".join(lines) + "\n"


def _threat(id: str, category: str, title: str, likelihood: int, impact: int, status: str,
            **more: str) -> dict[str, Any]:  # fmt: skip
    return {"id": id, "category": category, "title": title, "likelihood": likelihood,
            "impact": impact, "status": status, **more}  # fmt: skip


def gateway(head: bool) -> str:
    threats = [
        _threat("G2", "Tampering", "Request tampering", *((4, 4) if head else (2, 3)), "Open"),
        _threat("G3", "Denial of Service", "No rate limit on login", 3, 3, "Open"),
    ]
    if head:
        threats.insert(0, _threat("G1", "Spoofing", "Forged payment webhooks", 4, 5, "Open",
                                  owner="Payments Team"))  # fmt: skip
    return worksheet("API Gateway", "Platform Team", threats)


def app_service(head: bool) -> str:
    return worksheet("App Service", "Orders Team", [
        _threat("A1", "Repudiation", "No audit log for refunds", 3, 5, "Open" if head else "Mitigated"),
        _threat("A2", "Information Disclosure", "Stack traces in error pages", 2, 2, "Open"),
        _threat("A3", "Elevation of Privilege", "Admin API reachable from the DMZ", 4, 4, "Open"),
    ])  # fmt: skip


def auth_service(head: bool) -> str:
    return worksheet("Auth Service", "Identity Team", [
        _threat("S1", "Spoofing", "Token forgery with a weak signing key", 3, 5,
                "Mitigated" if head else "Open"),
        _threat("S2", "Information Disclosure", "Session ids in access logs", 2, 4, "In Progress"),
    ])  # fmt: skip


def _box(id: str, name: str, x: int, width: int) -> dict[str, Any]:
    return {"id": id, "shape": "trust-boundary-box", "position": {"x": x, "y": 0},
            "size": {"width": width, "height": 400},
            "data": {"type": "tm.BoundaryBox", "name": name}}  # fmt: skip


def _shape(id: str, kind: str, name: str, x: int, y: int, threats: list[Any] | None = None
           ) -> dict[str, Any]:  # fmt: skip
    return {"id": id, "shape": kind.removeprefix("tm.").lower(), "position": {"x": x, "y": y},
            "size": {"width": 120, "height": 60},
            "data": {"type": kind, "name": name, "threats": threats or []}}  # fmt: skip


def _flow(id: str, name: str, source: str, target: str) -> dict[str, Any]:
    return {"id": id, "shape": "flow", "source": {"cell": source}, "target": {"cell": target},
            "data": {"type": "tm.Flow", "name": name, "threats": []}}  # fmt: skip


def data_flow(head: bool) -> str:
    injection = {"title": "SQL injection in order search", "type": "Tampering",
                 "severity": "High", "status": "Open", "mitigation": "Parameterized queries"}  # fmt: skip
    cells = [
        _box("internet", "Internet", 0, 260),
        _box("dmz", "DMZ", 300, 260),
        _box("internal", "Internal", 600, 400),
        _box("data", "Data", 1040, 260),
        _shape("browser", "tm.Actor", "Browser User", 60, 80),
        _shape("gateway", "tm.Process", "API Gateway", 360, 80),
        _shape("auth", "tm.Process", "Auth Service", 360, 260),
        _shape("app", "tm.Process", "App Service", 660, 80),
        _shape("queue", "tm.Store", "Message Queue", 660, 260),
        _shape("worker", "tm.Process", "Worker Service", 860, 260),
        _shape("postgres", "tm.Store", "Postgres DB", 1100, 80, [injection]),
        _flow("f1", "HTTPS requests", "browser", "gateway"),
        _flow("f2", "Token check", "gateway", "auth"),
        _flow("f3", "Order API", "gateway", "app"),
        _flow("f4", "Order writes", "app", "postgres"),
        _flow("f5", "Job enqueue", "app", "queue"),
        _flow("f6", "Job dequeue", "queue", "worker"),
    ]
    if head:
        cells.insert(5, _shape("payments", "tm.Actor", "Payment Provider", 60, 260))
        cells.append(_flow("f7", "Payment webhook", "payments", "gateway"))
    model = {
        "version": "2.3.0",
        "summary": {"title": "Checkout", "owner": "Platform Team"},
        "detail": {"diagrams": [{"title": "Checkout", "diagramType": "STRIDE", "cells": cells}]},
    }
    return json.dumps(model, indent=2) + "\n"


def _write_tree(root: Path, head: bool) -> None:
    files = {
        ".tmcheck.yaml": "include: ['threat-model/**']\ngate: new\n",
        "threat-model/api-gateway.yaml": gateway(head),
        "threat-model/app-service.yaml": app_service(head),
        "threat-model/auth-service.yaml": auth_service(head),
        "threat-model/checkout-dataflow.json": data_flow(head),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def make_pull_request(root: Path) -> tuple[str, str]:
    """Build the repository in `root` (an empty directory); return the (base, head) commits."""
    _git(root, "init", "-q", "-b", "main")
    _write_tree(root, head=False)
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "Checkout threat model")
    base = _git(root, "rev-parse", "HEAD")
    _git(root, "checkout", "-q", "-b", "payment-webhooks")
    _write_tree(root, head=True)
    _git(root, "commit", "-qam", "Accept payment webhooks", date="2025-03-02T10:00:00Z")
    return base, _git(root, "rev-parse", "HEAD")
