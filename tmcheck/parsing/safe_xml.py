"""The one XML reader: defusedxml's expat parser, no DTDs, no entities, nothing external.

A Microsoft Threat Modeling Tool file (`.tm7`) is XML. XML can declare entities that expand
to gigabytes (billion laughs) or name files and URLs to read (external entities); a threat model
needs neither, so any document type declaration is refused before anything is expanded. The
number of elements is bounded before parsing (memory). ElementTree keeps no positions, so the
start tags of chosen elements are found in the text, in document order: a finding must point
somewhere (a .tm7 is mostly one line: line 1 and a column).
"""

from __future__ import annotations

import codecs
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tmcheck.parsing.tree import LoadError, Position

if TYPE_CHECKING:  # ElementTree is imported when XML is parsed, not by `looks_like_xml` users
    from xml.etree.ElementTree import Element, ParseError

# Elements in one file. A real .tm7 of 1.2 MB (its template embedded) holds about 18,500.
MAX_ELEMENTS = 400_000
_REFUSED = (
    "XML with a document type declaration, entities or external references is refused"
    " (tmcheck reads none: they serve XML bombs and file disclosure, no threat model needs them)"
)


@dataclass(frozen=True, slots=True)
class XmlDocument:
    root: Element
    marks: dict[Element, Position]  # where each element with a marked name starts

    def position(self, element: Element, default: Position = (1, 1)) -> Position:
        return self.marks.get(element, default)


def local_name(tag: str) -> str:
    """`{namespace}Name` -> `Name`."""
    return tag.rpartition("}")[2]


def looks_like_xml(raw: bytes) -> bool:
    """Whether `raw` starts like an XML document: `<` after an optional byte order mark and
    white space (UTF-8, or UTF-16, which hides the `<` from a plain byte test)."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            head = raw[len(bom) : len(bom) + 256].decode(encoding, "ignore")
            return head.lstrip()[:1] == "<"
    return raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def load_xml(raw: bytes, marked: Collection[str] = ()) -> XmlDocument:
    """Parse `raw`, keeping the position of every element whose local name is in `marked`."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    tags = raw.count(b"<")  # an upper bound of the elements, before any is built
    if tags > 2 * MAX_ELEMENTS:
        raise LoadError(
            f"the file holds more than {MAX_ELEMENTS} XML elements; tmcheck reads threat models"
            " up to that size"
        )
    try:
        root = fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise LoadError(_REFUSED, *_position_of(raw, b"<!")) from None
    except ParseError as error:
        line, column = error.position
        raise LoadError(f"invalid XML: {_reason(error)}", line, column + 1) from None
    marks: dict[Element, Position] = {}
    for name in marked:
        elements = list(root.iter(f"{{*}}{name}"))  # in any namespace, in document order
        starts = _start_tags(raw, name.encode())
        if len(starts) == len(elements):  # else the text is not UTF-8 or ASCII: no positions
            marks.update(zip(elements, _line_columns(raw, starts), strict=True))
    return XmlDocument(root, marks)


def _start_tags(raw: bytes, name: bytes) -> list[int]:
    """Offsets of the start tags `<name` or `<prefix:name`, in document order."""
    found = []
    index = raw.find(name)
    while index >= 0:
        end = index + len(name)
        opening = raw.rfind(b"<", max(0, index - 64), index)
        between = raw[opening + 1 : index]
        if (
            opening >= 0
            and raw[end : end + 1] in (b">", b" ", b"/", b"\t", b"\r", b"\n")
            and (not between or (between.endswith(b":") and b"/" not in between))
        ):
            found.append(opening)
        index = raw.find(name, end)
    return found


def _position_of(raw: bytes, marker: bytes) -> Position:
    offset = raw.find(marker)
    return _line_columns(raw, [offset])[0] if offset >= 0 else (1, 1)


def _line_columns(raw: bytes, offsets: list[int]) -> list[Position]:
    """The positions of ascending `offsets`, counting the lines once."""
    positions = []
    line, counted = 1, 0
    for offset in offsets:
        line += raw.count(b"\n", counted, offset)
        counted = offset
        line_start = raw.rfind(b"\n", 0, offset) + 1
        positions.append((line, len(raw[line_start:offset].decode("utf-8", "replace")) + 1))
    return positions


def _reason(error: ParseError) -> str:
    """expat's message without its own `line N, column M` (the finding has them)."""
    message = str(error)
    cut = message.find(": line ")
    return message[:cut] if cut > 0 else message
