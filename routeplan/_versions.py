"""``show_versions()``: the facts a bug report needs."""

from __future__ import annotations

import importlib.metadata
import platform
import sys

__all__ = ["show_versions", "versions"]

_PACKAGES = (
    "routeplan",
    "geopandas",
    "shapely",
    "pyogrio",
    "osmnx",
    "networkx",
    "numpy",
    "pandas",
    "scipy",
    "ortools",
    "folium",
    "xstatic-leaflet",
    "osmium",
    "rasterio",
    "fpdf2",
    "matplotlib",
    "openpyxl",
)


def versions() -> dict[str, str]:
    """Return the versions of Python, the platform and routeplan's dependencies."""
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in _PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def show_versions() -> str:
    """Return a printable report of :func:`versions` (the CLI prints it)."""
    return "\n".join(f"{k:>16}: {v}" for k, v in versions().items())
