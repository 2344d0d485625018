"""STRIDE per element: the categories each architecture element asks for, and the threats that
answer them. Pure: elements and threats in, a coverage table out.

The categories are STRIDE per element's: a process S T R D E, a data store T I D, a
data flow T I D (and S when it crosses a trust boundary), an external entity S R. A threat covers
an element's category when it names that category (a threat may name several) and either names
the element as its component (case and spacing aside) or is attached to it by the diagram (a
Threat Dragon cell's threat ids). Any status counts: `not_applicable` records that the category
was considered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tmcheck.model import STRIDE, Element, IdKey, Threat, id_keys, name_key

SPOOFING, TAMPERING, REPUDIATION, DISCLOSURE, DENIAL, ELEVATION = STRIDE

APPLICABLE: Mapping[str, tuple[str, ...]] = {
    "process": (SPOOFING, TAMPERING, REPUDIATION, DENIAL, ELEVATION),
    "datastore": (TAMPERING, DISCLOSURE, DENIAL),
    "flow": (TAMPERING, DISCLOSURE, DENIAL),
    "external_entity": (SPOOFING, REPUDIATION),
}
KIND_NAMES: Mapping[str, str] = {
    "process": "process",
    "datastore": "data store",
    "flow": "data flow",
    "external_entity": "external entity",
}


@dataclass(frozen=True, slots=True)
class ElementCoverage:
    """One element's STRIDE categories, and the threats that cover each of them."""

    element: Element
    applicable: tuple[str, ...]
    threats: Mapping[str, tuple[Threat, ...]]  # category -> the threats covering it

    @property
    def covered(self) -> tuple[str, ...]:
        return tuple(category for category in self.applicable if self.threats.get(category))

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(category for category in self.applicable if not self.threats.get(category))


def applicable(element: Element) -> tuple[str, ...]:
    """The STRIDE categories that apply to `element`, in STRIDE order."""
    categories = APPLICABLE.get(element.kind, ())
    if element.kind == "flow" and element.crosses_boundary:
        return tuple(name for name in STRIDE if name in categories or name == SPOOFING)
    return categories


def coverage_table(
    elements: Iterable[Element], threats: Iterable[Threat]
) -> tuple[ElementCoverage, ...]:
    """Coverage of every in-scope element that STRIDE asks something of, in the given order."""
    by_component: dict[str, list[Threat]] = defaultdict(list)
    by_id: dict[IdKey, list[Threat]] = defaultdict(list)
    for threat in threats:
        if not threat.categories:
            continue  # not a STRIDE threat: it answers no STRIDE question
        if threat.entry.component:
            by_component[name_key(threat.entry.component)].append(threat)
        for key in threat.entry.reference_keys:
            by_id[key].append(threat)
    table = []
    for element in elements:
        categories = applicable(element)
        if not categories or element.out_of_scope or not element.stride_coverage:
            continue
        candidates = list(by_component.get(name_key(element.name), ()))
        seen = set(map(id, candidates))
        for threat_id in element.threat_ids:
            keys = id_keys(threat_id, element.path)
            for threat in (*by_id.get(keys[0], ()), *by_id.get(keys[1], ())):
                if id(threat) not in seen:
                    seen.add(id(threat))
                    candidates.append(threat)
        covering = {
            category: tuple(t for t in candidates if category in t.categories)
            for category in categories
        }
        table.append(ElementCoverage(element, categories, covering))
    return tuple(table)


def letters(categories: Iterable[str]) -> str:
    """`Spoofing, Tampering` -> `S T`."""
    return " ".join(category[0] for category in categories)
