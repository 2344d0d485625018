"""Which format a loaded file is, decided by its content (a config may pin one per glob)."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from tmcheck.formats import architecture, dragon, library, register, threat_composer, worksheet

# Most specific first: a register is "a mapping with a list of threats", so it comes last.
LOADERS: Mapping[str, ModuleType] = {
    threat_composer.FORMAT: threat_composer,  # a `threats` list too: before the register
    dragon.FORMAT: dragon,
    architecture.FORMAT: architecture,
    library.FORMAT: library,
    worksheet.FORMAT: worksheet,
    register.FORMAT: register,
}


def detect_format(data: Mapping[str, Any] | list[Any]) -> str | None:
    """The format of a file's top-level value (a mapping, or a list for a tool's output)."""
    for name, loader in LOADERS.items():
        if isinstance(data, list) and not getattr(loader, "READS_LISTS", False):
            continue  # the loaders of tmcheck's own formats read mappings only
        if loader.matches(data):
            return name
    return None
