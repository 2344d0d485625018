"""Which format a loaded file is, decided by its content (a config may pin one per glob)."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from tmcheck.formats import architecture, dragon, library, register, worksheet

# Most specific first: a register is "a mapping with a list of threats", so it comes last.
LOADERS: Mapping[str, ModuleType] = {
    dragon.FORMAT: dragon,
    architecture.FORMAT: architecture,
    library.FORMAT: library,
    worksheet.FORMAT: worksheet,
    register.FORMAT: register,
}


def detect_format(data: Mapping[str, Any]) -> str | None:
    for name, loader in LOADERS.items():
        if loader.matches(data):
            return name
    return None
