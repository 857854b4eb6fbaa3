"""HTML maps for the coordinator and for each volunteer's phone.

:func:`write_maps` writes, into one output folder:

``map_overview.html``
    For the coordinator: every volunteer's households in their own colour and
    marker style, one layer per volunteer that can be switched on and off, each
    round drawn along the roads and paths travelled, the service points, hamlet
    names, the households nobody could take (red crosses, also listed in a panel),
    a legend and a summary table (households, rounds and hours per volunteer, with
    a link to each volunteer's page).
``volunteers/<volunteer_id>.html``
    For one volunteer's phone: the stops of each round numbered in visit order, one
    layer per day, the route along the roads, a popup per household (services
    needed, a button to call, when they are at home, notes, and buttons that open
    the place in the phone's map app) and the day's stops listed under the map with
    big buttons.

Both work without a connection: Leaflet is read from the ``xstatic-leaflet`` package
and inlined into the page (no CDN, no other scripts or style sheets), and the road
network is drawn from the data as a light vector layer. OpenStreetMap tiles show
beneath it when the phone is online.

Everything taken from the registers (names, notes, villages) is escaped: it is shown
as text, never run as markup. Coordinates are rounded to 5 decimals (about 1 m).

The submodules:

:mod:`~routeplan.render.maps.overview`, :mod:`~routeplan.render.maps.volunteer`
    The two kinds of page.
:mod:`~routeplan.render.maps.context`, :mod:`~routeplan.render.maps.popups`
    The bundle as the pages show it; a household's popup and buttons.
:mod:`~routeplan.render.maps.offline`
    :func:`offline_map` and :func:`offline_html`, the offline page skeleton (also
    used by the coverage report).
:mod:`~routeplan.render.maps.assets`, :mod:`~routeplan.render.maps.elements`
    Leaflet inlined, the style sheets and the ``RP`` script; folium elements.
:mod:`~routeplan.render.maps.roads`
    The road network as a light vector layer.
:mod:`~routeplan.render.maps.style`, :mod:`~routeplan.render.maps.coords`
    Marker styles, colours, escaping and formats; coordinates and lines.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from ..._io import write_text
from ..bundle import PlanBundle
from ..text import remove_stale, safe_file_name
from .context import MapContext
from .offline import offline_html, offline_map
from .overview import overview
from .roads import road_lines
from .style import DAY_COLOURS, MarkerStyle, volunteer_style
from .volunteer import volunteer_page

__all__ = [
    "DAY_COLOURS",
    "MarkerStyle",
    "offline_html",
    "offline_map",
    "volunteer_style",
    "write_maps",
]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]


def write_maps(
    bundle: PlanBundle,
    out_dir: str | Path,
    *,
    network: Any = None,
    places: Mapping[str, tuple[float, float]] | None = None,
    volunteers: Collection[str] | None = None,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write the coordinator's overview map and one phone page per volunteer.

    Parameters
    ----------
    bundle
        The plan with its registers (:func:`routeplan.render.bundle`). Each round is
        drawn along ``matrix.path`` of its mode's travel matrix (the roads
        travelled), or as straight lines when its mode has none;
        ``settings.output.language`` chooses Vietnamese (default) or English words
        and ``settings.services`` names the services.
    out_dir
        Output folder, created when missing.
    network
        The :class:`routeplan.network.Network` (or anything with an osmnx-form
        ``graph``): its roads and paths are drawn as a light vector layer so that
        the maps are readable offline. Without it only the tiles (online) show.
    places
        Hamlet names to label, ``{name: (lon, lat)}``; by default each household
        village is labelled at the median position of its households.
    volunteers
        Write the phone pages of these volunteers only (the overview is always
        written); one of them no longer in the register loses the page an earlier plan
        left. Default: every volunteer in the register.
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    list of pathlib.Path
        ``map_overview.html`` first, then ``volunteers/<volunteer_id>.html`` for
        every volunteer in the register (of ``volunteers``; a volunteer without rounds
        gets a page saying so).

    """
    out = Path(out_dir)
    ctx = MapContext(bundle)
    if progress:
        progress("maps: simplifying the road network", 0.0)
    roads = road_lines(network) if network is not None else []
    if progress:
        progress("maps: overview", 0.05)
    paths = [write_text(out / "map_overview.html", overview(ctx, roads, places))]
    vids = list(bundle.volunteers)
    if volunteers is not None:
        remove_stale(out / "volunteers", set(volunteers) - set(vids), ".html")
        vids = [v for v in vids if v in volunteers]
    for k, vid in enumerate(vids):
        if progress:
            progress(f"maps: volunteer {vid}", 0.1 + 0.9 * k / max(len(vids), 1))
        page = volunteer_page(ctx, vid, roads)
        paths.append(write_text(out / "volunteers" / f"{safe_file_name(vid)}.html", page))
    if progress:
        progress("maps: done", 1.0)
    log.info("wrote %d map pages into %s", len(paths), out)
    return paths
