"""Which open threats may block: all of them (`gate: all`), or only what a change introduced.

With `gate: new` and a base to compare with, a threat at or above the threshold blocks only when
the change made it `new`, `raised` or `reopened`; the others become the run's `debt` (still
open, still reported, not blocking). A file whose base could not be read is judged as under
`gate: all`. Without a base, `gate: new` cannot tell old from new and falls back to `all`, with
one warning: failing closed is safer than letting a forgotten `--base` pass everything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tmcheck.file_checks import file_finding
from tmcheck.findings import Finding
from tmcheck.model import Threat
from tmcheck.results import FileResult

if TYPE_CHECKING:  # the diff is loaded only with --base
    from tmcheck.diff import Comparison

RULE = "gate-without-base"


@dataclass(frozen=True, slots=True)
class Gated:
    files: tuple[FileResult, ...]
    comparison: Comparison | None
    gate: str  # the gate applied: "new" only when there was a base to compare with
    debt: tuple[Threat, ...] = ()  # at the threshold, not blocking under `gate: new`
    findings: tuple[Finding, ...] = ()


def apply_gate(
    files: Sequence[FileResult],
    gate: str,
    comparison: Comparison | None = None,
    uncompared: frozenset[str] = frozenset(),
) -> Gated:
    """`files` with `blocking` decided for each threat at the threshold: every one under
    `gate: all`; under `gate: new`, those the change introduced, and every one of a file that
    could not be compared. The others at the threshold are the run's debt."""
    findings: tuple[Finding, ...] = ()
    applied = "all"
    if gate == "new" and comparison is None:
        findings = (
            file_finding(
                ".",
                RULE,
                "gate: new needs a base revision to compare with (--base REF); every open threat"
                " at or above the threshold blocks, as with gate: all",
            ),
        )
    elif gate == "new" and comparison is not None and comparison.commit is not None:
        applied = "new"  # else base-unreadable said so already, and gate: all holds
    introduced = set()
    if applied == "new" and comparison is not None:
        introduced = {id(change.after) for change in comparison.changes if change.introduced}

    decided: dict[int, Threat] = {}
    debt: list[Threat] = []
    gated_files = []
    for file in files:
        as_all = applied == "all" or file.path in uncompared
        threats = list(file.threats)
        judged = False
        for index, threat in enumerate(threats):
            if threat.at_threshold:
                blocks = as_all or id(threat) in introduced
                threats[index] = decided[id(threat)] = dataclasses.replace(threat, blocking=blocks)
                judged = True
                if not blocks:
                    debt.append(threats[index])
        gated_files.append(dataclasses.replace(file, threats=tuple(threats)) if judged else file)
    if comparison is not None and decided:
        comparison = dataclasses.replace(
            comparison,
            changes=tuple(
                dataclasses.replace(change, after=decided.get(id(change.after), change.after))
                for change in comparison.changes
            ),
        )
    return Gated(tuple(gated_files), comparison, applied, tuple(debt), findings)
