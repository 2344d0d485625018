"""The output gate: one escaper per place untrusted text goes, applied exactly once.

File names and file content come from whoever opened the pull request. In a log line a raw
escape sequence or newline must show as what it is; in Markdown nothing may become a mention,
a link, an image, HTML, a heading or a new table cell; in a workflow command nothing may end
the command or start another.
"""

from __future__ import annotations

import re

from tmcheck.wording import shorten

# Shown as <U+XXXX> everywhere: the bidi and isolate controls (Trojan Source), the line and
# paragraph separators, and lone surrogates (a file name's undecodable bytes, which no stream or
# API could encode).
_VISIBLE = "\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
# For logs also the C0 and C1 controls (but not tab) and DEL.
_LOG_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_VISIBLE}]")
_INVISIBLE = re.compile(f"[{_VISIBLE}]")
_COMMAND_UNSAFE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_VISIBLE}]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Backslash-escaping any ASCII punctuation is always literal in GitHub Markdown; these are the
# characters that can start emphasis, code, links, images, tables, strikethrough or footnotes.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|~<>#+\-.^=$])")
_SARIF_SPECIAL = re.compile(r"([\\\[\]])")
# Zero-width space: breaks @mentions, #references and autolinks without changing what is seen.
_ZWSP = "&#8203;"
# What a Mermaid label keeps as it is; every other character becomes an entity code (`#34;`).
_MERMAID_PLAIN = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,_()/+'!?-"
)


def for_log(text: str) -> str:
    """One safe log line: controls become visible escapes, bidi controls become <U+XXXX>."""
    return _LOG_UNSAFE.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x0D:
        return "\\r"
    if code < 0x100:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as Python keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"<U+{code:04X}>"


def for_markdown(text: str, limit: int = 300) -> str:
    """Inline Markdown (a table cell, a list item) that renders as the literal `text`.

    One line, at most `limit` characters of the original, no live mention, reference, link,
    image, HTML or cell break; bidi controls shown as <U+XXXX>.
    """
    text = shorten(" ".join(_CONTROL.sub(" ", text).split()), limit)
    text = text.replace("&", "&amp;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = text.replace("\\<", "&lt;").replace("\\>", "&gt;")
    text = _INVISIBLE.sub(lambda m: f"&lt;U+{ord(m.group()):04X}&gt;", text)
    text = text.replace("@", "@" + _ZWSP)
    text = text.replace("\\#", "\\#" + _ZWSP)
    text = text.replace(":/", ":" + _ZWSP + "/")
    return re.sub(r"(?i)\bwww\\\.", "www" + _ZWSP + r"\\.", text)


def for_markdown_code(text: str, limit: int = 200) -> str:
    """An inline code span (for ids and paths) that the text cannot break out of."""
    text = _visible_line(text, limit)
    text = text.replace("|", "\\|")  # a table cell ends at a pipe even inside code
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def for_mermaid_label(text: str, limit: int = 60) -> str:
    """The inside of a quoted Mermaid label (`n1["..."]`, `-->|"..."|`) that shows `text`.

    Letters, digits, spaces and a few harmless marks stay; every other character, non-ASCII
    included, becomes a Mermaid entity code (`#34;` for a quote), which Mermaid shows as the
    character: a quote cannot end the label, `;`, `|`, `[`, `-->`, `:::` and `%%{init}%%` are
    not syntax, `<b>` is not HTML, and `style ...:#...;` cannot trigger Mermaid's own rewriting
    of colour codes (it needs a raw `:`). One line, at most `limit` characters of the original,
    bidi controls shown as <U+XXXX>.
    """
    text = _visible_line(text, limit)
    return "".join(char if char in _MERMAID_PLAIN else f"#{ord(char)};" for char in text)


def _visible_line(text: str, limit: int) -> str:
    """One line of at most `limit` characters, controls as spaces, bidi controls as <U+XXXX>."""
    text = _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", _CONTROL.sub(" ", text))
    return shorten(" ".join(text.split()), limit)


def for_sarif(text: str) -> str:
    """A SARIF `message.text`: plain text, controls shown as in a log line, and `[`, `]`, `\\`
    escaped so that nothing becomes an embedded link (SARIF 2.1.0, 3.11.6)."""
    return _SARIF_SPECIAL.sub(r"\\\1", for_log(text))


def workflow_data(text: str) -> str:
    """The message of a workflow command (`::error ...::MESSAGE`): it reaches the job log, so
    controls other than line breaks (which the runner decodes from %0D/%0A) show as escapes."""
    text = _COMMAND_UNSAFE.sub(_visible, text.replace("%", "%25"))
    return text.replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A property value of a workflow command (`file=VALUE`, `title=VALUE`)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")
