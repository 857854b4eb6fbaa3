"""Travel times: seconds to walk and to ride each edge, walking times slope-aware.

Every directed edge carries ``walk_s`` and ``ride_s`` in seconds.

``ride_s`` (motorbike): length / speed, where speed is ``motorbike_kmh[highway]``,
multiplied by ``unpaved_factor`` on unpaved surfaces (and on tracks with no surface
or ``tracktype`` above grade1), and capped by ``maxspeed``. Classes absent from
``motorbike_kmh`` (footway, steps, path, pedestrian, bridleway, cycleway) cannot be
ridden (``math.inf``); a ``path`` tagged ``motorcycle=yes`` or ``motor_vehicle=yes``
is ridden at the track speed. ``access=no/private`` (and ``motorcycle=no``...) forbid
riding; ``oneway`` forbids riding against the way. A ford adds ``ford_ride_s``.

``walk_s``: Tobler's hiking function (W. Tobler, *Three presentations on geographical
analysis and modeling*, NCGIA technical report 93-1, 1993), speed =
``walk_kmh * exp(-3.5 * (|s + 0.05| - 0.05))`` for slope ``s`` = rise / run, i.e.
``walk_kmh`` on the flat, fastest on a gentle 5 % descent and much slower uphill.
The two directions of a sloped edge therefore differ. Slopes come from node
elevations (``ele`` tags, or a DEM sampled every ~30 m along the road so a road over
a ridge is not flat; bridges and tunnels are graded straight between their ends) and
are capped at 100 %. Steps multiply the speed by ``steps_walk_factor``; a ford adds
``ford_walk_s``. Who may walk or ride where is decided by
:mod:`routeplan.network.access`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ._flat import BoolArray, FloatArray, IntArray, Nodes, Profile, Segments
from .elevation import sample_dems

if TYPE_CHECKING:
    from ..config import NetworkSettings
    from .access import Rule
    from .elevation import Dem

__all__ = [
    "DEM_STEP_M",
    "MAX_SLOPE",
    "edge_ride_s",
    "edge_walk_s",
    "segment_fords",
    "segment_profile",
    "segment_walk_s",
    "tobler_s_per_m",
]

DEM_STEP_M = 30.0  # sample a DEM this often along roads
MAX_SLOPE = 1.0  # slopes beyond 100 % are DEM noise


def tobler_s_per_m(slope: npt.ArrayLike, walk_kmh: float) -> FloatArray:
    """Seconds per metre walked on ``slope`` (rise/run): Tobler, ``walk_kmh`` on the flat."""
    s = np.clip(np.asarray(slope, dtype=np.float64), -MAX_SLOPE, MAX_SLOPE)
    speed = walk_kmh / 3.6 * np.exp(-3.5 * (np.abs(s + 0.05) - 0.05))
    out: FloatArray = np.asarray(1.0 / speed, dtype=np.float64)
    return out


def segment_profile(segs: Segments, ele: FloatArray) -> Profile:
    """Heights at the ends of each segment, interpolated along the way where nodes lack one."""
    flat_idx, seg_a = segs.flat_idx, segs.seg_a
    prof = ele[flat_idx]
    if np.isnan(prof).any() and np.isfinite(prof).any():
        cum = np.zeros(len(flat_idx))
        cum[seg_a + 1] = segs.seg_len
        for s0, n in zip(segs.run_start, segs.run_len, strict=True):
            p = prof[s0 : s0 + n]
            known_p = np.isfinite(p)
            if known_p.any() and not known_p.all():
                d = np.cumsum(cum[s0 : s0 + n])  # distance along the way
                prof[s0 : s0 + n] = np.interp(d, d[known_p], p[known_p])
    z0, z1 = prof[seg_a], prof[seg_a + 1]
    no_z = np.isnan(z0) | np.isnan(z1)
    return Profile(np.where(no_z, 0.0, z0), np.where(no_z, 0.0, z1), no_z)


def segment_walk_s(
    segs: Segments,
    nodes: Nodes,
    profile: Profile,
    flat_run: BoolArray,
    dems: list[Dem],
    walk_kmh: float,
) -> tuple[FloatArray, FloatArray]:
    """Seconds to walk each segment forwards and backwards, on flat ground or its slope.

    With ``dems``, a segment is cut every :data:`DEM_STEP_M` and the DEM sampled at
    the cuts, except on bridges and tunnels (``flat_run``) and where a height is unknown.
    """
    n_sub = np.ones(len(segs.seg_a), dtype=np.intp)
    if dems:
        n_sub = np.maximum(1, np.ceil(segs.seg_len / DEM_STEP_M).astype(np.intp))
        n_sub[flat_run[segs.seg_run] | profile.no_z] = 1
    sub_seg = np.repeat(np.arange(len(segs.seg_a)), n_sub)
    sub_first = np.concatenate([[0], np.cumsum(n_sub)[:-1]])
    za, zb = _sub_heights(segs, nodes, profile, n_sub, sub_seg, sub_first, dems)
    sub_len = segs.seg_len[sub_seg] / n_sub[sub_seg]
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(sub_len > 0, (zb - za) / np.maximum(sub_len, 1e-9), 0.0)
    walk_fwd_seg = (
        np.add.reduceat(sub_len * tobler_s_per_m(slope, walk_kmh), sub_first)
        if len(sub_first)
        else np.zeros(0)
    )
    walk_bwd_seg = (
        np.add.reduceat(sub_len * tobler_s_per_m(-slope, walk_kmh), sub_first)
        if len(sub_first)
        else np.zeros(0)
    )
    return walk_fwd_seg, walk_bwd_seg


def _sub_heights(
    segs: Segments,
    nodes: Nodes,
    profile: Profile,
    n_sub: IntArray,
    sub_seg: IntArray,
    sub_first: IntArray,
    dems: list[Dem],
) -> tuple[FloatArray, FloatArray]:
    """Heights at both ends of each sub-segment: graded, or from the DEM between nodes."""
    z0, z1 = profile.z0, profile.z1
    t0 = (np.arange(len(sub_seg)) - sub_first[sub_seg]) / n_sub[sub_seg]
    t1 = t0 + 1.0 / n_sub[sub_seg]
    za = z0[sub_seg] + (z1 - z0)[sub_seg] * t0
    zb = z0[sub_seg] + (z1 - z0)[sub_seg] * t1
    if dems:
        inner = np.nonzero(t1 < 1.0 - 1e-9)[0]  # sub-segment ends that are not nodes
        if len(inner):
            lon, lat, a_idx, b_idx = nodes.lon, nodes.lat, segs.a_idx, segs.b_idx
            s = sub_seg[inner]
            lo = lon[a_idx[s]] + (lon[b_idx[s]] - lon[a_idx[s]]) * t1[inner]
            la = lat[a_idx[s]] + (lat[b_idx[s]] - lat[a_idx[s]]) * t1[inner]
            z = sample_dems(dems, lo, la)
            ok = np.isfinite(z)
            zb[inner[ok]] = z[ok]
            za[inner[ok] + 1] = z[ok]
    return za, zb


def segment_fords(segs: Segments, ford_node: BoolArray) -> FloatArray:
    """Ford nodes per segment (a ford node counts on the segment it starts, or ends a run)."""
    ford_seg = np.zeros(len(segs.seg_a))
    pos = np.nonzero(ford_node[segs.flat_idx])[0]
    if len(pos):
        run_start, run_len = segs.run_start, segs.run_len
        run_of_pos = np.searchsorted(run_start, pos, side="right") - 1
        j = pos - run_start[run_of_pos]
        j = np.minimum(j, run_len[run_of_pos] - 2)
        np.add.at(ford_seg, segs.run_seg_start[run_of_pos] + j, 1.0)
    return ford_seg


def edge_ride_s(length: float, fords: float, rule: Rule, settings: NetworkSettings) -> float:
    """Seconds to ride an edge of ``length`` metres and ``fords`` fords (inf: no riding)."""
    return (
        length / (rule.ride_kmh / 3.6) + fords * settings.ford_ride_s
        if rule.ride_kmh > 0
        else math.inf
    )


def edge_walk_s(walk: float, fords: float, rule: Rule, settings: NetworkSettings) -> float:
    """Seconds to walk an edge taking ``walk`` seconds on its slope, on steps and fords."""
    return float(walk) / rule.walk_factor + fords * settings.ford_walk_s
