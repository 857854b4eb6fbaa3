"""Location checks: swaps, the area, far points, coordinates in one column."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_registers import HEADER, write

from routeplan.errors import InputDataError
from routeplan.registers import read_households


def test_swap_is_found_from_the_area_anywhere_in_the_world(tmp_path: Path) -> None:
    # Andorra: both orders are valid coordinates; only the area tells them apart
    rows = "\n".join(
        f"A{i},X,Encamp,{lat},{lon},,vneid,0,0,0,,,"
        for i, (lat, lon) in enumerate([(42.53, 1.58), (42.54, 1.59), (1.6, 42.55)])
    )
    path = write(tmp_path, "h.csv", HEADER + "\n" + rows + "\n")
    with pytest.raises(InputDataError) as exc:
        read_households(path, area=(1.4, 42.42, 1.79, 42.66))
    (p,) = exc.value.errors
    assert p.row == "row 4" and "swapped" in p.message and "outside the area" in p.message
    # without an area, the other points tell the same
    with pytest.raises(InputDataError) as exc:
        read_households(path)
    (p,) = exc.value.errors
    assert p.row == "row 4" and "swapped" in p.message


def test_points_outside_the_area(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "h.csv",
        HEADER + "\nA1,X,V,16.1182,108.0712,,vneid,0,0,0,,,\n"
        "A2,X,V,16.2500,108.0712,,vneid,0,0,0,,,\n",
    )
    area = (108.0, 16.05, 108.15, 16.2)
    with pytest.raises(InputDataError) as exc:
        read_households(path, area=area)
    (p,) = exc.value.errors
    assert p.row == "row 3" and "6 km outside the area" in p.message
    assert len(read_households(path, area=area, area_margin_km=10)) == 2


def test_far_point_limit_is_a_keyword(tmp_path: Path) -> None:
    rows = "\n".join(
        f"A{i},X,V,{lat},108.07,,vneid,0,0,0,,,"
        for i, lat in enumerate([16.10, 16.11, 16.12, 16.60])
    )
    path = write(tmp_path, "h.csv", HEADER + "\n" + rows + "\n")
    with pytest.raises(InputDataError, match="row 5"):
        read_households(path)
    assert len(read_households(path, outlier_km=60)) == 4


def test_coordinates_in_one_column(tmp_path: Path) -> None:
    path = write(
        tmp_path, "h.csv", 'ma_ho,ho_ten,thon,toa_do,dich_vu\nA1,X,V,"16.1182, 108.0712",vneid\n'
    )
    gdf = read_households(path)
    assert (gdf.geometry.iloc[0].x, gdf.geometry.iloc[0].y) == (108.0712, 16.1182)
