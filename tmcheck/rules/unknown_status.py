"""unknown-status: a threat's status is a word tmcheck knows; an unknown one counts as open.

Known words (any case, `-`/`_`/space alike) normalize to open, in_progress,
partially_mitigated, mitigated, accepted, transferred, avoided, not_applicable, false_positive;
for example `Mitigated (partial)`, `in-progress`, `implemented`, `NotApplicable`. Teach
tmcheck your own words under `statuses:` in `.tmcheck.yaml`.

Passes::

    status: In progress

Fails::

    status: Parked
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "unknown-status"
LEVEL = "warning"


def check(context: RuleContext) -> Iterator[Problem]:
    for threat in context.threats:
        raw = threat.entry.status
        if threat.status == "unknown" and isinstance(raw, str) and not raw.strip():
            yield threat_problem(
                threat, f"{threat.label}: the status is empty; it counts as open", key="status"
            )
        elif threat.status == "unknown":
            yield threat_problem(
                threat,
                f"{threat.label}: status {threat.entry.status!r} is not a known status;"
                " it counts as open (add it under `statuses:` in .tmcheck.yaml)",
                key="status",
            )  # fmt: skip
