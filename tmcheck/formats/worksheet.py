"""`stride-worksheet`: one component and its threats, each rated likelihood x impact."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tmcheck.formats.fields import items, mapping, text, texts, title_of
from tmcheck.formats.parsed import Parsed
from tmcheck.model import ThreatEntry
from tmcheck.parsing.tree import Document

FORMAT = "stride-worksheet"


def matches(data: Mapping[str, Any]) -> bool:
    """A component with threats, or threats written the worksheet way (`category`, no
    `threat`) whose component is missing: the schema then says what is missing."""
    if isinstance(data.get("component"), dict):
        return True
    threats = data.get("threats")
    if not isinstance(threats, list) or not threats:
        return False
    shaped = [item for item in threats if isinstance(item, dict)]
    return bool(shaped) and all("category" in item and "threat" not in item for item in shaped)


def read(document: Document, path: str) -> Parsed:
    component = mapping(document.data.get("component"))
    component_name = text(component.get("name"))
    component_owner = text(component.get("owner"))
    # Every threat's component is the one named at the top of the file.
    component_position = document.locate(("component", "name"))
    entries = []
    threats = document.data.get("threats")
    for _, item, (line, column), positions in items(document, threats, ("threats",)):
        entries.append(
            ThreatEntry(
                path=path,
                line=line,
                column=column,
                format=FORMAT,
                id=text(item.get("id")),
                title=title_of(item, "title", "description", "attack_vector"),
                component=component_name,
                category=text(item.get("category")),
                likelihood=item.get("likelihood"),
                impact=item.get("impact"),
                risk_score=item.get("risk_score"),
                dread=item.get("dread") if isinstance(item.get("dread"), dict) else None,
                status=item.get("status"),
                owner=text(item.get("owner")) or component_owner,
                mitigation="; ".join(texts(item.get("recommended_mitigations"))) or None,
                library=texts(item.get("library")),
                acceptance=mapping(item.get("acceptance")) or None,
                ticket=text(item.get("ticket")),
                identified=item.get("identified"),
                positions={**positions, "component": component_position},
            )
        )
    return Parsed(entries=tuple(entries))
