"""Property: whatever a file holds, `tmcheck check` loads, checks and renders it (text, JSON,
SARIF, the Markdown report) and exits 0, 1 or 2: no exception escapes `main`, no internal
error, no traceback, no raw control character in the log, and each run within 2 s.

Random bytes, YAML and Markdown assembled from hostile fragments (aliases, tags, deep nesting,
odd scalars, broken tables and fences), and random structures shaped like threat models, dumped
as YAML or JSON. Kept short
(about 200 examples in all); raise TMCHECK_HYPOTHESIS_EXAMPLES for a longer hunt.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.hostile_harness import RAW_CONTROL
from tmcheck.cli import main

SCALE = int(os.environ.get("TMCHECK_HYPOTHESIS_EXAMPLES", "50"))
SETTINGS = settings(
    max_examples=SCALE,
    deadline=2000,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ODD_SCALARS = (
    ".nan", ".inf", "-.Inf", "NaN", "Infinity", "-Infinity", "1e999", "0x1F", "0o17", "017",
    "1:30", "52:54:00:44:49:56", "2024-02-30", "2024-01-01", "no", "on", "NO", "~", "null",
    "y", "1e3", "9" * 5000, "\u00b2", "\u0665", "-0", "+5", "5.0", "4.5", "1_000",
    "!!python/object/apply:os.system [id]", "!!binary aGk=", "!!set {a}", "!!float nan",
    "!!int 99999999999999999999999", "!evil x", "*undefined", "&anchor x", "<<", "? x",
    "\u202etxt", "\x1b[2J", "\x00", "\x9b", "\ufeff", "@octocat", "#1", "| a | b |",
    "{{ cycler.__init__.__globals__ }}", "{% for i in range(10**9) %}", "::error::x",
    "::add-mask::x", "%0A%25", "<!-- tmcheck:report tmcheck -->", "[x](https://evil)",
    "Critical", "Very High", "Mitigated (partial)", "accepted", "4 x 5", "3*4 = 12",
)  # fmt: skip
FRAGMENTS = (
    "a: &a [1, 2, 3]\n", "b: *a\n", "c: &c {x: *a, y: *a}\n", "d: [*c, *c, *c]\n",
    "e: *nowhere\n", "f: &f [*f]\n", "g: !!python/name:os.system\n", "h: !!omap [a: 1]\n",
    "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:evil.example,2000:\n", "i: !foo x\n",
    "j: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]\n",
    "k: " + "[" * 80 + "\n", "- x\n", "? [a]\n: b\n", "1: x\n", "l: |\n  ::error::x\n",
    "component: {name: X, owner: Y}\n", "threats:\n", "  - {id: T1, category: Spoofing,"
    " likelihood: 5, impact: 5}\n", "  - id: T2\n    category: Tampering\n", "    likelihood: .nan\n",
    "    status: no\n", "    risk_score: 99999999999999999999\n", "m: \"\\ud800\"\n",
    "n: '\\x1b'\n", "o: \"\\e[31m\\0\"\n", "p: \t\n", "\t- tab\n", "q: 'unterminated\n",
    "r: {a: 1, a: 2}\n", "s: \"\\U0010FFFF\"\n", "\ufeffu: 1\n", "v: \u0085w\n",
)  # fmt: skip
MARKDOWN_FRAGMENTS = (
    "---\n", "title: Payments threat model\n", "owner: !!python/name:os.system\n", "a: &a [*a]\n",
    "# Payments threat model\n", "## Threats\n", "## Assets\n", "- a list item\n", "\n",
    "| ID | Component | STRIDE | Description | Risk | Mitigation | Status |\n",
    "|---|---|---|---|---|---|---|\n", "|:--|--:|\n",
    "| T1 | API | Spoofing | Token replay | High | Rotate | Open |\n",
    "| T2 | API | S | `a|b` | 4 x 5 | x | Mitigated (partial) |\n",
    "| T3 | | | | | |\n", "| " + "`" * 300 + " |\n", "| " + "[" * 300 + " |\n",
    "| \\| | \u202e | @octo | <img src=x> | .nan | 9999999999999999999999 | ~ |\n",
    "```\n", "~~~~\n", "<!--\n", "-->\n", "**Date:** 2024-02-30\n", "\x00\n", "\x1b[2J\n",
)  # fmt: skip
THREAT_KEYS = (
    "id", "category", "title", "description", "likelihood", "impact", "risk_score", "risk",
    "status", "owner", "dread", "acceptance", "library", "threat", "component", "mitigation",
)  # fmt: skip

scalars = st.one_of(
    st.sampled_from(ODD_SCALARS),
    st.text(max_size=30),
    st.integers(-(10**25), 10**25),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
structures = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12) | st.sampled_from(THREAT_KEYS), children, max_size=4)
    ),
    max_leaves=40,
)
threat = st.dictionaries(st.sampled_from(THREAT_KEYS), structures, max_size=8)
threat_model = st.fixed_dictionaries(
    {"threats": st.lists(threat, max_size=6)},
    optional={
        "component": st.dictionaries(st.sampled_from(("name", "owner", "x")), structures),
        "categories": st.dictionaries(st.text(max_size=8), st.lists(threat, max_size=3)),
        "summary": structures,
        "detail": structures,
    },
)
report_formats = st.sampled_from(("text", "json", "markdown", "sarif"))


def check_bytes(content: bytes, suffix: str, report: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"model{suffix}"
        path.write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        code = main(
            ["check", "--no-config", "--format", report, str(path)],
            stdout=out, stderr=err, environ={}, cwd=Path(scratch),
        )  # fmt: skip
    output = out.getvalue() + err.getvalue()
    assert code in (0, 1, 2), output[-2000:]
    internal = ("[internal-error]", '"rule": "internal-error"', '"ruleId": "internal-error"')
    for marker in (*internal, "`internal-error`", "internal error", "Traceback"):
        assert marker not in output, output[-2000:]
    if report == "text":
        assert RAW_CONTROL.search(output) is None, output[-2000:]
    if report in ("json", "sarif"):
        json.loads(out.getvalue())


def _dump(data: Any, as_json: bool) -> bytes:
    if as_json:
        return json.dumps(data, allow_nan=True).encode("utf-8", "surrogatepass")
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass")


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from((".yaml", ".json", ".md")), report_formats)
def test_random_bytes(content: bytes, suffix: str, report: str) -> None:
    check_bytes(content, suffix, report)


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12), report_formats)
def test_hostile_yaml_fragments(fragments: list[str], report: str) -> None:
    check_bytes("".join(fragments).encode("utf-8", "surrogatepass"), ".yaml", report)


@SETTINGS
@given(threat_model, st.booleans(), report_formats)
def test_random_threat_models(model: dict[str, Any], as_json: bool, report: str) -> None:
    check_bytes(_dump(model, as_json), ".json" if as_json else ".yaml", report)


@SETTINGS
@given(st.lists(st.sampled_from(MARKDOWN_FRAGMENTS), min_size=1, max_size=16), report_formats)
def test_hostile_markdown_fragments(fragments: list[str], report: str) -> None:
    check_bytes("".join(fragments).encode("utf-8"), ".md", report)
