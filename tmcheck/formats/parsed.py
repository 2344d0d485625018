"""What a format loader returns: threat entries, ids it defines and names, elements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tmcheck.findings import Finding
from tmcheck.model import Definition, Element, Reference, ThreatEntry


@dataclass(frozen=True, slots=True)
class Parsed:
    entries: tuple[ThreatEntry, ...] = ()
    definitions: tuple[Definition, ...] = ()  # library ids (threat ids come with the entries)
    references: tuple[Reference, ...] = ()
    elements: tuple[Element, ...] = ()
    findings: tuple[Finding, ...] = ()  # what the format itself says about the file (notes)
    tool_data: Any = None  # what a tool's files need to be joined (see `FileResult.tool_data`)
