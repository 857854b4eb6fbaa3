"""routeplan: plan door-to-door visit rounds for volunteers.

Households and the OpenStreetMap road network go in; an OR-Tools plan of who visits
whom, in which order, on which day comes out, with Folium maps and printable route
sheets. The public API is re-exported here and imported lazily, so that
``import routeplan`` stays fast (osmnx, ortools and folium load only when used).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import InfeasibleError, InputDataError, NetworkError, Problem, RouteplanError

__version__ = "0.1.0"

_LAZY = {
    "Settings": "config",
    "load_settings": "config",
    "read_households": "registers",
    "read_volunteers": "registers",
    "read_service_points": "registers",
    "load_network": "network",
    "Network": "network",
    "build_matrix": "matrix",
    "TravelMatrix": "matrix",
    "UNREACHABLE": "matrix",
    "plan": "planner",
    "Plan": "planner",
    "show_versions": "_versions",
}

__all__ = [
    "UNREACHABLE",
    "InfeasibleError",
    "InputDataError",
    "Network",
    "NetworkError",
    "Plan",
    "Problem",
    "RouteplanError",
    "Settings",
    "TravelMatrix",
    "__version__",
    "build_matrix",
    "load_network",
    "load_settings",
    "plan",
    "read_households",
    "read_service_points",
    "read_volunteers",
    "show_versions",
]

if TYPE_CHECKING:  # pragma: no cover
    from ._versions import show_versions
    from .config import Settings, load_settings
    from .matrix import UNREACHABLE, TravelMatrix, build_matrix
    from .network import Network, load_network
    from .planner import Plan, plan
    from .registers import read_households, read_service_points, read_volunteers


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'routeplan' has no attribute {name!r}")
