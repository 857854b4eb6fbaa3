"""The network under construction as flat numpy arrays (internal to the build).

Nodes are numbered ``0..n-1`` in OSM id order. The runs (pieces of way of two or more
nodes) are laid end to end: a *position* is one node of one run, and *segment* ``k``
joins position ``seg_a[k]`` to the next position of the same run. An *edge* spans the
positions ``a..b`` of one run, between two junctions or run ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["BoolArray", "Edges", "FloatArray", "IntArray", "Nodes", "Profile", "Segments"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Nodes:
    """The OSM nodes the runs pass: node ``i`` is OSM node ``ids[i]``.

    ``ele`` is ``NaN`` where the height is unknown; ``ford`` marks ford nodes.
    """

    ids: npt.NDArray[np.int64]
    index: dict[int, int]  # OSM id -> i
    lon: FloatArray
    lat: FloatArray
    ele: FloatArray
    ford: BoolArray


@dataclass(frozen=True)
class Segments:
    """The runs laid end to end, and the segments between consecutive positions."""

    flat_idx: IntArray  # node at each position
    run_start: IntArray  # first position of each run
    run_len: IntArray  # positions per run
    seg_a: IntArray  # first position of each segment
    a_idx: IntArray  # node at each segment's start ...
    b_idx: IntArray  # ... and end
    seg_len: FloatArray  # metres
    seg_run: IntArray  # run of each segment
    run_seg_start: IntArray  # first segment of each run


@dataclass(frozen=True)
class Profile:
    """Heights at both ends of each segment (0 where ``no_z``: a height is unknown)."""

    z0: FloatArray
    z1: FloatArray
    no_z: BoolArray


@dataclass(frozen=True)
class Edges:
    """Edges as positions ``a..b`` within run ``run``, from node ``u`` to node ``v``."""

    run: IntArray
    a: IntArray
    b: IntArray
    u: IntArray
    v: IntArray

    def __len__(self) -> int:
        return len(self.run)
