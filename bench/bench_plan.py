"""Plans a coordinator would sign: daylight, travel spread, neighbours, far households, time.

Runs ``routeplan.plan`` on a case and measures the plan from the outside (not from the
plan's own stats, so that an older routeplan can be measured the same way):

- **after dusk on unpaved**: rounds whose legs follow an unpaved way (a track, path or
  bridleway not tagged paved, or an unpaved ``surface``; traced along the matrix's
  drawn paths) and end after civil dusk on their date at the households' centroid
  (``after_dusk_on_unpaved_trips``: the same by the matrix's per-trip flags,
  ``TravelMatrix.unpaved``, where the matrix has them);
  **daylight households late**: rounds visiting a ``remote``, unpaved-snapped or
  far-from-the-map household that end after dusk.
- **travel**: weekly travel per volunteer (min / median / max, and the five longest)
  and rounds whose travel exceeds their visit time.
- **neighbour splits**: pairs of households closer than 40 m given to two volunteers.
- **far households**: households farther than ``max_snap_m`` from every way, or snapped
  onto a separate piece of every mode's network (the matrices' snaps), and how many
  the plan flags.
- **wall s** of ``plan()`` against ``--time-limit``, and whether the plan says the
  clock cut its search.

Cases: ``demo`` (the demo commune) and ``andorra`` (the real Andorra extract at
``../shared/data/andorra`` with the demo's 1,350 households and 70 volunteers placed
near its ways by ``bench_matrix.andorra_points``: same attributes, hours and modes).

    PYTHONPATH=. .venv/bin/python bench/bench_plan.py demo --time-limit 30
    PYTHONPATH=. .venv/bin/python bench/bench_plan.py andorra --time-limit 10
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
WEEK = dt.date(2026, 12, 7)  # a Monday in December: short days in the northern hemisphere
RESULTS = ROOT / "bench" / "plan_results.jsonl"


def unpaved_pieces(graph: Any) -> set[tuple[tuple[float, float], tuple[float, float]]]:
    """Consecutive (lon, lat) pairs, rounded, of every unpaved way (both directions)."""
    from routeplan.network import is_unpaved  # the network's one rule

    out: set[tuple[tuple[float, float], tuple[float, float]]] = set()
    for u, v, d in graph.edges(data=True):
        if not is_unpaved(str(d.get("highway", "")), str(d.get("surface", ""))):
            continue
        line = d.get("geometry")
        xy = (
            list(line.coords)
            if line is not None
            else [
                (graph.nodes[u]["x"], graph.nodes[u]["y"]),
                (graph.nodes[v]["x"], graph.nodes[v]["y"]),
            ]
        )
        pts = [(round(x, 6), round(y, 6)) for x, y in xy]
        for a, b in itertools.pairwise(pts):
            out.add((a, b))
            out.add((b, a))
    return out


def dusk_by_day(lon: float, lat: float, tz: str) -> list[int]:
    from zoneinfo import ZoneInfo

    from astral import Observer
    from astral.sun import dusk

    out = []
    for d in range(7):
        t = dusk(
            Observer(latitude=lat, longitude=lon), WEEK + dt.timedelta(days=d), tzinfo=ZoneInfo(tz)
        )
        out.append(t.hour * 3600 + t.minute * 60 + t.second)
    return out


def andorra_case(cache: Path) -> tuple[Any, Any, Any, Any]:
    from _demo import demo_case
    from bench_matrix import ANDORRA, andorra_points

    from routeplan.config import Settings
    from routeplan.matrix import build_matrix, points_frame
    from routeplan.network import load_network, read_places

    hh, vo, _, _ = demo_case(cache)
    s = Settings()
    net = load_network(ANDORRA, settings=s.network)
    pts = andorra_points(net, read_places(ANDORRA))
    hh = hh.copy()
    vo = vo.copy()
    hh["geometry"] = list(pts.geometry[:1350])
    vo["geometry"] = list(pts.geometry[1350:1420])
    hh = hh.set_geometry("geometry")
    vo = vo.set_geometry("geometry")
    frame = points_frame(hh, vo)
    mats = {
        m: build_matrix(net, frame, mode=m, settings=s.network, cache_dir=cache)
        for m in sorted(set(vo["mode"]))
    }
    return hh, vo, mats, net


def measure(
    case: str, p: Any, hh: Any, mats: Any, net: Any, wall: float, tl: float
) -> dict[str, Any]:
    from timezonefinder import TimezoneFinder

    lon, lat = float(hh.geometry.x.mean()), float(hh.geometry.y.mean())
    dusk = dusk_by_day(lon, lat, str(TimezoneFinder().timezone_at(lng=lon, lat=lat)))
    pieces = unpaved_pieces(net.graph)
    snaps = {m: mats[m].snaps for m in mats}
    hid = list(hh["household_id"])
    remote = dict(zip(hid, hh["remote"], strict=True))
    far_map: set[str] = set()
    cut_off = set(hid)
    unpaved_snap: set[str] = set()
    for sn in snaps.values():
        rows = sn.reindex(hid)
        far_map |= set(rows.index[rows["no_mapped_access"].fillna(False)])
        cut_off &= set(rows.index[~rows["reachable"].fillna(True)])
        if "unpaved" in rows:
            unpaved_snap |= set(rows.index[rows["unpaved"].fillna(False)])
    far = far_map | cut_off
    need = {h for h in hid if remote[h]} | far_map | unpaved_snap
    late_unpaved = unpaved_rounds = late_need = late_flagged = 0
    for r in p.routes:
        m = mats[r.mode]
        ids = [
            f"home:{r.volunteer_id}",
            *(s.household_id for s in r.stops),
            f"home:{r.volunteer_id}",
        ]
        try:
            idx = [m.index(x) for x in ids]
        except KeyError:
            idx = [m.index(x if not x.startswith("home:") else x[5:]) for x in ids]
        flags = getattr(m, "unpaved", None)
        flagged = flags is not None and any(flags[a, b] for a, b in itertools.pairwise(idx))
        late_flagged += flagged and r.end_s > dusk[r.day]
        uses = False
        for a, b in itertools.pairwise(idx):
            pts = [(round(x, 6), round(y, 6)) for x, y in m.path(a, b)]
            if any((u, v) in pieces for u, v in itertools.pairwise(pts)):
                uses = True
                break
        after = r.end_s > dusk[r.day]
        unpaved_rounds += uses
        late_unpaved += uses and after
        late_need += after and any(s.household_id in need for s in r.stops)
    travel = {}
    for r in p.routes:
        travel[r.volunteer_id] = travel.get(r.volunteer_id, 0) + r.travel_s
    th = sorted(t / 3600 for t in travel.values())
    from scipy.spatial import cKDTree

    kx = 111_195 * np.cos(np.radians(lat))
    xy = np.column_stack([hh.geometry.x * kx, hh.geometry.y * 111_195])
    pairs = cKDTree(xy).query_pairs(40.0, output_type="ndarray")
    who = [p.assignment.get(h, "") for h in hid]
    splits = sum(1 for a, b in pairs if who[a] and who[b] and who[a] != who[b])
    flags = getattr(p, "flags", [])
    return {
        "case": case,
        "time_limit_s": tl,
        "wall_s": round(wall, 2),
        "hit_time_limit": p.stats.get("hit_time_limit"),
        "cut": p.stats.get("cut"),
        "load": round(os.getloadavg()[0], 2),
        "visits": p.visits,
        "rollover": len(p.rollover),
        "rollover_reasons": _counts(u.reason for u in p.rollover),
        "unassigned": len(p.unassigned),
        "travel_h": round(p.travel_s / 3600, 2),
        "rounds": len(p.routes),
        "rounds_on_unpaved": unpaved_rounds,
        "after_dusk_on_unpaved": late_unpaved,
        "after_dusk_on_unpaved_trips": late_flagged,
        "daylight_households": len(need),
        "daylight_rounds_after_dusk": late_need,
        "dusk": [f"{d // 3600:02d}:{d % 3600 // 60:02d}" for d in dusk],
        "travel_per_volunteer_h": [
            round(th[0], 2),
            round(float(np.median(th)), 2),
            round(th[-1], 2),
        ],
        "travel_top5_h": [round(x, 2) for x in th[::-1][:5]],
        "rounds_travel_over_visits": sum(1 for r in p.routes if r.travel_s > r.service_s),
        "neighbour_pairs_40m": len(pairs),
        "neighbour_splits": splits,
        "far_households": len(far),
        "far_flagged": len(flags),
        "seed": p.stats.get("seed"),
        "time_s": p.stats.get("time_s"),
        "improve": p.stats.get("improve"),
    }


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (the solver's workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _counts(codes: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in codes:
        out[c] = out.get(c, 0) + 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("case", choices=("demo", "andorra"))
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-week", action="store_true", help="plan without a week_start")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--label", default="")
    ap.add_argument(
        "--no-trip-flags",
        action="store_true",
        help="plan without the matrices' per-trip unpaved flags (the rule per household "
        "alone), measured with them",
    )
    ap.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="planner setting"
    )
    args = ap.parse_args()
    from _demo import demo_case

    from routeplan.config import PlannerSettings, Settings
    from routeplan.planner import plan

    cache = ROOT / "bench" / ".cache"
    hh, vo, mats, net = (demo_case if args.case == "demo" else andorra_case)(cache)
    extra = {k: json.loads(v) for k, v in (x.split("=", 1) for x in args.set)}
    settings = Settings(
        planner=PlannerSettings(time_limit_s=args.time_limit, seed=args.seed, **extra)
    )
    t0, cpu0 = time.time(), _cpu_s()
    seen = mats
    if args.no_trip_flags:
        import dataclasses

        seen = {k: dataclasses.replace(m, unpaved=None) for k, m in mats.items()}
    p = plan(hh, vo, seen, settings=settings, week_start=None if args.no_week else WEEK)
    wall, cpu = time.time() - t0, _cpu_s() - cpu0
    row = measure(args.case, p, hh, mats, net, wall, args.time_limit)
    row["cpu_s"] = round(cpu, 2)  # this process and its (finished) solver processes
    row["label"] = args.label
    row["settings"] = extra
    stops = [(r.volunteer_id, r.day, [s.household_id for s in r.stops]) for r in p.routes]
    row["stops_digest"] = hashlib.sha256(json.dumps(stops).encode()).hexdigest()[:12]
    with open(args.results, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
