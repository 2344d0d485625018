"""diff_threats: matching by id, then by file and title; one kind per change; the order."""

from __future__ import annotations

from typing import Any

import pytest

from tmcheck.config import Settings
from tmcheck.diff import ThreatChange, diff_threats
from tmcheck.model import Threat, ThreatEntry
from tmcheck.normalize import normalize

SETTINGS = Settings()


def threat(
    id: str | None, title: str = "", *, path: str = "m.yaml", line: int = 1, **fields: Any
) -> Threat:
    values: dict[str, Any] = {"likelihood": 2, "impact": 3, "status": "Open", **fields}
    entry = ThreatEntry(path=path, line=line, column=1, format="stride-worksheet", id=id,
                        title=title or f"threat {id}", category="Spoofing", **values)  # fmt: skip
    return normalize(entry, SETTINGS)


def kinds(changes: list[ThreatChange]) -> list[tuple[str, str | None, str]]:
    return [(change.kind, change.id, change.title) for change in changes]


def test_nothing_changes_when_only_lines_and_raw_status_words_move() -> None:
    base = [threat("T1", line=3), threat("T2", line=9, status="Open")]
    head = [threat("T2", line=1, status="open"), threat("T1", line=20)]
    assert diff_threats(base, head) == []


@pytest.mark.parametrize(
    ("before", "after", "kind", "fields"),
    [
        ({"status": "Mitigated"}, {"likelihood": 5, "impact": 5}, "reopened",
         ("status", "likelihood", "impact", "score", "level")),
        ({}, {"status": "Accepted", "likelihood": 5}, "resolved",
         ("status", "likelihood", "score", "level")),
        ({}, {"likelihood": 3}, "raised", ("likelihood", "score")),  # 6 -> 9, both medium
        ({"likelihood": 4, "impact": 4}, {"likelihood": 3, "impact": 5}, "lowered",
         ("likelihood", "impact", "score")),
        ({"likelihood": 3, "impact": 2}, {}, "changed", ("likelihood", "impact")),
        ({}, {"status": "In Progress"}, "changed", ("status",)),
        ({}, {"owner": "Bob", "mitigation": "Rate limit"}, "changed", ("owner", "mitigation")),
        ({"likelihood": None, "impact": None}, {}, "raised",
         ("likelihood", "impact", "score", "level", "rating")),
        ({}, {"likelihood": None, "impact": None}, "lowered",
         ("likelihood", "impact", "score", "level", "rating")),
        ({"status": "Mitigated"}, {"status": "Accepted"}, "changed", ("status",)),
    ],
)  # fmt: skip
def test_one_kind_per_change_status_first(
    before: dict[str, Any], after: dict[str, Any], kind: str, fields: tuple[str, ...]
) -> None:
    (change,) = diff_threats([threat("T1", **before)], [threat("T1", **after)])
    assert (change.kind, change.fields) == (kind, fields)


def test_level_decides_when_there_is_no_score() -> None:
    base = [threat("D1", likelihood=None, impact=None, severity="Medium")]
    head = [threat("D1", likelihood=None, impact=None, severity="High")]
    (change,) = diff_threats(base, head)
    assert (change.kind, change.level_before, change.level_after) == ("raised", "medium", "high")
    assert change.detail == "severity Medium (medium) -> severity High (high)"


def test_threats_without_ids_match_by_file_and_title_across_a_rename() -> None:
    base = [threat(None, "Cart  Tampering", path="old.json", severity="Low"),
            threat(None, "Gone", path="old.json")]  # fmt: skip
    head = [threat(None, "cart tampering", path="new.json", likelihood=5),
            threat(None, "Gone", path="other.json")]  # fmt: skip
    changes = diff_threats(base, head, renamed={"old.json": "new.json"})
    assert kinds(changes) == [
        ("new", None, "Gone"), ("raised", None, "cart tampering"), ("removed", None, "Gone"),
    ]  # fmt: skip
    assert diff_threats(base, head)[0].kind == "new"  # without the rename nothing matches


def test_duplicate_ids_fall_back_to_titles_in_order() -> None:
    base = [threat("T1", "Alpha"), threat("T1", "Beta"), threat("T1", "Beta", line=5)]
    head = [threat("T1", "Beta", likelihood=5), threat("T1", "Alpha"), threat("T1", "Beta")]
    (change,) = diff_threats(base, head)
    assert (change.kind, change.before, change.after) == ("raised", base[1], head[0])


def test_an_id_added_or_dropped_keeps_the_match_but_different_ids_do_not_match() -> None:
    assert kinds(diff_threats([threat(None, "Same")], [threat("T9", "Same")])) == [
        ("changed", "T9", "Same"),
    ]  # fmt: skip
    assert diff_threats([threat(None, "Same")], [threat("T9", "Same")])[0].fields == ("id",)
    assert kinds(diff_threats([threat("T1", "Same")], [threat("T2", "Same")])) == [
        ("new", "T2", "Same"), ("removed", "T1", "Same"),
    ]  # fmt: skip


def test_order_is_kind_then_score_then_place() -> None:
    base = [
        threat("R1", status="Mitigated"), threat("L1", likelihood=5, impact=5),
        threat("C1"), threat("X1"), threat("X2", likelihood=5), threat("S1"),
        threat("U1", likelihood=1, impact=1), threat("U2", likelihood=1, impact=1),
    ]  # fmt: skip
    head = [
        threat("R1", likelihood=1, impact=1), threat("L1", likelihood=1),
        threat("C1", owner="Z"), threat("N1", path="b.yaml", likelihood=1, impact=1),
        threat("N2", path="a.yaml", likelihood=1, impact=1), threat("N3", likelihood=5),
        threat("S1", status="Mitigated"),
        threat("U1", likelihood=4, impact=4), threat("U2", likelihood=5, impact=5),
    ]  # fmt: skip
    assert [(c.kind, c.id) for c in diff_threats(base, head)] == [
        ("reopened", "R1"), ("new", "N3"), ("new", "N2"), ("new", "N1"),
        ("raised", "U2"), ("raised", "U1"), ("changed", "C1"), ("lowered", "L1"),
        ("resolved", "S1"), ("removed", "X2"), ("removed", "X1"),
    ]  # fmt: skip


def test_change_details_read_before_to_after() -> None:
    base = [threat("A", owner="Alice", status="Mitigated"), threat("B", owner="Alice")]
    head = [threat("A", owner="Bob", likelihood=4), threat("B", mitigation="WAF")]
    details = {c.id: (c.kind, c.detail) for c in diff_threats(base, head)}
    assert details == {
        "A": ("reopened", "mitigated -> open; 2 x 3 = 6 (medium) -> 4 x 3 = 12 (high);"
                          " owner Alice -> Bob"),
        "B": ("changed", "owner Alice -> (none); mitigation changed"),
    }  # fmt: skip
