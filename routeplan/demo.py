"""Where the demo commune's files are.

The demo is a synthetic commune modelled on Hoa Bac (Hai Van ward, Da Nang), made by
``data/make_demo.py`` and shipped in ``data/demo/`` of the source repository: an
OpenStreetMap file of the road network and the three registers. See
``data/README.md``. The demo plans a fixed week (:data:`DEMO_WEEK`, so that its
outputs are the same every time) for a made-up coordinator (:data:`DEMO_COORDINATOR`),
so that its sheets and phone pages show a date and someone to call, as real ones do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import InputDataError, Problem, RouteplanError

__all__ = ["DEMO_COORDINATOR", "DEMO_FILES", "DEMO_WEEK", "demo_dir", "demo_files", "demo_week"]

DEMO_WEEK = dt.date(2026, 12, 7)
"""The Monday the demo plans unless told another (a fixed day: the demo is reproducible)."""

DEMO_COORDINATOR = "Lê Thị Hồng Nhung (Bí thư Đoàn xã) 0905 000 123"
"""The demo's coordinator (made up, like the commune), printed on its sheets and pages."""

DEMO_FILES: dict[str, str] = {
    "network": "hoabac.osm",
    "households": "households.csv",
    "volunteers": "volunteers.csv",
    "service_points": "service_points.csv",
}
"""The demo's files by role, as named in ``data/demo/``."""

_HOW_TO_GET = (
    "the demo commune is shipped in data/demo/ of the routeplan source repository, not in "
    "the installed package: run routeplan from a clone of the repository (pip install -e .), "
    "or make the files again with `python data/make_demo.py`"
)


def _default_dir() -> Path:
    # routeplan/demo.py -> <checkout>/data/demo
    return Path(__file__).resolve().parent.parent / "data" / "demo"


def demo_dir() -> Path:
    """Return the folder holding the demo commune's files (``data/demo`` of the checkout).

    Returns
    -------
    Path
        Absolute path of the folder.

    Raises
    ------
    RouteplanError
        If the folder is not there (routeplan was installed from a wheel rather than
        run from a source checkout), saying how to get it.

    """
    path = _default_dir()
    if not path.is_dir():
        raise RouteplanError(f"The demo commune's folder {path} is missing: {_HOW_TO_GET}.")
    return path


def demo_files() -> dict[str, Path]:
    """Return the demo commune's files by role.

    Returns
    -------
    dict of str to Path
        ``"network"`` (OpenStreetMap XML), ``"households"``, ``"volunteers"`` and
        ``"service_points"`` (CSV registers), each an absolute path.

    Raises
    ------
    RouteplanError
        If the folder or any of the files is missing, naming every missing file.

    """
    folder = demo_dir()
    files = {role: folder / name for role, name in DEMO_FILES.items()}
    missing = [p.name for p in files.values() if not p.is_file()]
    if missing:
        raise RouteplanError(
            f"The demo commune in {folder} is incomplete: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing; make the files again with "
            "`python data/make_demo.py`."
        )
    return files


def demo_week(text: str | None) -> dt.date:
    """Return the Monday written ``text`` (``YYYY-MM-DD``), or :data:`DEMO_WEEK` for ``None``.

    Raises
    ------
    InputDataError
        If ``text`` is not a date or not a Monday, saying which Monday is nearest.

    Examples
    --------
    >>> demo_week(None), demo_week("2026-11-30")
    (datetime.date(2026, 12, 7), datetime.date(2026, 11, 30))

    """
    if text is None:
        return DEMO_WEEK
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputDataError(
            [Problem(f"--week {text!r} is not a date", "write the Monday as YYYY-MM-DD")]
        ) from None
    if day.weekday() != 0:
        monday = day - dt.timedelta(days=day.weekday())
        raise InputDataError(
            [Problem(f"--week {text} is not a Monday", f"write the Monday: {monday.isoformat()}")]
        )
    return day
