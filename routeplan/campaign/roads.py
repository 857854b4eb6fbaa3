"""The road files a project plans with: the network, elevation and closures it remembers.

``routeplan init --network --dem --closures`` (:func:`~routeplan.campaign.init_project`
with :class:`RoadFiles`) records their paths in the project; the files themselves stay
where they are. :func:`project_roads` reads the paths back, so that every plan and
re-plan of the project's weeks (the command line's and the app's) loads the same roads.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .store import PathLike, meta, set_meta, transaction

__all__ = ["RoadFiles", "project_network", "project_roads", "remember_roads", "roads_summary"]


@dataclass(frozen=True)
class RoadFiles:
    """The road network file and what changes its travel times: elevation, closures.

    Given to :func:`~routeplan.campaign.init_project`, each file given replaces the
    one the project remembered; one not given (``None``) leaves it as it was.

    Attributes
    ----------
    network
        An OSM file or a saved GraphML.
    dem
        Elevation raster(s) for slope-aware walking times.
    closures
        Closed or flooded ways (way ids, or lines in GeoJSON / GeoPackage).
    forget_closures
        Forget the closures remembered (the road is open again).

    """

    network: PathLike | None = None
    dem: Sequence[PathLike] | None = None
    closures: PathLike | None = None
    forget_closures: bool = False


def remember_roads(conn: sqlite3.Connection, roads: RoadFiles) -> RoadFiles:
    """Record the given road files' absolute paths in the open project ``conn``.

    Returns what was recorded: the absolute paths of the files given.
    """
    done = RoadFiles(
        network=None if roads.network is None else Path(roads.network).resolve(),
        dem=None if roads.dem is None else tuple(Path(d).resolve() for d in roads.dem),
        closures=None if roads.closures is None else Path(roads.closures).resolve(),
        forget_closures=roads.forget_closures and roads.closures is None,
    )
    if done.network is not None:
        set_meta(conn, "network", str(done.network))
    if done.dem is not None:
        set_meta(conn, "dem", json.dumps([str(d) for d in done.dem]))
    if done.closures is not None:
        set_meta(conn, "closures", str(done.closures))
    elif done.forget_closures:
        set_meta(conn, "closures", "")
    return done


def roads_summary(roads: RoadFiles) -> list[str]:
    """Say which road files a project now remembers, one line each (none: nothing new)."""
    lines = []
    if roads.network is not None:
        lines.append(f"  road network: {roads.network}")
    if roads.dem is not None:
        lines.append(f"  elevation: {', '.join(map(str, roads.dem)) or 'none'}")
    if roads.closures is not None:
        lines.append(f"  closures: {roads.closures} (closed in every plan until forgotten)")
    elif roads.forget_closures:
        lines.append("  closures: none (forgotten: every road is open again)")
    return lines


def project_roads(path: PathLike) -> RoadFiles:
    """Return the road files remembered by :func:`~routeplan.campaign.init_project`.

    Paths are absolute; what the project does not remember is ``None``.
    """
    with transaction(path, write=False) as conn:
        network, dem, closures = (meta(conn, k) for k in ("network", "dem", "closures"))
    return RoadFiles(
        network=Path(network) if network else None,
        dem=(tuple(Path(d) for d in json.loads(dem)) or None) if dem else None,
        closures=Path(closures) if closures else None,
    )


def project_network(path: PathLike) -> Path | None:
    """Return the road network file remembered by :func:`init_project`, if any."""
    network = project_roads(path).network
    return Path(network) if network is not None else None
