"""The run: discover the files, check each one (`file_checker`), read the files that define the
ids they name, compare with a base, gate, run the rules, and put the result together."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tmcheck.budget import RULE as BUDGET_RULE
from tmcheck.config import Settings
from tmcheck.coverage import ElementCoverage
from tmcheck.discover import discover
from tmcheck.file_checker import FileChecker, join_tool_files
from tmcheck.findings import INTERNAL_ERROR, LEVEL_ORDER, Finding, internal_error
from tmcheck.formats.threagile_join import stale_risks
from tmcheck.gate import apply_gate
from tmcheck.model import id_keys
from tmcheck.results import FileResult, RunResult
from tmcheck.rules import apply_levels, iter_rule_findings
from tmcheck.rules.context import RuleContext

if TYPE_CHECKING:  # the diff is loaded only with --base
    from tmcheck.diff import Comparison
    from tmcheck.git import Git, GitError


def run_check(
    paths: Sequence[str],
    settings: Settings,
    *,
    workspace: Path | None = None,
    explicit: bool = True,
    base: str | None = None,
    changed: frozenset[str] | None = None,
    repository: Git | GitError | None = None,
) -> RunResult:
    """Check `paths` (files and directories) together, as one set of threat models.

    With `base` (a git revision), also say what changed since, and gate on it with `gate: new`;
    `repository` is where git looks for it (or why it cannot), by default the current directory.
    `changed` holds the real paths (`os.path.realpath`) of the files a change touched, when
    known; the `stale-threat-model` rule needs it."""
    discovery = discover(paths, settings, workspace=workspace, explicit=explicit)
    checker = FileChecker(settings)
    budget = checker.budget
    read: list[FileResult] = []
    for index, candidate in enumerate(discovery.candidates):
        if budget.spent:  # the rest is not read: one error names how many, and the first
            not_read = len(discovery.candidates) - index
            refusal = Finding(candidate.path, 1, 1, BUDGET_RULE, "error", budget.refusal(not_read))
            read.append(FileResult(candidate.path, None, False, findings=(refusal,)))
            break
        result = checker.check_guarded(candidate)
        budget.charge(threats=len(result.threats))
        read.append(result)
    files = tuple(read)
    files = join_tool_files(files, settings)
    context: tuple[FileResult, ...] = ()
    missing = unresolved_ids(files)
    if paths and missing:
        checked = {candidate.path for candidate in discovery.candidates}
        context = tuple(_context_files(checker, checked, missing, workspace))
    extra = [*discovery.findings, *stale_risks(files, repository)]
    comparison: Comparison | None = None
    uncompared: frozenset[str] = frozenset()
    if base is not None:
        from tmcheck.baseline import compare_with_base  # git only when asked for

        baseline = compare_with_base(base, files, paths, checker, repository)
        comparison, uncompared = baseline.comparison, baseline.uncompared
        extra.extend(baseline.findings)
    return assemble(
        files, settings, extra, context, changed, comparison=comparison, uncompared=uncompared
    )


def unresolved_ids(files: Sequence[FileResult]) -> set[str]:
    """Threat and library ids the files name but do not define."""
    defined = {key for f in files for t in f.threats if (key := t.id_key)}
    defined |= {("", d.id) for f in files for d in f.definitions}
    missing = {
        r.target
        for f in files
        for r in f.references
        if not any(key in defined for key in id_keys(r.target, r.path))
    }
    named = {library_id for f in files for t in f.threats for library_id in t.entry.library}
    return missing | {library_id for library_id in named if ("", library_id) not in defined}


def run_wide_ids(result: FileResult) -> set[str]:
    """The ids a file defines that other files may name (not its file-scoped threat ids)."""
    ids = {t.id for t in result.threats if t.id and t.entry.id_scope == "run"}
    return ids | {d.id for d in result.definitions}


def _context_files(
    checker: FileChecker, checked: set[str], missing: set[str], workspace: Path | None
) -> Iterator[FileResult]:
    """The other threat models under the root, read until they define every missing id (or
    the run's budget is spent: context is a courtesy)."""
    discovery = discover([], checker.settings, workspace=workspace)
    remaining = set(missing)
    already = {os.path.abspath(path) for path in checked}
    for candidate in discovery.candidates:
        if not remaining or checker.budget.spent:
            return
        if os.path.abspath(candidate.path) in already:
            continue
        try:
            result = checker.check_file(candidate, validate=False)
        except Exception:  # context is a courtesy; a file that fails here is skipped
            continue
        checker.budget.charge(threats=len(result.threats))
        defined = run_wide_ids(result)
        if defined & remaining:
            remaining -= defined
            yield result


def assemble(
    files: Sequence[FileResult],
    settings: Settings,
    extra: Sequence[Finding] = (),
    context: Sequence[FileResult] = (),
    changed: frozenset[str] | None = None,
    *,
    comparison: Comparison | None = None,
    uncompared: frozenset[str] = frozenset(),
) -> RunResult:
    """Gate the checked files, run the rules over them (with `context` files for ids) and put
    it together."""
    gated = apply_gate(files, settings.gate, comparison, uncompared)
    files, comparison = gated.files, gated.comparison
    extra = [*extra, *gated.findings]
    threats = tuple(threat for file in files for threat in file.threats)
    findings = [*extra, *(finding for file in files for finding in file.findings)]
    rule_context = RuleContext(files, threats, settings, context, changed)
    findings.extend(iter_rule_findings(rule_context))  # each rule guarded on its own
    table: tuple[ElementCoverage, ...] = ()
    try:
        table = rule_context.coverage()
    except Exception as error:  # a bug; report it, keep the rest
        findings.append(internal_error(".", error, "the STRIDE coverage table failed"))
    findings = apply_levels(findings, settings.rule_levels)
    findings.sort(key=sort_key)
    internal = sum(1 for finding in findings if finding.rule == INTERNAL_ERROR)
    return RunResult(
        tuple(files),
        threats,
        tuple(findings),
        settings.threshold,
        internal,
        root=settings.root,
        comparison=comparison,
        gate=gated.gate,
        debt=gated.debt,
        coverage=table,
    )


def sort_key(finding: Finding) -> tuple[str, int, int, int, str, str]:
    return (
        finding.path,
        finding.line,
        finding.column,
        LEVEL_ORDER.get(finding.level, 9),
        finding.rule,
        finding.message,
    )
