"""The block structure of a Markdown file, as GitHub renders it (CommonMark + GFM tables).

Only what a threat model needs is kept: headings (ATX `## Threats` and setext `Threats` over
`---`), tables, list items and paragraph lines. Text in fenced or indented code, block quotes
and HTML blocks (comments among them) is not shown as a table or a heading, so it is skipped.
The rules follow markdown-it's block parser (the tests compare the two on generated documents);
every rule is a scan by string methods, so the cost is linear in the file's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Deeper lists are read as opaque text (markdown-it stops at a nesting of 20 tokens).
_MAX_LIST_DEPTH = 8
_MAX_QUOTE_DEPTH = 8
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption",
    "center", "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2",
    "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "iframe", "legend", "li", "link",
    "main", "menu", "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param",
    "search", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title",
    "tr", "track", "ul",
})  # fmt: skip
# Spaces inside a delimiter cell (`- -`): no delimiter row.
_SPACED_CELL = re.compile(r"[-:][ \t]+[-:]")
_LIST_STARTS = frozenset("-+*0123456789")
# The first characters of the blocks that can end a paragraph (a table is told by its pipes).
_INTERRUPT_STARTS = frozenset("`~>*-_+<#0123456789")
# A setext heading's text is read from its first lines only.
_MAX_HEADING_LINES = 20
_RAW_TAGS = ("script", "pre", "style", "textarea")
_SPACE = " \t"


@dataclass(frozen=True, slots=True)
class Heading:
    line: int  # 1-based
    level: int
    text: str  # the heading's source text, stripped (inline markup not resolved)
    depth: int  # 0 at the top level, 1 and more inside list items


@dataclass(frozen=True, slots=True)
class Table:
    header: int  # 0-based index of the header line; the delimiter row follows it
    end: int  # index of the first line after the last row
    offset: int  # where the header row starts in its line (after a list marker)
    depth: int


@dataclass(frozen=True, slots=True)
class ListItem:
    line: int
    text: str  # the item's first line, without its marker
    depth: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int  # 0-based index of its first line (a paragraph at the top level)
    end: int  # index of the line after it


Block = Heading | Table | ListItem | Paragraph


def scan(lines: list[str], start: int = 0) -> list[Block]:
    """The blocks of `lines` (without line ends) from index `start`, in document order."""
    scanner = _Scanner(lines)
    scanner.tokenize(start, len(lines))
    return scanner.blocks


class _Scanner:
    """A port of the parts of markdown-it's block rules that decide where blocks are."""

    def __init__(self, lines: list[str], lazy: set[int] | None = None) -> None:
        self.lines = lines
        self.first: list[int] = []  # offset of each line's first non-blank character
        self.count: list[int] = []  # its indentation in columns (a tab to the next stop of 4)
        for line in lines:
            offset = column = 0
            while offset < len(line) and line[offset] in _SPACE:
                column = column + 4 - column % 4 if line[offset] == "\t" else column + 1
                offset += 1
            self.first.append(offset)
            self.count.append(column)
        for index in lazy or ():
            self.count[index] = -1  # a quote's lazy line: it only continues a paragraph
        self.quote_depth = 0
        self.indent = 0  # the content indentation of the current container
        self.list_indent = -1
        self.depth = 0
        self.blocks: list[Block] = []

    # Line helpers.
    def empty(self, index: int) -> bool:
        return self.first[index] >= len(self.lines[index])

    def code(self, index: int) -> bool:
        return self.count[index] - self.indent >= 4

    def content(self, index: int) -> str:
        return self.lines[index][self.first[index] :]

    # The block loop.
    def tokenize(self, start: int, end: int) -> int:
        line = start
        while line < end:
            while line < end and self.empty(line):
                line += 1
            if line >= end or self.count[line] < self.indent:
                break
            line = self.block(line, end)
        return line

    def block(self, line: int, end: int) -> int:
        text, start = self.lines[line], self.first[line]
        below = line + 1
        if (
            below < end
            and "|" in text
            and self.lines[below][self.first[below] : self.first[below] + 1] in ("|", "-", ":")
        ):
            table = self.table(line, end)
            if table is not None:
                return table
        if self.code(line):
            return self.code_block(line, end)
        character = text[start]
        after: int | None = None
        if character in ("`", "~"):
            after = self.fence(line, end, False)
        elif character == ">":
            after = self.blockquote(line, end, False)
        if after is None and character in ("*", "-", "_"):
            after = self.rule_line(line, end, False)
        if after is None and character in _LIST_STARTS:
            after = self.list_block(line, end, False)
        if after is None and character == "<":
            after = self.html(line, end, False)
        if after is not None:
            return after
        if character == "#":
            heading = _atx(text[start:])
            if heading is not None:
                self.blocks.append(Heading(below, heading[0], heading[1], self.depth))
                return below
        return self.paragraph(line, end)

    # Rules. Each returns the index after the block it read, or None when the line starts none;
    # with `silent`, only whether it starts one (a non-None value) and no block is recorded.
    def table(self, line: int, end: int, silent: bool = False) -> int | None:
        if line + 2 > end or self.code(line):
            return None
        below = line + 1
        if self.count[below] < self.indent or self.code(below):
            return None
        aligns = _delimiter_columns(self.content(below))
        header = self.content(line).strip()
        if aligns is None or "|" not in header:
            return None
        if _cell_count(header) != aligns:
            return None
        if silent:
            return line + 2
        index = line + 2
        while index < end:
            if self.count[index] < self.indent or self.empty(index) or self.code(index):
                break
            if self.interrupts(index, end, paragraph=False):
                break
            index += 1
        self.blocks.append(Table(line, index, self.first[line], self.depth))
        return index

    def code_block(self, line: int, end: int) -> int:
        index = last = line + 1
        while index < end:
            if self.empty(index):
                index += 1
            elif self.code(index):
                index += 1
                last = index
            else:
                break
        return last

    def fence(self, line: int, end: int, silent: bool) -> int | None:
        if self.code(line):
            return None
        text = self.content(line)
        marker = text[:1]
        if marker not in ("`", "~"):
            return None
        length = len(text) - len(text.lstrip(marker))
        if length < 3 or (marker == "`" and "`" in text[length:]):
            return None
        if silent:
            return line + 1
        index = line + 1
        while index < end:
            if not self.empty(index) and self.count[index] < self.indent:
                return index  # a container ended: the fence ends unclosed
            closing = self.content(index)
            if closing.startswith(marker) and not self.code(index):
                run = len(closing) - len(closing.lstrip(marker))
                if run >= length and not closing[run:].strip(_SPACE):
                    return index + 1
            index += 1
        return end

    def blockquote(self, line: int, end: int, silent: bool) -> int | None:
        if self.code(line) or not self.content(line).startswith(">"):
            return None
        if silent:
            return line + 1
        inner = [_unquote(self.content(line))]
        lazy: set[int] = set()
        last_empty = not inner[0].strip(_SPACE)
        index = line + 1
        while index < end:
            if self.empty(index):
                break
            if self.content(index).startswith(">") and self.count[index] >= self.indent:
                inner.append(_unquote(self.content(index)))
                last_empty = not inner[-1].strip(_SPACE)
                index += 1
                continue
            if last_empty or self.interrupts(index, end, paragraph=False):
                break
            lazy.add(len(inner))  # a lazy continuation line, if the quote's paragraph goes on
            inner.append(self.lines[index])
            index += 1
        if self.quote_depth >= _MAX_QUOTE_DEPTH:
            return index
        quoted = _Scanner(inner, lazy)
        quoted.quote_depth = self.quote_depth + 1
        return line + max(1, quoted.tokenize(0, len(inner)))

    def rule_line(self, line: int, end: int, silent: bool) -> int | None:
        if self.code(line):
            return None
        return line + 1 if _is_thematic_break(self.content(line)) else None

    def list_block(self, line: int, end: int, silent: bool, paragraph: bool = False) -> int | None:
        if self.code(line):
            return None
        if (
            self.list_indent >= 0
            and self.count[line] - self.list_indent >= 4
            and self.count[line] < self.indent
        ):
            return None
        marker = _list_marker(self.content(line))
        if marker is None:
            return None
        width, number, bullet = marker
        after = self.first[line] + width
        text = self.lines[line]
        if paragraph and self.count[line] >= self.indent:
            if number is not None and number != 1:
                return None
            if not text[after:].strip(_SPACE):
                return None
        if silent:
            return line + 1
        item = line
        while True:
            item = self.list_item(item, self.first[item] + width, end)
            if item >= end or self.count[item] < self.indent or self.code(item):
                break
            character = self.lines[item][self.first[item] : self.first[item] + 1]
            if character == ">" or (
                character in ("`", "~") and self.fence(item, end, True) is not None
            ):
                break
            if character in ("*", "-", "_") and self.rule_line(item, end, True) is not None:
                break
            following = _list_marker(self.content(item))
            if following is None or (following[1] is None) != (number is None):
                break
            width, _, character = following
            if character != bullet:
                break
        return item

    def list_item(self, line: int, after: int, end: int) -> int:
        """Read one list item whose marker ends at offset `after` of `line`."""
        text = self.lines[line]
        start_column = self.count[line] + (after - self.first[line])
        offset, column = after, start_column
        while offset < len(text) and text[offset] in _SPACE:
            column = column + 4 - column % 4 if text[offset] == "\t" else column + 1
            offset += 1
        spaces = 1 if offset >= len(text) else column - start_column
        if spaces > 4:
            spaces = 1
        content_indent = start_column + spaces
        if self.depth == 0:
            self.blocks.append(ListItem(line + 1, text[offset:].strip(), self.depth))
        plain = (  # a first line of paragraph text: no block starts at the item's content
            offset < len(text)
            and self.count[line] >= 0
            and self.depth < _MAX_LIST_DEPTH
            and (text[offset].isalpha() or _plain_start(text[offset:]))  # a letter starts none
        )
        if plain:
            plain_end = self._plain_item_end(line, content_indent, end)
            if plain_end is not None:
                return plain_end
        saved = (self.first[line], self.count[line], self.indent, self.list_indent, self.depth)
        self.list_indent, self.indent, self.depth = self.indent, content_indent, self.depth + 1
        self.first[line], self.count[line] = offset, column
        if offset >= len(text) and line + 1 < end and self.empty(line + 1):
            following = min(line + 2, end)
        elif self.depth > _MAX_LIST_DEPTH:
            following = end
        else:
            # a first line that a nested list follows is a paragraph of its own: scan the list
            nested = plain and self._nested_list_at(line + 1, content_indent, end)
            following = self.tokenize(line + 1 if nested else line, end)
            following = max(following, line + 1)
        self.first[line], self.count[line] = saved[0], saved[1]
        self.indent, self.list_indent, self.depth = saved[2], saved[3], saved[4]
        return following

    def _plain_item_end(self, line: int, content_indent: int, end: int) -> int | None:
        """Where an item whose first line is paragraph text ends when the next line ends it: a
        list item left of the item's content, or blank lines and then a line left of it (or
        the file's end). That is what the full reading would find, without its nested scan (a
        1 MB list is the common case and would otherwise cost seconds); None when it is needed.
        No table starts at the first line: its delimiter row would be a blank or a list item."""
        below = line + 1
        if below >= end:
            return below
        if self.empty(below):  # the paragraph ends; the item too, unless a line is inside it
            following = below + 1
            while following < end and self.empty(following):
                following += 1
            if following >= end or self.count[following] < content_indent:
                return following
            return None
        # a list item left of the content interrupts the paragraph (it is no lazy line) and the
        # item, unless it is 4 columns right of the list's own (a lazy quote line is -1)
        if not 0 <= self.count[below] < min(content_indent, self.indent + 4):
            return None
        marker = _list_marker(self.content(below))
        if marker is not None and self.lines[below][self.first[below] + marker[0] :].strip(_SPACE):
            return below
        return None

    def _nested_list_at(self, index: int, content_indent: int, end: int) -> bool:
        """Whether line `index` starts a list inside the item that ends the paragraph above it:
        a bullet or `1.` with text, indented less than a code block (a paragraph only yields
        to a list that starts so; the line is no setext underline, having text after `-`)."""
        if index >= end or not content_indent <= self.count[index] <= content_indent + 3:
            return False
        marker = _list_marker(self.content(index))
        return (
            marker is not None
            and marker[1] in (None, 1)
            and bool(self.lines[index][self.first[index] + marker[0] :].strip(_SPACE))
        )

    def html(self, line: int, end: int, silent: bool) -> int | None:
        if self.code(line):
            return None
        text = self.content(line)
        kind = _html_kind(text)
        if kind is None:
            return None
        if silent:
            return line + 1 if kind != 7 else None
        closes = _HTML_CLOSE.get(kind)
        if closes is not None and _closes(kind, text, closes):
            return line + 1
        index = line + 1
        while index < end:
            if self.count[index] < self.indent:
                break
            current = self.content(index)
            if closes is None:
                if not current:
                    break
            elif _closes(kind, current, closes):
                index += 1
                break
            index += 1
        return index

    def atx_heading(self, line: int) -> tuple[int, str] | None:
        if self.code(line):
            return None
        return _atx(self.content(line))

    def paragraph(self, line: int, end: int) -> int:
        """A paragraph, or a setext heading when an underline ends it."""
        lines, first, count, indent = self.lines, self.first, self.count, self.indent
        index = line + 1
        level = 0
        while index < end:
            text, start, columns = lines[index], first[index], count[index]
            if start >= len(text):
                break  # a blank line
            if columns - indent > 3 or columns < 0:
                index += 1  # a lazy continuation line, whatever it holds
                continue
            character = text[start]
            if character in "=-" and columns >= indent:
                level = _setext_level(text[start:])
                if level:
                    break
            if (character in _INTERRUPT_STARTS or "|" in text) and self.interrupts(
                index, end, paragraph=True
            ):
                break
            index += 1
        if level:
            words: list[str] = []
            for i in range(line, min(index, line + _MAX_HEADING_LINES)):
                words.append(self.content(i).strip())
            self.blocks.append(Heading(line + 1, level, " ".join(words), self.depth))
            return index + 1
        if self.depth == 0:
            self.blocks.append(Paragraph(line, index))
        return index

    def interrupts(self, index: int, end: int, *, paragraph: bool) -> bool:
        """Whether line `index` starts a block that ends a paragraph (or a table, a quote)."""
        if self.code(index):
            return False
        first = self.content(index)[:1]
        if (
            paragraph
            and index + 1 < end
            and self.content(index + 1)[:1] in ("|", "-", ":")
            and self.table(index, end, silent=True) is not None
        ):
            return True
        if first in ("`", "~") and self.fence(index, end, True) is not None:
            return True
        if first == ">":
            return True
        if first in ("*", "-", "_") and self.rule_line(index, end, True) is not None:
            return True
        if first in _LIST_STARTS and self.list_block(index, end, True, paragraph) is not None:
            return True
        if first == "<" and self.html(index, end, True) is not None:
            return True
        return first == "#" and self.atx_heading(index) is not None


def _plain_start(text: str) -> bool:
    """Whether a line whose content is `text` (and has no table under it) starts a paragraph:
    no fence, quote, rule, list item, HTML block or heading begins with it."""
    first = text[:1]
    if first in ("`", "~"):
        return not text.startswith(first * 3)
    return not (
        first == ">"
        or (first in ("*", "-", "_") and _is_thematic_break(text))
        or (first in _LIST_STARTS and _list_marker(text) is not None)
        or (first == "<" and _html_kind(text) is not None)
        or (first == "#" and _atx(text) is not None)
    )


def _unquote(text: str) -> str:
    """A quoted line's text after its `>` and the one space that may follow it."""
    return text[2:] if text.startswith("> ") else text[1:]


def _cell_count(row: str) -> int:
    """How many cells markdown-it finds in a row (a pipe after a backslash is text)."""
    if not row:
        return 0
    cells = row.count("|") - row.count("\\|") + 1
    if row.startswith("|"):
        cells -= 1
    if row.endswith("|") and not row.endswith("\\|") and cells > 0:
        cells -= 1
    return cells


def _delimiter_columns(text: str) -> int | None:
    """The number of columns of a delimiter row (`|---|:-:|`), or None if `text` is not one."""
    if len(text) < 2 or text[0] not in "|-:":
        return None
    if text[1] not in "|-: \t" or (text[0] == "-" and text[1] in _SPACE):
        return None
    if text.strip("|-: \t") or _SPACED_CELL.search(text):
        return None
    bare = text.replace(" ", "").replace("\t", "")
    bare = bare.removeprefix("|").removesuffix("|")
    if not bare or bare.startswith(("|", ":|")) or bare.endswith("|:") or bare == ":":
        return None
    if any(bad in bare for bad in ("||", "::", "-:-", "|:|")):
        return None
    return bare.count("|") + 1


def _is_thematic_break(text: str) -> bool:
    marker = text[:1]
    if marker not in ("*", "-", "_"):
        return False
    rest = text.replace(" ", "").replace("\t", "")
    return len(rest) >= 3 and not rest.strip(marker)


def _setext_level(text: str) -> int:
    stripped = text.rstrip(_SPACE)
    if stripped and not stripped.strip("="):
        return 1
    if stripped and not stripped.strip("-"):
        return 2
    return 0


def _list_marker(text: str) -> tuple[int, int | None, str] | None:
    """(marker width, number or None, marker character) when `text` starts a list item."""
    if text[:1] in ("-", "+", "*"):
        if len(text) > 1 and text[1] not in _SPACE:
            return None
        return 1, None, text[0]
    digits = len(text) - len(text.lstrip("0123456789"))
    if not 1 <= digits <= 9 or len(text) <= digits or text[digits] not in ".)":
        return None
    if len(text) > digits + 1 and text[digits + 1] not in _SPACE:
        return None
    return digits + 1, int(text[:digits]), text[digits]


def _atx(text: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading (`## Threats ##`), or None."""
    level = len(text) - len(text.lstrip("#"))
    if not 1 <= level <= 6 or (len(text) > level and text[level] not in _SPACE):
        return None
    words = text[level:].rstrip(_SPACE)
    closing = words.rstrip("#")
    if closing != words and (not closing or closing[-1] in _SPACE):
        words = closing
    return level, words.strip(_SPACE)


def _html_kind(text: str) -> int | None:
    """Which of CommonMark's seven kinds of HTML block `text` opens, or None."""
    if not text.startswith("<"):
        return None
    lower = text.lower()
    for tag in _RAW_TAGS:
        if lower.startswith("<" + tag) and lower[len(tag) + 1 : len(tag) + 2] in (
            "",
            ">",
            " ",
            "\t",
        ):
            return 1
    if text.startswith("<!--"):
        return 2
    if text.startswith("<?"):
        return 3
    if text[2:3].isascii() and text[2:3].isalpha() and text.startswith("<!"):
        return 4
    if text.startswith("<![CDATA["):
        return 5
    name_start = 2 if text.startswith("</") else 1
    name_end = name_start
    while name_end < len(text) and text[name_end].isascii() and text[name_end].isalnum():
        name_end += 1
    after = text[name_end : name_end + 2]
    if lower[name_start:name_end] in _BLOCK_TAGS and (
        after[:1] in ("", " ", "\t", ">") or after == "/>"
    ):
        return 6
    return 7 if _complete_tag(text.rstrip(" \t")) else None


_HTML_CLOSE = {1: "", 2: "-->", 3: "?>", 4: ">", 5: "]]>"}


def _closes(kind: int, text: str, closes: str) -> bool:
    if kind == 1:
        lower = text.lower()
        return any(f"</{tag}>" in lower for tag in _RAW_TAGS)
    return closes in text


def _complete_tag(text: str) -> bool:
    """Whether `text` is exactly one open tag (with attributes) or one closing tag."""
    closing = text.startswith("</")
    index = 2 if closing else 1
    if index >= len(text) or not (text[index].isascii() and text[index].isalpha()):
        return False
    while index < len(text) and (
        (text[index].isascii() and text[index].isalnum()) or text[index] == "-"
    ):
        index += 1
    if closing:
        return text[index:].strip(" \t\n") == ">"
    while True:
        spaced = index < len(text) and text[index] in " \t\n"
        while index < len(text) and text[index] in " \t\n":
            index += 1
        left = len(text) - index
        if (left == 1 and text[index] == ">") or (left == 2 and text.endswith("/>")):
            return True
        first = text[index] if left else "!"
        if not spaced or not (first.isascii() and (first.isalpha() or first in "_:")):
            return False
        index += 1
        while index < len(text) and (
            (text[index].isascii() and text[index].isalnum()) or text[index] in ":._-"
        ):
            index += 1
        probe = index
        while probe < len(text) and text[probe] in " \t\n":
            probe += 1
        if probe < len(text) and text[probe] == "=":
            index = probe + 1
            while index < len(text) and text[index] in " \t\n":
                index += 1
            if index >= len(text):
                return False
            quote = text[index]
            if quote in "\"'":
                close = text.find(quote, index + 1)
                if close < 0:
                    return False
                index = close + 1
            else:
                begin = index
                while index < len(text) and text[index] not in " \t\n\"'=<>`":
                    index += 1
                if index == begin:
                    return False
