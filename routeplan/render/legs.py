"""The lines a round is drawn with: home, each stop in order, home, along the roads.

Each leg follows :meth:`routeplan.matrix.TravelMatrix.path` (the roads travelled); a
leg the matrix cannot draw is a straight line. Maps, sheets and exports draw rounds
with these.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..matrix import find_home

if TYPE_CHECKING:  # pragma: no cover
    from ..matrix import TravelMatrix
    from ..planner import Route

__all__ = ["Coord", "join_legs", "route_coords", "route_legs"]

log = logging.getLogger(__name__)

Coord = tuple[float, float]
"""``(lon, lat)``."""


def _leg(
    matrix: TravelMatrix | None, a: str | None, b: str | None, pa: Coord, pb: Coord
) -> list[Coord]:
    """Return the coordinates from point ``a`` to ``b``: along the roads, else straight."""
    if matrix is not None and a is not None and b is not None:
        try:
            path = matrix.path(matrix.index(a), matrix.index(b))
        except (KeyError, IndexError, ValueError) as exc:
            log.debug("no path %s -> %s: %s", a, b, exc)
            path = []
        if len(path) >= 2:
            return [(float(x), float(y)) for x, y in path]
    return [pa, pb]


def route_legs(
    route: Route, matrix: TravelMatrix | None, home: Coord, stop_xy: Mapping[str, Coord]
) -> list[list[Coord]]:
    """Return the lon/lat lines of ``route``'s legs: home -> 1, 1 -> 2, ..., n -> home.

    Each leg follows ``matrix.path`` (the roads travelled); a leg the matrix cannot
    draw (no matrix, a point missing from it, no path) is a straight line.
    """
    home_id = find_home(matrix.ids, route.volunteer_id) if matrix is not None else None
    matrix_ids = set(matrix.ids) if matrix is not None else set()
    ids: list[str | None] = [home_id]
    xys: list[Coord] = [home]
    for stop in route.stops:
        ids.append(stop.household_id if stop.household_id in matrix_ids else None)
        xys.append(stop_xy[stop.household_id])
    ids.append(home_id)
    xys.append(home)
    return [_leg(matrix, ids[k], ids[k + 1], xys[k], xys[k + 1]) for k in range(len(ids) - 1)]


def route_coords(
    route: Route, matrix: TravelMatrix | None, home: Coord, stop_xy: Mapping[str, Coord]
) -> list[Coord]:
    """Return the lon/lat line of ``route`` from home through every stop and back home.

    The legs of :func:`route_legs` joined into one line.
    """
    return join_legs(route_legs(route, matrix, home, stop_xy))


def join_legs(legs: Iterable[Sequence[Coord]]) -> list[Coord]:
    """Return ``legs`` as one line (a point shared by two legs once)."""
    line: list[Coord] = []
    for piece in legs:
        line.extend(piece[1:] if line and line[-1] == piece[0] else piece)
    return line
