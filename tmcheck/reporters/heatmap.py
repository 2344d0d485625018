"""The likelihood x impact heat map of the open threats, as a Markdown table.

Pure: threats in, counts and text out. Rows are likelihood 5 (top) to 1, columns impact 1 to 5;
each cell counts the open threats rated there. A cell whose score (likelihood x impact) is at or
above the threshold carries a red square and a bold count, so the staircase of red squares is
the threshold line: an open threat in a red cell blocks (under `gate: new`, if the change
introduced it). Threats rated another way (DREAD, a severity, a risk word) have no cell; the
map says how many there are and at which levels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tmcheck.model import RISK_LEVELS, Threat
from tmcheck.wording import plural

SCALE = range(1, 6)
# The default scale words (a repository may rename them; the numbers stay 1 to 5).
LIKELIHOOD_WORDS = {1: "Very low", 2: "Low", 3: "Medium", 4: "High", 5: "Very high"}
IMPACT_WORDS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Critical"}
AT_THRESHOLD = "\U0001f7e5"  # red square
EMPTY = "\u00b7"  # middle dot


@dataclass(frozen=True, slots=True)
class HeatMap:
    cells: Mapping[tuple[int, int], int]  # (likelihood, impact) -> open threats
    unplaced: Mapping[str, int]  # level (or "unrated") -> open threats with no cell

    @property
    def placed(self) -> int:
        return sum(self.cells.values())


def heat_map(threats: Iterable[Threat]) -> HeatMap:
    """Count the open threats by likelihood and impact."""
    cells: Counter[tuple[int, int]] = Counter()
    unplaced: Counter[str] = Counter()
    for threat in threats:
        if not threat.open:
            continue
        likelihood, impact = threat.likelihood, threat.impact
        if (
            likelihood is not None
            and impact is not None
            and likelihood in SCALE
            and impact in SCALE
        ):
            cells[(likelihood, impact)] += 1
        else:
            unplaced[threat.risk_level or "unrated"] += 1
    return HeatMap(dict(cells), dict(unplaced))


def heat_map_table(heat: HeatMap, threshold: int) -> str:
    """The map as a Markdown table, with its legend below (all our own text: no escaping)."""
    lines = [
        "| Likelihood \u2193 \\ Impact \u2192 | "
        + " | ".join(f"{i} {IMPACT_WORDS[i]}" for i in SCALE)
        + " |",
        "|---|" + ":-:|" * len(SCALE),
    ]
    for likelihood in reversed(SCALE):
        cells = [
            _cell(heat.cells.get((likelihood, i), 0), likelihood * i >= threshold) for i in SCALE
        ]
        lines.append(
            f"| **{likelihood}** {LIKELIHOOD_WORDS[likelihood]} | " + " | ".join(cells) + " |"
        )
    legend = (
        f"{AT_THRESHOLD} likelihood x impact at or above the threshold {threshold}."
        f" Counts are open threats; {plural(heat.placed, 'open threat')} on the map."
    )
    if heat.unplaced:
        order = [*reversed(RISK_LEVELS), "unrated"]
        levels = ", ".join(
            f"{heat.unplaced[level]} {level}" for level in order if level in heat.unplaced
        )
        total = sum(heat.unplaced.values())
        legend += (
            f" {plural(total, 'open threat')} without likelihood and impact"
            f" ({levels}) {'is' if total == 1 else 'are'} not on it."
        )
    return "\n".join(lines) + "\n\n" + legend + "\n"


def _cell(count: int, at_threshold: bool) -> str:
    if at_threshold:
        return f"{AT_THRESHOLD} **{count}**" if count else AT_THRESHOLD
    return str(count) if count else EMPTY
