"""Every diagram tmcheck writes parses with the real Mermaid parser, and means what it should.

Mermaid 11 (pinned in tests/mermaid/package-lock.json) runs in Node with jsdom, with GitHub's
`securityLevel: strict`; one Node run parses every diagram of this module. Parsing is not
enough: for hostile names the test also reads back what Mermaid understood (the vertices, edges,
subgraphs, classes, links and tooltips), which must be exactly what tmcheck meant, with each name
shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.diagrams import HOSTILE_NAMES, boundary, component, flow, threat
from tests.support.fixture_comment import check_pull_request
from tests.support.fixture_pr import make_pull_request
from tests.support.mermaid_parser import missing_tools, parse
from tests.support.paths import FIXTURES, need
from tmcheck.config import Settings
from tmcheck.discover import Candidate
from tmcheck.file_checker import FileChecker
from tmcheck.reporters.mermaid import _CLASSES, data_flow_diagram

OUR_CLASSES = set(_CLASSES)
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(name: str, limit: int = 60) -> str:
    """How a label shows `name`: one line, bidi controls visible, at most `limit` characters."""
    text = " ".join(_BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", name).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _hostile(name: str) -> str:
    elements = [
        boundary(name),
        component(name, "process", boundary=name),
        component("Other", "datastore"),
        flow(name, name, "Other"),
    ]
    diagram = data_flow_diagram(elements, [threat("T1", name, 4, 4)], [], [elements[3]])
    assert diagram is not None
    return diagram.text


def _nested() -> str:
    elements = [
        boundary("Cloud"), boundary("VPC", parent="Cloud"), boundary("Subnet", parent="VPC"),
        boundary("Empty"), boundary("Empty inside", parent="Cloud"),
        component("Web", boundary="Subnet"), component("Store", "datastore", boundary="VPC"),
        component("User", "external_entity"), flow("a", "User", "Web"), flow("b", "Web", "Store"),
    ]  # fmt: skip
    diagram = data_flow_diagram(elements, [threat("T1", "Web")], [threat("T1", "Web")])
    assert diagram is not None
    return diagram.text


def _unknown_ends() -> str:
    elements = [component("A"), flow("to nowhere", "A", "Ghost"), flow("from nowhere", "Ghost 2", "A"),
                flow("loop", "A", "A"), flow("unconnected", None, "A")]  # fmt: skip
    diagram = data_flow_diagram(elements, [])
    assert diagram is not None
    return diagram.text


def _large() -> str:
    elements = [component(f"Service {i}", boundary=f"Zone {i % 7}") for i in range(150)]
    elements += [
        flow(f"call {i}", f"Service {i % 150}", f"Service {(i * 7) % 150}") for i in range(300)
    ]
    diagram = data_flow_diagram(
        elements, [threat(f"T{i}", f"Service {i}", 4, 5) for i in range(40)]
    )
    assert diagram is not None
    return diagram.text


def _seed_architecture() -> str:
    path = FIXTURES / "seed" / "architecture.yaml"
    result = FileChecker(Settings()).check_content(
        path.read_bytes(), Candidate(str(path), explicit=True)
    )
    diagram = data_flow_diagram(result.elements, [])
    assert diagram is not None
    return diagram.text


@pytest.fixture(scope="module")
def fixture_pr_diagram(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("pull-request")
    base, _ = make_pull_request(root)
    result = check_pull_request(root, base)
    changes = result.comparison.changes if result.comparison else ()
    diagram = data_flow_diagram(
        [e for f in result.files for e in f.elements],
        result.threats,
        [t for c in changes for t in (c.before, c.after) if t is not None],
        result.comparison.elements if result.comparison else (),
    )
    assert diagram is not None
    return diagram.text


@pytest.fixture(scope="module")
def parsed(fixture_pr_diagram: str) -> Callable[[str], dict[str, Any]]:
    """The parser's reading of every diagram of this module, from one Node run."""
    reason = missing_tools()
    need(reason is None, f"the Mermaid parser needs Node: {reason}")
    texts = {f"hostile {key}": _hostile(name) for key, name in HOSTILE_NAMES.items()}
    texts |= {"fixture": fixture_pr_diagram, "nested": _nested(), "unknown": _unknown_ends()}
    texts["large"] = _large()
    texts["architecture"] = _seed_architecture()
    results = dict(zip(texts, parse(list(texts.values())), strict=True))
    return results.__getitem__


def _assert_only_ours(reading: dict[str, Any]) -> None:
    assert reading["ok"], reading.get("error")
    assert reading["type"] == "flowchart-v2"
    assert all(v["link"] is None for v in reading["vertices"]), "a link or click from content"
    assert reading["tooltips"] == {}
    assert set(reading["classes"]) <= OUR_CLASSES
    for vertex in reading["vertices"]:
        assert set(vertex["classes"]) <= OUR_CLASSES


@pytest.mark.parametrize("key", list(HOSTILE_NAMES))
def test_hostile_names_are_shown_as_written_and_inject_nothing(
    parsed: Callable[[str], dict[str, Any]], key: str
) -> None:
    reading = parsed(f"hostile {key}")
    _assert_only_ours(reading)
    name = shown(HOSTILE_NAMES[key])
    assert [(v["id"], v["text"], v["type"]) for v in reading["vertices"]] == [
        ("n1", f"{name}<br>1 open \u00b7 high<br>changed", "round"),
        ("n2", "Other<br>no open threats", "cylinder"),
    ]
    assert [(e["start"], e["end"], e["text"]) for e in reading["edges"]] == [
        ("n1", "n2", f"{name}<br>1 open \u00b7 high<br>changed")  # the threat names it too
    ]
    assert [(s["id"], s["title"], s["nodes"]) for s in reading["subgraphs"]] == [
        ("b1", name, ["n1"])
    ]
    assert set(reading["classes"]) == {"high", "touched"}


def test_nested_and_empty_boundaries(parsed: Callable[[str], dict[str, Any]]) -> None:
    reading = parsed("nested")
    _assert_only_ours(reading)
    subgraphs = {s["title"]: sorted(s["nodes"]) for s in reading["subgraphs"]}
    assert subgraphs == {"Subnet": ["n1"], "VPC": ["b3", "n2"], "Cloud": ["b2"]}


def test_flows_to_unknown_elements(parsed: Callable[[str], dict[str, Any]]) -> None:
    reading = parsed("unknown")
    _assert_only_ours(reading)
    assert [v["text"] for v in reading["vertices"]] == [
        "A<br>no open threats", "Ghost<br>not in the diagram", "Ghost 2<br>not in the diagram",
    ]  # fmt: skip
    assert [(e["start"], e["end"]) for e in reading["edges"]] == [
        ("n1", "n2"), ("n3", "n1"), ("n1", "n1"),
    ]  # fmt: skip


def test_fixture_pull_request_and_a_large_architecture(
    parsed: Callable[[str], dict[str, Any]],
) -> None:
    fixture = parsed("fixture")
    _assert_only_ours(fixture)
    assert (len(fixture["vertices"]), len(fixture["edges"]), len(fixture["subgraphs"])) == (8, 7, 4)
    large = parsed("large")
    _assert_only_ours(large)
    assert (len(large["vertices"]), len(large["edges"]), len(large["subgraphs"])) == (150, 300, 7)


def test_an_architecture_file(parsed: Callable[[str], dict[str, Any]]) -> None:
    reading = parsed("architecture")
    _assert_only_ours(reading)
    subgraphs = {s["title"]: len(s["nodes"]) for s in reading["subgraphs"]}
    assert subgraphs == {"Internet": 1, "DMZ": 2, "Data": 2, "Internal": 3}
    assert reading["edges"][0]["text"] == "HTTPS Request<br>HTTPS/443"


def test_real_threat_dragon_models(shared: Path) -> None:
    """The diagrams of the Threat Dragon models in the shared corpus (names as people write them)."""
    need(missing_tools() is None, f"the Mermaid parser needs Node: {missing_tools()}")
    texts = []
    for path in sorted((shared / "corpus" / "threat-dragon").glob("v*/*.json")):
        result = FileChecker(Settings()).check_content(
            path.read_bytes(), Candidate(str(path), explicit=True)
        )
        diagram = data_flow_diagram(result.elements, result.threats)
        if diagram is not None:
            texts.append(diagram.text)
    assert len(texts) >= 5
    for reading in parse(texts):
        _assert_only_ours(reading)
        assert reading["vertices"]
