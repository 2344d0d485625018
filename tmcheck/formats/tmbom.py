"""`tm-bom`: OWASP TM-BOM, the threat model schema of the OWASP Threat Model Library.

TM-BOM rates risks, not threats: a risk names its threats and has a likelihood (rare..certain)
and an impact (negligible..severe), tmcheck's 5 x 5, and a declared `score` that
`risk-score-mismatch` checks. So each risk is one rated threat (id: its `symbolic_name`), and a
threat that no risk names is one unrated threat. TM-BOM has no status: it is derived from the
controls linked to the threats (`retired` and `wont_do` ones aside): all active or assumed is
mitigated, some is partially mitigated, none but approved or scheduled ones is in progress,
otherwise open; the status says it was derived and from what.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from tmcheck.formats import TOOL_FILE_MAX_BYTES
from tmcheck.formats.fields import boundaries, items, mapping, mappings, text, texts
from tmcheck.formats.parsed import Parsed
from tmcheck.model import Element, ThreatEntry
from tmcheck.parsing.tree import Document

FORMAT = "tm-bom"
MAX_BYTES = TOOL_FILE_MAX_BYTES
# TM-BOM has no status: the reader derives one from the controls and says so in the word.
STATUS_WORDS: Mapping[str, str] = {
    "derived: mitigated": "mitigated",
    "derived: partially mitigated": "partially_mitigated",
    "derived: in progress": "in_progress",
    "derived: open": "open",
}

LIKELIHOODS: Mapping[str, int] = {
    "rare": 1,
    "unlikely": 2,
    "possible": 3,
    "likely": 4,
    "certain": 5,
}
IMPACTS: Mapping[str, int] = {"negligible": 1, "minor": 2, "moderate": 3, "major": 4, "severe": 5}
_SCHEMA_URL = re.compile(
    r"https://github\.com/OWASP/www-project-threat-model-library/blob/v[0-9]{1,4}\.[0-9]{1,4}"
    r"\.[0-9]{1,4}/threat-model\.schema\.json"
)
_DONE = frozenset({"active", "assumed"})
_UNDER_WAY = frozenset({"approved", "scheduled"})
_IGNORED = frozenset({"retired", "wont_do"})
_ELEMENT_KINDS = (
    ("actors", "external_entity", "actor"),
    ("components", "process", "component"),
    ("data_stores", "datastore", "data_store"),
)


def matches(data: Mapping[str, Any]) -> bool:
    schema = data.get("$schema")
    if isinstance(schema, str) and _SCHEMA_URL.fullmatch(schema):
        return True
    return (
        "version" in data
        and "business_criticality" in mapping(data.get("scope"))
        and "trust_zones" in data
        and "data_flows" in data
    )


def schema_name(data: Mapping[str, Any]) -> str:
    """The schema a file is checked against: the newest, as the OWASP library checks its models;
    v1.0.2 made an actor's and a data store's `trust_zone` required, so a file that names v1.0.0
    or v1.0.1 gets the newest with that key optional."""
    declared = data.get("$schema")
    if isinstance(declared, str) and ("/v1.0.0/" in declared or "/v1.0.1/" in declared):
        return "tm-bom-1.0.1"
    return "tm-bom"


def derived_status(statuses: Iterable[str]) -> tuple[str, str]:
    """The status word the linked controls give (`derived: mitigated`, one of `STATUS_WORDS`),
    and what it was derived from (`controls: 2 active, 3 suggested`)."""
    counts = Counter(status for status in statuses if status not in _IGNORED)
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    why = f"derived from controls: {summary}" if summary else "derived: no control"
    done = sum(counts[status] for status in _DONE)
    if counts and done == sum(counts.values()):
        return "derived: mitigated", why
    if done:
        return "derived: partially mitigated", why
    if any(counts[status] for status in _UNDER_WAY):
        return "derived: in progress", why
    return "derived: open", why


def read(document: Document, path: str) -> Parsed:
    data = document.data
    zones = _titles(data.get("trust_zones"))
    titles = {kind: _titles(data.get(key)) for key, _, kind in _ELEMENT_KINDS}
    # A threat's `components_affected` may name data stores and actors as well.
    component_titles = {**titles["actor"], **titles["data_store"], **titles["component"]}
    threat_items = {
        key: item
        for item in mappings(data.get("threats"))
        if (key := text(item.get("symbolic_name")))
    }
    controls_of: dict[str, list[Mapping[str, Any]]] = {}
    for control in mappings(data.get("controls")):
        for named in texts(control.get("threats")):
            controls_of.setdefault(named, []).append(control)

    entries: list[ThreatEntry] = []
    rated: set[str] = set()
    for _, risk, (line, column), positions in items(document, data.get("risks"), ("risks",)):
        threats = [name for name in texts(risk.get("threats")) if name]
        rated.update(threats)
        components = _components(threats, threat_items, component_titles)
        controls = _unique(c for name in threats for c in controls_of.get(name, ()))
        status, why = derived_status(text(c.get("status")) or "" for c in controls)
        entries.append(
            ThreatEntry(
                path=path,
                line=line,
                column=column,
                format=FORMAT,
                id_scope="file",
                id=text(risk.get("symbolic_name")),
                title=" ".join((text(risk.get("title")) or "").split()),
                component=components[0] if components else None,
                methodology=FORMAT,
                likelihood=_word(risk.get("likelihood"), LIKELIHOODS),
                impact=_word(risk.get("impact"), IMPACTS),
                risk_score=risk.get("score"),
                status=status,
                mitigation=_mitigation(controls, why),
                positions={
                    **positions,
                    "id": positions.get("symbolic_name", (line, column)),
                    "risk_score": positions.get("score", (line, column)),
                },
            )
        )
    for _, threat, (line, column), positions in items(document, data.get("threats"), ("threats",)):
        name = text(threat.get("symbolic_name"))
        if not name or name in rated:
            continue
        components = _components([name], threat_items, component_titles)
        controls = controls_of.get(name, [])
        status, why = derived_status(text(c.get("status")) or "" for c in controls)
        entries.append(
            ThreatEntry(
                path=path,
                line=line,
                column=column,
                format=FORMAT,
                id_scope="file",
                id=name,
                title=" ".join((text(threat.get("title")) or "").split()),
                component=components[0] if components else None,
                methodology=FORMAT,
                status=status,
                mitigation=_mitigation(controls, why),
                positions={**positions, "id": positions.get("symbolic_name", (line, column))},
            )
        )
    return Parsed(entries=tuple(entries), elements=tuple(_elements(document, path, zones, titles)))


def _elements(
    document: Document,
    path: str,
    zones: Mapping[str, str],
    titles: Mapping[str, Mapping[str, str]],
) -> list[Element]:
    data = document.data
    elements = boundaries(
        document,
        path,
        data.get("trust_zones"),
        ("trust_zones",),
        lambda zone: _one_line(text(zone.get("title")) or text(zone.get("symbolic_name"))),
    )
    zone_of: dict[tuple[str, str], str | None] = {}
    for key, kind, ref_type in _ELEMENT_KINDS:
        for _, item, (line, column), positions in items(document, data.get(key), (key,)):
            symbol = text(item.get("symbolic_name"))
            name = _one_line(text(item.get("title")) or symbol)
            if not name:
                continue
            zone = text(item.get("trust_zone"))
            zone_of[(ref_type, symbol or name)] = zone
            elements.append(
                Element(
                    name,
                    kind,
                    path,
                    line,
                    column,
                    stride_coverage=False,
                    boundary=zones.get(zone or "", zone),
                    positions={
                        **positions,
                        "boundary": positions.get("trust_zone", (line, column)),
                    },
                )
            )
    for _, flow, (line, column), positions in items(
        document, data.get("data_flows"), ("data_flows",)
    ):
        ends = [mapping(flow.get("source")), mapping(flow.get("destination"))]
        refs = [(text(end.get("type")) or "", text(end.get("object")) or "") for end in ends]
        names = [titles.get(kind, {}).get(symbol, symbol) or None for kind, symbol in refs]
        end_zones = [zone_of.get(ref) for ref in refs]
        name = _one_line(text(flow.get("title")) or text(flow.get("symbolic_name")))
        elements.append(
            Element(
                name or f"{names[0]} -> {names[1]}",
                "flow",
                path,
                line,
                column,
                stride_coverage=False,
                source=names[0],
                target=names[1],
                crosses_boundary=end_zones[0] != end_zones[1],
                positions={
                    **positions,
                    "from": positions.get("source", (line, column)),
                    "to": positions.get("destination", (line, column)),
                },
            )
        )
    return elements


def _components(
    threats: Iterable[str],
    threat_items: Mapping[str, Mapping[str, Any]],
    component_titles: Mapping[str, str],
) -> list[str]:
    """The titles of the components the threats affect, each once, in order."""
    symbols = [
        s for name in threats for s in texts(threat_items.get(name, {}).get("components_affected"))
    ]
    return list(dict.fromkeys(component_titles.get(symbol, symbol) for symbol in symbols))


def _mitigation(controls: Iterable[Mapping[str, Any]], why: str) -> str:
    named = [
        f"{text(c.get('title')) or text(c.get('symbolic_name'))} [{text(c.get('status'))}]"
        for c in controls
    ]
    return f"{'; '.join(named)} (status {why})" if named else f"(status {why})"


def _word(value: Any, scale: Mapping[str, int]) -> Any:
    """A scale word as its number; anything else as written (`unknown-rating` reports it)."""
    return scale.get(value, value) if isinstance(value, str) else value


def _titles(value: Any) -> dict[str, str]:
    return {
        symbol: _one_line(text(item.get("title"))) or symbol
        for item in mappings(value)
        if (symbol := text(item.get("symbolic_name")))
    }


def _unique(controls: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    seen: set[int] = set()
    result = []
    for control in controls:
        if id(control) not in seen:
            seen.add(id(control))
            result.append(control)
    return result


def _one_line(value: str | None) -> str | None:
    """A title as one line: the library's titles break lines to fit their diagrams."""
    return " ".join(value.split()) if value else value
