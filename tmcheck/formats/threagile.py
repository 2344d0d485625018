"""`threagile`: Threagile models (`threagile.yaml`), with the files they include.

Without running Threagile, a model gives its individual risks (`individual_risk_categories` ...
`risks_identified`, fully rated), its `risk_tracking` (status, justification, ticket, who
checked), and its architecture: technical assets, their communication links, trust boundaries.
The risks of Threagile's 42 built-in rules exist only once Threagile has run: they are in the
`risks.json` it writes (`threagile_risks`), which this model's tracking and owners complete when
both are checked together.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tmcheck.file_checks import file_finding
from tmcheck.findings import Finding
from tmcheck.formats import threagile_rating as rating
from tmcheck.formats.fields import mapping, text, texts
from tmcheck.formats.parsed import Parsed
from tmcheck.model import Element, ThreatEntry
from tmcheck.parsing.tree import Document, LoadError

FORMAT = "threagile"
# Not validated: Threagile's own schema and Threagile disagree (`enduser-identity-propagation`),
# and Threagile checks a model when it runs.
SCHEMA = None
STATUS_WORDS = rating.STATUS_WORDS
LEVEL_WORDS = rating.LEVEL_WORDS
MAX_INCLUDES = 50
MAX_INCLUDE_DEPTH = 4
MAX_INCLUDE_BYTES = 1024 * 1024
# Boundary types Threagile's rules treat as networks (`execution-environment` is a grouping).
NETWORK_BOUNDARIES = frozenset({
    "network-on-prem", "network-dedicated-hoster", "network-virtual-lan",
    "network-cloud-provider", "network-cloud-security-group",
    "network-policy-namespace-isolation",
})  # fmt: skip
_KINDS = {"external-entity": "external_entity", "process": "process", "datastore": "datastore"}
_NOT_KEBAB = re.compile(r"[^a-z0-9]+")
# `most_relevant_*` in the order Threagile builds a synthetic id from them.
RELEVANT = ("technical_asset", "communication_link", "trust_boundary", "shared_runtime",
            "data_asset")  # fmt: skip


def matches(data: Mapping[str, Any]) -> bool:
    """`threagile_version` at the top; Threagile's own dump of a parsed model (which also has
    one, beside the risks it generated) is not a model to check."""
    return "threagile_version" in data and "generated_risks_by_category" not in data


@dataclass
class Tracking:
    """The model's side of a join with `risks.json`: tracking records and asset owners."""

    path: str  # the model file
    tracking: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    tracking_at: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # key -> where
    owners: dict[str, str] = field(default_factory=dict)  # technical asset id -> owner
    titles: dict[str, str] = field(default_factory=dict)  # any element id -> its title
    risk_categories: dict[str, Mapping[str, Any]] = field(default_factory=dict)  # individual


def read(document: Document, path: str) -> Parsed:
    findings: list[Finding] = []
    parts = list(_with_includes(document, path, findings))
    model = Tracking(path)
    assets: list[tuple[str, Mapping[str, Any], Document, str]] = []
    boundaries: list[tuple[str, Mapping[str, Any], Document, str]] = []
    for part, part_path in parts:
        for title, asset in _named(part.data.get("technical_assets")):
            assets.append((title, asset, part, part_path))
            asset_id = text(asset.get("id")) or title
            model.titles[asset_id] = title
            model.owners[asset_id] = text(asset.get("owner")) or ""
        for title, boundary in _named(part.data.get("trust_boundaries")):
            boundaries.append((title, boundary, part, part_path))
            model.titles[text(boundary.get("id")) or title] = title
        for title, runtime in _named(part.data.get("shared_runtimes")):
            model.titles[text(runtime.get("id")) or title] = title
        for risk_id, record in _named(part.data.get("risk_tracking")):
            if risk_id not in model.tracking:
                model.tracking[risk_id] = record
                line, column = part.locate(["risk_tracking", risk_id])
                model.tracking_at[risk_id] = (part_path, line, column)
        for title, category in _named(part.data.get("individual_risk_categories")):
            model.risk_categories[text(category.get("id")) or title] = category
    for _, asset, _, _ in assets:
        for title, _ in _named(asset.get("communication_links")):
            model.titles[_flow_id(asset, title)] = title
    entries = [
        entry for part, part_path in parts for entry in _individual_risks(part, part_path, model)
    ]
    elements = _elements(assets, boundaries, model)
    return Parsed(
        entries=tuple(entries), elements=elements, findings=tuple(findings), tool_data=model
    )


def risk_entry(
    risk: Mapping[str, Any],
    path: str,
    position: tuple[int, int],
    model: Tracking | None,
    format_name: str,
    *,
    zero_defaults: bool,
) -> ThreatEntry:
    """A threat entry for one Threagile risk (an individual risk of the model, or an item of
    `risks.json`), with the model's tracking and owner when there is a model.

    `zero_defaults`: an absent rating is Threagile's lowest (`risks.json` omits zero values
    since 2024); in a model an empty rating means `likely` and `medium`."""
    category_id = text(risk.get("category")) or ""
    risk_id = text(risk.get("synthetic_id")) or category_id
    record: Mapping[str, Any] = {}
    if model is not None:
        key = rating.tracking_for(risk_id, model.tracking)
        record = model.tracking.get(key, {}) if key else {}
    status = text(record.get("status")) or text(risk.get("risk_status"))
    likelihood = text(risk.get("exploitation_likelihood")) or (
        "unlikely" if zero_defaults else "likely"
    )
    impact = text(risk.get("exploitation_impact")) or ("low" if zero_defaults else "medium")
    individual = (model.risk_categories.get(category_id) if model else None) or {}
    stride = rating.STRIDE_WORDS.get(text(individual.get("stride")) or "") or (
        rating.BUILT_IN_CATEGORIES.get(category_id)
    )
    asset = text(risk.get("most_relevant_technical_asset")) or ""
    component = next(
        (value for name in RELEVANT if (value := text(risk.get(f"most_relevant_{name}")))), None
    )
    titles = model.titles if model else {}
    mitigation = " ".join((text(individual.get("mitigation")) or "").split())
    if text(record.get("ticket")):
        mitigation = f"{mitigation} (ticket {record['ticket']})".strip()
    acceptance = None
    if status == "accepted":
        acceptance = {
            key: value
            for key, value in (
                ("approver", text(record.get("checked_by"))),
                ("reason", text(record.get("justification"))),
                ("expires", text(record.get("expires"))),  # not Threagile's: an extension
            )
            if value
        }
    return ThreatEntry(
        path=path,
        line=position[0],
        column=position[1],
        format=format_name,
        id=risk_id or None,
        title=rating.plain_title(text(risk.get("title")) or risk_id),
        component=titles.get(component, component) if component else None,
        category=stride,
        methodology="STRIDE" if stride or not category_id else "Threagile",
        likelihood=rating.LIKELIHOOD.get(likelihood, likelihood),
        impact=rating.IMPACT.get(impact, impact),
        # Threagile's `severity` is its own banding of the same likelihood and impact (the
        # demo declares `medium` for frequent x very-high): the level comes from the score.
        status=status,
        owner=(model.owners.get(asset) or None) if model else None,
        mitigation=mitigation or None,
        acceptance=acceptance or None,
        id_scope="file",
    )


def _individual_risks(part: Document, path: str, model: Tracking) -> Iterator[ThreatEntry]:
    for title, category in _named(part.data.get("individual_risk_categories")):
        category_id = text(category.get("id")) or title
        for risk_title, risk in _named(category.get("risks_identified")):
            parts = [text(risk.get(f"most_relevant_{name}")) for name in RELEVANT]
            synthetic = "@".join([category_id, *(p for p in parts if p)])
            where = part.locate(["individual_risk_categories", title, "risks_identified",
                                 risk_title])  # fmt: skip
            yield risk_entry(
                {**risk, "category": category_id, "synthetic_id": synthetic, "title": risk_title},
                path, where, model, FORMAT, zero_defaults=False,
            )  # fmt: skip


def _elements(
    assets: list[tuple[str, Mapping[str, Any], Document, str]],
    boundaries: list[tuple[str, Mapping[str, Any], Document, str]],
    model: Tracking,
) -> tuple[Element, ...]:
    parent: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    inside: dict[str, str] = {}  # asset id -> the boundary directly holding it
    for title, boundary, _, _ in boundaries:
        boundary_id = text(boundary.get("id")) or title
        kind_of[boundary_id] = text(boundary.get("type")) or ""
        for child in texts(boundary.get("trust_boundaries_nested")):
            parent[child] = boundary_id
        for asset_id in texts(boundary.get("technical_assets_inside")):
            inside.setdefault(asset_id, boundary_id)

    def network(asset_id: str) -> str | None:
        current, seen = inside.get(asset_id), set()
        while current is not None and current not in seen:
            if kind_of.get(current) in NETWORK_BOUNDARIES:
                return current
            seen.add(current)
            current = parent.get(current)
        return None

    link_titles = [
        title for _, a, _, _ in assets for title, _ in _named(a.get("communication_links"))
    ]
    elements = []
    for title, asset, part, part_path in assets:
        asset_id = text(asset.get("id")) or title
        line, column = part.locate(["technical_assets", title])
        elements.append(
            Element(
                name=title, kind=_KINDS.get(text(asset.get("type")) or "", "process"),
                path=part_path, line=line, column=column,
                boundary=model.titles.get(inside.get(asset_id, "")),
                owner=text(asset.get("owner")) or None,
                out_of_scope=asset.get("out_of_scope") is True, stride_coverage=False,
            )
        )  # fmt: skip
        for link_title, link in _named(asset.get("communication_links")):
            target = text(link.get("target")) or ""
            name = link_title if link_titles.count(link_title) == 1 else _flow_id(asset, link_title)
            where = part.locate(["technical_assets", title, "communication_links", link_title])
            elements.append(
                Element(
                    name=name, kind="flow", path=part_path, line=where[0], column=where[1],
                    source=title, target=model.titles.get(target, target),
                    crosses_boundary=network(asset_id) != network(target),
                    protocol=text(link.get("protocol")), stride_coverage=False,
                )
            )  # fmt: skip
    for title, _, part, part_path in boundaries:
        line, column = part.locate(["trust_boundaries", title])
        elements.append(
            Element(name=title, kind="boundary", path=part_path, line=line, column=column,
                    stride_coverage=False)
        )  # fmt: skip
    return tuple(elements)


def _flow_id(asset: Mapping[str, Any], title: str) -> str:
    """Threagile's id of a communication link: `source-id>kebab-title`."""
    kebab = _NOT_KEBAB.sub("-", title.lower()).strip("-")
    return f"{text(asset.get('id')) or ''}>{kebab}"


def _named(value: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The (title, mapping) pairs of a Threagile section keyed by title."""
    for title, item in mapping(value).items():
        if isinstance(item, dict):
            yield title, item


def _with_includes(
    document: Document, path: str, findings: list[Finding]
) -> Iterator[tuple[Document, str]]:
    """The model, then the files it includes (and they include), read like the model itself:
    from the model's folder down only, no links, bounded in size, count and depth."""
    pending = [(document, path, 0)]
    seen = {os.path.normpath(path)}
    while pending:
        current, current_path, depth = pending.pop(0)
        yield current, current_path
        includes = current.data.get("includes")
        marks = current.source.marks_of(includes) or []
        for index, name in enumerate(includes if isinstance(includes, list) else []):
            line, column = marks[index] if index < len(marks) else current.locate(["includes"])
            target = (
                os.path.normpath(os.path.join(os.path.dirname(current_path), name))
                if isinstance(name, str)
                else ""
            )
            if target and target in seen:
                continue
            if len(seen) > MAX_INCLUDES or depth >= MAX_INCLUDE_DEPTH:
                included: Document | str = (
                    f"more than {MAX_INCLUDES} included files, or included {depth} deep"
                )
            else:
                seen.add(target)
                included = _read_include(name, target, os.path.dirname(path))
            if isinstance(included, str):
                problem = f"includes {name!r}: {included}"
                findings.append(file_finding(current_path, "read-error", problem, line, column))
            else:
                pending.append((included, target, depth + 1))


def _read_include(name: object, target: str, top: str) -> Document | str:
    """The included file `name` (at `target`) as a document, or why it cannot be read."""
    from tmcheck.discover import ReadRefused, read_bounded
    from tmcheck.parsing.encoding import decode_utf8
    from tmcheck.parsing.safe_json import load_json
    from tmcheck.parsing.safe_yaml import load_yaml

    if not isinstance(name, str) or not name.strip():
        return "not a file name"
    if os.path.isabs(name) or ".." in name.replace("\\", "/").split("/"):
        return "outside the model's folder; tmcheck reads included files below it only"
    problem = _link_on_the_way(top, target)
    if problem:
        return problem
    try:
        raw = read_bounded(target, MAX_INCLUDE_BYTES, within=top or os.curdir)  # no race
        content = decode_utf8(raw)
        return load_json(content) if name.endswith(".json") else load_yaml(content)
    except ReadRefused as error:
        return str(error)
    except LoadError as error:
        return f"line {error.line}: {error.message}"


def _link_on_the_way(top: str, target: str) -> str | None:
    """Why `target` may not be read (a symbolic link on the way from `top`), or None."""
    relative = os.path.relpath(target, top or ".")
    current = top or "."
    for part in relative.split(os.sep):
        current = os.path.join(current, part)
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return "is or lies under a symbolic link; tmcheck does not follow links"
        except OSError:
            return "no such file"
    return None
