"""Where Threat Dragon cells sit: which boundary box holds a shape, whether a flow crosses a
trust boundary. A diagram stores trust boundaries either as boxes (`tm.BoundaryBox`) or as lines
(`tm.Boundary`, a curve through `vertices`); a flow crosses one when its ends sit in different
boxes or its path meets a boundary line.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

from tmcheck.formats.fields import mapping

MAX_COORDINATE = 1e9  # pixels
Point = tuple[float, float]
Rectangle = tuple[float, float, float, float]  # left, top, right, bottom


def rectangle(cell: Mapping[str, Any]) -> Rectangle | None:
    position, size = mapping(cell.get("position")), mapping(cell.get("size"))
    numbers = [position.get("x"), position.get("y"), size.get("width"), size.get("height")]
    if not all(_plausible(n) for n in numbers):
        return None
    x, y, width, height = (float(n) for n in numbers)  # type: ignore[arg-type]
    return (x, y, x + width, y + height)


def centre(box: Rectangle) -> Point:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def boundary_box_of(point: Point, boxes: Sequence[tuple[str, Rectangle]]) -> str | None:
    """The name of the smallest boundary box that holds `point`."""
    holding = [
        ((box[2] - box[0]) * (box[3] - box[1]), name)
        for name, box in boxes
        if box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]
    ]
    return min(holding)[1] if holding else None


def line_points(cell: Mapping[str, Any], ends: Mapping[str, Point]) -> list[Point]:
    """The path of a flow or boundary line: its source, its vertices, its target. An end that
    is a cell (`{cell: id}` in v2, `{id: id}` in v1) is that cell's centre."""
    points = []
    for end in ("source", "vertices", "target"):
        value = cell.get(end)
        for item in value if end == "vertices" and isinstance(value, list) else [value]:
            point = _point(mapping(item), ends)
            if point is not None:
                points.append(point)
    return points


def crosses(path: Sequence[Point], lines: Sequence[Sequence[Point]]) -> bool:
    """Whether the polyline `path` meets any of the polylines `lines`."""
    segments = list(itertools.pairwise(path))
    return any(
        _intersect(a, b, c, d)
        for line in lines
        for c, d in itertools.pairwise(line)
        for a, b in segments
    )


def _point(item: Mapping[str, Any], ends: Mapping[str, Point]) -> Point | None:
    cell_id = item.get("cell") or item.get("id")
    if isinstance(cell_id, str):
        return ends.get(cell_id)
    x, y = item.get("x"), item.get("y")
    if _plausible(x) and _plausible(y):
        return (float(x), float(y))
    return None


def _plausible(value: Any) -> TypeGuard[float]:
    """A coordinate a diagram could hold. Beyond that, sums and products of coordinates (areas,
    turns) could overflow to inf and then to NaN, which compares false with everything."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and abs(value) <= MAX_COORDINATE
    )


def _intersect(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segments ab and cd cross or touch."""
    d1, d2 = _turn(c, d, a), _turn(c, d, b)
    d3, d4 = _turn(a, b, c), _turn(a, b, d)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return (
        (d1 == 0 and _within(c, d, a))
        or (d2 == 0 and _within(c, d, b))
        or (d3 == 0 and _within(a, b, c))
        or (d4 == 0 and _within(a, b, d))
    )


def _turn(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _within(a: Point, b: Point, p: Point) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])
