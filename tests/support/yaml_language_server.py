"""yaml-language-server (the YAML support of VS Code, Neovim, Helix), run by Node
(`tests/yaml_language_server/`, pinned by its package-lock.json). Its language service validates
documents as an editor does, each against the schema its `# yaml-language-server: $schema=...`
line names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.npm_tool import NpmTool, missing_tools

__all__ = ["missing_tools", "validate"]

LANGUAGE_SERVER = NpmTool("yaml-language-server", "yaml_language_server")


def validate(documents: list[tuple[Path, str]]) -> list[list[dict[str, Any]]]:
    """The diagnostics of each (path, text), as yaml-language-server reports them."""
    request = [{"path": str(path), "text": text} for path, text in documents]
    results: list[list[dict[str, Any]]] = LANGUAGE_SERVER.run(request)
    return results
