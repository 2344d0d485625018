"""`markdown`: a Markdown threat model (`# Threat Model: ...`, `## Threats` with a table).

Read line by line, so every threat keeps the line of its own table row: the title, the `Key:
value` lines under it (Date, Author, Scope), the list items of every `##` section (Assets,
Actors, Trust Boundaries, Assumptions, Out of Scope) and the table of the `## Threats` section.
Optional YAML front matter goes through the same hardened loader as every YAML file.

A file is a threat model when its title starts with "Threat Model" or its Threats section has a
table; any other Markdown file is no threat model (a README is skipped, not reported).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from tmcheck.findings import Finding
from tmcheck.formats import markdown_rows
from tmcheck.formats.fields import text as field_text
from tmcheck.formats.markdown_table import cell_text, is_delimiter_row, is_table_line, split_row
from tmcheck.model import ThreatEntry
from tmcheck.parsing.safe_yaml import load_yaml
from tmcheck.parsing.tree import LoadError
from tmcheck.scoring import word_key

FORMAT = "markdown"
SUFFIXES = (".md", ".markdown")
RULE = markdown_rows.RULE

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\Z")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)\Z")
_BLOCK_START = re.compile(
    r" {0,3}(?:#{1,6}(?:[ \t]|\Z)|>|[-*+][ \t]|\d{1,9}[.)][ \t]|<!--|```|~~~)"
)
_THEMATIC_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})\Z")
_METADATA = re.compile(r"([A-Za-z][A-Za-z _-]{0,40}):[ \t]*(.*)\Z")
_TITLE = re.compile(r"threat model\b", re.IGNORECASE)
_FRONT_MATTER_KEYS = ("title", "date", "author", "scope", "owner", "component", "system")


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class MarkdownModel:
    title: str | None
    metadata: Mapping[str, str]  # date, author, scope, ...: lower-case keys
    sections: Mapping[str, tuple[Item, ...]]  # list items by section ("assets", "out of scope")
    entries: tuple[ThreatEntry, ...]
    findings: tuple[Finding, ...]


def is_markdown_path(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in SUFFIXES


def read_markdown(text: str, path: str) -> MarkdownModel | None:
    """The threat model in `text`, or None when the file is no Markdown threat model."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    findings: list[Finding] = []
    metadata, start = _front_matter(lines, path, findings)
    title: str | None = None
    title_line = 1
    section: str | None = None
    sections: dict[str, list[Item]] = {}
    threats_line: int | None = None
    tables: list[tuple[int, int]] = []  # (header index, end index) of tables under Threats
    fence: str | None = None
    in_comment = False
    index = start
    while index < len(lines):
        line = lines[index]
        if fence is not None or in_comment:
            fence, in_comment = _still_hidden(line, fence, in_comment)
            index += 1
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
        elif line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
        elif heading := _HEADING.match(line):
            level, words = len(heading.group(1)), cell_text(heading.group(2) or "")
            if level == 1 and title is None:
                title, title_line = words, index + 1
            elif level == 2:
                section = _section_key(words)
                sections.setdefault(section, [])
                if section == "threats" and threats_line is None:
                    threats_line = index + 1
        elif section is None:
            found = _METADATA.match(_unbold(_LIST_ITEM.sub(r"\1", line)).strip())
            if found and title is not None:
                metadata[word_key(found.group(1))] = cell_text(found.group(2))
        elif section == "threats" and _table_starts(lines, index):
            end = _table_end(lines, index + 2)
            tables.append((index, end))
            index = end
            continue
        elif item := _LIST_ITEM.match(line):
            sections[section].append(Item(cell_text(item.group(1)), index + 1))
        index += 1

    title = title or metadata.get("title")
    if not tables and not (title and _TITLE.match(title)):
        return None
    entries: list[ThreatEntry] = []
    for header, end in tables:
        entries += markdown_rows.read_table(lines, header, end, path, metadata, findings)
    if not tables:
        where = threats_line or title_line
        missing = "has no table" if threats_line else "is missing"
        findings.append(
            Finding(
                path, where, 1, RULE, "error",
                f"the `## Threats` section {missing}: a table with the columns ID, Component,"
                " STRIDE, Description, Risk, Mitigation, Status",
            )
        )  # fmt: skip
    return MarkdownModel(
        title=title,
        metadata=metadata,
        sections={name: tuple(items) for name, items in sections.items()},
        entries=tuple(entries),
        findings=tuple(findings),
    )


def _front_matter(
    lines: list[str], path: str, findings: list[Finding]
) -> tuple[dict[str, str], int]:
    """Metadata from a leading `---` YAML block, and the index of the first body line."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        findings.append(
            Finding(
                path, 1, 1, "parse-error", "error",
                "the YAML front matter opened here is never closed (a line with --- ends it)",
            )
        )  # fmt: skip
        return {}, 1
    block = "\n".join(lines[1:end])
    if not block.strip():
        return {}, end + 1
    try:
        data = load_yaml(block).data
    except LoadError as error:  # positions are the block's: line 1 is the file's line 2
        findings.append(
            Finding(
                path, error.line + 1, error.column, "parse-error", "error",
                f"front matter: {error.message}",
            )
        )  # fmt: skip
        return {}, end + 1
    metadata = {key: field_text(data.get(key)) for key in _FRONT_MATTER_KEYS}
    return {key: value for key, value in metadata.items() if value}, end + 1


def _still_hidden(line: str, fence: str | None, in_comment: bool) -> tuple[str | None, bool]:
    """The fence and comment state after `line`, inside a code block or an HTML comment."""
    if fence is not None:
        closing = _FENCE.match(line)
        if (
            closing
            and len(closing.group(1)) >= len(fence)
            and not line.strip().lstrip(fence[0])  # only fence characters: `~~~` closes `~~~`
        ):
            return None, in_comment
        return fence, in_comment
    return None, "-->" not in line


def _section_key(words: str) -> str:
    """`Assets (what are we protecting?)` -> `assets`; `Out of Scope:` -> `out of scope`."""
    return word_key(re.sub(r"\s*\([^)]*\)\s*$", "", words).rstrip(": "))


def _unbold(line: str) -> str:
    return line.replace("**", "").replace("__", "")


def _table_starts(lines: list[str], index: int) -> bool:
    if index + 1 >= len(lines) or not is_table_line(lines[index]):
        return False
    return is_delimiter_row(split_row(lines[index + 1]))


def _table_end(lines: list[str], index: int) -> int:
    """The index of the first line after the table's rows (GitHub's rule: a blank line or the
    start of another block ends it; any other line is one more row)."""
    while index < len(lines):
        line = lines[index]
        if not line.strip() or _BLOCK_START.match(line) or _THEMATIC_BREAK.match(line):
            break
        index += 1
    return index
