"""The planning problem and its result, independent of any solver.

A :class:`Plan` says which volunteer looks after which household (``assignment``),
and how each volunteer's week is split into day rounds (``routes``), each a list of
:class:`Stop` in visit order with arrival times. Households that could not be given
to anyone are in ``unassigned``; households given to a volunteer but not fitting
into this week are in ``rollover``; both carry a reason.

Times are seconds since midnight of the round's day; days are 0 = Monday .. 6 = Sunday.

:func:`plan` is the entry point: it builds a :class:`Problem` from the registers and the
travel matrices (who may serve whom and why not, each volunteer's shifts, travel times
between households and homes), hands it to :mod:`routeplan.planner.solve` and checks the
result against every hard rule before returning it (:meth:`Problem.check`).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from ..config import Settings
from ..errors import InfeasibleError, InputDataError, RouteplanError
from ..errors import Problem as InputProblem
from ..matrix import find_home, home_point_id
from ..timewindows import format_clock

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "DAY_NAMES",
    "UNREACHABLE",
    "Change",
    "Plan",
    "Problem",
    "Route",
    "Stop",
    "Unassigned",
    "build_problem",
    "plan",
    "read_previous",
]

log = logging.getLogger(__name__)

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
UNREACHABLE = 2**31 - 1
"""Travel time meaning "no way there" (same value as ``routeplan.matrix.UNREACHABLE``)."""

ProgressFn = Callable[[str, float], None]


@dataclass(frozen=True)
class Stop:
    """One household visit in a round."""

    household_id: str
    order: int
    arrival_s: int
    service_s: int
    travel_s: int

    @property
    def departure_s(self) -> int:
        """Seconds since midnight when the volunteer leaves the household."""
        return self.arrival_s + self.service_s


@dataclass(frozen=True)
class Route:
    """One volunteer's round on one day: from home, through the stops, back home."""

    volunteer_id: str
    day: int
    mode: str
    start_s: int
    end_s: int
    stops: tuple[Stop, ...]
    travel_s: int
    service_s: int

    @property
    def duration_s(self) -> int:
        """Seconds from leaving home to coming back."""
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Unassigned:
    """A household not visited this week, with a reason a coordinator can act on.

    ``reason`` is a short code and ``detail`` the sentence shown to people. Codes:
    ``capacity`` (every volunteer who could serve it is full), ``unreachable`` (no
    way there and back), ``skill``, ``language`` (hard rule only), ``window`` (its
    hours never meet a volunteer's), ``far`` (the trip and visit are longer than any
    available period); for rollover ``time`` (the volunteer's hours this week are
    full) and ``window`` (its hours did not fit into the rounds).
    """

    household_id: str
    reason: str
    detail: str


@dataclass(frozen=True)
class Change:
    """A household that moved to another volunteer since the previous plan.

    ``reason`` is the sentence shown to people; ``code`` the short form
    (``volunteer_gone``, ``capacity``, ``skill``, ``language``, ``unreachable``,
    ``window``, ``household_gone``, ``rebalanced``).
    """

    household_id: str
    old: str | None
    new: str | None
    reason: str
    code: str = ""


@dataclass
class Plan:
    """The result of planning a week.

    ``stats`` holds figures about the solve: ``travel_s`` (total), ``workload_s``
    (volunteer id -> weekly seconds of travel and service), ``time_s`` (wall time per
    step) and the solver settings used.
    """

    routes: list[Route]
    assignment: dict[str, str]
    unassigned: list[Unassigned] = field(default_factory=list)
    rollover: list[Unassigned] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    week_start: dt.date | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    # --- figures --------------------------------------------------------------------

    @property
    def travel_s(self) -> int:
        """Total travel time of all rounds, in seconds."""
        return sum(r.travel_s for r in self.routes)

    @property
    def visits(self) -> int:
        """Number of household visits scheduled this week."""
        return sum(len(r.stops) for r in self.routes)

    def workload_s(self) -> dict[str, int]:
        """Weekly seconds (travel and service) of every volunteer with households."""
        work = {v: 0 for v in sorted(set(self.assignment.values()))}
        for r in self.routes:
            work[r.volunteer_id] = work.get(r.volunteer_id, 0) + r.travel_s + r.service_s
        return work

    def workload_spread(self) -> tuple[float, float, float]:
        """Minimum, median and maximum weekly workload in hours over volunteers."""
        hours = sorted(w / 3600 for w in self.workload_s().values())
        if not hours:
            return (0.0, 0.0, 0.0)
        return (hours[0], float(np.median(hours)), hours[-1])

    # --- tables and text ----------------------------------------------------------

    def summary(self) -> str:
        """Return a plain-text summary: totals, then one line per volunteer."""
        n_hh = len(self.assignment) + len(self.unassigned)
        lo, med, hi = self.workload_spread()
        week = f" (week of {self.week_start.isoformat()})" if self.week_start else ""
        lines = [
            f"Plan{week}: {n_hh} households, {len(self.assignment)} assigned to "
            f"{len(set(self.assignment.values()))} volunteers, {len(self.unassigned)} "
            "unassigned.",
            f"This week: {self.visits} visits in {len(self.routes)} rounds, "
            f"{len(self.rollover)} rolled over to next week; travel {self.travel_s / 3600:.1f} h.",
            f"Weekly workload per volunteer: min {lo:.1f} h, median {med:.1f} h, max {hi:.1f} h.",
        ]
        if self.changes:
            lines.append(
                f"Changes since the previous plan: {len(self.changes)} "
                f"({_count_text(c.code or 'other' for c in self.changes)})."
            )
        if self.unassigned:
            lines.append(f"Unassigned: {_count_text(u.reason for u in self.unassigned)}.")
        if self.rollover:
            lines.append(f"Rolled over: {_count_text(u.reason for u in self.rollover)}.")
        lines.append("")
        lines.append(
            f"{'volunteer':<12} {'hh':>3} {'visits':>6} {'rounds':>6} {'travel':>7} "
            f"{'work':>6}  days"
        )
        per_v: dict[str, list[Route]] = {}
        for r in self.routes:
            per_v.setdefault(r.volunteer_id, []).append(r)
        count = Counter(self.assignment.values())
        rolled = Counter(
            self.assignment[u.household_id]
            for u in self.rollover
            if u.household_id in self.assignment
        )
        work = self.workload_s()
        for vid in sorted(count):
            routes = sorted(per_v.get(vid, []), key=lambda r: (r.day, r.start_s))
            days = ", ".join(
                f"{DAY_NAMES[r.day]} {format_clock(r.start_s)}-{format_clock(r.end_s)} "
                f"({len(r.stops)})"
                for r in routes
            )
            extra = f"; {rolled[vid]} rolled over" if rolled[vid] else ""
            lines.append(
                f"{vid:<12} {count[vid]:>3} {sum(len(r.stops) for r in routes):>6} "
                f"{len(routes):>6} {sum(r.travel_s for r in routes) / 3600:>6.1f}h "
                f"{work.get(vid, 0) / 3600:>5.1f}h  {days}{extra}"
            )
        return "\n".join(lines)

    def stops_frame(self) -> pd.DataFrame:
        """Return one row per visit, in volunteer, day and visit order.

        Columns: ``volunteer_id``, ``day`` (0=Mon), ``day_name``, ``date`` (when
        ``week_start`` is known, else empty), ``round`` (1-based per volunteer),
        ``order``, ``household_id``, ``arrival_s``, ``departure_s``, ``arrival``,
        ``departure`` (HH:MM), ``service_s``, ``travel_s``, ``mode``.
        """
        import pandas as pd

        rows: list[dict[str, Any]] = []
        per_v: dict[str, int] = {}
        for r in sorted(self.routes, key=lambda r: (r.volunteer_id, r.day, r.start_s)):
            per_v[r.volunteer_id] = per_v.get(r.volunteer_id, 0) + 1
            date = (
                (self.week_start + dt.timedelta(days=r.day)).isoformat() if self.week_start else ""
            )
            for s in r.stops:
                rows.append(
                    {
                        "volunteer_id": r.volunteer_id,
                        "day": r.day,
                        "day_name": DAY_NAMES[r.day],
                        "date": date,
                        "round": per_v[r.volunteer_id],
                        "order": s.order,
                        "household_id": s.household_id,
                        "arrival_s": s.arrival_s,
                        "departure_s": s.departure_s,
                        "arrival": format_clock(s.arrival_s),
                        "departure": format_clock(s.departure_s),
                        "service_s": s.service_s,
                        "travel_s": s.travel_s,
                        "mode": r.mode,
                    }
                )
        columns = [
            "volunteer_id",
            "day",
            "day_name",
            "date",
            "round",
            "order",
            "household_id",
            "arrival_s",
            "departure_s",
            "arrival",
            "departure",
            "service_s",
            "travel_s",
            "mode",
        ]
        return pd.DataFrame(rows, columns=columns)

    def assignments_frame(self) -> pd.DataFrame:
        """Return one row per household: who looks after it and whether it is visited.

        Columns: ``household_id``, ``volunteer_id`` (empty when unassigned), ``status``
        (``scheduled``, ``rollover`` or ``unassigned``), ``day`` (-1 when not
        visited), ``reason`` and ``detail`` (empty when scheduled). The first two
        columns are the ``previous`` format read by :func:`read_previous`.
        """
        import pandas as pd

        day = {s.household_id: r.day for r in self.routes for s in r.stops}
        rolled = {u.household_id: u for u in self.rollover}
        rows: list[dict[str, Any]] = []
        for hid, vid in sorted(self.assignment.items()):
            u = rolled.get(hid)
            rows.append(
                {
                    "household_id": hid,
                    "volunteer_id": vid,
                    "status": "rollover" if u else "scheduled",
                    "day": day.get(hid, -1),
                    "reason": u.reason if u else "",
                    "detail": u.detail if u else "",
                }
            )
        for u in sorted(self.unassigned, key=lambda u: u.household_id):
            rows.append(
                {
                    "household_id": u.household_id,
                    "volunteer_id": "",
                    "status": "unassigned",
                    "day": -1,
                    "reason": u.reason,
                    "detail": u.detail,
                }
            )
        return pd.DataFrame(
            rows, columns=["household_id", "volunteer_id", "status", "day", "reason", "detail"]
        )


def _count_text(codes: Any) -> str:
    counts = Counter(codes)
    return ", ".join(f"{n} {code}" for code, n in sorted(counts.items(), key=lambda kv: -kv[1]))


# --- the problem -----------------------------------------------------------------------


class _Matrix(Protocol):
    """What the planner needs of a :class:`routeplan.matrix.TravelMatrix`."""

    @property
    def ids(self) -> tuple[str, ...]:
        """Point ids of the rows and columns."""
        ...

    @property
    def seconds(self) -> Any:
        """Travel seconds, (n, n) integers."""
        ...

    def index(self, point_id: str) -> int:
        """Row of ``point_id``."""
        ...


Shift = tuple[int, int, int]
"""``(day, start_s, end_s)``: a window of availability in seconds since midnight."""


@dataclass(frozen=True)
class Problem:
    """A week's planning problem, as arrays a solver can use.

    Households are numbered ``0..H-1`` in register order and volunteers ``0..V-1``;
    in ``travel[mode]`` node ``h < H`` is household ``h`` and node ``H + v`` is the home
    of volunteer ``v``.

    Attributes
    ----------
    household_ids, volunteer_ids
        Ids in order.
    service_s
        Seconds each visit takes (sum of the household's services' minutes).
    priority
        Priority households (dropped last).
    language
        Minority language of each household (``""`` for none).
    needs
        Skills each household's services need.
    hh_windows
        Household availability as ``(day, start_s, end_s)``; ``()`` is any time.
    capacity
        Households each volunteer may look after.
    modes
        Each volunteer's travel mode.
    shifts
        Each volunteer's availability ``(day, start_s, end_s)``, sorted.
    skills, languages
        Each volunteer's skills and languages.
    travel
        Seconds between nodes per mode, int64, ``UNREACHABLE`` where there is no way.
    reach, skill_ok, language_ok, window_ok
        ``(H, V)`` masks: volunteer can get there and back; has every needed skill;
        speaks the household's language (or it has none); a visit fits one of the
        volunteer's shifts and the household's hours.
    eligible
        ``(H, V)``: ``reach & skill_ok & window_ok`` and ``language_ok`` when the
        language rule is hard.
    previous
        Last assignment (household id -> volunteer id).
    settings
        The settings used.

    """

    household_ids: tuple[str, ...]
    volunteer_ids: tuple[str, ...]
    service_s: NDArray[np.int64]
    priority: NDArray[np.bool_]
    language: tuple[str, ...]
    needs: tuple[frozenset[str], ...]
    hh_windows: tuple[tuple[Shift, ...], ...]
    capacity: NDArray[np.int64]
    modes: tuple[str, ...]
    shifts: tuple[tuple[Shift, ...], ...]
    skills: tuple[frozenset[str], ...]
    languages: tuple[frozenset[str], ...]
    travel: Mapping[str, NDArray[np.int64]]
    reach: NDArray[np.bool_]
    skill_ok: NDArray[np.bool_]
    language_ok: NDArray[np.bool_]
    window_ok: NDArray[np.bool_]
    eligible: NDArray[np.bool_]
    previous: Mapping[str, str]
    settings: Settings

    @property
    def n_households(self) -> int:
        """Number of households."""
        return len(self.household_ids)

    @property
    def n_volunteers(self) -> int:
        """Number of volunteers."""
        return len(self.volunteer_ids)

    def travel_of(self, v: int) -> NDArray[np.int64]:
        """Travel seconds in volunteer ``v``'s mode."""
        return self.travel[self.modes[v]]

    def visit_intervals(self, h: int, v: int) -> list[tuple[int, int, int]]:
        """Return ``(shift index, earliest, latest)`` arrival times (seconds of the week).

        A visit of ``h`` by ``v`` may start in ``[earliest, latest]`` within that shift,
        leaving time to come from home before and to go home after.
        """
        t = self.travel_of(v)
        home = self.n_households + v
        out_s, back_s = int(t[home, h]), int(t[h, home])
        if out_s >= UNREACHABLE or back_s >= UNREACHABLE:
            return []
        svc = int(self.service_s[h])
        res: list[tuple[int, int, int]] = []
        for k, (day, a, b) in enumerate(self.shifts[v]):
            lo, hi = a + out_s, b - back_s - svc
            if self.hh_windows[h]:
                for d, hs, he in self.hh_windows[h]:
                    if d == day:
                        l2, h2 = max(lo, hs), min(hi, he - svc)
                        if l2 <= h2:
                            res.append((k, day * 86400 + l2, day * 86400 + h2))
            elif lo <= hi:
                res.append((k, day * 86400 + lo, day * 86400 + hi))
        return res

    def reason_text(self, key: str, **fields: Any) -> str:
        """Return the reason ``key`` in ``settings.output.language`` (see ``_labels``)."""
        from .._labels import label

        return label(key, self.settings.output.language).format(**fields)

    def language_name(self, slug: str) -> str:
        """Return a minority language's name in the output language (``co_tu`` -> Cơ Tu)."""
        from .._labels import LABELS

        if f"lang_{slug}" in LABELS:
            return self.reason_text(f"lang_{slug}")
        return slug

    def why_not(self, h: int, v: int) -> tuple[str, str] | None:
        """Return ``(code, sentence)`` saying why ``v`` cannot serve ``h``, or ``None``.

        The sentence is in ``settings.output.language``; the code is stable.
        """
        vid, hid = self.volunteer_ids[v], self.household_ids[h]
        if not self.reach[h, v]:
            mode = self.reason_text(f"by_{self.modes[v]}")
            return ("unreachable", self.reason_text("why_unreachable", vid=vid, hid=hid, mode=mode))
        if not self.skill_ok[h, v]:
            missing = ", ".join(sorted(self.needs[h] - self.skills[v]))
            return ("skill", self.reason_text("why_skill", vid=vid, hid=hid, skills=missing))
        if self.settings.planner.language_hard and not self.language_ok[h, v]:
            name = self.language_name(self.language[h])
            return ("language", self.reason_text("why_language", vid=vid, language=name))
        if not self.window_ok[h, v]:
            if not self.hh_windows[h]:
                return ("far", self.reason_text("why_far", vid=vid, hid=hid))
            return ("window", self.reason_text("why_window", vid=vid, hid=hid))
        return None

    def why_unserved(self, h: int) -> tuple[str, str]:
        """Return ``(code, sentence)`` for a household no volunteer can serve."""
        hid = self.household_ids[h]
        steps: list[tuple[str, NDArray[np.bool_]]] = [
            ("unreachable", self.reach[h]),
            ("skill", self.skill_ok[h]),
        ]
        if self.settings.planner.language_hard:
            steps.append(("language", self.language_ok[h]))
        steps.append(("window" if self.hh_windows[h] else "far", self.window_ok[h]))
        fields = {
            "hid": hid,
            "skills": ", ".join(sorted(self.needs[h])),
            "language": self.language_name(self.language[h]),
        }
        ok = np.ones(self.n_volunteers, dtype=bool)
        for code, mask in steps:
            ok &= mask
            if not ok.any():
                return (code, self.reason_text(f"unserved_{code}", **fields))
        return ("capacity", self.reason_text("unserved_capacity", hid=hid))

    # --- checking a plan ------------------------------------------------------------

    def check(self, result: Plan) -> list[str]:
        """Return every way ``result`` breaks a hard rule of this problem (empty if none).

        Checks: each household is assigned, or unassigned, exactly once; capacities;
        skills and reach (and language when hard); every visited household is
        assigned to the route's volunteer and visited once; rounds start and end at
        home inside one of the volunteer's shifts; arrival times follow the travel
        matrix and service times; household hours are respected; every assigned
        household is visited or rolled over.
        """
        errors: list[str] = []
        hidx = {hid: i for i, hid in enumerate(self.household_ids)}
        vidx = {vid: i for i, vid in enumerate(self.volunteer_ids)}
        un = [u.household_id for u in result.unassigned]
        seen = Counter([*result.assignment, *un])
        for hid in self.household_ids:
            if seen[hid] != 1:
                errors.append(f"{hid} is assigned/unassigned {seen[hid]} times")
        for hid in seen:
            if hid not in hidx:
                errors.append(f"{hid} is not in the register")
        load = Counter(result.assignment.values())
        for vid, n in load.items():
            if vid not in vidx:
                errors.append(f"unknown volunteer {vid}")
            elif n > self.capacity[vidx[vid]]:
                errors.append(f"{vid} has {n} households, capacity {self.capacity[vidx[vid]]}")
        for hid, vid in result.assignment.items():
            if hid in hidx and vid in vidx:
                why = self.why_not(hidx[hid], vidx[vid])
                if why is not None and why[0] not in ("window", "far"):
                    errors.append(f"{hid} -> {vid}: {why[1]}")
        visited: Counter[str] = Counter()
        for r in result.routes:
            v = vidx.get(r.volunteer_id)
            if v is None:
                errors.append(f"route of unknown volunteer {r.volunteer_id}")
                continue
            if r.mode != self.modes[v]:
                errors.append(f"{r.volunteer_id}: route mode {r.mode} != {self.modes[v]}")
            if not any(
                d == r.day and a <= r.start_s and r.end_s <= b for d, a, b in self.shifts[v]
            ):
                errors.append(
                    f"{r.volunteer_id} day {r.day}: round {format_clock(r.start_s)}-"
                    f"{format_clock(r.end_s)} is outside their hours"
                )
            t = self.travel_of(v)
            prev, clock, travel, service = self.n_households + v, r.start_s, 0, 0
            for k, s in enumerate(r.stops, start=1):
                visited[s.household_id] += 1
                h = hidx.get(s.household_id)
                if h is None:
                    errors.append(f"route visits unknown household {s.household_id}")
                    break
                if result.assignment.get(s.household_id) != r.volunteer_id:
                    errors.append(
                        f"{s.household_id} visited by {r.volunteer_id} but assigned "
                        f"to {result.assignment.get(s.household_id)}"
                    )
                leg = int(t[prev, h])
                if s.order != k or s.travel_s != leg or s.service_s != self.service_s[h]:
                    errors.append(f"{s.household_id}: order/travel/service inconsistent")
                if s.arrival_s < clock + leg:
                    errors.append(f"{s.household_id}: arrives before it can get there")
                if self.hh_windows[h] and not any(
                    d == r.day and hs <= s.arrival_s and s.departure_s <= he
                    for d, hs, he in self.hh_windows[h]
                ):
                    errors.append(
                        f"{s.household_id}: visit {format_clock(s.arrival_s)} "
                        "outside its availability"
                    )
                travel += leg
                service += s.service_s
                clock, prev = s.departure_s, h
            back = int(t[prev, self.n_households + v])
            travel += back
            if r.stops and r.end_s < clock + back:
                errors.append(
                    f"{r.volunteer_id} day {r.day}: comes home before the last visit ends"
                )
            if r.travel_s != travel or r.service_s != service:
                errors.append(f"{r.volunteer_id} day {r.day}: travel/service totals wrong")
        for hid, n in visited.items():
            if n > 1:
                errors.append(f"{hid} visited {n} times")
        rolled = {u.household_id for u in result.rollover}
        for hid in result.assignment:
            if (hid in rolled) == (visited[hid] > 0):
                errors.append(f"{hid} must be either visited or rolled over")
        return errors


def _seconds(windows: Any) -> tuple[Shift, ...]:
    return tuple(sorted((int(d), int(a) * 60, int(b) * 60) for d, a, b in (windows or ())))


def _services_of(value: Any) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(s.strip() for s in value.replace(";", ",").split(",") if s.strip())
    return tuple(value)


def build_problem(
    households: Any,
    volunteers: Any,
    matrices: Mapping[str, _Matrix],
    *,
    settings: Settings | None = None,
    previous: Mapping[str, str] | None = None,
) -> Problem:
    """Turn the registers and travel matrices into a :class:`Problem`.

    Parameters
    ----------
    households, volunteers
        Registers as read by :mod:`routeplan.registers` (see docs/ARCHITECTURE.md).
    matrices
        Travel matrix per mode over the households and the homes (``home:<volunteer_id>``;
        a bare volunteer id is accepted too).
    settings
        Settings; defaults if ``None``.
    previous
        Last week's assignment (household id -> volunteer id).

    Raises
    ------
    InfeasibleError
        If there are no volunteers.
    InputDataError
        If a volunteer's mode has no matrix, a home is missing from it, or a service
        code is unknown.

    """
    settings = settings or Settings()
    if volunteers is None or len(volunteers) == 0:
        raise InfeasibleError("no volunteers: add at least one volunteer to plan visits")
    hids = tuple(str(x) for x in households["household_id"])
    vids = tuple(str(x) for x in volunteers["volunteer_id"])
    H, V = len(hids), len(vids)
    problems: list[InputProblem] = []
    for name, ids in (("household", hids), ("volunteer", vids)):
        dup = [k for k, n in Counter(ids).items() if n > 1]
        if dup:
            problems.append(
                InputProblem(
                    f"duplicate {name} ids: {', '.join(dup[:10])}", f"make every {name}_id unique"
                )
            )
    service = np.zeros(H, dtype=np.int64)
    needs: list[frozenset[str]] = []
    for i, codes in enumerate(households["services"]):
        need: set[str] = set()
        for code in _services_of(codes):
            svc = settings.services.get(code)
            if svc is None:
                problems.append(
                    InputProblem(
                        f"{hids[i]}: unknown service {code!r}",
                        "use a code from the settings' [services]",
                    )
                )
                continue
            service[i] += svc.minutes * 60
            if svc.skill:
                need.add(svc.skill)
        needs.append(frozenset(need))
    default_minutes = 20
    service[service == 0] = default_minutes * 60  # a visit with no service listed: a check-up
    if "extra_service_s" in households.columns:  # e.g. a follow-up that needs papers first
        import pandas as pd

        extra = pd.to_numeric(households["extra_service_s"], errors="coerce").fillna(0)
        service += np.clip(extra.to_numpy(dtype=np.int64), 0, None)
    modes = tuple(str(m) for m in volunteers["mode"])
    for m in sorted(set(modes)):
        if m not in matrices:
            problems.append(
                InputProblem(
                    f"no travel matrix for mode {m!r}", "build one matrix per volunteer mode"
                )
            )
    travel: dict[str, NDArray[np.int64]] = {}
    for mode in sorted(set(modes) & set(matrices)):
        mat = matrices[mode]
        pos = {pid: i for i, pid in enumerate(mat.ids)}
        idx = np.full(H + V, -1, dtype=np.int64)
        for i, hid in enumerate(hids):
            idx[i] = pos.get(hid, -1)
        for v, vid in enumerate(vids):
            home_pid = find_home(pos, vid)
            idx[H + v] = -1 if home_pid is None else pos[home_pid]
            if idx[H + v] < 0 and modes[v] == mode:
                problems.append(
                    InputProblem(
                        f"home of volunteer {vid} is not in the {mode} travel matrix",
                        f"add point {home_point_id(vid)!r} to the matrix",
                    )
                )
        sec = np.asarray(mat.seconds)
        safe = np.where(idx < 0, 0, idx)
        sub = sec[np.ix_(safe, safe)].astype(np.int64)
        sub[sub >= UNREACHABLE] = UNREACHABLE
        sub[sub < 0] = UNREACHABLE
        missing = idx < 0
        sub[missing, :] = UNREACHABLE
        sub[:, missing] = UNREACHABLE
        np.fill_diagonal(sub, 0)
        travel[mode] = sub
    if problems:
        raise InputDataError(problems, subject="planning inputs")
    caps = (
        np.array(
            [
                int(c) if c == c and c is not None else settings.planner.capacity
                for c in volunteers["capacity"]
            ],
            dtype=np.int64,
        )
        if "capacity" in volunteers
        else np.full(V, settings.planner.capacity, dtype=np.int64)
    )
    shifts = tuple(_seconds(w) for w in volunteers["windows"])
    skills = tuple(frozenset(s or ()) for s in volunteers["skills"])
    languages = tuple(frozenset(s or ()) for s in volunteers["languages"])
    language = (
        tuple(str(x or "") for x in households["language"])
        if "language" in households
        else ("",) * H
    )
    priority = (
        np.asarray(households["priority"], dtype=bool)
        if "priority" in households
        else np.zeros(H, dtype=bool)
    )
    hh_windows = (
        tuple(_seconds(w) for w in households["windows"]) if "windows" in households else ((),) * H
    )

    reach = np.zeros((H, V), dtype=bool)
    for v in range(V):
        t = travel[modes[v]]
        home = H + v
        reach[:, v] = (t[home, :H] < UNREACHABLE) & (t[:H, home] < UNREACHABLE)
    skill_ok = np.array([[n <= s for s in skills] for n in needs], dtype=bool).reshape(H, V)
    language_ok = np.array(
        [[not lang or lang in ls for ls in languages] for lang in language], dtype=bool
    ).reshape(H, V)
    proto = Problem(
        household_ids=hids,
        volunteer_ids=vids,
        service_s=service,
        priority=priority,
        language=language,
        needs=tuple(needs),
        hh_windows=hh_windows,
        capacity=caps,
        modes=modes,
        shifts=shifts,
        skills=skills,
        languages=languages,
        travel=travel,
        reach=reach,
        skill_ok=skill_ok,
        language_ok=language_ok,
        window_ok=np.ones((H, V), dtype=bool),
        eligible=np.ones((H, V), dtype=bool),
        previous=dict(previous or {}),
        settings=settings,
    )
    window_ok = _window_ok(proto)
    eligible = reach & skill_ok & window_ok
    if settings.planner.language_hard:
        eligible &= language_ok
    return Problem(**{**proto.__dict__, "window_ok": window_ok, "eligible": eligible})


def _window_ok(p: Problem) -> NDArray[np.bool_]:
    """(H, V): some shift of v leaves time to go to h, visit within its hours and go home."""
    H, V = p.n_households, p.n_volunteers
    ok = np.zeros((H, V), dtype=bool)
    any_time = np.array([not w for w in p.hh_windows], dtype=bool)
    with_windows = np.flatnonzero(~any_time)
    for v in range(V):
        t = p.travel_of(v)
        home = H + v
        out_s, back_s = t[home, :H], t[:H, home]
        reachable = (out_s < UNREACHABLE) & (back_s < UNREACHABLE)
        need = np.where(reachable, out_s + back_s + p.service_s, np.iinfo(np.int64).max // 4)
        longest = max((b - a for _, a, b in p.shifts[v]), default=0)
        ok[any_time, v] = need[any_time] <= longest
        for h in with_windows:
            ok[h, v] = bool(reachable[h]) and bool(p.visit_intervals(int(h), v))
    return ok


# --- entry point -------------------------------------------------------------------------


def read_previous(path: Any) -> dict[str, str]:
    """Read an ``assignment.csv`` written by a previous run into ``{household: volunteer}``.

    Rows with an empty ``volunteer_id`` (unassigned households) are skipped.

    Raises
    ------
    InputDataError
        If the file lacks the ``household_id`` or ``volunteer_id`` column.

    """
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in ("household_id", "volunteer_id") if c not in frame.columns]
    if missing:
        raise InputDataError(
            [
                InputProblem(
                    f"missing column(s) {', '.join(missing)}",
                    "give the assignment.csv of a previous plan",
                    file=str(path),
                )
            ]
        )
    return {
        str(h).strip(): str(v).strip()
        for h, v in zip(frame["household_id"], frame["volunteer_id"], strict=True)
        if str(v).strip()
    }


def _changes(problem: Problem, assignment: Mapping[str, str]) -> list[Change]:
    hidx = {hid: i for i, hid in enumerate(problem.household_ids)}
    vidx = {vid: i for i, vid in enumerate(problem.volunteer_ids)}
    text = problem.reason_text
    # how many of last week's households each volunteer could still keep
    keepable: Counter[str] = Counter()
    for hid, old in problem.previous.items():
        if hid in hidx and old in vidx and problem.why_not(hidx[hid], vidx[old]) is None:
            keepable[old] += 1
    out: list[Change] = []
    for hid, old in sorted(problem.previous.items()):
        new = assignment.get(hid)
        if new == old:
            continue
        if hid not in hidx:
            out.append(
                Change(hid, old, None, text("change_household_gone", hid=hid), "household_gone")
            )
            continue
        if old not in vidx:
            out.append(
                Change(hid, old, new, text("change_volunteer_gone", old=old), "volunteer_gone")
            )
            continue
        why = problem.why_not(hidx[hid], vidx[old])
        if why is not None:
            out.append(Change(hid, old, new, why[1], why[0]))
            continue
        cap = int(problem.capacity[vidx[old]])
        if keepable[old] > cap:
            out.append(
                Change(
                    hid,
                    old,
                    new,
                    text("change_capacity", old=old, cap=cap, had=keepable[old]),
                    "capacity",
                )
            )
            continue
        out.append(
            Change(
                hid,
                old,
                new,
                text("change_rebalanced", old=old, new=new or text("another_volunteer")),
                "rebalanced",
            )
        )
    return out


def plan(
    households: Any,
    volunteers: Any,
    matrices: Mapping[str, _Matrix],
    *,
    settings: Settings | None = None,
    previous: Mapping[str, str] | None = None,
    week_start: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> Plan:
    """Plan a week of visits: who looks after whom, and each volunteer's day rounds.

    Parameters
    ----------
    households, volunteers
        Registers as read by :func:`routeplan.read_households` and
        :func:`routeplan.read_volunteers`.
    matrices
        :class:`~routeplan.matrix.TravelMatrix` per mode (``"motorbike"``,
        ``"walking"``) over the households and homes (``home:<volunteer_id>``).
    settings
        Settings (``settings.planner`` and ``settings.services`` matter here).
    previous
        Last week's assignment (household id -> volunteer id): households stay with
        their volunteer unless that has become impossible; every change is reported
        in ``Plan.changes`` with its reason.
    week_start
        Monday of the planned week (only used to date the rounds).
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    Plan
        The plan; households not served are in ``unassigned`` / ``rollover`` with reasons.

    Raises
    ------
    InfeasibleError
        If there is nothing to plan with (no volunteers).
    InputDataError
        If the inputs do not fit together (see :func:`build_problem`).

    """
    from . import solve

    settings = settings or Settings()
    problem = build_problem(households, volunteers, matrices, settings=settings, previous=previous)
    result = solve.solve_problem(problem, progress=progress)
    result.week_start = week_start
    result.changes = _changes(problem, result.assignment)
    errors = problem.check(result)
    if errors:  # a solver bug, never the user's fault: say so loudly
        raise RouteplanError(
            "internal error: the plan breaks its own rules:\n  - " + "\n  - ".join(errors[:20])
        )
    return result
