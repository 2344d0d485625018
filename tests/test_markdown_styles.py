"""Markdown threat models as people write them: numbered sections, a table per component,
setext headings, registers with variant columns, emoji ratings and statuses, prose beside."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import RunCli
from tests.support.paths import REPO
from tests.support.spent import spending
from tmcheck.formats.markdown import read_markdown
from tmcheck.formats.markdown_rows import header_key, rating_value, status_value

MODELS = REPO / "tests" / "markdown_models"


def _threats(run_cli: RunCli, name: str) -> tuple[list[tuple[object, ...]], list[str], int]:
    result = run_cli("check", "--no-config", "--format", "json", str(MODELS / name))
    report = json.loads(result.stdout)
    threats = [
        (t["id"], t["line"], t["component"], t["categories"], t["score"], t["level"], t["status"])
        for t in report["threats"]
    ]
    findings = [
        f"{f['line']} {f['level']} {f['rule']}"
        for f in report["findings"]
        if f["rule"] != "missing-ticket"  # treatment follow-up, not how the file was read
    ]
    return threats, findings, result.code


def _report(run_cli: RunCli, path: Path, text: str) -> dict[str, Any]:
    """The JSON report of `tmcheck check` on `path`, written with `text`, run in its folder."""
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", "--no-config", "--format", "json", path.name, cwd=path.parent)
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_numbered_sections_letters_and_emoji(run_cli: RunCli) -> None:
    threats, findings, code = _threats(run_cli, "numbered-sections.md")
    assert threats == [
        ("1", 21, None, ["Spoofing", "Repudiation"], 12, "high", "mitigated"),
        ("2", 22, None, ["Information Disclosure"], 10, "high", "partially_mitigated"),
        ("3", 23, None, ["Tampering", "Information Disclosure"], 12, "critical", "mitigated"),
        ("4", 24, None, ["Denial of Service"], 12, "high", "open"),
        ("5", 25, None, ["Elevation of Privilege"], 8, "medium", "not_applicable"),
    ]
    assert findings == [
        "22 error blocking-threat", "22 warning risk-level-mismatch",
        "23 warning risk-level-mismatch", "24 error blocking-threat",
        "24 warning risk-level-mismatch", "25 warning risk-level-mismatch",
    ]  # fmt: skip
    assert code == 1


def test_a_table_per_component_under_setext_headings(run_cli: RunCli) -> None:
    threats, findings, _ = _threats(run_cli, "per-component.md")
    assert threats == [
        ("INV-1", 11, "Inventory API", ["Spoofing"], None, "high", "mitigated"),
        ("INV-2", 12, "Inventory API", ["Tampering"], None, "medium", "in_progress"),
        ("INV-3", 19, "Inventory DB", ["Information Disclosure"], None, "critical", "open"),
    ]
    assert findings == ["19 error blocking-threat", "19 warning missing-owner"]


def test_register_with_variant_columns_and_status_marks(run_cli: RunCli) -> None:
    threats, findings, _ = _threats(run_cli, "register.md")
    assert threats == [
        ("IDP-01", 12, "Login UI", ["Spoofing"], 12, "high", "mitigated"),
        ("IDP-02", 13, "Session Store", ["Information Disclosure"], 6, "medium", "open"),
        ("IDP-03", 14, "Admin Console", ["Repudiation"], 12, "high", "in_progress"),
    ]
    assert findings == ["14 error blocking-threat"]


def test_prose_with_a_table_is_no_threat_model(run_cli: RunCli) -> None:
    text = (MODELS / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert read_markdown(text, "ARCHITECTURE.md") is None
    walked = run_cli("check", "--no-config", "--format", "json", str(MODELS))
    assert "ARCHITECTURE.md" not in {
        Path(f["path"]).name for f in json.loads(walked.stdout)["files"]
    }


def test_setext_threat_model_blocks(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(
        "Threats\n---\n\n| ID | Threat | Risk | Status |\n|---|---|---|---|\n"
        "| T1 | Remote code execution in the upload parser | Critical | Open |\n",
        encoding="utf-8",
    )
    result = run_cli("check", "--no-config", "notes.md", cwd=tmp_path)
    assert "notes.md:6:1: error [blocking-threat]" in result.stdout
    assert result.code == 1


def test_qualified_headers_name_their_field(run_cli: RunCli, tmp_path: Path) -> None:
    """`Threat Status`, `STRIDE threat type`, `Risk Owner`: the last words name the field."""
    report = _report(
        run_cli,
        tmp_path / "model.md",
        "# Signing service\n\n"
        "| Title | STRIDE threat type | Threat Status | Priority | Risk Owner |\n"
        "|---|---|---|---|---|\n"
        "| Compromised signing key | Information disclosure | Mitigated | High | Ana |\n"
        "| Tampered files | Tampering | Not Mitigated | High | Ben |\n",
    )
    assert [(t["categories"], t["status"], t["owner"]) for t in report["threats"]] == [
        (["Information Disclosure"], "mitigated", "Ana"),
        (["Tampering"], "open", "Ben"),
    ]
    assert [f["rule"] for f in report["findings"] if f["level"] != "note"] == ["blocking-threat"]


@pytest.mark.parametrize(
    "table",
    [
        "## Options\n\n| Name | Type | Description |\n|---|---|---|\n| depth | int | how deep |\n",
        "## Levels\n\n| Level | Name | Capabilities |\n|---|---|---|\n| L1 | Parser | parse |\n",
        "## Roadmap\n\n| Priority | Name | Status |\n|---|---|---|\n| P1 | Export | Done |\n",
        "## Consequences\n\n| ID | Title | Impact |\n|---|---|---|\n"
        "| C1 | Rebuild | Any caller can trigger a full rebuild |\n",
        "## Findings by risk\n\n| Risk Level | Count | Fixed | Description |\n|---|---|---|---|\n"
        "| High | 5 | 5 | All high findings are closed |\n",
    ],
    ids=["parameters", "product-levels", "roadmap", "adr-consequences", "tally"],
)
def test_tables_that_speak_of_no_threat_are_not_read(table: str) -> None:
    assert read_markdown("# Project\n\n" + table, "README.md") is None


def test_a_threat_heading_or_stride_values_make_a_table_a_threat_table() -> None:
    rows = "| ID | Title | Impact |\n|---|---|---|\n| C1 | Rebuild | High |\n"
    under_heading = read_markdown("# Project\n\n## Threats\n\n" + rows, "README.md")
    assert under_heading is not None and [e.id for e in under_heading.entries] == ["C1"]
    stride = "| Name | Type |\n|---|---|\n| Forged token | Spoofing |\n"
    assert read_markdown("# Project\n\n" + stride, "README.md") is not None
    sizes = "| Name | Type |\n|---|---|\n| Shirt | S |\n"
    assert read_markdown("# Project\n\n" + sizes, "README.md") is None


@pytest.mark.parametrize(
    ("header", "key"),
    [("Threat-ID", "threat id"), ("#", "#"), ("STRIDE Category:", "stride category"),
     ("**Likelihood**", "likelihood"), ("Mitigation(s)", "mitigation s")],
)  # fmt: skip
def test_header_names_fold_case_and_punctuation(header: str, key: str) -> None:
    assert header_key(header) == key


@pytest.mark.parametrize(
    ("written", "value"),
    [("High (12)", "High"), ("4x5", "4x5"), ("\U0001f534 High", "High"), ("H", "high"),
     ("Med", "medium"), ("3 (Possible)", 3), ("15", 15), ("N/A", None), ("VH", "very high"),
     # a rating the cell goes on to explain; a sentence about the impact is no rating
     ("High - internet facing, no auth", "High"), ("Medium: internal only", "Medium"),
     ("Any caller can trigger a full rebuild", None), ("4 x 5 = 20", "4 x 5 = 20")],
)  # fmt: skip
def test_ratings_as_written(written: str, value: object) -> None:
    assert rating_value(written) == value


@pytest.mark.parametrize(
    ("written", "value"),
    [("\u2705", "mitigated"), ("\u2705 Done", "Done"), ("\u274c", "open"), ("partial", "partial"),
     ("**Shipped**", "Shipped"), ("Mitigated - see #12", "Mitigated"),
     ("In progress: waiting for the vendor", "In progress"), ("Not Mitigated", "Not Mitigated"),
     ("\u2705 Verified", "mitigated"), ("\u274c Reopened", "open"), ("Verified", "Verified")],
)  # fmt: skip
def test_statuses_as_written(written: str, value: str) -> None:
    assert status_value(written) == value


@pytest.mark.parametrize(
    "text",
    [
        "# a" + " " * 1_000_000 + "x",
        "## Threats (" + "(" * 1_000_000,
        "# Threat Model\n\n## " + "a " * 500_000 + "(x)",
        "Threats\n" + "-" * 1_000_000,
        "| ID | Threat |\n|---|---|\n" + "| T | " + "x " * 500_000 + "|",
    ],
)
def test_a_one_megabyte_line_reads_in_under_two_seconds(text: str, tmp_path: Path) -> None:
    with spending() as spent:
        read_markdown(text, "big.md")
    assert spent.cpu < 2.0, str(spent)  # CPU: a busy machine slows the clock, not the work


def test_a_rating_column_of_descriptions_rates_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    """`Impact` holding what happens (`Session hijacking`) describes: no rating, no error; a
    column with one rating in it is a rating column, and its odd cells are errors."""
    report = _report(
        run_cli,
        tmp_path / "threats.md",
        "# Threat model\n\n| ID | Threat | Likelihood | Impact |\n|---|---|---|---|\n"
        "| T1 | Token replay | High | Session hijacking |\n"
        "| T2 | Collection name injection | Low | Data corruption |\n"
        "| T3 | Replay | Low | Every envelope carries wire version 3: old peers drop it |\n",
    )
    assert [(t["likelihood"], t["impact"]) for t in report["threats"]] == [
        (4, None), (2, None), (2, None)
    ]  # fmt: skip
    assert "unknown-rating" not in {f["rule"] for f in report["findings"]}


def test_a_configured_scale_word_keeps_its_column_a_rating_column(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / ".tmcheck.yaml").write_text("scales:\n  impact: {ruinous: 5, bearable: 2}\n")
    (tmp_path / "threats.md").write_text(
        "# Threat model\n\n| ID | Threat | Likelihood | Impact |\n|---|---|---|---|\n"
        "| T1 | Token replay | High | Ruinous |\n| T2 | Cache poisoning | Low | Bearable |\n",
        encoding="utf-8",
    )
    result = run_cli("check", "--format", "json", "threats.md", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [t["impact"] for t in report["threats"]] == [5, 2]


def test_a_threat_column_alone_makes_a_list_of_unrated_threats(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """`Threat | Mitigation` lists threats without rating them: they are read, and each is said
    to be unrated (a THREAT_MODEL.md is never "no threat model found")."""
    (tmp_path / "THREAT_MODEL.md").write_text(
        "# Threat model\n\n| Surface | Threats | Mitigations |\n|---|---|---|\n"
        "| CLI arguments | Path traversal | Paths resolved |\n",
        encoding="utf-8",
    )
    result = run_cli("check", "--no-config", "--format", "json", ".", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [(t["title"], t["component"]) for t in report["threats"]] == [
        ("Path traversal", "CLI arguments")
    ]
    assert [f["rule"] for f in report["findings"]] == ["unrated-threat"]
    assert result.code == 0


def test_a_table_mapping_controls_to_threats_is_no_list_of_threats() -> None:
    """Under `## Active Mitigations`, `Threat | Control` says which control answers which
    threat; with a rating column the same heading would hold rated threats."""
    rows = "| Asset | Threat | Control |\n|---|---|---|\n| cli | #path-traversal | validation |\n"
    assert read_markdown("# Threat Model\n\n## Active Mitigations\n\n" + rows, "tm.md") is None
    threats = "| Threat | Mitigation |\n|---|---|\n| Key theft | File permissions |\n"
    model = read_markdown("# Threat Model\n\n## Threats\n\n" + threats, "tm.md")
    assert model is not None and [e.title for e in model.entries] == ["Key theft"]


def test_ids_across_the_tables_of_one_document(run_cli: RunCli, tmp_path: Path) -> None:
    """Rows numbered per table are told by their titles; a later table repeating an id with no
    other title is the same threat (its cells fill the first row's empty ones); one table
    writing an id twice is a duplicate."""
    report = _report(
        run_cli,
        tmp_path / "audit.md",
        "# Security audit\n\n## API threats\n\n| # | Threat | Risk |\n|---|---|---|\n"
        "| 1 | Token theft | Low |\n\n## Database threats\n\n| # | Threat | Risk |\n|---|---|---|\n"
        "| 1 | Backup leak | Low |\n\n## Findings\n\n| ID | Title | Severity |\n|---|---|---|\n"
        "| C-1 | Rebuild crash | Critical |\n| C-2 | Embargo ignored | High |\n"
        "| C-2 | Embargo ignored again | High |\n\n## Remediation tracking\n\n"
        "| ID | Severity | Status |\n|---|---|---|\n| C-1 | Critical | Fixed |\n",
    )
    assert [(t["id"], t["title"], t["status"]) for t in report["threats"]] == [
        (None, "Token theft", "open"),
        (None, "Backup leak", "open"),
        ("C-1", "Rebuild crash", "mitigated"),
        ("C-2", "Embargo ignored", "open"),
        ("C-2", "Embargo ignored again", "open"),
    ]
    assert [(f["rule"], f["line"]) for f in report["findings"] if f["level"] == "error"] == [
        ("blocking-threat", 20),
        ("blocking-threat", 21),
        ("duplicate-id", 21),
    ]


def test_a_templates_slots_are_empty_cells() -> None:
    """`[Description]`, `[H/M/L]`, `<owner>`, `{{DATE}}` are for the writer to fill: a row of
    them is a template's row, no threat (a checkbox `[x]` is a value)."""
    table = (
        "## Active Risks\n\n| Risk ID | Description | Probability | Impact | Owner | Status |\n"
        "|---|---|---|---|---|---|\n| RISK-001 | [Description] | [H/M/L] | [H/M/L] | <owner> |"
        " {{STATUS}} |\n| RISK-002 | Stolen API key | High | High | Ana | [x] |\n"
    )
    model = read_markdown("# Project risks\n\n" + table, "risks.md")
    assert model is not None
    assert [(e.id, e.title, e.status) for e in model.entries] == [
        ("RISK-002", "Stolen API key", "x")
    ]


def test_a_status_column_of_sentences_says_no_status(run_cli: RunCli, tmp_path: Path) -> None:
    """`Mitigation status` holding what was done, in sentences and with no status word, is no
    status: the threats count as open, without an unknown-status warning per row. A column of
    one-word statuses tmcheck does not know keeps its warnings (they name what to configure)."""
    report = _report(
        run_cli,
        tmp_path / "RISK_REGISTER.md",
        "# Risk register\n\n| ID | Risk | Severity | Mitigation status |\n|---|---|---|---|\n"
        "| R-001 | Keys in local files | High | Production guard and warnings exist today |\n"
        "| R-002 | Redirects in the fetcher | Low | Default resolver rejects redirects |\n",
    )
    assert [t["status"] for t in report["threats"]] == ["open", "open"]
    assert "unknown-status" not in {f["rule"] for f in report["findings"]}
    words = _report(
        run_cli,
        tmp_path / "other.md",
        "# Risk register\n\n| ID | Risk | Severity | Status |\n|---|---|---|---|\n"
        "| R-003 | Keys in local files | High | Confirmed |\n",
    )
    assert [f["rule"] for f in words["findings"]].count("unknown-status") == 1
