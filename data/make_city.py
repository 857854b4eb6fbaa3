"""Make a synthetic city of many communes, a folder per commune, for ``routeplan areas``.

Run: ``python data/make_city.py --out /tmp/city`` (20 communes) or ``--communes 30``.

Each commune is made by the demo generator (``data/make_demo.py``) with its own seed,
so its road network, houses and volunteers differ from every other commune's; it keeps
one to three neighbouring hamlets of the generated valley (its households and the
volunteers living nearest them), a share of their households (``--scale`` times 30 to
100 %), and a varied number of volunteers: some communes have the 1 volunteer per 20
households the "1+20" model asks for, some more, some fewer. Folder ``NN-<name>/``
holds ``households.csv``, ``volunteers.csv``, ``service_points.csv`` and ``map.osm``.

``--tiny`` makes tiny communes from the checked-in demo instead (no generation, a
few seconds; for the tests): one hamlet each, ``--tiny-households`` households and
two or three volunteers, the demo map copied into each folder.

``--extract`` writes the city the way a province hands it out instead of a folder
per commune: one OSM extract of every commune's roads side by side (``city.osm``,
ids unique), their boundary polygons (``boundaries.geojson``) and registers for the
whole city with an ``area`` column (``households.csv``, ``volunteers.csv``,
``service_points.csv``), for ``routeplan areas --households ... --network city.osm
--boundaries boundaries.geojson`` (see ``data/city_extract.py``).

Only numpy and the standard library are used (and make_demo's own); nothing is
downloaded, and the same arguments give the same files.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_demo  # noqa: E402 - the demo generator lives beside this script
from city_extract import Rows  # noqa: E402 - beside this script too

CITY_SEED = 20260101
"""Seed of the city: commune ``i`` is generated with ``CITY_SEED + 97 * i``."""


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _nearest_hamlet(lon: float, lat: float) -> str:
    best = min(make_demo.HAMLETS, key=lambda h: (h.lon - lon) ** 2 + (h.lat - lat) ** 2)
    return best.name


def _pick(
    src: Path,
    hamlets: Sequence[str],
    share: float,
    per_volunteer: float,
    rng: np.random.Generator,
    max_households: int | None = None,
) -> Rows:
    """The commune of ``hamlets`` from the generated files in ``src``: registers' rows."""
    hcols, hrows = _read(src / "households.csv")
    vcols, vrows = _read(src / "volunteers.csv")
    hh = [r for r in hrows if r["village"] in hamlets]
    keep = max(1, round(len(hh) * share))
    if max_households is not None:
        keep = min(keep, max_households)
    pick = np.sort(rng.choice(len(hh), size=keep, replace=False))
    hh = [hh[i] for i in pick]
    vols = [
        r
        for r in vrows
        if r["latitude"] and _nearest_hamlet(float(r["longitude"]), float(r["latitude"])) in hamlets
    ]
    want = max(1, min(len(vols), round(keep / per_volunteer)))
    vpick = np.sort(rng.choice(len(vols), size=want, replace=False)) if vols else []
    vols = [vols[i] for i in vpick]
    return Rows(hcols, hh, vcols, vols)


def _write_folder(src: Path, out: Path, rows: Rows) -> None:
    """Write a commune's folder: its registers, the service points and its map."""
    _write(out / "households.csv", rows.hcols, rows.households)
    _write(out / "volunteers.csv", rows.vcols, rows.volunteers)
    shutil.copyfile(src / "service_points.csv", out / "service_points.csv")
    shutil.copyfile(src / "hoabac.osm", out / "map.osm")


def make_city(
    out: Path,
    *,
    communes: int = 20,
    scale: float = 1.0,
    seed: int = CITY_SEED,
    tiny: bool = False,
    tiny_households: int = 24,
    extract: bool = False,
) -> list[tuple[str, int, int]]:
    """Write the city's communes into ``out``; return (commune, households, volunteers).

    A folder per commune, or with ``extract`` one city: ``city.osm``,
    ``boundaries.geojson`` and registers with an ``area`` column (see
    :mod:`city_extract`).
    """
    rng = np.random.default_rng(seed)
    names = [h.name for h in make_demo.HAMLETS]
    made: list[tuple[str, int, int]] = []
    parts: list[tuple[str, Path, Rows]] = []
    with tempfile.TemporaryDirectory(prefix="city-") as tmp:
        for i in range(communes):
            width = 1 if tiny else int(rng.integers(1, 4))
            start = int(rng.integers(0, len(names) - width + 1))
            hamlets = names[start : start + width]
            share = 1.0 if tiny else float(min(1.0, scale * rng.uniform(0.3, 1.0)))
            per_volunteer = float(rng.choice([12.0, 16.0, 20.0, 20.0, 26.0, 35.0]))
            name = f"{i + 1:02d}-{make_demo_slug(hamlets)}"
            if tiny:
                src = HERE / "demo"
                per_volunteer = tiny_households / rng.choice([2, 3])
                rows = _pick(src, hamlets, share, per_volunteer, rng, tiny_households)
            else:
                src = Path(tmp) / name
                make_demo.generate(src, seed=seed + 97 * i)
                rows = _pick(src, hamlets, share, per_volunteer, rng)
            if extract:
                parts.append((name, src, rows))
            else:
                _write_folder(src, out / name, rows)
            made.append((name, len(rows.households), len(rows.volunteers)))
        if extract:
            from city_extract import write_city

            write_city(out, parts)
    return made


def make_demo_slug(hamlets: Sequence[str]) -> str:
    """Folder-safe name of a commune of ``hamlets`` (ASCII, no spaces)."""
    import unicodedata

    text = "-".join(hamlets).replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ascii_text.replace(" ", "")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of the script."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--communes", type=int, default=20, help="communes (default 20)")
    parser.add_argument("--scale", type=float, default=1.0, help="share of households kept")
    parser.add_argument("--seed", type=int, default=CITY_SEED)
    parser.add_argument("--tiny", action="store_true", help="tiny communes from the demo")
    parser.add_argument("--tiny-households", type=int, default=24)
    parser.add_argument(
        "--extract",
        action="store_true",
        help="one city: city.osm, boundaries.geojson, registers with an area column",
    )
    args = parser.parse_args(argv)
    made = make_city(
        args.out,
        communes=args.communes,
        scale=args.scale,
        seed=args.seed,
        tiny=args.tiny,
        tiny_households=args.tiny_households,
        extract=args.extract,
    )
    for name, n_hh, n_vol in made:
        print(f"{name:40s} {n_hh:5d} households {n_vol:4d} volunteers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
