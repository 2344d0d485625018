"""`dialect`: a team's own YAML or JSON threat list, read through a `dialects:` entry of
`.tmcheck.yaml` that says which files, which key holds the list (none for a top-level list),
which of their fields is which of tmcheck's, and which of their status words means what.
The threats are then checked like a register's.

    dialects:
      - name: risk-log
        files: ["security/risks.yaml"]
        threats: risks
        fields: {id: key, title: summary, likelihood: probability, impact: consequence,
                 status: state, mitigation: treatment, owner: assignee}
        statuses: {fixed: mitigated, wontfix: accepted}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tmcheck.file_checks import file_finding
from tmcheck.findings import Finding
from tmcheck.formats.fields import items, mapping, text, texts, title_of
from tmcheck.globs import GlobSet
from tmcheck.model import Position, ThreatEntry
from tmcheck.parsing.tree import Document
from tmcheck.scoring import word_key

FORMAT = "dialect"
# tmcheck's fields a dialect may map, each to one key of its entries.
FIELDS = (
    "id", "title", "description", "component", "category", "likelihood", "impact", "risk",
    "risk_score", "severity", "status", "mitigation", "owner",
)  # fmt: skip
_DEFAULT_KEYS: Mapping[str, str] = {name: name for name in FIELDS}


@dataclass(frozen=True)
class Dialect:
    """One `dialects:` entry of the config."""

    name: str
    files: tuple[str, ...]
    threats: str | None = None  # the key holding the list; None: the top level is the list
    fields: Mapping[str, str] = field(default_factory=dict)  # tmcheck field -> their key
    statuses: Mapping[str, str] = field(default_factory=dict)  # their word -> tmcheck status

    def matches(self, relative: str) -> bool:
        return GlobSet(self.files).matches(relative)


def dialect_from(entry: Mapping[str, Any], index: int) -> Dialect:
    """A dialect from its config entry (already checked against the config schema)."""
    return Dialect(
        name=str(entry.get("name") or f"dialect {index + 1}"),
        files=tuple(entry["files"]),
        threats=entry.get("threats"),
        fields=dict(entry.get("fields") or {}),
        statuses={word_key(k): v for k, v in (entry.get("statuses") or {}).items()},
    )


def read(
    document: Document, path: str, dialect: Dialect
) -> tuple[tuple[ThreatEntry, ...], tuple[Finding, ...]]:
    """The threats of a dialect file, or a finding saying where the list was not found."""
    data = document.root if dialect.threats is None else mapping(document.root).get(dialect.threats)
    where: tuple[str | int, ...] = () if dialect.threats is None else (dialect.threats,)
    if not isinstance(data, list):
        found = "the file" if dialect.threats is None else f"key {dialect.threats!r}"
        message = f"{dialect.name}: {found} holds no list of threats"
        return (), (file_finding(path, "schema", message),)
    keys = {**_DEFAULT_KEYS, **dialect.fields}
    entries = []
    for _, item, (line, column), marks in items(document, data, where):
        values = {name: item.get(key) for name, key in keys.items()}
        positions: dict[str, Position] = {
            name: marks[key] for name, key in keys.items() if key in marks
        }
        status = values["status"]
        if isinstance(status, str) and word_key(status) in dialect.statuses:
            status = dialect.statuses[word_key(status)]
        title = title_of({"t": values["title"], "d": values["description"]}, "t", "d")
        entries.append(
            ThreatEntry(
                path=path,
                line=line,
                column=column,
                format=FORMAT,
                id=text(values["id"]),
                title=title,
                component=text(values["component"]),
                categories=texts(values["category"]),
                likelihood=values["likelihood"],
                impact=values["impact"],
                risk=values["risk"],
                risk_score=values["risk_score"],
                severity=values["severity"],
                status=status,
                owner=text(values["owner"]),
                mitigation=text(values["mitigation"]),
                positions=positions,
            )
        )
    return tuple(entries), ()
