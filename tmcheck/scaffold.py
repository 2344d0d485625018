"""`tmcheck scaffold`: the STRIDE questions of an architecture, as threat models to fill in.

One STRIDE worksheet per element (or one threat register) with an open threat for every
category that applies to the element (STRIDE per element, see `coverage`). The files are
valid against tmcheck's own schemas and pass `tmcheck check` (their threats are unrated: that is
a warning). Names come from element names, made safe; no file is overwritten without `force`,
and nothing is ever written through a symbolic link.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tmcheck.config import Settings
from tmcheck.coverage import applicable
from tmcheck.errors import UsageError
from tmcheck.escape import for_log
from tmcheck.model import Element, name_key

REGISTER_NAME = "threat-register.yaml"

# The question each category asks of an element: the security property it would violate.
QUESTIONS = {
    "Spoofing": "authentication: can someone pretend to be {name}, or someone it trusts?",
    "Tampering": "integrity: can someone change {name} or its data, in transit or at rest?",
    "Repudiation": "non-repudiation: can someone deny an action taken through {name}?",
    "Information Disclosure": "confidentiality: can {name} expose data to someone not allowed?",
    "Denial of Service": "availability: can someone make {name} unavailable?",
    "Elevation of Privilege": "authorization: can someone gain rights through {name}?",
}
_HEADER = """\
# Scaffolded by `tmcheck scaffold` from {source}.
# One open threat per STRIDE category that applies: describe each threat, rate it (likelihood
# and impact, 1-5 or Very Low to Very High), set its status and owner. A category that does not
# apply gets `status: Not applicable`, which still counts as covered.
"""


def run_scaffold(
    architecture: str,
    settings: Settings,
    out: IO[str],
    *,
    out_dir: Path | None,
    register: bool,
    force: bool,
) -> int:
    """`tmcheck scaffold`: 0 when written, 1 when the architecture has errors (then nothing is
    written); usage problems (not an architecture, a file in the way) raise UsageError."""
    from tmcheck.discover import discover
    from tmcheck.file_checker import FileChecker
    from tmcheck.reporters.text import finding_line

    if os.path.isdir(architecture):
        raise UsageError(f"{architecture}: a directory; name one architecture file")
    named = dataclasses.replace(settings, include=("**",), exclude=(), max_files=1)
    discovery = discover([architecture], named)
    if discovery.findings or not discovery.candidates:  # a confined read refused it
        why = discovery.findings[0].message if discovery.findings else "not found"
        raise UsageError(f"{architecture}: {why}")
    result = FileChecker(settings).check_file(discovery.candidates[0])
    errors = [f for f in result.findings if f.level == "error"]
    if errors:
        out.writelines(finding_line(finding) + "\n" for finding in errors)
        out.write(f"tmcheck scaffold: {architecture} has errors; nothing written\n")
        return 1
    if not result.elements:
        raise UsageError(
            f"{architecture}: not an architecture file or Threat Dragon diagram"
            f" (its format: {result.format or 'none tmcheck reads'})"
        )
    planned = plan(result.elements, architecture, register=register)
    if not planned:
        raise UsageError(f"{architecture}: no element asks for a STRIDE category")
    directory = out_dir if out_dir is not None else Path(os.path.dirname(architecture) or ".")
    write(directory, planned, force=force)
    for item in planned:
        out.write(for_log(f"wrote {directory / item.name} ({item.threats} open threats)") + "\n")
    total = sum(item.threats for item in planned)
    files = "1 file" if len(planned) == 1 else f"{len(planned)} files"
    out.write(f"tmcheck scaffold: {files}, {total} open threats to fill in\n")
    return 0


@dataclass(frozen=True, slots=True)
class Planned:
    """A file to write: its name inside the output directory, its text, its threat count."""

    name: str
    text: str
    threats: int


def plan(elements: Sequence[Element], source: str, *, register: bool) -> list[Planned]:
    """The files for `elements` (those STRIDE asks something of), read from file `source`."""
    asked = [e for e in elements if applicable(e) and not e.out_of_scope]
    slugs = _unique_slugs(asked)
    header = _HEADER.format(source=_quote(os.path.basename(source)))
    if register:
        lines = [header + "threats:"]
        for element, slug in zip(asked, slugs, strict=True):
            lines += _register_threats(element, slug)
        count = sum(len(applicable(e)) for e in asked)
        return [Planned(REGISTER_NAME, "\n".join(lines) + "\n", count)] if asked else []
    boundaries = {name_key(e.name): e.boundary for e in elements}
    return [
        Planned(f"{slug}.stride.yaml", header + _worksheet(element, slug, boundaries), count)
        for element, slug in zip(asked, slugs, strict=True)
        if (count := len(applicable(element)))
    ]


def write(directory: Path, planned: Sequence[Planned], *, force: bool) -> None:
    """Write every planned file into `directory`, or none when one of them may not be written."""
    directory.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        directory_fd = os.open(directory, flags)
    except OSError as error:
        raise UsageError(f"--out {directory}: cannot use it: {error.strerror}") from None
    try:
        refused = [
            f"{p.name} {why}" for p in planned if (why := _refusal(p.name, directory_fd, force))
        ]
        if refused:
            raise UsageError(
                f"{directory}: {'; '.join(refused)}; nothing written"
                + (" (--force overwrites existing files)" if not force else "")
            )
        for item in planned:
            _write_one(item, directory_fd, force)
    finally:
        os.close(directory_fd)


def slugify(name: str) -> str:
    """A file-name-safe form of `name`: ASCII letters, digits and single dashes."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60].rstrip("-") or "element"


def _unique_slugs(elements: Sequence[Element]) -> list[str]:
    used: set[str] = set()
    slugs = []
    for element in elements:
        base = slugify(element.name)
        slug, number = base, 2
        while slug in used:
            slug, number = f"{base}-{number}", number + 1
        used.add(slug)
        slugs.append(slug)
    return slugs


def _worksheet(element: Element, slug: str, boundaries: dict[str, str | None]) -> str:
    lines = ["component:", f"  name: {_quote(element.name)}", f"  type: {element.kind}"]
    if element.kind != "flow" and element.boundary:
        lines.append(f"  trust_boundary: {_quote(element.boundary)}")
    if element.kind == "flow":
        ends = (element.source or "?", element.target or "?")
        if element.crosses_boundary:  # a worksheet's usual form: "External -> Internal"
            crossing = " -> ".join(boundaries.get(name_key(end)) or "outside" for end in ends)
            lines.append(f"  trust_boundary: {_quote(crossing)}")
        over = f" over {element.protocol}" if element.protocol else ""
        lines.append(f"  description: {_quote(f'{ends[0]} -> {ends[1]}{over}')}")
    if element.owner:
        lines.append(f"  owner: {_quote(element.owner)}")
    lines.append("threats:")
    for category in applicable(element):
        lines += [
            f"  - id: {_threat_id(slug, category)}",
            f"    category: {category}",
            f"    description: {_quote(QUESTIONS[category].format(name=element.name))}",
            "    status: Open",
        ]
    return "\n".join(lines) + "\n"


def _register_threats(element: Element, slug: str) -> list[str]:
    lines = []
    for category in applicable(element):
        lines += [
            f"  - id: {_threat_id(slug, category)}",
            f"    component: {_quote(element.name)}",
            f"    threat: {category}",
            f"    description: {_quote(QUESTIONS[category].format(name=element.name))}",
            "    status: Open",
        ]
        if element.owner:
            lines.append(f"    owner: {_quote(element.owner)}")
    return lines


def _threat_id(slug: str, category: str) -> str:
    return f"{slug.upper()}-{category[0]}"


def _quote(text: str) -> str:
    """A YAML double-quoted scalar; escapes keep line breaks and controls out of the file."""
    return json.dumps(text, ensure_ascii=not text.isprintable())


def _refusal(name: str, directory_fd: int, force: bool) -> str | None:
    """Why `name` may not be written, or None."""
    try:
        info = os.stat(name, dir_fd=directory_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    return None if force else "exists"


def _write_one(item: Planned, directory_fd: int, force: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    flags |= os.O_TRUNC if force else os.O_EXCL  # O_EXCL: never an existing file, nor a link
    try:
        descriptor = os.open(item.name, flags, 0o644, dir_fd=directory_fd)
    except OSError as error:
        raise UsageError(f"{item.name}: cannot write: {error.strerror}") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(item.text)
