"""`threatcl`: the JSON that `threatcl export -format=json` writes (not the HCL itself).

The export is a list of threat models; each threat is one threat with the id `model/threat`
(threat names are unique per model only). Its `risk {}` block rates it in tmcheck's own words
(`very_low` .. `very_high`), its `stride` list gives its categories, and its status comes from
its controls, threatcl having no threat status: every control implemented is mitigated, some is
partially mitigated, none (or no control) is open. Elements come from the version 2 data-flow
diagrams. HCL's own JSON syntax (`{"spec_version", "threatmodel": {name: {...}}}`) is read too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from tmcheck.formats import TOOL_FILE_MAX_BYTES
from tmcheck.formats.fields import mapping, text, texts
from tmcheck.formats.parsed import Parsed
from tmcheck.model import Element, ThreatEntry
from tmcheck.parsing.tree import Document

FORMAT = "threatcl"
READS_LISTS = True  # the export is a list of threat models
MAX_BYTES = TOOL_FILE_MAX_BYTES
SCHEMA = None  # a tool's output with no published schema
# threatcl has no threat status: the reader derives one from the controls and says so.
STATUS_WORDS: Mapping[str, str] = {
    "derived: mitigated": "mitigated",
    "derived: partially mitigated": "partially_mitigated",
    "derived: open": "open",
}

RISK_WORDS: Mapping[str, int] = {
    "very_low": 1,
    "low": 2,
    "medium": 3,
    "high": 4,
    "very_high": 5,
}
_NODE_KINDS = (
    ("process", "process"),
    ("externalElement", "external_entity"),
    ("dataStore", "datastore"),
    # HCL's JSON syntax keeps the block names
    ("external_element", "external_entity"),
    ("data_store", "datastore"),
)

Path = tuple[str | int, ...]


def matches(data: Any) -> bool:
    if isinstance(data, list):
        return bool(data) and all(_is_export_model(item) for item in data)
    return (
        isinstance(data, dict)
        and "spec_version" in data
        and isinstance(data.get("threatmodel"), dict)
    )


def _is_export_model(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("name"), str)
        and "author" in item
        and isinstance(item.get("threat", []), list)
    )


def read(document: Document, path: str) -> Parsed:
    entries: list[ThreatEntry] = []
    elements: list[Element] = []
    for model_name, model, model_path in _models(document.root):
        for threat_name, threat, threat_path in _named(
            model.get("threat"), (*model_path, "threat")
        ):
            line, column = document.locate(threat_path)
            entries.append(
                _entry(document, path, model_name, threat_name, threat, threat_path, line, column)
            )
        diagrams = model.get("dataFlowDiagram", model.get("data_flow_diagram_v2"))
        key = "dataFlowDiagram" if "dataFlowDiagram" in model else "data_flow_diagram_v2"
        for _, diagram, diagram_path in _named(diagrams, (*model_path, key)):
            elements.extend(_diagram(document, path, diagram, diagram_path))
    return Parsed(entries=tuple(entries), elements=tuple(elements))


def controls_status(implemented: list[bool]) -> str:
    """Every control implemented: mitigated; some: partially mitigated; none: open (a word of
    `STATUS_WORDS`, which says the status was derived)."""
    if implemented and all(implemented):
        return "derived: mitigated"
    return "derived: partially mitigated" if any(implemented) else "derived: open"


def _entry(
    document: Document,
    path: str,
    model_name: str,
    threat_name: str,
    threat: Mapping[str, Any],
    threat_path: Path,
    line: int,
    column: int,
) -> ThreatEntry:
    risk = mapping(threat.get("risk"))
    controls = [
        (name, control)
        for key in ("expandedControl", "control", "expanded_control")
        for name, control, _ in _named(threat.get(key), ())
    ]
    implemented = [control.get("implemented") is True for _, control in controls]
    status = controls_status(implemented)
    done = sum(implemented)
    why = (
        f"derived from controls: {done} of {len(controls)} implemented"
        if controls
        else ("derived: no control")
    )
    named = [
        f"{name} [{'implemented' if control.get('implemented') is True else 'not implemented'}]"
        for name, control in controls
    ]
    marks = document.source.marks_of(threat) or {}
    risk_marks = document.source.marks_of(risk) or {}
    return ThreatEntry(
        path=path,
        line=line,
        column=column,
        format=FORMAT,
        id_scope="file",
        id=f"{model_name}/{threat_name}",
        title=" ".join(threat_name.split()),
        categories=texts(threat.get("stride")),
        likelihood=_risk_word(risk.get("likelihood")),
        impact=_risk_word(risk.get("impact")),
        severity=text(risk.get("severity")) if not risk.get("likelihood") else None,
        status=status,
        mitigation=f"{'; '.join(named)} (status {why})" if named else f"(status {why})",
        positions={
            **{key: marks[key] for key in ("name",) if key in marks},
            **{key: risk_marks[key] for key in ("likelihood", "impact") if key in risk_marks},
        },
    )


def _risk_word(value: Any) -> Any:
    return RISK_WORDS.get(value, value) if isinstance(value, str) else value


def _diagram(
    document: Document, path: str, diagram: Mapping[str, Any], diagram_path: Path
) -> Iterator[Element]:
    zone_of: dict[str, str | None] = {}
    nodes: list[tuple[str, str, str | None, Path]] = []
    for key, kind in _NODE_KINDS:
        for name, node, node_path in _named(diagram.get(key), (*diagram_path, key)):
            zone = text(node.get("trustZone")) or text(node.get("trust_zone"))
            nodes.append((name, kind, zone, node_path))
    for zone_key in ("trustZone", "trust_zone"):
        for zone_name, block, zone_path in _named(diagram.get(zone_key), (*diagram_path, zone_key)):
            line, column = document.locate(zone_path)
            yield Element(zone_name, "boundary", path, line, column)
            for key, kind in _NODE_KINDS:
                for name, _, node_path in _named(block.get(key), (*zone_path, key)):
                    nodes.append((name, kind, zone_name, node_path))
    for name, kind, zone, node_path in nodes:
        zone_of.setdefault(name, zone)
        line, column = document.locate(node_path)
        yield Element(name, kind, path, line, column, boundary=zone)
    for name, flow, flow_path in _named(diagram.get("flow"), (*diagram_path, "flow")):
        source, target = text(flow.get("from")), text(flow.get("to"))
        line, column = document.locate(flow_path)
        yield Element(
            name,
            "flow",
            path,
            line,
            column,
            source=source,
            target=target,
            crosses_boundary=zone_of.get(source or "") != zone_of.get(target or ""),
            protocol=text(flow.get("protocol")) or None,
        )


def _models(data: Any) -> Iterator[tuple[str, Mapping[str, Any], Path]]:
    if isinstance(data, list):
        yield from _named(data, ())
    elif isinstance(data, dict):
        yield from _named(data.get("threatmodel"), ("threatmodel",))


def _named(value: Any, path: Path) -> Iterator[tuple[str, Mapping[str, Any], Path]]:
    """The blocks of one kind, each with its name: the export writes a list of objects with a
    `name`; HCL's JSON syntax, a mapping of name to body (or a list of such mappings)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            name = text(item.get("name"))
            if name is not None:
                yield name, item, (*path, index)
            else:
                for label, body in item.items():
                    if isinstance(body, dict):
                        yield label, body, (*path, index, label)
    elif isinstance(value, dict):
        for label, body in value.items():
            if isinstance(body, dict):
                yield label, body, (*path, label)
