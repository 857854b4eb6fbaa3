"""Elevation: ele tags, DEM rasters (GeoTIFF, SRTM .hgt.zip), void filling, ridges."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np
import pytest

from routeplan.errors import InputDataError
from routeplan.network import load_network
from routeplan.network.elevation import parse_ele, read_dem, sample_dems

# a 0.01-degree grid over the slope fixture (108.000-108.0094 E, 16.0 N)
WEST, NORTH, CELL = 107.995, 16.005, 0.001


def write_tif(path: Path, heights: np.ndarray, nodata: float = -32768.0) -> Path:
    import rasterio
    from affine import Affine

    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=heights.shape[1],
        height=heights.shape[0],
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=Affine(CELL, 0, WEST, 0, -CELL, NORTH),
        nodata=nodata,
    ) as ds:
        ds.write(heights.astype("float32"), 1)
    return path


@pytest.fixture
def ramp(tmp_path: Path) -> Path:
    """Heights rising 10 m per cell eastwards, with one void cell."""
    cols = np.arange(20, dtype=float)
    heights = np.tile(100 + 10 * cols, (10, 1))
    heights[4, 7] = -32768
    return write_tif(tmp_path / "ramp.tif", heights)


def test_parse_ele() -> None:
    assert parse_ele("812") == 812.0
    assert parse_ele("812.5 m") == 812.5
    assert parse_ele("812,5") == 812.5
    assert parse_ele("1000 ft") == pytest.approx(304.8)
    assert parse_ele("about 800") is None
    assert parse_ele("99999") is None
    assert parse_ele(None) is None


def test_bilinear_sampling_and_void_filled(ramp: Path) -> None:
    dem = read_dem(ramp)
    assert dem.voids_filled == 1
    assert np.isfinite(dem.heights).all()
    # the void at row 4, col 7 is filled from its neighbours on the ramp
    assert 160 < dem.heights[4, 7] < 180
    # cell centres sit half a cell in: col 3 centre at WEST + 3.5 cells -> 130 m
    lon = np.array([WEST + 3.5 * CELL, WEST + 3.75 * CELL, WEST + 7.5 * CELL, 120.0])
    lat = np.full(4, NORTH - 2.5 * CELL)
    z = dem.sample(lon, lat)
    assert z[0] == pytest.approx(130)
    assert z[1] == pytest.approx(132.5)  # a quarter of the way to the next cell
    assert 160 < z[2] < 180
    assert math.isnan(z[3])  # outside the raster


def test_window_read_and_several_tiles(ramp: Path, tmp_path: Path) -> None:
    part = read_dem(ramp, bounds=(WEST + 0.002, NORTH - 0.004, WEST + 0.004, NORTH - 0.002))
    assert part.heights.shape[0] < 10 and part.heights.shape[1] < 20
    x, y = WEST + 3.5 * CELL, NORTH - 2.5 * CELL
    assert part.sample([x], [y])[0] == pytest.approx(130)
    other = write_tif(tmp_path / "far.tif", np.full((3, 3), 7.0))
    z = sample_dems([read_dem(other), read_dem(ramp)], [x, WEST + 0.0005], [y, NORTH - 0.0005])
    assert z[0] == pytest.approx(130)  # only the ramp covers it
    assert z[1] == pytest.approx(7.0)  # the first tile wins where both cover


def test_bad_dem_files(tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="not found"):
        read_dem(tmp_path / "N16E107.hgt")
    (tmp_path / "junk.tif").write_text("not a raster")
    with pytest.raises(InputDataError, match="cannot read the DEM"):
        read_dem(tmp_path / "junk.tif")
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as zf:
        zf.writestr("readme.txt", "nothing")
    with pytest.raises(InputDataError, match="no elevation raster"):
        read_dem(tmp_path / "empty.zip")


def test_dem_slope_makes_walking_directional(fixtures_dir: Path, ramp: Path) -> None:
    # the ramp rises 10 m per 0.001 degree (~107 m) eastwards: about 9 % uphill
    net = load_network(fixtures_dir / "osm" / "slope.osm", dem=ramp)
    east, west = net.graph.edges[1, 3, 0], net.graph.edges[3, 1, 0]
    assert east["walk_s"] > 1.3 * west["walk_s"]
    assert net.report.dem_voids_filled == 1
    assert net.report.elevation_source == "ramp.tif"
    assert net.graph.nodes[3]["elevation"] - net.graph.nodes[1]["elevation"] == pytest.approx(
        10 * 9.354, abs=1.5
    )


def test_road_over_a_ridge_is_not_flat(fixtures_dir: Path, tmp_path: Path) -> None:
    # both ends at 100 m, a 300 m ridge between them: the road is sampled along its way
    cols = np.arange(20)
    ridge = np.tile(100 + 200 * np.exp(-(((cols - 9.7) / 2.0) ** 2)), (10, 1))
    flat = write_tif(tmp_path / "flat.tif", np.full((10, 20), 100.0))
    hill = write_tif(tmp_path / "ridge.tif", ridge)
    on_flat = load_network(fixtures_dir / "osm" / "slope.osm", dem=flat)
    on_hill = load_network(fixtures_dir / "osm" / "slope.osm", dem=hill)
    g0, g1 = on_flat.graph, on_hill.graph
    assert g1.nodes[1]["elevation"] == pytest.approx(g1.nodes[3]["elevation"], abs=25)
    for u, v in ((1, 3), (3, 1)):
        assert g1.edges[u, v, 0]["walk_s"] > 1.2 * g0.edges[u, v, 0]["walk_s"]


@pytest.mark.shared
def test_srtm_zip_tile(andorra_dem: Path) -> None:
    dem = read_dem(andorra_dem, bounds=(1.40, 42.42, 1.80, 42.66))
    assert dem.voids_filled > 0
    # Andorra la Vella ~1,050 m; Pic de Coma Pedrosa (2,942 m) summit area
    vella, peak = dem.sample([1.5218, 1.4449], [42.5075, 42.5917])
    assert 950 < vella < 1200
    assert 2700 < peak < 3000
