"""Risk arithmetic: scales, bands, the seed matrix, DREAD, statuses, and the gate."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tmcheck.config import Settings
from tmcheck.model import ThreatEntry
from tmcheck.normalize import normalize, stride_category
from tmcheck.scoring import (
    DEFAULT_BANDS,
    DEFAULT_MATRIX,
    DEFAULT_SCALE,
    band_level,
    dread_level,
    dread_total,
    level_word,
    matrix_level,
    normalize_status,
    parse_product,
    rate,
)


def test_scale_words_and_numbers() -> None:
    assert [
        rate(w, DEFAULT_SCALE) for w in ("Very Low", "negligible", "Low", "Minor", "Medium")
    ] == [1, 1, 2, 2, 3]
    assert [
        rate(w, DEFAULT_SCALE) for w in ("moderate", "HIGH", "Major", "very_high", "Critical")
    ] == [3, 4, 4, 5, 5]
    assert [rate(v, DEFAULT_SCALE) for v in (1, 5, "3", 3.0, 0, 6, True, "Mediun", None)] == [
        1,
        5,
        3,
        3,
        None,
        None,
        None,
        None,
        None,
    ]


def test_the_words_of_the_common_five_point_scales() -> None:
    likelihood = ("Rare", "Unlikely", "Possible", "Plausible", "Likely", "Probable",
                  "Almost Certain", "certain")  # fmt: skip
    assert [rate(w, DEFAULT_SCALE) for w in likelihood] == [1, 2, 3, 3, 4, 4, 5, 5]
    impact = ("Insignificant", "Minor", "Moderate", "Major", "Severe", "Catastrophic")
    assert [rate(w, DEFAULT_SCALE) for w in impact] == [1, 2, 3, 4, 5, 5]


@pytest.mark.parametrize(
    ("written", "number"),
    [("Low-Medium", 3), ("Low\u2013Medium", 3), ("low \u2014 high", 4), ("Low to Medium", 3),
     ("Medium/High", 4), ("High-Low", 4), ("Very-Low-Medium", 3), ("Low - Very High", 5),
     ("3-4", 4), ("2 to 5", 5), ("Very-High", 5), ("4/5", None), ("Low-Mediun", None),
     ("-" * 100, None), ("Low-" * 20 + "High", None)],
)  # fmt: skip
def test_a_range_reads_as_its_higher_end_when_asked(written: str, number: int | None) -> None:
    assert rate(written, DEFAULT_SCALE, ranges=True) == number
    if written != "Very-High":
        assert rate(written, DEFAULT_SCALE) is None  # a YAML format's value is one word


def test_a_range_of_levels_reads_as_its_higher_end_when_asked() -> None:
    assert [level_word(w, ranges=True) for w in ("Medium-High", "low to critical", "TBD-High")] == [
        "high", "critical", None,
    ]  # fmt: skip
    assert level_word("Medium-High") is None


def test_only_ascii_digits_rate() -> None:
    # "\u00b2".isdigit() is true but int() refuses it; "\u0665" (Arabic-Indic 5) is no rating typed here
    hostile = ("\u00b2", "\u0665", "9" * 5000, "\uff15", " 4 ", "04")
    assert [rate(v, DEFAULT_SCALE) for v in hostile] == [None, None, None, None, 4, 4]


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1, "info"),
        (2, "low"),
        (5, "low"),
        (6, "medium"),
        (11, "medium"),
        (12, "high"),
        (19, "high"),
        (20, "critical"),
        (25, "critical"),
    ],
)
def test_bands(score: int, level: str) -> None:
    assert band_level(score, DEFAULT_BANDS) == level


def test_seed_matrix_and_where_it_disagrees_with_bands() -> None:
    assert matrix_level(5, 1, DEFAULT_MATRIX) == "medium"
    assert matrix_level(4, 5, DEFAULT_MATRIX) == "critical"
    assert matrix_level(1, 1, DEFAULT_MATRIX) == "info"
    assert (matrix_level(2, 5, DEFAULT_MATRIX), band_level(10, DEFAULT_BANDS)) == ("high", "medium")
    assert (matrix_level(1, 5, DEFAULT_MATRIX), band_level(5, DEFAULT_BANDS)) == ("medium", "low")


def test_dread() -> None:
    seed = {
        "damage": 3,
        "reproducibility": 3,
        "exploitability": 2,
        "affected": 3,
        "discoverability": 2,
    }
    assert dread_total(seed) == 13 and dread_level(13) == "critical"
    users = {**seed, "affected_users": 1}
    del users["affected"]
    assert dread_total(users) == 11 and dread_level(11) == "high"
    assert [dread_level(t) for t in (8, 7, 5, 4)] == ["high", "medium", "medium", "low"]
    assert dread_total({**seed, "damage": 4}) is None and dread_total({"damage": 1}) is None


def test_statuses() -> None:
    words = {
        "Open": "open", "Mitigated (partial)": "partially_mitigated", "in-progress": "in_progress",
        "In Progress": "in_progress", "implemented": "mitigated", "Mitigated": "mitigated",
        "NotApplicable": "not_applicable", "Not Applicable": "not_applicable", "N/A": "not_applicable",
        "false-positive": "false_positive", "Accepted": "accepted", "Transferred": "transferred",
        "Avoided": "avoided", "unchecked": "open", "Parked": "unknown",
    }  # fmt: skip
    assert {w: normalize_status(w, {}) for w in words} == words
    assert normalize_status("Parked", {"parked": "accepted"}) == "accepted"
    assert normalize_status(None, {}) == "open" and normalize_status(3, {}) == "unknown"


def test_level_words_and_products() -> None:
    assert [level_word(w) for w in ("HIGH", "Critical", "moderate", "TBD", "TBA", "x", 3)] == [
        "high", "critical", "medium", None, None, None, None,
    ]  # fmt: skip
    # the impact words of the five-point scales name levels too (a Severity column of them)
    assert [level_word(w) for w in ("Severe", "Catastrophic", "Major", "Minor", "Insignificant")] == [
        "critical", "critical", "high", "low", "info",
    ]  # fmt: skip
    assert [parse_product(v) for v in ("4 x 5", "3*4 = 12", "2\u00d73", "6 x 1", "high")] == [
        (4, 5), (3, 4), (2, 3), None, None,
    ]  # fmt: skip


def test_stride_spellings() -> None:
    assert [stride_category(c) for c in ("Information disclosure", "I", "DoS", "EoP", "spoofing", "Integrity")] == [
        "Information Disclosure", "Information Disclosure", "Denial of Service",
        "Elevation of Privilege", "Spoofing", None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("written", "name"),
    [("Info Disc", "Information Disclosure"), ("Elevation", "Elevation of Privilege"),
     ("Denial", "Denial of Service"), ("Repud", "Repudiation"), ("tamper", "Tampering"),
     ("SPOOF", "Spoofing"), ("Elevation of Priv", "Elevation of Privilege"),
     ("Denial-of-Serv", "Denial of Service"), ("Auth", None), ("Disclosure", None),
     ("Elev Priv", None), ("In", None), ("Spoofed", None), ("Info Disc Extra", None)],
)  # fmt: skip
def test_stride_abbreviations(written: str, name: str | None) -> None:
    """Every word begins the name's word in its place, from the first, in 3 letters or more."""
    assert stride_category(written) == name


def _threat(settings: Settings | None = None, **fields: Any) -> Any:
    entry = ThreatEntry(
        path="m.yaml", line=1, column=1, format="threat-register", id="T", title="t", **fields
    )
    return normalize(entry, settings or Settings())


def test_gate_by_score_and_by_level() -> None:
    assert _threat(likelihood=3, impact=4, status="Open").at_threshold
    assert not _threat(likelihood=3, impact=4, status="Mitigated").at_threshold
    assert not _threat(likelihood=3, impact=3, status="Open").at_threshold
    assert _threat(likelihood=3, impact=5, status="Mitigated (partial)").at_threshold
    assert _threat(
        dread={
            "damage": 2,
            "reproducibility": 2,
            "exploitability": 2,
            "affected": 1,
            "discoverability": 1,
        }
    ).at_threshold  # DREAD 8: high
    assert not _threat(
        dread={
            "damage": 2,
            "reproducibility": 2,
            "exploitability": 1,
            "affected": 1,
            "discoverability": 1,
        }
    ).at_threshold  # 7: medium
    assert _threat(risk="HIGH", status="in-progress").at_threshold
    assert not _threat(risk="MEDIUM", status="Open").at_threshold
    assert _threat(severity="Critical", status="Open").at_threshold
    assert not _threat(severity="TBD", status="Open").at_threshold
    both = _threat(likelihood=2, impact=2, severity="Critical", status="Open")
    # A declared level never hides a risk: the higher of it and likelihood x impact gates.
    assert (both.score, both.risk_level, both.at_threshold) == (4, "critical", True)
    assert both.declared_level == "critical"
    lower = _threat(likelihood=4, impact=4, risk="Low", status="Open")
    assert (lower.score, lower.risk_level, lower.at_threshold) == (16, "high", True)


def test_declared_scores_without_ratings() -> None:
    assert (_threat(risk_score=15).score, _threat(risk=16).score) == (15, 16)
    assert _threat(risk="4 x 5").score == 20 and _threat(risk="4 x 5").likelihood == 4


def test_threshold_level_follows_the_threshold() -> None:
    settings = Settings(threshold=20)
    assert settings.threshold_level == "critical"
    assert not _threat(settings, severity="High", status="Open").at_threshold
    assert _threat(settings, severity="Critical", status="Open").at_threshold


def test_expired_acceptance_is_open_again() -> None:
    settings = Settings(today=datetime.date(2026, 6, 1))
    valid = _threat(
        settings, likelihood=4, impact=4, status="Accepted", acceptance={"expires": "2026-12-31"}
    )
    expired = _threat(
        settings, likelihood=4, impact=4, status="Accepted", acceptance={"expires": "2026-05-31"}
    )
    assert (valid.open, valid.at_threshold) == (False, False)
    assert (expired.open, expired.at_threshold, expired.acceptance_expired) == (True, True, True)
