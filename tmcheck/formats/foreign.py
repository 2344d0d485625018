"""Formats tmcheck recognises but does not read yet, each by keys no other format has.

A file of one of them is never read as one of tmcheck's own formats (which would give schema
errors from the wrong schema): named, it is `unknown-format` with a message naming what it is;
walked, it is skipped. A reader for one of them replaces its entry here: a loader in
`detect.LOADERS` under the same name is used instead (see `detect.detect_format`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Detector = Callable[[Any], bool]


def _mapping(data: Any, *keys: str) -> bool:
    return isinstance(data, dict) and all(key in data for key in keys)


def _items(data: Any) -> list[dict[str, Any]]:
    """The mappings of a top-level list (the first 50: detection is a glance, not a read)."""
    return [item for item in data[:50] if isinstance(item, dict)] if isinstance(data, list) else []


def _threatspec(data: Any) -> bool:
    keys = ("mitigations", "exposures", "acceptances", "transfers", "connections")
    return _mapping(data, *keys) and all(isinstance(data[key], list) for key in keys)


def _threat_catalog(data: Any) -> bool:
    """A catalog of threat descriptions (FINOS Common Cloud Controls): threats that map to
    capabilities and ATT&CK techniques, with no rating or status to check."""
    threats = _items(data.get("threats")) if isinstance(data, dict) else []
    return bool(threats) and all(
        "capabilities" in item or "external-mappings" in item for item in threats
    )


def _threat_array(data: Any) -> bool:
    """A top-level JSON array of threats, in a team's own fields: a `dialects:` entry reads it."""
    items = _items(data)
    return bool(items) and all(
        "id" in item and any(key in item for key in ("title", "name", "threat", "description"))
        for item in items
    )


# Name -> (how messages name it, detector). Tried in this order, before tmcheck's own formats.
FOREIGN: Mapping[str, tuple[str, Detector]] = {
    "threatspec": ("a threatspec threat model", _threatspec),
    "threat-catalog": ("a threat catalog (FINOS Common Cloud Controls)", _threat_catalog),
    "threat-array": (
        "a JSON array of threats (map its fields under `dialects:` in .tmcheck.yaml)",
        _threat_array,
    ),
}


def foreign_format(data: Any) -> str | None:
    """The foreign format `data` (a file's top-level value) is in, or None."""
    for name, (_, detector) in FOREIGN.items():
        if detector(data):
            return name
    return None


def describe(name: str) -> str:
    return FOREIGN[name][0] if name in FOREIGN else name
