"""threatcl: the JSON of `threatcl export -format=json` (a list of threat models, one line).

`fixtures/tools/threatcl/shop-export.json` is the export of `shop.hcl` beside it, written out by
hand from threatcl's `spec.go` (json.Marshal of []Threatmodel: field order and `omitempty` as
there). Expected figures are counted by hand from the HCL.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.support.paths import FIXTURES, need
from tmcheck.check import run_check
from tmcheck.config import Settings
from tmcheck.formats.threatcl import controls_status

FOLDER = FIXTURES / "tools" / "threatcl"
EXPORT = FOLDER / "shop-export.json"


def test_threats_as_counted_by_hand_from_the_model() -> None:
    result = run_check([str(EXPORT)], Settings(root=FIXTURES))
    [file] = result.files
    assert (file.format, file.valid) == ("threatcl", True)
    read = [(t.id, t.categories, t.likelihood, t.impact, t.risk_level, t.status, t.entry.status)
            for t in file.threats]  # fmt: skip
    assert read == [
        ("Shop/SQL injection", ("Tampering", "Information Disclosure"), 4, 5, "critical",
         "mitigated", "derived: mitigated"),  # both controls implemented
        ("Shop/Credential stuffing", ("Spoofing",), 5, 3, "high", "partially_mitigated",
         "derived: partially mitigated"),  # MFA not implemented
        ("Shop/Order flooding", ("Denial of Service",), 2, 2, "low", "open", "derived: open"),
        # the same threat name in another model is another threat; a proposed control is not
        # an implemented one; threatcl's `severity` override is kept out of tmcheck's rating
        ("Back office/SQL injection", ("Tampering",), 3, 4, "high", "open", "derived: open"),
    ]  # fmt: skip
    assert file.threats[1].entry.mitigation == (
        "Rate limiting [implemented]; MFA [not implemented]"
        " (status derived from controls: 1 of 2 implemented)"
    )
    assert [t.id for t in result.blocking_threats] == [
        "Shop/Credential stuffing",
        "Back office/SQL injection",
    ]
    rules = Counter(f.rule for f in result.findings)
    assert rules["unknown-category"] == 1  # "Spoofng"
    assert rules["duplicate-id"] == rules["unknown-status"] == rules["schema"] == 0
    blocking = next(f for f in result.findings if f.rule == "blocking-threat")
    assert blocking.line == 1 and "Shop/Credential stuffing" in blocking.message


def test_elements_from_the_version_2_data_flow_diagram() -> None:
    [file] = run_check([str(EXPORT)], Settings(root=FIXTURES)).files
    assert [(e.kind, e.name, e.boundary) for e in file.elements if e.kind != "flow"] == [
        ("boundary", "Cloud", None),
        ("external_entity", "Customer", None),
        ("process", "Shop API", "Cloud"),
        ("datastore", "Orders DB", "Cloud"),
    ]
    flows = [(e.name, e.source, e.target, e.crosses_boundary, e.protocol)
             for e in file.elements if e.kind == "flow"]  # fmt: skip
    assert flows == [
        ("Place order", "Customer", "Shop API", True, "HTTPS"),
        ("Store order", "Shop API", "Orders DB", False, None),
    ]


def test_hcl_json_syntax_is_read_too(shared: Path) -> None:
    """threatcl's `examples/tm1.json` (HCL's JSON syntax): two models, one threat each, whose
    `expanded_control` blocks say nothing of `implemented`: open, unrated."""
    path = (shared / "corpus" / "threatcl" / "threatcl-tm1.json").resolve()
    need(path.is_file(), f"{path} is missing")
    result = run_check([str(path)], Settings(root=shared))
    [file] = result.files
    assert (file.format, file.valid) == ("threatcl", True)
    assert [(t.id, t.status, t.risk_level, t.entry.line) for t in file.threats] == [
        ("Tower of London/Crown theft", "open", None, 29),
        ("Fort Knox/Gold theft", "open", None, 59),
    ]


def test_hcl_itself_is_not_read(shared: Path) -> None:
    folder = (shared / "corpus" / "threatcl").resolve()
    need(folder.is_dir(), f"{folder} is missing")
    result = run_check([str(folder)], Settings(root=shared))
    assert [Path(f.path).name for f in result.files] == ["threatcl-tm1.json"]


def test_controls_status() -> None:
    assert controls_status([]) == "derived: open"
    assert controls_status([False]) == "derived: open"
    assert controls_status([True, False]) == "derived: partially mitigated"
    assert controls_status([True, True]) == "derived: mitigated"
