"""The output gate: what file content becomes in Markdown, workflow commands and logs."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from tmcheck.escape import (
    for_log,
    for_markdown,
    for_markdown_code,
    workflow_data,
    workflow_property,
)

HOSTILE = (
    "a | b\n# \u2705 Approved by @octocat <img src=https://evil.example/p.png>"
    " [click](javascript:alert(1)) &#64;admin @org/team #1 <!-- x --> \u202etxt.exe"
    " www.evil.com *bold* _x_ `code` ~~s~~ \\| trailing\\"
)


def _render_cell(cell: str) -> str:
    return MarkdownIt("gfm-like").render(f"| h1 | h2 |\n|---|---|\n| {cell} | end |\n")


def test_markdown_cell_renders_literally() -> None:
    html = _render_cell(for_markdown(HOSTILE))
    assert html.count("<td>") == 2 and "<td>end</td>" in html
    for forbidden in ("<a ", "<img", "<h1", "<!--", "<em>", "<strong>", "<code>", "<s>", "<del>"):
        assert forbidden not in html
    assert not re.search(r"@[A-Za-z]", html), "a live mention"
    assert not re.search(r"#\d", html), "a live issue reference"
    assert "&lt;U+202E&gt;txt.exe" in html and "\u202e" not in html
    visible = html.replace("\u200b", "")
    assert "Approved by @octocat &lt;img src=https://evil.example/p.png&gt;" in visible
    assert "[click](javascript:alert(1))" in visible and "\\| trailing\\</td>" in visible


def test_markdown_cell_is_one_line_and_bounded() -> None:
    assert for_markdown("a\r\nb\x1b[31mc\x00") == "a b \\[31mc"
    assert for_markdown("x" * 500, limit=10) == "x" * 9 + "\u2026"


def test_markdown_code_span_cannot_break_out() -> None:
    html = _render_cell(for_markdown_code("id|``x`` @me"))
    assert "<code>id|``x`` @me</code>" in html and html.count("<td>") == 2
    assert for_markdown_code("`a`") == "`` `a` ``"


def test_workflow_command_escaping() -> None:
    name = "evil\n::warning file=x,line=1::pwned%.yaml"
    assert workflow_property(name) == "evil%0A%3A%3Awarning file=x%2Cline=1%3A%3Apwned%25.yaml"
    assert workflow_data("a\r\n::add-mask::b 100%") == "a%0D%0A::add-mask::b 100%25"


def test_log_lines_show_controls() -> None:
    assert for_log("a\nb\x1b[2J\u202ec\td") == "a\\nb\\x1b[2J<U+202E>c\td"


def test_undecodable_bytes_and_controls_are_visible_in_every_log_sink() -> None:
    # a file name that is not UTF-8 reaches Python as lone surrogates, which no stream encodes
    assert for_log("bad\udcff.yaml \ud800 \u2028") == "bad\\xff.yaml <U+D800> <U+2028>"
    assert workflow_data("\x1b[31m\u202e 100%\r\n") == "\\x1b[31m<U+202E> 100%25%0D%0A"
    assert workflow_property("a\x1b:b,c\udcff") == "a\\x1b%3Ab%2Cc\\xff"
    assert for_markdown("x\udcffy") == "x&lt;U+DCFF&gt;y"
