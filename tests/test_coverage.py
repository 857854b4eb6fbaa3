"""Coverage report: travel times, bands, hamlet table, volunteers, what-ifs, site choice."""

from __future__ import annotations

import csv
import importlib.util
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from routeplan import coverage as cv
from routeplan.config import CoverageSettings, Settings
from routeplan.errors import InputDataError

UNREACHABLE = 2**31 - 1

# --- a hand-made commune on a line: positions in km, motorbike 1 min/km, walking 4 min/km


@dataclass
class FakeMatrix:
    """Stand-in for routeplan.matrix.TravelMatrix (same attributes)."""

    ids: tuple[str, ...]
    seconds: np.ndarray
    mode: str
    snaps: pd.DataFrame = field(default_factory=pd.DataFrame)

    def index(self, point_id: str) -> int:
        return self.ids.index(point_id)


POS = {  # km along the valley
    "H1": 2,
    "H2": 10,
    "H3": 20,
    "H4": 40,
    "H5": 85,
    "H6": None,
    "sp:P1": 0,
    "sp:P2": 50,
    "sp:NEW-1": 85,
    "sp:C1": 20,
    "sp:C2": 85,
    "sp:C3": 100,
    "home:V1": 5,
    "home:V2": 45,
}
MIN_PER_KM = {"motorbike": 1, "walking": 4}
LON0, LAT0 = 107.9, 16.12


def fake_matrix(mode: str) -> FakeMatrix:
    ids = tuple(POS)
    n = len(ids)
    s = np.zeros((n, n), dtype=np.int32)
    for (i, a), (j, b) in itertools.product(enumerate(ids), repeat=2):
        if i == j:
            continue
        if POS[a] is None or POS[b] is None:
            s[i, j] = UNREACHABLE
            continue
        minutes = abs(POS[a] - POS[b]) * MIN_PER_KM[mode]
        # coming back from a service point is a minute longer (uphill)
        s[i, j] = 60 * minutes + (60 if a.startswith("sp:") else 0)
    snaps = pd.DataFrame(
        {
            "snap_m": 10.0,
            "access_s": 10,
            "no_mapped_access": False,
            "reachable": True,
            "reason": "",
        },
        index=pd.Index(ids, name="point_id"),
    )
    snaps.loc["H6", ["no_mapped_access", "reachable"]] = [True, False]
    return FakeMatrix(ids, s, mode, snaps)


def _gdf(rows: list[dict[str, Any]], key: str) -> gpd.GeoDataFrame:
    for r in rows:
        x = POS.get(r[key], POS.get(f"sp:{r[key]}", POS.get(f"home:{r[key]}")))
        r["geometry"] = Point(LON0 + (x or 0) / 100, LAT0)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


@pytest.fixture
def households() -> gpd.GeoDataFrame:
    rows = []
    for hid, village, elderly, lang, quality in [
        ("H1", "Alpha", False, "", "gps"),
        ("H2", "Alpha", False, "", "gps"),
        ("H3", "Alpha", True, "", "gps"),
        ("H4", "Bến Đá", False, "", "village"),
        ("H5", "Bến Đá", False, "co_tu", "gps"),
        ("H6", "Bến Đá", True, "", "gps"),
    ]:
        rows.append(
            {
                "household_id": hid,
                "village": village,
                "elderly": elderly,
                "disability": False,
                "remote": False,
                "language": lang,
                "priority": elderly or bool(lang),
                "location_quality": quality,
                "services": ("vneid",),
            }
        )
    return _gdf(rows, "household_id")


@pytest.fixture
def points() -> gpd.GeoDataFrame:
    return _gdf(
        [
            {"point_id": "P1", "name": "Old People's Committee"},
            {"point_id": "P2", "name": "Ward centre"},
        ],
        "point_id",
    )


@pytest.fixture
def volunteers() -> gpd.GeoDataFrame:
    return _gdf(
        [
            {"volunteer_id": "V1", "mode": "motorbike", "capacity": 20},
            {"volunteer_id": "V2", "mode": "walking", "capacity": 20},
        ],
        "volunteer_id",
    )


@pytest.fixture
def matrices() -> dict[str, FakeMatrix]:
    return {m: fake_matrix(m) for m in ("motorbike", "walking")}


@pytest.fixture
def report(households, points, matrices, volunteers) -> cv.CoverageReport:
    return cv.assess(households, points, matrices, volunteers=volunteers)


# --- travel times and bands --------------------------------------------------------------


def test_travel_times_match_the_matrix(report, matrices) -> None:
    hh = report.households.set_index("household_id")
    for mode, m in matrices.items():
        for hid in ["H1", "H2", "H3", "H4", "H5"]:
            to = min(int(m.seconds[m.index(hid), m.index(p)]) for p in ("sp:P1", "sp:P2"))
            assert hh.loc[hid, f"{mode}_min"] * 60 == pytest.approx(to)
        assert math.isnan(hh.loc["H6", f"{mode}_min"])
        assert hh.loc["H6", f"{mode}_band"] == cv.NO_ACCESS
    assert hh.loc["H3", "motorbike_point"] == "P1" and hh.loc["H4", "motorbike_point"] == "P2"
    # the trip back from the same point is reported too (a minute longer here)
    assert hh.loc["H4", "motorbike_return_min"] == pytest.approx(11.0)


def test_band_edges_are_inclusive_upper_limits() -> None:
    idx = cv.band_index([0, 15, 15.01, 30, 60, 61, float("nan")], (15, 30, 60))
    assert idx.tolist() == [0, 0, 1, 1, 2, 3, 4]
    assert cv.band_labels((15, 30, 60)) == [
        "0-15 min",
        "15-30 min",
        "30-60 min",
        "over 60 min",
        "no access",
    ]


def test_band_counts_match_a_hand_count(report) -> None:
    moto = report.table("motorbike")
    assert moto.loc[
        "Alpha", ["0-15 min", "15-30 min", "30-60 min", "over 60 min", "no access"]
    ].tolist() == [2, 1, 0, 0, 0]
    assert moto.loc[
        "Bến Đá", ["0-15 min", "15-30 min", "30-60 min", "over 60 min", "no access"]
    ].tolist() == [1, 0, 1, 0, 1]
    walk = report.table("walking")
    # on foot: H1 8, H2 40, H3 80 | H4 40, H5 140, H6 none
    assert walk.loc[
        cv.TOTAL, ["0-15 min", "15-30 min", "30-60 min", "over 60 min", "no access"]
    ].tolist() == [1, 0, 2, 2, 1]


def test_hamlet_table_counts_people_and_problems(report) -> None:
    t = report.table()
    b = t.loc["Bến Đá"]
    assert (b["households"], b["elderly"], b["co_tu"], b["priority"]) == (3, 1, 1, 2)
    assert b["median_min"] == pytest.approx(22.5) and b["worst_min"] == pytest.approx(35)
    assert b["far"] == 2 and b["share_far"] == pytest.approx(2 / 3)  # H5 35 min + H6
    assert b["no_mapped_access"] == 1 and b["village_location"] == 1
    total = t.loc[cv.TOTAL]
    assert total["households"] == 6 and list(t.index)[-1] == cv.TOTAL
    # the hardest-to-reach hamlet comes first
    assert next(iter(t.index)) == "Bến Đá"


def test_custom_bands(households, points, matrices) -> None:
    settings = Settings(coverage=CoverageSettings(bands_min=(5, 45)))
    t = cv.assess(households, points, matrices, settings=settings).table()
    assert t.loc[cv.TOTAL, ["0-5 min", "5-45 min", "over 45 min", "no access"]].tolist() == [
        1,
        4,
        0,
        1,
    ]


def test_bad_bands_are_refused() -> None:
    with pytest.raises(ValueError, match="bands_min"):
        CoverageSettings(bands_min=(30, 15))


# --- volunteers ---------------------------------------------------------------------------


def test_volunteers_by_rule_and_unreachable_households(report) -> None:
    need = report.need
    assert need.by_rule == 2  # ceil(3 / 20) per hamlet, two hamlets
    assert need.volunteers == 2
    # V1 (motorbike, km 5) reaches H5 (km 85) in 80 min > 60; H6 has no route at all
    assert sorted(need.unreachable["household_id"]) == ["H5", "H6"]
    h5 = need.unreachable.set_index("household_id").loc["H5"]
    assert h5["best_min"] == pytest.approx(80) and h5["volunteer_id"] == "V1"


def test_workload_follows_the_terrain(households, points, matrices, volunteers) -> None:
    easy = cv.assess(households, points, matrices, volunteers=volunteers).need
    slow = Settings(coverage=CoverageSettings(volunteer_hours=0.5))
    hard = cv.assess(households, points, matrices, volunteers=volunteers, settings=slow).need
    assert easy.source == "estimate" and easy.workload_h > 6 * 20 / 60  # service + travel
    assert hard.by_workload > easy.by_workload


def test_workload_from_a_plan(households, points, matrices, volunteers) -> None:
    from routeplan.planner import Plan, Route, Stop

    stops = (Stop("H1", 1, 0, 1200, 600), Stop("H2", 2, 0, 1200, 600))
    plan = Plan(
        routes=[Route("V1", 0, "motorbike", 0, 0, stops, 1800, 2400)],
        assignment={"H1": "V1", "H2": "V1"},
    )
    need = cv.assess(households, points, matrices, volunteers=volunteers, plan=plan).need
    alpha = need.per_hamlet.set_index("village").loc["Alpha", "workload_h"]
    estimate = cv.assess(households, points, matrices, volunteers=volunteers).need
    h3 = estimate.per_hamlet.set_index("village").loc["Alpha", "workload_h"]
    assert need.source == "plan"
    # H1 + H2 from the plan (1,200 s service + 600 s travel each + 600 s home) + H3 estimated
    assert alpha > (2 * 1800 + 600) / 3600 and alpha < h3 + (2 * 1800 + 600) / 3600


# --- what-if ---------------------------------------------------------------------------


def test_what_if_moves_households_to_faster_bands(households, points, matrices) -> None:
    add = cv.resolve_sites(["16.12,108.75"], households)
    add["point_id"] = "NEW-1"  # at km 85 in the fake matrix
    r = cv.assess(households, points, matrices, add=add)
    cmp = r.whatif.comparison.set_index("village")
    assert cmp.loc["Bến Đá", "faster"] == 1 and cmp.loc["Alpha", "faster"] == 0
    assert cmp.loc[cv.TOTAL, "far_before"] == 2 and cmp.loc[cv.TOTAL, "far_after"] == 1
    after = r.whatif.after.households.set_index("household_id")
    assert after.loc["H5", "motorbike_min"] == pytest.approx(0)
    assert after.loc["H5", "motorbike_point"] == "NEW-1"
    assert r.whatif.faster == 1
    assert "What-if" in r.summary()


def test_sites_by_name_or_coordinates(households) -> None:
    sites = cv.resolve_sites(
        ["ben da", "16.10, 107.95"], households, places={"Alpha": (107.91, 16.13)}
    )
    assert list(sites["name"]) == ["Bến Đá", "16.10000, 107.95000"]
    assert sites.iloc[0]["placed"] == "households' median"
    # the median of the households with a GPS location (H4 is placed at its village)
    assert sites.geometry.iloc[0].x == pytest.approx(LON0 + (85 + 0) / 200)
    assert (sites.geometry.iloc[1].x, sites.geometry.iloc[1].y) == (107.95, 16.10)
    alpha = cv.resolve_sites(["ALPHA"], households, places={"Alpha": (107.91, 16.13)})
    assert alpha.iloc[0]["placed"] == "place node" and alpha.geometry.iloc[0].x == 107.91


def test_bad_sites_are_all_reported(households) -> None:
    with pytest.raises(InputDataError) as exc:
        cv.resolve_sites(["Alfa", "107.95,16.10", "nowhere"], households)
    msg = str(exc.value)
    assert "3 problems" in msg and "did you mean 'Alpha'" in msg
    assert "swapped" in msg


# --- choosing new points -----------------------------------------------------------------


def _brute_force(times, weights, k, existing, threshold, objective):
    _n, m = times.shape
    cands = [j for j in range(m) if j not in existing]
    best = None
    for combo in itertools.combinations(cands, k):
        best_t = times[:, list(existing) + list(combo)].min(axis=1)
        ok = best_t < UNREACHABLE
        if objective == "coverage":
            score = (int((weights * ((best_t <= threshold) & ok)).sum()), -int(best_t[ok].sum()))
        else:
            score = (-int((weights * np.where(ok, best_t, 0)).sum()),)
        if best is None or score > best:
            best = score
    return best


def _score(times, weights, chosen, existing, threshold, objective):
    best_t = times[:, list(existing) + list(chosen)].min(axis=1)
    ok = best_t < UNREACHABLE
    if objective == "coverage":
        return (int((weights * ((best_t <= threshold) & ok)).sum()), -int(best_t[ok].sum()))
    return (-int((weights * np.where(ok, best_t, 0)).sum()),)


@pytest.mark.parametrize(
    ("seed", "k", "objective"),
    [
        (1, 1, "coverage"),
        (2, 2, "coverage"),
        (3, 3, "coverage"),
        (4, 2, "median"),
        (5, 3, "median"),
    ],
)
def test_choice_matches_brute_force(seed: int, k: int, objective: str) -> None:
    from routeplan.planner.solve import choose_sites

    rng = np.random.default_rng(seed)
    n, m = 40, 8
    xy = rng.uniform(0, 60, size=(n + m, 2))
    times = (np.hypot(*(xy[:n, None, :] - xy[None, n:, :]).transpose(2, 0, 1)) * 60).astype(
        np.int64
    )
    times[rng.random((n, m)) < 0.1] = UNREACHABLE
    times[0, :] = UNREACHABLE  # a household nobody reaches
    weights = rng.choice([1, 2], size=n)
    existing = [0, 1]
    threshold = 20 * 60
    chosen, optimal = choose_sites(
        times,
        weights.tolist(),
        k,
        existing=existing,
        threshold_s=threshold,
        objective=objective,
        time_limit_s=20,
    )
    assert optimal and len(chosen) == k and not set(chosen) & set(existing)
    assert _score(times, weights, chosen, existing, threshold, objective) == _brute_force(
        times, weights, k, existing, threshold, objective
    )


def test_choose_picks_the_remote_candidate(households, points, matrices) -> None:
    cands = _gdf(
        [
            {"point_id": "C1", "name": "km 20"},
            {"point_id": "C2", "name": "km 85"},
            {"point_id": "C3", "name": "km 100"},
        ],
        "point_id",
    )
    cands["placed"] = "candidates file"
    r = cv.assess(households, points, matrices, candidates=cands, choose=1)
    assert r.choice.chosen == ["C2"] and r.choice.optimal
    assert r.choice.whatif.faster == 1
    covers = r.choice.candidates.set_index("point_id")["covers"]
    assert covers["C1"] == 4  # H1, H2, H3, H4 within 30 min of km 20


# --- isochrones and files -----------------------------------------------------------------


@dataclass
class FakeNetwork:
    """Stand-in for routeplan.network.Network: a 30 km valley road, 1 node per km."""

    graph: nx.MultiDiGraph


@pytest.fixture
def network() -> FakeNetwork:
    g = nx.MultiDiGraph(crs="epsg:4326")
    km = 1 / (111.32 * math.cos(math.radians(LAT0)))
    for i in range(31):
        g.add_node(i, x=LON0 + i * km, y=LAT0)
    g.add_node(99, x=LON0 + 5 * km, y=LAT0 + 0.01, place="hamlet", name="Alpha")
    for i in range(30):
        for a, b in ((i, i + 1), (i + 1, i)):
            # 60 km/h by motorbike, 4 km/h on foot (uphill eastwards is slower)
            g.add_edge(
                a,
                b,
                length=1000.0,
                highway="tertiary",
                ride_s=60.0,
                walk_s=900.0 if b > a else 800.0,
            )
    return FakeNetwork(g)


def test_isochrones_follow_the_roads(network, points) -> None:
    sp = points.iloc[[0]].copy()
    sp["geometry"] = [Point(LON0, LAT0)]
    iso = cv.isochrones(network, sp, modes=["motorbike", "walking"])
    moto = iso[iso["mode"] == "motorbike"].set_index("band")
    km = 1 / (111.32 * math.cos(math.radians(LAT0)))
    at = lambda k: Point(LON0 + k * km, LAT0)  # noqa: E731
    assert moto.loc["0-15 min"].geometry.contains(at(10))
    assert not moto.loc["0-15 min"].geometry.contains(at(20))
    assert moto.loc["15-30 min"].geometry.contains(at(20))  # a ring, not the whole disc
    assert not moto.loc["15-30 min"].geometry.contains(at(5))
    walk = iso[iso["mode"] == "walking"].set_index("band")
    # walking westwards to the point: 800 s/km -> 15 min is 1.125 km
    assert walk.loc["0-15 min"].geometry.contains(at(1))
    assert not walk.loc["0-15 min"].geometry.contains(at(1.5))
    assert iso.crs.to_epsg() == 4326


def test_place_nodes_are_found(network) -> None:
    assert cv.hamlet_places(network) == {
        "Alpha": pytest.approx((LON0 + 5 / (111.32 * math.cos(math.radians(LAT0))), LAT0 + 0.01))
    }


@pytest.fixture
def full_report(households, points, matrices, volunteers, network) -> cv.CoverageReport:
    add = cv.resolve_sites(["16.12,108.75"], households)
    add["point_id"] = "NEW-1"
    cands = _gdf(
        [{"point_id": "C1", "name": "km 20"}, {"point_id": "C3", "name": "km 100"}], "point_id"
    )
    cands["placed"] = "candidates file"
    return cv.assess(
        households,
        points,
        matrices,
        volunteers=volunteers,
        add=add,
        candidates=cands,
        choose=1,
        network=network,
    )


def test_write_coverage(full_report, tmp_path: Path) -> None:
    paths = cv.write_coverage(full_report, tmp_path)
    names = {p.name for p in paths}
    assert {
        "coverage.html",
        "coverage_hamlets.html",
        "coverage_hamlets.csv",
        "coverage.gpkg",
        "coverage_whatif.csv",
        "coverage_best_points.csv",
        "coverage_unreachable.csv",
    } <= names
    raw = (tmp_path / "coverage_hamlets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert {r["Hamlet"] for r in rows} == {"Alpha", "Bến Đá", cv.TOTAL}
    ben = next(r for r in rows if r["Hamlet"] == "Bến Đá" and r["Mode"] == "motorbike")
    assert ben["30-60 min"] == "1" and ben["no access"] == "1"
    page = (tmp_path / "coverage.html").read_text(encoding="utf-8")
    # offline: Leaflet inlined, nothing fetched from the internet
    assert "L.map(" in page and "Leaflet" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", page)
    assert "Bến Đá" in page and "Volunteers needed" in page and "What-if" in page
    hh = gpd.read_file(tmp_path / "coverage.gpkg", layer="households")
    assert len(hh) == 6 and {"motorbike_min", "walking_band", "whatif_motorbike_min"} <= set(
        hh.columns
    )
    iso = gpd.read_file(tmp_path / "coverage.gpkg", layer="isochrones")
    assert set(iso["mode"]) == {"motorbike", "walking"}


def test_report_without_network_or_volunteers(households, points, matrices, tmp_path: Path) -> None:
    r = cv.assess(households, points, {"motorbike": matrices["motorbike"]})
    assert r.need.volunteers is None and r.modes == ("motorbike",)
    paths = cv.write_coverage(r, tmp_path)
    assert "coverage_unreachable.csv" not in {p.name for p in paths}


# --- the demo commune, end to end ---------------------------------------------------------


def _pipeline_ready() -> None:
    for mod in ("routeplan.registers", "routeplan.network", "routeplan.matrix"):
        if importlib.util.find_spec(mod) is None:
            pytest.skip(f"{mod} is not there yet: the demo coverage test needs the pipeline")


@pytest.fixture(scope="session")
def demo_inputs(demo_dir: Path) -> dict[str, Any]:
    _pipeline_ready()
    from routeplan.network import load_network, read_places
    from routeplan.registers import read_households, read_service_points, read_volunteers

    settings = Settings()
    network = load_network(demo_dir / "hoabac.osm", settings=settings.network)
    places = read_places(demo_dir / "hoabac.osm")
    return {
        "network": network,
        "places": places,
        "settings": settings,
        "households": read_households(
            demo_dir / "households.csv", settings=settings, places=places
        ),
        "volunteers": read_volunteers(demo_dir / "volunteers.csv", settings=settings),
        "service_points": read_service_points(demo_dir / "service_points.csv"),
    }


@pytest.fixture(scope="session")
def demo_report(demo_inputs) -> cv.CoverageReport:
    d = demo_inputs
    return cv.assess_coverage(
        d["households"],
        d["service_points"],
        d["network"],
        settings=d["settings"],
        volunteers=d["volunteers"],
        places=d["places"],
        add=["Tà Lang", "giàn bí"],
        candidates="hamlets",
        choose=1,
    )


@pytest.mark.slow
def test_demo_remote_hamlets_get_closer_with_a_point_there(demo_report) -> None:
    before = demo_report.table()
    # the mountain hamlets are the hardest to reach today
    assert set(list(before.index)[:2]) == {"Tà Lang", "Giàn Bí"}
    assert (before.loc[["Tà Lang", "Giàn Bí"], "median_min"] > 15).all()
    assert before.loc["Tà Lang", "share_far"] > 0.2
    cmp = demo_report.whatif.comparison.set_index("village")
    for hamlet in ("Tà Lang", "Giàn Bí"):
        row = cmp.loc[hamlet]
        assert row["median_after"] < row["median_before"] / 2
        assert row["far_after"] < row["far_before"]
        assert row["faster"] > row["households"] / 2
    # the valley mouth does not change
    assert cmp.loc["Quan Nam", "faster"] == 0
    assert list(demo_report.whatif.added["placed"]) == ["place node", "place node"]
    # the best single new point is in the mountains
    assert demo_report.choice.whatif.added["name"].iloc[0] in {"Tà Lang", "Giàn Bí", "Trường Định"}


@pytest.mark.slow
def test_demo_table_counts_everyone(demo_report, demo_inputs) -> None:
    t = demo_report.table()
    assert t.loc[cv.TOTAL, "households"] == len(demo_inputs["households"]) == 1350
    bands = demo_report.bands
    assert t.loc[cv.TOTAL, bands].sum() == 1350
    assert t.loc[cv.TOTAL, "village_location"] == 5
    assert t.loc[cv.TOTAL, "co_tu"] == (demo_inputs["households"]["language"] == "co_tu").sum()
    # walking is never faster than riding (ride where possible, walk the rest)
    hh = demo_report.households
    both = hh["walking_min"].notna() & hh["motorbike_min"].notna()
    assert (hh.loc[both, "motorbike_min"] <= hh.loc[both, "walking_min"] + 1e-9).all()
    need = demo_report.need
    assert need.by_rule >= math.ceil(1350 / 20) and need.volunteers == 70


@pytest.mark.slow
def test_cli_coverage_on_the_demo(demo_dir: Path, tmp_path: Path, capsys) -> None:
    _pipeline_ready()
    from routeplan.cli import main

    code = main(
        [
            "-q",
            "coverage",
            "--households",
            str(demo_dir / "households.csv"),
            "--service-points",
            str(demo_dir / "service_points.csv"),
            "--network",
            str(demo_dir / "hoabac.osm"),
            "--add",
            "16.16,107.95",
            "--bands",
            "20,40",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Hardest to reach" in out and "What-if" in out
    header = (tmp_path / "coverage_hamlets.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "0-20 min" in header and "over 40 min" in header


def test_cli_rejects_bad_bands(tmp_path: Path, capsys) -> None:
    from routeplan.cli import main

    code = main(
        [
            "coverage",
            "--households",
            "h.csv",
            "--service-points",
            "s.csv",
            "--network",
            "n.osm",
            "--bands",
            "30,15",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert "--bands" in capsys.readouterr().err
