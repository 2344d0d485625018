"""What a change did to the threats: match base and head threats, give each difference a kind.

Matching, in two passes:

1. by id, for every id that occurs at most once on each side (a file-scoped id, a tool's per-file
   number, together with its file, a renamed file's base path mapped to its new path);
2. the rest by file and title (whitespace and case ignored; a renamed file's base path is first
   mapped to its new path), in order of appearance, unless both carry ids and the ids differ.

Each matched pair that differs gets exactly one kind, the first that applies:

1. `reopened`: closed at base, open now;
2. `resolved`: open at base, closed now;
3. `raised` / `lowered`: the score went up / down (when both sides have one), otherwise the
   level did (an unrated threat ranks below `info`);
4. `changed`: anything else a reviewer should see (`fields` says what).

A status change beats a risk change: a closed threat that comes back open at a higher score is
`reopened`, and its before and after say the rest. Unmatched threats are `new` or `removed`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tmcheck.model import RISK_RANK, Element, IdKey, Threat, name_key

# Most severe first: the order reports list changes in.
CHANGE_KINDS: tuple[str, ...] = (
    "reopened",
    "new",
    "raised",
    "changed",
    "lowered",
    "resolved",
    "removed",
)
KIND_RANK: Mapping[str, int] = {kind: rank for rank, kind in enumerate(CHANGE_KINDS)}
# What a change introduced; with `gate: new` only these can block.
INTRODUCED: frozenset[str] = frozenset({"new", "raised", "reopened"})


def _words(value: str | None) -> str | None:
    return " ".join(value.split()) if value else value


# The attributes compared, in the order `fields` lists them.
_FIELDS: tuple[tuple[str, Callable[[Threat], Any]], ...] = (
    ("id", lambda t: t.entry.id),
    ("title", lambda t: _words(t.entry.title)),
    ("component", lambda t: t.entry.component),
    ("category", lambda t: ", ".join(t.categories or t.entry.categories) or None),
    ("status", lambda t: t.status),
    ("likelihood", lambda t: t.likelihood),
    ("impact", lambda t: t.impact),
    ("score", lambda t: t.score),
    ("level", lambda t: t.risk_level),
    ("rating", lambda t: (t.level_model, t.dread_total, t.entry.risk, t.entry.severity)),
    ("owner", lambda t: t.entry.owner),
    ("mitigation", lambda t: _words(t.entry.mitigation)),
    ("acceptance", lambda t: dict(t.entry.acceptance or {})),
    ("library", lambda t: t.entry.library),
)
_GETTERS: Mapping[str, Callable[[Threat], Any]] = dict(_FIELDS)
_RISK_FIELDS = frozenset({"status", "likelihood", "impact", "score", "level", "rating"})
_SHORT_FIELDS = frozenset({"owner", "component", "category", "id"})  # shown as before -> after


@dataclass(frozen=True, slots=True)
class ThreatChange:
    """One threat that differs between the base and the head.

    `before` is the threat at base (None when `new`), `after` the threat now (None when
    `removed`); `fields` names what differs, in a fixed order (empty for new and removed).
    """

    kind: str  # one of CHANGE_KINDS
    before: Threat | None
    after: Threat | None
    fields: tuple[str, ...] = ()

    @property
    def threat(self) -> Threat:
        """The threat as it is now, or as it was when it was removed."""
        threat = self.after or self.before
        assert threat is not None
        return threat

    @property
    def introduced(self) -> bool:
        """New, raised or reopened: what `gate: new` lets block."""
        return self.kind in INTRODUCED

    @property
    def id(self) -> str | None:
        return self.threat.id

    @property
    def path(self) -> str:
        """Where the threat is now; for `removed`, where it was at base."""
        return self.threat.entry.path

    @property
    def line(self) -> int:
        return self.threat.entry.line

    @property
    def title(self) -> str:
        return self.threat.entry.title

    @property
    def score_before(self) -> int | None:
        return self.before.score if self.before else None

    @property
    def score_after(self) -> int | None:
        return self.after.score if self.after else None

    @property
    def level_before(self) -> str | None:
        return self.before.risk_level if self.before else None

    @property
    def level_after(self) -> str | None:
        return self.after.risk_level if self.after else None

    @property
    def status_before(self) -> str | None:
        return self.before.status if self.before else None

    @property
    def status_after(self) -> str | None:
        return self.after.status if self.after else None

    @property
    def detail(self) -> str:
        """Before -> after in plain words (unescaped: the sink escapes it)."""
        return self.describe()

    def describe(self, escape: Callable[[str], str] = str, arrow: str = " -> ") -> str:
        """Before `arrow` after in words; what came from a file goes through `escape` (a
        Markdown report escapes each value, not the words and arrows around them)."""
        before, after = self.before, self.after
        if before is None or after is None:
            threat = self.threat
            return f"{escape(threat.status)}, {escape(risk_text(threat))}"
        parts = []
        if before.status != after.status:
            parts.append(f"{escape(before.status)}{arrow}{escape(after.status)}")
        if risk_text(before) != risk_text(after):
            parts.append(f"{escape(risk_text(before))}{arrow}{escape(risk_text(after))}")
        elif self.kind in ("reopened", "resolved"):
            parts.append(escape(risk_text(after)))
        for name in self.fields:
            if name in _SHORT_FIELDS:
                get = _GETTERS[name]
                old, new = escape(get(before) or "(none)"), escape(get(after) or "(none)")
                parts.append(f"{name} {old}{arrow}{new}")
            elif name not in _RISK_FIELDS:  # said above, in status and risk
                parts.append(f"{name} changed")
        return "; ".join(parts)


def risk_text(threat: Threat) -> str:
    """`3 x 5 = 15 (high)`, `DREAD 13/15 (critical)`, `unrated`."""
    return f"{threat.rating} ({threat.risk_level})" if threat.risk_level else threat.rating


def diff_threats(
    base: Sequence[Threat],
    head: Sequence[Threat],
    renamed: Mapping[str, str] | None = None,
) -> list[ThreatChange]:
    """The changes from `base` to `head`, most severe first.

    `renamed` maps a base file path to its head path, so that threats without an id still
    match across a rename.
    """
    renamed = renamed or {}
    pairs, removed, added = _match(base, head, renamed)
    changes = [change for before, after in pairs if (change := classify(before, after))]
    changes += [ThreatChange("removed", threat, None) for threat in removed]
    changes += [ThreatChange("new", None, threat) for threat in added]
    return sorted(changes, key=_severity)


def classify(before: Threat, after: Threat) -> ThreatChange | None:
    """The one change from `before` to `after`, or None when nothing a reviewer sees differs."""
    fields = tuple(name for name, get in _FIELDS if get(before) != get(after))
    if not before.open and after.open:
        kind = "reopened"
    elif before.open and not after.open:
        kind = "resolved"
    elif (direction := _risk_direction(before, after)) != 0:
        kind = "raised" if direction > 0 else "lowered"
    elif fields:
        kind = "changed"
    else:
        return None
    return ThreatChange(kind, before, after, fields)


def _risk_direction(before: Threat, after: Threat) -> int:
    if before.score is not None and after.score is not None and before.score != after.score:
        return 1 if after.score > before.score else -1
    rank_before, rank_after = _level_rank(before), _level_rank(after)
    return (rank_after > rank_before) - (rank_after < rank_before)


def _level_rank(threat: Threat) -> int:
    return RISK_RANK[threat.risk_level] if threat.risk_level else -1


def _match(
    base: Sequence[Threat], head: Sequence[Threat], renamed: Mapping[str, str]
) -> tuple[list[tuple[Threat, Threat]], list[Threat], list[Threat]]:
    """(matched pairs, unmatched base threats, unmatched head threats)."""

    def base_key(threat: Threat) -> IdKey | None:
        key = threat.id_key
        return (renamed.get(key[0], key[0]), key[1]) if key and key[0] else key

    base_keys = {id(t): base_key(t) for t in base}
    base_ids = Counter(key for key in base_keys.values() if key)
    head_ids = Counter(t.id_key for t in head if t.id_key)
    usable = {i for i in base_ids.keys() & head_ids.keys() if base_ids[i] == head_ids[i] == 1}
    head_by_id = {t.id_key: t for t in head if t.id_key in usable}
    pairs = [(t, head_by_id[key]) for t in base if (key := base_keys[id(t)]) in usable and key]

    waiting: dict[tuple[str, str], list[Threat]] = defaultdict(list)
    for threat in (t for t in head if t.id_key not in usable):
        waiting[(threat.entry.path, _title_key(threat))].append(threat)
    removed = []
    for threat in (t for t in base if base_keys[id(t)] not in usable):
        path = renamed.get(threat.entry.path, threat.entry.path)
        candidates = waiting.get((path, _title_key(threat)), [])
        partner = next((c for c in candidates if not _different_ids(threat, c)), None)
        if partner is None:
            removed.append(threat)
        else:
            candidates.remove(partner)
            pairs.append((threat, partner))
    matched = {id(after) for _, after in pairs}
    return pairs, removed, [t for t in head if id(t) not in matched]


def _title_key(threat: Threat) -> str:
    return " ".join(threat.entry.title.split()).casefold()


def _different_ids(one: Threat, other: Threat) -> bool:
    return bool(one.id and other.id and one.id != other.id)


def _severity(change: ThreatChange) -> tuple[int, int, int, str, int, str]:
    threat = change.threat
    return (
        KIND_RANK[change.kind],
        -(threat.score if threat.score is not None else 0),
        -_level_rank(threat),
        threat.entry.path,
        threat.entry.line,
        threat.id or "",
    )


def count_by_kind(changes: Iterable[ThreatChange]) -> dict[str, int]:
    """How many changes of each kind, in CHANGE_KINDS order, kinds with none left out."""
    counts = Counter(change.kind for change in changes)
    return {kind: counts[kind] for kind in CHANGE_KINDS if counts[kind]}


def changed_elements(base: Iterable[Element], head: Iterable[Element]) -> tuple[Element, ...]:
    """The `head` elements that are new since the base or drawn differently there: another
    boundary, other ends, crossing or not, other threat ids attached. Where an element is
    written (file, line) does not count, so moving it or renaming its file changes nothing."""
    before = {_element_key(element) for element in base}
    return tuple(element for element in head if _element_key(element) not in before)


def _element_key(element: Element) -> tuple[object, ...]:
    def key(name: str | None) -> str | None:
        return name_key(name) if name else None

    return (
        element.kind,
        name_key(element.name),
        key(element.boundary),
        key(element.source),
        key(element.target),
        element.crosses_boundary,
        tuple(sorted(element.threat_ids)),
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    """A run compared with a base revision (`--base REF`)."""

    ref: str  # as given
    commit: str | None  # the full commit id; None when the base could not be read
    changes: tuple[ThreatChange, ...] = ()
    elements: tuple[Element, ...] = ()  # architecture elements new or changed since the base
