"""OWASP pytm: the JSON that `python tm.py --json` writes is read; a model (Python) never is.

`fixtures/tools/pytm/shop-tm.json` is what pytm 1.4.0 wrote for `shop_tm.py` beside it (our own
model: a customer, an API with two overrides, a database, two flows). Its 59 findings were
counted with plain `json`: severities Very High 5, High 19, Medium 28, Low 4, Very Low 1, and
two overrides with no severity (INP02 mitigated, AC01 accepted) on Shop API.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.support.cli import RunCli
from tests.support.paths import FIXTURES, need
from tmcheck.check import run_check
from tmcheck.config import Settings

FOLDER = FIXTURES / "tools" / "pytm"
OUTPUT = FOLDER / "shop-tm.json"


def test_findings_are_threats_as_counted_by_hand() -> None:
    result = run_check([str(OUTPUT)], Settings(root=FIXTURES))
    [file] = result.files
    assert (file.format, file.valid, len(file.threats)) == ("pytm", True, 59)
    assert Counter(t.risk_level for t in file.threats) == {
        "critical": 5, "high": 19, "medium": 28, "low": 4, "info": 1, None: 2,
    }  # fmt: skip
    assert Counter(t.status for t in file.threats) == {"open": 57, "mitigated": 1, "accepted": 1}
    assert Counter(t.entry.component for t in file.threats) == {
        "Shop API": 45, "Place order": 5, "Store order": 5, "Orders DB": 4,
    }  # fmt: skip
    first, second = file.threats[0], file.threats[1]
    assert (first.id, first.status, first.risk_level) == ("INP02@Shop API", "mitigated", None)
    assert (second.id, second.entry.title, second.rating) == (
        "INP03@Shop API",
        "Server Side Include (SSI) Injection",
        "severity High",
    )
    assert all(t.entry.line == 1 and t.entry.id_scope == "file" for t in file.threats)
    assert all(t.categories == () for t in file.threats)  # pytm's library has no STRIDE
    # open at high or above: 5 Very High + 19 High
    assert len(result.blocking_threats) == 24
    assert not [f for f in result.findings if f.rule in ("duplicate-id", "unknown-status")]


def test_the_message_names_the_finding_on_its_one_line() -> None:
    text = OUTPUT.read_text(encoding="utf-8")
    assert "\n" not in text
    result = run_check([str(OUTPUT)], Settings(root=FIXTURES))
    inp03 = next(f for f in result.findings if f.rule == "blocking-threat")
    assert inp03.line == 1 and "INP03@Shop API" in inp03.message
    assert inp03.column == text.index('{"assumption": null, "condition": "target.controls') + 1


def test_elements_come_from_the_model_part() -> None:
    [file] = run_check([str(OUTPUT)], Settings(root=FIXTURES)).files
    assert [(e.kind, e.name, e.boundary) for e in file.elements if e.kind != "flow"] == [
        ("boundary", "Internet", None),
        ("boundary", "Internal", None),
        ("external_entity", "Customer", "Internet"),
        ("process", "Shop API", "Internal"),
        ("datastore", "Orders DB", "Internal"),
    ]
    flows = [(e.name, e.source, e.target, e.crosses_boundary)
             for e in file.elements if e.kind == "flow"]  # fmt: skip
    assert flows == [
        ("Place order", "Customer", "Shop API", True),
        ("Store order", "Shop API", "Orders DB", False),
    ]
    assert not any(e.stride_coverage for e in file.elements if e.kind != "boundary")


def test_pytm_own_output_sample_has_elements_and_no_findings(shared: Path) -> None:
    path = (shared / "corpus" / "pytm" / "pytm-tests-output.json").resolve()
    need(path.is_file(), f"{path} is missing")
    data = json.loads(path.read_text(encoding="utf-8"))
    result = run_check([str(path)], Settings(root=shared))
    [file] = result.files
    assert (file.format, file.valid, file.threats) == ("pytm", True, ())
    kinds = Counter(e.kind for e in file.elements)
    assert kinds == {"boundary": len(data["boundaries"]), "flow": len(data["flows"]),
                     "external_entity": 1, "process": 3, "datastore": 1}  # fmt: skip


def test_a_model_is_never_run_or_read(tmp_path: Path, run_cli: RunCli) -> None:
    """A pytm model is Python: tmcheck neither imports it nor parses it, found by a walk or
    named on the command line, and its `.json` model input is no threat model either."""
    marker = tmp_path / "ran"
    model = tmp_path / "tm.py"
    model.write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n"
        "from pytm import TM\ntm = TM('x')\n",
        encoding="utf-8",
    )
    (tmp_path / "tm.json").write_text(OUTPUT.read_text(encoding="utf-8"), encoding="utf-8")
    walked = run_cli("check", "--no-config", "--format", "json", ".", cwd=tmp_path)
    report = json.loads(walked.stdout)
    assert [(f["path"], f["format"]) for f in report["files"]] == [("tm.json", "pytm")]
    named = run_cli("check", "--no-config", "tm.py", cwd=tmp_path)
    assert (named.code, named.stdout.splitlines()[0]) == (
        1,
        "tm.py:1:1: error [unknown-format] a Python file is a program, never read as a threat"
        " model (a pytm model is not run); check the JSON it writes: `python tm.py --json"
        " tm.json`, then `tmcheck check tm.json`",
    )
    pinned = tmp_path / ".tmcheck.yaml"
    pinned.write_text("formats:\n  '*.py': pytm\n", encoding="utf-8")
    assert "[unknown-format] a Python file" in run_cli("check", "tm.py", cwd=tmp_path).stdout
    assert not marker.exists()


def test_the_corpus_model_is_not_a_threat_model(shared: Path, run_cli: RunCli) -> None:
    folder = (shared / "corpus" / "pytm").resolve()
    need(folder.is_dir(), f"{folder} is missing")
    result = run_cli("check", "--no-config", "--format", "json", str(folder), cwd=shared)
    report = json.loads(result.stdout)
    formats = {Path(f["path"]).name: f["format"] for f in report["files"]}
    assert formats["pytm-tests-output.json"] == "pytm"
    assert formats.get("pytm-tests-input.json") is None  # pytm's model input: skipped
    assert "pytm-tm.py" not in formats


def test_the_corpus_model_named_is_refused_unread(shared: Path, run_cli: RunCli) -> None:
    """OWASP/pytm's own `tm.py`, named on the command line: refused by its name, not parsed."""
    path = (shared / "corpus" / "pytm" / "pytm-tm.py").resolve()
    need(path.is_file(), f"{path} is missing")
    result = run_cli("check", "--no-config", "--format", "json", str(path), cwd=shared)
    report = json.loads(result.stdout)
    assert report["files"] == [{"path": str(path), "format": None, "valid": False, "threats": 0}]
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("unknown-format", 1)]
    assert "never read as a threat model" in report["findings"][0]["message"]


def test_an_output_without_excluded_findings_is_read(tmp_path: Path) -> None:
    data = json.loads(OUTPUT.read_text(encoding="utf-8"))
    del data["excluded_findings"]
    path = tmp_path / "tm.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    [file] = run_check([str(path)], Settings(root=tmp_path)).files
    assert (file.format, len(file.threats)) == ("pytm", 59)
