"""Make larger registers on the demo network: the demo's copied and jittered k times.

Run: ``python bench/make_scaled.py --copies 4 --out /tmp/scaled-4`` writes
``households.csv`` (5,400 rows: each demo household k times, every copy after the
first moved by up to ``--jitter-m`` metres and given an id ending ``-c<k>``) and
``volunteers.csv`` (the 70 demo volunteers, ``--volunteer-copies`` times, default as
many as the households, each copy jittered the same way). The network stays the demo
commune's (``data/demo/hoabac.osm``), so the households get denser, as in a ward of
several merged communes planned on one map.

``--copies 74 --volunteer-copies 1`` gives the 100,000 / 70 register of the issue.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _copies(
    rows: list[dict[str, str]],
    id_column: str,
    k: int,
    jitter_m: float,
    rng: np.random.Generator,
    limit: int | None = None,
) -> list[dict[str, str]]:
    """Return ``rows`` ``k`` times; copies after the first are jittered and renamed."""
    out: list[dict[str, str]] = []
    for c in range(k):
        for row in rows:
            new = dict(row)
            if c:
                new[id_column] = f"{row[id_column]}-c{c + 1}"
                if row.get("latitude"):
                    lat = float(row["latitude"])
                    dy, dx = rng.uniform(-jitter_m, jitter_m, size=2)
                    new["latitude"] = f"{lat + dy / 110_574.0:.6f}"
                    kx = 111_320.0 * math.cos(math.radians(lat))
                    new["longitude"] = f"{float(row['longitude']) + dx / kx:.6f}"
            out.append(new)
            if limit is not None and len(out) >= limit:
                return out
    return out


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def make_scaled(
    out: Path,
    copies: int,
    *,
    volunteer_copies: int | None = None,
    households: int | None = None,
    volunteers: int | None = None,
    jitter_m: float = 60.0,
    seed: int = 13,
    demo: Path = DEMO,
) -> dict[str, Path]:
    """Write the scaled registers into ``out``; return their paths by key."""
    rng = np.random.default_rng(seed)
    hcols, hrows = _read(demo / "households.csv")
    vcols, vrows = _read(demo / "volunteers.csv")
    paths = {"households": out / "households.csv", "volunteers": out / "volunteers.csv"}
    hh = _copies(hrows, "household_id", copies, jitter_m, rng, limit=households)
    vol = _copies(
        vrows, "volunteer_id", volunteer_copies or copies, jitter_m, rng, limit=volunteers
    )
    _write(paths["households"], hcols, hh)
    _write(paths["volunteers"], vcols, vol)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of the script."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, required=True, help="copies of the households")
    parser.add_argument("--volunteer-copies", type=int, help="copies of the volunteers")
    parser.add_argument("--households", type=int, help="stop at this many households")
    parser.add_argument("--volunteers", type=int, help="stop at this many volunteers")
    parser.add_argument("--jitter-m", type=float, default=60.0, help="largest move (m)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    paths = make_scaled(
        args.out,
        args.copies,
        volunteer_copies=args.volunteer_copies,
        households=args.households,
        volunteers=args.volunteers,
        jitter_m=args.jitter_m,
        seed=args.seed,
    )
    for key, path in paths.items():
        print(f"{key:11s} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
