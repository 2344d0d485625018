"""The treatment policy: what each risk level asks for (an action, an SLA, an approver), the
SLA arithmetic, and who ranks high enough to accept a threat.

The defaults are the seed's risk_treatment table (`scoring.TREATMENT`); `.tmcheck.yaml` may
replace any part of it under `treatment:`, rank the roles under `roles:` and name the people
who hold them under `approvers:`.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tmcheck.model import RISK_LEVELS, RISK_RANK
from tmcheck.scoring import TREATMENT, word_key

# `24 hours`, `1 week`, `2 months`, `1 quarter`, `30 days`, `30`, `none`.
_SLA = re.compile(r"([0-9]{1,4}) ?(hours?|days?|weeks?|months?|quarters?|years?)?")
_NO_SLA = frozenset({"none", "no sla", "n/a", "-"})


@dataclass(frozen=True, slots=True)
class Sla:
    """A time allowed to treat a threat, as an amount of a unit; `unit` "none": no deadline."""

    amount: int
    unit: str  # "hours", "days", "weeks", "months", "quarters", "years" or "none"

    @property
    def none(self) -> bool:
        return self.unit == "none"

    def due(self, start: datetime.date) -> datetime.date | None:
        """The day the SLA ends for a clock started on `start` (hours round up to whole days)."""
        if self.none:
            return None
        if self.unit == "hours":
            return start + datetime.timedelta(days=-(-self.amount // 24))
        if self.unit == "days":
            return start + datetime.timedelta(days=self.amount)
        if self.unit == "weeks":
            return start + datetime.timedelta(weeks=self.amount)
        months = {"months": 1, "quarters": 3, "years": 12}[self.unit] * self.amount
        return _add_months(start, months)


def parse_sla(value: object) -> Sla | None:
    """An SLA from its words or a number of days; None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Sla(value, "days") if value >= 0 else None
    if not isinstance(value, str):
        return None
    text = word_key(value)
    if text in _NO_SLA:
        return Sla(0, "none")
    match = _SLA.fullmatch(text)
    if match is None:
        return None
    unit = match.group(2) or "days"
    return Sla(int(match.group(1)), unit if unit.endswith("s") else unit + "s")


def _add_months(start: datetime.date, months: int) -> datetime.date:
    """`start` plus whole calendar months, on the last day of a shorter month (Jan 31 + 1 month
    is Feb 28)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Treatment:
    """What one risk level asks for."""

    action: str
    sla_text: str  # as written in the policy: `1 week`
    sla: Sla
    approver: str  # the lowest role that may accept a threat of this level


def default_treatment() -> dict[str, Treatment]:
    return {
        level: Treatment(action, sla, parse_sla(sla) or Sla(0, "none"), approver)
        for level, (action, sla, approver) in TREATMENT.items()
    }


def merge_treatment(overrides: Mapping[str, Mapping[str, object]]) -> dict[str, Treatment]:
    """The default table with the levels and fields `overrides` gives replaced (the config
    schema has checked their shapes and the SLA words)."""
    table = default_treatment()
    for level, fields in overrides.items():
        current = table[level]
        sla_value = fields.get("sla", current.sla_text)
        sla = parse_sla(sla_value) or current.sla
        table[level] = Treatment(
            action=str(fields.get("action", current.action)),
            sla_text=str(sla_value),
            sla=sla,
            approver=str(fields.get("approver", current.approver)),
        )
    return table


def default_roles(table: Mapping[str, Treatment]) -> tuple[str, ...]:
    """The table's approvers, lowest first: ranked by the lowest level each approves."""
    roles: list[str] = []
    for level in RISK_LEVELS:
        approver = table[level].approver
        if word_key(approver) not in {word_key(role) for role in roles}:
            roles.append(approver)
    return tuple(roles)


@dataclass(frozen=True, slots=True)
class Approval:
    """Who an acceptance names, as the policy sees them."""

    role: str | None  # the highest role they hold; None when nobody knows the name
    person: str | None  # the name as written, when it is a person rather than a role


def resolve_approver(
    name: str, roles: Sequence[str], approvers: Mapping[str, Sequence[str]]
) -> Approval:
    """The role an acceptance's `approver` stands for: a role itself, or the highest role of a
    person listed under `approvers:` (names compare case-insensitively)."""
    key = word_key(name)
    for role in roles:
        if word_key(role) == key:
            return Approval(role, None)
    held = [
        role for role in roles if any(word_key(person) == key for person in approvers.get(role, ()))
    ]
    return Approval(held[-1] if held else None, name)


def role_rank(role: str, roles: Sequence[str]) -> int:
    key = word_key(role)
    return next((rank for rank, name in enumerate(roles) if word_key(name) == key), -1)


def needed_role(level: str, table: Mapping[str, Treatment]) -> str:
    return table[level].approver


def level_rank(level: str | None) -> int:
    return RISK_RANK.get(level or "", -1)
