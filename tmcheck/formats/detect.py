"""Which format a loaded file is, decided by its content (a config may pin one per glob)."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from tmcheck.formats import (
    architecture,
    dragon,
    library,
    mstmt_terms,
    otm,
    pytm,
    register,
    threagile,
    threagile_risks,
    threat_composer,
    threatcl,
    tmbom,
    worksheet,
)
from tmcheck.formats.foreign import foreign_format
from tmcheck.formats.parsed import FormatReader

# Most specific first: a register is "a mapping with a list of threats", so it comes last; the
# tool formats are told by keys no tmcheck format has (a TM-BOM file has `components` and
# `trust_boundaries`, an architecture's keys), so they come first.
LOADERS: Mapping[str, FormatReader] = {
    threat_composer.FORMAT: threat_composer,  # a `threats` list too: before the register
    threagile.FORMAT: threagile,
    threagile_risks.FORMAT: threagile_risks,
    otm.FORMAT: otm,
    tmbom.FORMAT: tmbom,
    pytm.FORMAT: pytm,
    threatcl.FORMAT: threatcl,
    dragon.FORMAT: dragon,
    architecture.FORMAT: architecture,
    library.FORMAT: library,
    worksheet.FORMAT: worksheet,
    register.FORMAT: register,
}

# tmcheck's own formats start here: every other tool's format is told apart before.
_FIRST_OWN = dragon.FORMAT

# Formats read from XML rather than from a JSON or YAML tree: their names, words and size
# ceilings only (`file_checker` imports the XML reader when a file looks like XML).
XML_LOADERS: Mapping[str, ModuleType] = {mstmt_terms.FORMAT: mstmt_terms}
ALL_LOADERS: Mapping[str, FormatReader | ModuleType] = {**LOADERS, **XML_LOADERS}


def detect_format(data: Mapping[str, Any] | list[Any]) -> str | None:
    """The format of a file's top-level value (a mapping, or a list for a tool's output).

    Other tools' formats tmcheck reads come first; then those it recognises but does not read
    (`foreign.FOREIGN`, named so that the caller, which tells them apart by `LOADERS`, can say
    what the file is); then tmcheck's own formats: no file of another tool may pass for a
    register or an architecture."""
    for name, loader in LOADERS.items():
        if name == _FIRST_OWN:
            foreign = foreign_format(data)
            if foreign is not None:
                return foreign
        if isinstance(data, list) and not getattr(loader, "READS_LISTS", False):
            continue  # the loaders of tmcheck's own formats read mappings only
        if loader.matches(data):
            return name
    return None
