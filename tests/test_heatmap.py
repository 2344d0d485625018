"""The likelihood x impact heat map: counts per cell, the threshold line, the legend."""

from __future__ import annotations

from tests.support.diagrams import threat
from tmcheck.reporters.heatmap import HeatMap, heat_map, heat_map_table

DREAD_13 = {"damage": 3, "reproducibility": 3, "exploitability": 3, "affected_users": 2,
            "discoverability": 2}  # fmt: skip


def test_counts_open_threats_by_likelihood_and_impact() -> None:
    threats = [
        threat("a", "X", 4, 4),
        threat("b", "X", "High", "Major"),  # words: the same cell
        threat("c", "X", 3, 4),
        threat("d", "X", 2, 2),
        threat("e", "X", 5, 5, "Mitigated"),  # closed: not on the map
        threat("f", "X", None, None, dread=DREAD_13),
        threat("g", "X", None, None),
    ]
    heat = heat_map(threats)
    assert heat == HeatMap({(4, 4): 2, (3, 4): 1, (2, 2): 1}, {"critical": 1, "unrated": 1})
    assert heat_map_table(heat, 12) == (
        "| Likelihood \u2193 \\ Impact \u2192 | 1 Negligible | 2 Minor | 3 Moderate | 4 Major | 5 Critical |\n"
        "|---|:-:|:-:|:-:|:-:|:-:|\n"
        "| **5** Very high | \u00b7 | \u00b7 | \U0001f7e5 | \U0001f7e5 | \U0001f7e5 |\n"
        "| **4** High | \u00b7 | \u00b7 | \U0001f7e5 | \U0001f7e5 **2** | \U0001f7e5 |\n"
        "| **3** Medium | \u00b7 | \u00b7 | \u00b7 | \U0001f7e5 **1** | \U0001f7e5 |\n"
        "| **2** Low | \u00b7 | 1 | \u00b7 | \u00b7 | \u00b7 |\n"
        "| **1** Very low | \u00b7 | \u00b7 | \u00b7 | \u00b7 | \u00b7 |\n"
        "\n"
        "\U0001f7e5 likelihood x impact at or above the threshold 12. Counts are open threats;"
        " 4 open threats on the map. 2 open threats without likelihood and impact"
        " (1 critical, 1 unrated) are not on it.\n"
    )


def test_the_threshold_line_moves_with_the_threshold() -> None:
    table = heat_map_table(heat_map([threat("a", "X", 4, 4)]), 20)
    rows = table.splitlines()[2:7]
    marked = [[cell.startswith("\U0001f7e5") for cell in row.split(" | ")[1:]] for row in rows]
    assert marked == [
        [False, False, False, True, True],  # likelihood 5: 5 x 4 = 20 and 5 x 5
        [False, False, False, False, True],  # likelihood 4: only 4 x 5 = 20
        [False] * 5, [False] * 5, [False] * 5,
    ]  # fmt: skip
    assert "| **4** High | \u00b7 | \u00b7 | \u00b7 | 1 | \U0001f7e5 |" in table  # 16 < 20: plain
    assert table.endswith("Counts are open threats; 1 open threat on the map.\n")
