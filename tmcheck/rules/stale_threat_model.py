"""stale-threat-model: when the architecture changes, its threat model is reviewed too.

Only when the run knows what changed (`--changed-files`, `--base`, or the pull request's files
in the action): an architecture file or Threat Dragon diagram that changed, while no file with
threats on its elements changed, is a warning at the architecture file. The threat models that
count are the files of the run (and the files read to resolve ids) whose threats name one of
its elements or are attached to one; a diagram that carries its own threats is its own model.

Passes::

    changed: docs/architecture.yaml, docs/threat-model.md   # the model names its components

Fails::

    changed: docs/architecture.yaml                         # a flow was added; no threat moved
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from tmcheck.model import name_key
from tmcheck.results import FileResult
from tmcheck.rules.context import Problem, RuleContext

ID = "stale-threat-model"
LEVEL = "warning"
_SHOWN = 3


def check(context: RuleContext) -> Iterator[Problem]:
    changed = context.changed_paths
    if changed is None:
        return
    every = (*context.files, *context.context_files)
    for file in context.files:
        if not file.elements or os.path.realpath(file.path) not in changed:
            continue
        models = [other for other in every if _covers(other, file)]
        if any(os.path.realpath(model.path) in changed for model in models):
            continue
        if models:
            names = ", ".join(model.path for model in models[:_SHOWN])
            more = f" and {len(models) - _SHOWN} more" if len(models) > _SHOWN else ""
            why = f"none of the threat models of its elements changed ({names}{more})"
        else:
            why = "no checked threat model has threats on its elements"
        yield Problem(file.path, 1, 1, f"architecture changed; threat model not reviewed: {why}")


def _covers(model: FileResult, architecture: FileResult) -> bool:
    """Whether `model` holds a threat on one of the elements of `architecture`."""
    names = {name_key(element.name) for element in architecture.elements}
    attached = {tid for element in architecture.elements for tid in element.threat_ids}
    return any(
        (threat.entry.component and name_key(threat.entry.component) in names)
        or (threat.id is not None and threat.id in attached)
        for threat in model.threats
    )
