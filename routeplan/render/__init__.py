"""Everything a user receives from a plan: tables and exports, maps, route sheets.

Each writer takes one checked :class:`~routeplan.render.bundle.PlanBundle` (made by
:func:`~routeplan.render.bundle.bundle`) and writes its files atomically.
"""

from __future__ import annotations

from .bundle import PlanBundle, Visit, bundle

__all__ = ["PlanBundle", "Visit", "bundle"]
