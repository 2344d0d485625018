"""The real Mermaid parser, run by Node (`tests/mermaid/`, pinned by its package-lock.json).

One Node process parses a whole list of diagrams (starting Node and importing Mermaid takes
about 3 s), and reports for each what it contains: vertices, edges, subgraphs, classes, links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.npm_tool import NpmTool, missing_tools

__all__ = ["mermaid_script", "missing_tools", "parse"]

MERMAID = NpmTool("the Mermaid parser", "mermaid")


def parse(diagrams: list[str]) -> list[dict[str, Any]]:
    """Each diagram as Mermaid reads it: {"ok": True, "vertices": ...} or {"ok": False, "error"}."""
    results: list[dict[str, Any]] = MERMAID.run(diagrams)
    return results


def mermaid_script() -> Path | None:
    """Mermaid's browser bundle, to draw diagrams in a page; None without node and npm."""
    if missing_tools() is not None:
        return None
    return MERMAID.install() / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
