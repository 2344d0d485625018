"""Threat Dragon diagrams as architecture: boundary crossings, out-of-scope cells, coverage."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.support.cli import RunCli
from tests.support.paths import REPO
from tmcheck.formats import dragon
from tmcheck.parsing.safe_json import load_json


def _shape(
    cell_id: str, kind: str, name: str, x: int, y: int, size: int = 100, **data: Any
) -> dict[str, Any]:
    return {
        "id": cell_id,
        "position": {"x": x, "y": y},
        "size": {"width": size, "height": size},
        "data": {"type": kind, "name": name, "threats": [], **data},
    }


def _flow(name: str, source: str, target: str, **data: Any) -> dict[str, Any]:
    return {
        "source": {"cell": source},
        "target": {"cell": target},
        "data": {"type": "tm.Flow", "name": name, "threats": [], **data},
    }


DIAGRAM = {
    "summary": {"title": "Shop"},
    "detail": {
        "diagrams": [
            {
                "diagramType": "STRIDE",
                "cells": [
                    _shape("u", "tm.Actor", "User", 0, 0),
                    _shape("w", "tm.Process", "Web", 300, 0),
                    _shape("w2", "tm.Process", "Worker", 600, 0),
                    _shape("d", "tm.Store", "DB", 300, 300),
                    _shape("a", "tm.Process", "Admin", 600, 600, outOfScope=True),
                    _shape("z", "tm.BoundaryBox", "Data zone", 280, 280, size=200),
                    {
                        "source": {"x": 200, "y": -50},
                        "target": {"x": 200, "y": 150},
                        "vertices": [{"x": 210, "y": 50}],
                        "data": {"type": "tm.Boundary", "name": ""},
                    },
                    _flow("Login", "u", "w"),
                    _flow("Query", "w", "d"),
                    _flow("Jobs", "w", "w2"),
                    _flow("Webhook", "w2", "w", isPublicNetwork=True),
                ],
            }
        ]
    },
}


def test_flows_cross_boundary_lines_boxes_and_public_networks() -> None:
    parsed = dragon.read(load_json(json.dumps(DIAGRAM)), "shop.json")
    flows = {
        e.name: (e.source, e.target, e.crosses_boundary)
        for e in parsed.elements
        if e.kind == "flow"
    }
    assert flows == {
        "Login": ("User", "Web", True),  # meets the boundary line at x = 200
        "Query": ("Web", "DB", True),  # from outside the Data zone box into it
        "Jobs": ("Web", "Worker", False),
        "Webhook": ("Worker", "Web", True),  # over a public network
    }
    boundaries = {e.name: e.boundary for e in parsed.elements if e.kind not in ("flow", "boundary")}
    assert boundaries == {
        "User": None,
        "Web": None,
        "Worker": None,
        "DB": "Data zone",
        "Admin": None,
    }
    assert [e.name for e in parsed.elements if e.out_of_scope] == ["Admin"]


def test_out_of_scope_cells_ask_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "shop.json").write_text(json.dumps(DIAGRAM), encoding="utf-8")
    report = json.loads(run_cli("check", "--format", "json", "shop.json", cwd=tmp_path).stdout)
    assert [(row["element"], len(row["missing"])) for row in report["coverage"]] == [
        ("User", 2), ("Web", 5), ("Worker", 5), ("DB", 3),
        ("Login", 4), ("Query", 4), ("Jobs", 3), ("Webhook", 4),
    ]  # fmt: skip


def test_threats_a_diagram_attaches_by_id_cover_its_cells(run_cli: RunCli, tmp_path: Path) -> None:
    """The seed diagram names T001-T005, defined in a worksheet found under the root."""
    models = tmp_path / "docs"
    models.mkdir()
    for name in ("threat-dragon-seed.json", "stride-worksheet.yaml"):
        shutil.copy(REPO / "fixtures" / "seed" / name, models / name)
    result = run_cli("check", "--format", "json", "docs/threat-dragon-seed.json", cwd=tmp_path)
    rows = {
        row["element"]: (row["covered"], row["threats"])
        for row in json.loads(result.stdout)["coverage"]
    }
    assert rows == {
        "Web Client": ([], {}),
        # by name: the worksheet's component is API Gateway (T003, Information Disclosure, is no
        # process question)
        "API Gateway": (
            ["Spoofing", "Tampering", "Denial of Service", "Elevation of Privilege"],
            {
                "Spoofing": ["T001"],
                "Tampering": ["T002"],
                "Denial of Service": ["T004"],
                "Elevation of Privilege": ["T005"],
            },
        ),
        # by id: the cell lists T005, an Elevation of Privilege threat
        "Order Service": (["Elevation of Privilege"], {"Elevation of Privilege": ["T005"]}),
        "Orders Database": ([], {}),
    }
