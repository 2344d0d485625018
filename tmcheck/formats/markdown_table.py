"""GitHub-flavoured Markdown table rows: cells with their columns, and cell text as plain text.

A cell ends at every pipe that is not escaped, inside code spans too: that is how GitHub splits
a row (write `\\|` for a pipe in a cell). Cell text then loses its inline markup: code spans keep
their content as written, backslash escapes resolve, bold and links keep only their text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

_ESCAPABLE = r"!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~"
# Spans are bounded so that a hostile cell (`**a **a **a ...`) costs linear time, not quadratic.
_INLINE = re.compile(
    rf"\\([{_ESCAPABLE}])"  # a backslash escape
    r"|\*\*(?=\S)([^\n]{1,200}?)(?<=\S)\*\*|__(?=\S)([^\n]{1,200}?)(?<=\S)__"  # bold
    r"|!?\[([^\]]{0,120})\]\([^)]{0,500}\)"  # a link or an image: its text
    r"|<br\s{0,20}/?>",  # a line break inside a cell
    re.IGNORECASE,
)
_WHOLE_EMPHASIS = re.compile(r"([*_])(?![*_\s])(.+)(?<![*_\s])\1\Z")
# What any markup, escape or code span starts with: text without them is plain already.
_MARKUP = frozenset("\\*_[`<\0")


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # plain text, stripped
    column: int  # 1-based column of the cell's content in its line


def split_row(line: str) -> list[Cell]:
    """The cells of a table row, without the optional outer pipes."""
    pipes = _unescaped_pipes(line)
    content_start = len(line) - len(line.lstrip())
    content_end = len(line.rstrip())
    bounds = [content_start - 1, *pipes, content_end]
    if pipes and pipes[0] == content_start:
        bounds.pop(0)  # a leading pipe opens the row rather than ending an empty cell
    if pipes and pipes[-1] == content_end - 1 and len(bounds) > 2:
        bounds.pop()  # likewise a trailing pipe closes it
    cells = []
    for start, end in itertools.pairwise(bounds):
        raw = line[start + 1 : end]
        # An empty cell is where its pipe ends it; a full one where its text starts.
        offset = start + 1 + (len(raw) - len(raw.lstrip()) if raw.strip() else 0)
        cells.append(Cell(cell_text(raw), offset + 1))
    return cells


def cell_text(raw: str) -> str:
    """The plain text a reader sees in a cell written as `raw`."""
    if _MARKUP.isdisjoint(raw):  # only its white space changes (a long list's items are so)
        return " ".join(raw.split())
    raw = raw.replace("\\|", "|").replace("\0", "").strip()
    whole = _WHOLE_EMPHASIS.match(raw)
    if whole and "`" not in raw:
        raw = whole.group(2)
    # Code spans first (their content is literal), kept aside behind NUL-delimited markers.
    runs: dict[int, list[int]] = {}  # backtick run length -> where such runs start
    length_at: dict[int, int] = {}  # where a run starts -> its length
    for match in re.finditer("`+", raw):
        runs.setdefault(len(match.group()), []).append(match.start())
        length_at[match.start()] = len(match.group())
    spans: list[str] = []
    parts: list[str] = []
    index = 0
    while (tick := raw.find("`", index)) >= 0:
        run = length_at[tick]  # scanning resumes after whole runs, so a tick starts one
        starts = runs[run]
        after = bisect.bisect_left(starts, tick + run)
        close = starts[after] if after < len(starts) else -1
        if close < 0:  # no closing backticks: they are literal
            parts.append(raw[index : tick + run])
            index = tick + run
            continue
        code = raw[tick + run : close]
        if code.startswith(" ") and code.endswith(" ") and code.strip():
            code = code[1:-1]
        parts.append(f"{raw[index:tick]}\0{len(spans)}\0")
        spans.append(code)
        index = close + run
    parts.append(raw[index:])
    text = _plain("".join(parts))
    if spans:
        text = re.sub("\0(\\d+)\0", lambda m: spans[int(m.group(1))], text)
    return " ".join(text.split())


def _plain(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        escaped, bold_stars, bold_lines, link = match.groups()
        if escaped is not None:
            return escaped
        inner = bold_stars or bold_lines
        if inner is not None:
            return _plain(inner)
        if link is not None:
            return _plain(link)
        return " "

    return _INLINE.sub(replace, text)


def _unescaped_pipes(line: str) -> list[int]:
    """Offsets of the pipes not preceded by an odd number of backslashes."""
    found = []
    backslashes = 0
    for offset, character in enumerate(line):
        if character == "|" and backslashes % 2 == 0:
            found.append(offset)
        backslashes = backslashes + 1 if character == "\\" else 0
    return found
