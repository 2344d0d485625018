"""`sarif`: SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).

File names come from the pull request: they are percent-encoded into the artifact URIs (a
space, `#`, `%` or a newline would otherwise change what the URI names), and every text goes
through `json.dumps`, which escapes what JSON cannot carry raw.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from tmcheck import __version__
from tmcheck.findings import Finding, RunResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/tmcheck/tmcheck"


def render(result: RunResult) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"


def to_dict(result: RunResult) -> dict[str, Any]:
    rules = _rules()
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    return {
        "version": "2.1.0",
        "$schema": SCHEMA,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tmcheck",
                        "informationUri": INFORMATION_URI,
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": [_result(finding, index) for finding in result.findings],
            }
        ],
    }


def _rules() -> list[dict[str, Any]]:
    from tmcheck.rules import summaries

    return [
        {
            "id": rule_id,
            "name": "".join(word.capitalize() for word in rule_id.split("-")),
            "shortDescription": {"text": text},
            "helpUri": f"{INFORMATION_URI}#rules",
            "defaultConfiguration": {"level": level},
        }
        for rule_id, level, text in summaries()
    ]


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    identity = "\0".join((finding.rule, finding.path, finding.threat_id or finding.message))
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": finding.level,
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(finding.path), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                }
            }
        ],
        "partialFingerprints": {
            "tmcheck/v1": hashlib.sha256(identity.encode("utf-8", "replace")).hexdigest()
        },
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    return result
