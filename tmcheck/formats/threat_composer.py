"""`threat-composer`: AWS Threat Composer workspaces (`.tc.json`).

One threat per `threats[]` item, named as Threat Composer shows it (`T-0001` from `numericId`,
unique within its file only); the statement is its title, the `STRIDE` metadata letters its
categories, the first of `impactedAssets` its component, the `Priority` metadata its level (Threat
Composer rates no likelihood or impact, so a threat has a level and no score), and the texts of
its linked mitigations its mitigation. Threat Composer draws no elements: its architecture and
data flow are an image and Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tmcheck.file_checks import file_finding
from tmcheck.findings import Finding
from tmcheck.formats import TOOL_FILE_MAX_BYTES
from tmcheck.formats.fields import items, mappings, text, texts
from tmcheck.formats.parsed import Parsed
from tmcheck.model import ThreatEntry
from tmcheck.parsing.tree import Document

FORMAT = "threat-composer"
MAX_BYTES = TOOL_FILE_MAX_BYTES  # diagrams are embedded as base64 images
SCHEMA = "threat-composer"
NOTE_RULE = "status-not-set"
SEVERITY_NAME = "priority"  # the `Priority` metadata: High, Medium, Low

# Threat Composer's `threatStatus.json`; a threat without a status is `threatIdentified`.
STATUS_WORDS: Mapping[str, str] = {
    "threatIdentified": "open",
    "threatResolved": "mitigated",
    "threatResolvedNotUseful": "not_applicable",
}
_RESOLVED_MITIGATIONS = frozenset({"mitigationResolved", "mitigationResolvedWillNotAction"})
_TOP_KEYS = (
    "threats", "mitigations", "assumptions", "mitigationLinks", "assumptionLinks",
    "applicationInfo", "architecture", "dataflow",
)  # fmt: skip


def matches(data: Mapping[str, Any]) -> bool:
    """A number under `schema` beside Threat Composer's own keys (a partial file, such as the
    AI tooling's `threats.tc.json`, has no `applicationInfo`)."""
    version = data.get("schema")
    if isinstance(version, bool) or not isinstance(version, (int, float)):
        return False
    return any(key in data for key in _TOP_KEYS)


def review_schema_findings(findings: list[Finding], document: Document) -> list[Finding]:
    """Threat Composer is moving to schema 1.1, whose JSON Schema is not published: a newer
    file is checked against v1 (what v1 does not know is still reported), without the error
    that its `schema` is above v1's maximum of 1 (`read` notes the version instead)."""
    if not _newer(document.data):
        return findings
    return [f for f in findings if not f.message.startswith("$.schema: ")]


def _newer(data: Mapping[str, Any]) -> bool:
    version = data.get("schema")
    return isinstance(version, (int, float)) and not isinstance(version, bool) and version > 1


def read(document: Document, path: str) -> Parsed:
    data = document.data
    mitigations = _mitigations(data)
    linked: dict[str, list[Mapping[str, Any]]] = {}
    for link in mappings(data.get("mitigationLinks")):
        mitigation = mitigations.get(text(link.get("mitigationId")) or "")
        if mitigation is not None:
            linked.setdefault(text(link.get("linkedId")) or "", []).append(mitigation)
    entries = []
    unset: list[tuple[ThreatEntry, int]] = []  # no status, every linked mitigation resolved
    for _, item, (line, column), marks in items(document, data.get("threats"), ("threats",)):
        uuid = text(item.get("id"))
        own = linked.get(uuid or "", []) if uuid else []
        metadata, metadata_marks = _metadata(document, item)
        positions = {
            "id": marks.get("numericId", (line, column)),
            "title": marks.get("statement", (line, column)),
            "status": marks.get("status", (line, column)),
            "component": marks.get("impactedAssets", (line, column)),
            "category": metadata_marks.get("STRIDE", (line, column)),
            "severity": metadata_marks.get("Priority", (line, column)),
            "mitigation": marks.get("id", (line, column)),
        }
        letters = texts(metadata.get("STRIDE"))
        entry = ThreatEntry(
            path=path,
            line=line,
            column=column,
            format=FORMAT,
            id=_display_id(item.get("numericId")) or uuid,
            title=_title(item),
            component=next(iter(texts(item.get("impactedAssets"))), None),
            categories=letters,
            severity=metadata.get("Priority"),
            status=item.get("status"),
            owner=text(metadata.get("custom:owner")),
            mitigation="; ".join(_mitigation_text(m) for m in own) or None,
            id_scope="file",
            positions=positions,
        )
        entries.append(entry)
        resolved = all(text(m.get("status")) in _RESOLVED_MITIGATIONS for m in own)
        if item.get("status") is None and own and resolved:
            unset.append((entry, len(own)))
    notes = _unset_note(path, unset)
    if _newer(data):
        line, column = document.locate(["schema"])
        notes = (
            file_finding(path, "schema",
                         f"$.schema: {data['schema']} is newer than Threat Composer's published"
                         " schema (1); the file is checked against schema 1",
                         line, column, note=True),
            *notes,
        )  # fmt: skip
    return Parsed(entries=tuple(entries), findings=notes)


def _mitigations(data: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for mitigation in mappings(data.get("mitigations")):
        if text(mitigation.get("id")):
            found[str(mitigation["id"])] = mitigation
    return found


def _metadata(
    document: Document, item: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """The threat's metadata as key -> value, and where each key's entry was written."""
    values: dict[str, Any] = {}
    positions: dict[str, tuple[int, int]] = {}
    path = ("metadata",)
    for _, pair, position, _ in items(document, item.get("metadata"), path):
        key = text(pair.get("key"))
        if key and key not in values:
            values[key] = pair.get("value")
            positions[key] = position
    return values, positions


def _display_id(number: Any) -> str | None:
    """`T-0001`, as Threat Composer's own exports print `numericId` (zero-padded to 4)."""
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return None
    if isinstance(number, float) and not number.is_integer():
        return None
    return f"T-{int(number):04d}" if number >= 0 else None


def _title(item: Mapping[str, Any]) -> str:
    """The statement; without one, the statement Threat Composer would write from the parts."""
    statement = text(item.get("statement"))
    if statement and statement.strip():
        return " ".join(statement.split())
    source, action = text(item.get("threatSource")), text(item.get("threatAction"))
    if not action:
        return ""
    words = [source, text(item.get("prerequisites"))] if source else []
    words.append(("can " if source else "") + action)
    impact = text(item.get("threatImpact"))
    sentence = " ".join(word for word in words if word)
    return " ".join((sentence + (f", which leads to {impact}" if impact else "")).split())


def _mitigation_text(mitigation: Mapping[str, Any]) -> str:
    content = " ".join((text(mitigation.get("content")) or "(no text)").split())
    status = text(mitigation.get("status"))
    return f"{content} [{status}]" if status else content


def _unset_note(path: str, unset: list[tuple[ThreatEntry, int]]) -> tuple[Finding, ...]:
    """One note for the file: threats with no status whose linked mitigations are all resolved
    count as open. Threat Composer has no status for them yet; tmcheck does not guess one."""
    if not unset:
        return ()
    first, _ = unset[0]
    names = ", ".join(entry.id or repr(entry.title[:40]) for entry, _ in unset[:10])
    more = f" and {len(unset) - 10} more" if len(unset) > 10 else ""
    return (
        file_finding(
            path, NOTE_RULE,
            f"{len(unset)} threats have no status although every mitigation linked to them is"
            f" resolved ({names}{more}); they count as open: if they are handled, set their"
            " status to Resolved (threatResolved) in Threat Composer",
            first.line, first.column,
        ),
    )  # fmt: skip
