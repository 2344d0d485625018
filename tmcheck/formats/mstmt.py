"""`mstmt`: Microsoft Threat Modeling Tool models (`.tm7`, the tool's XML).

Threats are the `ThreatInstances`, with the text the tool shows (their `Properties`: `Title`,
`UserThreatDescription`, `InteractionString`, `StateInformation` the justification); the
category is the template's (the `KnowledgeBase` embedded in every model) for the threat's type,
the level its `Priority`, the status its `State`. Ids are the tool's `Id`, unique per file.
Elements come from the drawing surfaces (one per diagram tab): stencils are processes, external
interactors and data stores, connectors are flows, border and line boundaries are trust
boundaries; what sits in a boundary and which flow crosses one is geometry, as in Threat Dragon.
The format's name, ceiling and words are in `mstmt_terms`, which imports no XML reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element as XmlElement

from tmcheck.formats import dragon_geometry as geometry
from tmcheck.formats.mstmt_terms import FORMAT as FORMAT  # every format module names itself
from tmcheck.formats.parsed import Parsed
from tmcheck.model import STRIDE, Element, ThreatEntry
from tmcheck.parsing.safe_xml import XmlDocument
from tmcheck.scoring import word_key

MARKED = ("KeyValueOfstringThreatpc_P0_PhOB", "KeyValueOfguidanyType")
_NAMESPACE = "http://schemas.datacontract.org/2004/07/ThreatModeling.Model"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_NO_GUID = "00000000-0000-0000-0000-000000000000"

# The template's category names that are STRIDE (SDL's template adds "Abuse", which is not).
_STRIDE_WORDS = frozenset({word_key(name) for name in STRIDE} | {"elevation of privileges"})

# The template's representation of a stencil (or, without a template, its XML type).
_KINDS = {
    "Ellipse": "process",
    "StencilEllipse": "process",
    "Rectangle": "external_entity",
    "StencilRectangle": "external_entity",
    "ParallelLines": "datastore",
    "StencilParallelLines": "datastore",
    "Line": "flow",
    "Connector": "flow",
    "BorderBoundary": "box",
    "LineBoundary": "line",
}


def is_model(root: XmlElement) -> bool:
    """A `ThreatModel` root in the tool's namespace (a `.tb7` template is a `KnowledgeBase`)."""
    return root.tag == f"{{{_NAMESPACE}}}ThreatModel"


def read(document: XmlDocument, path: str) -> Parsed:
    root = document.root
    template = _Template.of(_child(root, "KnowledgeBase"))
    owner = _text(_child(_child(root, "MetaInformation"), "Owner")) or None
    drawn = _Drawing(path, document, template)
    for surface in _children(_child(root, "DrawingSurfaceList")):
        drawn.add_surface(surface)
    entries = []
    attached: dict[str, list[str]] = {}
    for pair in _children(_child(root, "ThreatInstances")):
        value = _child(pair, "Value")
        if value is None:
            continue
        entry, ends = _threat(value, document.position(pair), path, template, drawn, owner)
        entries.append(entry)
        for guid in ends:
            if entry.id:
                attached.setdefault(guid, []).append(entry.id)
    return Parsed(entries=tuple(entries), elements=drawn.elements(attached))


def _threat(
    value: XmlElement,
    position: tuple[int, int],
    path: str,
    template: _Template,
    drawn: _Drawing,
    owner: str | None,
) -> tuple[ThreatEntry, list[str]]:
    """The threat entry, and the GUIDs of the elements it is about."""
    fields = {name: _text(_child(value, name)) for name in (
        "Id", "TypeId", "Priority", "State", "StateInformation", "FlowGuid", "SourceGuid",
        "TargetGuid", "Title", "UserThreatCategory",
    )}  # fmt: skip
    properties = _properties(value, template)
    type_id = fields["TypeId"]
    short_title = template.short_titles.get(type_id, "")
    flow = drawn.names.get(fields["FlowGuid"])
    source, target = drawn.names.get(fields["SourceGuid"]), drawn.names.get(fields["TargetGuid"])
    title = properties.get("Title") or fields["Title"] or _fill(short_title, source, target, flow)
    category = template.categories.get(template.threat_categories.get(type_id, ""))
    category = category or properties.get("UserThreatCategory") or fields["UserThreatCategory"]
    justification = properties.get("StateInformation") or fields["StateInformation"]
    mitigations = [
        text
        for label in ("PossibleMitigations", "Mitigation(s)", "Mitigations")
        if (text := properties.get(label))
    ]
    if justification:
        mitigations.append(f"Justification: {justification}")
    entry = ThreatEntry(
        path=path,
        line=position[0],
        column=position[1],
        format=FORMAT,
        id=fields["Id"] or None,
        title=" ".join((title or type_id or "").split()),
        component=flow or properties.get("InteractionString") or None,
        category=category or None,
        methodology="STRIDE" if not category or word_key(category) in _STRIDE_WORDS else "TMT",
        severity=fields["Priority"] or properties.get("Priority") or properties.get("Severity"),
        status=fields["State"] or None,
        owner=owner,
        mitigation="; ".join(" ".join(text.split()) for text in mitigations) or None,
        id_scope="file",
    )
    return entry, _about(short_title, fields)


def _about(short_title: str, fields: Mapping[str, str]) -> list[str]:
    """The elements a threat is about: those its type's title names (`{source.Name}`,
    `{target.Name}`, `{flow.Name}`), else the flow and its target."""
    ends = [
        fields[key]
        for placeholder, key in (
            ("{source.Name}", "SourceGuid"), ("{target.Name}", "TargetGuid"),
            ("{flow.Name}", "FlowGuid"),
        )
        if placeholder in short_title
    ]  # fmt: skip
    return ends or [fields["FlowGuid"], fields["TargetGuid"]]


def _fill(short_title: str, source: str | None, target: str | None, flow: str | None) -> str:
    title = short_title
    for placeholder, name in (
        ("{source.Name}", source), ("{target.Name}", target), ("{flow.Name}", flow),
    ):  # fmt: skip
        title = title.replace(placeholder, name or "?")
    return title


def _properties(value: XmlElement, template: _Template) -> dict[str, str]:
    """A threat's `Properties` by name, custom (GUID) keys by their template label."""
    found: dict[str, str] = {}
    for pair in _children(_child(value, "Properties")):
        key, text = _text(_child(pair, "Key")), _text(_child(pair, "Value"))
        if key and text.strip():
            found.setdefault(template.labels.get(key, key), text)
    return found


@dataclass
class _Template:
    """What a model's embedded template (its `KnowledgeBase`) says about names and kinds."""

    categories: dict[str, str] = field(default_factory=dict)  # category id -> name
    threat_categories: dict[str, str] = field(default_factory=dict)  # type id -> category id
    short_titles: dict[str, str] = field(default_factory=dict)  # type id -> title template
    representations: dict[str, str] = field(default_factory=dict)  # element type -> shape
    labels: dict[str, str] = field(default_factory=dict)  # custom property key -> label

    @classmethod
    def of(cls, knowledge: XmlElement | None) -> _Template:
        template = cls()
        for category in _children(_child(knowledge, "ThreatCategories")):
            template.categories[_text(_child(category, "Id"))] = _text(_child(category, "Name"))
        for kind in _children(_child(knowledge, "ThreatTypes")):
            type_id = _text(_child(kind, "Id"))
            template.threat_categories[type_id] = _text(_child(kind, "Category"))
            template.short_titles[type_id] = _text(_child(kind, "ShortTitle"))
        for group in ("GenericElements", "StandardElements"):
            for kind in _children(_child(knowledge, group)):
                shape = _text(_child(kind, "Representation"))
                if shape and shape != "Inherited":
                    template.representations[_text(_child(kind, "Id"))] = shape
        metadata = _child(_child(knowledge, "ThreatMetaData"), "PropertiesMetaData")
        for datum in _children(metadata):
            name, label = _text(_child(datum, "Name")), _text(_child(datum, "Label"))
            if name and label and name != label and name not in _KNOWN_PROPERTIES:
                template.labels[name] = label
        return template


# The tool's own property names, kept as they are (their labels are for the UI).
_KNOWN_PROPERTIES = frozenset({
    "Title", "UserThreatCategory", "UserThreatShortDescription", "UserThreatDescription",
    "StateInformation", "InteractionString", "Priority", "PossibleMitigations", "SDLPhase",
})  # fmt: skip


@dataclass
class _Shape:
    guid: str
    name: str
    kind: str
    position: tuple[int, int]
    surface: str
    rectangle: geometry.Rectangle | None = None
    path: list[geometry.Point] = field(default_factory=list)  # flows and boundary lines
    source: str = ""
    target: str = ""
    out_of_scope: bool = False


class _Drawing:
    """The shapes of every diagram tab, and the elements they make."""

    def __init__(self, path: str, document: XmlDocument, template: _Template) -> None:
        self.path, self.document, self.template = path, document, template
        self.shapes: list[_Shape] = []
        self.names: dict[str, str] = {}  # GUID -> name, for threats

    def add_surface(self, surface: XmlElement) -> None:
        tab = _text(_child(surface, "Header")) or _text(_child(surface, "Guid"))
        for part in ("Borders", "Lines"):
            for pair in _children(_child(surface, part)):
                shape = self._shape(pair, tab)
                if shape is not None:
                    self.shapes.append(shape)
                    self.names[shape.guid] = shape.name

    def _shape(self, pair: XmlElement, tab: str) -> _Shape | None:
        value = _child(pair, "Value")
        if value is None:
            return None
        generic = _text(_child(value, "GenericTypeId"))
        shape = self.template.representations.get(generic) or self.template.representations.get(
            _text(_child(value, "TypeId"))
        )
        xml_type = value.get(_XSI_TYPE, "").rpartition(":")[2]
        kind = _KINDS.get(shape or "") or _KINDS.get(xml_type)
        if kind is None or generic == "GE.A":  # annotations and unknown shapes
            return None
        guid = _text(_child(value, "Guid")) or _text(_child(pair, "Key"))
        display = _display_properties(value)
        name = " ".join(display.get("Name", "").split()) or f"{kind} {guid[:8]}"
        found = _Shape(guid, name, kind, self.document.position(pair), tab)
        found.out_of_scope = display.get("Out Of Scope", "").lower() == "true"
        left, top, width, height = (
            _number(_child(value, key)) for key in ("Left", "Top", "Width", "Height")
        )
        if left is not None and top is not None and width is not None and height is not None:
            found.rectangle = (left, top, left + width, top + height)
        ends = [
            (_number(_child(value, f"{end}X")), _number(_child(value, f"{end}Y")))
            for end in ("Source", "Handle", "Target")
        ]
        found.path = [(x, y) for x, y in ends if x is not None and y is not None]
        found.source = _text(_child(value, "SourceGuid"))
        found.target = _text(_child(value, "TargetGuid"))
        return found

    def elements(self, attached: Mapping[str, list[str]]) -> tuple[Element, ...]:
        made = []
        for tab in dict.fromkeys(shape.surface for shape in self.shapes):
            shapes = [shape for shape in self.shapes if shape.surface == tab]
            boxes = [(s.name, s.rectangle) for s in shapes if s.kind == "box" and s.rectangle]
            lines = [s.path for s in shapes if s.kind == "line" and len(s.path) >= 2]
            centres = {s.guid: geometry.centre(s.rectangle) for s in shapes if s.rectangle}
            for shape in shapes:
                made.append(self._element(shape, boxes, lines, centres, attached))
        return tuple(made)

    def _element(
        self,
        shape: _Shape,
        boxes: list[tuple[str, geometry.Rectangle]],
        lines: list[list[geometry.Point]],
        centres: Mapping[str, geometry.Point],
        attached: Mapping[str, list[str]],
    ) -> Element:
        kind = "boundary" if shape.kind in ("box", "line") else shape.kind
        boundary = None
        if shape.rectangle and kind != "boundary":
            boundary = geometry.boundary_box_of(geometry.centre(shape.rectangle), boxes)
        crosses = False
        if kind == "flow":
            route = list(shape.path)
            if route and shape.source in centres:
                route[0] = centres[shape.source]
            if route and shape.target in centres:
                route[-1] = centres[shape.target]
            crosses = len(route) >= 2 and (
                geometry.boundary_box_of(route[0], boxes)
                != geometry.boundary_box_of(route[-1], boxes)
                or geometry.crosses(route, lines)
            )
        return Element(
            name=shape.name,
            kind=kind,
            path=self.path,
            line=shape.position[0],
            column=shape.position[1],
            boundary=boundary,
            source=self.names.get(shape.source) if kind == "flow" else None,
            target=self.names.get(shape.target) if kind == "flow" else None,
            crosses_boundary=crosses,
            threat_ids=tuple(dict.fromkeys(attached.get(shape.guid, ()))),
            out_of_scope=shape.out_of_scope,
        )


def _display_properties(value: XmlElement) -> dict[str, str]:
    """A stencil's displayed properties: `Name`, `Out Of Scope` ... -> their values."""
    found: dict[str, str] = {}
    for attribute in _children(_child(value, "Properties")):
        name = _text(_child(attribute, "DisplayName"))
        if name and name not in found:
            found[name] = _text(_child(attribute, "Value"))
    return found


def _number(element: XmlElement | None) -> float | None:
    try:
        value = float(_text(element))
    except ValueError:
        return None
    return value if abs(value) <= geometry.MAX_COORDINATE else None


def _children(element: XmlElement | None) -> Iterable[XmlElement]:
    return () if element is None else element


def _child(element: XmlElement | None, name: str) -> XmlElement | None:
    """The first child named `name` in any namespace (the tool writes several)."""
    return None if element is None else element.find(f"{{*}}{name}")


def _text(element: XmlElement | None) -> str:
    return (element.text or "") if element is not None else ""
