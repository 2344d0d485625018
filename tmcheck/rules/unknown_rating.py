"""unknown-rating: likelihood, impact, risk and severity are values tmcheck can read.

Likelihood and impact take 1 to 5 or a scale word: Very Low/Negligible/Insignificant/Rare 1,
Low/Minor/Unlikely 2, Medium/Moderate/Possible/Plausible 3, High/Major/Likely/Probable 4,
Very High/Critical/Severe/Catastrophic/Almost Certain/Certain 5 (replace the scales in
`.tmcheck.yaml`). In a Markdown table a range of two (`Low-Medium`, `Low to Medium`, `3-4`)
is the higher one.
A register's `risk` takes a level word, a score from 1 to 25 or `L x I`; a severity takes
a level word (`TBD` is allowed: not decided yet).

Passes::

    likelihood: Medium
    impact: 4

Fails::

    likelihood: Mediun
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from tmcheck.formats.vocabulary import level_words
from tmcheck.normalize import reads_ranges
from tmcheck.rules.context import Problem, RuleContext, threat_problem
from tmcheck.scoring import is_level_word, parse_product, rate
from tmcheck.suggest import did_you_mean

ID = "unknown-rating"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Problem]:
    settings = context.settings
    for threat in context.threats:
        entry = threat.entry
        scales = (("likelihood", settings.likelihood_scale), ("impact", settings.impact_scale))
        ranges = reads_ranges(entry)
        for key, scale in scales:
            value = getattr(entry, key)
            # Numbers off the scale are the schema's to report; words are this rule's.
            if isinstance(value, str) and rate(value, scale, ranges=ranges) is None:
                yield threat_problem(
                    threat,
                    f"{threat.label}: {key} {value!r} is neither 1 to 5 nor a scale word"
                    f" ({_scale_words(scale)}){did_you_mean(value, scale)}",
                    key=key,
                )  # fmt: skip
        levels = level_words(entry.format)
        risk = entry.risk
        if (
            isinstance(risk, str)
            and not is_level_word(risk, levels, ranges=ranges)
            and parse_product(risk) is None
        ):
            yield threat_problem(
                threat,
                f"{threat.label}: risk {risk!r} is neither a level (critical, high, medium, low,"
                " info) nor 'likelihood x impact'",
                key="risk",
            )  # fmt: skip
        severity = entry.severity
        if isinstance(severity, str) and not is_level_word(severity, levels, ranges=ranges):
            yield threat_problem(
                threat,
                f"{threat.label}: severity {severity!r} is not a level (critical, high, medium,"
                " low, info, or TBD)",
                key="severity",
            )  # fmt: skip


def _scale_words(scale: Mapping[str, int]) -> str:
    """The scale's first word for each number, as it lists them (`very low 1, low 2, ...`): the
    whole scale is too long for a message; `tmcheck rules unknown-rating` gives the default."""
    first: dict[int, str] = {}
    for word, number in scale.items():
        first.setdefault(number, word)
    shown = ", ".join(f"{first[number]} {number}" for number in sorted(first))
    return shown + (", ..." if len(scale) > len(first) else "")
