"""Groups of nearby volunteers, and the group that plans each household.

:func:`make_groups` is the first step of planning a large area in groups
(:mod:`routeplan.planner.decompose`), and what the pipeline cuts the travel-time blocks
by:

1. The volunteers' homes are split into groups of at most ``per_group`` nearby homes
   (recursive bisection along the longer side, at the median, so the groups are
   compact and of even size).
2. For each household, the volunteers who could serve it, as far as that is known
   before any travel time: every skill its services need, hours that meet its own (a
   shared day with time for the visit; before dusk when it is ``remote``) and, when
   ``planner.language_hard``, its language.
3. One transport problem gives each household one of its nearest such volunteers
   (:data:`NEAR_VOLUNTEERS` per mode, more while some have nowhere to go), at the
   least total round trip from home (a straight line at the mode's speed), such that
   no volunteer gets more households than their capacity; last week's volunteer keeps
   a household when possible, and the language penalty counts as in the planner's own
   assignment. It is one exact min-cost flow. The household is planned in that
   volunteer's group (the group's plan then chooses the volunteer itself); households
   with nowhere to go (every volunteer able to serve them is full) go to their nearest
   able group, whose plan reports why they are left out.
4. A household also *borders* the groups of its next nearest able homes (at most
   ``BORDER_GROUPS``, within ``BORDER_M`` of its nearest): their travel-time blocks
   hold it, and the border step offers it there when its own group cannot serve it.

Before step 3, each household went to the group of its nearest home and overflow to
a nearby group with room: a group without any volunteer with a household's skill left
it out as "no volunteer has the skill" (75 of 76 households left out at 5,400 / 280),
and a crowd whose nearest groups were all full stayed out (2,141 of 2,629 at 20,000 /
1,000, every group counted as able to serve anywhere within it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..config import Settings

__all__ = [
    "BORDER_GROUPS",
    "BORDER_M",
    "GROUP_VOLUNTEERS",
    "NEAR_VOLUNTEERS",
    "Groups",
    "make_groups",
]

GROUP_VOLUNTEERS = 24
"""The most volunteers in one group (about 480 households at 1+20)."""

BORDER_GROUPS = 2
"""A household borders at most this many other groups (its nearest able ones)."""

BORDER_M = 400.0
"""... those with an able home at most this much farther than its nearest able home."""

NEAR_VOLUNTEERS = 16
"""A household may first be given to one of its this many nearest able volunteers per mode."""

_STAY = 500_000  # last week's volunteer: worth more than any travel, less than a household
_DROP = 10**7  # the cost of a household left out (priority ones x 10)
_WIDEN = 4  # the most times households going nowhere get arcs to volunteers with room
_DETOUR = 1.3  # roads are this much longer than the straight line, about
_RIDE_KMH = 25.0  # a motorbike's speed on the commune's roads, about


@dataclass(frozen=True)
class Groups:
    """Which group each volunteer and household is in.

    Attributes
    ----------
    volunteer_group
        ``(V,)`` group of each volunteer (register order).
    household_group
        ``(H,)`` the group each household is planned in first.
    borders
        Per household, the other groups it borders (nearest first).

    """

    volunteer_group: NDArray[np.int64]
    household_group: NDArray[np.int64]
    borders: tuple[tuple[int, ...], ...]

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return int(self.volunteer_group.max()) + 1 if len(self.volunteer_group) else 0

    def volunteers_of(self, g: int) -> NDArray[np.intp]:
        """Volunteers of group ``g`` (register rows)."""
        return np.flatnonzero(self.volunteer_group == g)

    def households_of(self, g: int) -> NDArray[np.intp]:
        """Households planned first in group ``g`` (register rows)."""
        return np.flatnonzero(self.household_group == g)

    def block_households(self, g: int) -> NDArray[np.intp]:
        """Households of group ``g`` and those bordering it (the travel times it needs)."""
        border = [h for h, b in enumerate(self.borders) if g in b]
        return np.union1d(self.households_of(g), np.asarray(border, dtype=np.intp))


def _metres(lonlat: NDArray[np.float64], lat0: float) -> NDArray[np.float64]:
    """Local equirectangular metres of ``lonlat`` (plenty for grouping homes)."""
    kx = 111_320.0 * np.cos(np.radians(lat0))
    return np.column_stack([lonlat[:, 0] * kx, lonlat[:, 1] * 110_574.0])


def _bisect(xy: NDArray[np.float64], rows: NDArray[np.intp], per_group: int) -> list[list[int]]:
    """Split ``rows`` of ``xy`` into compact groups of at most ``per_group`` (median cuts)."""
    if len(rows) <= per_group:
        return [rows.tolist()]
    parts = -(-len(rows) // per_group)  # groups needed
    left_parts = parts // 2
    pts = xy[rows]
    axis = int(np.argmax(np.ptp(pts, axis=0)))
    order = rows[np.lexsort((rows, pts[:, axis]))]
    cut = round(len(rows) * left_parts / parts)
    return _bisect(xy, order[:cut], per_group) + _bisect(xy, order[cut:], per_group)


def _lonlat(frame: Any) -> NDArray[np.float64]:
    return np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()]).astype(
        np.float64
    )


def make_groups(
    households: Any,
    volunteers: Any,
    *,
    per_group: int | None = None,
    previous: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> Groups:
    """Group nearby volunteers and give each household a group (see the module's notes).

    Parameters
    ----------
    households, volunteers
        The registers (Point geometry in lon/lat).
    per_group
        The most volunteers in one group (default :data:`GROUP_VOLUNTEERS`).
    previous
        Last week's assignment: a household stays in the group of its volunteer.
    settings
        The services' skills and minutes, the default capacity, ``language_hard``.

    Returns
    -------
    Groups

    """
    settings = settings or Settings()
    homes = _lonlat(volunteers)
    lat0 = float(np.mean(homes[:, 1])) if len(homes) else 0.0
    hxy = _metres(homes, lat0)
    vgroup = np.zeros(len(homes), dtype=np.int64)
    size = GROUP_VOLUNTEERS if per_group is None else per_group
    for g, rows in enumerate(_bisect(hxy, np.arange(len(homes)), max(1, size))):
        vgroup[rows] = g
    pts = _metres(_lonlat(households), lat0)
    kinds, able = _kinds(households, volunteers, settings)
    dist = _able_distances(pts, hxy, vgroup, kinds, able)
    old = _previous(households, volunteers, previous or {})
    vols = _Volunteers(
        hxy,
        vgroup,
        _capacities(volunteers, settings),
        _speeds(volunteers, settings),
        tuple(frozenset(s or ()) for s in volunteers["languages"]),
    )
    first = _first_choice(
        dist,
        np.where(old >= 0, vgroup[np.maximum(old, 0)], -1),
        _nearest_home_group(pts, hxy, vgroup),
    )
    chosen = _transport(pts, kinds, able, vols, old, households, settings)
    hgroup = np.where(chosen >= 0, vgroup[np.maximum(chosen, 0)], first).astype(np.int64)
    return Groups(vgroup, hgroup, _borders(dist, hgroup, first))


def _speeds(volunteers: Any, settings: Settings) -> NDArray[np.float64]:
    """Each volunteer's travel speed in metres per second (walking, or ``_RIDE_KMH``)."""
    walk = settings.network.walk_kmh / 3.6
    return np.array(
        [walk if str(m) == "walking" else _RIDE_KMH / 3.6 for m in volunteers["mode"]],
        dtype=np.float64,
    )


def _nearest_home_group(
    pts: NDArray[np.float64], hxy: NDArray[np.float64], vgroup: NDArray[np.int64]
) -> NDArray[np.int64]:
    """``(H,)`` the group of each household's nearest home."""
    from scipy.spatial import cKDTree

    if not len(pts) or not len(hxy):
        return np.zeros(len(pts), dtype=np.int64)
    _, nearest = cKDTree(hxy).query(pts, k=1)
    return vgroup[np.asarray(nearest, dtype=np.int64).reshape(len(pts))].astype(np.int64)


def _borders(
    dist: NDArray[np.float64], hgroup: NDArray[np.int64], first: NDArray[np.int64]
) -> tuple[tuple[int, ...], ...]:
    """Per household, the other groups it borders (nearest first).

    Its first choice, then the able groups at most ``BORDER_M`` farther than its
    nearest able home.
    """
    order = np.argsort(dist, axis=1, kind="stable")
    out: list[tuple[int, ...]] = []
    for h in range(len(hgroup)):
        near = dist[h, order[h, 0]] if dist.shape[1] else np.inf
        able = [
            int(g) for g in order[h] if np.isfinite(dist[h, g]) and dist[h, g] <= near + BORDER_M
        ]
        near_first = dict.fromkeys([int(first[h]), *able])
        out.append(tuple(g for g in near_first if g != hgroup[h])[:BORDER_GROUPS])
    return tuple(out)


def _services(value: Any) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and value != value):
        return ()
    if isinstance(value, str):
        return tuple(s.strip() for s in value.split(";") if s.strip())
    return tuple(str(s) for s in value)


def _kinds(
    households: Any, volunteers: Any, settings: Settings
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Each household's kind, and which volunteers can serve each kind.

    A kind is what decides who may serve a household before any travel time is known:
    the skills its services need, its hours (before dusk when it is ``remote`` and
    ``planner.daylight`` is on: the year's earliest dusk) with the visit's length, and
    its language when the language rule is hard. Returns ``(H,)`` kind numbers and
    ``(K, V)`` masks.
    """
    services = settings.services
    language_hard = settings.planner.language_hard
    H = len(households)
    hwin = households["windows"] if "windows" in households else [()] * H
    hlang = households["language"] if "language" in households else [""] * H
    dark = _remote(households) if settings.planner.daylight else np.zeros(H, dtype=bool)
    dusk = _dusk_minutes(households, settings) if dark.any() else None
    key_of: dict[tuple[Any, ...], int] = {}
    kind = np.zeros(H, dtype=np.int64)
    for h, (svc, win, lang) in enumerate(zip(households["services"], hwin, hlang, strict=True)):
        codes = _services(svc)
        needs = frozenset(services[c].skill for c in codes if c in services and services[c].skill)
        minutes = sum(services[c].minutes for c in codes if c in services)
        hours = _before(tuple(win or ()), dusk) if dark[h] and dusk else tuple(win or ())
        key = (needs, hours, minutes, str(lang or "") if language_hard else "")
        kind[h] = key_of.setdefault(key, len(key_of))
    vskills = [frozenset(s or ()) for s in volunteers["skills"]]
    vlangs = [frozenset(s or ()) for s in volunteers["languages"]]
    vwin = list(volunteers["windows"])
    able = np.zeros((len(key_of), len(volunteers)), dtype=bool)
    for (needs, hours, minutes, lang), k in key_of.items():
        for v in range(len(volunteers)):
            able[k, v] = (
                needs <= vskills[v]
                and (not lang or lang in vlangs[v])
                and (not hours or _meet(hours, vwin[v], minutes))
            )
    return kind, able


def _remote(households: Any) -> NDArray[np.bool_]:
    if "remote" not in households:
        return np.zeros(len(households), dtype=bool)
    return np.asarray(households["remote"], dtype=bool)


def _dusk_minutes(households: Any, settings: Settings) -> tuple[int, ...] | None:
    """Return the year's earliest dusk (less the margin) there, minutes per weekday."""
    from .daylight import dusk_seconds, local_timezone
    from .places import centroid

    where = centroid(households)
    if where is None:
        return None
    lon, lat = round(where[0], 3), round(where[1], 3)
    ps = settings.planner
    tz = local_timezone(lon, lat, ps.timezone)
    return tuple(s // 60 for s in dusk_seconds(lon, lat, None, tz, ps.dusk_margin_min))


def _before(
    hours: tuple[tuple[int, int, int], ...], dusk: tuple[int, ...]
) -> tuple[tuple[int, int, int], ...]:
    """Return ``hours`` (all day where none) cut at dusk (``((0, 0, 0),)``: none left)."""
    days = hours or tuple((d, 0, 24 * 60) for d in range(7))
    cut = tuple((d, a, min(b, dusk[d])) for d, a, b in days if min(b, dusk[d]) > a)
    return cut or ((0, 0, 0),)


def _meet(household: tuple[tuple[int, int, int], ...], volunteer: Any, minutes: int) -> bool:
    """Whether a window of the household and a shift of the volunteer share the visit."""
    for d, a, b in household:
        for vd, va, vb in volunteer or ():
            if d == vd and min(b, vb) - max(a, va) >= minutes:
                return True
    return False


def _able_distances(
    pts: NDArray[np.float64],
    hxy: NDArray[np.float64],
    vgroup: NDArray[np.int64],
    kind: NDArray[np.int64],
    able: NDArray[np.bool_],
) -> NDArray[np.float64]:
    """Metres from each household to each group's nearest home able to serve it.

    ``(H, G)``; ``inf`` where no volunteer of the group can serve the household.
    """
    from scipy.spatial import cKDTree

    n = int(vgroup.max()) + 1 if len(vgroup) else 0
    dist = np.full((len(pts), n), np.inf)
    for k in range(len(able)):
        rows = np.flatnonzero(kind == k)
        if not len(rows):
            continue
        for g in range(n):
            homes = np.flatnonzero((vgroup == g) & able[k])
            if len(homes):
                d, _ = cKDTree(hxy[homes]).query(pts[rows], k=1)
                dist[rows, g] = d
    return dist


def _previous(households: Any, volunteers: Any, previous: Mapping[str, str]) -> NDArray[np.int64]:
    """``(H,)`` each household's volunteer last week (register row; -1: none)."""
    vpos = {str(v): i for i, v in enumerate(volunteers["volunteer_id"])}
    old = np.full(len(households), -1, dtype=np.int64)
    for h, hid in enumerate(str(x) for x in households["household_id"]):
        v = vpos.get(previous.get(hid, ""))
        if v is not None:
            old[h] = v
    return old


def _capacities(volunteers: Any, settings: Settings) -> NDArray[np.int64]:
    """Households each volunteer may look after."""
    default = settings.planner.capacity
    if "capacity" not in volunteers:
        return np.full(len(volunteers), default, dtype=np.int64)
    return np.asarray(
        [int(c) if c is not None and c == c else default for c in volunteers["capacity"]],
        dtype=np.int64,
    )


def _priority(households: Any) -> NDArray[np.bool_]:
    if "priority" not in households:
        return np.zeros(len(households), dtype=bool)
    return np.asarray(households["priority"], dtype=bool)


@dataclass(frozen=True)
class _Volunteers:
    """What the transport needs of the volunteers."""

    xy: NDArray[np.float64]
    group: NDArray[np.int64]
    capacity: NDArray[np.int64]
    speed: NDArray[np.float64]  # metres of straight line per second of travel
    languages: tuple[frozenset[str], ...]


def _first_choice(
    dist: NDArray[np.float64], old: NDArray[np.int64], plain: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Each household's nearest able group (last week's where able; else its nearest home's)."""
    H, G = dist.shape
    if not G:
        return plain.copy()
    nearest = np.where(np.isfinite(dist).any(axis=1), np.argmin(dist, axis=1), plain)
    has_old = (old >= 0) & np.isfinite(dist[np.arange(H), np.maximum(old, 0)])
    return np.where(has_old, old, nearest).astype(np.int64)


def _transport(
    pts: NDArray[np.float64],
    kind: NDArray[np.int64],
    able: NDArray[np.bool_],
    vols: _Volunteers,
    old: NDArray[np.int64],
    households: Any,
    settings: Settings,
) -> NDArray[np.int64]:
    """Give each household a volunteer by one transport problem; return the volunteer (-1: none).

    Household ``h`` goes to one of the :data:`NEAR_VOLUNTEERS` nearest able volunteers
    of each mode (and those going nowhere to four times as many of the nearest with
    room left, and so on, a few times), or nowhere (``_DROP``): one exact min-cost flow
    (:func:`~routeplan.planner.solve.transport.min_cost_transport`) with the
    volunteers' capacities. The cost is what the planner's own assignment counts:
    the round trip from home (here a straight line, ``_DETOUR`` longer, at the mode's
    speed), the language penalty, and last week's volunteer worth more than any of it.
    """
    from .solve.transport import min_cost_transport

    H, V = len(pts), len(vols.xy)
    if H == 0 or V == 0:
        return np.full(H, -1, dtype=np.int64)
    ps = settings.planner
    mismatch = _language_mismatch(households, vols) if not ps.language_hard else None
    drop = np.where(_priority(households), 10 * _DROP, _DROP).astype(np.int64)
    rows, free = np.arange(H), np.ones(V, dtype=bool)
    hh, vv = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    for i in range(_WIDEN):  # those going nowhere: arcs to more of the nearest with room
        k = NEAR_VOLUNTEERS * 4**i
        new_h, new_v = _volunteer_arcs(pts, kind, able & free, vols, old, k, rows)
        pairs = np.unique(np.r_[hh, new_h] * V + np.r_[vv, new_v])  # each arc once
        if len(pairs) == len(hh):
            break
        hh, vv = pairs // V, pairs % V
        seconds = 2 * _DETOUR * np.hypot(*(pts[hh] - vols.xy[vv]).T) / vols.speed[vv]
        if mismatch is not None:
            seconds += np.where(mismatch(hh, vv), ps.language_penalty_s, 0)
        cost = np.rint(seconds + np.where(vv == old[hh], 0, _STAY)).astype(np.int64)
        chosen = min_cost_transport(
            hh,
            vv,
            cost,
            capacity=vols.capacity,
            parent=np.full(V, -1, dtype=np.int64),
            drop_cost=drop,
        )
        rows = np.flatnonzero(chosen < 0)
        free = np.bincount(chosen[chosen >= 0], minlength=V) < vols.capacity
        if not len(rows) or not free.any():
            break
    return chosen


def _language_mismatch(households: Any, vols: _Volunteers) -> Any:
    """Return ``f(hh, vv)``: whether volunteer ``vv`` does not speak household ``hh``'s language."""
    if "language" not in households:
        return None
    langs = [str(x or "") for x in households["language"]]
    codes = {lang: i for i, lang in enumerate(sorted(set(langs)))}
    hl = np.array([codes[lang] for lang in langs], dtype=np.int64)
    speaks = np.array(
        [[not lang or lang in vl for lang in sorted(codes)] for vl in vols.languages], dtype=bool
    ).reshape(len(vols.languages), len(codes))

    def mismatch(hh: NDArray[np.int64], vv: NDArray[np.int64]) -> NDArray[np.bool_]:
        return ~speaks[vv, hl[hh]]

    return mismatch


def _volunteer_arcs(
    pts: NDArray[np.float64],
    kind: NDArray[np.int64],
    able: NDArray[np.bool_],
    vols: _Volunteers,
    old: NDArray[np.int64],
    k: int,
    of: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return arcs of households ``of`` to the ``k`` nearest able per mode, last week's."""
    from scipy.spatial import cKDTree

    hh: list[NDArray[np.int64]] = []
    vv: list[NDArray[np.int64]] = []
    for kk in range(len(able)):
        rows = of[kind[of] == kk]
        if not len(rows):
            continue
        for speed in np.unique(vols.speed):
            homes = np.flatnonzero(able[kk] & (vols.speed == speed))
            if not len(homes):
                continue
            n = min(k, len(homes))
            _, idx = cKDTree(vols.xy[homes]).query(pts[rows], k=n)
            hh.append(np.repeat(rows, n))
            vv.append(homes[np.asarray(idx, dtype=np.int64).reshape(len(rows), n)].reshape(-1))
    mine = of[old[of] >= 0]
    mine = mine[able[kind[mine], old[mine]]]
    hh.append(mine)
    vv.append(old[mine])
    return np.concatenate(hh).astype(np.int64), np.concatenate(vv).astype(np.int64)
