"""The Markdown block scanner against markdown-it (CommonMark + GFM tables) as an oracle."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.support.spent import spending
from tmcheck.formats.markdown_blocks import Heading, Table, scan

_ORACLE = MarkdownIt("commonmark").enable("table")

Shape = tuple[list[tuple[int, int, str]], list[tuple[int, int]]]


def oracle(text: str) -> Shape:
    """Headings (line, level, text) and tables (header index, end) outside block quotes."""
    headings, tables = [], []
    quoted = 0
    tokens = _ORACLE.parse(text)
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif quoted:
            continue
        elif token.type == "heading_open" and token.map:
            content = " ".join(line.strip() for line in tokens[index + 1].content.split("\n"))
            headings.append((token.map[0] + 1, int(token.tag[1]), content))
        elif token.type == "table_open" and token.map:
            tables.append((token.map[0], token.map[1]))
    return headings, tables


def ours(text: str) -> Shape:
    blocks = scan(text.split("\n"))
    headings = [(b.line, b.level, b.text) for b in blocks if isinstance(b, Heading)]
    tables = [(b.header, b.end) for b in blocks if isinstance(b, Table)]
    return headings, tables


LINES = [
    "", "", "", "text", "more words", "# Threats", "## 3. Threats", "### Threats ###", "#not",
    "Threats", "===", "---", "- - -", "***", "  ---", "| ID | Threat |", "|----|:------:|",
    "| T1 | spoof |", "ID | Threat", "--- | ---", "T2 | tamper", "|---|", "| a |", "a | b | c",
    "```", "~~~", "```md", "    indented", "    | ID | Threat |", "\t| a |", "> quote",
    "> | ID | Threat |", "> |---|---|", ">", "<!--", "-->", "<!-- one line -->", "<div>",
    "</div>", "<details>", "<span>", "<a href='x'>", "- item", "* item", "1. first",
    "2. second", "  continued", "   - nested", "-", "+ plus", "  | ID | Threat |",
    "  |---|---|", "- | ID | Threat |", "  ```", "<script>", "</script>", "#", "## ##",
    # items whose first line is plain text, or almost (the scanner's shortcuts)
    "- `code` item", "- ```", "- **bold**", "- * * *", "- 2024 was", "- 2. inner", "- <div>",
    "- # heading", "- a | b", "    - deeper", "\t- tab", "  1. one", "1) paren", "  text",
]  # fmt: skip


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), max_size=14))
def test_blocks_agree_with_markdown_it(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert ours(text) == oracle(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Threats\n---\n\n| ID | STRIDE |\n|---|---|\n| T1 | S |",
        "Threats\n=======\n| ID | STRIDE |\n|---|---|\n| T1 | S |",
        "```\n| ID | STRIDE |\n|---|---|\n```\n## Threats",
        "<!--\n| ID | STRIDE |\n|---|---|\n-->\n",
        "> | ID | STRIDE |\n> |---|---|\n",
        "para\n    | ID | STRIDE |\n    |---|---|\n",
        "\n    | ID | STRIDE |\n    |---|---|\n",
        "- item\n\n  | ID | STRIDE |\n  |---|---|\n  | T1 | S |\n",
        "1. a\n2. b\n\n## Threats\n\n| ID | STRIDE |\n|---|---|\n| T1 | S |\n- x\n",
        # where a list item whose first line is plain text ends
        "- a\n\n\n- b\n  # inside\n- c\n\n  ## inside too\n",
        "- `a`\n  - **b**\n    - c\n  Threats\n  ---\n- d\n",
        "- a\n  - b\n    2. c\n    # inside b\n",
        "  1. a\n\t- lazy, not an item\n# top\n",
        "- a | b\n- |---|\n\n- a | b\n  |---|\n",
        "> - a\nlazy\n> - b\n\n# top\n",
    ],
)
def test_block_cases(text: str) -> None:
    assert ours(text) == oracle(text)


@pytest.mark.parametrize(
    "text",
    [
        "# a" + " " * 1_000_000 + "x",
        "a\n" + "=" * 1_000_000,
        "|" * 1_000_000 + "\n" + "|-" * 500_000,
        "- " * 300_000 + "x",
        "> " * 300_000 + "x",
        "<a" + " b" * 300_000,
        "`" * 1_000_000,
        "a\n" * 300_000 + "---\n",
        "| a | b |\n|---|---|\n" + "| x | y |\n" * 90_000,
        "| a | b |\n|---|---|\n" + "".join(f"{'  ' * (i % 6)}- `x` {i}\n" for i in range(50_000)),
        "| a | b |\n|---|---|\n" + "- **x**\n\n" * 50_000,
    ],
)
def test_scanning_is_linear(text: str) -> None:
    with spending() as spent:
        scan(text.split("\n"))
    assert spent.cpu < 2.0, str(spent)  # CPU: a busy machine slows the clock, not the work
