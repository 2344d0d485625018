"""data_flow_diagram: the exact Mermaid text for small architectures (its syntax is checked by
the real parser in test_mermaid_syntax.py)."""

from __future__ import annotations

from tests.support.diagrams import boundary, component, flow, threat
from tmcheck.escape import for_mermaid_label
from tmcheck.reporters.mermaid import data_flow_diagram


def test_boundaries_nest_empty_ones_are_left_out_and_unknown_ends_are_drawn() -> None:
    elements = [
        boundary("Cloud"),
        boundary("DMZ", parent="Cloud"),
        boundary("Empty"),
        component("Browser", "external_entity"),
        component("API", "process", "DMZ"),
        component("DB", "datastore", "Cloud"),
        flow("Requests", "Browser", "API"),
        flow("Queries", "API", "DB", threat_ids=("T9",)),
        flow("Export", "DB", "Warehouse"),
        flow("Dangling", None, "API"),  # an end that is not connected: no edge
    ]
    threats = [
        threat("T1", "API", 4, 5),
        threat("T2", "api ", 2, 2),  # names match without case and spacing
        threat("T3", "DB", 1, 1, "Mitigated"),  # closed: not counted
        threat("T9", "Queries", 3, 4),  # on the flow, by component and by id
    ]
    diagram = data_flow_diagram(elements, threats, [threats[1]], [elements[5]])
    assert diagram is not None and (diagram.nodes, diagram.edges) == (4, 3)
    assert diagram.text == (
        "flowchart LR\n"
        '  subgraph b1["Cloud"]\n'
        '    subgraph b2["DMZ"]\n'
        '      n2("API<br/>2 open #183; critical<br/>changed")\n'
        "    end\n"
        '    n3[("DB<br/>no open threats<br/>changed")]\n'
        "  end\n"
        '  n1["Browser<br/>no open threats"]\n'
        '  n4["Warehouse<br/>not in the diagram"]\n'
        '  n1 -->|"Requests"| n2\n'
        '  n2 -->|"Queries<br/>1 open #183; high"| n3\n'
        '  n3 -->|"Export"| n4\n'
        "  classDef critical fill:#ffebe9,stroke:#cf222e,color:#1f2328\n"
        "  classDef missing fill:#ffffff,stroke:#8c959f,stroke-dasharray:4 4,color:#59636e\n"
        "  classDef touched stroke-width:4px,stroke-dasharray:8 4\n"
        "  class n2 critical\n"
        "  class n4 missing\n"
        "  class n2,n3 touched\n"
    )


def test_touched_flows_are_thick_and_said_changed() -> None:
    elements = [component("A"), component("B", "datastore"), flow("Sync", "a", "B")]
    diagram = data_flow_diagram(elements, [], changed_elements=[elements[2]])
    assert diagram is not None
    assert diagram.text == (
        "flowchart LR\n"
        '  n1("A<br/>no open threats")\n'
        '  n2[("B<br/>no open threats")]\n'
        '  n1 -->|"Sync<br/>changed"| n2\n'
        "  linkStyle 0 stroke:#8250df,stroke-width:3px\n"
    )


def test_a_boundary_named_but_not_declared_is_drawn_and_loops_of_parents_are_broken() -> None:
    elements = [
        boundary("Outer", parent="Inner"),
        boundary("Inner", parent="Outer"),
        component("X", boundary="Inner"),
        component("Y", boundary="Zone"),
    ]
    diagram = data_flow_diagram(elements, [])
    assert diagram is not None
    assert diagram.text == (
        "flowchart LR\n"
        '  subgraph b1["Outer"]\n'
        '    subgraph b2["Inner"]\n'
        '      n1("X<br/>no open threats")\n'
        "    end\n"
        "  end\n"
        '  subgraph b3["Zone"]\n'
        '    n2("Y<br/>no open threats")\n'
        "  end\n"
    )


def test_names_are_labels_never_syntax() -> None:
    name = '"]; click n1 "javascript:alert(1)"'
    diagram = data_flow_diagram([component(name)], [threat("T1", name, "High", "High")])
    assert diagram is not None
    label = for_mermaid_label(name)
    assert label == "#34;#93;#59; click n1 #34;javascript#58;alert(1)#34;"
    assert (
        diagram.text
        == f'flowchart LR\n  n1("{label}<br/>1 open #183; high")\n  classDef high'
        + (" fill:#fff1e5,stroke:#bc4c00,color:#1f2328\n  class n1 high\n")
    )


def test_nothing_to_draw() -> None:
    assert data_flow_diagram([], []) is None
    assert data_flow_diagram([boundary("Internet"), flow("Loose", None, None)], []) is None


def test_mermaid_labels_are_one_bounded_line_of_plain_characters() -> None:
    assert for_mermaid_label("a\nb\x1b[1m") == "a b #91;1m"
    assert for_mermaid_label("%%{init: x}%%") == "#37;#37;#123;init#58; x#125;#37;#37;"
    assert for_mermaid_label("Stra\u00dfe \u202e") == "Stra#223;e #60;U+202E#62;"
    assert for_mermaid_label("x" * 100, limit=5) == "xxxx#8230;"
