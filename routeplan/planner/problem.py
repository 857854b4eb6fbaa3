"""The solver-independent routing problem: :class:`RoutingProblem` and :func:`build_problem`.

:func:`build_problem` turns the registers and the travel matrices into arrays a solver
can use: who may serve whom and why not, each volunteer's shifts, and travel times
between households and homes. :meth:`RoutingProblem.check` holds a plan against every
hard rule (see :mod:`routeplan.planner.check`).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from ..config import Settings
from ..errors import InfeasibleError, InputDataError, Problem
from ..matrix import find_home, home_point_id
from .check import check_plan
from .places import FAR_FROM_MAP, centroid, map_flags, neighbour_pairs

if TYPE_CHECKING:  # pragma: no cover
    from .result import Plan

__all__ = ["UNREACHABLE", "MatrixLike", "RoutingProblem", "Shift", "build_problem"]

log = logging.getLogger(__name__)

UNREACHABLE = 2**31 - 1
"""Travel time meaning "no way there" (same value as ``routeplan.matrix.UNREACHABLE``)."""


class MatrixLike(Protocol):
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
class RoutingProblem:
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
    daylight
        Households whose rounds must be home by dusk (``remote``, reached by an
        unpaved track or path, or far from the mapped ways; see
        :mod:`routeplan.planner.daylight`).
    dusk_s
        Per weekday, seconds after midnight by which such rounds end (86400: no rule).
    unpaved
        Per mode, ``(H + V, H + V)`` bool over the nodes of ``travel``: the trip uses an
        unpaved way (the matrices' :attr:`~routeplan.matrix.TravelMatrix.unpaved`); a
        round using one is home by dusk too. Empty without the daylight rule.
    map_flag, map_detail
        Per household: ``"far_from_map"`` (more than ``network.max_snap_m`` from every
        mapped way), ``"separate_network"`` (snapped onto a piece of the network not
        connected to the others) or ``""``, and the sentence with the fix.
    neighbours
        ``(P, 2)`` pairs of households closer than ``planner.neighbour_m``.
    fixed
        Locked households (household id -> volunteer id): each may only go to its
        volunteer (when that volunteer can serve it at all).

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
    daylight: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    dusk_s: tuple[int, ...] = (86400,) * 7
    unpaved: Mapping[str, NDArray[np.bool_]] = field(default_factory=dict)
    map_flag: tuple[str, ...] = ()
    map_detail: tuple[str, ...] = ()
    neighbours: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    fixed: Mapping[str, str] = field(default_factory=dict)

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

    def unpaved_of(self, v: int) -> NDArray[np.bool_] | None:
        """Which trips in volunteer ``v``'s mode use an unpaved way (``None``: none known)."""
        return self.unpaved.get(self.modes[v])

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
        dark = self.needs_daylight(h)
        for k, (day, a, b) in enumerate(self.shifts[v]):
            lo, hi = (
                a + out_s,
                min(b, self.dusk_s[day]) - back_s - svc if dark else b - back_s - svc,
            )
            if self.hh_windows[h]:
                for d, hs, he in self.hh_windows[h]:
                    if d == day:
                        l2, h2 = max(lo, hs), min(hi, he - svc)
                        if l2 <= h2:
                            res.append((k, day * 86400 + l2, day * 86400 + h2))
            elif lo <= hi:
                res.append((k, day * 86400 + lo, day * 86400 + hi))
        return res

    def needs_daylight(self, h: int) -> bool:
        """Whether household ``h``'s round must be home by dusk."""
        return bool(len(self.daylight) and self.daylight[h])

    def hours_cut(self, h: int, v: int) -> bool:
        """Whether ``h``'s own hours, not ``v``'s shifts, narrow when ``v`` may visit it."""
        if not self.hh_windows[h]:
            return False
        free = RoutingProblem(**{**self.__dict__, "hh_windows": ((),) * self.n_households})
        return free.visit_intervals(h, v) != self.visit_intervals(h, v)

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
            only_v = np.zeros(self.n_volunteers, dtype=bool)
            only_v[v] = True
            if self._only_dusk_forbids(h, only_v):
                return ("daylight", self.reason_text("why_daylight", vid=vid, hid=hid))
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
            before = ok.copy()
            ok &= mask
            if not ok.any():
                if code in ("far", "window") and self._only_dusk_forbids(h, before):
                    code = "daylight"
                return (code, self.reason_text(f"unserved_{code}", **fields))
        return ("capacity", self.reason_text("unserved_capacity", hid=hid))

    def _only_dusk_forbids(self, h: int, candidates: NDArray[np.bool_]) -> bool:
        """Whether some of ``candidates`` could visit ``h`` but for the dusk rule."""
        if not self.needs_daylight(h):
            return False
        free = RoutingProblem(**{**self.__dict__, "dusk_s": (86400,) * 7})
        return any(free.visit_intervals(h, int(v)) for v in np.flatnonzero(candidates))

    # --- checking a plan ------------------------------------------------------------

    def check(self, result: Plan) -> list[str]:
        """Return every way ``result`` breaks a hard rule of this problem (empty if none).

        Checks: each household is assigned, or unassigned, exactly once; capacities;
        skills and reach (and language when hard); every visited household is
        assigned to the route's volunteer and visited once; rounds start and end at
        home inside one of the volunteer's shifts; arrival times follow the travel
        matrix and service times; household hours are respected; a round visiting a
        household that needs daylight, or using a trip on an unpaved way, ends by
        dusk; every assigned household is visited or rolled over.
        """
        return check_plan(self, result)


# --- building the problem ----------------------------------------------------------------


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
    matrices: Mapping[str, MatrixLike],
    *,
    settings: Settings | None = None,
    previous: Mapping[str, str] | None = None,
    week_start: dt.date | None = None,
    fixed: Mapping[str, str] | None = None,
) -> RoutingProblem:
    """Turn the registers and travel matrices into a :class:`RoutingProblem`.

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
    week_start
        Monday of the planned week: dates the dusk of the daylight rule (without it,
        the year's earliest dusk at the place is used).
    fixed
        Households locked to a volunteer (household id -> volunteer id), e.g. moved by
        hand: only that volunteer is eligible for them. A lock the volunteer cannot keep
        (gone, away, cannot reach or serve the household) is ignored and logged.

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
    problems = _duplicate_ids(hids, vids)
    service, needs = _service_times(households, hids, settings, problems)
    modes = tuple(str(m) for m in volunteers["mode"])
    travel = _travel(matrices, hids, vids, modes, problems)
    if problems:
        raise InputDataError(problems, subject="planning inputs")
    map_flag, map_detail, unpaved_access = map_flags(matrices, hids, settings.output.language)
    daylight, dusk = _daylight(households, settings, week_start, unpaved_access, map_flag)
    base = {
        "daylight": daylight,
        "dusk_s": dusk,
        "map_flag": map_flag,
        "map_detail": map_detail,
        "household_ids": hids,
        "volunteer_ids": vids,
        "service_s": service,
        "needs": needs,
        "modes": modes,
        "travel": travel,
        "previous": dict(previous or {}),
        "settings": settings,
        "unpaved": (
            _unpaved_trips(matrices, hids, vids, modes) if settings.planner.daylight else {}
        ),
    }
    proto = _without_eligibility(households, volunteers, base)
    window_ok = _window_ok(proto)
    eligible = proto.reach & proto.skill_ok & window_ok
    if settings.planner.language_hard:
        eligible &= proto.language_ok
    kept = _apply_locks(eligible, hids, vids, fixed or {})
    return RoutingProblem(
        **{**proto.__dict__, "window_ok": window_ok, "eligible": eligible, "fixed": kept}
    )


def _without_eligibility(households: Any, volunteers: Any, base: dict[str, Any]) -> RoutingProblem:
    """Return the problem of ``base`` (ids, services, travel, daylight...) and the registers.

    Everyone is eligible for everything in it: :func:`build_problem` narrows that.
    """
    settings: Settings = base["settings"]
    H, V = len(base["household_ids"]), len(base["volunteer_ids"])
    skills = tuple(frozenset(s or ()) for s in volunteers["skills"])
    languages = tuple(frozenset(s or ()) for s in volunteers["languages"])
    language, priority, hh_windows = _household_columns(households, H)
    skill_ok, language_ok = _skill_language_ok(base["needs"], skills, language, languages)
    return RoutingProblem(
        **base,
        priority=priority,
        language=language,
        hh_windows=hh_windows,
        capacity=_capacities(volunteers, settings),
        shifts=tuple(_seconds(w) for w in volunteers["windows"]),
        skills=skills,
        languages=languages,
        reach=_reach(base["travel"], base["modes"], H),
        skill_ok=skill_ok,
        language_ok=language_ok,
        window_ok=np.ones((H, V), dtype=bool),
        eligible=np.ones((H, V), dtype=bool),
        neighbours=neighbour_pairs(households, settings.planner.neighbour_m),
    )


def _apply_locks(
    eligible: NDArray[np.bool_],
    hids: tuple[str, ...],
    vids: tuple[str, ...],
    fixed: Mapping[str, str],
) -> dict[str, str]:
    """Make each locked household eligible for its volunteer only; return the locks kept."""
    hidx = {hid: i for i, hid in enumerate(hids)}
    vidx = {vid: i for i, vid in enumerate(vids)}
    kept: dict[str, str] = {}
    for hid, vid in fixed.items():
        h, v = hidx.get(hid), vidx.get(vid)
        if h is None or v is None or not eligible[h, v]:
            log.warning("lock of household %s on volunteer %s cannot be kept", hid, vid)
            continue
        eligible[h, :] = False
        eligible[h, v] = True
        kept[hid] = vid
    return kept


def _daylight(
    households: Any,
    settings: Settings,
    week_start: dt.date | None,
    unpaved: NDArray[np.bool_],
    map_flag: tuple[str, ...],
) -> tuple[NDArray[np.bool_], tuple[int, ...]]:
    """Return which households need a daylight round, and dusk per weekday."""
    H = len(households)
    ps = settings.planner
    where = centroid(households)
    if not ps.daylight or where is None:
        return np.zeros(H, dtype=bool), (86400,) * 7
    from .daylight import dusk_seconds, local_timezone

    remote = (
        np.asarray(households["remote"], dtype=bool)
        if "remote" in households
        else np.zeros(H, dtype=bool)
    )
    daylight = remote | unpaved | np.array([f == FAR_FROM_MAP for f in map_flag], dtype=bool)
    lon, lat = round(where[0], 3), round(where[1], 3)
    tz = local_timezone(lon, lat, ps.timezone)
    return daylight, dusk_seconds(lon, lat, week_start, tz, ps.dusk_margin_min)


def _duplicate_ids(hids: tuple[str, ...], vids: tuple[str, ...]) -> list[Problem]:
    """Return a problem for each register with ids given more than once."""
    problems: list[Problem] = []
    for name, ids in (("household", hids), ("volunteer", vids)):
        dup = [k for k, n in Counter(ids).items() if n > 1]
        if dup:
            problems.append(
                Problem(
                    f"duplicate {name} ids: {', '.join(dup[:10])}", f"make every {name}_id unique"
                )
            )
    return problems


def _service_times(
    households: Any, hids: tuple[str, ...], settings: Settings, problems: list[Problem]
) -> tuple[NDArray[np.int64], tuple[frozenset[str], ...]]:
    """Return each visit's seconds and the skills it needs; unknown codes go to ``problems``."""
    service = np.zeros(len(hids), dtype=np.int64)
    needs: list[frozenset[str]] = []
    for i, codes in enumerate(households["services"]):
        need: set[str] = set()
        for code in _services_of(codes):
            svc = settings.services.get(code)
            if svc is None:
                problems.append(
                    Problem(
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
    return service, tuple(needs)


def _travel(
    matrices: Mapping[str, MatrixLike],
    hids: tuple[str, ...],
    vids: tuple[str, ...],
    modes: tuple[str, ...],
    problems: list[Problem],
) -> dict[str, NDArray[np.int64]]:
    """Return the travel seconds per mode over households and homes (nodes as in the problem).

    Modes without a matrix and homes missing from their volunteer's matrix go to
    ``problems``.
    """
    for m in sorted(set(modes)):
        if m not in matrices:
            problems.append(
                Problem(f"no travel matrix for mode {m!r}", "build one matrix per volunteer mode")
            )
    travel: dict[str, NDArray[np.int64]] = {}
    for mode in sorted(set(modes) & set(matrices)):
        travel[mode] = _mode_travel(matrices[mode], mode, hids, vids, modes, problems)
    return travel


def _mode_travel(
    mat: MatrixLike,
    mode: str,
    hids: tuple[str, ...],
    vids: tuple[str, ...],
    modes: tuple[str, ...],
    problems: list[Problem],
) -> NDArray[np.int64]:
    """Return ``mat``'s seconds between the problem's nodes, ``UNREACHABLE`` where missing."""
    H = len(hids)
    idx = _node_rows(mat, hids, vids)
    for v, vid in enumerate(vids):
        if idx[H + v] < 0 and modes[v] == mode:
            problems.append(
                Problem(
                    f"home of volunteer {vid} is not in the {mode} travel matrix",
                    f"add point {home_point_id(vid)!r} to the matrix",
                )
            )
    sec = np.asarray(mat.seconds)
    safe = np.where(idx < 0, 0, idx)
    sub: NDArray[np.int64] = sec[np.ix_(safe, safe)].astype(np.int64)
    sub[sub >= UNREACHABLE] = UNREACHABLE
    sub[sub < 0] = UNREACHABLE
    missing = idx < 0
    sub[missing, :] = UNREACHABLE
    sub[:, missing] = UNREACHABLE
    np.fill_diagonal(sub, 0)
    return sub


def _unpaved_trips(
    matrices: Mapping[str, MatrixLike],
    hids: tuple[str, ...],
    vids: tuple[str, ...],
    modes: tuple[str, ...],
) -> dict[str, NDArray[np.bool_]]:
    """Return per volunteers' mode which trips between the nodes use an unpaved way."""
    out: dict[str, NDArray[np.bool_]] = {}
    for mode in sorted(set(modes) & set(matrices)):
        mat = matrices[mode]
        trips = getattr(mat, "unpaved", None)
        if trips is None:
            continue
        idx = _node_rows(mat, hids, vids)
        safe = np.where(idx < 0, 0, idx)
        sub = np.asarray(trips, dtype=bool)[np.ix_(safe, safe)]
        sub[idx < 0, :] = False
        sub[:, idx < 0] = False
        out[mode] = sub
    return out


def _node_rows(mat: MatrixLike, hids: tuple[str, ...], vids: tuple[str, ...]) -> NDArray[np.int64]:
    """Return the row of ``mat`` of each household, then each home (-1: not in it)."""
    pos = {pid: i for i, pid in enumerate(mat.ids)}
    idx = np.full(len(hids) + len(vids), -1, dtype=np.int64)
    for i, hid in enumerate(hids):
        idx[i] = pos.get(hid, -1)
    for v, vid in enumerate(vids):
        home_pid = find_home(pos, vid)
        idx[len(hids) + v] = -1 if home_pid is None else pos[home_pid]
    return idx


def _household_columns(
    households: Any, H: int
) -> tuple[tuple[str, ...], NDArray[np.bool_], tuple[tuple[Shift, ...], ...]]:
    """Return each household's language, priority and hours (defaults where not given)."""
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
    return language, priority, hh_windows


def _reach(
    travel: Mapping[str, NDArray[np.int64]], modes: tuple[str, ...], H: int
) -> NDArray[np.bool_]:
    """(H, V): volunteer ``v`` can get from home to the household and back in their mode."""
    V = len(modes)
    reach = np.zeros((H, V), dtype=bool)
    for v in range(V):
        t = travel[modes[v]]
        home = H + v
        reach[:, v] = (t[home, :H] < UNREACHABLE) & (t[:H, home] < UNREACHABLE)
    return reach


def _skill_language_ok(
    needs: tuple[frozenset[str], ...],
    skills: tuple[frozenset[str], ...],
    language: tuple[str, ...],
    languages: tuple[frozenset[str], ...],
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """(H, V) masks: the volunteer has every skill needed; speaks the language (or none)."""
    H, V = len(needs), len(skills)
    skill_ok = np.array([[n <= s for s in skills] for n in needs], dtype=bool).reshape(H, V)
    language_ok = np.array(
        [[not lang or lang in ls for ls in languages] for lang in language], dtype=bool
    ).reshape(H, V)
    return skill_ok, language_ok


def _capacities(volunteers: Any, settings: Settings) -> NDArray[np.int64]:
    """Return each volunteer's capacity, the settings' default where none is given."""
    if "capacity" not in volunteers:
        return np.full(len(volunteers), settings.planner.capacity, dtype=np.int64)
    return np.array(
        [
            int(c) if c == c and c is not None else settings.planner.capacity
            for c in volunteers["capacity"]
        ],
        dtype=np.int64,
    )


def _window_ok(p: RoutingProblem) -> NDArray[np.bool_]:
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
        for h in np.flatnonzero(any_time & (p.daylight if len(p.daylight) else False)):
            ok[h, v] = bool(reachable[h]) and bool(p.visit_intervals(int(h), v))
        for h in with_windows:
            ok[h, v] = bool(reachable[h]) and bool(p.visit_intervals(int(h), v))
    return ok
