"""The report's files: HTML with an offline map, CSV, GeoPackage."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import geopandas as gpd
import pytest
from helpers_coverage import gdf as _gdf

from routeplan import coverage as cv


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
        options=cv.CoverageOptions(add=add, candidates=cands, choose=1),
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
