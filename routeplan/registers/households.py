"""The household register: reading, validating, placing households at their village."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..config import Settings
from ..timewindows import slug
from ._common import (
    Bounds,
    Parsed,
    PathLike,
    Problems,
    closest,
    object_array,
    points_frame,
    positions,
    rows_text,
)
from .coordinates import AREA_MARGIN_KM, OUTLIER_KM, LocationChecks, read_locations
from .tables import Table, read_table
from .values import (
    availability_windows,
    check_ids,
    codes,
    flags,
    parse_language,
    phones,
    service_lookup,
    unique_map,
    warn_empty,
)

__all__ = ["parse_households", "read_households", "village_key"]

Places = Mapping[str, tuple[float, float]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]

_VILLAGE_PREFIX = re.compile(r"^(?:thon|xom|ban|lang|khu|to|village|hamlet)_(?=.)")


def village_key(name: str) -> str:
    """Fold a village name for matching: ``"Thôn Khe Tre"`` and ``"khe tre"`` match."""
    return _VILLAGE_PREFIX.sub("", slug(name))


def _services(table: Table, settings: Settings, out: Problems) -> list[tuple[str, ...]]:
    """Read the services each household needs; warn about households that list none."""
    lookup = service_lookup(settings)
    services = codes(table, "services", lookup, list(settings.services), out, "service")
    for i in positions((table.frame["services"] == "").to_numpy() & table.has("services")):
        out.add(
            "no services listed",
            "list the services the household needs, e.g. vneid;health_insurance",
            row=table.rows[i],
            column="services",
            severity="warning",
            code="no_services",
        )
    return services


def _languages(table: Table, out: Problems) -> list[str]:
    """Read the one language each household needs help in (``""``: Vietnamese)."""
    f = table.frame
    langs = unique_map(f["language"], parse_language)
    for i, v in enumerate(langs):
        if len(v) > 1:
            out.add(
                f"several languages {f['language'].iat[i]!r}; using {v[0]!r}",
                "write the one language the household needs help in",
                row=table.rows[i],
                column="language",
                severity="warning",
                code="languages_several",
                params={"value": f["language"].iat[i], "first": v[0]},
            )

    return [v[0] if v else "" for v in langs]


def _village_points(
    villages: np.ndarray[Any, np.dtype[np.object_]],
    lon: FloatArray,
    lat: FloatArray,
    places: Places | None,
) -> dict[str, tuple[float, float]]:
    """Village key -> point: the centre of its households with GPS, else from ``places``."""
    known: dict[str, tuple[float, float]] = {}
    gps = np.isfinite(lon)
    if gps.any():
        centres = pd.DataFrame({"v": villages[gps], "lon": lon[gps], "lat": lat[gps]})
        for v, g in centres.groupby("v"):
            if v:
                known[str(v)] = (float(g["lon"].mean()), float(g["lat"].mean()))
    for name, (plon, plat) in (places or {}).items():
        known[village_key(name)] = (float(plon), float(plat))
    return known


def _report_unplaced(
    table: Table,
    i: int,
    village: str,
    out: Problems,
    *,
    known_names: list[str],
) -> None:
    """Report household ``i``, which has no coordinates and no village on the map."""
    typed = table.frame["village"].iat[i]
    if not typed:
        out.add(
            "no location: latitude, longitude and village are empty",
            "add the latitude and longitude (e.g. from a phone's map app), or at least the village",
            row=table.rows[i],
            column="latitude",
            code="no_location",
        )

        return
    near = closest(village, {village_key(n): n for n in known_names})
    near_name = next((n for n in known_names if village_key(n) == near), None)
    hint = f"did you mean {near_name!r}? " if near_name else ""
    out.add(
        f"no coordinates, and village {typed!r} is not on the map and has no "
        "other household with coordinates",
        f"add the latitude and longitude, or correct the village name "
        f"({hint}known villages: {', '.join(known_names[:15]) or 'none'})",
        row=table.rows[i],
        column="village",
        code="village_unknown",
        params={
            "village": typed,
            "near": near_name or "",
            "known": ", ".join(known_names[:15]),
        },
    )


def _place_at_villages(
    table: Table,
    out: Problems,
    places: Places | None,
    located: tuple[FloatArray, FloatArray, np.ndarray[Any, np.dtype[np.object_]]],
    missing: np.ndarray[Any, np.dtype[np.bool_]],
) -> None:
    """Place households without coordinates at their village (``located`` in place)."""
    lon, lat, quality = located
    f = table.frame
    villages = np.array(unique_map(f["village"], village_key), dtype=object)
    known = _village_points(villages, lon, lat, places)
    # the villages a name could be meant as: on the map, or of households with GPS
    names = sorted(
        {str(n) for n in (places or {})}
        | set(f["village"][np.isfinite(lon) & (quality == "gps")].unique())
    )
    placed = []
    for i in positions(missing):
        v = villages[i]
        if v in known:
            lon[i], lat[i] = known[v]
            quality[i] = "village"
            placed.append(table.rows[i])
            continue
        _report_unplaced(table, i, v, out, known_names=names)
    if placed:
        n = len(placed)
        out.add(
            f"{n} household{'s have' if n > 1 else ' has'} no coordinates and "
            f"{'are' if n > 1 else 'is'} placed at the centre of the village "
            f"({rows_text(placed)})",
            "add their latitude and longitude for accurate routes",
            column="latitude",
            severity="warning",
            code="placed_at_village",
            params={"n": n, "rows": rows_text(placed)},
        )


def parse_households(
    path: PathLike, settings: Settings, places: Places | None, checks: LocationChecks
) -> Parsed:
    """Read and check the household register without raising (see :func:`read_households`)."""
    out = Problems(str(path))
    table = read_table(path, "households", out, coords_required=not places)
    if table is None or not table.rows:
        return Parsed("households", out.file, out.items)
    f = table.frame
    rows = table.rows
    ids = check_ids(table, "household_id", out, "household")
    warn_empty(
        table,
        "head_name",
        out,
        "write the name of the head of household (it is printed on the route sheet)",
        code="head_name_empty",
    )
    services = _services(table, settings, out)
    flag = {c: flags(table, c, out) for c in ("elderly", "disability", "remote")}
    language = _languages(table, out)
    windows = availability_windows(table, out)
    lon, lat, missing = read_locations(table, out, noun="household", checks=checks, far="error")
    quality = np.where(np.isfinite(lon), "gps", "").astype(object)
    # households without coordinates: place them at their village
    if missing.any():
        _place_at_villages(table, out, places, (lon, lat, quality), missing)
    data = {
        "household_id": ids.tolist(),
        "head_name": f["head_name"].tolist(),
        "village": f["village"].tolist(),
        "phone": phones(f["phone"], rows, out),
        "services": object_array(services),
        "elderly": flag["elderly"],
        "disability": flag["disability"],
        "remote": flag["remote"],
        "language": language,
        "priority": (
            flag["elderly"]
            | flag["disability"]
            | flag["remote"]
            | np.array([bool(x) for x in language], dtype=bool)
        ),
        "windows": object_array(windows),
        "availability": f["availability"].tolist(),
        "notes": f["notes"].tolist(),
        "location_quality": quality.tolist(),
        "source_row": rows,
    }
    return Parsed("households", out.file, out.items, points_frame(data, lon, lat))


def read_households(
    path: PathLike,
    *,
    settings: Settings | None = None,
    places: Places | None = None,
    area: Bounds | None = None,
    outlier_km: float = OUTLIER_KM,
    area_margin_km: float = AREA_MARGIN_KM,
) -> gpd.GeoDataFrame:
    """Read and validate the household register.

    Parameters
    ----------
    path
        A ``.csv`` (UTF-8, with or without BOM), ``.xlsx``, ``.geojson`` or ``.gpkg`` file.
        Column names may be English or Vietnamese (see :data:`HOUSEHOLD_COLUMNS`).
    settings
        Supplies the service catalogue (``settings.services``); defaults to ``Settings()``.
    places
        Village name -> ``(lon, lat)`` (e.g. the map's place nodes). A household without
        coordinates is placed at its village from here, or else at the centre of the
        other households of its village; names match ignoring case and diacritics.
    area
        ``(min lon, min lat, max lon, max lat)`` of the area being planned (e.g. the road
        network's bounds). Households more than ``area_margin_km`` outside it are errors.
        Without it, households farther than ``outlier_km`` from the median of the file's
        points are.
    outlier_km, area_margin_km
        Distances of the two checks above.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per input row, columns as in ``docs/ARCHITECTURE.md``
        (``household_id``, ``head_name``, ``village``, ``phone``, ``services``,
        ``elderly``, ``disability``, ``remote``, ``language``, ``priority``, ``windows``,
        ``availability``, ``notes``, ``location_quality``, ``source_row``, ``geometry``).
        Warnings are logged and kept in ``gdf.attrs["problems"]``.

    Raises
    ------
    InputDataError
        Listing every problem in the file with its row, column and a fix.

    """
    checks = LocationChecks(area, outlier_km, area_margin_km)
    return parse_households(path, settings or Settings(), places, checks).result()
