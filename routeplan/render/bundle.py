"""The plan joined with the registers it was made from, checked once for every writer.

Every writer of :mod:`routeplan.render` (tables and exports, maps, route sheets) takes
one :class:`PlanBundle`. :func:`bundle` builds it and checks, once, that the plan and
the registers belong together: every household and volunteer the plan names must be in
the registers, or :class:`~routeplan.errors.InputDataError` lists every one missing::

    from routeplan.render import bundle, write_exports, write_maps, write_sheets

    checked = bundle(plan, households, volunteers, service_points=points,
                     matrices=matrices, settings=settings)
    write_exports(checked, "out/")
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import InputDataError, Problem
from .legs import Coord, join_legs, route_legs
from .text import clean_text, round_date, service_labels

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from ..matrix import TravelMatrix
    from ..planner import Plan, Route, Unassigned

__all__ = ["PlanBundle", "Visit", "bundle"]

Record = dict[str, Any]


@dataclass(frozen=True)
class Visit:
    """Where a household's visit is in the plan: its round, order and arrival time."""

    route: Route
    order: int
    arrival_s: int


def _records(frame: gpd.GeoDataFrame | None, key: str) -> dict[str, Record]:
    if frame is None or len(frame) == 0:
        return {}
    return {clean_text(r[key]): r for r in frame.to_dict("records")}


def _xy(record: Record) -> Coord | None:
    geom = record.get("geometry")
    if geom is None or geom.is_empty:
        return None
    return (float(geom.x), float(geom.y))


@dataclass(frozen=True)
class PlanBundle:
    """A plan with its registers and travel matrices, checked to belong together.

    Build it with :func:`bundle`. Records are the registers' rows as dictionaries
    (columns as in :mod:`routeplan.registers`), keyed by id.

    Attributes
    ----------
    plan
        The plan.
    households, volunteers
        Register rows by ``household_id`` / ``volunteer_id``.
    service_points
        Service point rows, in register order (empty when there are none).
    matrices
        Travel matrix per mode; rounds are drawn along their paths.
    settings
        The settings (output language, service names).
    routes
        The plan's rounds by volunteer, day and start time.
    xy
        ``(lon, lat)`` of every household with a location.
    visits
        Where each visited household is in the plan.
    unassigned, rollover
        The plan's households not visited this week, by household id.

    """

    plan: Plan
    households: Mapping[str, Record]
    volunteers: Mapping[str, Record]
    service_points: tuple[Record, ...]
    matrices: Mapping[str, TravelMatrix]
    settings: Settings
    routes: tuple[Route, ...] = field(init=False)
    xy: Mapping[str, Coord] = field(init=False)
    visits: Mapping[str, Visit] = field(init=False)
    unassigned: Mapping[str, Unassigned] = field(init=False)
    rollover: Mapping[str, Unassigned] = field(init=False)
    # the legs of each round drawn so far: every writer draws them (matrix.path is slow)
    _legs: dict[Route, list[list[Coord]]] = field(
        init=False, default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        routes = sorted(self.plan.routes, key=lambda r: (r.volunteer_id, r.day, r.start_s))
        xy = {hid: p for hid, r in self.households.items() if (p := _xy(r)) is not None}
        visits = {
            s.household_id: Visit(route, s.order, s.arrival_s)
            for route in routes
            for s in route.stops
        }
        object.__setattr__(self, "routes", tuple(routes))
        object.__setattr__(self, "xy", xy)
        object.__setattr__(self, "visits", visits)
        object.__setattr__(self, "unassigned", {u.household_id: u for u in self.plan.unassigned})
        object.__setattr__(self, "rollover", {u.household_id: u for u in self.plan.rollover})

    @property
    def language(self) -> str:
        """Language of what is written (``"vi"`` or ``"en"``)."""
        return self.settings.output.language

    def home(self, volunteer_id: str) -> Coord | None:
        """Return the ``(lon, lat)`` of a volunteer's home, ``None`` when it has none."""
        return _xy(self.volunteers[volunteer_id])

    def routes_of(self, volunteer_id: str) -> list[Route]:
        """Return a volunteer's rounds by day and start time."""
        return [r for r in self.routes if r.volunteer_id == volunteer_id]

    def services(self, household_id: str) -> list[str]:
        """Return the names of the services a household needs, in the output language."""
        codes = self.households.get(household_id, {}).get("services", ()) or ()
        return service_labels(codes, self.settings, self.language)

    def date(self, day: int) -> dt.date | None:
        """Return the calendar date of weekday ``day`` in the plan's week, if it has one."""
        return round_date(self.plan.week_start, day)

    def map_flag(self, household_id: str) -> str:
        """Return the plan's map flag of a household (``far_from_map`` ...), ``""`` if none."""
        for f in self.plan.flags:
            if f.household_id == household_id:
                return f.code
        return ""

    def off_map_leg(self, household_id: str, mode: str) -> list[Coord]:
        """Return the walk with no mapped path to a far household: its way's end, then it."""
        snaps = getattr(self.matrices.get(mode), "snaps", None)
        xy = self.xy.get(household_id)
        if snaps is None or xy is None or household_id not in snaps.index:
            return []
        row = snaps.loc[household_id]
        if not bool(row.get("no_mapped_access", False)):
            return []
        return [(float(row["snap_lon"]), float(row["snap_lat"])), xy]

    def legs(self, route: Route) -> list[list[Coord]]:
        """Return the lines of a round's legs (home -> 1, ..., n -> home) along the roads.

        Drawn once per bundle and shared by every writer (do not change them). A
        volunteer without a home location gets straight legs between the stops.
        """
        home = self.home(route.volunteer_id)
        if home is None:
            pts = [self.xy[s.household_id] for s in route.stops if s.household_id in self.xy]
            return [[a, b] for a, b in itertools.pairwise(pts)]
        if route not in self._legs:  # drawn once for all the writers of the bundle
            self._legs[route] = route_legs(route, self.matrices.get(route.mode), home, self.xy)
        return self._legs[route]

    def line(self, route: Route) -> list[Coord]:
        """Return a round as one line from home through every stop and back home.

        A volunteer without a home location gets a straight line through the stops.
        """
        if self.home(route.volunteer_id) is None:
            return [self.xy[s.household_id] for s in route.stops if s.household_id in self.xy]
        return join_legs(self.legs(route))


def _check(plan: Plan, households: Mapping[str, Record], volunteers: Mapping[str, Record]) -> None:
    problems: list[Problem] = []
    hids = {s.household_id for r in plan.routes for s in r.stops}
    hids |= set(plan.assignment) | {u.household_id for u in plan.unassigned}
    hids |= {u.household_id for u in plan.rollover}
    for hid in sorted(hids - set(households)):
        problems.append(
            Problem(
                f"household {hid!r} is in the plan but not in the households",
                "pass the households the plan was made from",
            )
        )
    vids = {r.volunteer_id for r in plan.routes} | set(plan.assignment.values())
    for vid in sorted(vids - set(volunteers)):
        problems.append(
            Problem(
                f"volunteer {vid!r} is in the plan but not in the volunteers",
                "pass the volunteers the plan was made from",
            )
        )
    if problems:
        raise InputDataError(problems, subject="plan")


def bundle(
    plan: Plan,
    households: gpd.GeoDataFrame,
    volunteers: gpd.GeoDataFrame,
    *,
    service_points: gpd.GeoDataFrame | None = None,
    matrices: Mapping[str, TravelMatrix] | None = None,
    settings: Settings | None = None,
) -> PlanBundle:
    """Join a plan with its registers and check that they belong together.

    Parameters
    ----------
    plan
        The plan to write.
    households, volunteers
        The registers the plan was made from.
    service_points
        Service points to show (optional).
    matrices
        Travel matrix per mode; rounds whose mode has none are drawn as straight lines.
    settings
        Settings (output language, service names); the defaults when ``None``.

    Returns
    -------
    PlanBundle

    Raises
    ------
    InputDataError
        Listing every household and volunteer the plan names that the registers lack.

    """
    hh = _records(households, "household_id")
    vol = _records(volunteers, "volunteer_id")
    _check(plan, hh, vol)
    points: tuple[Record, ...] = ()
    if service_points is not None and len(service_points):
        if service_points.crs is not None and not service_points.crs.equals("EPSG:4326"):
            service_points = service_points.to_crs("EPSG:4326")
        points = tuple(service_points.to_dict("records"))
    return PlanBundle(
        plan=plan,
        households=hh,
        volunteers=vol,
        service_points=points,
        matrices=dict(matrices or {}),
        settings=settings or Settings(),
    )
