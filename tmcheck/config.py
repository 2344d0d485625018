"""Settings: defaults < `.tmcheck.yaml` < `TMCHECK_*` environment < command line, in one place.

Every layer is checked against the config schema before it is merged, so a bad value is named
with where it came from (`.tmcheck.yaml:4`, `TMCHECK_THRESHOLD`, `--threshold`).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tmcheck.errors import ConfigError
from tmcheck.formats.dialect import Dialect, dialect_from
from tmcheck.scoring import DEFAULT_BANDS, DEFAULT_MATRIX, DEFAULT_SCALE, band_level, word_key
from tmcheck.suggest import closest
from tmcheck.treatment import (
    Treatment,
    default_roles,
    default_treatment,
    merge_treatment,
    parse_sla,
)

CONFIG_NAMES = (".tmcheck.yaml", ".tmcheck.yml")
MAX_CONFIG_BYTES = 256 * 1024

DEFAULT_INCLUDE: tuple[str, ...] = (
    "**/*.yaml", "**/*.yml", "**/*.json", "**/*.md", "**/*.markdown", "**/*.tm7", "**/*.otm",
)  # fmt: skip
DEFAULT_EXCLUDE: tuple[str, ...] = (
    "**/.git/**",
    "**/node_modules/**",
    "**/.venv/**",
    "**/venv/**",
    "**/.tox/**",
    "**/__pycache__/**",
    "**/.pre-commit-config.yaml",
    "**/.github/**",
    "**/.tmcheck.yaml",
    "**/.tmcheck.yml",
)
DEFAULT_CLOSED: frozenset[str] = frozenset(
    {"mitigated", "accepted", "transferred", "avoided", "not_applicable", "false_positive"}
)

# Keys that may also come from the environment, as TMCHECK_<KEY>, and how to read them.
_ENVIRONMENT_KEYS: Mapping[str, type] = {
    "threshold": int,
    "level_model": str,
    "max_file_bytes": int,
    "max_files": int,
    "gate": str,
    "history_commits": int,
}


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, merged from all layers."""

    root: Path = field(default_factory=Path.cwd)  # globs are relative to it
    config_path: Path | None = None
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    threshold: int = 12
    gate: str = "all"  # "all": every open threat at the threshold blocks; "new": only new ones
    level_model: str = "bands"
    likelihood_scale: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_SCALE))
    impact_scale: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_SCALE))
    bands: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_BANDS))
    matrix: tuple[tuple[str, ...], ...] = DEFAULT_MATRIX
    status_words: Mapping[str, str] = field(default_factory=dict)
    closed_statuses: frozenset[str] = DEFAULT_CLOSED
    rule_levels: Mapping[str, str] = field(default_factory=dict)
    formats: Mapping[str, str] = field(default_factory=dict)
    dialects: tuple[Dialect, ...] = ()  # teams' own threat lists (see formats.dialect)
    max_file_bytes: int = 1024 * 1024
    max_files: int = 1000
    today: datetime.date = field(default_factory=datetime.date.today)  # TMCHECK_TODAY in tests
    treatment: Mapping[str, Treatment] = field(default_factory=default_treatment)
    roles: tuple[str, ...] = ("Team Lead", "Security Lead", "CISO")  # lowest first
    approvers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # role -> people
    owners: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # owner -> logins
    ticket_url: str | None = None  # with `{ticket}` where the ticket goes
    history_commits: int = 500  # commits of each file the SLA clock reads; 0: git is not asked

    @property
    def threshold_level(self) -> str:
        """The level a threat without a score must reach to block: the level of the threshold."""
        return band_level(self.threshold, self.bands)


def find_config(start: Path, workspace: Path | None = None) -> Path | None:
    """The nearest `.tmcheck.yaml` in `start` or a directory above it (up to the workspace)."""
    directories = [start, *start.parents]
    if workspace is not None and workspace in directories:
        directories = directories[: directories.index(workspace) + 1]
    for directory in directories:
        for name in CONFIG_NAMES:
            candidate = directory / name
            if os.path.lexists(candidate):  # a link or a device is found, and then refused
                return candidate
    return None


def load_settings(
    *,
    cwd: Path,
    config_path: Path | None = None,
    use_config_file: bool = True,
    environment: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    workspace: Path | None = None,
    config_bytes: bytes | None = None,
) -> Settings:
    """Merge defaults, the config file, `TMCHECK_*` variables and command-line overrides.

    With a `workspace` (the action's), the config file is read inside it, no component of its
    path a link; otherwise no component of the path as given may be a link. `config_bytes`: the
    content of `config_path` as read elsewhere (the action reads it from the base commit)."""
    merged: dict[str, Any] = {}
    root = cwd
    within = workspace
    if config_path is None and use_config_file:
        config_path = find_config(cwd, workspace)
        if config_path is not None and workspace is None:
            within = config_path.parent  # found by looking up from where the user is
    if config_path is not None:
        shown = _shown(config_path, cwd)
        if config_bytes is not None:
            merged.update(parse_config(config_bytes, shown))
        else:
            merged.update(_read_config_file(config_path, within, shown))
        root = config_path.parent
    merged.update(_environment_layer(environment or {}))
    today = _today(environment or {})
    if today is not None:
        merged["today"] = today
    if overrides:
        overrides = {key: value for key, value in overrides.items() if value is not None}
        _check_layer(overrides, lambda key: f"--{key.replace('_', '-')}")
        merged.update(overrides)
    return _settings_from(merged, _canonical(root), config_path)


def _canonical(path: Path) -> Path:
    """`path` resolved. A link swapped while it is being resolved (a race a pull request can
    run) makes `resolve` fail: the path stays absolute, and the confined reads refuse what is
    behind it."""
    try:
        return path.resolve()
    except OSError:
        return Path(os.path.abspath(path))


def _shown(path: Path, cwd: Path) -> str:
    """The config's path as messages show it: relative to the current directory."""
    try:
        return os.path.relpath(path, cwd) if path.is_absolute() else str(path)
    except ValueError:  # another drive
        return str(path)


def _read_config_file(path: Path, within: Path | None, shown: str) -> dict[str, Any]:
    from tmcheck.confined import ReadRefused, read_bounded

    try:  # a pull request may commit the config too: the same gate as any file it brings
        raw = read_bounded(
            str(path), MAX_CONFIG_BYTES, setting="the limit for config files", within=within
        )
    except ReadRefused as error:
        raise ConfigError(f"{shown}: the config file {error}") from None
    return parse_config(raw, shown)


def parse_config(raw: bytes, shown: str) -> dict[str, Any]:
    """The checked layer of a config file's content; errors name it as `shown`, with the line."""
    from tmcheck.parsing.encoding import decode_utf8
    from tmcheck.parsing.safe_yaml import load_yaml
    from tmcheck.parsing.tree import LoadError

    try:
        document = load_yaml(decode_utf8(raw)) if raw.strip() else None
    except LoadError as error:
        raise ConfigError(f"{shown}:{error.line}:{error.column}: {error.message}") from None
    if document is None:
        return {}

    def where(key: str) -> str:
        line, column = document.locate(key.split("."))
        return f"{shown}:{line}:{column}: {key}"

    _check_layer(document.data, where)
    return dict(document.data)


def _environment_layer(environment: Mapping[str, str]) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    for key, kind in _ENVIRONMENT_KEYS.items():
        name = f"TMCHECK_{key.upper()}"
        text = environment.get(name, "").strip()
        if not text:
            continue
        if kind is int:
            try:
                layer[key] = int(text)
            except ValueError:
                raise ConfigError(f"{name}: {text!r} is not an integer") from None
        else:
            layer[key] = text
    _check_layer(layer, lambda key: f"TMCHECK_{key.split('.')[0].upper()}")
    return layer


def _today(environment: Mapping[str, str]) -> datetime.date | None:
    """`TMCHECK_TODAY` (YYYY-MM-DD): the day SLA clocks and acceptance expiry are judged on,
    so that a test, or a look at next week, sees the same day every time."""
    text = environment.get("TMCHECK_TODAY", "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"TMCHECK_TODAY: {text!r} is not a date (YYYY-MM-DD)") from None


def _check_layer(layer: Mapping[str, Any], where: Any) -> None:
    """Raise ConfigError naming every bad key of one layer (one per line), and what it allows."""
    from tmcheck.escape import for_log
    from tmcheck.findings import INTERNAL_ERROR
    from tmcheck.rules import DEFAULT_LEVELS
    from tmcheck.validation import iter_schema_errors

    problems = []
    for path, message in iter_schema_errors("config", layer):
        key = ".".join(str(step) for step in path)
        problems.append(f"{where(key) if key else 'config'}: {message}")
    rules = layer.get("rules", {})
    for rule in rules if isinstance(rules, Mapping) else ():
        if rule not in DEFAULT_LEVELS:
            close = closest(rule, DEFAULT_LEVELS)
            hint = (
                f"did you mean {close!r}?"
                if close is not None
                else f"`tmcheck rules` lists them: {', '.join(sorted(DEFAULT_LEVELS))}"
            )
            problems.append(f"{where('rules.' + rule)}: unknown rule {rule!r}; {hint}")
        elif rule == INTERNAL_ERROR and rules[rule] != "error":
            problems.append(
                f"{where('rules.' + rule)}: the level of {rule} cannot be changed: it reports a"
                " bug in tmcheck, and a run that met one must not pass"
            )
    if problems:  # one a line: a key's own line breaks are escaped
        raise ConfigError("\n".join(for_log(problem) for problem in problems))


def _settings_from(merged: Mapping[str, Any], root: Path, config_path: Path | None) -> Settings:
    values: dict[str, Any] = {"root": root, "config_path": config_path}
    for key in (
        "threshold", "gate", "level_model", "max_file_bytes", "max_files", "today",
        "history_commits", "ticket_url",
    ):  # fmt: skip
        if key in merged:
            values[key] = merged[key]
    for key in ("include", "exclude"):
        if key in merged:
            values[key] = tuple(merged[key])
    scales = merged.get("scales", {})
    if "likelihood" in scales:
        values["likelihood_scale"] = {word_key(k): v for k, v in scales["likelihood"].items()}
    if "impact" in scales:
        values["impact_scale"] = {word_key(k): v for k, v in scales["impact"].items()}
    if "bands" in merged:
        bands = {**DEFAULT_BANDS, **merged["bands"]}
        order = [bands[level] for level in ("critical", "high", "medium", "low", "info")]
        if order != sorted(order, reverse=True) or len(set(order)) != len(order):
            raise ConfigError(
                f"bands: each level must start above the next (critical > high > medium > low > 1),"
                f" got {merged['bands']}"
            )
        values["bands"] = bands
    if "matrix" in merged:
        values["matrix"] = tuple(tuple(row) for row in merged["matrix"])
    if "statuses" in merged:
        values["status_words"] = {word_key(k): v for k, v in merged["statuses"].items()}
    if "closed_statuses" in merged:
        values["closed_statuses"] = frozenset(merged["closed_statuses"])
    if "rules" in merged:
        values["rule_levels"] = dict(merged["rules"])
    if "formats" in merged:
        values["formats"] = dict(merged["formats"])
    if "dialects" in merged:
        values["dialects"] = tuple(
            dialect_from(entry, index) for index, entry in enumerate(merged["dialects"])
        )
    values.update(_policy(merged, f"{config_path}: " if config_path else ""))
    return Settings(**values)


def _policy(merged: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The treatment table, the ranked roles, the approvers and the ticket link, checked
    against each other: every approver the table names must be a ranked role."""
    values: dict[str, Any] = {}
    for level, fields in merged.get("treatment", {}).items():
        if "sla" in fields and parse_sla(fields["sla"]) is None:
            raise ConfigError(
                f"{where}treatment.{level}.sla: {fields['sla']!r} is not an SLA (24 hours,"
                " 1 week, 1 month, 1 quarter, none, or a number of days)"
            )
    table = merge_treatment(merged.get("treatment", {})) if "treatment" in merged else None
    treatment = table or default_treatment()
    if table is not None:
        values["treatment"] = table
    roles = tuple(merged.get("roles") or default_roles(treatment))
    values["roles"] = roles
    known = {word_key(role) for role in roles}
    for level, entry in treatment.items():
        if word_key(entry.approver) not in known:
            raise ConfigError(
                f"{where}treatment.{level}.approver: {entry.approver!r} is not one of the roles"
                f" ({', '.join(roles)}); list it under roles:"
            )
    approvers = merged.get("approvers", {})
    for role in approvers:
        if word_key(role) not in known:
            raise ConfigError(
                f"{where}approvers: {role!r} is not one of the roles ({', '.join(roles)})"
            )
    by_key = {word_key(role): role for role in roles}
    values["approvers"] = {by_key[word_key(k)]: tuple(v) for k, v in approvers.items()}
    values["owners"] = {
        word_key(name): (logins,) if isinstance(logins, str) else tuple(logins)
        for name, logins in merged.get("owners", {}).items()
    }
    ticket_url = merged.get("ticket_url")
    if ticket_url is not None and "{ticket}" not in ticket_url:
        raise ConfigError(
            f"{where}ticket_url: {ticket_url!r} has no {{ticket}} where the ticket goes"
        )
    return values
