"""`architecture`: a data-flow diagram as data: trust boundaries, components and flows.

Every boundary, component and flow becomes an `Element`. Names are kept as written; whether
flows name existing components and names are unique is for the rules (`undefined-element`,
`duplicate-element`), so a broken file still yields every element it can.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tmcheck.formats.fields import boundaries, items, name_of, text
from tmcheck.formats.parsed import Parsed
from tmcheck.model import COMPONENT_KINDS, Element, name_key
from tmcheck.parsing.tree import Document

FORMAT = "architecture"


def matches(data: Mapping[str, Any]) -> bool:
    """A list of components, with flows or trust boundaries beside it."""
    return isinstance(data.get("components"), list) and (
        "flows" in data or "trust_boundaries" in data
    )


def read(document: Document, path: str) -> Parsed:
    data = document.data
    elements = boundaries(
        document, path, data.get("trust_boundaries"), ("trust_boundaries",), name_of
    )

    boundary_of: dict[str, str | None] = {}
    for _, item, (line, column), positions in items(
        document, data.get("components"), ("components",)
    ):
        name, kind = text(item.get("name")), text(item.get("type"))
        if not name or kind not in COMPONENT_KINDS:
            continue  # the schema reports it
        boundary = text(item.get("boundary"))
        boundary_of.setdefault(name_key(name), boundary)
        elements.append(
            Element(
                name, kind, path, line, column,
                boundary=boundary,
                owner=text(item.get("owner")),
                out_of_scope=item.get("out_of_scope") is True,
                positions=positions,
            )
        )  # fmt: skip

    for _, item, (line, column), positions in items(document, data.get("flows"), ("flows",)):
        source, target = text(item.get("from")), text(item.get("to"))
        if not source or not target:
            continue
        crosses = item.get("crosses_boundary")
        if not isinstance(crosses, bool):
            crosses = _crosses(boundary_of.get(name_key(source)), boundary_of.get(name_key(target)))
        elements.append(
            Element(
                text(item.get("name")) or f"{source} -> {target}", "flow", path, line, column,
                source=source,
                target=target,
                crosses_boundary=crosses,
                protocol=text(item.get("protocol")),
                owner=text(item.get("owner")),
                out_of_scope=item.get("out_of_scope") is True,
                positions=positions,
            )
        )  # fmt: skip
    return Parsed(elements=tuple(elements))


def _crosses(source_boundary: str | None, target_boundary: str | None) -> bool:
    """A flow whose `crosses_boundary` is not written crosses when its ends sit in different
    trust boundaries (an end with no boundary counts as outside all of them)."""
    if source_boundary is None and target_boundary is None:
        return False
    return name_key(source_boundary or "") != name_key(target_boundary or "")
