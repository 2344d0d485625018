"""What Threagile's words mean on tmcheck's scales, shared by its model and its `risks.json`.

Threagile rates a risk's exploitation likelihood and impact on four steps each. Each step is
mapped onto the tmcheck step of the same meaning (its impact words are tmcheck's own: Low 2,
Medium 3, High 4, Very High 5), so that likelihood x impact and tmcheck's bands apply:

| likelihood \\ impact | low (2) | medium (3) | high (4) | very-high (5) |
|---|---|---|---|---|
| unlikely (2) | 4 low | 6 medium | 8 medium | 10 medium |
| likely (3) | 6 medium | 9 medium | 12 high | 15 high |
| very-likely (4) | 8 medium | 12 high | 16 high | 20 critical |
| frequent (5) | 10 medium | 15 high | 20 critical | 25 critical |

The STRIDE category of a built-in risk category is the one its rule declares (Threagile's
`pkg/risks/builtin/*_rule.go` at 74e323e, 42 categories; none is Repudiation).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

LIKELIHOOD: Mapping[str, int] = {"unlikely": 2, "likely": 3, "very-likely": 4, "frequent": 5}
IMPACT: Mapping[str, int] = {"low": 2, "medium": 3, "high": 4, "very-high": 5}

# `risk_tracking` statuses (Threagile's `ParseRiskStatus`); a risk with none is unchecked.
STATUS_WORDS: Mapping[str, str] = {
    "unchecked": "open",
    "in-discussion": "open",
    "in-progress": "in_progress",
    "accepted": "accepted",
    "mitigated": "mitigated",
    "false-positive": "false_positive",
}
# Threagile's severity words, should a level be read from one (risks are rated by likelihood x
# impact, which always comes first).
LEVEL_WORDS: Mapping[str, str | None] = {"elevated": "medium"}

# Threagile's STRIDE words (individual categories) -> tmcheck's names.
STRIDE_WORDS: Mapping[str, str] = {
    "spoofing": "Spoofing",
    "tampering": "Tampering",
    "repudiation": "Repudiation",
    "information-disclosure": "Information Disclosure",
    "denial-of-service": "Denial of Service",
    "elevation-of-privilege": "Elevation of Privilege",
}

_S, _T, _I, _D, _E = (
    "Spoofing", "Tampering", "Information Disclosure", "Denial of Service",
    "Elevation of Privilege",
)  # fmt: skip
BUILT_IN_CATEGORIES: Mapping[str, str] = {
    "accidental-secret-leak": _I, "code-backdooring": _T, "container-baseimage-backdooring": _T,
    "container-platform-escape": _E, "cross-site-request-forgery": _S,
    "cross-site-scripting": _T, "dos-risky-access-across-trust-boundary": _D,
    "incomplete-model": _I, "ldap-injection": _T, "missing-authentication-second-factor": _E,
    "missing-authentication": _E, "missing-build-infrastructure": _T,
    "missing-cloud-hardening": _T, "missing-file-validation": _S, "missing-hardening": _T,
    "missing-identity-propagation": _E, "missing-identity-provider-isolation": _E,
    "missing-identity-store": _S, "missing-network-segmentation": _E,
    "missing-vault-isolation": _E, "missing-vault": _I, "missing-waf": _T,
    "mixed-targets-on-shared-runtime": _E, "path-traversal": _I,
    "push-instead-of-pull-deployment": _T, "search-query-injection": _T,
    "server-side-request-forgery": _I, "service-registry-poisoning": _S,
    "sql-nosql-injection": _T, "unchecked-deployment": _T, "unencrypted-asset": _I,
    "unencrypted-communication": _I, "unguarded-access-from-internet": _E,
    "unguarded-direct-datastore-access": _E, "unnecessary-communication-link": _E,
    "unnecessary-data-asset": _E, "unnecessary-data-transfer": _E,
    "unnecessary-technical-asset": _E, "untrusted-deserialization": _T,
    "wrong-communication-link-content": _I, "wrong-trust-boundary-content": _E,
    "xml-external-entity": _I,
}  # fmt: skip

_TAG = re.compile(r"<[^<>]{0,200}>")


def plain_title(title: str) -> str:
    """`<b>Missing Hardening</b> risk at <b>API</b>` -> `Missing Hardening risk at API`."""
    return " ".join(_TAG.sub("", title).split())


def tracking_for(risk_id: str, tracking: Mapping[str, object]) -> str | None:
    """The `risk_tracking` key that applies to `risk_id`, as Threagile resolves it: the exact
    id first, then a pattern whose `*` stands for one `@`-separated part."""
    if risk_id in tracking:
        return risk_id
    parts = risk_id.split("@")
    for pattern in tracking:
        if "*" not in pattern:
            continue
        wanted = pattern.split("@")
        if len(wanted) == len(parts) and all(
            _segment_matches(want, part) for want, part in zip(wanted, parts, strict=True)
        ):
            return pattern
    return None


def _segment_matches(pattern: str, text: str) -> bool:
    """`*` is one or more characters of one part (Threagile's `[^@]+`); no regex, so no
    backtracking: each literal piece is found leftmost, which is optimal for a glob."""
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return pattern == text
    first, last = pieces[0], pieces[-1]
    if not text.startswith(first):
        return False
    position = len(first)
    for piece in pieces[1:-1]:
        found = text.find(piece, position + 1)  # the star before it takes one character or more
        if found < 0:
            return False
        position = found + len(piece)
    return len(text) - len(last) >= position + 1 and text.endswith(last)
