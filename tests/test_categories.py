"""Several STRIDE categories per threat: read, normalized, covered, reported, compared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tmcheck.config import Settings
from tmcheck.coverage import coverage_table
from tmcheck.model import Element, ThreatEntry
from tmcheck.normalize import category_parts, normalize

ARCHITECTURE = """\
system: Shop
components:
  - {name: Orders DB, type: datastore}
flows:
  - {name: Web, from: Orders DB, to: Orders DB}
"""

WORKSHEET = """\
component:
  name: Orders DB
threats:
  - id: T1
    category: T/I
    description: Rows altered and read through a shared admin account
    likelihood: 2
    impact: 3
    status: Open
  - id: T2
    category: Denial of Service, Spoofing
    description: Disk filled by unbounded uploads
    likelihood: 2
    impact: 2
    status: Open
"""


def _entry(*categories: str, methodology: str = "STRIDE") -> ThreatEntry:
    return ThreatEntry(
        path="t.yaml", line=1, column=1, format="stride-worksheet", id="T1", title="t",
        component="Orders DB", categories=categories, methodology=methodology,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("written", "names"),
    [
        (("Tampering",), ("Tampering",)),
        (("T/I",), ("Tampering", "Information Disclosure")),
        (("S, I",), ("Spoofing", "Information Disclosure")),
        (("Spoofing + Tampering",), ("Spoofing", "Tampering")),
        (("TI",), ("Tampering", "Information Disclosure")),
        (("Info disclosure; DoS",), ("Information Disclosure", "Denial of Service")),
        (("Tampering (T)",), ("Tampering",)),
        (("E", "S"), ("Elevation of Privilege", "Spoofing")),
        (("T", "t/T"), ("Tampering",)),  # each once
        (("Phishing",), ()),
    ],
)
def test_one_value_may_name_several_categories(
    written: tuple[str, ...], names: tuple[str, ...]
) -> None:
    threat = normalize(_entry(*written), Settings())
    assert threat.categories == names
    assert threat.category == (names[0] if names else None)


def test_category_and_categories_fill_each_other() -> None:
    only_first = ThreatEntry(
        path="t", line=1, column=1, format="f", id=None, title="t", category="Spoofing"
    )
    assert only_first.categories == ("Spoofing",)
    only_list = ThreatEntry(
        path="t", line=1, column=1, format="f", id=None, title="t", categories=("I", "E")
    )
    assert only_list.category == "I"
    assert normalize(only_list, Settings()).categories == (
        "Information Disclosure", "Elevation of Privilege",
    )  # fmt: skip


def test_other_methodologies_have_no_stride_categories() -> None:
    threat = normalize(_entry("Confidentiality", methodology="CIA"), Settings())
    assert threat.categories == () and threat.category is None


def test_unknown_parts_are_named_one_by_one() -> None:
    parts = list(category_parts(["T/Phishing", "DoS"]))
    assert parts == [("T", "Tampering"), ("Phishing", None), ("DoS", "Denial of Service")]


def test_coverage_counts_every_category_of_a_threat() -> None:
    element = Element(name="Orders DB", kind="datastore", path="a.yaml", line=3, column=5)
    threat = normalize(_entry("T/I"), Settings())
    (row,) = coverage_table([element], [threat])
    assert row.covered == ("Tampering", "Information Disclosure")
    assert row.missing == ("Denial of Service",)


def test_cli_reports_and_covers_all_categories(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "architecture.yaml").write_text(ARCHITECTURE, encoding="utf-8")
    (tmp_path / "stride.yaml").write_text(WORKSHEET, encoding="utf-8")
    result = run_cli(
        "check", "--no-config", "--format", "json", "architecture.yaml", "stride.yaml",
        cwd=tmp_path,
    )  # fmt: skip
    report = json.loads(result.stdout)
    threats = {threat["id"]: threat for threat in report["threats"]}
    assert threats["T1"]["category"] == "Tampering"
    assert threats["T1"]["categories"] == ["Tampering", "Information Disclosure"]
    assert threats["T2"]["categories"] == ["Denial of Service", "Spoofing"]
    (database,) = [row for row in report["coverage"] if row["element"] == "Orders DB"]
    assert database["missing"] == []
    assert database["threats"] == {
        "Tampering": ["T1"], "Information Disclosure": ["T1"], "Denial of Service": ["T2"],
    }  # fmt: skip
    assert not any(f["rule"] == "unknown-category" for f in report["findings"])

    markdown = run_cli(
        "check", "--no-config", "--format", "markdown", "architecture.yaml", "stride.yaml",
        cwd=tmp_path,
    )  # fmt: skip
    assert "| Tampering, Information Disclosure |" in markdown.stdout


def test_an_unknown_part_is_an_unknown_category(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "stride.yaml").write_text(
        WORKSHEET.replace("category: T/I", "category: T/Phishing"), encoding="utf-8"
    )
    result = run_cli("check", "--no-config", "--format", "json", "stride.yaml", cwd=tmp_path)
    report = json.loads(result.stdout)
    unknown = [f for f in report["findings"] if f["rule"] == "unknown-category"]
    assert [f["message"] for f in unknown] == [
        "T1: 'Phishing' is not a STRIDE category (Spoofing, Tampering, Repudiation,"
        " Information Disclosure, Denial of Service, Elevation of Privilege)"
    ]
    assert report["threats"][0]["categories"] == ["Tampering"]
