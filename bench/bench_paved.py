"""What flagging the trips on unpaved ways costs the travel-time matrix.

    PYTHONPATH=. .venv/bin/python bench/bench_paved.py            # demo, then Andorra
    PYTHONPATH=. .venv/bin/python bench/bench_paved.py --only demo

For each network and mode, in the same run: ``build_matrix`` cold (the network's
arrays prepared again), best of ``--repeat``, and its peak traced memory, with the
second routing on paved ways (:mod:`routeplan.matrix.paved`) and without it (the
baseline: ``paved_times`` replaced by "no unpaved ways", which is the matrix before
trips were flagged); and how many trips are flagged, of which how many join two points
on paved ways (the trips that only *pass along* an unpaved way). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_matrix import ANDORRA, DEMO, andorra_points, best, demo_points, peak_mb  # noqa: E402

from routeplan import matrix as mx  # noqa: E402
from routeplan.config import Settings  # noqa: E402
from routeplan.matrix import build as mbuild  # noqa: E402
from routeplan.matrix.prepare import forget_prepared  # noqa: E402
from routeplan.network import load_network, read_places  # noqa: E402


def _cold(network: Any, points: Any, mode: str, flag: bool) -> mx.TravelMatrix:
    forget_prepared()
    real = mbuild.paved_times
    if not flag:
        mbuild.paved_times = lambda *a, **k: None  # type: ignore[assignment]
    try:
        return mx.build_matrix(network, points, mode=mode, settings=Settings().network)
    finally:
        mbuild.paved_times = real


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", choices=["demo", "andorra"])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(
        "| network | mode | points | trips flagged | between paved points | "
        "without s | with s | ratio | peak MB without | with |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    cases = []
    if args.only in (None, "demo"):
        cases.append(("demo", lambda: load_network(DEMO / "hoabac.osm"), None))
    if args.only in (None, "andorra") and ANDORRA.exists():
        cases.append(("andorra", lambda: load_network(ANDORRA), read_places(ANDORRA)))
    for name, load, places in cases:
        net = load()
        points = demo_points() if places is None else andorra_points(net, places)
        for mode in ("walking", "motorbike"):
            without = functools.partial(_cold, net, points, mode, False)
            with_flags = functools.partial(_cold, net, points, mode, True)
            t0, _ = best(without, args.repeat)
            t1, m = best(with_flags, args.repeat)
            p0, p1 = peak_mb(without), peak_mb(with_flags)
            u = m.unpaved
            assert u is not None
            paved_pt = ~m.snaps["unpaved"].to_numpy()
            between = int(u[paved_pt][:, paved_pt].sum())
            print(
                f"| {name} | {mode} | {len(m)} | {int(u.sum()):,} | {between:,} | "
                f"{t0:.2f} | {t1:.2f} | {t1 / t0:.2f} | {p0:.0f} | {p1:.0f} |",
                flush=True,
            )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
