"""The volunteer register: capacity, availability, mode, skills, languages and home."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np

from ..config import Settings
from ..timewindows import slug
from ._common import Bounds, Parsed, PathLike, Problems, object_array, points_frame, positions
from .coordinates import AREA_MARGIN_KM, OUTLIER_KM, LocationChecks, read_locations
from .tables import Table, read_table
from .values import (
    availability_windows,
    check_ids,
    codes,
    numbers,
    parse_language,
    phones,
    unique_map,
    warn_empty,
)

__all__ = ["parse_volunteers", "read_volunteers"]

_MODES = {
    "motorbike": "motorbike",
    "motorcycle": "motorbike",
    "moto": "motorbike",
    "motor": "motorbike",
    "xe_may": "motorbike",
    "xemay": "motorbike",
    "xe": "motorbike",
    "scooter": "motorbike",
    "walking": "walking",
    "walk": "walking",
    "foot": "walking",
    "on_foot": "walking",
    "di_bo": "walking",
    "dibo": "walking",
    "bo": "walking",
}


def _capacity(table: Table, out: Problems, default: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Read how many households each volunteer looks after (empty: ``default``)."""
    rows = table.rows
    cap_values, cap_bad = numbers(table.frame["capacity"])
    capacity = np.full(len(table.frame), default, dtype=np.int64)
    caps: list[str] = table.frame["capacity"].tolist()
    for i, raw in enumerate(caps):
        if not raw:
            continue
        v = cap_values[i]
        if cap_bad[i] or not float(v).is_integer():
            out.add(
                f"capacity {raw!r} is not a whole number",
                f"write how many households this volunteer looks after, e.g. {default}",
                row=rows[i],
                column="capacity",
                code="capacity_not_whole",
                params={"value": raw, "default": default},
            )
        elif not 1 <= v <= 500:
            out.add(
                f"capacity {raw} is outside 1..500",
                f"write a number of households, e.g. "
                f"{default}; leave it empty for the default ({default})",
                row=rows[i],
                column="capacity",
                code="capacity_range",
                params={"value": raw, "default": default},
            )
        else:
            capacity[i] = int(v)
    return capacity


def _report_no_availability(table: Table, out: Problems) -> None:
    empty = (table.frame["availability"] == "").to_numpy() & table.has("availability")
    for i in positions(empty):
        out.add(
            "availability is empty: the volunteer could never be planned",
            "write when the volunteer can go out, e.g. Sat 07:00-11:00; Sun 14:00-17:00",
            row=table.rows[i],
            column="availability",
            code="availability_empty",
        )


def _mode(text: str) -> str | None:
    return "motorbike" if not text.strip() else _MODES.get(slug(text))


def _modes(table: Table, out: Problems) -> list[str]:
    """Read how each volunteer travels (``motorbike`` or ``walking``; empty: motorbike)."""
    f = table.frame
    modes = unique_map(f["mode"], _mode)
    for i, m in enumerate(modes):
        if m is None:
            raw = str(f["mode"].tolist()[i])
            out.add(
                f"unknown mode {raw!r}",
                "write motorbike (xe máy) or walking (đi bộ); empty means motorbike",
                row=table.rows[i],
                column="mode",
                code="mode_unknown",
                params={"value": raw},
            )
    return [m or "motorbike" for m in modes]


def _skill_lookup(settings: Settings) -> dict[str, str]:
    """Folded name -> skill: a skill code, or the name of a service that needs it."""
    lookup = {slug(s): s for s in settings.skills}
    for code, st in settings.services.items():
        if st.skill:
            for name in (code, st.label_vi, st.label_en):
                if slug(name):
                    lookup.setdefault(slug(name), st.skill)
    return lookup


def parse_volunteers(path: PathLike, settings: Settings, checks: LocationChecks) -> Parsed:
    """Read and check the volunteer register without raising (see :func:`read_volunteers`)."""
    out = Problems(str(path))
    table = read_table(path, "volunteers", out)
    if table is None or not table.rows:
        return Parsed("volunteers", out.file, out.items)
    f = table.frame
    rows = table.rows
    ids = check_ids(table, "volunteer_id", out, "volunteer")
    warn_empty(
        table,
        "name",
        out,
        "write the volunteer's name (it is printed on the route sheet)",
        code="volunteer_name_empty",
    )
    capacity = _capacity(table, out, settings.planner.capacity)
    windows = availability_windows(table, out)
    _report_no_availability(table, out)
    modes = _modes(table, out)
    skills = codes(table, "skills", _skill_lookup(settings), sorted(settings.skills), out, "skill")
    languages = unique_map(f["languages"], parse_language)
    lon, lat, missing = read_locations(table, out, noun="volunteer", checks=checks, far="warning")
    for i in positions(missing):
        out.add(
            "home location is empty",
            "add the latitude and longitude of the volunteer's home (where the rounds start)",
            row=rows[i],
            column="latitude",
            code="home_location_empty",
        )

    data = {
        "volunteer_id": ids.tolist(),
        "name": f["name"].tolist(),
        "phone": phones(f["phone"], rows, out),
        "capacity": capacity,
        "windows": object_array(windows),
        "availability": f["availability"].tolist(),
        "mode": modes,
        "skills": object_array([frozenset(s) for s in skills]),
        "languages": object_array([frozenset(v) for v in languages]),
        "source_row": rows,
    }
    return Parsed("volunteers", out.file, out.items, points_frame(data, lon, lat))


def read_volunteers(
    path: PathLike,
    *,
    settings: Settings | None = None,
    area: Bounds | None = None,
    outlier_km: float = OUTLIER_KM,
    area_margin_km: float = AREA_MARGIN_KM,
) -> gpd.GeoDataFrame:
    """Read and validate the volunteer register.

    Parameters
    ----------
    path
        A ``.csv``, ``.xlsx``, ``.geojson`` or ``.gpkg`` file (see
        :data:`VOLUNTEER_COLUMNS` for the column names).
    settings
        Supplies the default ``capacity`` (``settings.planner.capacity``) and the known
        skills (``settings.skills``); defaults to ``Settings()``.
    area, outlier_km, area_margin_km
        As for :func:`read_households`; a home far away is only a warning (volunteers may
        live outside the area they serve).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 with ``volunteer_id``, ``name``, ``phone``, ``capacity``, ``windows``,
        ``availability``, ``mode``, ``skills``, ``languages``, ``source_row`` and the home
        as ``geometry``.

    Raises
    ------
    InputDataError
        Listing every problem in the file.

    """
    checks = LocationChecks(area, outlier_km, area_margin_km)
    return parse_volunteers(path, settings or Settings(), checks).result()
