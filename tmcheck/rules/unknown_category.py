"""unknown-category: a STRIDE threat's category is one of the six STRIDE categories.

Accepted spellings: the names in any case (`Information disclosure`), the initials
(`S`, `T`, `R`, `I`, `D`, `E`), `DoS` and `EoP`, and abbreviations whose every word begins the
name's word in its place, from the first, in 3 letters or more (`Info Disc`, `Elevation`,
`Repud`; `Auth` names none). One value may name several categories (`T/I`, `S, I`,
`Spoofing + Tampering`, `TI`); each of them is checked. Threats of other methodologies (a
Threat Dragon model of type CIA or LINDDUN) are not checked.

A Markdown table's category column often holds another taxonomy (OWASP's `Broken Access
Control`, `Injection`, a house `Config Error`): such a value is kept, counts toward no STRIDE
category, and is one note per file, not an error. Only a near miss of a STRIDE name
(`Spofing`) is an error there.

Passes::

    category: Info Disc

Fails::

    category: Privilege escalation
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.model import DOCUMENT_FORMATS, STRIDE, Threat
from tmcheck.normalize import category_parts, is_stride
from tmcheck.rules.context import Problem, RuleContext, threat_problem
from tmcheck.suggest import closest, did_you_mean

ID = "unknown-category"
LEVEL = "error"

_NAMED = 5  # other-taxonomy values a note names


def check(context: RuleContext) -> Iterator[Problem]:
    others: dict[str, tuple[Threat, list[str]]] = {}  # path -> first such threat, its values
    for threat in context.threats:
        if not threat.entry.categories or not is_stride(threat.entry):
            continue
        key = "threat" if threat.entry.format == "threat-register" else "category"
        if threat.entry.format == "threat-dragon":
            key = "type"
        open_taxonomy = threat.entry.format in DOCUMENT_FORMATS  # a column of any taxonomy
        for value in threat.entry.categories:
            unknown = [written for written, name in category_parts((value,)) if name is None]
            if open_taxonomy:
                near = [written for written in unknown if closest(written, STRIDE) is not None]
                if len(near) < len(unknown):
                    found = others.setdefault(threat.entry.path, (threat, []))[1]
                    found += [value] if value not in found else []
                unknown = near
            for written in unknown:
                yield threat_problem(
                    threat,
                    f"{threat.label}: {written!r} is not a STRIDE category ({', '.join(STRIDE)})"
                    + did_you_mean(written, STRIDE),
                    key=key,
                )  # fmt: skip
    for first, values in others.values():
        named = ", ".join(map(repr, values[:_NAMED])) + (", ..." if len(values) > _NAMED else "")
        yield threat_problem(
            first,
            f"categories of another taxonomy than STRIDE ({named}): kept as written, they count"
            " toward no STRIDE category",
            key="category",
            level="note",
        )
