"""The pipeline: discover -> read -> parse -> detect -> validate -> normalize -> rules."""

from __future__ import annotations

import dataclasses
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tmcheck.config import DEFAULT_INCLUDE, Settings
from tmcheck.coverage import ElementCoverage
from tmcheck.discover import Candidate, GateError, discover, read_bounded
from tmcheck.findings import LEVEL_ORDER, Finding
from tmcheck.formats import TOOL_FILE_MAX_BYTES, markdown, mstmt, threagile_risks
from tmcheck.formats.detect import ALL_LOADERS, LOADERS, detect_format
from tmcheck.formats.dialect import FORMAT as DIALECT
from tmcheck.formats.dialect import Dialect
from tmcheck.formats.dialect import read as read_dialect
from tmcheck.formats.foreign import describe
from tmcheck.formats.threagile_join import join_threagile, stale_risks
from tmcheck.globs import GlobBudgetError, GlobSet
from tmcheck.model import Threat
from tmcheck.normalize import normalize
from tmcheck.parsing.encoding import decode_utf8
from tmcheck.parsing.safe_json import load_json
from tmcheck.parsing.safe_xml import load_xml, looks_like_xml
from tmcheck.parsing.safe_yaml import load_yaml
from tmcheck.parsing.tree import Document, LoadError
from tmcheck.results import FileResult, RunResult
from tmcheck.rules import apply_levels, iter_rule_findings
from tmcheck.rules.context import RuleContext
from tmcheck.validation import validate_document

if TYPE_CHECKING:  # the diff is loaded only with --base
    from tmcheck.diff import Comparison
    from tmcheck.git import Git, GitError

REPORT_URL = "https://github.com/tmcheck/tmcheck/issues"


# tmcheck's own formats, in the order messages name them (tools' files are known by content).
FORMATS = (
    "stride-worksheet", "threat-register", "threat-library", "threat-dragon", "markdown",
    "architecture",
)  # fmt: skip


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
    found: list[Git | None] = []

    def walk_repository() -> Git | None:
        """The repository a walk asks git about, found once and only for a walk."""
        if not found:
            found.append(_walk_repository(repository, workspace))
        return found[0]

    discovery = discover(
        paths,
        root=settings.root,
        include=settings.include,
        exclude=settings.exclude,
        max_files=settings.max_files,
        workspace=workspace,
        explicit=explicit,
        repository=walk_repository,
    )
    pinned = pinned_formats(settings)
    every = [_check_guarded(candidate, settings, pinned) for candidate in discovery.candidates]
    files = join_tool_files([file for file in every if file.skipped is None], settings)
    skipped = tuple(file for file in every if file.skipped is not None)
    context: tuple[FileResult, ...] = ()
    if paths:
        # Only some files named (pre-commit, a pull request's changes): the other threat
        # models under the root are read as context for ids, references and coverage.
        checked = {candidate.path for candidate in discovery.candidates}
        context = tuple(_context_files(settings, pinned, checked, workspace, walk_repository))
    extra = [*discovery.findings, *stale_risks(files, repository)]
    errors = any(f.level == "error" for f in discovery.findings)
    nothing_found = not errors and not any(file.format or file.findings for file in files)
    if nothing_found:
        extra.append(_no_threat_models(settings, paths, len(skipped)))
    comparison: Comparison | None = None
    uncompared: frozenset[str] = frozenset()
    if base is not None:
        from tmcheck.baseline import compare_with_base  # git only when asked for

        baseline = compare_with_base(base, files, paths, settings, pinned, repository)
        comparison, uncompared = baseline.comparison, baseline.uncompared
        extra.extend(baseline.findings)
    gate, debt = "all", tuple[Threat, ...]()
    if settings.gate == "new":
        from tmcheck.gate import gate_on_changes

        gated = gate_on_changes(files, comparison, uncompared)
        files, comparison, gate, debt = gated.files, gated.comparison, gated.gate, gated.debt
        extra.extend(gated.findings)
    result = assemble(
        files, settings, extra, context, changed, comparison=comparison, gate=gate, debt=debt
    )
    return replace(result, skipped=skipped, no_threat_models=nothing_found)


def _walk_repository(repository: Git | GitError | None, workspace: Path | None) -> Git | None:
    """The repository to ask which files git sees: the one given, else the current directory's
    (never one found from a file's location); None outside a work tree or when git refuses."""
    from tmcheck.git import Git, GitError

    if repository is not None:
        return repository if isinstance(repository, Git) else None
    try:
        return Git.find(workspace or Path.cwd(), trusted_workspace=workspace is not None)
    except GitError:
        return None


def _no_threat_models(settings: Settings, paths: Sequence[str], skipped: int) -> Finding:
    where = (
        ", ".join(paths[:5]) + (", ..." if len(paths) > 5 else "") if paths else str(settings.root)
    )
    passed_over = f"; {skipped} other files were skipped (-v lists them)" if skipped else ""
    return Finding(
        ".", 1, 1, "no-threat-models", "warning",
        f"no threat model found in {where} (include: {', '.join(settings.include)}){passed_over}",
    )  # fmt: skip


def path_says_threat_model(relative: str, settings: Settings) -> bool:
    """Whether a file's path says it is a threat model, so that a walk reports its parse error:
    a telltale word or suffix, or a configured `include` glob narrower than "every file"."""
    lowered = relative.lower()
    if any(word in lowered for word in _THREAT_MODEL_WORDS):
        return True
    narrow = [p for p in settings.include if p not in DEFAULT_INCLUDE and not _catch_all(p)]
    return bool(narrow) and GlobSet(narrow).matches(relative)


_THREAT_MODEL_WORDS = ("threat", "stride", "dragon", ".tm7", ".tc.json", ".otm", "threagile")


def _catch_all(pattern: str) -> bool:
    """`**/*.yaml`, `*.json`, `**/*`: a glob that selects every file (of a kind)."""
    *directories, name = pattern.split("/")
    return all(part in ("**", "*") for part in directories) and (
        name in ("*", "**") or (name.startswith("*.") and "*" not in name[1:])
    )


def join_tool_files(files: Sequence[FileResult], settings: Settings) -> tuple[FileResult, ...]:
    """Files of one tool that complete each other (a Threagile model and its `risks.json`)."""
    if not any(file.format == threagile_risks.FORMAT for file in files):
        return tuple(files)
    try:
        return join_threagile(files, settings)
    except Exception as error:  # a bug: say so, keep the files as they were read
        return (*files[:-1], dataclasses.replace(files[-1], findings=(
            *files[-1].findings, internal_error(files[-1].path, error))))  # fmt: skip


def pinned_formats(settings: Settings) -> list[tuple[GlobSet, str]]:
    """The formats the config pins, each with the globs of the files it is pinned to."""
    return [(GlobSet([pattern]), name) for pattern, name in settings.formats.items()]


def _context_files(
    settings: Settings,
    pinned: Sequence[tuple[GlobSet, str]],
    checked: set[str],
    workspace: Path | None,
    repository: Callable[[], Git | None],
) -> Iterator[FileResult]:
    """The other threat models under the root (the way git sees them), read as context: their
    ids, references and threats count, their findings are not reported."""
    discovery = discover(
        [],
        root=settings.root,
        include=settings.include,
        exclude=settings.exclude,
        max_files=settings.max_files,
        workspace=workspace,
        repository=repository,
    )
    already = {os.path.abspath(path) for path in checked}
    for candidate in discovery.candidates:
        if os.path.abspath(candidate.path) in already:
            continue
        try:
            result = check_file(candidate, settings, pinned, validate=False)
        except Exception:  # context is a courtesy; a file that fails here is skipped
            continue
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
    gate: str = "all",
    debt: Sequence[Threat] = (),
) -> RunResult:
    """Run the rules over checked files (with `context` files for ids) and put it together."""
    threats = tuple(threat for file in files for threat in file.threats)
    findings = [*extra, *(finding for file in files for finding in file.findings)]
    introduced = frozenset(
        id(change.after)
        for change in (comparison.changes if comparison else ())
        if change.kind == "new" and change.after is not None
    )
    rule_context = RuleContext(files, threats, settings, context, changed, introduced)
    table: tuple[ElementCoverage, ...] = ()
    try:
        findings.extend(iter_rule_findings(rule_context))
        table = rule_context.coverage()
    except Exception as error:  # a rule failing is a bug; report it, keep the rest
        findings.append(internal_error(".", error))
    findings = apply_levels(findings, settings.rule_levels)
    findings.sort(key=sort_key)
    internal = sum(1 for finding in findings if finding.rule == "internal-error")
    return RunResult(
        tuple(files),
        threats,
        tuple(findings),
        settings.threshold,
        internal,
        root=settings.root,
        comparison=comparison,
        gate=gate,
        debt=tuple(debt),
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


def _check_guarded(
    candidate: Candidate, settings: Settings, pinned: Sequence[tuple[GlobSet, str]]
) -> FileResult:
    try:
        return check_file(candidate, settings, pinned)
    except GlobBudgetError:
        raise  # the config's patterns, not this file: the run stops with exit 2
    except Exception as error:  # never a traceback; one file failing leaves the others
        return FileResult(
            candidate.path, None, False, findings=(internal_error(candidate.path, error),)
        )


def check_file(
    candidate: Candidate,
    settings: Settings,
    pinned: Sequence[tuple[GlobSet, str]] = (),
    *,
    validate: bool = True,
) -> FileResult:
    try:
        raw = read_bounded(candidate.path, read_limit(settings), within=candidate.within)
    except GateError as error:
        return _failed(candidate.path, "read-error", str(error))
    return check_content(raw, candidate, settings, pinned, validate=validate)


def read_limit(settings: Settings) -> int:
    """How many bytes a read may take: a tool's file may be larger than `max_file_bytes`;
    whether it may is decided once its content is recognised (`check_content`)."""
    return max(settings.max_file_bytes, TOOL_FILE_MAX_BYTES)


def _too_large(limit: int, setting: str) -> str:
    """As `read_bounded` says it, for a file refused once read."""
    return f"is larger than {limit} bytes ({setting}); not read"


def check_content(
    raw: bytes,
    candidate: Candidate,
    settings: Settings,
    pinned: Sequence[tuple[GlobSet, str]] = (),
    *,
    validate: bool = True,
) -> FileResult:
    """Parse, detect, validate and normalize the bytes of one file (read from disk or git)."""
    path = candidate.path
    # Past max_file_bytes, only a tool's file (JSON or XML, recognised) is read on.
    oversized = len(raw) > settings.max_file_bytes
    too_large = _too_large(settings.max_file_bytes, "max_file_bytes")
    relative = _relative(path, settings.root)
    pinned_format = next((name for globs, name in pinned if globs.matches(relative)), None)
    if pinned_format == markdown.FORMAT or (
        pinned_format is None and markdown.is_markdown_path(path)
    ):
        if oversized:
            return _failed(path, "read-error", too_large)
        return _check_markdown(candidate, raw, settings)
    if oversized and not _may_be_tool_file(raw):  # YAML
        return _failed(path, "read-error", too_large)
    dialect = next((d for d in settings.dialects if d.matches(relative)), None)
    if dialect is not None and pinned_format is None:
        return _check_dialect(raw, path, dialect, settings)
    if pinned_format == mstmt.FORMAT or (pinned_format is None and looks_like_xml(raw)):
        return _check_xml(candidate, raw, settings)
    try:
        document = parse(raw, path)
    except LoadError as error:
        if not candidate.explicit and not path_says_threat_model(relative, settings):
            return _skipped(path, f"does not parse ({error.message})")
        return _failed(path, "parse-error", error.message, error.line, error.column)
    format_name = pinned_format or detect_format(document.root)
    if format_name is None or format_name not in LOADERS:
        if oversized and format_name is None:
            return _failed(path, "read-error", too_large)
        return _not_a_threat_model(candidate, format_name)
    refused = _over_ceiling(path, len(raw), format_name, settings)
    if refused is not None:
        return refused
    schema = getattr(LOADERS[format_name], "SCHEMA", format_name)  # None: a tool's, unchecked
    schema_findings = validate_document(schema, document, path) if validate and schema else []
    parsed = LOADERS[format_name].read(document, path)
    threats = tuple(normalize(entry, settings) for entry in parsed.entries)
    return FileResult(
        path=path,
        format=format_name,
        valid=not schema_findings,
        threats=threats,
        definitions=parsed.definitions,
        references=parsed.references,
        elements=parsed.elements,
        findings=(*schema_findings, *parsed.findings),
        tool_data=parsed.tool_data,
    )


def _over_ceiling(path: str, size: int, format_name: str, settings: Settings) -> FileResult | None:
    """A read-error when the file is larger than its format allows (`max_file_bytes`, or the
    format's own ceiling when larger), else None."""
    own = getattr(ALL_LOADERS[format_name], "MAX_BYTES", 0)
    if size <= max(own, settings.max_file_bytes):
        return None
    limit, setting = (
        (own, f"the limit for {format_name} files")
        if own > settings.max_file_bytes
        else (settings.max_file_bytes, "max_file_bytes")
    )
    return _failed(path, "read-error", _too_large(limit, setting))


def _check_xml(candidate: Candidate, raw: bytes, settings: Settings) -> FileResult:
    """An XML file: a Microsoft Threat Modeling Tool model, or no threat model."""
    path = candidate.path
    try:
        document = load_xml(raw, mstmt.MARKED)
    except LoadError as error:
        return _failed(path, "parse-error", error.message, error.line, error.column)
    if not mstmt.is_model(document.root):
        if len(raw) > settings.max_file_bytes:
            return _failed(
                path, "read-error", _too_large(settings.max_file_bytes, "max_file_bytes")
            )
        return _not_a_threat_model(candidate)
    refused = _over_ceiling(path, len(raw), mstmt.FORMAT, settings)
    if refused is not None:
        return refused
    parsed = mstmt.read(document, path)
    return FileResult(
        path=path,
        format=mstmt.FORMAT,
        valid=True,
        threats=tuple(normalize(entry, settings) for entry in parsed.entries),
        elements=parsed.elements,
        findings=parsed.findings,
    )


def _check_dialect(raw: bytes, path: str, dialect: Dialect, settings: Settings) -> FileResult:
    """A team's own threat list, read through its `dialects:` entry and checked like a register."""
    try:
        text = decode_utf8(raw)
        suffix = os.path.splitext(path)[1].lower()
        if suffix == ".json" or (suffix not in (".yaml", ".yml") and text.lstrip()[:1] in "{["):
            document = load_json(text, allow_list=True)
        else:
            document = load_yaml(text, allow_list=True)
    except LoadError as error:
        return _failed(path, "parse-error", error.message, error.line, error.column)
    entries, findings = read_dialect(document, path, dialect)
    return FileResult(
        path=path,
        format=DIALECT,
        valid=not findings,
        threats=tuple(normalize(entry, settings) for entry in entries),
        findings=findings,
    )


def _check_markdown(candidate: Candidate, raw: bytes, settings: Settings) -> FileResult:
    try:
        model = markdown.read_markdown(decode_utf8(raw), candidate.path)
    except LoadError as error:
        return _failed(candidate.path, "parse-error", error.message, error.line, error.column)
    if model is None:
        if not candidate.explicit:
            return _skipped(candidate.path, "no threat table")  # prose Markdown, walked past
        return FileResult(
            candidate.path, None, True, findings=(markdown.no_table_note(candidate.path),)
        )
    return FileResult(
        path=candidate.path,
        format=markdown.FORMAT,
        valid=not model.findings,
        threats=tuple(normalize(entry, settings) for entry in model.entries),
        findings=model.findings,
    )


def _skipped(path: str, reason: str) -> FileResult:
    """A walked file that is no threat model: not checked, not counted, listed by -v."""
    return FileResult(path, None, True, skipped=reason)


def _not_a_threat_model(candidate: Candidate, recognised: str | None = None) -> FileResult:
    """A file in no format tmcheck reads: skipped when walked, `unknown-format` when named
    (naming the format it was recognised as, when it was)."""
    if recognised is not None:
        what = describe(recognised)
        if not candidate.explicit:
            return _skipped(candidate.path, f"{what}, a format tmcheck does not read yet")
        return _failed(
            candidate.path,
            "unknown-format",
            f"{what}: a format tmcheck does not read yet (it reads {', '.join(FORMATS)})",
        )
    if not candidate.explicit:
        return _skipped(candidate.path, "not a threat model")
    return _failed(
        candidate.path,
        "unknown-format",
        f"not a threat model tmcheck reads ({', '.join(FORMATS)});"
        " pin a format under `formats:` if it is one",
    )


def parse(raw: bytes, path: str) -> Document:
    """Decode and parse a file: JSON by its name or its first character, YAML otherwise.
    A JSON file may hold a list at the top (a tool's output: Threagile's `risks.json`)."""
    text = decode_utf8(raw)
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".json" or (suffix not in (".yaml", ".yml") and text.lstrip()[:1] in ("{", "[")):
        return load_json(text, allow_list=True)
    return load_yaml(text)


def _may_be_tool_file(raw: bytes) -> bool:
    """Whether an oversized file may be a tool's (JSON or XML), which may be larger than
    `max_file_bytes`; YAML and Markdown never are."""
    start = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return start[:1] in (b"{", b"[") or looks_like_xml(raw)


def _relative(path: str, root: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return path


def _failed(path: str, rule: str, message: str, line: int = 1, column: int = 1) -> FileResult:
    return FileResult(
        path, None, False, findings=(Finding(path, line, column, rule, "error", message),)
    )


def internal_error(path: str, error: Exception) -> Finding:
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "tmcheck" in frame.filename] or frames
    where = f" at {Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else ""
    return Finding(
        path, 1, 1, "internal-error", "error",
        f"tmcheck failed on this file ({type(error).__name__}{where}); this is a bug,"
        f" please report it at {REPORT_URL}",
    )  # fmt: skip
