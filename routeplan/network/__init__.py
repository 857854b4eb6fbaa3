"""The road network: OpenStreetMap -> a routable graph with travel times per mode.

:func:`load_network` reads a local OSM file (.osm, .osm.bz2, .osm.pbf), downloads an
area with osmnx, or reloads a GraphML file saved by :meth:`Network.save`, repairs
what real extracts get wrong, and puts walking and motorbike seconds on every
directed edge (osmnx form, lon/lat). Every repair is counted in a
:class:`NetworkReport`.

Submodules
----------
``load``
    :func:`load_network`: local files, GraphML, downloads, DEMs, closures.
``model``
    :class:`Network`, :class:`NetworkReport`, :class:`Island`, :class:`Place`,
    :class:`BBox`, :func:`fingerprint`.
``access``
    OSM tags -> who may travel a way, how fast: highway classes, :data:`WALK_ONLY`,
    foot / access / motorroad / oneway rules, speeds.
``build``
    OSM ways -> the routable graph, step by step (and the list of repairs).
``travel``
    The travel-time model: ``walk_s`` (Tobler, slope-aware) and ``ride_s``.
``repair``
    Ways clipped at the extract's edge, islands.
``closures``
    Closed or flooded ways for one run (way ids or lines drawn in a GIS).
``download``
    Areas from OpenStreetMap through osmnx.
``graphml``
    Save and reload, offline.
``report``
    :meth:`Network.summary` and :meth:`Network.km_by_class`.
``osmfile``, ``elevation``, ``ways``
    Reading OSM files (pyosmium) and :func:`read_places`; ``ele`` tags and DEM
    rasters; :func:`each_way_once`, the one way to count each piece of road once.
"""

from __future__ import annotations

from .access import CUSTOM_FILTER_CLASSES, WALK_ONLY, is_unpaved
from .download import custom_filter
from .load import check_network_file, load_network
from .model import BBox, Island, Network, NetworkReport, Place, fingerprint
from .osmfile import read_places
from .travel import tobler_s_per_m
from .ways import each_way_once, way_key

__all__ = [
    "CUSTOM_FILTER_CLASSES",
    "WALK_ONLY",
    "BBox",
    "Island",
    "Network",
    "NetworkReport",
    "Place",
    "check_network_file",
    "custom_filter",
    "each_way_once",
    "fingerprint",
    "is_unpaved",
    "load_network",
    "read_places",
    "tobler_s_per_m",
    "way_key",
]
