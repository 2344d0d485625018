"""Results: what one file gave, and the outcome of a run over a set of files."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tmcheck.coverage import ElementCoverage
from tmcheck.findings import Finding
from tmcheck.model import Definition, Element, Reference, Threat

if TYPE_CHECKING:  # the diff is loaded only with --base
    from tmcheck.diff import Comparison
    from tmcheck.treatment import Treatment


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one file gave: its format, whether it is valid, and what it defines and names."""

    path: str
    format: str | None
    valid: bool
    threats: tuple[Threat, ...] = ()
    definitions: tuple[Definition, ...] = ()
    references: tuple[Reference, ...] = ()
    elements: tuple[Element, ...] = ()
    findings: tuple[Finding, ...] = ()
    skipped: str | None = None  # why a walked file was passed over (no threat model): -v says
    # What a tool's files of one run need to be joined (Threagile: the model's risk tracking
    # and asset owners, for its `risks.json`); None for every other format.
    tool_data: Any = None


@dataclass(frozen=True, slots=True)
class RunResult:
    """The outcome of one run over a set of files."""

    files: tuple[FileResult, ...]
    threats: tuple[Threat, ...]
    findings: tuple[Finding, ...]  # sorted
    threshold: int
    internal_errors: int = 0
    root: Path | None = None  # the config's directory: paths in SARIF are relative to it
    comparison: Comparison | None = None  # with --base: the base and what changed since
    gate: str = "all"  # the gate applied ("new" only with a base that could be read)
    debt: tuple[Threat, ...] = ()  # open at or above the threshold, not blocking under gate: new
    coverage: tuple[ElementCoverage, ...] = ()  # STRIDE per element, when the run has elements
    treatment: Mapping[str, Treatment] | None = None  # the policy in force: level -> treatment
    ticket_url: str | None = None  # the link template of tickets that are not `#123`
    today: datetime.date | None = None  # the day SLA clocks were judged on

    @property
    def overdue_threats(self) -> tuple[Threat, ...]:
        return tuple(t for t in self.threats if t.clock is not None and t.clock.overdue)

    skipped: tuple[FileResult, ...] = ()  # walked files that are no threat model, not counted

    # The run looked for threat models and found none (the `no-threat-models` finding); not set
    # when there was nothing to look at (a pull request that changes no threat model).
    no_threat_models: bool = False
    # Why no other threat model was read as context (a named file outside the root): -v says.
    no_context: str | None = None
    # The top of the repository the run asked git about, when it had one: SARIF's URIs are
    # relative to it (a result made otherwise leaves SARIF to find it).
    repository_top: Path | None = None

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.level == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.level == "warning")

    @property
    def notes(self) -> int:
        return sum(1 for finding in self.findings if finding.level == "note")

    @property
    def passed(self) -> bool:
        return self.errors == 0

    @property
    def open_threats(self) -> tuple[Threat, ...]:
        return tuple(threat for threat in self.threats if threat.open)

    @property
    def blocking_threats(self) -> tuple[Threat, ...]:
        return tuple(threat for threat in self.threats if threat.blocking)
