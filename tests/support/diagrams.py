"""Small architectures for the diagram tests: elements and threats built directly."""

from __future__ import annotations

from typing import Any

from tmcheck.config import Settings
from tmcheck.model import Element, Threat, ThreatEntry
from tmcheck.normalize import normalize

HOSTILE_NAMES = {
    "quote and bracket": 'Gateway "edge"] --> n2[pwned',
    "click injection": '"]; click n1 "javascript:alert(1)"',
    "init directive": '%%{init: {"securityLevel": "loose", "theme": "dark"}}%%',
    "comment": "%% hidden\nn9 --> n1",
    "style and classDef": "x\nstyle n1 fill:#f00;\nclassDef evil color:#0f0;",
    "newline and end": "Queue\nend\nsubgraph x",
    "pipes and semicolons": "a|b;c -->|label| d ; e",
    "html": "<img src=x onerror=alert(1)><b>bold</b><br/>&lt;",
    "backticks and markdown": "`**bold**` _x_ [link](https://evil.example)",
    "entity codes": "#quot; #35; #9829; &amp; ﬂ°°35¶ß",
    "unicode and bidi": "Zahlungsdienst Straße \u202eexe.txt \u65e5\u672c \U0001f600",
    "colon triple": "n1:::evil",
    "mention": "@octocat #1",
}


def component(
    name: str, kind: str = "process", boundary: str | None = None, **more: Any
) -> Element:
    return Element(name, kind, "arch.json", 1, 1, boundary=boundary, **more)


def boundary(name: str, parent: str | None = None) -> Element:
    return Element(name, "boundary", "arch.json", 1, 1, boundary=parent)


def flow(name: str, source: str | None, target: str | None, **more: Any) -> Element:
    return Element(name, "flow", "arch.json", 1, 1, source=source, target=target, **more)


def threat(
    id: str | None, component: str, likelihood: Any = 3, impact: Any = 4, status: str = "Open",
    **more: Any,
) -> Threat:  # fmt: skip
    entry = ThreatEntry(
        path="m.yaml", line=1, column=1, format="stride-worksheet", id=id,
        title=f"threat {id}", component=component, category="Tampering",
        likelihood=likelihood, impact=impact, status=status, **more,
    )  # fmt: skip
    return normalize(entry, Settings())
