"""Which format a loaded file is, decided by its content (a config may pin one per glob)."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from tmcheck.formats import architecture, dragon, library, register, threat_composer, worksheet
from tmcheck.formats.foreign import foreign_format

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
    """The format of a file's top-level value (a mapping, or a list for a tool's output).

    A format tmcheck recognises but does not read (`foreign.FOREIGN`) is named too, before
    tmcheck's own formats are tried: such a file must not pass for a register or an
    architecture. The caller tells the two apart by `LOADERS`."""
    foreign = foreign_format(data)
    if foreign is not None:
        return foreign
    for name, loader in LOADERS.items():
        if isinstance(data, list) and not getattr(loader, "READS_LISTS", False):
            continue  # the loaders of tmcheck's own formats read mappings only
        if loader.matches(data):
            return name
    return None
