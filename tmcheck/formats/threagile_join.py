"""A Threagile model and its `risks.json` in one run: one picture.

`risks.json` lists every risk but knows nothing of who tracks it; the model's `risk_tracking`
says the status, the approver and the ticket, and its assets name the owners. When both are
checked together, each risk takes its tracking and owner from the model; the model's own
individual risks, which `risks.json` lists too, are counted once (from `risks.json`); and a
tracking entry that matches no risk is an `unresolved-reference` error, as it is in Threagile.
A `risks.json` belongs to the nearest model above it (its folder or a parent), or to the only
model of the run. A committed `risks.json` older in git history than its model is stale.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Sequence
from pathlib import Path

from tmcheck.config import Settings
from tmcheck.file_checks import file_finding
from tmcheck.findings import Finding
from tmcheck.formats import threagile, threagile_risks
from tmcheck.formats.threagile_rating import tracking_for
from tmcheck.git import Git, GitError
from tmcheck.normalize import normalize
from tmcheck.results import FileResult
from tmcheck.rules import rule_finding, unresolved_reference
from tmcheck.rules.context import Problem


def model_of(risks: FileResult, models: Sequence[FileResult]) -> FileResult | None:
    """The model a `risks.json` was generated from, as far as the paths tell."""
    if len(models) == 1:
        return models[0]
    folder = os.path.dirname(os.path.abspath(risks.path))
    best: tuple[int, FileResult] | None = None
    for model in models:
        top = os.path.dirname(os.path.abspath(model.path))
        inside = folder == top or folder.startswith(top + os.sep)
        if inside and (best is None or len(top) > best[0]):
            best = (len(top), model)
    return best[1] if best else None


def pairs(files: Sequence[FileResult]) -> list[tuple[FileResult, FileResult]]:
    """(risks.json, its model) for every `risks.json` of the run that has a model in it."""
    models = [f for f in files if f.format == threagile.FORMAT and f.tool_data is not None]
    found = []
    for file in files:
        if file.format == threagile_risks.FORMAT and file.tool_data is not None:
            model = model_of(file, models)
            if model is not None:
                found.append((file, model))
    return found


def join_threagile(files: Sequence[FileResult], settings: Settings) -> tuple[FileResult, ...]:
    """`files` with each `risks.json` joined to its model (see the module's docstring)."""
    joined = {id(risks): model for risks, model in pairs(files)}
    if not joined:
        return tuple(files)
    rebuilt: dict[int, FileResult] = {}
    listed: dict[int, set[str]] = {}  # model -> the risk ids its risks.json files list
    for file in files:
        model = joined.get(id(file))
        if model is not None:
            risks = _with_tracking(file, model.tool_data, settings)
            rebuilt[id(file)] = risks
            listed.setdefault(id(model), set()).update(t.id for t in risks.threats if t.id)
    for file in files:
        if id(file) in listed:
            rebuilt[id(file)] = _without(file, listed[id(file)])
    return tuple(rebuilt.get(id(file), file) for file in files)


def _with_tracking(
    risks: FileResult, tracking: threagile.Tracking, settings: Settings
) -> FileResult:
    """The risks of a `risks.json` again, completed by its model's tracking and owners."""
    entries = threagile_risks.entries(risks.tool_data, risks.path, tracking)
    return dataclasses.replace(risks, threats=tuple(normalize(e, settings) for e in entries))


def _without(model: FileResult, listed: set[str]) -> FileResult:
    """The model without the individual risks its `risks.json` lists (counted there), and
    with an error for each tracking entry that matches no listed risk."""
    kept = tuple(threat for threat in model.threats if threat.id not in listed)
    orphans = _orphans(model.tool_data, listed)
    return dataclasses.replace(model, threats=kept, findings=(*model.findings, *orphans))


def _orphans(tracking: threagile.Tracking, ids: set[str]) -> list[Finding]:
    """Tracking entries that match no risk of `risks.json` (Threagile refuses them too)."""
    found = []
    for key, (path, line, column) in tracking.tracking_at.items():
        single = {key: tracking.tracking[key]}
        if key in ids or ("*" in key and any(tracking_for(i, single) for i in ids)):
            continue
        message = (
            f"risk_tracking entry {key} matches no risk of risks.json (Threagile stops on it"
            " unless run with --ignore-orphaned-risk-tracking)"
        )
        problem = Problem(path, line, column, message, threat_id=key)
        found.append(rule_finding(unresolved_reference.ID, problem))
    return found


def stale_risks(files: Sequence[FileResult], repository: Git | GitError | None) -> list[Finding]:
    """A `stale-output` warning for each committed `risks.json` whose last commit is older than
    the last commit of its model: the model changed since Threagile last ran on it."""
    found = pairs(files)
    if not found:
        return []
    if repository is None:
        try:
            repository = Git.find(Path.cwd())
        except GitError:
            return []
    if isinstance(repository, GitError):
        return []
    findings = []
    for risks, model in found:
        try:
            risks_time = _committed(repository, risks.path)
            model_time = _committed(repository, model.path)
        except GitError:
            continue
        if risks_time is None or model_time is None or risks_time >= model_time:
            continue
        findings.append(
            file_finding(
                risks.path, "stale-output",
                f"risks.json was last committed before its model {model.path} changed"
                f" ({_day(risks_time)} < {_day(model_time)}): run Threagile on the model again"
                " (in CI, before tmcheck) so that its risks are today's",
            )
        )  # fmt: skip
    return findings


def _committed(repository: Git, path: str) -> int | None:
    relative = repository.relative(path)
    if relative is None:
        return None
    output = repository.run("log", "-1", "--format=%ct", "--", relative).decode().strip()
    return int(output) if output.isdigit() else None


def _day(timestamp: int) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).date().isoformat()
