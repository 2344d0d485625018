"""unknown-rating: likelihood, impact, risk and severity are values tmcheck can read.

Likelihood and impact take 1 to 5 or a scale word (Very Low/Negligible 1, Low/Minor 2,
Medium/Moderate 3, High/Major 4, Very High/Critical 5; replace the scales in `.tmcheck.yaml`).
A register's `risk` takes a level word, a score from 1 to 25 or `L x I`; a severity takes
a level word (`TBD` is allowed: not decided yet).

Passes::

    likelihood: Medium
    impact: 4

Fails::

    likelihood: Mediun
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.formats.vocabulary import level_words
from tmcheck.rules.context import Problem, RuleContext, threat_problem
from tmcheck.scoring import is_level_word, parse_product, rate

ID = "unknown-rating"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Problem]:
    settings = context.settings
    for threat in context.threats:
        entry = threat.entry
        scales = (("likelihood", settings.likelihood_scale), ("impact", settings.impact_scale))
        for key, scale in scales:
            value = getattr(entry, key)
            # Numbers off the scale are the schema's to report; words are this rule's.
            if isinstance(value, str) and rate(value, scale) is None:
                words = ", ".join(sorted(scale, key=lambda word: (scale[word], word)))
                yield threat_problem(
                    threat,
                    f"{threat.label}: {key} {value!r} is neither 1 to 5 nor a scale word ({words})",
                    key=key,
                )  # fmt: skip
        levels = level_words(entry.format)
        risk = entry.risk
        if (
            isinstance(risk, str)
            and not is_level_word(risk, levels)
            and parse_product(risk) is None
        ):
            yield threat_problem(
                threat,
                f"{threat.label}: risk {risk!r} is neither a level (critical, high, medium, low,"
                " info) nor 'likelihood x impact'",
                key="risk",
            )  # fmt: skip
        severity = entry.severity
        if isinstance(severity, str) and not is_level_word(severity, levels):
            yield threat_problem(
                threat,
                f"{threat.label}: severity {severity!r} is not a level (critical, high, medium,"
                " low, info, or TBD)",
                key="severity",
            )  # fmt: skip
