"""What a format loader is (`FormatReader`) and returns (`Parsed`): threat entries, ids it
defines and names, elements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from tmcheck.findings import Finding
from tmcheck.model import Definition, Element, Reference, ThreatEntry

if TYPE_CHECKING:
    from tmcheck.parsing.tree import Document


@dataclass(frozen=True, slots=True)
class Parsed:
    entries: tuple[ThreatEntry, ...] = ()
    definitions: tuple[Definition, ...] = ()  # library ids (threat ids come with the entries)
    references: tuple[Reference, ...] = ()
    elements: tuple[Element, ...] = ()
    findings: tuple[Finding, ...] = ()  # what the format itself says about the file (notes)
    tool_data: Any = None  # what a tool's files need to be joined (see `FileResult.tool_data`)


class FormatReader(Protocol):
    """A format's module: its name, whether a loaded file is in it, and how to read one.

    Optional module attributes, read with `getattr`: `READS_LISTS` (the top level may be a
    list), `SCHEMA` (the schema to validate with; None: none, a tool's own format) and
    `MAX_BYTES` (a larger ceiling than `max_file_bytes`)."""

    FORMAT: str

    def matches(self, data: Any) -> bool: ...

    def read(self, document: Document, path: str) -> Parsed: ...
