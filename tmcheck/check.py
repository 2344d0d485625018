"""The run: discover the files, check each one (`file_checker`), read the files that define the
ids they name, compare with a base, gate, run the rules, and put the result together."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tmcheck.budget import RULE as BUDGET_RULE
from tmcheck.config import Settings
from tmcheck.coverage import ElementCoverage
from tmcheck.discover import discover
from tmcheck.file_checker import FileChecker, join_tool_files
from tmcheck.file_checks import file_finding
from tmcheck.findings import INTERNAL_ERROR, LEVEL_ORDER, Finding, internal_error
from tmcheck.formats.threagile_join import stale_risks
from tmcheck.gate import apply_gate
from tmcheck.git import Git, GitError
from tmcheck.results import FileResult, RunResult
from tmcheck.rules import apply_levels, iter_rule_findings
from tmcheck.rules.context import RuleContext
from tmcheck.sla import start_clocks

if TYPE_CHECKING:  # the diff is loaded only with --base
    from tmcheck.diff import Comparison


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
    found: list[Git | GitError] = []

    def run_repository() -> Git | GitError:
        """The repository the run asks git about, or why there is none: found once."""
        if not found:
            found.append(repository if repository is not None else _find_repository(workspace))
        return found[0]

    def walk_repository() -> Git | None:
        """The repository a walk asks which files git sees; None without one."""
        walked = run_repository()
        return None if isinstance(walked, GitError) else walked

    discovery = discover(
        paths, settings, workspace=workspace, explicit=explicit, repository=walk_repository
    )
    checker = FileChecker(settings)
    budget = checker.budget
    read: list[FileResult] = []
    for index, candidate in enumerate(discovery.candidates):
        if budget.spent:  # the rest is not read: one error names how many, and the first
            not_read = len(discovery.candidates) - index
            refusal = file_finding(candidate.path, BUDGET_RULE, budget.refusal(not_read))
            read.append(FileResult(candidate.path, None, False, findings=(refusal,)))
            break
        result = checker.check_guarded(candidate)
        budget.charge(threats=len(result.threats))
        read.append(result)
    files = join_tool_files([file for file in read if file.skipped is None], settings)
    skipped = tuple(file for file in read if file.skipped is not None)
    files = start_clocks(files, checker, run_repository())
    context: tuple[FileResult, ...] = ()
    outside = next((path for path in paths if not _under(path, settings.root)), None)
    if paths and outside is None:
        # Only some files named (pre-commit, a pull request's changes): the other threat
        # models under the root are read as context for ids, references and coverage.
        checked = {candidate.path for candidate in discovery.candidates}
        context = tuple(_context_files(checker, checked, workspace, walk_repository))
    extra = [*discovery.findings, *stale_risks(files, run_repository())]
    errors = any(f.level == "error" for f in discovery.findings)
    nothing_found = not errors and not any(file.format or file.findings for file in files)
    if nothing_found:
        extra.append(_no_threat_models(settings, paths, len(skipped)))
    comparison: Comparison | None = None
    uncompared: frozenset[str] = frozenset()
    if base is not None:
        from tmcheck.baseline import compare_with_base  # git only when asked for

        baseline = compare_with_base(base, files, paths, checker, repository)
        comparison, uncompared = baseline.comparison, baseline.uncompared
        extra.extend(baseline.findings)
    outcome = assemble(
        files, settings, extra, context, changed, comparison=comparison, uncompared=uncompared
    )
    no_context = None
    if outside is not None:  # the root's threat models belong to another project
        no_context = f"{outside} is outside the root {settings.root}: no other threat model read"
    found_repository = run_repository()
    return replace(
        outcome,
        skipped=skipped,
        no_threat_models=nothing_found,
        no_context=no_context,
        repository_top=found_repository.top if isinstance(found_repository, Git) else None,
    )


def _under(path: str, root: Path) -> bool:
    """Whether `path` is `root` or below it, symlinks resolved (a path that cannot be resolved
    is discovery's to report: it counts as under)."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return True


def _find_repository(workspace: Path | None) -> Git | GitError:
    """The current directory's repository (the workspace's, when given), never one found from
    a file's location; or why there is none (outside a work tree, or git refuses)."""
    try:
        return Git.find(workspace or Path.cwd(), trusted_workspace=workspace is not None)
    except GitError as error:
        return error


def _no_threat_models(settings: Settings, paths: Sequence[str], skipped: int) -> Finding:
    where = (
        ", ".join(paths[:5]) + (", ..." if len(paths) > 5 else "") if paths else str(settings.root)
    )
    passed_over = f"; {skipped} other files were skipped (-v lists them)" if skipped else ""
    return file_finding(
        ".", "no-threat-models",
        f"no threat model found in {where} (include: {', '.join(settings.include)}){passed_over}",
    )  # fmt: skip


def _context_files(
    checker: FileChecker,
    checked: set[str],
    workspace: Path | None,
    repository: Callable[[], Git | None],
) -> Iterator[FileResult]:
    """The other threat models under the root (the way git sees them), read as context: their
    ids, references and threats count, their findings are not reported (until the run's
    budget is spent: context is a courtesy)."""
    discovery = discover([], checker.settings, workspace=workspace, repository=repository)
    already = {os.path.abspath(path) for path in checked}
    for candidate in discovery.candidates:
        if checker.budget.spent:
            return
        if os.path.abspath(candidate.path) in already:
            continue
        try:
            result = checker.check_file(candidate, validate=False)
        except Exception:  # context is a courtesy; a file that fails here is skipped
            continue
        checker.budget.charge(threats=len(result.threats))
        if result.format is not None and result.skipped is None:
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
    introduced = frozenset(
        id(change.after)
        for change in (comparison.changes if comparison else ())
        if change.kind == "new" and change.after is not None
    )
    rule_context = RuleContext(files, threats, settings, context, changed, introduced)
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
        treatment=settings.treatment,
        ticket_url=settings.ticket_url,
        today=settings.today,
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
