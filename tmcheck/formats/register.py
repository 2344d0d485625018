"""`threat-register`: threats across components, each with a mitigation and its status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tmcheck.formats.fields import items, mapping, text, texts, title_of
from tmcheck.formats.parsed import Parsed
from tmcheck.model import ThreatEntry
from tmcheck.parsing.tree import Document

FORMAT = "threat-register"


# An entry of a register carries one of these beside its id; a list of threats without them
# (a catalog of threat descriptions) is not a register.
_REGISTER_KEYS = ("threat", "risk", "likelihood", "impact", "dread", "mitigation", "status")


def matches(data: Mapping[str, Any]) -> bool:
    threats = data.get("threats")
    if not isinstance(threats, list):
        return False
    shaped = [item for item in threats[:50] if isinstance(item, dict)]
    return not shaped or any(
        "id" in item and any(key in item for key in _REGISTER_KEYS) for item in shaped
    )


def read(document: Document, path: str) -> Parsed:
    entries = []
    threats = document.data.get("threats")
    for _, item, (line, column), positions in items(document, threats, ("threats",)):
        mitigation = mapping(item.get("mitigation"))
        where = dict(positions)
        status = item.get("status")
        if status is None and "status" in mitigation:
            # The register's status is its mitigation's: `implemented` means mitigated.
            status = mitigation["status"]
            marks = document.source.marks_of(mitigation) or {}
            where["status"] = marks.get("status", where.get("mitigation", (line, column)))
        entries.append(
            ThreatEntry(
                path=path,
                line=line,
                column=column,
                format=FORMAT,
                id=text(item.get("id")),
                title=title_of(item, "title", "description"),
                component=text(item.get("component")),
                category=text(item.get("threat")),
                likelihood=item.get("likelihood"),
                impact=item.get("impact"),
                risk_score=item.get("risk_score"),
                risk=item.get("risk"),
                dread=item.get("dread") if isinstance(item.get("dread"), dict) else None,
                status=status,
                owner=text(item.get("owner")) or text(mitigation.get("owner")),
                mitigation=text(mitigation.get("control")),
                library=texts(item.get("library")),
                acceptance=mapping(item.get("acceptance")) or None,
                positions=where,
            )
        )
    return Parsed(entries=tuple(entries))
