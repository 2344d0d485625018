"""What a rule sees: every file and threat of the run, and the settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from tmcheck.coverage import ElementCoverage, coverage_table
from tmcheck.model import Element, IdKey, Threat
from tmcheck.results import FileResult

if TYPE_CHECKING:  # the rules read the settings; the settings need not know the rules
    from tmcheck.config import Settings


@dataclass(frozen=True, slots=True)
class RuleContext:
    """`files` and `threats` are what the run reports on; `context_files` were read only to
    resolve the ids those files name (and to see ids they duplicate), and are not reported.
    `changed_paths` are the real paths of the files a change touched, when the run knows them."""

    files: Sequence[FileResult]
    threats: Sequence[Threat]
    settings: Settings
    context_files: Sequence[FileResult] = ()
    changed_paths: frozenset[str] | None = None
    introduced: frozenset[int] = frozenset()  # `id()` of the threats new since the base

    def elements(self) -> tuple[Element, ...]:
        """The architecture of the run: the elements of the checked files."""
        return tuple(element for file in self.files for element in file.elements)

    def coverage(self) -> tuple[ElementCoverage, ...]:
        """STRIDE coverage of the run's elements by every threat the run read (the threats of
        context files too: a diagram may attach threats defined in a file it was not named with)."""
        every = (*self.threats, *(t for f in self.context_files for t in f.threats))
        return coverage_table(self.elements(), every)

    def known_threat_ids(self) -> set[IdKey]:
        """The ids a reference may name: every threat's the run read, with their scope (see
        `model.id_keys` and `ThreatEntry.reference_keys`)."""
        every = (*self.threats, *(t for f in self.context_files for t in f.threats))
        return {key for threat in every for key in threat.entry.reference_keys}

    def known_library_ids(self) -> set[str]:
        every = (*self.files, *self.context_files)
        return {d.id for file in every for d in file.definitions if d.kind == "library"}


class Problem(NamedTuple):
    """What a rule found, and where; the rule runner makes it a finding with the rule's id
    and level."""

    path: str
    line: int
    column: int
    message: str
    threat_id: str | None = None
    threat_title: str | None = None  # names a threat without an id (SARIF fingerprints)
    level: str | None = None  # a level other than the rule's, for a milder case of it


def threat_problem(
    threat: Threat, message: str, key: str | None = None, level: str | None = None
) -> Problem:
    """A problem with `threat`, at the line of its `key` (or of the entry when not given)."""
    entry = threat.entry
    line, column = entry.position_of(key) if key else (entry.line, entry.column)
    return Problem(entry.path, line, column, message, entry.id, entry.title, level)


def element_problem(element: Element, message: str, key: str | None = None) -> Problem:
    """A problem with an architecture element, at the line of its `key` (or of the element)."""
    line, column = element.position_of(key) if key else (element.line, element.column)
    return Problem(element.path, line, column, message)
