"""`sarif`: SARIF 2.1.0 for GitHub code scanning and any other SARIF reader.

Paths are relative to the top of the git repository (else to the config's directory), with `/`
and percent-encoded as a URI must be. Every rule and file check is listed, whether it fired or
not, so that `ruleIndex` means the same in every run.

Fingerprints: code scanning matches a result across commits by
`partialFingerprints.primaryLocationLineHash` only. When a SARIF file has none, the upload
action hashes the text of the flagged line, so an alert would die and be reborn whenever the
threat's first lines change (a raised likelihood on a one-line threat). tmcheck sets it to a hash
of the threat's identity instead, the same one the base diff uses: rule + threat id (no path: a
threat keeps its alerts when its file moves), or rule + file + title for a threat without an id,
or rule + file + the message with its numbers blanked out for a finding about a file. A counter
(`:1`, `:2`) tells apart results with the same identity. The same value is also given under
`tmcheck/v1`, which names the scheme for other readers. (The upload action notes, for each
result, that the value is not its own line hash, and keeps ours.)
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tmcheck import __version__
from tmcheck.escape import for_sarif
from tmcheck.findings import Finding
from tmcheck.results import RunResult
from tmcheck.wording import plural, shorten

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/tmcheck/tmcheck"
MAX_RESULTS = 25_000  # code scanning rejects a run with more
# SARIF's own result (in no other output, made after `.tmcheck.yaml` levels apply): no check,
# so not in FILE_CHECKS, and its level is here only.
OUTSIDE_RULE = "outside-repository"
OUTSIDE_LEVEL = "warning"
DEFAULT_ANCHOR = ".tmcheck.yaml"  # where a run-level result points when no file was checked
_DESCRIPTION_LIMIT = 1024  # code scanning's limit for short and full descriptions


def render(result: RunResult, *, anchor: str | None = None, category: str | None = None) -> str:
    document = to_sarif(result, anchor=anchor, category=category)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_sarif(
    result: RunResult, *, anchor: str | None = None, category: str | None = None
) -> dict[str, Any]:
    """The SARIF document. Code scanning rejects an upload with a result that has no location,
    so a finding about the whole run (`.`) points at `anchor` (the config file), else at the
    first checked file. A result whose file is outside the repository is left out, and one
    warning says how many were (no URI ever names a file outside). `category` (the check name)
    becomes `automationDetails.id`, so that the uploads of several steps do not replace each
    other."""
    rules = rule_descriptors()
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    for finding in result.findings:
        if finding.rule not in index:  # not registered: still a valid, described result
            index[finding.rule] = len(rules)
            rules.append(_descriptor(finding.rule, finding.level, finding.rule, "", "#rules"))
    root = result.repository_top or _uri_root(result.root)
    fallback = _anchor_uri(anchor, result, root)
    seen: Counter[str] = Counter()
    results = []
    clocks = _threat_properties(result)
    outside = 0
    for finding in result.findings:
        uri: str | None
        if os.path.isdir(finding.path) or not finding.path:
            uri = fallback or DEFAULT_ANCHOR  # about the run, not a file
        else:
            uri = repository_uri(finding.path, root)
        if uri is None:
            outside += 1
            continue
        identity = fingerprint_identity(finding, root)
        seen[identity] += 1
        digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        fingerprint = f"{digest}:{seen[identity]}"
        entry = _result(finding, index[finding.rule], uri, fingerprint)
        properties = clocks.get((finding.path, finding.threat_id)) if finding.threat_id else None
        if properties:
            entry["properties"] = properties
        results.append(entry)
    if outside:
        if OUTSIDE_RULE not in index:
            index[OUTSIDE_RULE] = len(rules)
            rules.append(
                _descriptor(
                    OUTSIDE_RULE, OUTSIDE_LEVEL, "a file outside the repository", "", "#sarif"
                )
            )
        message = (
            f"{plural(outside, 'result')} about files outside the repository"
            " (reached through a link) left out: code scanning shows files of the repository only"
        )
        note = Finding(fallback or ".", 1, 1, OUTSIDE_RULE, OUTSIDE_LEVEL, message)
        results.append(
            _result(note, index[OUTSIDE_RULE], fallback or DEFAULT_ANCHOR, f"outside:{outside}")
        )
    invocation: dict[str, Any] = {"executionSuccessful": result.internal_errors == 0}
    if len(results) > MAX_RESULTS:
        left_out = len(results) - MAX_RESULTS
        results = results[:MAX_RESULTS]
        invocation["toolExecutionNotifications"] = [
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out} more results not shown: code scanning accepts at most"
                    f" {MAX_RESULTS} per run; the text and JSON reports have them all"
                },
            }
        ]
    driver = {
        "name": "tmcheck",
        "semanticVersion": __version__,
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if category:
        run["automationDetails"] = {"id": f"{category}/"}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _threat_properties(result: RunResult) -> dict[tuple[str, str | None], dict[str, Any]]:
    """The treatment and SLA clock of each threat with an id, for the results about it: the
    same facts the JSON report gives (`clock_start`, `due`, ...), in SARIF's property bag."""
    properties: dict[tuple[str, str | None], dict[str, Any]] = {}
    table = result.treatment or {}
    for threat in result.threats:
        if threat.id is None or threat.risk_level is None:
            continue
        bag: dict[str, Any] = {"level": threat.risk_level}
        treatment = table.get(threat.risk_level)
        if treatment is not None:
            bag["treatment"] = {
                "action": treatment.action, "sla": treatment.sla_text,
                "approver": treatment.approver,
            }  # fmt: skip
        clock = threat.clock
        if clock is not None:
            bag["clockStart"] = clock.start.isoformat() if clock.start else None
            bag["clockSource"] = clock.source
            bag["due"] = clock.due.isoformat() if clock.due else None
            bag["overdue"] = clock.overdue
            if clock.unknown:
                bag["clockUnknown"] = clock.unknown
        if threat.entry.ticket:
            bag["ticket"] = threat.entry.ticket
        properties[(threat.entry.path, threat.id)] = bag
    return properties


def rule_descriptors() -> list[dict[str, Any]]:
    """A descriptor for every rule (documented by its docstring) and every file check."""
    from tmcheck.file_checks import FILE_CHECKS
    from tmcheck.rules import RULES

    descriptors = []
    for rule_id, module in RULES.items():
        doc = inspect.getdoc(module) or rule_id
        short = doc.splitlines()[0].split(": ", 1)[-1]
        file = module.__name__.rsplit(".", 1)[-1]
        help_path = f"/blob/main/tmcheck/rules/{file}.py"
        descriptors.append(_descriptor(rule_id, module.LEVEL, short, doc, help_path))
    for check_id, check in FILE_CHECKS.items():
        descriptors.append(_descriptor(check_id, check.level, check.description, "", "#rules"))
    return descriptors


def _descriptor(rule_id: str, level: str, short: str, doc: str, help_path: str) -> dict[str, Any]:
    # the prose before the examples, without the leading `rule-id: `
    prose = re.split(r"\n\s*\n(?=Passes|Fails)", doc.split(": ", 1)[-1])[0] if doc else short
    paragraph = " ".join(prose.split())
    return {
        "id": rule_id,
        "name": "".join(word.capitalize() for word in rule_id.split("-")),
        "shortDescription": {"text": _limit(short)},
        "fullDescription": {"text": _limit(paragraph)},
        "help": {"text": doc or short},
        "helpUri": INFORMATION_URI + help_path,
        "defaultConfiguration": {"level": level if level in ("error", "warning") else "note"},
        "properties": {"tags": ["security", "threat-model"]},
    }


def _limit(text: str) -> str:
    return shorten(text, _DESCRIPTION_LIMIT)


def _result(finding: Finding, rule_index: int, uri: str, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": finding.level if finding.level in ("error", "warning") else "note",
        "message": {"text": for_sarif(finding.message)},
    }
    region = {"startLine": max(1, finding.line), "startColumn": max(1, finding.column)}
    location = {"artifactLocation": {"uri": uri}}
    result["locations"] = [{"physicalLocation": {**location, "region": region}}]
    result["partialFingerprints"] = {
        "primaryLocationLineHash": fingerprint,
        "tmcheck/v1": fingerprint,
    }
    return result


def fingerprint_identity(finding: Finding, root: Path) -> str:
    """What makes a result the same result in another commit (see the module docstring)."""
    if finding.threat_id:
        parts = [finding.rule, "id", finding.threat_id]
    elif finding.threat_title is not None:
        title = " ".join(finding.threat_title.split()).casefold()
        parts = [finding.rule, "title", artifact_uri(finding.path, root), title]
    else:
        message = re.sub(r"\d+", "#", finding.message)  # line numbers and offsets move
        parts = [finding.rule, "file", artifact_uri(finding.path, root), message]
    return "\0".join(parts)


def artifact_uri(path: str, root: Path) -> str:
    """`path` as a URI relative to `root`, or an absolute `file:` URI when outside it."""
    absolute = os.path.abspath(path)
    # resolve the directories (as git reports the top level) but never a final symlink
    real = Path(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
    try:
        relative = real.relative_to(root).as_posix()
    except ValueError:
        return real.as_uri()
    return quote(relative, safe="/", errors="surrogateescape")


def repository_uri(path: str, root: Path) -> str | None:
    """`path` as a URI relative to the repository `root`, or None when the file is outside it.

    The path as written comes first (a file under a symlinked directory keeps its name in the
    repository), then with its directories resolved (as git reports the top level)."""
    absolute = os.path.normpath(os.path.abspath(path))
    for candidate in (
        Path(absolute),
        Path(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute)),
    ):
        try:
            relative = candidate.relative_to(root).as_posix()
        except ValueError:
            continue
        if relative and relative != ".":
            return quote(relative, safe="/", errors="surrogateescape")
    return None


def _anchor_uri(anchor: str | None, result: RunResult, root: Path) -> str | None:
    models = [file.path for file in result.files if file.format is not None]
    for path in (anchor, *models, *(file.path for file in result.files)):
        if path and not os.path.isdir(path):
            uri = repository_uri(path, root)
            if uri is not None:
                return uri
    return None


def _uri_root(root: Path | None) -> Path:
    """The top of the current directory's repository (never one found from the config's
    directory, which a pull request may have made a repository), else the root."""
    from tmcheck.git import Git, GitError

    try:
        return Git.find(Path.cwd()).top
    except GitError:
        return Path(os.path.realpath(root or Path.cwd()))
