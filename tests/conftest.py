"""Shared fixtures. Expensive ones (the demo network and matrix) are session-scoped."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO = ROOT / "data" / "demo"
SHARED = ROOT.parent / "shared"
ANDORRA = SHARED / "data" / "andorra"


def needs_shared(*parts: str) -> Path:
    """Return ``../shared/<parts>``, skipping the test with a reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the real-data tests need ../shared beside the repo")
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def andorra_pbf() -> Path:
    return needs_shared("data", "andorra", "andorra.osm.pbf")


@pytest.fixture(scope="session")
def andorra_dem() -> Path:
    return needs_shared("data", "andorra", "N42E001.hgt.zip")


# --- a small hand-made plan for the output writers (sheets, export) ------------------


class _StubMatrix:
    """A stand-in TravelMatrix: ids, index, mode and paths along a toy road graph."""

    def __init__(self, graph, points, mode):  # type: ignore[no-untyped-def]
        import networkx as nx

        self.graph, self.mode, self.ids = graph, mode, tuple(points)
        self._xy = dict(points)
        self._pos = {p: k for k, p in enumerate(self.ids)}
        self._node = {
            p: min(
                graph.nodes,
                key=lambda n: (graph.nodes[n]["x"] - x) ** 2 + (graph.nodes[n]["y"] - y) ** 2,
            )
            for p, (x, y) in points.items()
        }
        self._nx = nx

    def index(self, point_id):  # type: ignore[no-untyped-def]
        return self._pos[point_id]

    def path(self, i, j):  # type: ignore[no-untyped-def]
        a, b = self.ids[i], self.ids[j]
        try:
            nodes = self._nx.shortest_path(
                self.graph, self._node[a], self._node[b], weight="length"
            )
        except self._nx.NetworkXNoPath:
            return []
        pts = [
            self._xy[a],
            *((self.graph.nodes[n]["x"], self.graph.nodes[n]["y"]) for n in nodes),
            self._xy[b],
        ]
        return [p for k, p in enumerate(pts) if k == 0 or p != pts[k - 1]]


@pytest.fixture(scope="session")
def small_plan():  # type: ignore[no-untyped-def]
    """Three volunteers (one without a round), 13 households, rounds on two days each.

    Returns a namespace with ``plan``, ``households``, ``volunteers``,
    ``service_points``, ``matrices`` (mode -> stand-in matrix) and ``network``.
    """
    import datetime as dt
    import types

    import geopandas as gpd
    import networkx as nx
    from shapely.geometry import LineString, Point

    from routeplan.planner import Plan, Route, Stop, Unassigned

    lon0, lat0, step = 108.03, 16.12, 0.0025
    g = nx.MultiDiGraph(crs="epsg:4326")
    for i in range(8):
        for j in range(8):
            g.add_node(i * 10 + j, x=lon0 + i * step, y=lat0 + j * step + 0.0003 * (i % 2))
    for i in range(8):
        for j in range(8):
            for a, b, hw in (
                (i * 10 + j, (i + 1) * 10 + j, "residential" if j % 4 else "tertiary"),
                (i * 10 + j, i * 10 + j + 1, "path" if i % 2 else "track"),
            ):
                if b not in g.nodes or (hw == "residential" and j % 2):
                    continue
                pa, pb = (g.nodes[a]["x"], g.nodes[a]["y"]), (g.nodes[b]["x"], g.nodes[b]["y"])
                length = LineString([pa, pb]).length * 111_000
                for u, v, geom in ((a, b, [pa, pb]), (b, a, [pb, pa])):
                    g.add_edge(
                        u,
                        v,
                        osmid=u * 100 + v,
                        highway=hw,
                        length=length,
                        geometry=LineString(geom),
                        walk_s=length / 1.2,
                        ride_s=length / 6,
                    )

    names = [
        "Nguyễn Thị Ánh",
        "Bh'riu Thị Hoa",
        '=HYPERLINK("http://evil.example","x")',
        "<b>x</b> & Co",
        "Alăng Văn Bốn",
        "Trần Văn Đức",
        "Hồ Thị Lệ Thủy Nguyễn Ngọc Phương Trinh",
        "Phạm Quốc Việt",
        "Coor Thị Mười",
        "Lê Thị Ửng",
        "-5",
        "@Zơrâm Tiến",
        "Y Bhăm",
    ]
    services = [
        ("vneid",),
        ("pension", "health_insurance"),
        ("digital_signature",),
        ("sim", "vneid", "residence"),
    ]
    villages = ["Tà Lang", "Giàn Bí", "Nam Yên", "Phò Nam"]
    rows = []
    for k, name in enumerate(names):
        rows.append(
            {
                "household_id": f"HB-{k + 1:04d}",
                "head_name": name,
                "village": villages[k % 4],
                "phone": "+84 905 123 456" if k % 3 == 0 else f"09050000{k:02d}",
                "services": services[k % 4],
                "elderly": k % 2 == 0,
                "disability": False,
                "remote": False,
                "language": "co_tu" if k == 1 else "",
                "priority": k % 2 == 0,
                "windows": (),
                "availability": "",
                "location_quality": "gps",
                "notes": "Chó dữ, gọi trước khi đến" if k == 1 else "",
                "source_row": f"row {k + 2}",
                "geometry": Point(
                    lon0 + 0.0012 + 0.0021 * (k % 8), lat0 + 0.003 + 0.0047 * (k // 3)
                ),
            }
        )
    rows[3]["geometry"] = rows[2]["geometry"]  # placed at the same spot (village centre)
    households = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    volunteers = gpd.GeoDataFrame(
        [
            {
                "volunteer_id": "TN-01",
                "name": "Nguyễn Văn An",
                "phone": "0905111222",
                "mode": "motorbike",
                "geometry": Point(lon0 + 0.002, lat0 + 0.002),
            },
            {
                "volunteer_id": "TN-02",
                "name": "A Lăng Thị Hiền",
                "phone": "0905333444",
                "mode": "walking",
                "geometry": Point(lon0 + 0.016, lat0 + 0.015),
            },
            {
                "volunteer_id": "TN-03",
                "name": "Đoàn Văn Rảnh",
                "phone": "",
                "mode": "walking",
                "geometry": Point(lon0 + 0.01, lat0 + 0.01),
            },
        ],
        crs="EPSG:4326",
    )
    service_points = gpd.GeoDataFrame(
        [{"point_id": "SP-01", "name": "UBND xã Hòa Bắc", "geometry": Point(lon0 + 0.01, lat0)}],
        crs="EPSG:4326",
    )
    points = {r.household_id: (r.geometry.x, r.geometry.y) for r in households.itertuples()}
    points |= {
        f"home:{r.volunteer_id}": (r.geometry.x, r.geometry.y) for r in volunteers.itertuples()
    }
    matrices = {m: _StubMatrix(g, points, m) for m in ("walking", "motorbike")}

    def route(vid, day, hids, mode, start=7 * 3600 + 1800):  # type: ignore[no-untyped-def]
        t, stops = start, []
        for order, hid in enumerate(hids, 1):
            t += 600
            stops.append(Stop(hid, order, t, 1200, 600))
            t += 1200
        return Route(
            vid, day, mode, start, t + 600, tuple(stops), 600 * (len(hids) + 1), 1200 * len(hids)
        )

    ids = list(households.household_id)
    routes = [
        route("TN-01", 0, ids[0:4], "motorbike"),
        route("TN-01", 2, ids[4:6], "motorbike"),
        route("TN-02", 1, ids[6:9], "walking"),
        route("TN-02", 3, ids[9:11], "walking", start=17 * 3600),
    ]
    plan = Plan(
        routes=routes,
        assignment={s.household_id: r.volunteer_id for r in routes for s in r.stops}
        | {ids[11]: "TN-01"},
        rollover=[Unassigned(ids[11], "time", "Không đủ thời gian trong tuần")],
        unassigned=[Unassigned(ids[12], "unreachable", "Không có đường đến nhà")],
        week_start=dt.date(2025, 5, 12),
    )
    return types.SimpleNamespace(
        plan=plan,
        households=households,
        volunteers=volunteers,
        service_points=service_points,
        matrices=matrices,
        network=types.SimpleNamespace(graph=g),
    )


# --- headless Chromium for the map tests (tests/browser.py) --------------------------


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium for the whole session, network cut off per page.

    Skips (with the reason) when /usr/bin/chromium or playwright is missing.
    """
    from browser import Browser, chromium_missing_reason  # tests/browser.py

    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    with Browser() as b:
        yield b


@pytest.fixture(scope="session")
def demo_outputs_plan(demo_dir: Path):  # type: ignore[no-untyped-def]
    """A real plan on the demo commune, cut small: 4 volunteers, their 50 nearest households.

    Made by the real pipeline (registers, network, matrix, plan). A namespace with
    ``plan``, ``households``, ``volunteers``, ``service_points``, ``matrices``,
    ``network`` and ``settings``.
    """
    import dataclasses
    import datetime as dt
    import types

    from routeplan.config import Settings
    from routeplan.matrix import build_matrix, points_frame
    from routeplan.matrix import home_point_id as home_id
    from routeplan.network import load_network
    from routeplan.planner import plan
    from routeplan.registers import read_households, read_service_points, read_volunteers

    settings = Settings()
    settings = dataclasses.replace(
        settings,
        planner=dataclasses.replace(
            settings.planner, time_limit_s=5.0, route_solutions=50, improve_rounds=3
        ),
    )
    network = load_network(demo_dir / "hoabac.osm")
    households = read_households(demo_dir / "households.csv", settings=settings)
    volunteers = read_volunteers(demo_dir / "volunteers.csv", settings=settings)
    service_points = read_service_points(demo_dir / "service_points.csv")
    volunteers = volunteers.iloc[:4].reset_index(drop=True)
    utm = households.estimate_utm_crs()
    homes_m = volunteers.to_crs(utm).geometry
    dist = households.to_crs(utm).geometry.apply(lambda g: homes_m.distance(g).min())
    households = households.loc[dist.nsmallest(50).index].reset_index(drop=True)
    homes = volunteers.assign(volunteer_id=[home_id(v) for v in volunteers.volunteer_id])
    points = points_frame(households, homes)
    matrices = {
        m: build_matrix(network, points, mode=m, settings=settings.network)
        for m in ("motorbike", "walking")
    }
    result = plan(
        households, volunteers, matrices, settings=settings, week_start=dt.date(2025, 7, 7)
    )
    return types.SimpleNamespace(
        plan=result,
        households=households,
        volunteers=volunteers,
        service_points=service_points,
        matrices=matrices,
        network=network,
        settings=settings,
    )
