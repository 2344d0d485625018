"""Escaping for each place untrusted text goes: here, log lines (the terminal, CI logs).

File names and file content reach the output; a raw escape sequence, newline or bidi control
in them must show as what it is, never act.
"""

from __future__ import annotations

import re

# C0 and C1 controls (but not tab), DEL, and the Unicode bidi/isolate controls.
_LOG_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
    return f"<U+{code:04X}>"
