"""Strict UTF-8: the only encoding tmcheck reads."""

from __future__ import annotations

import codecs

from tmcheck.parsing.tree import LoadError


def decode_utf8(raw: bytes) -> str:
    """Decode `raw` as UTF-8, allowing one leading byte order mark and no other."""
    skipped = 0
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        skipped = len(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        raise LoadError(
            f"not valid UTF-8 at byte offset {error.start + skipped} (tmcheck reads UTF-8 only)",
            raw.count(b"\n", 0, error.start) + 1,
            error.start - line_start + 1,
        ) from None
    bom = text.find("\ufeff")
    if bom >= 0:
        line_start = text.rfind("\n", 0, bom) + 1
        raise LoadError(
            "byte order mark (U+FEFF) inside the file; only one at the very start is allowed",
            text.count("\n", 0, bom) + 1,
            bom - line_start + 1,
        )
    return text
