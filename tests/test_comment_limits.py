"""The comment under pressure: 5,000 long threats fit GitHub's limits and say what they left
out; hostile names render as text, in the Markdown and in the diagram."""

from __future__ import annotations

import json
import re
from pathlib import Path

from markdown_it import MarkdownIt

from tests.support.diagrams import HOSTILE_NAMES, component, flow
from tests.support.fixture_comment import inside
from tests.support.fixture_pr import data_flow
from tests.support.gitrepo import git, write
from tests.support.spent import spending
from tmcheck.check import assemble, run_check
from tmcheck.config import Settings, load_settings
from tmcheck.reporters.markdown import COMMENT_LIMIT, SUMMARY_LIMIT, Links, render_report
from tmcheck.results import FileResult

FILES, PER_FILE = 10, 500
LINKS = Links(repository="octo-org/big", commit="a" * 40)


def _worksheet(number: int, likelihood: int) -> str:
    rows = "".join(
        f"  - {{id: T{number}-{i:03}, category: Tampering, title: '{f'threat {number}-{i} ' * 40:.500}',"
        f" likelihood: {likelihood}, impact: 4, status: Open, owner: Team {i % 7}}}\n"
        for i in range(PER_FILE)
    )
    return f"component: {{name: Service {number}, owner: Platform}}\nthreats:\n{rows}"


def _shown_and_hidden(comment: str, heading: str, hidden: str) -> tuple[int, int]:
    section = comment.split(heading, 1)[1].split("\n### ", 1)[0]
    rows = len(re.findall(r"^\| (?!Change \|)(?!---)", section, re.M))
    found = re.search(rf"^(\d+) more {hidden} not shown\.$", section, re.M)
    return rows, int(found.group(1)) if found else 0


def test_five_thousand_long_threats_fit_and_say_how_many_are_not_shown(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    write(tmp_path / ".tmcheck.yaml", "include: ['models/**']\n")
    for number in range(FILES):
        write(tmp_path / "models" / f"service-{number}.yaml", _worksheet(number, 2))
    write(tmp_path / "models" / "dataflow.json", data_flow(head=False))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    for number in range(FILES):  # every threat raised from 2 x 4 = 8 to 4 x 4 = 16
        write(tmp_path / "models" / f"service-{number}.yaml", _worksheet(number, 4))
    with inside(tmp_path):
        settings = load_settings(cwd=tmp_path, environment={})
        result = run_check([], settings, base="HEAD")
        # and the diagram's own "SQL injection in order search", unchanged
        assert len(result.threats) == len(result.blocking_threats) == FILES * PER_FILE + 1
        assert result.comparison is not None and len(result.comparison.changes) == FILES * PER_FILE
        with spending() as spent:
            comment = render_report(result, links=LINKS, budget=COMMENT_LIMIT)
            summary = render_report(result, links=LINKS, budget=SUMMARY_LIMIT)
    # About 2 s of CPU; 20 s still catches a budget search that renders the report again for
    # each of the thousands of rows it drops.
    assert spent.cpu < 20, f"two renderings took {spent}"
    for text, limit in ((comment, COMMENT_LIMIT), (summary, SUMMARY_LIMIT)):
        assert len(text) <= limit
        assert "(report cut to fit GitHub's limit)" not in text  # rows were dropped, not cut
        assert text.splitlines()[1] == (
            "## \u274c tmcheck blocks: 5001 open threats at or above the threshold 12"
            " (5000 raised, 1 unchanged)"
        )
        assert "The data-flow diagram was left out to fit GitHub's limit." in text
        assert "### Open threats by likelihood and impact" in text  # the heat map always stays
        changes = _shown_and_hidden(text, "### Changes since the base (5000)", "changes")
        blocking = _shown_and_hidden(text, "### Blocking threats (5001)", "blocking threats")
        assert sum(changes) == FILES * PER_FILE and sum(blocking) == FILES * PER_FILE + 1
        assert changes[0] >= 10 and blocking[0] >= 10, (changes, blocking)
        assert text.endswith("</sub>\n")
    assert (
        "| **4** High | \u00b7 | \u00b7 | \U0001f7e5 | \U0001f7e5 **5000** | \U0001f7e5 |"
        in comment
    )


def _hostile_models(root: Path) -> None:
    names = list(HOSTILE_NAMES.values())
    worksheet = {
        "component": {"name": names[0], "owner": names[1]},
        "threats": [
            {"id": f"H{i}", "category": "Spoofing", "title": name, "likelihood": 5, "impact": 5,
             "status": "Open", "owner": name, "mitigation": name}
            for i, name in enumerate(names)
        ],
    }  # fmt: skip
    write(root / "models" / "hostile.json", json.dumps(worksheet))
    model = json.loads(data_flow(head=True))
    for index, cell in enumerate(model["detail"]["diagrams"][0]["cells"]):
        cell["data"]["name"] = names[index % len(names)]
    write(root / "models" / "dataflow.json", json.dumps(model))


def test_hostile_names_render_as_text(tmp_path: Path) -> None:
    _hostile_models(tmp_path)
    write(tmp_path / ".tmcheck.yaml", "include: ['models/**']\n")
    with inside(tmp_path):
        result = run_check([], load_settings(cwd=tmp_path, environment={}))
        comment = render_report(result, links=LINKS)
    assert "```mermaid" in comment
    html = MarkdownIt("gfm-like").render(comment)
    # Links: only ours, to the files of the commit.
    hrefs = re.findall(r'<a href="([^"]*)"', html)
    assert hrefs and all(
        h.startswith("https://github.com/octo-org/big/blob/" + "a" * 40) for h in hrefs
    )
    for forbidden in ("<img", "<script", "<h1", "<h4", "<b>", "<em>", "<strong>bold"):
        assert forbidden not in html
    tags = set(re.findall(r"<(/?[a-z0-9]+)", html))
    assert tags <= {"h2", "/h2", "h3", "/h3", "p", "/p", "table", "/table", "thead", "/thead",
                    "tbody", "/tbody", "tr", "/tr", "th", "/th", "td", "/td", "code", "/code",
                    "pre", "/pre", "a", "/a", "strong", "/strong", "details", "/details",
                    "summary", "/summary", "sub", "/sub", "blockquote", "/blockquote"}  # fmt: skip
    assert not re.search(r"@[A-Za-z]", html), "a live mention"
    assert "\u202e" not in comment
    # The diagram is one block: nothing closed its fence early, no line of it is a name.
    diagram = comment.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert comment.count("```") == 2
    for line in diagram.splitlines():
        assert (
            re.fullmatch(
                r'  *(flowchart LR|end|subgraph b\d+\["[^"]*"\]|n\d+(\(|\[|\[\()"[^"]*"(\)|\]|\)\])'
                r'|n\d+ -->\|"[^"|]*"\| n\d+|classDef \w+ [\w:#,. -]+|class [n\d,]+ \w+|linkStyle [\d,]+ [\w:#,-]+)',
                line,
            )
            or line == "flowchart LR"
        ), line


def test_a_diagram_too_large_to_draw_is_one_line() -> None:
    elements = [component(f"S{i}") for i in range(300)]
    elements += [flow(f"f{i}", f"S{i % 300}", f"S{(i + 1) % 300}") for i in range(600)]
    result = assemble(
        [FileResult("arch.json", "threat-dragon", True, elements=tuple(elements))], Settings()
    )
    comment = render_report(result)
    assert "```mermaid" not in comment
    assert (
        "\nThe data-flow diagram (300 elements, 600 flows) is too large to draw here.\n" in comment
    )
