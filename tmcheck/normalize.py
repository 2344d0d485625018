"""From a loader's raw entry to a scored threat: categories, ratings, level, status, and whether
it is at the threshold (whether it blocks is the gate's to say)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from tmcheck.formats.vocabulary import level_words, severity_name, status_words
from tmcheck.model import DOCUMENT_FORMATS, RISK_RANK, STRIDE, Threat, ThreatEntry
from tmcheck.scoring import (
    band_level,
    dread_level,
    dread_total,
    level_word,
    matrix_level,
    normalize_status,
    parse_product,
    rate,
    word_key,
)
from tmcheck.treatment import resolve_approver, role_rank

if TYPE_CHECKING:  # for annotations only: config checks rule ids, and the rules load this module
    from tmcheck.config import Settings

STRIDE_NAMES: Mapping[str, str] = {
    **{word_key(name): name for name in STRIDE},
    **{name[0].lower(): name for name in STRIDE},
    "info disclosure": "Information Disclosure",
    "dos": "Denial of Service",
    "elevation of privileges": "Elevation of Privilege",
    "eop": "Elevation of Privilege",
}


_STRIDE_LETTERS = {name[0]: name for name in STRIDE}
_MAX_CATEGORY = 40  # longer than any STRIDE name, abbreviated or not
# Between several categories in one value: `T/I`, `S, I`, `S+T`, `S & T`, `T; I`.
_CATEGORY_SEPARATORS = re.compile(r"[/,;+&|]")


_STRIDE_WORDS = tuple((name, word_key(name).split()) for name in STRIDE)
_MIN_ABBREVIATION = 3  # `Auth`, `Info` and `Priv` are short; `In` or `De` says nothing


def stride_category(value: str | None) -> str | None:
    """The STRIDE name for a category as written (`Information disclosure`, `I`, `DoS`), or
    abbreviated: each word a prefix of the name's word in its place, from the first (`Info
    Disc`, `Elevation`, `Repud`)."""
    if not value:
        return None
    key = word_key(value)
    name = STRIDE_NAMES.get(key)
    if name is None and len(key) <= _MAX_CATEGORY:
        written = key.split()
        for name, words in _STRIDE_WORDS:
            if len(written) <= len(words) and all(
                word == full or (len(word) >= _MIN_ABBREVIATION and full.startswith(word))
                for word, full in zip(written, words, strict=False)
            ):
                return name
        return None
    return name


def category_parts(values: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """Each category a threat names, as written and as its STRIDE name (None when unknown).

    A value may name several: `T/I`, `S, I`, `Spoofing + Tampering`, or initials run together
    (`TI`, `STRIDE`); `Tampering (T)` is Tampering.
    """
    for value in values:
        for piece in _CATEGORY_SEPARATORS.split(value):
            piece = piece.strip()
            if not piece:
                continue
            name = stride_category(piece)
            if name is None and piece.endswith(")") and "(" in piece:
                before, _, inside = piece[:-1].partition("(")
                name = stride_category(before) or stride_category(inside)
            if name is None and _is_initials(piece):
                for letter in piece:
                    yield letter, _STRIDE_LETTERS[letter]
                continue
            yield piece, name


def _is_initials(piece: str) -> bool:
    return 2 <= len(piece) <= 6 and len(set(piece)) == len(piece) and set(piece) <= set("STRIDE")


def stride_categories(entry: ThreatEntry) -> tuple[str, ...]:
    """The STRIDE names of every category the entry names, each once, in the order written."""
    if not is_stride(entry):
        return ()
    names = (name for _, name in category_parts(entry.categories) if name is not None)
    return tuple(dict.fromkeys(names))


def is_stride(entry: ThreatEntry) -> bool:
    return word_key(entry.methodology) == "stride"


def normalize(entry: ThreatEntry, settings: Settings) -> Threat:
    ranges = reads_ranges(entry)
    likelihood = rate(entry.likelihood, settings.likelihood_scale, ranges=ranges)
    impact = rate(entry.impact, settings.impact_scale, ranges=ranges)
    if (likelihood is None or impact is None) and entry.likelihood is None and entry.impact is None:
        product = parse_product(entry.risk)  # a register's "4 x 5"
        if product:
            likelihood, impact = product
    score: int | None = None
    level: str | None = None
    level_model: str | None = None
    if likelihood is not None and impact is not None:
        score = likelihood * impact
        level = _rated_level(likelihood, impact, settings)
        level_model = "matrix" if settings.level_model == "matrix" else "bands"
    elif _is_score(entry.risk_score) or _is_score(entry.risk):
        # A declared product with no ratings beside it still means likelihood x impact.
        score = entry.risk_score if _is_score(entry.risk_score) else entry.risk
        assert isinstance(score, int)
        level, level_model = band_level(score, settings.bands), "bands"
    total = dread_total(entry.dread) if entry.dread else None
    if level is None and total is not None:
        level, level_model = dread_level(total), "dread"
    levels = level_words(entry.format)
    if level is None and (word := level_word(entry.risk, levels, ranges=ranges)):
        level, level_model = word, "rating"
    if level is None and (word := level_word(entry.severity, levels, ranges=ranges)):
        level, level_model = word, severity_name(entry.format)

    declared = None
    if (
        level_model in ("bands", "matrix")
        and likelihood is not None
        and impact is not None
        and entry.format in DECLARING_FORMATS
    ):
        declared = declared_level(entry, settings, levels)
        if declared is not None and RISK_RANK[declared] > RISK_RANK[level or "info"]:
            level = declared  # a declared level never hides a risk: the higher one gates

    status = normalize_status(entry.status, settings.status_words, status_words(entry.format))
    expired = status == "accepted" and _expired(entry, settings.today)
    unauthorized = status == "accepted" and not expired and _unauthorized(entry, level, settings)
    is_open = status not in settings.closed_statuses or expired or unauthorized
    if score is not None:
        at_threshold = is_open and (
            score >= settings.threshold
            or (declared is not None and RISK_RANK[declared] >= RISK_RANK[settings.threshold_level])
        )
    else:
        at_threshold = (
            is_open
            and level is not None
            and RISK_RANK[level] >= RISK_RANK[settings.threshold_level]
        )
    categories = stride_categories(entry)
    return Threat(
        entry=entry,
        category=categories[0] if categories else None,
        categories=categories,
        likelihood=likelihood,
        impact=impact,
        score=score,
        risk_level=level,
        level_model=level_model,
        dread_total=total,
        status=status,
        open=is_open,
        at_threshold=at_threshold,
        acceptance_expired=expired,
        acceptance_unauthorized=unauthorized,
        declared_level=declared,
    )


# Formats whose author writes a level beside likelihood and impact; a tool's severity (Threagile
# derives it from its own 4 x 4 mapping) is the tool's business.
DECLARING_FORMATS = frozenset({"markdown", "threat-register", "stride-worksheet", "dialect"})


def reads_ranges(entry: ThreatEntry) -> bool:
    """Whether the entry's ratings may be ranges (`Low-Medium`, in a document's cells): a range
    is read as its higher end, the conservative reading for a gate."""
    return entry.format in DOCUMENT_FORMATS


def computed_level(threat: Threat, settings: Settings) -> str | None:
    """The level likelihood x impact alone gives the threat."""
    if threat.likelihood is None or threat.impact is None:
        return None
    return _rated_level(threat.likelihood, threat.impact, settings)


def _rated_level(likelihood: int, impact: int, settings: Settings) -> str:
    """The level of likelihood x impact in the configured level model (matrix or bands)."""
    if settings.level_model == "matrix":
        return matrix_level(likelihood, impact, settings.matrix)
    return band_level(likelihood * impact, settings.bands)


def declared_level(
    entry: ThreatEntry, settings: Settings, levels: Mapping[str, str | None] | None = None
) -> str | None:
    """The level a threat's own rating declares beside its likelihood and impact: a level word
    (`risk: High`, `severity: Critical`) or a product (`risk: 4 x 5`); None when it declares none.
    A declared number (`risk_score`) is checked by `risk-score-mismatch` instead."""
    for value in (entry.risk, entry.severity):
        word = level_word(value, levels, ranges=reads_ranges(entry))
        if word is not None:
            return word
        product = parse_product(value)
        if product is not None:
            return _rated_level(*product, settings)
    return None


def _is_score(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 25


def _unauthorized(entry: ThreatEntry, level: str | None, settings: Settings) -> bool:
    """Accepted by a role ranked below the one the level's treatment asks for."""
    approver = (entry.acceptance or {}).get("approver")
    if level is None or not isinstance(approver, str) or not approver.strip():
        return False
    approval = resolve_approver(approver, settings.roles, settings.approvers)
    if approval.role is None:
        return False  # nobody knows the name: a warning, not a refusal (acceptance-unauthorized)
    needed = settings.treatment[level].approver
    return role_rank(approval.role, settings.roles) < role_rank(needed, settings.roles)


def _expired(entry: ThreatEntry, today: datetime.date) -> bool:
    expires = (entry.acceptance or {}).get("expires")
    if not isinstance(expires, str):
        return False
    try:
        return datetime.date.fromisoformat(expires) < today
    except ValueError:
        return False
