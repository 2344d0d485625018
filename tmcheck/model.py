"""The normalized model every loader produces and every rule and reporter reads."""

from __future__ import annotations

import datetime
import re
import struct
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tmcheck.wording import shorten

Position = tuple[int, int]
# A threat id with its scope: ("", id) for a run-wide id, (path, id) for a file-scoped one.
IdKey = tuple[str, str]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

# Formats of documents people write (Markdown), read as they are written: ids numbered per
# document that other files may still name (`ThreatEntry.reference_keys`), rating ranges
# (`normalize.reads_ranges`), categories of other taxonomies (`unknown-category`).
DOCUMENT_FORMATS = frozenset({"markdown"})
# Formats whose ids a tool computes (Threagile's synthetic ids, which it may give two risks: the
# push-instead-of-pull-deployment rule names only the build pipeline): a repeat is the tool's.
GENERATED_ID_FORMATS = frozenset({"threagile-risks"})

# Risk levels, lowest first; comparisons use this order.
RISK_LEVELS: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
RISK_RANK: Mapping[str, int] = {name: rank for rank, name in enumerate(RISK_LEVELS)}

STRIDE: tuple[str, ...] = (
    "Spoofing",
    "Tampering",
    "Repudiation",
    "Information Disclosure",
    "Denial of Service",
    "Elevation of Privilege",
)

# The kinds of element that are components (the others are flows and trust boundaries).
COMPONENT_KINDS = ("process", "datastore", "external_entity")

# The keys of a threat entry a finding may point at. Only their positions are kept: a run holds
# every threat until the report, and the source map of each entry was half of its memory. A
# finding about another key (a long text, a list) points at the entry itself.
POSITION_KEYS: tuple[str, ...] = (
    "id", "threatId", "title", "category", "threat", "type", "modelType", "component",
    "likelihood", "impact", "risk", "risk_score", "dread", "severity", "score", "status",
    "owner", "mitigation", "acceptance", "library", "ticket", "identified",
)  # fmt: skip
_KEY_INDEX: Mapping[str, int] = {key: index for index, key in enumerate(POSITION_KEYS)}
_PACKED = struct.Struct("<BII")  # key index, line, column
_MAX_MARK = 2**32 - 1


def pack_positions(positions: Mapping[str, Position]) -> bytes:
    """The positions of the `POSITION_KEYS` among `positions`, 9 bytes each."""
    flat: list[int] = []
    index_of = _KEY_INDEX.get
    for key, (line, column) in positions.items():
        index = index_of(key)
        if index is not None:
            flat += (index, line, column)
    count = len(flat) // 3
    packer = _PACKERS.get(count) or _PACKERS.setdefault(count, struct.Struct("<" + "BII" * count))
    try:
        return packer.pack(*flat)
    except struct.error:  # a mark beyond 32 bits: a file far larger than max_file_bytes allows
        return packer.pack(*(min(value, _MAX_MARK) for value in flat))


_PACKERS: dict[int, struct.Struct] = {}


# Short raw values that repeat across threats; interned (see ThreatEntry.__post_init__).
_WORD_FIELDS = ("component", "category", "likelihood", "impact", "risk", "severity", "status",
                "owner")  # fmt: skip
_MAX_WORD = 80


@dataclass(frozen=True, slots=True)
class ThreatEntry:
    """One threat as its loader read it: raw values and where they were written."""

    path: str
    line: int
    column: int
    format: str
    id: str | None
    title: str
    component: str | None = None
    # The categories as written, each one value of the file (`Tampering`, `T/I`, `S, I`);
    # `category` is the first. A loader may give either; the other is filled in.
    category: str | None = None
    categories: tuple[str, ...] = ()
    methodology: str = "STRIDE"  # Threat Dragon models may use CIA, LINDDUN, ...
    likelihood: Any = None
    impact: Any = None
    risk_score: Any = None  # the declared figure, checked against likelihood x impact
    risk: Any = None  # a register's overall rating: a level word or an "L x I" product
    severity: Any = None  # Threat Dragon's severity
    score_text: Any = None  # Threat Dragon's free-form score, kept for the reader
    dread: Mapping[str, Any] | None = None
    status: Any = None
    owner: str | None = None
    mitigation: str | None = None
    library: tuple[str, ...] = ()
    acceptance: Mapping[str, Any] | None = None
    ticket: str | None = None  # an issue in this repository (`#123`) or another tracker's id
    identified: Any = None  # the date the threat was identified, as written (starts its SLA clock)
    # "run": the id names one threat across every file of a run (tmcheck's own formats);
    # "file": tools number threats per file (Threat Composer T-0001, a .tm7's Id), so the id
    # names one threat only within its file.
    id_scope: str = "run"
    # Loaders give the positions of the entry's keys; the entry keeps them packed.
    positions: Mapping[str, Position] | bytes = b""

    def __post_init__(self) -> None:
        assign = object.__setattr__  # frozen
        if type(self.positions) is not bytes:
            assign(self, "positions", pack_positions(self.positions))  # type: ignore[arg-type]
        if self.categories:
            assign(self, "categories", tuple(_intern(value) for value in self.categories))
            if self.category is None:
                assign(self, "category", self.categories[0])
        elif self.category is not None:
            assign(self, "categories", (self.category,))
        # A run holds every threat: the same status, category, rating and owner words of
        # 100,000 threats are held once (interned strings are freed when no longer used).
        for name in _WORD_FIELDS:
            value = getattr(self, name)
            if type(value) is str and len(value) <= _MAX_WORD:
                assign(self, name, sys.intern(value))

    @property
    def id_key(self) -> IdKey | None:
        """What the id is unique in: `("", id)` run-wide, `(path, id)` for a file-scoped id."""
        if not self.id:
            return None
        return (self.path if self.id_scope == "file" else "", self.id)

    @property
    def reference_keys(self) -> tuple[IdKey, ...]:
        """The keys a reference may name the threat by (see `id_keys`): its id key; and a
        document's threat, whose id is unique in its file only, also by its bare id, the way
        a diagram of another file names it (a tool's ids mean nothing outside their file)."""
        key = self.id_key
        if key is None:
            return ()
        return (key, ("", key[1])) if key[0] and self.format in DOCUMENT_FORMATS else (key,)

    def position_of(self, key: str) -> Position:
        """Where the entry's `key` was written, or the entry itself when it was not."""
        wanted = _KEY_INDEX.get(key)
        packed = self.positions
        if wanted is not None and isinstance(packed, bytes):
            for index, line, column in _PACKED.iter_unpack(packed):
                if index == wanted:
                    return line, column
        return self.line, self.column


@dataclass(frozen=True, slots=True)
class SlaClock:
    """Since when an open threat has been open at its level, and when its SLA falls due."""

    start: datetime.date | None
    source: str | None  # "identified" or "git"; None when the start is unknown
    due: datetime.date | None  # None: the start is unknown, or the level has no SLA
    overdue: bool = False
    commit: str | None = None  # with source "git": the commit that started the clock
    unknown: str | None = None  # why the start is unknown ("shallow clone: fetch-depth: 0")


@dataclass(frozen=True, slots=True)
class Threat:
    """A threat after normalization and scoring."""

    entry: ThreatEntry
    category: str | None  # the first STRIDE name, when the threat is a STRIDE threat
    likelihood: int | None
    impact: int | None
    score: int | None  # always likelihood x impact on 1..25, or None
    risk_level: str | None  # "info" .. "critical"; a finding's severity is `Finding.level`
    level_model: str | None  # "bands", "matrix", "dread", "severity", "priority" or "rating"
    dread_total: int | None
    status: str  # normalized, or "unknown"
    open: bool
    at_threshold: bool  # open, and rated at or above the threshold: what the gate judges
    acceptance_expired: bool = False
    # Accepted by someone ranked below the approver its level needs: it counts as open.
    acceptance_unauthorized: bool = False
    clock: SlaClock | None = None  # open threats only, once the run has started the SLA clocks
    blocking: bool = False  # decided by the gate alone (`gate.apply_gate`)
    # Every STRIDE name the threat names, in the order written; `category` is the first.
    categories: tuple[str, ...] = ()
    # The level its own rating declares beside likelihood x impact (`risk: High`), when it
    # declares one; `risk_level` is the higher of the two.
    declared_level: str | None = None

    def __post_init__(self) -> None:
        if not self.categories and self.category is not None:
            object.__setattr__(self, "categories", (self.category,))  # frozen
        elif self.categories and self.category is None:
            object.__setattr__(self, "category", self.categories[0])

    @property
    def id(self) -> str | None:
        return self.entry.id

    @property
    def id_key(self) -> IdKey | None:
        return self.entry.id_key

    @property
    def label(self) -> str:
        """How messages name the threat: its id, or its title when the id is missing or a UUID
        (Threat Dragon's ids mean nothing to a reader)."""
        identifier = self.entry.id
        if identifier and not _UUID.fullmatch(identifier):
            return identifier
        return repr(_shorten(self.entry.title, 60)) if self.entry.title else "(untitled)"

    @property
    def rating(self) -> str:
        """How the threat was rated, in words: `3 x 5 = 15`, `DREAD 13/15`, `severity High`."""
        if self.score is not None:
            if self.likelihood is not None and self.impact is not None:
                return f"{self.likelihood} x {self.impact} = {self.score}"
            return f"score {self.score}"
        if self.level_model == "dread":
            return f"DREAD {self.dread_total}/15"
        if self.level_model == "rating":
            return f"risk {self.entry.risk}"
        if self.level_model in ("severity", "priority"):  # the tool's word for it
            return f"{self.level_model} {self.entry.severity}"
        return "unrated"


@dataclass(frozen=True, slots=True)
class Reference:
    """A threat id or library id named in one file and defined, or not, in another."""

    kind: str  # "threat" or "library"
    target: str
    path: str
    line: int
    column: int
    source: str  # who refers: an element name or a threat label


@dataclass(frozen=True, slots=True)
class Definition:
    """An id defined by a file: a threat's or a library entry's."""

    kind: str  # "threat" or "library"
    id: str
    path: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Element:
    """A part of the architecture: a component, a data flow or a trust boundary."""

    name: str
    kind: str  # "process", "datastore", "external_entity", "flow" or "boundary"
    path: str
    line: int
    column: int
    boundary: str | None = None  # the trust boundary a component sits in
    source: str | None = None  # flows: the element the data comes from
    target: str | None = None  # flows: the element it goes to
    crosses_boundary: bool = False
    threat_ids: tuple[str, ...] = ()  # threats the diagram itself attaches to the element
    protocol: str | None = None  # flows: how the data travels (HTTPS/443, gRPC)
    owner: str | None = None
    out_of_scope: bool = False  # marked out of scope: no STRIDE categories are asked of it
    # False: STRIDE coverage asks nothing of it either (Threagile's risks are rule findings, so
    # a category with no risk means that no rule fired, not that nobody thought about it).
    stride_coverage: bool = True
    positions: Mapping[str, Position] = field(default_factory=dict)

    def position_of(self, key: str) -> Position:
        """Where the element's `key` was written, or the element itself when it was not."""
        return self.positions.get(key, (self.line, self.column))


def _intern(value: str) -> str:
    return sys.intern(value) if type(value) is str and len(value) <= _MAX_WORD else value


def _shorten(text: str, limit: int) -> str:
    return shorten(" ".join(text.split()), limit)


def id_keys(target: str, path: str) -> tuple[IdKey, IdKey]:
    """The keys an id named in the file `path` may resolve to: a run-wide id, or an id scoped
    to that same file (a diagram names the threats of its own file)."""
    return ("", target), (path, target)


def name_key(name: str) -> str:
    """How element and component names compare: case-insensitive, whitespace-normalized."""
    return " ".join(name.split()).casefold()
