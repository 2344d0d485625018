"""The data-flow diagram of the checked architecture, as Mermaid source (GitHub draws it).

Pure: elements and threats in, text out. Trust boundaries are subgraphs (nested when a boundary
names the boundary it sits in; a boundary that holds nothing is left out), components are nodes
shaped by kind (process: rounded, data store: cylinder, external entity: box), flows are edges.
Every node says how many open threats name it (as their component, or by id from the diagram)
and the highest level among them, and is coloured by that level; what the change touched (an
element new or redrawn since the base, or named by a changed threat) has a thick dashed border
and the word "changed". A flow whose end is no element gets a dashed node for that end.

Node ids are generated (`n1`, `b1`); names only ever appear inside quoted labels, through
`escape.for_mermaid_label`, so no name can become syntax, a link, a click or a style.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tmcheck.escape import for_mermaid_label
from tmcheck.model import COMPONENT_KINDS, RISK_RANK, Element, Threat, name_key

_SHAPES = {"process": ('("', '")'), "datastore": ('[("', '")]'), "external_entity": ('["', '"]')}
# GitHub's light theme: a pale fill and a strong border per level; black text stays readable.
_CLASSES = {
    "critical": "fill:#ffebe9,stroke:#cf222e,color:#1f2328",
    "high": "fill:#fff1e5,stroke:#bc4c00,color:#1f2328",
    "medium": "fill:#fff8c5,stroke:#9a6700,color:#1f2328",
    "low": "fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
    "info": "fill:#ddf4ff,stroke:#0969da,color:#1f2328",
    "unrated": "fill:#f6f8fa,stroke:#59636e,color:#1f2328",
    "missing": "fill:#ffffff,stroke:#8c959f,stroke-dasharray:4 4,color:#59636e",
    "touched": "stroke-width:4px,stroke-dasharray:8 4",
}
_TOUCHED_LINK = "stroke:#8250df,stroke-width:3px"


@dataclass(frozen=True, slots=True)
class Diagram:
    text: str  # Mermaid source, without the ``` fence
    nodes: int
    edges: int


@dataclass
class _Node:
    id: str
    name: str
    kind: str  # a component kind, or "missing" for the end of a flow that is no element
    boundary: str | None = None  # name key of its trust boundary
    threat_ids: set[str] = field(default_factory=set)
    touched: bool = False
    threats: list[Threat] = field(default_factory=list)  # the open threats naming it


def data_flow_diagram(
    elements: Sequence[Element],
    threats: Sequence[Threat],
    changed_threats: Iterable[Threat] = (),
    changed_elements: Iterable[Element] = (),
) -> Diagram | None:
    """The diagram, or None when the elements have no component and no flow to draw."""
    changed_keys = {name_key(e.name) for e in changed_elements}
    changed_list = list(changed_threats)
    touched_names = {name_key(t.entry.component) for t in changed_list if t.entry.component}
    touched_ids = {t.id for t in changed_list if t.id}
    open_threats = [t for t in threats if t.open]

    nodes: dict[str, _Node] = {}
    for element in elements:
        if element.kind in COMPONENT_KINDS:
            key = name_key(element.name)
            node = nodes.setdefault(
                key, _Node(f"n{len(nodes) + 1}", element.name, element.kind, _key(element.boundary))
            )
            node.threat_ids.update(element.threat_ids)
            node.touched |= key in changed_keys
    flows = [e for e in elements if e.kind == "flow" and e.source and e.target]
    for flow in flows:
        for end in (flow.source or "", flow.target or ""):
            if name_key(end) not in nodes:
                nodes[name_key(end)] = _Node(f"n{len(nodes) + 1}", end, "missing")
    if not nodes:
        return None
    for key, node in nodes.items():
        node.touched |= key in touched_names or bool(node.threat_ids & touched_ids)
        if node.kind != "missing":
            node.threats = _threats_of(node.name, node.threat_ids, open_threats)

    lines = ["flowchart LR", *_boundaries(elements, nodes)]
    touched_links = []
    for index, flow in enumerate(flows):
        source, target = nodes[name_key(flow.source or "")], nodes[name_key(flow.target or "")]
        key = name_key(flow.name)
        touched = (
            key in changed_keys or key in touched_names or bool(set(flow.threat_ids) & touched_ids)
        )
        found = _threats_of(flow.name, set(flow.threat_ids), open_threats)
        label = _label(flow.name, found, touched, quiet=True, protocol=flow.protocol)
        lines.append(f'  {source.id} -->|"{label}"| {target.id}')
        if touched:
            touched_links.append(str(index))
    lines += _styles(nodes, touched_links)
    return Diagram("\n".join(lines) + "\n", len(nodes), len(flows))


def _boundaries(elements: Sequence[Element], nodes: Mapping[str, _Node]) -> list[str]:
    """Trust boundaries as nested subgraphs holding their nodes, then the nodes outside all."""
    titles: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    for element in elements:
        if element.kind == "boundary":
            titles.setdefault(name_key(element.name), element.name)
            parents.setdefault(name_key(element.name), _key(element.boundary))
    for element in elements:  # a boundary a component names but nobody declares: drawn too
        if element.kind in COMPONENT_KINDS and element.boundary:
            titles.setdefault(name_key(element.boundary), element.boundary)
            parents.setdefault(name_key(element.boundary), None)
    for key in parents:  # a parent that is no boundary, or a loop of parents: at the top
        seen, parent = {key}, parents[key]
        while parent is not None and parent in parents and parent not in seen:
            seen.add(parent)
            parent = parents[parent]
        if parent is not None:
            parents[key] = None

    members: dict[str | None, list[_Node]] = {}
    for node in nodes.values():
        members.setdefault(node.boundary, []).append(node)
    children: dict[str | None, list[str]] = {}
    for key in titles:
        children.setdefault(parents[key], []).append(key)
    ids = {key: f"b{index}" for index, key in enumerate(titles, start=1)}

    def holds_something(key: str) -> bool:
        return bool(members.get(key)) or any(holds_something(c) for c in children.get(key, []))

    def draw(key: str | None, depth: int) -> list[str]:
        indent = "  " * depth
        lines = []
        for child in children.get(key, []):
            if holds_something(child):
                lines.append(f'{indent}subgraph {ids[child]}["{for_mermaid_label(titles[child])}"]')
                lines += draw(child, depth + 1)
                lines.append(f"{indent}end")
        return lines + [f"{indent}{_declaration(node)}" for node in members.get(key, [])]

    return draw(None, 1)


def _declaration(node: _Node) -> str:
    if node.kind == "missing":
        return f'{node.id}["{for_mermaid_label(node.name)}<br/>not in the diagram"]'
    opening, closing = _SHAPES[node.kind]
    return f"{node.id}{opening}{_label(node.name, node.threats, node.touched)}{closing}"


def _label(
    name: str,
    threats: Sequence[Threat],
    touched: bool,
    quiet: bool = False,
    protocol: str | None = None,
) -> str:
    """`name<br/>2 open · high<br/>changed`: what came from a file escaped, the rest our own
    words; a flow's label (`quiet`) has its protocol and leaves out "no open threats"."""
    parts = [for_mermaid_label(name)]
    if protocol:
        parts.append(for_mermaid_label(protocol))
    if threats:
        parts.append(f"{len(threats)} open #183; {_highest(threats)}")
    elif not quiet:
        parts.append("no open threats")
    if touched:
        parts.append("changed")
    return "<br/>".join(parts)


def _threats_of(name: str, ids: set[str], threats: Sequence[Threat]) -> list[Threat]:
    """The threats that name the element as their component, or that it names by id."""
    key = name_key(name)
    return [
        t
        for t in threats
        if (t.entry.component and name_key(t.entry.component) == key) or t.id in ids
    ]


def _highest(threats: Sequence[Threat]) -> str:
    rated = [t.risk_level for t in threats if t.risk_level]
    return max(rated, key=lambda level: RISK_RANK[level]) if rated else "unrated"


def _styles(nodes: Mapping[str, _Node], touched_links: Sequence[str]) -> list[str]:
    by_class: dict[str, list[str]] = {}
    for node in nodes.values():
        if node.kind == "missing":
            by_class.setdefault("missing", []).append(node.id)
        elif node.threats:
            by_class.setdefault(_highest(node.threats), []).append(node.id)
        if node.touched:
            by_class.setdefault("touched", []).append(node.id)
    used = [name for name in _CLASSES if name in by_class]
    lines = [f"  classDef {name} {_CLASSES[name]}" for name in used]
    lines += [f"  class {','.join(by_class[name])} {name}" for name in used]
    if touched_links:
        lines.append(f"  linkStyle {','.join(touched_links)} {_TOUCHED_LINK}")
    return lines


def _key(name: str | None) -> str | None:
    return name_key(name) if name else None
