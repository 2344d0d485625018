"""One file, from bytes to threats: read -> parse -> detect -> validate -> normalize.

A `FileChecker` holds what every file of a run shares (the settings, the formats the config
pins); the run (`check.py`) and the base revision (`baseline.py`) both check files through it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tmcheck.budget import RunBudget
from tmcheck.config import DEFAULT_INCLUDE
from tmcheck.discover import Candidate, ReadRefused, read_bounded
from tmcheck.file_checks import file_finding
from tmcheck.findings import internal_error
from tmcheck.formats import TOOL_FILE_MAX_BYTES, markdown, mstmt_terms, threagile_risks
from tmcheck.formats.detect import ALL_LOADERS, LOADERS, detect_format
from tmcheck.formats.dialect import FORMAT as DIALECT
from tmcheck.formats.dialect import Dialect
from tmcheck.formats.dialect import read as read_dialect
from tmcheck.formats.foreign import describe
from tmcheck.formats.threagile_join import join_threagile
from tmcheck.globs import GlobBudgetError, GlobSet
from tmcheck.normalize import normalize
from tmcheck.parsing.encoding import decode_utf8
from tmcheck.parsing.safe_json import load_json
from tmcheck.parsing.safe_xml import load_xml, looks_like_xml
from tmcheck.parsing.safe_yaml import load_yaml
from tmcheck.parsing.tree import Document, LoadError
from tmcheck.results import FileResult
from tmcheck.selection import relative_to_root
from tmcheck.validation import validate_document

if TYPE_CHECKING:
    from tmcheck.config import Settings

# tmcheck's own formats, in the order messages name them (tools' files are known by content).
FORMATS = (
    "stride-worksheet", "threat-register", "threat-library", "threat-dragon", "markdown",
    "architecture",
)  # fmt: skip


class FileChecker:
    """Checks the files of one run, each on its own: a file that fails leaves the others."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # what every file read in this run costs, in all
        self.budget = RunBudget.for_files(settings.max_files)
        self._pinned = [(GlobSet([pattern]), name) for pattern, name in settings.formats.items()]

    def check_guarded(self, candidate: Candidate) -> FileResult:
        """`check_file`, with a bug turned into an internal-error finding: never a traceback."""
        try:
            return self.check_file(candidate)
        except GlobBudgetError:
            raise  # the config's patterns, not this file: the run stops with exit 2
        except Exception as error:  # one file failing leaves the others
            return FileResult(
                candidate.path, None, False, findings=(internal_error(candidate.path, error),)
            )

    def check_file(self, candidate: Candidate, *, validate: bool = True) -> FileResult:
        """Read the file (confined: no link, bounded), then check its content."""
        try:
            raw = read_bounded(candidate.path, read_limit(self.settings), within=candidate.within)
        except ReadRefused as error:
            return _failed(candidate.path, "read-error", str(error))
        self.budget.charge(bytes=len(raw))
        return self.check_content(raw, candidate, validate=validate)

    def check_content(
        self, raw: bytes, candidate: Candidate, *, validate: bool = True
    ) -> FileResult:
        """Parse, detect, validate and normalize the bytes of one file (read from disk or git)."""
        path, settings = candidate.path, self.settings
        if path.lower().endswith(PYTHON_SUFFIXES):
            return _python_model(candidate)
        # Past max_file_bytes, only a tool's file (JSON or XML, recognised) is read on.
        oversized = len(raw) > settings.max_file_bytes
        too_large = _too_large(settings.max_file_bytes, "max_file_bytes")
        pinned = self.pinned_format(path)
        if pinned == markdown.FORMAT or (pinned is None and markdown.is_markdown_path(path)):
            if oversized:
                return _failed(path, "read-error", too_large)
            return self._check_markdown(raw, candidate)
        if oversized and not _may_be_tool_file(raw):  # YAML
            return _failed(path, "read-error", too_large)
        relative = relative_to_root(path, settings.root) or path
        dialect = next((d for d in settings.dialects if d.matches(relative)), None)
        if dialect is not None and pinned is None:
            return self._check_dialect(raw, path, dialect)
        if pinned == mstmt_terms.FORMAT or (pinned is None and looks_like_xml(raw)):
            return self._check_xml(raw, candidate)
        try:
            document = parse(raw, path)
        except LoadError as error:
            if not candidate.explicit and not path_says_threat_model(relative, settings):
                return _skipped(path, f"does not parse ({error.message})")
            return _failed(path, "parse-error", error.message, error.line, error.column)
        self.budget.charge(values=document.values)
        format_name = pinned or detect_format(document.root)
        if format_name is None or format_name not in LOADERS:
            if oversized and format_name is None:
                return _failed(path, "read-error", too_large)
            return _not_a_threat_model(candidate, format_name)
        refused = _over_ceiling(path, len(raw), format_name, settings)
        if refused is not None:
            return refused
        loader = LOADERS[format_name]
        schema = getattr(loader, "SCHEMA", format_name)  # None: a tool's, unchecked
        if hasattr(loader, "schema_name"):  # the format's files name their schema's version
            schema = loader.schema_name(document.data)
        schema_findings = validate_document(schema, document, path) if validate and schema else []
        review = getattr(loader, "review_schema_findings", None)
        if review is not None:  # a tool's newer version, checked against the schema of the last
            schema_findings = review(schema_findings, document)
        parsed = loader.read(document, path)
        return FileResult(
            path=path,
            format=format_name,
            valid=not schema_findings,
            threats=tuple(normalize(entry, self.settings) for entry in parsed.entries),
            definitions=parsed.definitions,
            references=parsed.references,
            elements=parsed.elements,
            findings=(*schema_findings, *parsed.findings),
            tool_data=parsed.tool_data,
        )

    def pinned_format(self, path: str) -> str | None:
        """The format `formats:` in the config pins the file at `path` to, if any."""
        if not self._pinned:
            return None
        relative = relative_to_root(path, self.settings.root) or path
        return next((name for globs, name in self._pinned if globs.matches(relative)), None)

    def _check_xml(self, raw: bytes, candidate: Candidate) -> FileResult:
        """An XML file: a Microsoft Threat Modeling Tool model, or no threat model."""
        from tmcheck.formats import mstmt  # the XML reader: only for a file that looks like XML

        path, settings = candidate.path, self.settings
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
        refused = _over_ceiling(path, len(raw), mstmt_terms.FORMAT, settings)
        if refused is not None:
            return refused
        parsed = mstmt.read(document, path)
        return FileResult(
            path=path,
            format=mstmt_terms.FORMAT,
            valid=True,
            threats=tuple(normalize(entry, settings) for entry in parsed.entries),
            elements=parsed.elements,
            findings=parsed.findings,
        )

    def _check_dialect(self, raw: bytes, path: str, dialect: Dialect) -> FileResult:
        """A team's own threat list, read through its `dialects:` entry, checked like a
        register."""
        try:
            text = decode_utf8(raw)
            suffix = os.path.splitext(path)[1].lower()
            if suffix == ".json" or (
                suffix not in (".yaml", ".yml") and text.lstrip()[:1] in ("{", "[")
            ):
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
            threats=tuple(normalize(entry, self.settings) for entry in entries),
            findings=findings,
        )

    def _check_markdown(self, raw: bytes, candidate: Candidate) -> FileResult:
        try:
            vocabularies = (
                self.settings.likelihood_scale,
                self.settings.impact_scale,
                self.settings.status_words,
            )
            words = {word for vocabulary in vocabularies for word in vocabulary}
            model = markdown.read_markdown(decode_utf8(raw), candidate.path, words)
        except LoadError as error:
            return _failed(candidate.path, "parse-error", error.message, error.line, error.column)
        if model is None:
            if not candidate.explicit:
                return _skipped(candidate.path, "no threat table")  # prose, walked past
            return FileResult(
                candidate.path, None, True, findings=(markdown.no_table_note(candidate.path),)
            )
        return FileResult(
            path=candidate.path,
            format=markdown.FORMAT,
            valid=not model.findings,
            threats=tuple(normalize(entry, self.settings) for entry in model.entries),
            findings=model.findings,
        )


def join_tool_files(files: Sequence[FileResult], settings: Settings) -> tuple[FileResult, ...]:
    """Files of one tool that complete each other (a Threagile model and its `risks.json`)."""
    if not any(file.format == threagile_risks.FORMAT for file in files):
        return tuple(files)
    try:
        return join_threagile(files, settings)
    except Exception as error:  # a bug: say so, keep the files as they were read
        last = files[-1]
        return (
            *files[:-1],
            dataclasses.replace(last, findings=(*last.findings, internal_error(last.path, error))),
        )


def read_limit(settings: Settings) -> int:
    """How many bytes a read may take: a tool's file may be larger than `max_file_bytes`;
    whether it may is decided once its content is recognised (`check_content`)."""
    return max(settings.max_file_bytes, TOOL_FILE_MAX_BYTES)


def _too_large(limit: int, setting: str) -> str:
    """As `read_bounded` says it, for a file refused once read."""
    return f"is larger than {limit} bytes ({setting}); not read"


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


# A pytm model is a Python program: tmcheck neither runs nor parses one, whatever its content.
PYTHON_SUFFIXES = (".py", ".pyw")


def _python_model(candidate: Candidate) -> FileResult:
    if not candidate.explicit:
        return _skipped(candidate.path, "a Python file (a program, never read)")
    name = os.path.basename(candidate.path)
    return _failed(
        candidate.path,
        "unknown-format",
        "a Python file is a program, never read as a threat model (a pytm model is not run);"
        f" check the JSON it writes: `python {name} --json tm.json`, then `tmcheck check tm.json`",
    )


def _skipped(path: str, reason: str) -> FileResult:
    """A walked file that is no threat model: not checked, not counted, listed by -v."""
    return FileResult(path, None, True, skipped=reason)


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


def _failed(path: str, rule: str, message: str, line: int = 1, column: int = 1) -> FileResult:
    return FileResult(
        path, None, False, findings=(file_finding(path, rule, message, line, column),)
    )
