"""`markdown`: threat tables in Markdown, as people write them (the seed's template among them).

The file's blocks are found as GitHub renders them (`markdown_blocks`): tables and headings in
code, quotes and HTML comments do not count. Every table whose header names threat columns is
read (`markdown_rows` says which), under any heading, several per file; a table without a
Component column takes its component from the heading above it when that heading names one.
The seed's title, `Key: value` lines (Date, Author, Scope) and the list items of its `##`
sections (Assets, Actors, ...) are kept too. Optional YAML front matter goes through the same
hardened loader as every YAML file.

A file with no threat table is no threat model: skipped when walked, a note when named.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from tmcheck.file_checks import file_finding
from tmcheck.findings import Finding
from tmcheck.formats import markdown_rows
from tmcheck.formats.fields import text as field_text
from tmcheck.formats.markdown_blocks import Heading, ListItem, Paragraph, Table, scan
from tmcheck.formats.markdown_table import cell_text
from tmcheck.model import ThreatEntry
from tmcheck.parsing.safe_yaml import load_yaml
from tmcheck.parsing.tree import LoadError
from tmcheck.scoring import word_key

FORMAT = "markdown"
SUFFIXES = (".md", ".markdown")
RULE = markdown_rows.RULE

_METADATA = re.compile(r"([A-Za-z][A-Za-z _-]{0,40}):[ \t]*(.*)\Z")
_TITLE = re.compile(r"threat model\b", re.IGNORECASE)
# How tmcheck's Markdown report starts (reporters.markdown.MARKER_PREFIX).
_OWN_REPORT = "<!-- tmcheck:report"
_FRONT_MATTER_KEYS = ("title", "date", "author", "scope", "owner", "component", "system")
# Headings that name a part of the document, not a component: `## 3. STRIDE Threats`.
_GENERIC_HEADING_WORDS = frozenset({
    "threat", "threats", "risk", "risks", "stride", "analysis", "matrix", "register", "model",
    "mitigation", "mitigations", "table", "summary", "assessment", "findings", "overview",
    "catalog", "catalogue", "list", "details",
})  # fmt: skip


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
    tables: int = 0  # threat tables read


def is_markdown_path(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in SUFFIXES


def read_markdown(
    text: str, path: str, configured_words: Collection[str] = ()
) -> MarkdownModel | None:
    """The threat model in `text`, or None when the file holds no threat table.
    `configured_words` are the words the configured scales and statuses add to the defaults."""
    if text.lstrip().startswith(_OWN_REPORT):
        return None  # tmcheck's own report (the action writes one into the workspace)
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if not _may_hold_table(lines):
        return None  # no block-by-block reading for a file that cannot hold a table
    findings: list[Finding] = []
    metadata, start = _front_matter(lines, path, findings)
    title: str | None = None
    section: str | None = None
    sections: dict[str, list[Item]] = {}
    headings: dict[int, str] = {}  # level -> the text of the nearest heading of that level
    tables_read: list[list[ThreatEntry]] = []
    tables = 0
    for block in scan(lines, start):
        if isinstance(block, Heading):
            if block.depth:
                continue
            words = cell_text(block.text)
            if block.level == 1 and title is None:
                title = words
            elif block.level == 2:
                section = _section_key(words)
                sections.setdefault(section, [])
            headings = {level: name for level, name in headings.items() if level < block.level}
            headings[block.level] = words
        elif isinstance(block, Table):
            context = " ".join([title or "", *headings.values()])
            nearest = headings[max(headings)] if headings else ""
            columns = markdown_rows.header_columns(lines, block, context, nearest)
            if columns is None:
                continue
            tables += 1
            component = _component_heading(headings)
            defaults = dict(metadata)
            if component and "component" not in columns:
                defaults["component"] = component
            tables_read.append(
                markdown_rows.read_table(
                    lines, block, columns, path, defaults, findings, configured_words
                )
            )
        elif isinstance(block, ListItem):
            if section is None:
                _metadata_line(block.text, title, metadata)
            else:
                sections[section].append(Item(cell_text(block.text), block.line))
        elif isinstance(block, Paragraph) and section is None and title is not None:
            for index in range(block.start, min(block.end, block.start + 50)):
                _metadata_line(lines[index].strip(), title, metadata)
    title = title or metadata.get("title")
    if not tables:
        return None  # whatever its front matter holds: the file is no threat model
    return MarkdownModel(
        title=title,
        metadata=metadata,
        sections={name: tuple(items) for name, items in sections.items()},
        entries=tuple(_one_threat_per_id(tables_read)),
        findings=tuple(findings),
        tables=tables,
    )


# What a repeated row may add to the threat its id names: the cells the first row left empty.
_FILLED = (
    "component", "category", "likelihood", "impact", "risk_score", "risk", "severity", "status",
    "owner", "mitigation", "ticket", "identified", "acceptance",
)  # fmt: skip


def _one_threat_per_id(tables: list[list[ThreatEntry]]) -> list[ThreatEntry]:
    """The document's threats, its tables read together. A row of a later table with an
    earlier table's id and no other title repeats that threat (a report's summary, then its
    remediation tracking): its cells fill what the first row left empty. Rows with one id and
    different titles in different tables are numbered per table (`1`, `2` under each
    component): their ids name no threat, and their titles tell them apart. Inside one table
    an id written twice stays a duplicate."""
    threats: list[ThreatEntry] = []
    first: dict[str, tuple[int, int]] = {}  # id -> (its table, its index in `threats`)
    per_table: set[str] = set()
    for number, table in enumerate(tables):
        for entry in table:
            if entry.id is None or first.setdefault(entry.id, (number, len(threats)))[0] == number:
                threats.append(entry)  # a new id, or a duplicate inside one table
                continue
            index = first[entry.id][1]
            earlier = threats[index]
            if entry.title and word_key(entry.title) != word_key(earlier.title):
                per_table.add(entry.id)
                threats.append(entry)
                continue
            missing = {
                name: getattr(entry, name)
                for name in _FILLED
                if getattr(earlier, name) is None and getattr(entry, name) is not None
            }
            threats[index] = dataclasses.replace(earlier, **missing) if missing else earlier
    if not per_table:
        return threats
    return [dataclasses.replace(e, id=None) if e.id in per_table else e for e in threats]


def _may_hold_table(lines: list[str]) -> bool:
    """Whether some line could be a table's delimiter row (`|---|:-:|`) under a line with a
    pipe: a table needs both, and a file without them is no threat model, however long."""
    pipe_above = False
    for line in lines:
        if pipe_above and line.strip(" \t") and not line.strip("|-: \t"):
            return True
        pipe_above = "|" in line
    return False


def no_table_note(path: str) -> Finding:
    """The note a named Markdown file without a threat table gets."""
    return file_finding(
        path, RULE,
        "no threat table found: a table whose header names threat columns, such as"
        " ID, Threat, STRIDE, Likelihood, Impact, Risk, Mitigation, Status",
        note=True,
    )  # fmt: skip


def _metadata_line(line: str, title: str | None, metadata: dict[str, str]) -> None:
    found = _METADATA.match(_unbold(line))
    if found and title is not None:
        metadata.setdefault(word_key(found.group(1)), cell_text(found.group(2)))


def _component_heading(headings: Mapping[int, str]) -> str | None:
    """The component the nearest heading below the title names, if it names one."""
    levels = [level for level in headings if level > 1]
    if not levels:
        return None
    words = headings[max(levels)]
    name = _strip_numbering(words.partition(":")[2].strip() or words)
    keys = set(word_key(name.replace(".", " ")).split())
    if not name or keys & _GENERIC_HEADING_WORDS:
        return None
    return name


def _strip_numbering(words: str) -> str:
    """`3.2 API Gateway` -> `API Gateway`; `A. Web` -> `Web`."""
    first, _, rest = words.partition(" ")
    if rest and first.rstrip(".)").replace(".", "").isdigit():
        return rest.strip()
    return words


def _front_matter(
    lines: list[str], path: str, findings: list[Finding]
) -> tuple[dict[str, str], int]:
    """Metadata from a leading `---` YAML block, and the index of the first body line."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        findings.append(
            file_finding(
                path, "parse-error",
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
            file_finding(
                path, "parse-error", f"front matter: {error.message}", error.line + 1, error.column
            )
        )
        return {}, end + 1
    metadata = {key: field_text(data.get(key)) for key in _FRONT_MATTER_KEYS}
    return {key: value for key, value in metadata.items() if value}, end + 1


def _section_key(words: str) -> str:
    """`Assets (what are we protecting?)` -> `assets`; `Out of Scope:` -> `out of scope`."""
    words = words.strip()
    if words.endswith(")") and "(" in words:
        words = words[: words.rindex("(")]  # string methods: no backtracking on a long line
    return word_key(words.rstrip(": "))


def _unbold(line: str) -> str:
    return line.replace("**", "").replace("__", "")
