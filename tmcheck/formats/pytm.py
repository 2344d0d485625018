"""`pytm`: the JSON that OWASP pytm writes with `python tm.py --json out.json`.

A pytm model is Python code; tmcheck never runs or parses it. pytm computes its findings when the
model runs, so CI runs the model and tmcheck reads the output. A finding is a threat with the id
`threat_id@target` (pytm's own `id` is a counter that shifts as the model changes); its severity
is its level, its `response` its status (empty: open). The model part of the output gives the
elements: actors and external entities, processes, data stores, flows and boundaries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tmcheck.formats import TOOL_FILE_MAX_BYTES
from tmcheck.formats.fields import boundaries, items, mapping, name_of, text, title_of
from tmcheck.formats.parsed import Parsed
from tmcheck.model import Element, ThreatEntry
from tmcheck.parsing.tree import Document

FORMAT = "pytm"
MAX_BYTES = TOOL_FILE_MAX_BYTES
SCHEMA = None  # a tool's output with no published schema

# Element classes (`__class__`); pytm's other element classes are processes.
_KINDS: Mapping[str, str] = {
    "Actor": "external_entity",
    "ExternalEntity": "external_entity",
    "Datastore": "datastore",
}
# Keys that only pytm's output has, beside its `findings`.
_OUTPUT_KEYS = ("threatsFile", "onDuplicates", "mergeResponses", "isOrdered")


def matches(data: Mapping[str, Any]) -> bool:
    """A `findings` list beside pytm's own keys, and its `excluded_findings` (pytm 1.3 and
    later) or its `flows`."""
    return (
        isinstance(data.get("findings"), list)
        and any(key in data for key in _OUTPUT_KEYS)
        and ("excluded_findings" in data or isinstance(data.get("flows"), list))
    )


def read(document: Document, path: str) -> Parsed:
    data = document.data
    entries: list[ThreatEntry] = []
    ids_of: dict[str, list[str]] = {}
    for _, finding, (line, column), positions in items(
        document, data.get("findings"), ("findings",)
    ):
        threat_id, target = text(finding.get("threat_id")), text(finding.get("target"))
        identifier = f"{threat_id}@{target}" if threat_id and target else threat_id or None
        response = text(finding.get("response"))
        entries.append(
            ThreatEntry(
                path=path,
                line=line,
                column=column,
                format=FORMAT,
                id_scope="file",
                id=identifier,
                title=title_of(finding, "description", "details") or (threat_id or ""),
                component=target,
                methodology=FORMAT,
                severity=text(finding.get("severity")) or None,
                status=response or None,  # pytm writes "" until an override sets a response
                mitigation=text(finding.get("mitigations")) or None,
                positions={
                    **positions,
                    "id": positions.get("threat_id", (line, column)),
                    "status": positions.get("response", (line, column)),
                    "component": positions.get("target", (line, column)),
                },
            )
        )
        if identifier and target:
            ids_of.setdefault(target, []).append(identifier)
    return Parsed(entries=tuple(entries), elements=tuple(_elements(document, path, ids_of)))


def _elements(document: Document, path: str, ids_of: Mapping[str, list[str]]) -> list[Element]:
    data = document.data
    elements = boundaries(document, path, data.get("boundaries"), ("boundaries",), name_of)
    boundary_of: dict[str, str | None] = {}
    for _, element, (line, column), positions in items(
        document, data.get("elements"), ("elements",)
    ):
        name = text(element.get("name"))
        if not name:
            continue
        boundary = _boundary(element.get("inBoundary"))
        boundary_of.setdefault(name, boundary)
        elements.append(
            Element(
                name,
                _KINDS.get(text(element.get("__class__")) or "", "process"),
                path,
                line,
                column,
                stride_coverage=False,
                boundary=boundary,
                threat_ids=tuple(ids_of.get(name, ())),
                out_of_scope=element.get("inScope") is False,
                positions={**positions, "boundary": positions.get("inBoundary", (line, column))},
            )
        )
    for _, flow, (line, column), positions in items(document, data.get("flows"), ("flows",)):
        name = text(flow.get("name"))
        source, sink = text(flow.get("source")), text(flow.get("sink"))
        if not name:
            continue
        elements.append(
            Element(
                name,
                "flow",
                path,
                line,
                column,
                stride_coverage=False,
                source=source,
                target=sink,
                crosses_boundary=boundary_of.get(source or "") != boundary_of.get(sink or ""),
                threat_ids=tuple(ids_of.get(name, ())),
                protocol=text(flow.get("protocol")) or None,
                out_of_scope=flow.get("inScope") is False,
                positions={
                    **positions,
                    "from": positions.get("source", (line, column)),
                    "to": positions.get("sink", (line, column)),
                },
            )
        )
    return elements


def _boundary(value: Any) -> str | None:
    """pytm writes a boundary as its name (an object in older versions)."""
    return text(value) or text(mapping(value).get("name"))
