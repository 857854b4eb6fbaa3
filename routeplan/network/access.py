"""OSM tags -> how a way may be travelled: highway classes, access, oneway, speeds.

Rules
-----
``highway`` values are read case-insensitively; an empty value is dropped, a known
class is kept, a non-road (:data:`NOT_ROUTABLE`) is dropped, and an unknown value is
mapped to the closest class (:data:`ALIASES`, else a near spelling) or dropped. Each
decision is counted in the :class:`~routeplan.network.NetworkReport`.

Motorbikes ride the classes of ``motorbike_kmh`` except :data:`WALK_ONLY` (a ``path``
tagged ``motorcycle=yes`` or ``motor_vehicle=yes`` is ridden at the track speed),
slowed by ``unpaved_factor`` on unpaved surfaces (and on tracks with no surface or a
``tracktype`` above grade1) and capped by ``maxspeed``. ``motorcycle=no`` (then
``motor_vehicle``, ``vehicle``, ``access``; ``no``, ``private``...) forbids riding and
``oneway`` forbids riding against the way.

Walkers may use every way both ways, oneway or not, except where ``foot=no`` (or
``private``...), and, unless ``foot=yes`` (or ``designated``...) says otherwise, on
motorways and on ways tagged ``access=no`` or ``motorroad=yes``. ``access=private``
alone does not stop walkers (a volunteer visiting a household up its private drive).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import NetworkSettings
    from .model import NetworkReport

__all__ = [
    "ALIASES",
    "CUSTOM_FILTER_CLASSES",
    "NO",
    "NOT_ROUTABLE",
    "ONEWAY_BWD",
    "ONEWAY_FWD",
    "PAVED",
    "UNPAVED",
    "WALK_ONLY",
    "WAY_TAGS",
    "YES",
    "Rule",
    "classify",
    "is_unpaved",
    "parse_maxspeed",
    "way_rule",
]

#: Classes that can be walked but never ridden (unless tagged otherwise, see module doc).
WALK_ONLY = ("footway", "path", "steps", "pedestrian", "bridleway", "cycleway")

#: Every ``highway`` class kept, for the download filter (plus ``motorbike_kmh`` keys).
CUSTOM_FILTER_CLASSES = (
    "motorway",
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "track",
    "road",
    "motorway_link",
    "trunk_link",
    "primary_link",
    "secondary_link",
    "tertiary_link",
    *WALK_ONLY,
)

#: ``highway`` values that are not ways anyone travels on: dropped and counted.
NOT_ROUTABLE = frozenset(
    {
        "proposed",
        "construction",
        "abandoned",
        "disused",
        "razed",
        "planned",
        "platform",
        "bus_stop",
        "elevator",
        "services",
        "rest_area",
        "raceway",
        "bus_guideway",
        "busway",
        "corridor",
        "escalator",
        "no",
        "emergency_bay",
        "street_lamp",
        "traffic_signals",
        "turning_circle",
        "via_ferrata",
        "ladder",
        "stop",
        "give_way",
        "milestone",
        "speed_camera",
    }
)

#: Unknown ``highway`` values seen in the wild and the class they mean.
ALIASES = {
    "trail": "path",
    "footpath": "path",
    "foot": "footway",
    "walkway": "footway",
    "sidewalk": "footway",
    "crossing": "footway",
    "stairs": "steps",
    "stair": "steps",
    "staircase": "steps",
    "yes": "road",
    "unknown": "road",
    "minor": "unclassified",
    "byway": "track",
    "unsurfaced": "track",
    "dirt_road": "track",
    "dirt": "track",
    "farm": "track",
    "alley": "service",
    "driveway": "service",
    "lane": "residential",
}

UNPAVED = frozenset(
    {
        "unpaved",
        "compacted",
        "gravel",
        "fine_gravel",
        "pebblestone",
        "ground",
        "dirt",
        "earth",
        "grass",
        "mud",
        "sand",
        "rock",
        "rocks",
        "stone",
        "clay",
        "soil",
        "woodchips",
        "grass_paver",
        "unhewn_cobblestone",
        "salt",
        "ice",
        "snow",
    }
)
PAVED = frozenset(
    {
        "paved",
        "asphalt",
        "concrete",
        "concrete:plates",
        "concrete:lanes",
        "paving_stones",
        "sett",
        "cobblestone",
        "metal",
        "wood",
        "bricks",
        "chipseal",
    }
)
NO = frozenset({"no", "private", "agricultural", "forestry", "military", "discouraged"})
YES = frozenset({"yes", "designated", "permissive", "destination", "customers", "official"})
ONEWAY_FWD = frozenset({"yes", "true", "1"})
ONEWAY_BWD = frozenset({"-1", "reverse"})

#: Way tags kept from downloads (osmnx ``useful_tags_way``).
WAY_TAGS = (
    "highway",
    "name",
    "ref",
    "surface",
    "tracktype",
    "smoothness",
    "maxspeed",
    "oneway",
    "oneway:motorcycle",
    "junction",
    "access",
    "foot",
    "motorroad",
    "motorcycle",
    "motor_vehicle",
    "vehicle",
    "ford",
    "bridge",
    "tunnel",
    "area",
    "service",
    "layer",
)


@dataclass
class Rule:
    """How one way may be travelled."""

    cls: str
    ride_fwd: bool
    ride_bwd: bool
    walk_fwd: bool
    walk_bwd: bool
    ride_kmh: float
    walk_factor: float
    ford: bool
    flat: bool  # bridge or tunnel: grade straight between its ends


#: Classes that are unpaved unless their ``surface`` says otherwise.
UNPAVED_CLASSES = frozenset({"track", "path", "bridleway"})


def is_unpaved(highway: str, surface: str = "") -> bool:
    """Return whether a way is unpaved: an unpaved ``surface``, or a track or path not paved.

    What the planner's daylight rule asks of a way (rounds on such ways end by dusk).
    """
    surface = surface.strip().lower()
    if surface in UNPAVED:
        return True
    return highway in UNPAVED_CLASSES and surface not in PAVED


def classify(value: str, known: frozenset[str], report: NetworkReport) -> str | None:
    """Return the ``highway`` class of a tag value, or ``None`` to drop the way.

    ``known`` are the classes kept; mapped and dropped values are counted in ``report``.
    """
    raw = value.split(";")[0].strip()
    hw = raw.lower()
    if not hw:
        report.untagged_dropped += 1
        return None
    if hw in known:
        if hw != raw:
            report.unknown_mapped[f"{raw} -> {hw}"] = (
                report.unknown_mapped.get(f"{raw} -> {hw}", 0) + 1
            )
        return hw
    if hw in NOT_ROUTABLE:
        report.not_routable_dropped[hw] = report.not_routable_dropped.get(hw, 0) + 1
        return None
    target = ALIASES.get(hw)
    if target is None:
        close = difflib.get_close_matches(hw, sorted(known), n=1, cutoff=0.8)
        target = close[0] if close else None
    if target is None:
        report.unknown_dropped[raw] = report.unknown_dropped.get(raw, 0) + 1
        return None
    key = f"{raw} -> {target}"
    report.unknown_mapped[key] = report.unknown_mapped.get(key, 0) + 1
    return target


def parse_maxspeed(value: str | None) -> float | None:
    """Return a ``maxspeed`` tag in km/h (``mph`` converted), or ``None`` if unusable."""
    if not value:
        return None
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$", value.split(";")[0])
    if not m:
        return None
    kmh = float(m.group(1)) * (1.609344 if m.group(2) == "mph" else 1.0)
    return kmh if kmh > 0 else None


def _first(tags: Mapping[str, str], keys: Iterable[str]) -> str | None:
    for k in keys:
        if k in tags:
            return tags[k].strip().lower()
    return None


def _class_kmh(
    cls: str, tags: Mapping[str, str], settings: NetworkSettings, report: NetworkReport
) -> float | None:
    """Return the class speed for motorbikes, or ``None`` where they may not ride."""
    kmh_table = settings.motorbike_kmh
    motor = _first(tags, ("motorcycle", "motor_vehicle", "vehicle", "access"))
    if cls in kmh_table and cls not in WALK_ONLY:
        kmh: float | None = kmh_table[cls]
    elif cls == "path" and _first(tags, ("motorcycle", "motor_vehicle")) in YES:
        kmh = kmh_table.get("track", 15.0)
    else:
        kmh = None
    if kmh is not None and motor in NO:
        report.no_motorbike_ways += 1
        return None
    return kmh


def _walkable(cls: str, tags: Mapping[str, str], report: NetworkReport) -> bool:
    foot = _first(tags, ("foot",))
    # without an explicit foot permission, access=no and motorroad=yes close a way to
    # walkers as well (OSM), and so does being a motorway
    closed = _first(tags, ("access",)) == "no" or _first(tags, ("motorroad",)) == "yes"
    walkable = foot not in NO and (
        foot in YES or not (closed or cls in ("motorway", "motorway_link"))
    )
    if foot in NO or (closed and not walkable):
        report.no_foot_ways += 1
    return walkable


def _ride_directions(tags: Mapping[str, str], report: NetworkReport) -> tuple[bool, bool]:
    """(forward, backward) riding on a rideable way, after ``oneway`` and roundabouts."""
    ride_fwd = ride_bwd = True
    oneway = tags.get("oneway", "").strip().lower()
    if tags.get("oneway:motorcycle", "").strip().lower() != "no":
        roundabout = tags.get("junction", "") in ("roundabout", "circular") and oneway != "no"
        if oneway in ONEWAY_FWD or roundabout:
            ride_bwd = False
            report.oneway_ways += 1
        elif oneway in ONEWAY_BWD:
            ride_fwd = False
            report.oneway_ways += 1
    return ride_fwd, ride_bwd


def _ride_speed(
    cls: str,
    kmh: float,
    tags: Mapping[str, str],
    settings: NetworkSettings,
    report: NetworkReport,
) -> float:
    """Return the class speed, slowed on unpaved surfaces and capped by ``maxspeed``."""
    surface = tags.get("surface", "").strip().lower()
    tracktype = tags.get("tracktype", "").strip().lower()
    unpaved = surface in UNPAVED or (
        surface not in PAVED
        and (
            tracktype in ("grade2", "grade3", "grade4", "grade5")
            or (not surface and not tracktype and cls in ("track", "path"))
        )
    )
    speed = kmh * (settings.unpaved_factor if unpaved else 1.0)
    cap = parse_maxspeed(tags.get("maxspeed"))
    if cap is None:
        report.maxspeed_defaulted += 1
    else:
        speed = min(speed, cap)
    return speed


def way_rule(
    cls: str, tags: Mapping[str, str], settings: NetworkSettings, report: NetworkReport
) -> Rule:
    """Return how a way of class ``cls`` with ``tags`` may be travelled (see module doc)."""
    kmh = _class_kmh(cls, tags, settings, report)
    walkable = _walkable(cls, tags, report)
    ride_fwd = ride_bwd = False
    speed = 0.0
    if kmh is not None:
        ride_fwd, ride_bwd = _ride_directions(tags, report)
        speed = _ride_speed(cls, kmh, tags, settings, report)
    ford = tags.get("ford", "no").strip().lower() not in ("no", "")
    if ford:
        report.fords += 1
    if tags.get("area", "").strip().lower() == "yes":
        report.area_ways += 1
    return Rule(
        cls=cls,
        ride_fwd=ride_fwd,
        ride_bwd=ride_bwd,
        walk_fwd=walkable,
        walk_bwd=walkable,
        ride_kmh=speed,
        walk_factor=settings.steps_walk_factor if cls == "steps" else 1.0,
        ford=ford,
        flat=tags.get("bridge", "no") not in ("no", "")
        or tags.get("tunnel", "no") not in ("no", ""),
    )
