"""A Markdown threat table: header names to fields, rows to threats.

Header names match case- and punctuation-insensitively and in any order (`Threat ID`, `#`,
`STRIDE Category`, `Likelihood (1-5)`, `Mitigation(s)`); columns tmcheck does not know are kept
out of the way, not refused. A table is a threat table when its header names a threat (an ID, a
title or a description) and how it is classified or rated (a STRIDE category, a likelihood, an
impact, a risk, a severity or a priority). Values are read as people write them: ratings
`High (12)`, `4x5`, `🔴 High`, `H`; statuses `✅`, `Partial`, `Shipped`, `N/A`. A cell that
holds only a placeholder (`...`, `TBD`, `-`) is empty, and a row whose cells other than its ID
are all empty is a template's or an example's row: no threat. Ids are numbered per document.

A row with the wrong number of cells, and a row of a table with an ID column but no ID, are
`markdown-table` errors at their line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping
from typing import Any

from tmcheck.file_checks import file_finding
from tmcheck.findings import Finding
from tmcheck.formats.markdown_blocks import Table
from tmcheck.formats.markdown_table import Cell, split_row
from tmcheck.model import Position, ThreatEntry
from tmcheck.normalize import category_parts
from tmcheck.scoring import (
    DEFAULT_SCALE,
    DEFAULT_STATUS_WORDS,
    is_level_word,
    parse_product,
    range_ends,
    word_key,
)

RULE = "markdown-table"
FORMAT = "markdown"

# Header words (compared by `header_key`) -> the ThreatEntry field they fill.
COLUMNS: Mapping[str, str] = {
    "id": "id", "threat id": "id", "ref": "id", "reference": "id", "#": "id", "no": "id",
    "nr": "id", "number": "id", "tid": "id", "threat no": "id", "threat ref": "id",
    "risk id": "id", "finding id": "id", "vulnerability id": "id", "vuln id": "id",
    "component": "component", "element": "component", "affected component": "component",
    "asset": "component", "target": "component", "dfd element": "component",
    "system": "component", "service": "component", "affected asset": "component",
    "surface": "component", "attack surface": "component",
    "stride": "category", "category": "category", "stride category": "category",
    "threat type": "category", "threat category": "category", "type": "category",
    "stride type": "category", "stride class": "category",
    "title": "title", "threat": "title", "threats": "title", "name": "title",
    "threat name": "title",
    "threat title": "title", "summary": "title", "threat scenario": "title",
    "scenario": "title", "attack": "title", "attack scenario": "title",
    "description": "description", "threat description": "description", "details": "description",
    "risk": "risk", "risk level": "risk", "rating": "risk", "risk rating": "risk",
    "inherent risk": "risk", "overall risk": "risk", "level": "risk",
    "residual risk": "risk", "residual": "risk", "residual risk level": "risk",
    "severity": "severity", "priority": "priority",
    "likelihood": "likelihood", "probability": "likelihood", "likelihood l": "likelihood",
    "impact": "impact", "impact i": "impact",
    "risk score": "risk_score", "score": "risk_score",
    "mitigation": "mitigation", "mitigations": "mitigation", "controls": "mitigation",
    "control": "mitigation", "countermeasure": "mitigation", "countermeasures": "mitigation",
    "mitigation s": "mitigation", "recommended mitigation": "mitigation",
    "existing controls": "mitigation", "remediation": "mitigation", "response": "mitigation",
    "status": "status", "state": "status", "mitigation status": "status",
    "owner": "owner", "assignee": "owner", "responsible": "owner",
    "library": "library", "approver": "approver", "reason": "reason", "expires": "expires",
    "ticket": "ticket", "issue": "ticket", "identified": "identified", "date": "identified",
}  # fmt: skip
_NAMES = ("id", "title", "description")
_RATED = ("category", "likelihood", "impact", "risk", "risk_score", "severity", "priority")
# A cell that holds only one of these is empty: a template's or an example's placeholder
# (`...`, `TBD`, `-`); also any run of dots and dashes.
_PLACEHOLDERS = frozenset({"tbd", "tba", "todo", "n/a", "na", "?"})
_PLACEHOLDER_MARKS = re.compile(r"[.\u2026\-\u2013\u2014]+\Z")
_NUMBER = re.compile(r"\d{1,2}\Z")
_FIGURE = re.compile(r"\d{1,3}(?:\.\d{1,2})?(?: ?/ ?\d{1,3})?")  # `15`, `7.5`, `3/5`
_MOST_WORDS = 3  # a rating or a status in words: `Very High`, `Not Mitigated`, `Almost certain`
# One or two letters for a level (`H`, `VH`, `Med`).
_LEVEL_SHORTHAND: Mapping[str, str] = {
    "c": "critical", "crit": "critical", "h": "high", "hi": "high", "m": "medium",
    "med": "medium", "l": "low", "lo": "low", "vh": "very high", "vl": "very low",
    "i": "info",
}  # fmt: skip
# Status marks written instead of a word.
_STATUS_MARKS: Mapping[str, str] = {
    "\u2705": "mitigated", "\u2714": "mitigated", "\u2611": "mitigated",  # check marks
    "\u274c": "open", "\u2716": "open", "\u2b55": "open",  # crosses
    "\U0001f7e1": "in progress", "\U0001f7e0": "in progress", "\u26a0": "in progress",
    "\u23f3": "in progress", "\U0001f6a7": "in progress",
}  # fmt: skip


def header_key(text: str) -> str:
    """How header names compare: `Threat-ID`, `threat id` and `Threat ID:` are one name."""
    if text.strip() == "#":
        return "#"
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


# A qualified header names its field by its last words (`Threat Status`, `STRIDE Threat Type`,
# `Risk Owner`, `Business Impact`), for these fields; a word that means other things outside a
# threat table (`Data Type`, `Due Date`, `Support Level`) never counts on its own.
_QUALIFIABLE = frozenset(
    {"status", "owner", "mitigation", "likelihood", "impact", "severity", "priority", "category",
     "risk_score"}
)  # fmt: skip
_THREAT_NAME_HEADERS = frozenset(
    {"threat", "threats", "threat name", "threat title", "threat scenario", "threat id"}
)
_MITIGATION_WORDS = ("mitigation", "control", "countermeasure", "safeguard", "remediation")
_TALLY_WORDS = frozenset({"count", "total", "number of findings", "number of threats"})
_AMBIGUOUS_WORDS = frozenset({"type", "level", "date", "state", "score", "response", "control"})
# What makes a table a threat table rather than a list of parameters, releases or tasks: a
# header (or the heading above the table) that speaks of threats or risks, or STRIDE names in
# its category column. `Name | Type | Description` and `Level | Name | Capabilities` are not.
_THREAT_WORDS = (
    "threat", "stride", "risk", "likelihood", "probability", "severity", "mitigat",
    "countermeasure", "attack", "vulnerab", "dread", "exploit", "cvss", "security",
)  # fmt: skip


def header_columns(
    lines: list[str], table: Table, context: str = "", nearest: str = ""
) -> dict[str, int] | None:
    """Field -> column index of a threat table's header; None when it is no threat table.
    `context` is the text of the headings the table is under, `nearest` the closest one."""
    columns: dict[str, int] = {}
    header = split_row(lines[table.header][table.offset :])
    for index, cell in enumerate(header):
        field = _header_field(cell.text)
        if field and (field not in columns or _is_residual(cell.text)):
            columns[field] = index  # the risk left after the mitigations is the one to gate on
    if not any(name in columns for name in _NAMES):
        return None
    # `Threat | Mitigation`: a list of threats, rated or not (unrated ones are said so)
    names_threats = any(header_key(cell.text) in _THREAT_NAME_HEADERS for cell in header)
    rated = any(name in columns for name in _RATED)
    if not names_threats and not rated:
        return None
    if not rated and any(word in nearest.casefold() for word in _MITIGATION_WORDS):
        return None  # `## Active Mitigations`: `Threat | Control` maps controls to threats
    if any(header_key(cell.text) in _TALLY_WORDS for cell in header):
        return None  # `Risk Level | Count | Fixed`: a summary of threats, not a list of them
    said = " ".join([context, *(cell.text for cell in header)]).casefold()
    if any(word in said for word in _THREAT_WORDS) or _stride_values(lines, table, columns):
        return columns
    return None


def _is_residual(text: str) -> bool:
    return header_key(text).startswith("residual")


def _header_field(text: str) -> str | None:
    for key in (header_key(text), header_key(text.partition("(")[0])):
        field = COLUMNS.get(key)
        if field is not None:
            return field
        words = key.split()
        for start in range(1, len(words)):  # `threat status` -> `status`
            tail = " ".join(words[start:])
            field = COLUMNS.get(tail)
            if field in _QUALIFIABLE and tail not in _AMBIGUOUS_WORDS:
                return field
    return None


def _stride_values(lines: list[str], table: Table, columns: Mapping[str, int]) -> bool:
    """Whether the category column names a STRIDE category in its first rows."""
    index = columns.get("category")
    if index is None:
        return False
    for row in range(table.header + 2, min(table.end, table.header + 22)):
        cells = split_row(lines[row])
        if index < len(cells) and any(  # a name, not initials: `S` may be a size
            name is not None and len(written) > 2
            for written, name in category_parts([cells[index].text])
        ):
            return True
    return False


def read_table(
    lines: list[str],
    table: Table,
    columns: Mapping[str, int],
    path: str,
    defaults: Mapping[str, str],
    findings: list[Finding],
    configured_words: Collection[str] = (),
) -> list[ThreatEntry]:
    """Threat entries from the rows of a threat table. `configured_words` are the words the
    configured scales and statuses add to the default ones."""
    header = _cells(lines[table.header], table.offset)
    entries = []
    id_column = columns.get("id")
    for index in range(table.header + 2, table.end):
        line = lines[index]
        cells = _cells(line, 0)
        if len(cells) == len(header) and all(
            is_empty(cell.text) for column, cell in enumerate(cells) if column != id_column
        ):
            continue  # a template's or an example's row (`| TH-01 | ... | ... |`): no threat
        if len(cells) != len(header):
            findings.append(
                _error(
                    path, index + 1, len(line) - len(line.lstrip()) + 1,
                    f"this row has {len(cells)} cells and the header {len(header)}"
                    " (a | inside a cell is written \\|)",
                )
            )  # fmt: skip
            continue
        entries.append(_entry(cells, columns, path, index + 1, line, defaults, findings))
    return _without_descriptive_columns(entries, configured_words)


# A rating column none of whose cells holds a rating describes instead: `Impact` holding
# `Session hijacking`, `Data corruption`. Its cells are no ratings (and no unknown-rating).
_RATING_FIELDS = ("likelihood", "impact", "risk", "severity")


def _without_descriptive_columns(
    entries: list[ThreatEntry], configured_words: Collection[str]
) -> list[ThreatEntry]:
    configured = frozenset(word_key(word) for word in configured_words)
    words = configured | frozenset(DEFAULT_SCALE)
    descriptive = [
        field
        for field in _RATING_FIELDS
        if any(getattr(entry, field) is not None for entry in entries)
        and not any(_is_rating(getattr(entry, field), words) for entry in entries)
    ]
    if _describes_treatment(entries, configured | frozenset(DEFAULT_STATUS_WORDS)):
        descriptive.append("status")
    if not descriptive:
        return entries
    cleared: dict[str, Any] = dict.fromkeys(descriptive)
    return [dataclasses.replace(entry, **cleared) for entry in entries]


def _describes_treatment(entries: list[ThreatEntry], words: frozenset[str]) -> bool:
    """A status column of sentences (`Default resolver rejects redirects`) with no status word
    in it describes what was done: it says no status, and each row is not an unknown one."""
    statuses = [str(entry.status) for entry in entries if entry.status is not None]
    return any(len(status.split()) > _MOST_WORDS for status in statuses) and not any(
        word_key(status) in words for status in statuses
    )


def _is_rating(value: object, words: frozenset[str]) -> bool:
    if value is None or isinstance(value, int):
        return isinstance(value, int)
    return _is_one_rating(str(value), words) or _is_range(str(value), words)


def _is_one_rating(text: str, words: frozenset[str]) -> bool:
    return (
        word_key(text) in words
        or is_level_word(text)
        or parse_product(text) is not None
        or _FIGURE.fullmatch(text.strip()) is not None
    )


def _is_range(text: str, words: frozenset[str] = frozenset(DEFAULT_SCALE)) -> bool:
    """`Low-Medium`, `Low to Medium`, `3-4`: two ratings (`scoring.rate` reads the higher);
    each end one rating, not a range again."""
    return any(
        _is_one_rating(low, words) and _is_one_rating(high, words) for low, high in range_ends(text)
    )


def _cells(line: str, offset: int) -> list[Cell]:
    return [Cell(cell.text, cell.column + offset) for cell in split_row(line[offset:])]


def _entry(
    cells: list[Cell],
    columns: Mapping[str, int],
    path: str,
    line: int,
    raw: str,
    defaults: Mapping[str, str],
    findings: list[Finding],
) -> ThreatEntry:
    values = {field: _value(field, cells[index].text) for field, index in columns.items()}
    positions: dict[str, Position] = {
        field: (line, cells[index].column) for field, index in columns.items()
    }
    if "id" in columns and values["id"] is None:
        findings.append(_error(path, line, positions["id"][1], "this row has no ID value"))
    acceptance = {key: values[key] for key in ("approver", "reason", "expires") if values.get(key)}
    if acceptance:
        positions["acceptance"] = positions[next(iter(acceptance))]
    if "priority" in positions and "severity" not in positions:
        positions["severity"] = positions["priority"]
    library = values.get("library")
    risk = rating_value(values.get("risk"))
    risk_score = rating_value(values.get("risk_score"))
    declared = _declared_score(values.get("risk"))
    if risk_score is None and declared is not None:
        risk_score = declared
    return ThreatEntry(
        path=path,
        line=line,
        column=len(raw) - len(raw.lstrip()) + 1,
        format=FORMAT,
        id=values.get("id"),
        title=values.get("title") or values.get("description") or "",
        component=values.get("component") or defaults.get("component"),
        category=values.get("category"),
        likelihood=rating_value(values.get("likelihood")),
        impact=rating_value(values.get("impact")),
        risk_score=risk_score,
        risk=risk,
        severity=rating_value(values.get("severity") or values.get("priority")),
        status=status_value(values.get("status")),
        owner=values.get("owner") or defaults.get("owner"),
        mitigation=values.get("mitigation"),
        library=tuple(re.split(r"[\s,]+", library.strip())) if library else (),
        acceptance=acceptance or None,
        ticket=values.get("ticket"),
        identified=values.get("identified"),
        id_scope="file",  # documents number their rows (`1`, `TH-01`) each on its own
        positions=positions,
    )


def is_empty(text: str) -> bool:
    """Whether a cell's text says nothing: empty, or only a placeholder (`...`, `TBD`, `N/A`,
    a template's `[Description]`, `<owner>`, `{{DATE}}`)."""
    return (
        not text
        or text.casefold() in _PLACEHOLDERS
        or bool(_PLACEHOLDER_MARKS.match(text))
        or _is_template_slot(text)
    )


def _is_template_slot(text: str) -> bool:
    """`[Description]`, `[H/M/L]`, `<owner>`, `{{DATE}}`: a slot for the writer to fill (a
    checkbox `[x]` is not one)."""
    for opening, closing in (("{{", "}}"), ("[", "]"), ("<", ">")):
        if text.startswith(opening) and text.endswith(closing):
            inside = text[len(opening) : -len(closing)]
            return len(inside.strip()) > 1 and not any(c in inside for c in "[]<>{}")
    return False


def _value(field: str, text: str) -> str | None:
    """A cell's text, None when empty; a placeholder that is a status word keeps its meaning
    (`N/A` is not applicable, `TODO` open)."""
    if field == "status" and word_key(text) in DEFAULT_STATUS_WORDS:
        return text
    return None if is_empty(text) else text


def rating_value(value: str | None) -> int | str | None:
    """A rating as written, made readable: `🔴 High` -> `High`, `H` -> `high`, `4x5` stays,
    `High (12)` -> `High`, `3 (Possible)` -> 3, `15` -> 15."""
    if value is None:
        return None
    text = _strip_marks(value)
    main, _, inside = text.partition("(")
    main = main.strip()
    if not main and inside:
        main = inside.rstrip(")").strip()
    if _is_range(main):  # `Low - Very High`, not `Low` explained: `scoring.rate` reads it
        return main
    main = _lead(main)
    if is_empty(main):
        return None
    if len(main.split()) > _MOST_WORDS and not any(c.isdigit() for c in main):
        return None  # a sentence about the impact, not a rating of it
    short = _LEVEL_SHORTHAND.get(main.casefold())
    if short:
        return short
    if _NUMBER.match(main):
        return int(main)
    return main or value


def status_value(value: str | None) -> str | None:
    """A status as written, without its marks: `✅ Done` -> `Done`, `✅` -> `mitigated`, and
    `✅ Verified` -> `mitigated` (a mark beside a word that is no status word decides)."""
    if value is None:
        return None
    text = _lead(_strip_marks(value))
    if text and word_key(text) in DEFAULT_STATUS_WORDS:
        return text
    for mark, word in _STATUS_MARKS.items():  # `✅ Verified`: the mark says what the word may not
        if mark in value:
            return word
    return text or value


def _lead(text: str) -> str:
    """A value's first words when the cell goes on to explain them: `Mitigated - see #12` ->
    `Mitigated`, `High: internet-facing API` -> `High` (`Low - Medium` is a range: kept)."""
    for separator in (" - ", " \u2013 ", " \u2014 ", ": ", "; ", ", ", ". "):
        head, found, tail = text.partition(separator)
        if found and len(head.split()) <= _MOST_WORDS and len(tail.split()) > 1:
            return head.strip()
    return text


def _declared_score(value: str | None) -> int | None:
    """The number in a rating's parentheses: `High (12)` -> 12."""
    if value is None or "(" not in value:
        return None
    inside = value.partition("(")[2].partition(")")[0].strip()
    return int(inside) if _NUMBER.match(inside) and 1 <= int(inside) <= 25 else None


def _strip_marks(value: str) -> str:
    """`value` without the emoji and symbols around its words."""
    start, end = 0, len(value)
    while start < end and not (value[start].isalnum() or value[start] in "(/"):
        start += 1
    while end > start and not (value[end - 1].isalnum() or value[end - 1] in ")/"):
        end -= 1
    return value[start:end].strip()


def _error(path: str, line: int, column: int, message: str) -> Finding:
    return file_finding(path, RULE, message, line, column)
