"""No schema tmcheck loads ever fetches anything: every `$ref` stays among the bundled schemas,
and validating every fixture opens no socket (the T30 cases prove the same for `$schema` and
`$ref` written in a threat model, with a listener)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import FIXTURES
from tmcheck import validation
from tmcheck.formats.detect import detect_format
from tmcheck.parsing.safe_json import load_json
from tmcheck.parsing.safe_yaml import load_yaml


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


@pytest.mark.parametrize("name", validation._bundled_names())
def test_every_reference_is_bundled(name: str) -> None:
    schema = validation._validator(name).schema
    assert [ref for ref in _references(schema) if not ref.startswith("urn:tmcheck:schema:")] == []


def test_validation_opens_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("tmcheck must not open connections while validating")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    validation._validator.cache_clear()  # build the validators under the guard too
    checked = 0
    for path in sorted(Path(FIXTURES).rglob("*")):
        if path.suffix not in (".yaml", ".json"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            document = (load_json if path.suffix == ".json" else load_yaml)(text)
        except Exception:
            continue
        name = detect_format(document.data)
        if name:
            validation.validate_document(name, document, str(path))
            checked += 1
    list(validation.iter_schema_errors("config", {"$schema": "http://127.0.0.1:9/x"}))
    assert checked >= 10 and attempts == []
