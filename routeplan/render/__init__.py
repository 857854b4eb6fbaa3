"""Everything a user receives from a plan: tables and exports, maps, route sheets.

Each writer takes one checked :class:`~routeplan.render.bundle.PlanBundle` (made by
:func:`~routeplan.render.bundle.bundle`) and writes its files atomically::

    from routeplan.render import bundle, write_exports, write_maps

    checked = bundle(plan, households, volunteers, service_points=points,
                     matrices=matrices, settings=settings)
    write_exports(checked, "out/")
    write_maps(checked, "out/", network=network)

The submodules:

:mod:`~routeplan.render.bundle`
    The plan joined with its registers and checked once (:func:`bundle`).
:mod:`~routeplan.render.export`
    GeoPackage, GeoJSON, CSV and GPX (:func:`write_exports`, :func:`write_plan_tables`).
:mod:`~routeplan.render.maps`
    The overview map and the volunteers' phone pages (:func:`write_maps`).
:mod:`~routeplan.render.sheets`
    The route sheets to print (:func:`write_sheets`).
:mod:`~routeplan.render.text`, :mod:`~routeplan.render.legs`
    Text every output prints the same way; the lines rounds are drawn with.

The writers are imported when first used, so ``import routeplan.render`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .bundle import PlanBundle, Visit, bundle

if TYPE_CHECKING:  # pragma: no cover
    from .export import write_csv, write_exports, write_gpx, write_plan_tables
    from .maps import offline_html, offline_map, write_maps
    from .sheets import write_sheets

__all__ = [
    "PlanBundle",
    "Visit",
    "bundle",
    "offline_html",
    "offline_map",
    "write_csv",
    "write_exports",
    "write_gpx",
    "write_maps",
    "write_plan_tables",
    "write_sheets",
]

_LAZY = {
    "write_csv": "export",
    "write_exports": "export",
    "write_gpx": "export",
    "write_plan_tables": "export",
    "offline_html": "maps",
    "offline_map": "maps",
    "write_maps": "maps",
    "write_sheets": "sheets",
}


def __getattr__(name: str) -> Any:
    """Import a writer from its submodule when it is first asked for."""
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
