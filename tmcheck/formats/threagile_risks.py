"""`threagile-risks`: the `risks.json` that `threagile analyze-model` writes: every risk found.

A JSON array of risks, on one line. Release 0.9 writes every key (`"risk_status": "unchecked"`,
empty strings); Threagile since mid-2024 omits zero values (no `risk_status` when unchecked, no
`severity` when low, no `exploitation_likelihood` when unlikely, no `exploitation_impact` when
low): an absent rating is the lowest. Each risk is rated by `threagile_rating`'s 4 x 4 mapping;
its status, approver and owner come from the model's `risk_tracking` and assets when the model
is checked in the same run (`threagile_join`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tmcheck.formats import TOOL_FILE_MAX_BYTES
from tmcheck.formats import threagile_rating as rating
from tmcheck.formats.fields import items
from tmcheck.formats.parsed import Parsed
from tmcheck.formats.threagile import Tracking, risk_entry
from tmcheck.parsing.tree import Document

FORMAT = "threagile-risks"
READS_LISTS = True
MAX_BYTES = TOOL_FILE_MAX_BYTES
# Not validated: Threagile's own schema and Threagile disagree (`enduser-identity-propagation`),
# and Threagile checks a model when it runs.
SCHEMA = None
STATUS_WORDS = rating.STATUS_WORDS
LEVEL_WORDS = rating.LEVEL_WORDS


def matches(data: Any) -> bool:
    """A non-empty array of risks: objects with a string `synthetic_id` and `category` (an
    empty array could be anything, and holds no risk)."""
    return (
        isinstance(data, list)
        and bool(data)
        and all(
            isinstance(item, dict)
            and isinstance(item.get("synthetic_id"), str)
            and isinstance(item.get("category"), str)
            for item in data
        )
    )


def read(document: Document, path: str) -> Parsed:
    located = tuple((item, position) for _, item, position, _ in items(document, document.root, ()))
    return Parsed(entries=entries(located, path, None), tool_data=located)


def entries(
    located: tuple[tuple[Mapping[str, Any], tuple[int, int]], ...],
    path: str,
    model: Tracking | None,
) -> tuple[Any, ...]:
    """The threat entries of the risks, completed by `model` when there is one."""
    return tuple(
        risk_entry(item, path, position, model, FORMAT, zero_defaults=True)
        for item, position in located
    )
