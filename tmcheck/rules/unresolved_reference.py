"""unresolved-reference: every id that a diagram or a threat names is defined somewhere.

A threat id named by a Threat Dragon cell, and a library id named by a threat (`library:`),
must be defined by a file of the same run.

Files named together are checked together (`tmcheck check worksheet.yaml dragon.json`); an id
that none of them defines is also looked up in the other threat models under the config root
(the `include` globs), so a pre-commit run on one changed diagram still finds its worksheets.

Passes (with a worksheet defining T001 in the same run)::

    {"type": "tm.Process", "name": "API Gateway", "threats": ["T001"]}

Fails (no checked file defines T006)::

    {"type": "tm.Store", "name": "Orders Database", "threats": ["T006"]}

A threat's `library: TL-AUTH-001` likewise needs a threat library that defines TL-AUTH-001.
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.model import id_keys
from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "unresolved-reference"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Problem]:
    threat_ids = context.known_threat_ids()
    library_ids = context.known_library_ids()
    for file in context.files:
        for reference in file.references:
            if reference.kind == "threat":
                known = any(key in threat_ids for key in id_keys(reference.target, reference.path))
            else:
                known = reference.target in library_ids
            if not known:
                yield Problem(
                    reference.path, reference.line, reference.column,
                    f"{reference.source} names {reference.kind} id {reference.target},"
                    " which no threat model defines",
                    reference.target,
                )  # fmt: skip
    for threat in context.threats:
        for library_id in threat.entry.library:
            if library_id not in library_ids:
                yield threat_problem(
                    threat,
                    f"{threat.label} names library id {library_id},"
                    " which no threat library defines",
                    key="library",
                )  # fmt: skip
