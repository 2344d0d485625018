"""The PR comment on the fixture pull request (tests/support/fixture_pr.py): what it leads with, what
blocks under each gate, the heat map and the diagram of the head state, and docs/comment.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.fixture_comment import check_pull_request, inside, render_comment
from tests.support.fixture_pr import REPOSITORY, make_pull_request
from tests.support.paths import REPO
from tmcheck.reporters.markdown import Links, render_report


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    root = tmp_path_factory.mktemp("checkout")
    base, head = make_pull_request(root)
    return root, base, head


@pytest.fixture(scope="module")
def comment(pull_request: tuple[Path, str, str]) -> str:
    return render_comment(*pull_request)


def _link(head: str, path: str, line: int) -> str:
    shown = path.replace("-", "\\-").replace(".", "\\.")
    return f"[{shown}:{line}](https://github.com/{REPOSITORY}/blob/{head}/{path}#L{line})"


def _section(comment: str, heading: str) -> str:
    return comment.split(heading, 1)[1].split("\n### ", 1)[0].split("\n<details>", 1)[0]


def test_the_comment_leads_with_the_verdict_and_the_changes(
    comment: str, pull_request: tuple[Path, str, str]
) -> None:
    _, _, head = pull_request
    gateway, app, auth = (
        f"threat-model/{n}.yaml" for n in ("api-gateway", "app-service", "auth-service")
    )
    assert comment.startswith(
        "<!-- tmcheck:report tmcheck -->\n"
        "## \u274c tmcheck blocks: 3 open threats at or above the threshold 12"
        " (1 reopened, 1 new, 1 raised); 1 threat past its SLA\n"
        "\n"
        "4 threat-model files checked: 9 threats, 8 open, 3 blocking. Gate **new**: only what this"
        " change introduced can block; 2 older open threats at or above the threshold do not.\n"
        "\n"
        "### Changes in this pull request (4): 1 reopened, 1 new, 1 raised, 1 resolved\n"
        "\n"
        "| Change | ID | Threat | Component | Before \u2192 after | Blocks | Where |\n"
        "|---|---|---|---|---|:-:|---|\n"
        "| \U0001f501 reopened | `A1` | No audit log for refunds | App Service"
        f" | mitigated \u2192 open; 3 x 5 \\= 15 \\(high\\) | \u274c | {_link(head, app, 3)} |\n"
        "| \U0001f195 new | `G1` | Forged payment webhooks | API Gateway"
        f" | open, 4 x 5 \\= 20 \\(critical\\) | \u274c | {_link(head, gateway, 3)} |\n"
        "| \U0001f53a raised | `G2` | Request tampering | API Gateway"
        " | 2 x 3 \\= 6 \\(medium\\) \u2192 4 x 4 \\= 16 \\(high\\) | \u274c"
        f" | {_link(head, gateway, 4)} |\n"
        "| \u2705 resolved | `S1` | Token forgery with a weak signing key | Auth Service"
        f" | open \u2192 mitigated; 3 x 5 \\= 15 \\(high\\) |  | {_link(head, auth, 3)} |\n"
        "\n"
        "### Blocking threats (3)\n"
    )


def _column(table: str, name: str) -> list[str]:
    """One column of the first Markdown table in `table` (no cell of these holds a pipe)."""
    lines = [line for line in table.splitlines() if line.startswith("|")]
    rows = [line[2:-2].split(" | ") for line in lines]
    index = rows[0].index(name)
    return [row[index].strip() for row in rows[2:]]


def test_gate_new_blocks_only_what_the_pull_request_introduced(comment: str) -> None:
    blocking = _section(comment, "### Blocking threats (3)\n")
    assert _column(blocking, "ID") == ["`G1`", "`G2`", "`A1`"]
    # G1 (critical, 24 hours) came with the head commit of 2025-03-02; today is 2025-03-04.
    # G2 was raised and A1 reopened by it: their clocks (high, 1 week) restarted there.
    assert _column(blocking, "Due") == ["overdue 1 day", "in 5 days", "in 5 days"]
    assert _column(blocking, "Change") == [
        "\U0001f195 new",
        "\U0001f53a raised",
        "\U0001f501 reopened",
    ]
    debt = comment.split("not blocking under gate: new (2)</summary>")[1].split("</details>")[0]
    assert _column(debt, "ID") == ["`A3`", ""]
    assert _column(debt, "Threat") == [
        "Admin API reachable from the DMZ",
        "SQL injection in order search",
    ]
    other = comment.split("<summary>Other open threats (3)</summary>")[1].split("</details>")[0]
    assert _column(other, "ID") == ["`G3`", "`S2`", "`A2`"]
    assert "| Change |" not in other  # none of them changed: no empty column


def test_gate_all_blocks_the_older_threats_too(pull_request: tuple[Path, str, str]) -> None:
    root, base, head = pull_request
    result = check_pull_request(root, base, gate="all")
    with inside(root):
        comment = render_report(
            result, links=Links(repository=REPOSITORY, commit=head), pull_request=42
        )
    assert comment.splitlines()[1] == (
        "## \u274c tmcheck blocks: 5 open threats at or above the threshold 12"
        " (1 reopened, 1 new, 1 raised, 2 unchanged); 1 threat past its SLA"
    )
    blocking = _section(comment, "### Blocking threats (5)\n")
    assert _column(blocking, "ID") == ["`G1`", "`G2`", "`A3`", "`A1`", ""]
    assert _column(blocking, "Change")[2:] == ["", "\U0001f501 reopened", ""]  # A3, SQL: unchanged
    assert "not blocking under gate: new" not in comment


def test_the_heat_map_counts_the_open_threats_of_the_head(comment: str) -> None:
    heat = _section(comment, "### Open threats by likelihood and impact\n")
    # open at head: G1 4x5, G2 4x4, G3 3x3, A1 3x5, A2 2x2, A3 4x4, S2 2x4; S1 is mitigated now
    assert heat == (
        "\n| Likelihood \u2193 \\ Impact \u2192 | 1 Negligible | 2 Minor | 3 Moderate | 4 Major | 5 Critical |\n"
        "|---|:-:|:-:|:-:|:-:|:-:|\n"
        "| **5** Very high | \u00b7 | \u00b7 | \U0001f7e5 | \U0001f7e5 | \U0001f7e5 |\n"
        "| **4** High | \u00b7 | \u00b7 | \U0001f7e5 | \U0001f7e5 **2** | \U0001f7e5 **1** |\n"
        "| **3** Medium | \u00b7 | \u00b7 | 1 | \U0001f7e5 | \U0001f7e5 **1** |\n"
        "| **2** Low | \u00b7 | 1 | \u00b7 | 1 | \u00b7 |\n"
        "| **1** Very low | \u00b7 | \u00b7 | \u00b7 | \u00b7 | \u00b7 |\n"
        "\n"
        "\U0001f7e5 likelihood x impact at or above the threshold 12. Counts are open threats;"
        " 7 open threats on the map. 1 open threat without likelihood and impact (1 high) is not"
        " on it.\n"
    )


def test_the_diagram_shows_the_head_and_marks_what_the_pull_request_touched(comment: str) -> None:
    diagram = comment.split("```mermaid\n")[1].split("```")[0]
    assert diagram == (
        "flowchart LR\n"
        '  subgraph b1["Internet"]\n'
        '    n1["Browser User<br/>no open threats"]\n'
        '    n2["Payment Provider<br/>no open threats<br/>changed"]\n'  # new in the diagram
        "  end\n"
        '  subgraph b2["DMZ"]\n'
        '    n3("API Gateway<br/>3 open #183; critical<br/>changed")\n'  # G1 new, G2 raised
        '    n4("Auth Service<br/>1 open #183; medium<br/>changed")\n'  # S1 resolved
        "  end\n"
        '  subgraph b3["Internal"]\n'
        '    n5("App Service<br/>3 open #183; high<br/>changed")\n'  # A1 reopened
        '    n6[("Message Queue<br/>no open threats")]\n'
        '    n7("Worker Service<br/>no open threats")\n'
        "  end\n"
        '  subgraph b4["Data"]\n'
        '    n8[("Postgres DB<br/>1 open #183; high")]\n'
        "  end\n"
        '  n1 -->|"HTTPS requests"| n3\n'
        '  n3 -->|"Token check"| n4\n'
        '  n3 -->|"Order API"| n5\n'
        '  n5 -->|"Order writes"| n8\n'
        '  n5 -->|"Job enqueue"| n6\n'
        '  n6 -->|"Job dequeue"| n7\n'
        '  n2 -->|"Payment webhook<br/>changed"| n3\n'
        "  classDef critical fill:#ffebe9,stroke:#cf222e,color:#1f2328\n"
        "  classDef high fill:#fff1e5,stroke:#bc4c00,color:#1f2328\n"
        "  classDef medium fill:#fff8c5,stroke:#9a6700,color:#1f2328\n"
        "  classDef touched stroke-width:4px,stroke-dasharray:8 4\n"
        "  class n3 critical\n"
        "  class n5,n8 high\n"
        "  class n4 medium\n"
        "  class n2,n3,n4,n5 touched\n"
        "  linkStyle 6 stroke:#8250df,stroke-width:3px\n"
    )


def test_without_an_architecture_the_diagram_is_one_note(
    pull_request: tuple[Path, str, str],
) -> None:
    root, base, _ = pull_request
    result = check_pull_request(root, base)
    result = type(result)(
        tuple(f for f in result.files if not f.elements), result.threats, result.findings,
        result.threshold, comparison=result.comparison, gate=result.gate, debt=result.debt,
    )  # fmt: skip
    comment = render_report(result)
    assert "```mermaid" not in comment and "### Data flow" not in comment
    assert (
        "\nNo data-flow diagram: no architecture file or Threat Dragon diagram was checked.\n"
        in comment
    )


def test_the_comment_in_the_docs_is_what_tmcheck_renders_today(comment: str) -> None:
    """docs/comment.md (and the screenshot made from it) must not go stale: regenerate both with
    `python docs/make_screenshot.py` when the layout changes."""
    assert (REPO / "docs" / "comment.md").read_text(encoding="utf-8") == comment


def test_sacrifices_come_in_order_and_the_diagram_goes_before_any_change_or_blocking_row(
    pull_request: tuple[Path, str, str], comment: str
) -> None:
    root, base, head = pull_request
    result = check_pull_request(root, base)
    links = Links(repository=REPOSITORY, commit=head)
    with inside(root):
        texts = [
            render_report(result, links=links, pull_request=42, budget=budget)
            for budget in range(len(comment), 2000, -500)
        ]
    changes, blocking = (_section(comment, h) for h in ("### Changes in", "### Blocking threats"))
    without_diagram = [text for text in texts if "```mermaid" not in text]
    first = without_diagram[0]
    assert "The data-flow diagram was left out to fit GitHub's limit." in first
    assert "Other findings (50)</summary>\n\n| Level |" in first  # folded rows shrank first
    assert "40 more findings not shown." in first
    assert _section(first, "### Changes in") == changes
    assert _section(first, "### Blocking threats") == blocking
    assert all("### Open threats by likelihood and impact" in text for text in texts)
    last = texts[-1]
    assert len(last) <= 2500 and "(report cut to fit" not in last
    assert "50 findings not shown, to fit GitHub's limit." in last
    assert "4 changes not shown, to fit GitHub's limit." in last
    assert "No threat changed" not in "".join(texts)


def test_a_pull_request_that_changes_no_threat_passes_under_gate_new(
    pull_request: tuple[Path, str, str],
) -> None:
    root, _, head = pull_request
    result = check_pull_request(root, head)  # compared with itself: nothing changed
    with inside(root):
        comment = render_report(result, pull_request=42)
    assert comment.split("\n### Open threats")[0] == (
        "<!-- tmcheck:report tmcheck -->\n"
        "## \u2705 tmcheck passes: no open threat blocks at the threshold 12 (5 older threats at or"
        " above it, not blocking under gate: new); 1 threat past its SLA\n"
        "\n"
        "4 threat-model files checked: 9 threats, 8 open, 0 blocking. Gate **new**: only what this"
        " change introduced can block; 5 older open threats at or above the threshold do not.\n"
        "\n"
        "### Changes in this pull request (0)\n"
        "\n"
        f"No threat changed since `{head[:12]}`.\n"
    )
