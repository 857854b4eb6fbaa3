"""From lon/lat to the page: the map's projection and where its numbered markers go."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..legs import Coord

__all__ = ["Box", "Projection", "free_spot"]

Box = tuple[float, float, float, float]
"""A rectangle: ``(x, y, width, height)`` for the map, ``(x0, y0, x1, y1)`` for bounds."""


class Projection:
    """Lon/lat to page millimetres: local equirectangular metres, scaled to fit a box."""

    R = 6_371_008.8

    def __init__(
        self,
        points: Sequence[Coord],
        box: Box,
        *,
        pad: float = 0.08,
        min_span_m: float = 400.0,
    ) -> None:
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        self.lon0 = (min(lons) + max(lons)) / 2
        self.lat0 = (min(lats) + max(lats)) / 2
        self.kx = math.radians(1) * self.R * math.cos(math.radians(self.lat0))
        self.ky = math.radians(1) * self.R
        xs = [(lon - self.lon0) * self.kx for lon in lons]
        ys = [(lat - self.lat0) * self.ky for lat in lats]
        span_x = max(max(xs) - min(xs), min_span_m) * (1 + 2 * pad)
        span_y = max(max(ys) - min(ys), min_span_m) * (1 + 2 * pad)
        self.bx, self.by, self.bw, self.bh = box
        self.scale = min(self.bw / span_x, self.bh / span_y)  # mm per metre
        self.cx = (max(xs) + min(xs)) / 2
        self.cy = (max(ys) + min(ys)) / 2

    def __call__(self, lon: float, lat: float) -> Coord:
        """Return the page point ``(x, y)`` in mm of ``(lon, lat)``."""
        x = (lon - self.lon0) * self.kx
        y = (lat - self.lat0) * self.ky
        return (
            self.bx + self.bw / 2 + (x - self.cx) * self.scale,
            self.by + self.bh / 2 - (y - self.cy) * self.scale,
        )

    def lonlat_box(self) -> Box:
        """Return the lon/lat bounds of the box (for picking roads)."""
        half_w = self.bw / 2 / self.scale
        half_h = self.bh / 2 / self.scale
        return (
            self.lon0 + (self.cx - half_w) / self.kx,
            self.lat0 + (self.cy - half_h) / self.ky,
            self.lon0 + (self.cx + half_w) / self.kx,
            self.lat0 + (self.cy + half_h) / self.ky,
        )


def free_spot(
    px: float,
    py: float,
    placed: Sequence[Coord],
    gap: float,
    box: Box,
    radius: float,
) -> Coord:
    """Return a marker centre near ``(px, py)`` at least ``gap`` from every placed one.

    ``box`` is ``(x0, y0, x1, y1)``; the marker of ``radius`` stays inside it.
    """

    def ok(x: float, y: float) -> bool:
        inside = box[0] + radius <= x <= box[2] - radius and box[1] + radius <= y <= box[3] - radius
        return inside and all(math.hypot(x - a, y - b) >= gap for a, b in placed)

    if ok(px, py):
        return (px, py)
    for ring in range(1, 12):
        dist = gap * ring
        steps = 8 * ring
        for k in range(steps):
            ang = -math.pi / 4 + 2 * math.pi * k / steps
            x, y = px + dist * math.cos(ang), py - dist * math.sin(ang)
            if ok(x, y):
                return (x, y)
    return (px, py)
