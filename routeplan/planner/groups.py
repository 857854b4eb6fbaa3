"""Groups of nearby volunteers, and the group that plans each household.

:func:`make_groups` is the first step of planning a large area in groups
(:mod:`routeplan.planner.decompose`), and what the pipeline cuts the travel-time blocks
by:

1. The volunteers' homes are split into groups of at most ``per_group`` nearby homes
   (recursive bisection along the longer side, at the median, so the groups are
   compact and of even size).
2. For each household, the groups with a volunteer who could serve it: one with every
   skill its services need, hours that meet its own (a shared day with time for the
   visit) and, when ``planner.language_hard``, its language; and the distance to the
   nearest such home of each group.
3. One transport problem gives each household one of its nearest such groups
   (:data:`NEAR_GROUPS`), as near as possible, such that no group gets more
   households than its volunteers can take, nor more households of one kind (skills,
   hours, language) than its volunteers able to serve them can take. Last week's
   households stay in their volunteer's group unless it is impossible. It is a linear
   program solved exactly (HiGHS, through scipy); households with nowhere to go
   (every group able to serve them is full) go to their nearest such group, whose plan
   reports why they are left out.
4. A household also *borders* the groups of its next nearest able homes (at most
   ``BORDER_GROUPS``, within ``BORDER_M`` of its nearest): their travel-time blocks
   hold it, and the border step offers it there when its own group cannot serve it.

Without step 3's kinds, a group without any volunteer with a household's skill left
that household out as "no volunteer has the skill", though the area has such
volunteers (75 of 76 households left out at 5,400 / 280).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..config import Settings

__all__ = ["BORDER_GROUPS", "BORDER_M", "GROUP_VOLUNTEERS", "NEAR_GROUPS", "Groups", "make_groups"]

GROUP_VOLUNTEERS = 24
"""The most volunteers in one group (about 480 households at 1+20)."""

BORDER_GROUPS = 2
"""A household borders at most this many other groups (its nearest able ones)."""

BORDER_M = 400.0
"""... those with an able home at most this much farther than its nearest able home."""

NEAR_GROUPS = 8
"""A household may be given to one of its this many nearest able groups."""

_STAY_M = 10**6  # last week's group is worth more than any distance, less than a household
_DROP = 10**8  # the cost of a household left out of every group (priority ones x 10)


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
    old = _previous_groups(households, volunteers, vgroup, previous or {})
    caps = _capacities(volunteers, settings)
    plain = _nearest_home_group(pts, hxy, vgroup)
    hgroup, first = _transport(dist, kinds, able, vgroup, caps, old, plain, _priority(households))
    return Groups(vgroup, hgroup, _borders(dist, hgroup, first))


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


def _previous_groups(
    households: Any, volunteers: Any, vgroup: NDArray[np.int64], previous: Mapping[str, str]
) -> NDArray[np.int64]:
    """``(H,)`` the group of each household's volunteer last week (-1: none)."""
    vpos = {str(v): i for i, v in enumerate(volunteers["volunteer_id"])}
    old = np.full(len(households), -1, dtype=np.int64)
    for h, hid in enumerate(str(x) for x in households["household_id"]):
        v = vpos.get(previous.get(hid, ""))
        if v is not None:
            old[h] = vgroup[v]
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


def _transport(
    dist: NDArray[np.float64],
    kind: NDArray[np.int64],
    able: NDArray[np.bool_],
    vgroup: NDArray[np.int64],
    caps: NDArray[np.int64],
    old: NDArray[np.int64],
    plain: NDArray[np.int64],
    priority: NDArray[np.bool_],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Give each household a group by one transport problem; return it and the first choice.

    Household ``h`` goes to one of its :data:`NEAR_GROUPS` nearest able groups (twice
    as many, and so on, while some households go nowhere though there is room; cost:
    the metres to the group's nearest able home, less ``_STAY_M`` for last week's
    group), or nowhere (``_DROP``): one exact min-cost flow
    (:func:`~routeplan.planner.solve.transport.min_cost_transport`). A group takes at
    most its volunteers' capacity, and households of one kind at most the capacity of
    its volunteers able to serve them. The first choice is the nearest able group (last
    week's, where it is able), or the group of the nearest home (``plain``) where no
    volunteer can serve the household; a household going nowhere is planned there.
    """
    from .solve.transport import min_cost_transport

    H, G = dist.shape
    rows = np.arange(H)
    if G:
        nearest = np.where(np.isfinite(dist).any(axis=1), np.argmin(dist, axis=1), plain)
        has_old = (old >= 0) & np.isfinite(dist[rows, np.maximum(old, 0)])
    else:
        nearest, has_old = plain, np.zeros(H, dtype=bool)
    first = np.where(has_old, old, nearest).astype(np.int64)
    if H == 0 or G == 0:
        return first.copy(), first
    order = np.argsort(dist, axis=1, kind="stable")
    part, part_caps, part_group = _parts(able, vgroup, caps)
    group_of = np.concatenate([np.arange(G, dtype=np.int64), part_group])
    group_caps = np.bincount(vgroup, weights=caps, minlength=G).astype(np.int64)
    room = int(group_caps.sum())
    k = min(NEAR_GROUPS, G)
    while True:  # more groups per household while some go nowhere though there is room
        hh, gg = _arcs(order[:, :k], old, has_old, dist)
        # last week's group as good as one _STAY_M nearer (costs kept >= 0)
        cost = np.rint(dist[hh, gg] + np.where(gg == old[hh], 0.0, _STAY_M)).astype(np.int64)
        place = np.where(part[gg, kind[hh]] >= 0, part[gg, kind[hh]], gg)
        chosen = min_cost_transport(
            hh,
            place,
            cost,
            capacity=np.concatenate([group_caps, part_caps]),
            parent=np.concatenate([np.full(G, -1, dtype=np.int64), part_group]),
            drop_cost=np.where(priority, 10 * _DROP, _DROP).astype(np.int64),
        )
        nowhere = int((chosen < 0).sum())
        if not nowhere or k >= G or H - nowhere >= room:
            break
        k = min(G, 2 * k)
    return np.where(chosen >= 0, group_of[np.maximum(chosen, 0)], first).astype(np.int64), first


def _arcs(
    cand: NDArray[np.int64], old: NDArray[np.int64], has_old: NDArray[np.bool_], dist: Any
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Household -> group arcs: to its candidate groups and last week's, where able."""
    hh, gg = np.repeat(np.arange(len(cand)), cand.shape[1]), cand.reshape(-1)
    extra = np.flatnonzero(has_old & ~(cand == old[:, None]).any(axis=1))
    hh, gg = np.concatenate([hh, extra]), np.concatenate([gg, old[extra]])
    ok = np.isfinite(dist[hh, gg])
    return hh[ok], gg[ok]


def _parts(
    able: NDArray[np.bool_], vgroup: NDArray[np.int64], caps: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Return the parts of groups able to serve one kind (where not all of a group can).

    Returns ``(G, K)`` the place number of each group's part for each kind (``-1``: the
    whole group can, or none of it), and per part its capacity and its group.
    """
    G = int(vgroup.max()) + 1
    part = np.full((G, len(able)), -1, dtype=np.int64)
    part_caps: list[int] = []
    part_group: list[int] = []
    for k in range(len(able)):
        for g in range(G):
            members = vgroup == g
            if (able[k] | ~members).all() or not (able[k] & members).any():
                continue
            part[g, k] = G + len(part_caps)
            part_caps.append(int(caps[members & able[k]].sum()))
            part_group.append(g)
    return part, np.asarray(part_caps, dtype=np.int64), np.asarray(part_group, dtype=np.int64)
