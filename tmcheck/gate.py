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
    debt: tuple[Threat, ...] = ()  # blocking under `gate: all`, not under `gate: new`
    findings: tuple[Finding, ...] = ()


def gate_on_changes(
    files: Sequence[FileResult],
    comparison: Comparison | None,
    uncompared: frozenset[str] = frozenset(),
) -> Gated:
    """`gate: new`: `files` with `blocking` cleared on the threats the change did not
    introduce (unless their file could not be compared)."""
    if comparison is None:
        warning = file_finding(
            ".",
            RULE,
            "gate: new needs a base revision to compare with (--base REF); every open threat"
            " at or above the threshold blocks, as with gate: all",
        )
        return Gated(tuple(files), None, "all", findings=(warning,))
    if comparison.commit is None:
        return Gated(tuple(files), comparison, "all")  # base-unreadable said so already

    introduced = {id(change.after) for change in comparison.changes if change.introduced}
    replaced: dict[int, Threat] = {}
    gated_files = []
    for file in files:
        if file.path in uncompared:
            gated_files.append(file)
            continue
        threats = []
        for threat in file.threats:
            if threat.blocking and id(threat) not in introduced:
                replaced[id(threat)] = dataclasses.replace(threat, blocking=False)
            threats.append(replaced.get(id(threat), threat))
        gated_files.append(dataclasses.replace(file, threats=tuple(threats)))
    changes = tuple(
        dataclasses.replace(change, after=replaced.get(id(change.after), change.after))
        for change in comparison.changes
    )
    return Gated(
        tuple(gated_files),
        dataclasses.replace(comparison, changes=changes),
        "new",
        debt=tuple(replaced.values()),
    )
