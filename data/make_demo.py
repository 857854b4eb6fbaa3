"""Make the synthetic demo commune in ``data/demo/`` (run: ``python data/make_demo.py``).

The demo is modelled on Hoa Bac commune (now part of Hai Van ward, Da Nang): a long
river valley running west into the mountains, a paved provincial road along it, the
hamlets strung along the road, concrete village lanes, unpaved tracks up the side
valleys and footpaths to the houses on the slopes. Nothing in it is real: the road
network, the terrain, the households and the volunteers are all invented here from a
fixed random seed, so the files are the same on every run and every machine.

It writes four files:

``hoabac.osm``
    OpenStreetMap XML (API 0.6) of the road network, tagged the way OSM is tagged,
    with an ``ele`` tag (metres) on every node, the river, and the hamlet and
    town-hall nodes.
``households.csv``
    The household register (UTF-8 with BOM, as Excel saves it), columns as in
    ``docs/ARCHITECTURE.md``.
``volunteers.csv``
    The volunteer register.
``service_points.csv``
    The old commune People's Committee and the ward's public service centre.

Only numpy, shapely and the standard library are used; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import shapely
from shapely.geometry import LineString

SEED = 20250701
"""Random seed of the demo: change it and every file changes."""

OUT_DIR = Path(__file__).resolve().parent / "demo"
TIMESTAMP = "2025-07-01T00:00:00Z"

# Bounds written into the OSM file; every node and household lies inside them.
MIN_LAT, MIN_LON, MAX_LAT, MAX_LON = 16.05, 107.90, 16.20, 108.16

# Local metric frame (equirectangular around the valley): good to ~0.1 % here.
LAT0, LON0 = 16.13, 108.0
KX = 111_320.0 * math.cos(math.radians(LAT0))
KY = 110_574.0


def to_xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    return LON0 + x / KX, LAT0 + y / KY


# --- the commune ----------------------------------------------------------------------


@dataclass(frozen=True)
class Hamlet:
    """One hamlet: where it is, how many households, how its lanes are laid out."""

    name: str
    lon: float
    lat: float
    households: int
    co_tu: float  # share of Co Tu households
    mountain: bool
    streets: int  # concrete lanes off the main road
    tracks: int  # unpaved tracks up the side valleys
    crossings: int  # lanes or tracks crossing the river (bridge or ford)
    volunteers: int  # volunteers living here


# West (mountains) to east (valley mouth). Household total: 1,350.
HAMLETS: tuple[Hamlet, ...] = (
    Hamlet("Tà Lang", 107.945, 16.1640, 115, 0.92, True, 4, 6, 1, 3),
    Hamlet("Giàn Bí", 107.975, 16.1570, 120, 0.88, True, 4, 6, 1, 3),
    Hamlet("Trường Định", 108.005, 16.1480, 140, 0.03, False, 6, 4, 1, 4),
    Hamlet("Phò Nam", 108.025, 16.1395, 165, 0.02, False, 7, 4, 1, 4),
    Hamlet("Nam Yên", 108.045, 16.1255, 250, 0.01, False, 9, 4, 2, 20),
    Hamlet("Nam Mỹ", 108.058, 16.1255, 210, 0.0, False, 8, 3, 1, 16),
    Hamlet("Lộc Mỹ", 108.072, 16.1180, 195, 0.0, False, 8, 3, 1, 12),
    Hamlet("Quan Nam", 108.090, 16.1120, 155, 0.0, False, 7, 3, 1, 8),
)

# The Cu Đê river, west to east, to the sea: 250-400 m south of the valley road.
RIVER = (
    (107.902, 16.1790),
    (107.915, 16.1740),
    (107.930, 16.1668),
    (107.945, 16.1610),
    (107.960, 16.1586),
    (107.975, 16.1540),
    (107.990, 16.1510),
    (108.005, 16.1450),
    (108.015, 16.1408),
    (108.025, 16.1362),
    (108.035, 16.1292),
    (108.045, 16.1222),
    (108.058, 16.1220),
    (108.065, 16.1190),
    (108.072, 16.1146),
    (108.080, 16.1113),
    (108.090, 16.1082),
    (108.100, 16.1088),
    (108.115, 16.1120),
    (108.130, 16.1132),
    (108.145, 16.1165),
    (108.158, 16.1215),
)

# The valley road, east (ward centre, junction with the national road) to west.
ROAD = (
    (108.1385, 16.1230),
    (108.130, 16.1205),
    (108.115, 16.1170),
    (108.100, 16.1130),
    (108.090, 16.1120),
    (108.080, 16.1150),
    (108.072, 16.1180),
    (108.065, 16.1225),
    (108.058, 16.1255),
    (108.045, 16.1255),
    (108.035, 16.1325),
    (108.025, 16.1395),
    (108.015, 16.1440),
    (108.005, 16.1480),
    (107.990, 16.1540),
    (107.975, 16.1570),
    (107.960, 16.1615),
    (107.945, 16.1640),
    (107.935, 16.1700),
)
WARD_CENTRE = (108.1300, 16.1205)
# Where the valley road changes class: east of this is secondary, then tertiary, then
# the concrete road to the mountain hamlets (longitudes).
SECONDARY_WEST_END = 108.088
TERTIARY_WEST_END = 108.010

SERVICES = (
    "vneid",
    "pension",
    "digital_signature",
    "sim",
    "birth_registration",
    "residence",
    "health_insurance",
    "social_insurance",
    "tax",
)

HOUSEHOLD_COLUMNS = (
    "household_id",
    "head_name",
    "village",
    "latitude",
    "longitude",
    "phone",
    "services",
    "elderly",
    "disability",
    "remote",
    "language",
    "availability",
    "notes",
)
VOLUNTEER_COLUMNS = (
    "volunteer_id",
    "name",
    "phone",
    "latitude",
    "longitude",
    "capacity",
    "availability",
    "mode",
    "skills",
    "languages",
)
SERVICE_POINT_COLUMNS = ("point_id", "name", "latitude", "longitude")

# --- names ---------------------------------------------------------------------------

KINH_FAMILY = (
    ("Nguyễn", 30),
    ("Lê", 12),
    ("Trần", 10),
    ("Phạm", 7),
    ("Hồ", 6),
    ("Huỳnh", 6),
    ("Võ", 6),
    ("Phan", 5),
    ("Đinh", 4),
    ("Trương", 3),
    ("Đặng", 3),
    ("Bùi", 3),
    ("Ngô", 2),
    ("Đỗ", 2),
    ("Dương", 2),
    ("Lương", 2),
    ("Thái", 1),
    ("Đoàn", 2),
)
KINH_MIDDLE_M = ("Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Công", "Quang", "Thanh")
KINH_MIDDLE_F = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim")
KINH_GIVEN_M = (
    "Hùng",
    "Dũng",
    "Tuấn",
    "Nam",
    "Bình",
    "Hải",
    "Sơn",
    "Thành",
    "Long",
    "Phúc",
    "Tài",
    "Lợi",
    "Hòa",
    "Tâm",
    "Quang",
    "Định",
    "Cường",
    "Đông",
    "Tư",
    "Ba",
    "Sáu",
    "Bảy",
    "Lộc",
    "Trung",
    "Hiếu",
    "Khánh",
    "Vinh",
    "Thắng",
    "Toàn",
    "Phước",
    "Nhân",
    "Đức",
    "An",
)
KINH_GIVEN_F = (
    "Lan",
    "Hoa",
    "Hương",
    "Mai",
    "Hồng",
    "Nga",
    "Thu",
    "Hạnh",
    "Liên",
    "Thủy",
    "Tuyết",
    "Loan",
    "Ngọc",
    "Xuân",
    "Cúc",
    "Đào",
    "Sen",
    "Mười",
    "Hà",
    "Trang",
    "Vân",
    "Yến",
    "Thảo",
    "Nhung",
    "Phượng",
    "Bích",
)
CO_TU_FAMILY = (
    ("A Lăng", 8),
    ("Bh'riu", 7),
    ("Ating", 5),
    ("Zơ Râm", 5),
    ("Clâu", 4),
    ("Pơloong", 3),
    ("Hồ", 4),
    ("Đinh", 3),
    ("Bríu", 2),
    ("Tơ Ngôl", 2),
)
CO_TU_GIVEN_M = (
    "Pố",
    "Bốn",
    "Dưới",
    "Hiên",
    "Lự",
    "Sơn",
    "Quân",
    "Ních",
    "Tâm",
    "Rết",
    "Blúi",
    "Brới",
    "Dũng",
    "Liếc",
    "Nhím",
    "Dzừ",
    "Pêl",
    "Hốp",
    "Văn Tâm",
    "Văn Hùng",
    "Văn Tiến",
)
CO_TU_GIVEN_F = (
    "Thị Dung",
    "Thị Bơ",
    "Thị Hiền",
    "Thị Nhướt",
    "Thị Pái",
    "Thị Xuân",
    "Thị Lan",
    "Thị Bốn",
    "Thị Tiên",
    "Thị Hoa",
    "Thị Mai",
    "Thị Ngân",
)

PHONE_PREFIXES = (
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "082",
    "083",
    "084",
    "085",
    "086",
    "088",
    "089",
)

NOTES_ANY = (
    "Nhà có chó dữ, gọi điện trước khi đến.",
    "Chủ hộ nghe kém, nói to và chậm.",
    "Con cái đi làm xa, chỉ có ông bà ở nhà.",
    "Đường vào nhà trơn khi trời mưa.",
    "Nhớ mang theo căn cước công dân gốc của chủ hộ.",
    "Gọi điện trước, ban ngày hay lên rẫy.",
    "Điện thoại cũ, không cài được VNeID, cần hướng dẫn dùng máy khác.",
    "Đã hẹn lần trước nhưng vắng nhà.",
)
NOTES_SLOPE = (
    "Nhà sau đồi keo, để xe ở cuối đường bê tông rồi đi bộ.",
    "Đi bộ lên dốc khoảng 10 phút từ đường lớn.",
)
NOTES_CO_TU = (
    "Chủ hộ chỉ nói tiếng Cơ Tu, cần người phiên dịch.",
    "Qua tràn suối, mùa mưa không đi xe máy được.",
)

HOUSEHOLD_WINDOWS = (
    ("16:00-19:00", 5),
    ("07:00-11:00;16:00-19:00", 4),
    ("07:00-11:00", 2),
    ("Sat 07:00-17:00; Sun 07:00-17:00", 2),
)

# --- geometry helpers -----------------------------------------------------------------


def _catmull_rom(ctrl: np.ndarray, step: float = 5.0) -> np.ndarray:
    """A smooth curve through the control points, sampled about every ``step`` metres."""
    if len(ctrl) == 2:
        n = max(2, int(np.linalg.norm(ctrl[1] - ctrl[0]) / step))
        t = np.linspace(0.0, 1.0, n)[:, None]
        return ctrl[0] + (ctrl[1] - ctrl[0]) * t
    p = np.vstack([2 * ctrl[0] - ctrl[1], ctrl, 2 * ctrl[-1] - ctrl[-2]])
    parts = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        n = max(2, int(np.linalg.norm(p2 - p1) / step))
        t = np.linspace(0.0, 1.0, n, endpoint=False)[:, None]
        parts.append(
            0.5
            * (
                2 * p1
                + (p2 - p0) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                + (3 * p1 - p0 - 3 * p2 + p3) * t**3
            )
        )
    parts.append(ctrl[-1:])
    return np.vstack(parts)


def _arclength(pts: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(pts, axis=0).T))])


def curve(
    rng: np.random.Generator,
    ctrl: Sequence[tuple[float, float]] | np.ndarray,
    *,
    spacing: tuple[float, float] = (20.0, 60.0),
    wiggle: float = 10.0,
) -> np.ndarray:
    """A curvy line through ``ctrl`` resampled at random spacing; ends are kept exactly."""
    ctrl = np.asarray(ctrl, dtype=float)
    dense = _catmull_rom(ctrl)
    s = _arclength(dense)
    length = float(s[-1])
    if wiggle > 0 and length > 60:
        d = np.gradient(dense, axis=0)
        d /= np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)[:, None]
        normal = np.column_stack([-d[:, 1], d[:, 0]])
        ph = rng.uniform(0, 2 * math.pi, 3)
        wl = rng.uniform(120, 400)
        off = (
            np.sin(s / wl + ph[0])
            + 0.5 * np.sin(s / (wl / 2.7) + ph[1])
            + 0.25 * np.sin(s / (wl / 6.1) + ph[2])
        )
        taper = np.minimum(1.0, np.minimum(s, length - s) / 80.0)
        dense = dense + normal * (wiggle * off * taper)[:, None]
        s = _arclength(dense)
        length = float(s[-1])
    stations = [0.0]
    lo, hi = spacing
    while True:
        nxt = stations[-1] + rng.uniform(lo, hi)
        if length - nxt < lo * 0.6:
            break
        stations.append(nxt)
    stations.append(length)
    st = np.asarray(stations)
    return np.column_stack([np.interp(st, s, dense[:, 0]), np.interp(st, s, dense[:, 1])])


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.hypot(v[0], v[1])), 1e-9)


def _rot(v: np.ndarray, angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


# --- the network -----------------------------------------------------------------------


@dataclass
class Way:
    nodes: list[int]
    tags: dict[str, str]
    hamlet: str = ""


@dataclass
class Net:
    """Nodes (ids from 1) and ways of the OSM file, in the order they are made."""

    xy: list[tuple[float, float]] = field(default_factory=list)
    node_tags: dict[int, dict[str, str]] = field(default_factory=dict)
    ways: list[Way] = field(default_factory=list)

    def node(self, x: float, y: float, tags: dict[str, str] | None = None) -> int:
        self.xy.append((float(x), float(y)))
        nid = len(self.xy)
        if tags:
            self.node_tags[nid] = dict(tags)
        return nid

    def at(self, nid: int) -> np.ndarray:
        return np.asarray(self.xy[nid - 1])

    def chain(self, pts: np.ndarray, start: int | None = None, end: int | None = None) -> list[int]:
        """Nodes along ``pts``; the first/last point is replaced by an existing node if given."""
        ids = []
        for i, (x, y) in enumerate(pts):
            if i == 0 and start is not None:
                ids.append(start)
            elif i == len(pts) - 1 and end is not None:
                ids.append(end)
            else:
                ids.append(self.node(x, y))
        return ids

    def way(self, nodes: list[int], tags: dict[str, str], hamlet: str = "") -> Way:
        if len(nodes) < 2 or any(a == b for a, b in itertools.pairwise(nodes)):
            raise AssertionError(f"bad way {nodes[:5]}... {tags}")
        w = Way(list(nodes), dict(tags), hamlet)
        self.ways.append(w)
        return w


class River:
    """The river line and the terrain it carves."""

    def __init__(self) -> None:
        self.xy = np.array([to_xy(lo, la) for lo, la in RIVER])
        self.line = LineString(_catmull_rom(self.xy, 40.0))

    def nearest(self, p: np.ndarray) -> np.ndarray:
        q = self.line.interpolate(self.line.project(shapely.Point(p)))
        return np.array([q.x, q.y])

    def away(self, p: np.ndarray) -> np.ndarray:
        """Unit vector from the nearest river point to ``p`` (uphill, roughly)."""
        return _unit(p - self.nearest(p))

    def elevation(self, xy: np.ndarray) -> np.ndarray:
        """Smooth synthetic terrain (m): a valley floor rising west, slopes rising away."""
        pts = shapely.points(xy[:, 0], xy[:, 1])
        d = shapely.distance(pts, self.line)
        lon = LON0 + xy[:, 0] / KX
        floor = np.interp(
            lon,
            [
                107.90,
                107.945,
                107.975,
                108.005,
                108.025,
                108.045,
                108.058,
                108.072,
                108.090,
                108.115,
                108.135,
                108.16,
            ],
            [250, 190, 150, 105, 80, 62, 55, 45, 35, 18, 8, 2],
        )
        relief = np.interp(
            lon, [107.90, 107.96, 108.02, 108.06, 108.10, 108.16], [620, 560, 480, 380, 160, 40]
        )
        d0 = 450.0
        rise = 0.03 * np.minimum(d, d0) + relief * (1 - np.exp(-np.maximum(d - d0, 0) / 1500))
        bumps = 22 * np.sin(xy[:, 0] / 700 + 1.3) * np.cos(xy[:, 1] / 900 - 0.4) + 12 * np.sin(
            (xy[:, 0] + xy[:, 1]) / 420 + 2.1
        )
        bumps *= np.clip((d - 150) / 600, 0, 1)
        return np.maximum(floor + rise + bumps, floor)


def clip(river: River, pts: np.ndarray, margin: float = 40.0) -> np.ndarray:
    """The part of ``pts`` (after its first point) before it comes near or crosses the river."""
    d = shapely.distance(shapely.points(pts[:, 0], pts[:, 1]), river.line)
    segs = shapely.linestrings(np.stack([pts[:-1], pts[1:]], axis=1))
    crosses = shapely.intersects(segs, river.line)
    k = len(pts)
    near = np.nonzero(d[1:] < margin)[0]
    if len(near):
        k = min(k, int(near[0]) + 1)
    hit = np.nonzero(crosses)[0]
    if len(hit):
        k = min(k, int(hit[0]) + 1)
    return pts[:k]


def _nearest_node(net: Net, ids: Sequence[int], p: np.ndarray) -> int:
    arr = np.array([net.xy[i - 1] for i in ids])
    return ids[int(np.argmin(np.hypot(arr[:, 0] - p[0], arr[:, 1] - p[1])))]


def _road_tags(lon: float) -> dict[str, str]:
    if lon >= SECONDARY_WEST_END:
        return {
            "highway": "secondary",
            "name": "ĐT601",
            "ref": "ĐT601",
            "surface": "asphalt",
            "lanes": "2",
        }
    if lon >= TERTIARY_WEST_END:
        return {"highway": "tertiary", "name": "ĐT601", "ref": "ĐT601", "surface": "asphalt"}
    return {"highway": "unclassified", "name": "Đường Trường Định - Tà Lang", "surface": "concrete"}


def build_main_road(rng: np.random.Generator, net: Net, river: River) -> tuple[list[int], Net]:
    """The valley road (split into ways by class, bridges over side streams, speed limits)."""
    ctrl = np.array([to_xy(lo, la) for lo, la in ROAD])
    pts = curve(rng, ctrl, spacing=(30.0, 75.0), wiggle=18.0)
    ids = net.chain(pts)
    lons = [to_lonlat(*net.xy[i - 1])[0] for i in ids]
    # bridges over side streams: a two-node way whose middle the stream passes under
    n = len(ids)
    bridge_at = sorted({int(k) for k in (n * 0.18, n * 0.37, n * 0.58, n * 0.80)})
    # maxspeed on two stretches (most of the road has none, as in OSM)
    ward = np.array(to_xy(*WARD_CENTRE))
    maxspeed: dict[int, str] = {}
    for k, i in enumerate(ids):
        p = net.at(i)
        if np.hypot(*(p - ward)) < 1500:
            maxspeed[k] = "50"
        elif np.hypot(*(p - np.array(to_xy(108.045, 16.1255)))) < 600:
            maxspeed[k] = "40"

    def key(k: int) -> tuple[str, str, str]:
        t = _road_tags(lons[k])
        return (t["highway"], maxspeed.get(k, ""), "bridge" if k in bridge_at else "")

    start = 0
    for k in range(1, n):
        if k == n - 1 or key(k) != key(start) or (k - 1) in bridge_at or k in bridge_at:
            end = k
            tags = _road_tags(lons[start])
            if start in bridge_at:
                tags |= {"bridge": "yes", "layer": "1"}
                end = start + 1
            elif maxspeed.get(start):
                tags["maxspeed"] = maxspeed[start]
            net.way(ids[start : end + 1], tags)
            start = end
    # side streams flowing down to the river under the bridges
    streams = Net()
    for k in bridge_at:
        a, b = net.at(ids[k]), net.at(ids[k + 1])
        mid = (a + b) / 2
        up = river.away(mid)
        down = river.nearest(mid)
        top = mid + _rot(up, rng.uniform(-0.3, 0.3)) * rng.uniform(1200, 2000)
        s_pts = curve(
            rng,
            [top, (top + mid) / 2, mid, (mid + down) / 2, down],
            spacing=(40.0, 90.0),
            wiggle=25.0,
        )
        streams.ways.append(Way([streams.node(x, y) for x, y in s_pts], {"waterway": "stream"}))
    return ids, streams


def build_ql1a(rng: np.random.Generator, net: Net, road: list[int], river: River) -> None:
    """A stretch of the national road at the valley mouth, with a one-way slip road."""
    junction = road[0]
    j = net.at(junction)
    c = river.nearest(j + np.array((90.0, -900.0)))
    across = np.array((8.0, 40.0))
    bn, bs = c + across, c - across
    south_end = j + np.array((150.0, -2600.0))
    tags = {
        "highway": "trunk",
        "name": "Quốc lộ 1A",
        "ref": "QL1A",
        "surface": "asphalt",
        "lanes": "4",
        "maxspeed": "60",
    }
    s_ids = net.chain(
        curve(rng, [south_end, (south_end + bs) / 2 + (20, 0), bs], spacing=(40, 80), wiggle=8)
    )
    m_ids = net.chain(
        curve(rng, [bn, (bn + j) / 2 + (15, 0), j], spacing=(40, 80), wiggle=0), end=junction
    )
    net.way(s_ids, tags)
    net.way([s_ids[-1], m_ids[0]], tags | {"bridge": "yes", "layer": "1", "name": "Cầu Nam Ô"})
    net.way(m_ids, tags)
    north = curve(
        rng,
        [j, j + np.array((-40.0, 1300.0)), j + np.array((-120.0, 2400.0))],
        spacing=(40, 80),
        wiggle=8,
    )
    n_ids = net.chain(north, start=junction)
    net.way(n_ids, tags)
    # slip road: from the valley road (westbound traffic turning north) to QL1A, one-way
    a, b = road[3], n_ids[3]
    mid = (net.at(a) + net.at(b)) / 2 + (0, 60)
    net.way(
        net.chain(
            curve(rng, [net.at(a), mid, net.at(b)], spacing=(25, 40), wiggle=0), start=a, end=b
        ),
        {"highway": "secondary_link", "oneway": "yes", "surface": "asphalt"},
    )


def build_ward_streets(rng: np.random.Generator, net: Net, road: list[int], river: River) -> None:
    """A few town streets around the ward centre."""
    ward = np.array(to_xy(*WARD_CENTRE))
    near = [i for i in road if np.hypot(*(net.at(i) - ward)) < 900]
    for k, origin in enumerate(near[:: max(1, len(near) // 4)][:4]):
        p = net.at(origin)
        side = river.away(p) * (1 if k % 2 == 0 else -1)
        length = rng.uniform(250, 500)
        pts = curve(
            rng,
            [p, p + side * length / 2, p + _rot(side, 0.2) * length],
            spacing=(25, 50),
            wiggle=5,
        )
        pts = clip(river, pts, 60.0)
        if len(pts) >= 3:
            net.way(net.chain(pts, start=origin), {"highway": "residential", "surface": "asphalt"})


@dataclass
class HamletNet:
    """What was built for one hamlet."""

    hamlet: Hamlet
    centre: int
    road: list[int]  # main-road nodes near the centre
    lanes: list[int] = field(default_factory=list)  # nodes on lanes (for footpaths)
    tracks: list[int] = field(default_factory=list)  # nodes on tracks
    south: list[int] = field(default_factory=list)  # lane nodes across the river


def _crossing(
    rng: np.random.Generator,
    net: Net,
    river: River,
    origin: int,
    *,
    kind: str,
    hamlet: str,
    far: float,
) -> tuple[list[int], list[int]]:
    """A lane (bridge) or track (ford) from ``origin`` across the river.

    Returns the new nodes, and those of them beyond the river.
    """
    p = net.at(origin)
    c = river.nearest(p)
    t = _unit(np.array([-(p - c)[1], (p - c)[0]]))
    c = c + t * rng.uniform(-80, 80)
    c = river.nearest(c)
    toward = _unit(c - p)
    half = 35.0 if kind == "lane" else 22.0
    bn, bs = c - toward * half, c + toward * half
    a_pts = curve(rng, [p, (p + bn) / 2, bn], spacing=(25, 55), wiggle=6)
    a_ids = net.chain(a_pts, start=origin)
    end = bs + _rot(toward, rng.uniform(-0.5, 0.5)) * far
    b_pts = curve(
        rng, [bs, (bs + end) / 2 + t * rng.uniform(-60, 60), end], spacing=(25, 60), wiggle=12
    )
    b_pts = np.vstack([b_pts[:1], clip(river, b_pts[1:], 45.0)])
    b_ids = net.chain(b_pts)
    if kind == "lane":
        base = {"highway": "unclassified", "surface": "concrete"}
        net.way(a_ids, base, hamlet)
        net.way([a_ids[-1], b_ids[0]], base | {"bridge": "yes", "layer": "1"}, hamlet)
        net.way(b_ids, base, hamlet)
    else:
        base = {"highway": "track", "tracktype": "grade3", "surface": "gravel"}
        net.way(a_ids, base, hamlet)
        net.way([a_ids[-1], b_ids[0]], base | {"ford": "yes"}, hamlet)
        net.way(b_ids, base, hamlet)
    return a_ids[1:] + b_ids, b_ids


def build_hamlet(
    rng: np.random.Generator, net: Net, river: River, road: list[int], h: Hamlet
) -> HamletNet:
    """Lanes, tracks, crossings and a loop lane around one hamlet centre."""
    target = np.array(to_xy(h.lon, h.lat))
    centre = _nearest_node(net, road, target)
    net.node_tags[centre] = {"place": "hamlet", "name": h.name}
    k0 = road.index(centre)
    reach = 16 if h.mountain else 14
    near = road[max(0, k0 - reach) : k0 + reach + 1]
    hn = HamletNet(h, centre, near)
    origins = _origins(rng, hn)
    _build_lanes(rng, net, river, hn, origins)
    _build_tracks(rng, net, river, hn, origins)
    _build_crossings(rng, net, river, hn, origins)
    _build_loop_lane(rng, net, river, hn)
    return hn


def _origins(rng: np.random.Generator, hn: HamletNet) -> list[int]:
    """Road nodes to start the hamlet's ways from, spread along the road, not the centre."""
    h = hn.hamlet
    slots = [i for i in hn.road if i != hn.centre]
    picks = sorted(
        rng.choice(
            len(slots), size=min(len(slots), h.streets + h.tracks + h.crossings + 2), replace=False
        )
    )
    origins = [slots[int(i)] for i in picks]
    rng.shuffle(origins)
    return origins


def _build_lanes(
    rng: np.random.Generator, net: Net, river: River, hn: HamletNet, origins: list[int]
) -> None:
    """Concrete village lanes, mostly away from the river; some with side lanes."""
    for s in range(hn.hamlet.streets):
        _lane(rng, net, river, hn, origins.pop(), s)


def _lane(
    rng: np.random.Generator, net: Net, river: River, hn: HamletNet, origin: int, s: int
) -> None:
    """The ``s``-th lane from road node ``origin`` (every third one toward the river)."""
    p = net.at(origin)
    up = river.away(p)
    side = up if s % 3 != 2 else -up
    side = _rot(side, rng.uniform(-0.35, 0.35))
    length = rng.uniform(300, 750)
    if s % 3 == 2:  # toward the river: keep clear of the bank
        gap = float(np.hypot(*(p - river.nearest(p))))
        length = min(length, max(gap - 90.0, 0.0))
        if length < 120:
            side, length = up, rng.uniform(300, 600)
    bend = _rot(side, rng.uniform(-0.6, 0.6))
    half = p + side * length * 0.5
    pts = curve(rng, [p, half, half + bend * length * 0.5], spacing=(18, 45), wiggle=8)
    hw = (
        "residential"
        if rng.random() < 0.6
        else ("unclassified" if rng.random() < 0.7 else "service")
    )
    surface = "concrete" if rng.random() < 0.85 else "asphalt"
    pts = clip(river, pts, 60.0)
    if len(pts) < 3:
        return
    ids = net.chain(pts, start=origin)
    net.way(ids, {"highway": hw, "surface": surface}, hn.hamlet.name)
    hn.lanes += ids[1:]
    if len(ids) > 6 and rng.random() < 0.6:
        _side_lane(rng, net, river, hn, ids, p)


def _side_lane(
    rng: np.random.Generator,
    net: Net,
    river: River,
    hn: HamletNet,
    ids: list[int],
    p: np.ndarray,
) -> None:
    """A side lane off the lane ``ids`` that starts at ``p``."""
    o2 = ids[int(rng.integers(2, len(ids) - 2))]
    q = net.at(o2)
    d2 = _rot(_unit(net.at(ids[-1]) - p), rng.choice([-1.2, 1.2]))
    l2 = rng.uniform(150, 350)
    pts2 = clip(
        river,
        curve(rng, [q, q + d2 * l2 / 2, q + _rot(d2, 0.3) * l2], spacing=(20, 45), wiggle=5),
        60.0,
    )
    if len(pts2) < 3:
        return
    ids2 = net.chain(pts2, start=o2)
    net.way(
        ids2,
        {
            "highway": "service" if rng.random() < 0.5 else "residential",
            "surface": "concrete",
        },
        hn.hamlet.name,
    )
    hn.lanes += ids2[1:]


def _build_tracks(
    rng: np.random.Generator, net: Net, river: River, hn: HamletNet, origins: list[int]
) -> None:
    """Tracks up the side valleys (zig-zagging), some with forest branches."""
    for _ in range(hn.hamlet.tracks):
        origin = origins.pop() if origins else hn.lanes[int(rng.integers(len(hn.lanes)))]
        _track(rng, net, river, hn, origin)


def _track(rng: np.random.Generator, net: Net, river: River, hn: HamletNet, origin: int) -> None:
    """One zig-zag track up the slope from ``origin``, with its branches."""
    h = hn.hamlet
    p = net.at(origin)
    up = river.away(p)
    length = rng.uniform(1800, 3000) if h.mountain else rng.uniform(1200, 2400)
    ang = rng.uniform(0.5, 0.9) * rng.choice([-1.0, 1.0])
    ctrl = [p]
    q = p.copy()
    n_legs = int(length // 450) + 1
    for leg in range(n_legs):
        heading = _rot(up, ang if leg % 2 == 0 else -ang * rng.uniform(0.3, 0.8))
        q = q + heading * (length / n_legs)
        ctrl.append(q)
    pts = curve(rng, ctrl, spacing=(20, 60), wiggle=20)
    tags = {
        "highway": "track",
        "tracktype": str(rng.choice(["grade3", "grade4", "grade4"])),
        "surface": str(rng.choice(["dirt", "dirt", "gravel", "ground"])),
    }
    pts = clip(river, pts, 60.0)
    if len(pts) < 3:
        return
    ids = net.chain(pts, start=origin)
    net.way(ids, tags, h.name)
    hn.tracks += ids[1:]
    _track_branches(rng, net, river, hn, ids)


def _track_branches(
    rng: np.random.Generator, net: Net, river: River, hn: HamletNet, ids: list[int]
) -> None:
    """One or two forest branches off the track ``ids`` (none if it is short)."""
    for _branch in range(int(rng.integers(1, 3))):
        if len(ids) <= 10:
            break
        o2 = ids[int(rng.integers(len(ids) // 4, len(ids) - 3))]
        q = net.at(o2)
        d2 = _rot(river.away(q), rng.uniform(-1.3, 1.3))
        l2 = rng.uniform(400, 1100)
        pts2 = clip(
            river,
            curve(rng, [q, q + d2 * l2 / 2, q + _rot(d2, 0.4) * l2], spacing=(20, 60), wiggle=15),
            60.0,
        )
        if len(pts2) < 3:
            continue
        ids2 = net.chain(pts2, start=o2)
        net.way(
            ids2, {"highway": "track", "tracktype": "grade4", "surface": "ground"}, hn.hamlet.name
        )
        hn.tracks += ids2[1:]


def _build_crossings(
    rng: np.random.Generator, net: Net, river: River, hn: HamletNet, origins: list[int]
) -> None:
    """River crossings: lanes on bridges in the valley, tracks through fords in the mountains."""
    h = hn.hamlet
    for c in range(h.crossings):
        origin = origins.pop() if origins else hn.centre
        kind = "ford" if (h.mountain or c == 1) else "lane"
        new, beyond = _crossing(
            rng, net, river, origin, kind=kind, hamlet=h.name, far=rng.uniform(300, 800)
        )
        (hn.tracks if kind == "ford" else hn.lanes).extend(new)
        if kind == "lane":
            hn.south.extend(beyond)


def _build_loop_lane(rng: np.random.Generator, net: Net, river: River, hn: HamletNet) -> None:
    """A loop lane parallel to the road, rejoining it (none if it would reach the river)."""
    near = hn.road
    if len(near) <= 10:
        return
    a, b = near[2], near[-3]
    pa, pb = net.at(a), net.at(b)
    mid = (pa + pb) / 2 + river.away((pa + pb) / 2) * rng.uniform(120, 220)
    pts = curve(rng, [pa, mid, pb], spacing=(20, 55), wiggle=10)
    if len(clip(river, pts, 50.0)) < len(pts):
        return
    ids = net.chain(pts, start=a, end=b)
    net.way(ids, {"highway": "residential", "surface": "concrete"}, hn.hamlet.name)
    hn.lanes += ids[1:-1]


def build_market_loop(rng: np.random.Generator, net: Net, hn: HamletNet, river: River) -> None:
    """A short one-way service loop by the commune centre (the market)."""
    k = hn.road.index(hn.centre)
    a, b = hn.road[k + 2], hn.road[k + 5]
    pa, pb = net.at(a), net.at(b)
    out = river.away((pa + pb) / 2)
    ids = net.chain(
        curve(rng, [pa, pa + out * 70, pb + out * 70, pb], spacing=(20, 35), wiggle=0),
        start=a,
        end=b,
    )
    net.way(
        ids,
        {
            "highway": "service",
            "oneway": "yes",
            "surface": "concrete",
            "name": "Đường vào chợ Hòa Bắc",
        },
        hn.hamlet.name,
    )


def build_south_bank(
    rng: np.random.Generator, net: Net, river: River, hns: list[HamletNet]
) -> None:
    """An old concrete road along the far bank joining neighbouring hamlets' bridges."""
    for a_hn, b_hn in itertools.pairwise(hns):
        if not a_hn.south or not b_hn.south:
            continue
        a = a_hn.south[len(a_hn.south) // 2]
        b = b_hn.south[len(b_hn.south) // 2]
        pa, pb = net.at(a), net.at(b)
        ctrl = [pa]
        for f in (0.25, 0.5, 0.75):
            m = pa + (pb - pa) * f
            q = river.nearest(m)
            ctrl.append(q + river.away(pa) * rng.uniform(200, 300))
        ctrl.append(pb)
        pts = curve(rng, ctrl, spacing=(25, 60), wiggle=15)
        if len(clip(river, pts, 60.0)) < len(pts):
            continue
        ids = net.chain(pts, start=a, end=b)
        net.way(ids, {"highway": "unclassified", "surface": "concrete"}, b_hn.hamlet.name)
        b_hn.lanes += ids[1:-1]


def build_ridge_paths(
    rng: np.random.Generator, net: Net, river: River, hns: list[HamletNet]
) -> None:
    """Hill paths joining track ends of neighbouring side valleys (loops in the hills)."""
    for hn in hns:
        ends = hn.tracks
        if len(ends) < 20:
            continue
        for _ in range(2 if hn.hamlet.mountain else 1):
            a = ends[int(rng.integers(len(ends) // 2, len(ends)))]
            pa = net.at(a)
            cand = [i for i in ends if 300 < np.hypot(*(net.at(i) - pa)) < 1100]
            if not cand:
                continue
            b = cand[int(rng.integers(len(cand)))]
            pb = net.at(b)
            mid = (pa + pb) / 2 + _rot(_unit(pb - pa), math.pi / 2) * rng.uniform(-100, 100)
            pts = curve(rng, [pa, mid, pb], spacing=(20, 45), wiggle=15)
            if len(clip(river, pts, 50.0)) < len(pts):
                continue
            ids = net.chain(pts, start=a, end=b)
            net.way(ids, {"highway": "path", "surface": "ground"}, hn.hamlet.name)


# --- households ------------------------------------------------------------------------


@dataclass
class Site:
    """Where a household (or a volunteer) lives."""

    hamlet: str
    x: float
    y: float
    kind: str  # road | footpath | far


def _segments(
    net: Net, centre: np.ndarray, radius: float, decay: float
) -> tuple[np.ndarray, np.ndarray]:
    """Way segments near ``centre`` and how likely a house is beside each."""
    weights = {
        "secondary": 2.5,
        "tertiary": 3.0,
        "unclassified": 3.0,
        "residential": 4.0,
        "service": 3.0,
        "track": 0.9,
        "path": 0.2,
    }
    xy = np.asarray(net.xy)
    parts, ws = [], []
    for w in net.ways:
        hw = w.tags.get("highway", "")
        if hw not in weights or "bridge" in w.tags or "ford" in w.tags:
            continue
        p = xy[np.asarray(w.nodes) - 1]
        parts.append(np.hstack([p[:-1], p[1:]]))
        ws.append(np.full(len(p) - 1, weights[hw]))
    segs, w_class = np.vstack(parts), np.concatenate(ws)
    mid = (segs[:, :2] + segs[:, 2:]) / 2
    dist = np.hypot(mid[:, 0] - centre[0], mid[:, 1] - centre[1])
    length = np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1])
    keep = dist <= radius
    return segs[keep], (w_class * length * np.exp(-dist / decay))[keep]


def _seg_dist(q: np.ndarray, segs: np.ndarray) -> float:
    """Distance (m) from ``q`` to the nearest of the segments (rows x1, y1, x2, y2)."""
    a, b = segs[:, :2], segs[:, 2:]
    ab = b - a
    t = np.clip(((q - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-9), 0, 1)
    c = a + ab * t[:, None]
    return float(np.min(np.hypot(c[:, 0] - q[0], c[:, 1] - q[1])))


@dataclass(frozen=True)
class SitePlan:
    """How many sites each hamlet gets and how they are spread (see :func:`place_sites`)."""

    count: dict[str, int]  # sites per hamlet name
    footpath_share: float  # share of a hamlet's sites at the end of new footpaths
    far: int  # sites far from any way in a mountain hamlet (a quarter of it elsewhere)
    offset: tuple[float, float]  # range (m) of a roadside site's distance from its way
    build_paths: bool  # whether to build footpaths at all


@dataclass
class _Plot:
    """The sites placed so far, and who owns a point (the hamlet with the nearest centre)."""

    river: River
    names: list[str]
    centres: np.ndarray  # rows x, y in the order of ``names``
    sites: list[Site] = field(default_factory=list)
    taken: list[tuple[float, float]] = field(default_factory=list)
    steps_done: bool = False  # the one flight of steps is built

    def owner_of(self, p: np.ndarray) -> str:
        carr = self.centres
        return self.names[int(np.argmin(np.hypot(carr[:, 0] - p[0], carr[:, 1] - p[1])))]

    def free(self, p: np.ndarray, gap: float) -> bool:
        """Clear of the river and at least ``gap`` from every site placed so far."""
        if float(self.river.line.distance(shapely.Point(p))) < 45:
            return False
        if not self.taken:
            return True
        t = np.asarray(self.taken)
        return bool(np.min(np.hypot(t[:, 0] - p[0], t[:, 1] - p[1])) >= gap)

    def add(self, hamlet: str, q: np.ndarray, kind: str) -> None:
        self.sites.append(Site(hamlet, float(q[0]), float(q[1]), kind))
        self.taken.append((float(q[0]), float(q[1])))


def _spread(h: Hamlet) -> tuple[float, float]:
    """How far (m) a hamlet's sites reach from its centre, and how fast they thin out."""
    radius = 3200.0 if h.mountain else 1600.0
    decay = 1500.0 if h.mountain else 700.0
    return radius, decay


def place_sites(
    rng: np.random.Generator, net: Net, river: River, hns: list[HamletNet], plan: SitePlan
) -> list[Site]:
    """Sites along the ways of each hamlet, some at the end of new footpaths up the slope."""
    centres = {hn.hamlet.name: net.at(hn.centre) for hn in hns}
    names = list(centres)
    plot = _Plot(river, names, np.array([centres[n] for n in names]))
    for hn in hns:
        n = plan.count.get(hn.hamlet.name, 0)
        if n == 0:
            continue
        n_foot = round(n * plan.footpath_share) if plan.build_paths else 0
        _place_footpaths(rng, net, plot, hn, n_foot)
        _place_along_ways(rng, net, plot, hn, n - n_foot, plan)
    return plot.sites


def _place_footpaths(
    rng: np.random.Generator, net: Net, plot: _Plot, hn: HamletNet, n_foot: int
) -> None:
    """``n_foot`` sites in footpath groups: a path up the slope with 1-3 houses at its end."""
    h = hn.hamlet
    placed_foot = 0
    starts = hn.lanes + hn.tracks + hn.road
    while placed_foot < n_foot:
        built = _footpath(rng, net, plot, hn, starts)
        if built is None:
            continue
        end, up = built
        group = min(int(rng.choice([1, 1, 2, 2, 3])), n_foot - placed_foot)
        for _ in range(group):
            for _try in range(30):
                q = end + _rot(up, rng.uniform(-1.2, 1.2)) * rng.uniform(8, 25)
                if plot.free(q, 10):
                    break
            plot.add(h.name, q, "footpath")
            placed_foot += 1


def _footpath(
    rng: np.random.Generator, net: Net, plot: _Plot, hn: HamletNet, starts: list[int]
) -> tuple[np.ndarray, np.ndarray] | None:
    """A footpath up the slope from one of ``starts``: its end and heading, or None if not."""
    h = hn.hamlet
    centre = net.at(hn.centre)
    radius, _ = _spread(h)
    o = starts[int(rng.integers(len(starts)))]
    p = net.at(o)
    if plot.owner_of(p) != h.name or np.hypot(*(p - centre)) > radius:
        return None
    up = _rot(plot.river.away(p), rng.uniform(-0.9, 0.9))
    length = rng.uniform(100, 200)
    tip = p + _rot(up, rng.uniform(-0.4, 0.4)) * length
    pts = curve(rng, [p, p + up * length / 2, tip], spacing=(18, 40), wiggle=6)
    pts = clip(plot.river, pts, 60.0)
    end = pts[-1]
    if len(pts) < 4 or not plot.free(end, 25):
        return None
    ids = net.chain(pts, start=o)
    village = np.hypot(*(p - centre)) < 700 and not h.mountain
    hw = "footway" if village else "path"
    tags = {"highway": hw, "surface": "concrete" if village else "dirt"}
    if not plot.steps_done and h.name == "Nam Yên" and len(ids) >= 5:
        net.way(ids[:2], tags, h.name)
        net.way(ids[1:3], {"highway": "steps", "step_count": "36"}, h.name)
        net.way(ids[2:], tags, h.name)
        plot.steps_done = True
    else:
        if rng.random() < 0.02:
            net.node_tags[ids[len(ids) // 2]] = {"ford": "yes"}
        net.way(ids, tags, h.name)
    return end, up


def _place_along_ways(
    rng: np.random.Generator, net: Net, plot: _Plot, hn: HamletNet, n: int, plan: SitePlan
) -> None:
    """``n`` sites beside the hamlet's roads, lanes and tracks (the first few far from them)."""
    h = hn.hamlet
    segs, ws = _segments(net, net.at(hn.centre), *_spread(h))
    keep = np.array([plot.owner_of((s[:2] + s[2:]) / 2) == h.name for s in segs])
    segs, ws = segs[keep], ws[keep]
    prob = ws / ws.sum()
    n_far = plan.far if h.mountain else plan.far // 4
    offset = plan.offset
    placed = 0
    while placed < n:
        s = segs[int(rng.choice(len(segs), p=prob))]
        a, b = s[:2], s[2:]
        t = rng.random()
        base = a + (b - a) * t
        normal = _rot(_unit(b - a), math.pi / 2) * rng.choice([-1.0, 1.0])
        is_far = placed < n_far
        dist = (
            rng.uniform(140, 220)
            if is_far
            else offset[0] + (offset[1] - offset[0]) * rng.beta(1.6, 3.0)
        )
        q = base + normal * dist
        if not plot.free(q, 14 if not is_far else 60):
            continue
        if is_far and not 100 <= _seg_dist(q, segs) <= 230:
            continue
        plot.add(h.name, q, "far" if is_far else "road")
        placed += 1


def _weighted(rng: np.random.Generator, items: Sequence[tuple[str, int]]) -> str:
    w = np.array([c for _, c in items], dtype=float)
    return items[int(rng.choice(len(items), p=w / w.sum()))][0]


def person_name(rng: np.random.Generator, *, co_tu: bool, female: bool) -> str:
    if co_tu:
        fam = _weighted(rng, CO_TU_FAMILY)
        given = CO_TU_GIVEN_F if female else CO_TU_GIVEN_M
        return f"{fam} {given[int(rng.integers(len(given)))]}"
    fam = _weighted(rng, KINH_FAMILY)
    mid = KINH_MIDDLE_F if female else KINH_MIDDLE_M
    given = KINH_GIVEN_F if female else KINH_GIVEN_M
    return f"{fam} {mid[int(rng.integers(len(mid)))]} {given[int(rng.integers(len(given)))]}"


def phone(rng: np.random.Generator) -> str:
    prefix = PHONE_PREFIXES[int(rng.integers(len(PHONE_PREFIXES)))]
    return prefix + "".join(str(int(d)) for d in rng.integers(0, 10, 7))


def services_for(rng: np.random.Generator, *, elderly: bool) -> list[str]:
    weights = {
        "vneid": 30,
        "health_insurance": 18,
        "sim": 12,
        "residence": 10,
        "pension": 30 if elderly else 2,
        "social_insurance": 8,
        "tax": 5,
        "birth_registration": 1 if elderly else 9,
        "digital_signature": 3,
    }
    k = int(rng.choice([1, 2, 3], p=[0.62, 0.30, 0.08]))
    codes = [c for c in SERVICES]
    w = np.array([weights[c] for c in codes], dtype=float)
    picked = rng.choice(len(codes), size=k, replace=False, p=w / w.sum())
    return [codes[int(i)] for i in picked]


def _fmt(v: float) -> str:
    return f"{v:.6f}"


def make_households(
    rng: np.random.Generator, net: Net, river: River, sites: list[Site], hns: list[HamletNet]
) -> list[dict[str, str]]:
    hamlets = {hn.hamlet.name: hn.hamlet for hn in hns}
    centres = {hn.hamlet.name: net.at(hn.centre) for hn in hns}
    order = {h.name: i for i, h in enumerate(reversed(HAMLETS))}  # register lists east first
    sites = sorted(sites, key=lambda s: (order[s.hamlet], -s.x, s.y))
    ele = river.elevation(np.array([(s.x, s.y) for s in sites]))
    no_gps = set(rng.choice(len(sites), size=5, replace=False).tolist())
    rows = []
    for i, (s, e) in enumerate(zip(sites, ele, strict=True)):
        h = hamlets[s.hamlet]
        co_tu = rng.random() < h.co_tu
        elderly = rng.random() < (0.31 if h.mountain else 0.27)
        female = rng.random() < (0.40 if elderly else 0.22)
        disability = rng.random() < 0.035
        far_from_centre = float(np.hypot(*(np.array([s.x, s.y]) - centres[s.hamlet])))
        remote = (
            (h.mountain and (far_from_centre > 1300 or e > 400))
            or s.kind == "far"
            or (not h.mountain and far_from_centre > 1500)
        )
        services = services_for(rng, elderly=elderly)
        availability = _weighted(rng, HOUSEHOLD_WINDOWS) if rng.random() < 0.16 else ""
        note = ""
        if co_tu and rng.random() < 0.08:
            note = NOTES_CO_TU[int(rng.integers(len(NOTES_CO_TU)))]
        elif s.kind != "road" and rng.random() < 0.15:
            note = NOTES_SLOPE[int(rng.integers(len(NOTES_SLOPE)))]
        elif rng.random() < 0.03:
            note = NOTES_ANY[int(rng.integers(len(NOTES_ANY)))]
        has_phone = rng.random() < (0.72 if elderly else 0.9)
        lon, lat = to_lonlat(s.x, s.y)
        rows.append(
            {
                "household_id": f"HB-{i + 1:04d}",
                "head_name": person_name(rng, co_tu=co_tu, female=female),
                "village": s.hamlet,
                "latitude": "" if i in no_gps else _fmt(lat),
                "longitude": "" if i in no_gps else _fmt(lon),
                "phone": phone(rng) if has_phone else "",
                "services": ";".join(services),
                "elderly": str(int(elderly)),
                "disability": str(int(disability)),
                "remote": str(int(remote)),
                "language": "Cơ Tu" if co_tu else "",
                "availability": availability,
                "notes": note,
            }
        )
    return rows


# --- volunteers ------------------------------------------------------------------------

WEEKEND_BLOCKS = (
    ("Sat", "07:30-11:30", 4.0),
    ("Sat", "13:30-17:00", 3.5),
    ("Sun", "07:30-11:30", 4.0),
    ("Sun", "13:30-17:00", 3.5),
)
EVENINGS = (
    ("Mon", "17:00-19:30", 2.5),
    ("Tue", "17:30-20:00", 2.5),
    ("Wed", "17:00-19:30", 2.5),
    ("Thu", "17:00-19:30", 2.5),
    ("Fri", "17:30-20:00", 2.5),
)
MORNINGS = (("Tue", "07:30-11:00", 3.5), ("Thu", "07:30-11:00", 3.5))
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def availability(rng: np.random.Generator) -> tuple[str, float]:
    """A weekly availability string of 8-14 hours (e.g. weekends plus an evening)."""
    while True:
        blocks = [b for b in WEEKEND_BLOCKS if rng.random() < 0.8]
        blocks += [
            EVENINGS[int(i)] for i in rng.choice(5, size=int(rng.integers(0, 4)), replace=False)
        ]
        if rng.random() < 0.15:
            blocks.append(MORNINGS[int(rng.integers(2))])
        hours = sum(b[2] for b in blocks)
        if 9.5 <= hours <= 14.0 or (8.0 <= hours < 9.5 and rng.random() < 0.25):
            break
    by_day: dict[str, list[str]] = {}
    for day, span, _ in sorted(blocks, key=lambda b: (DAYS.index(b[0]), b[1])):
        by_day.setdefault(day, []).append(span)
    return "; ".join(f"{d} {','.join(spans)}" for d, spans in by_day.items()), hours


def make_volunteers(rng: np.random.Generator, sites: list[Site]) -> list[dict[str, str]]:
    hamlets = {h.name: h for h in HAMLETS}
    order = rng.permutation(len(sites))
    sites = [sites[int(i)] for i in order]
    mountain = [i for i, s in enumerate(sites) if hamlets[s.hamlet].mountain]
    middle = [i for i, s in enumerate(sites) if s.hamlet in ("Trường Định", "Phò Nam")]
    east = [i for i in range(len(sites)) if i not in mountain and i not in middle]
    walking = {int(i) for i in rng.choice(mountain, size=3, replace=False)}
    walking |= {int(i) for i in rng.choice(middle, size=2, replace=False)}
    walking |= {int(i) for i in rng.choice(east, size=5, replace=False)}
    skilled = set(rng.choice(east, size=9, replace=False).tolist()) | {middle[-1]}
    rows = []
    for i, s in enumerate(sites):
        co_tu = i in mountain
        avail, _ = availability(rng)
        lon, lat = to_lonlat(s.x, s.y)
        rows.append(
            {
                "volunteer_id": f"TN-{i + 1:02d}",
                "name": person_name(rng, co_tu=co_tu, female=rng.random() < 0.45),
                "phone": phone(rng),
                "latitude": _fmt(lat),
                "longitude": _fmt(lon),
                "capacity": "20",
                "availability": avail,
                "mode": "walking" if i in walking else "motorbike",
                "skills": "digital_signature" if i in skilled else "",
                "languages": "co_tu" if co_tu else "",
            }
        )
    return rows


# --- writing ---------------------------------------------------------------------------


def osm_xml(
    net: Net, river: River, extra: list[Net], pois: list[tuple[np.ndarray, dict[str, str]]]
) -> str:
    """The OSM XML text: bounds, nodes (with ``ele``), highway ways, water, POIs."""
    # waterways and POIs get their own nodes after the road nodes
    ways: list[Way] = list(net.ways)
    river_pts = curve(np.random.default_rng(0), river.xy, spacing=(60, 120), wiggle=0)
    r_ids = [net.node(x, y) for x, y in river_pts]
    ways.append(Way(r_ids, {"waterway": "river", "name": "Sông Cu Đê"}))
    for other in extra:
        for k, w in enumerate(other.ways):
            ids = [net.node(*other.xy[i - 1]) for i in w.nodes]
            name = f"Suối {('Mơ', 'Lung', 'Bàu', 'Tre')[k % 4]}"
            ways.append(Way(ids, dict(w.tags) | {"name": name}))
    for p, tags in pois:
        net.node(p[0], p[1], tags)
    xy = np.asarray(net.xy)
    ele = river.elevation(xy)
    lines = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<osm version="0.6" generator="routeplan data/make_demo.py (synthetic)">',
        f'  <bounds minlat="{MIN_LAT:.7f}" minlon="{MIN_LON:.7f}" '
        f'maxlat="{MAX_LAT:.7f}" maxlon="{MAX_LON:.7f}"/>',
    ]
    attrs = f'version="1" timestamp="{TIMESTAMP}"'
    for nid in range(1, len(net.xy) + 1):
        x, y = net.xy[nid - 1]
        lon, lat = to_lonlat(x, y)
        if not (MIN_LAT < lat < MAX_LAT and MIN_LON < lon < MAX_LON):
            raise AssertionError(f"node {nid} at {lat:.5f},{lon:.5f} is outside the bounds")
        tags = {"ele": f"{ele[nid - 1]:.0f}"} | net.node_tags.get(nid, {})
        lines.append(f'  <node id="{nid}" {attrs} lat="{lat:.7f}" lon="{lon:.7f}">')
        lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in sorted(tags.items())]
        lines.append("  </node>")
    for wid, w in enumerate(ways, start=1):
        lines.append(f'  <way id="{wid}" {attrs}>')
        lines += [f'    <nd ref="{n}"/>' for n in w.nodes]
        lines += [
            f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in sorted(w.tags.items())
        ]
        lines.append("  </way>")
    lines.append("</osm>")
    return "\n".join(lines) + "\n"


def csv_text(columns: Sequence[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _write(path: Path, text: str, encoding: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(text.encode(encoding))
    tmp.replace(path)


def _check(net: Net, river: River) -> None:
    """Fail loudly if the generator made something a planner would trip over."""
    for w in net.ways:
        if "bridge" in w.tags or "ford" in w.tags:
            continue
        line = LineString([net.xy[i - 1] for i in w.nodes])
        if line.intersects(river.line):
            raise AssertionError(f"way {w.tags} crosses the river without a bridge or ford")
    # one connected network (undirected): union-find over the ways
    parent = list(range(len(net.xy) + 1))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    used: set[int] = set()
    for w in net.ways:
        used.update(w.nodes)
        for a, b in zip(w.nodes, w.nodes[1:], strict=False):
            parent[find(a)] = find(b)
    roots = {find(n) for n in used}
    if len(roots) != 1:
        raise AssertionError(f"the network falls into {len(roots)} pieces")


def generate(out_dir: Path = OUT_DIR, *, seed: int = SEED) -> dict[str, Path]:
    """Make the demo commune's four files in ``out_dir``; return their paths by key."""
    rng = np.random.default_rng(seed)
    river = River()
    net = Net()
    road, streams = build_main_road(rng, net, river)
    build_ql1a(rng, net, road, river)
    build_ward_streets(rng, net, road, river)
    hns = [build_hamlet(rng, net, river, road, h) for h in HAMLETS]
    build_market_loop(rng, net, next(hn for hn in hns if hn.hamlet.name == "Nam Yên"), river)
    build_south_bank(rng, net, river, hns)
    build_ridge_paths(rng, net, river, hns)
    house_plan = SitePlan(
        {h.name: h.households for h in HAMLETS},
        footpath_share=0.18,
        far=4,
        offset=(10.0, 60.0),
        build_paths=True,
    )
    home_plan = SitePlan(
        {h.name: h.volunteers for h in HAMLETS},
        footpath_share=0.0,
        far=0,
        offset=(10.0, 40.0),
        build_paths=False,
    )
    houses = place_sites(rng, net, river, hns, house_plan)
    homes = place_sites(rng, net, river, hns, home_plan)
    _check(net, river)
    households = make_households(rng, net, river, houses, hns)
    volunteers = make_volunteers(rng, homes)
    # the town halls, beside the road
    nam_yen = next(hn for hn in hns if hn.hamlet.name == "Nam Yên")
    k = nam_yen.road.index(nam_yen.centre)
    ubnd_road = net.at(nam_yen.road[k + 4])
    ubnd = ubnd_road + river.away(ubnd_road) * 35
    ward_road = net.at(_nearest_node(net, road, np.array(to_xy(*WARD_CENTRE))))
    ward = ward_road + river.away(ward_road) * 40
    ubnd_name = "Ủy ban nhân dân xã Hòa Bắc"
    ward_name = "Trung tâm phục vụ hành chính công phường Hải Vân"
    pois = [
        (ubnd, {"amenity": "townhall", "townhall:type": "commune", "name": ubnd_name}),
        (ward, {"amenity": "townhall", "townhall:type": "ward", "name": ward_name}),
        (ward + np.array((60.0, 40.0)), {"place": "village", "name": "Hải Vân"}),
    ]
    points = []
    for pid, name, p in (("SP-01", ubnd_name + " (cũ)", ubnd), ("SP-02", ward_name, ward)):
        lon, lat = to_lonlat(*p)
        points.append(
            {"point_id": pid, "name": name, "latitude": _fmt(lat), "longitude": _fmt(lon)}
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "network": out_dir / "hoabac.osm",
        "households": out_dir / "households.csv",
        "volunteers": out_dir / "volunteers.csv",
        "service_points": out_dir / "service_points.csv",
    }
    _write(paths["network"], osm_xml(net, river, [streams], pois), "utf-8")
    _write(paths["households"], csv_text(HOUSEHOLD_COLUMNS, households), "utf-8-sig")
    _write(paths["volunteers"], csv_text(VOLUNTEER_COLUMNS, volunteers), "utf-8-sig")
    _write(paths["service_points"], csv_text(SERVICE_POINT_COLUMNS, points), "utf-8-sig")
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=OUT_DIR, help=f"output folder (default: {OUT_DIR})"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (default: %(default)s)")
    args = parser.parse_args(argv)
    paths = generate(args.out, seed=args.seed)
    for key, path in paths.items():
        print(f"{key:15s} {path}  ({path.stat().st_size / 1024:,.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
