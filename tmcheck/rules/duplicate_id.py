"""duplicate-id: a threat id (or a library id) is defined once across all checked files.

Tools number their threats per file (Threat Composer's T-0001, a .tm7's Id, Threagile's
synthetic ids): their ids must be unique within their file only.

Passes::

    threats:
      - id: T001
      - id: T002

Fails::

    threats:
      - id: T001
      - id: T001   # also in this file, or in any other file of the run
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.findings import Finding
from tmcheck.model import IdKey
from tmcheck.rules.context import RuleContext, threat_finding

ID = "duplicate-id"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Finding]:
    first_threat: dict[IdKey, tuple[str, int]] = {}
    # Ids of files read only for context count as defined first: a checked file repeating one
    # is the duplicate (a file not checked in this run is not reported on).
    reported = set(map(id, context.threats))
    context_threats = [t for file in context.context_files for t in file.threats]
    for threat in (*context_threats, *context.threats):
        key = threat.id_key
        if key is None:
            continue
        where = (threat.entry.path, threat.entry.line)
        if key in first_threat and id(threat) in reported:
            path, line = first_threat[key]
            yield threat_finding(
                threat,
                ID,
                LEVEL,
                f"duplicate threat id {threat.id} (first defined at {path}:{line})",
                key="id",
            )
        elif key not in first_threat:
            first_threat[key] = where
    first_library: dict[str, tuple[str, int]] = {}
    reported_files = set(map(id, context.files))
    for file in (*context.context_files, *context.files):
        for definition in file.definitions:
            if definition.id in first_library and id(file) in reported_files:
                path, line = first_library[definition.id]
                yield Finding(
                    definition.path, definition.line, definition.column, ID, LEVEL,
                    f"duplicate library id {definition.id} (first defined at {path}:{line})",
                    definition.id,
                )  # fmt: skip
            elif definition.id not in first_library:
                first_library[definition.id] = (definition.path, definition.line)
