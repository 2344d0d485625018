"""duplicate-id: a threat id (or a library id) is defined once across all checked files.

Tools number their threats per file (Threat Composer's T-0001, a .tm7's Id, Threagile's
synthetic ids), and so do Markdown documents (rows `1, 2, 3`, `TH-01`): their ids must be
unique within their file only.

Passes::

    threats:
      - id: T001
      - id: T002

Fails::

    threats:
      - id: T001
      - id: T001   # also in this file, or in any other file of the run

The duplicate is reported at the newer definition: a threat new since `--base`, or one in a
file the change touched, or one in a named file when the others were read as context.

Two cells of one Threat Dragon model with the same threat id (a copied cell: Threat Dragon
itself accepts it) are one warning naming both cells, not an error. Ids a tool computes are
not checked: Threagile may give two risks of its `risks.json` one synthetic id.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from tmcheck.model import GENERATED_ID_FORMATS, IdKey, Threat
from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "duplicate-id"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Problem]:
    first_threat: dict[IdKey, tuple[str, int]] = {}
    first_of: dict[IdKey, Threat] = {}
    # Ids of files read only for context count as defined first: a checked file repeating one
    # is the duplicate (a file not checked in this run is not reported on).
    reported = set(map(id, context.threats))
    context_threats = [t for file in context.context_files for t in file.threats]
    for threat in (*context_threats, *sorted(context.threats, key=_newness(context))):
        key = threat.id_key
        if key is None or threat.entry.format in GENERATED_ID_FORMATS:
            continue
        where = (threat.entry.path, threat.entry.line)
        if key in first_threat and id(threat) in reported:
            path, line = first_threat[key]
            first = first_of[key]
            if _copied_cell(first, threat):
                copied = threat_problem(
                    threat,
                    f"threat id {threat.id} is in two cells, {first.entry.component!r}"
                    f" ({path}:{line}) and {threat.entry.component!r}: a copied cell? Threat"
                    " Dragon accepts it; give one of them a new id to tell them apart",
                    key="id",
                )
                yield copied._replace(level="warning")
                continue
            yield threat_problem(
                threat,
                f"duplicate threat id {threat.id} (first defined at {path}:{line})",
                key="id",
            )
        elif key not in first_threat:
            first_threat[key] = where
            first_of[key] = threat
    first_library: dict[str, tuple[str, int]] = {}
    reported_files = set(map(id, context.files))
    for file in (*context.context_files, *context.files):
        for definition in file.definitions:
            if definition.id in first_library and id(file) in reported_files:
                path, line = first_library[definition.id]
                yield Problem(
                    definition.path, definition.line, definition.column,
                    f"duplicate library id {definition.id} (first defined at {path}:{line})",
                    definition.id,
                )  # fmt: skip
            elif definition.id not in first_library:
                first_library[definition.id] = (definition.path, definition.line)


def _newness(context: RuleContext) -> Callable[[Threat], tuple[bool, bool]]:
    """Older definitions first: a duplicate is reported at the threat a change introduced (new
    since the base), or else at the one in a changed file, pointing at the other."""
    changed = context.changed_paths or frozenset()

    def key(threat: Threat) -> tuple[bool, bool]:
        new = id(threat) in context.introduced
        return new, bool(changed) and os.path.realpath(threat.entry.path) in changed

    return key


def _copied_cell(first: Threat, second: Threat) -> bool:
    """Two threats of one Threat Dragon model with one id: the copy of a cell (the ids
    Threat Dragon gives are its own; only a copy repeats one)."""
    return (
        first.entry.format == second.entry.format == "threat-dragon"
        and first.entry.path == second.entry.path
    )
