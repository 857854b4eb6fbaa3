"""The service points: the offices that receive and return the paperwork."""

from __future__ import annotations

import geopandas as gpd

from ._common import Bounds, Parsed, PathLike, Problems, points_frame, positions
from .coordinates import AREA_MARGIN_KM, OUTLIER_KM, LocationChecks, read_locations
from .tables import read_table
from .values import check_ids, warn_empty

__all__ = ["parse_service_points", "read_service_points"]


def parse_service_points(path: PathLike, checks: LocationChecks) -> Parsed:
    """Read and check the service points without raising (see :func:`read_service_points`)."""
    out = Problems(str(path))
    table = read_table(path, "service_points", out)
    if table is None or not table.rows:
        return Parsed("service_points", out.file, out.items)
    ids = check_ids(table, "point_id", out, "service point")
    warn_empty(
        table,
        "name",
        out,
        "write the office's name (it is shown on the maps)",
        code="office_name_empty",
    )
    lon, lat, missing = read_locations(
        table, out, noun="service point", checks=checks, far="warning"
    )
    for i in positions(missing):
        out.add(
            "location is empty",
            "add the latitude and longitude of the office",
            row=table.rows[i],
            column="latitude",
            code="office_location_empty",
        )

    data = {
        "point_id": ids.tolist(),
        "name": table.frame["name"].tolist(),
        "source_row": table.rows,
    }
    return Parsed("service_points", out.file, out.items, points_frame(data, lon, lat))


def read_service_points(
    path: PathLike,
    *,
    area: Bounds | None = None,
    outlier_km: float = OUTLIER_KM,
    area_margin_km: float = AREA_MARGIN_KM,
) -> gpd.GeoDataFrame:
    """Read and validate the service points (offices that receive and return paperwork).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 with ``point_id``, ``name``, ``source_row`` and ``geometry``.

    Raises
    ------
    InputDataError
        Listing every problem in the file.

    """
    checks = LocationChecks(area, outlier_km, area_margin_km)
    return parse_service_points(path, checks).result()
