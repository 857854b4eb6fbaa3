"""Node elevation from OSM ``ele`` tags or from a digital elevation model (DEM).

A DEM is a raster of heights: a GeoTIFF, or an SRTM ``.hgt`` tile (``N16E107.hgt``),
also inside a ``.zip`` as NASA ships them. :func:`read_dem` reads the part of the
raster around the network, fills its void cells (SRTM marks them ``-32768``) from
their neighbours and counts them; :meth:`Dem.sample` interpolates bilinearly between
the four cell centres around each point, so heights change smoothly along a road.

The network stage (:mod:`routeplan.network`) samples every OSM node and points every
few tens of metres along each road, so a road over a ridge is not flat.
"""

from __future__ import annotations

import logging
import math
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import InputDataError, Problem

__all__ = ["Dem", "parse_ele", "read_dem", "sample_dems"]

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]

#: Cells at or below this height are voids whatever the file's nodata value says
#: (SRTM uses -32768; the Dead Sea shore is at -430 m).
VOID_BELOW = -1000.0

_SENTINEL = -32768.0
_RASTER_SUFFIXES = (".hgt", ".tif", ".tiff", ".vrt", ".asc", ".img", ".dem", ".bil")


@dataclass(frozen=True)
class Dem:
    """The part of a DEM raster that covers the network, voids filled.

    Parameters
    ----------
    name
        The file's name, for reports.
    heights
        Heights in metres, shape (rows, cols); ``NaN`` only where no valid cell was
        near enough to fill a void.
    transform
        The affine transform of ``heights`` (``rasterio`` / ``affine`` convention).
    crs
        The raster's coordinate reference system as WKT or ``"EPSG:4326"``.
    voids_filled
        How many void cells inside the window were filled from their neighbours.

    """

    name: str
    heights: npt.NDArray[np.float32]
    transform: Any
    crs: str
    voids_filled: int

    def sample(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
        """Bilinearly interpolated heights at lon/lat points; ``NaN`` outside the raster."""
        x = np.asarray(lon, dtype=np.float64)
        y = np.asarray(lat, dtype=np.float64)
        out = np.full(x.shape, np.nan)
        rows, cols = self.heights.shape
        if x.size == 0 or rows == 0 or cols == 0:
            return out
        if self.crs != "EPSG:4326":
            from pyproj import Transformer

            tr = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
            x, y = tr.transform(x, y)
            x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        inv = ~self.transform
        # fractional pixel coordinates; cell centres sit at integer + 0.5
        c = inv.a * x + inv.b * y + inv.c - 0.5
        r = inv.d * x + inv.e * y + inv.f - 0.5
        inside = (c >= -0.5) & (c <= cols - 0.5) & (r >= -0.5) & (r <= rows - 0.5)
        if not inside.any():
            return out
        c = np.clip(c[inside], 0, cols - 1)
        r = np.clip(r[inside], 0, rows - 1)
        c0 = np.minimum(np.floor(c).astype(np.intp), max(cols - 2, 0))
        r0 = np.minimum(np.floor(r).astype(np.intp), max(rows - 2, 0))
        c1 = np.minimum(c0 + 1, cols - 1)
        r1 = np.minimum(r0 + 1, rows - 1)
        fc = c - c0
        fr = r - r0
        h = self.heights.astype(np.float64, copy=False)
        top = h[r0, c0] * (1 - fc) + h[r0, c1] * fc
        bottom = h[r1, c0] * (1 - fc) + h[r1, c1] * fc
        out[inside] = top * (1 - fr) + bottom * fr
        return out


def parse_ele(value: str | None) -> float | None:
    """Read an OSM ``ele`` tag (``"812"``, ``"812.5 m"``, ``"812,5"``) as metres.

    Returns ``None`` when the value is missing or not a plausible height
    (feet are converted).
    """
    if value is None:
        return None
    text = value.strip().lower().replace(",", ".")
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*(m|ft|feet|')?", text)
    if not m:
        return None
    ele = float(m.group(1))
    if m.group(2) in ("ft", "feet", "'"):
        ele *= 0.3048
    return ele if -500.0 <= ele <= 9000.0 else None


def _raster_uri(path: Path) -> str:
    """Return a path rasterio can open, looking inside ``.zip`` files."""
    if path.suffix.lower() != ".zip":
        return str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            members = [n for n in zf.namelist() if n.lower().endswith(_RASTER_SUFFIXES)]
    except zipfile.BadZipFile:
        raise InputDataError(
            [Problem("not a valid .zip file", "download the DEM tile again", file=path.name)]
        ) from None
    if not members:
        raise InputDataError(
            [
                Problem(
                    "the .zip holds no elevation raster (.hgt or .tif)",
                    "pass the SRTM .hgt(.zip) or GeoTIFF itself",
                    file=path.name,
                )
            ]
        )
    return f"/vsizip/{path.resolve()}/{members[0]}"


def read_dem(
    path: str | os.PathLike[str],
    *,
    bounds: tuple[float, float, float, float] | None = None,
) -> Dem:
    """Read a DEM raster (GeoTIFF, SRTM ``.hgt``, either inside a ``.zip``).

    Parameters
    ----------
    path
        The raster file.
    bounds
        ``(west, south, east, north)`` in degrees: read only this part (plus a margin
        of two cells). ``None`` reads the whole raster.

    Returns
    -------
    Dem
        Heights with void cells filled by inverse-distance interpolation from their
        neighbours (``rasterio.fill.fillnodata``), the rest from the nearest valid cell.

    Raises
    ------
    InputDataError
        When the file is missing or is not a raster GDAL can read.

    """
    import rasterio
    import rasterio.errors
    import rasterio.windows
    from affine import Affine

    path = Path(path)
    if not path.exists():
        raise InputDataError([Problem("DEM file not found", "check the path", file=str(path))])
    uri = _raster_uri(path)
    try:
        with rasterio.open(uri) as ds:
            crs = "EPSG:4326" if ds.crs is None or ds.crs.to_epsg() == 4326 else ds.crs.to_wkt()
            window = rasterio.windows.Window(0, 0, ds.width, ds.height)
            if bounds is not None:
                w, s, e, n = bounds
                if crs != "EPSG:4326":
                    from rasterio.warp import transform_bounds

                    w, s, e, n = transform_bounds("EPSG:4326", ds.crs, w, s, e, n)
                win = rasterio.windows.from_bounds(w, s, e, n, ds.transform)
                col0 = max(math.floor(win.col_off) - 2, 0)
                row0 = max(math.floor(win.row_off) - 2, 0)
                col1 = min(math.ceil(win.col_off + win.width) + 2, ds.width)
                row1 = min(math.ceil(win.row_off + win.height) + 2, ds.height)
                window = rasterio.windows.Window(
                    col0, row0, max(col1 - col0, 0), max(row1 - row0, 0)
                )
            if window.width > 0 and window.height > 0:
                raw = ds.read(1, window=window, masked=False).astype(np.float32)
            else:
                raw = np.zeros((0, 0), dtype=np.float32)
            t = ds.transform  # window_transform() warns in affine >= 2.5; shift by hand
            col, row = float(window.col_off), float(window.row_off)
            transform = Affine(
                t.a, t.b, t.c + t.a * col + t.b * row, t.d, t.e, t.f + t.d * col + t.e * row
            )
            nodata = ds.nodata
    except rasterio.errors.RasterioIOError as exc:
        raise InputDataError(
            [
                Problem(
                    f"cannot read the DEM ({exc})",
                    "give a GeoTIFF or an SRTM tile named like N16E107.hgt (or .hgt.zip)",
                    file=path.name,
                )
            ]
        ) from None
    heights, filled = _fill_voids(raw, nodata)
    if filled:
        log.info("%s: filled %d void cells", path.name, filled)
    return Dem(path.name, heights, transform, crs, filled)


def _fill_voids(
    raw: npt.NDArray[np.float32], nodata: float | None
) -> tuple[npt.NDArray[np.float32], int]:
    """Fill void cells from their neighbours; return the heights and the count filled."""
    valid = np.isfinite(raw) & (raw > VOID_BELOW)
    if nodata is not None and not math.isnan(nodata):
        valid &= raw != nodata
    n_void = int(raw.size - np.count_nonzero(valid))
    if n_void == 0:
        return raw, 0
    if not valid.any():
        return np.full(raw.shape, np.nan, dtype=np.float32), 0
    from rasterio.fill import fillnodata
    from scipy import ndimage

    work = np.where(valid, raw, _SENTINEL).astype(np.float32)
    filled = fillnodata(work, mask=valid.astype(np.uint8), max_search_distance=100.0)
    # cells too far from any valid one keep the sentinel: take the nearest valid cell
    still = filled <= VOID_BELOW
    if still.any():
        idx = ndimage.distance_transform_edt(~valid, return_distances=False, return_indices=True)
        filled = np.where(still, work[tuple(idx)], filled).astype(np.float32)
    return np.asarray(filled, dtype=np.float32), n_void


def sample_dems(dems: Sequence[Dem], lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
    """Sample several DEM tiles: each point takes the first tile that covers it."""
    x = np.asarray(lon, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    y = np.asarray(lat, dtype=np.float64)
    for dem in dems:
        todo = np.isnan(out)
        if not todo.any():
            break
        out[todo] = dem.sample(x[todo], y[todo])
    return out
