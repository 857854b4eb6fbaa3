"""The column catalogue of the three registers and the header spellings accepted.

Canonical name -> accepted names, compared after folding (lower case, no diacritics,
any run of other characters turned into ``_``: ``"Số điện thoại"`` -> ``"so_dien_thoai"``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Literal

from ..timewindows import slug

__all__ = [
    "COLUMNS",
    "HOUSEHOLD_COLUMNS",
    "ID_COLUMN",
    "IGNORED",
    "REQUIRED",
    "SERVICE_POINT_COLUMNS",
    "VOLUNTEER_COLUMNS",
    "Kind",
    "alias_index",
]

Kind = Literal["households", "volunteers", "service_points"]

_ID = ("id", "ma")
_NAME = ("ho_ten", "ho_va_ten", "ten", "full_name")
_LAT = ("latitude", "lat", "vi_do", "y_lat")
_LON = ("longitude", "lon", "lng", "long", "kinh_do", "x_lon")
_COORDS = ("coordinates", "coords", "toa_do", "gps", "vi_tri", "location")
_PHONE = (
    "phone",
    "so_dien_thoai",
    "sdt",
    "dien_thoai",
    "dt",
    "so_dt",
    "phone_number",
    "mobile",
    "di_dong",
)
_AVAIL = (
    "availability",
    "windows",
    "time_windows",
    "thoi_gian",
    "khung_gio",
    "lich",
    "gio_ranh",
    "thoi_gian_ranh",
)

HOUSEHOLD_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "household_id": ("household_id", *_ID, "ma_ho", "ma_ho_gia_dinh", "ma_so_ho"),
    "head_name": ("head_name", "name", *_NAME, "chu_ho", "ten_chu_ho", "ho_ten_chu_ho"),
    "village": ("village", "hamlet", "thon", "xom", "ban", "thon_xom", "thon_ban", "lang"),
    "latitude": _LAT,
    "longitude": _LON,
    "coordinates": _COORDS,
    "phone": _PHONE,
    "services": ("services", "service", "dich_vu", "dich_vu_can_ho_tro", "thu_tuc", "nhu_cau"),
    "elderly": ("elderly", "nguoi_cao_tuoi", "cao_tuoi", "nct"),
    "disability": ("disability", "disabled", "khuyet_tat", "nguoi_khuyet_tat", "nkt"),
    "remote": ("remote", "vung_xa", "o_xa", "xa", "vung_sau_vung_xa", "vung_sau"),
    "language": ("language", "ngon_ngu", "tieng", "tieng_noi"),
    "availability": (*_AVAIL, "gio_co_nha", "thoi_gian_co_nha", "gio_hen"),
    "notes": ("notes", "note", "ghi_chu", "luu_y", "comments"),
}
"""Household register columns and the names accepted for each (folded)."""

VOLUNTEER_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "volunteer_id": ("volunteer_id", *_ID, "ma_tnv", "ma_tinh_nguyen_vien"),
    "name": ("name", *_NAME, "tinh_nguyen_vien", "tnv"),
    "phone": _PHONE,
    "latitude": _LAT,
    "longitude": _LON,
    "coordinates": _COORDS,
    "capacity": ("capacity", "so_ho", "so_ho_phu_trach", "suc_chua", "chi_tieu"),
    "availability": (*_AVAIL, "lich_ranh", "gio_di"),
    "mode": ("mode", "phuong_tien", "di_chuyen", "transport"),
    "skills": ("skills", "skill", "ky_nang"),
    "languages": ("languages", "language", "ngon_ngu", "tieng"),
}
"""Volunteer register columns and the names accepted for each (folded)."""

SERVICE_POINT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "point_id": ("point_id", *_ID, "ma_diem"),
    "name": ("name", "ten", "ten_diem", "ten_co_quan", "co_quan"),
    "latitude": _LAT,
    "longitude": _LON,
    "coordinates": _COORDS,
}
"""Service point register columns and the names accepted for each (folded)."""

COLUMNS: Mapping[Kind, Mapping[str, tuple[str, ...]]] = {
    "households": HOUSEHOLD_COLUMNS,
    "volunteers": VOLUNTEER_COLUMNS,
    "service_points": SERVICE_POINT_COLUMNS,
}
"""The columns of each register."""

REQUIRED: Mapping[Kind, tuple[str, ...]] = {
    "households": ("household_id", "head_name", "village", "services"),
    "volunteers": ("volunteer_id", "name", "availability"),
    "service_points": ("point_id", "name"),
}
"""The columns a register must have (besides a location, see :mod:`.tables`)."""

IGNORED = frozenset({"stt", "tt", "so_thu_tu", "no", "fid", "ogc_fid", "index", "unnamed"})
"""Folded headers of columns dropped without a warning (row numbers, GIS ids)."""

ID_COLUMN: Mapping[Kind, str] = {
    "households": "household_id",
    "volunteers": "volunteer_id",
    "service_points": "point_id",
}
"""The id column of each register."""


@functools.lru_cache(maxsize=8)
def alias_index(kind: Kind) -> Mapping[str, str]:
    """Map every folded accepted name of a register's columns to its canonical name."""
    return {slug(a): canon for canon, aliases in COLUMNS[kind].items() for a in aliases}
