"""Travel times in blocks: a matrix per group of nearby points, never one over all of them.

A register of a ward or a city is too large for one dense matrix (20,000 households
and 1,000 homes are 441 million cells, 1.8 GB of int32, and the float64 work arrays
twice that), and most of it would never be used: a volunteer only ever travels between
households near their home. :func:`build_blocked` builds one ordinary
:class:`~routeplan.matrix.TravelMatrix` per *block* (a group of nearby homes, the
households they may serve and the service points), on the same prepared network, so
the memory and the cache grow with the blocks, not with the square of the register.

A point may be in several blocks (a household on the border between two groups is in
both); :attr:`BlockedMatrix.owner` says which block it belongs to, and
:meth:`BlockedMatrix.path` draws a trip in a block holding both ends.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..config import NetworkSettings, Settings
from ..errors import InputDataError, Problem
from ._common import Progress
from .build import build_matrix
from .graph import split_network
from .paths import Routes
from .points import check_points
from .travel_matrix import TravelMatrix

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from .prepare import RoutableNetwork

__all__ = ["MAX_BLOCK_POINTS", "BlockedMatrix", "build_blocked"]

MAX_BLOCK_POINTS = 12_000
"""The most points one block may hold (a dense 12,000 x 12,000 block is 0.6 GB of int32)."""


@dataclass(frozen=True, eq=False)
class BlockedMatrix:
    """Travel times of one mode as blocks of nearby points.

    Attributes
    ----------
    mode
        ``"walking"`` or ``"motorbike"``.
    blocks
        One :class:`TravelMatrix` per block.
    owner
        ``point_id`` -> the block the point belongs to (every point of every block).

    """

    mode: str
    blocks: tuple[TravelMatrix, ...]
    owner: Mapping[str, int]
    _pos: dict[str, int] = field(default_factory=dict, repr=False)
    _ids: list[str] = field(default_factory=list, repr=False)
    _where: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _all: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        for b, block in enumerate(self.blocks):
            for pid in block.ids:
                if pid not in self._pos:
                    self._pos[pid] = len(self._ids)
                    self._ids.append(pid)
                self._where.setdefault(pid, []).append(b)
        object.__setattr__(self, "_all", tuple(self._ids))  # frozen: set once, here

    def __repr__(self) -> str:
        return (
            f"BlockedMatrix(mode={self.mode!r}, points={len(self._ids)}, blocks={len(self.blocks)})"
        )

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every point of every block, each once, in the order first met."""
        return self._all

    @property
    def cells(self) -> int:
        """Cells held in all blocks (a dense matrix would hold ``len(self) ** 2``)."""
        return sum(len(b) ** 2 for b in self.blocks)

    @property
    def snaps(self) -> pd.DataFrame:
        """The per-point snapping report (as :attr:`TravelMatrix.snaps`), each point once."""
        frames = [b.snaps for b in self.blocks]
        both = pd.concat(frames) if frames else pd.DataFrame()
        return both[~both.index.duplicated(keep="first")]

    def index(self, point_id: str) -> int:
        """Return the point's position in :attr:`ids` (the numbering :meth:`path` takes)."""
        try:
            return self._pos[point_id]
        except KeyError:
            raise KeyError(f"point {point_id!r} is not in the travel-time matrix") from None

    def blocks_of(self, point_id: str) -> list[int]:
        """Return the blocks that hold ``point_id`` (its owner first)."""
        where = self._where.get(point_id, [])
        own = self.owner.get(point_id)
        return sorted(where, key=lambda b: (b != own, b))

    def path(self, i: int, j: int) -> list[tuple[float, float]]:
        """Return the (lon, lat) line of the trip from point ``i`` to ``j`` (see TravelMatrix).

        Drawn in a block holding both points; ``[]`` when no block holds both.
        """
        a, b = self._ids[i], self._ids[j]
        common = [k for k in self.blocks_of(a) if k in set(self._where.get(b, []))]
        if not common:
            return []
        block = self.blocks[common[0]]
        return block.path(block.index(a), block.index(b))


def _lazy_paths(
    network: RoutableNetwork,
    frame: gpd.GeoDataFrame,
    m: TravelMatrix,
    settings: NetworkSettings | Settings | None,
) -> TravelMatrix:
    """Return ``m`` drawing its paths on a split network made when first needed.

    A block keeps no split network in memory until a path is drawn in it (otherwise
    every block would hold a copy of the whole network).
    """
    _, _, lonlat = check_points(frame)
    ns = settings.network if isinstance(settings, Settings) else settings or NetworkSettings()
    build = functools.partial(split_network, network, lonlat, m.mode)
    routes = Routes(build, m.mode, float(ns.switch_s), lonlat)
    return TravelMatrix(
        ids=m.ids, seconds=m.seconds, snaps=m.snaps, mode=m.mode, unpaved=m.unpaved, _routes=routes
    )


def build_blocked(
    network: RoutableNetwork,
    points: gpd.GeoDataFrame,
    blocks: Sequence[Sequence[str]],
    owner: Mapping[str, int],
    *,
    mode: str,
    settings: NetworkSettings | Settings | None = None,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> BlockedMatrix:
    """Build a :class:`BlockedMatrix`: one :func:`build_matrix` per block of point ids.

    Parameters
    ----------
    network
        The road network.
    points
        The points frame (:func:`points_frame`) holding every point of every block.
    blocks
        The ``point_id`` of each block's points.
    owner
        ``point_id`` -> its own block.
    mode, settings, cache_dir, progress
        As :func:`build_matrix`; the cache holds one file per block, so it grows with
        the blocks, not with the square of the register.

    Raises
    ------
    InputDataError
        If a block holds more than :data:`MAX_BLOCK_POINTS` points (before any work).

    """
    big = [k for k, b in enumerate(blocks) if len(b) > MAX_BLOCK_POINTS]
    if big:
        sizes = ", ".join(f"block {k + 1}: {len(blocks[k]):,} points" for k in big[:5])
        raise InputDataError(
            [
                Problem(
                    f"{len(big)} group(s) of nearby volunteers hold more than "
                    f"{MAX_BLOCK_POINTS:,} points each, the limit of one travel-time "
                    f"block ({sizes})",
                    "add volunteers where the households are (1 per 20 households), or "
                    "split the register into areas and plan them with `routeplan areas`",
                )
            ],
            subject="travel-time blocks",
        )
    by_id = points.set_index("point_id", drop=False)
    out: list[TravelMatrix] = []
    for k, ids in enumerate(blocks):

        def say(message: str, fraction: float, k: int = k) -> None:
            if progress is not None:
                progress(f"block {k + 1}/{len(blocks)}: {message}", (k + fraction) / len(blocks))

        frame = by_id.loc[list(ids)].reset_index(drop=True)
        m = build_matrix(
            network, frame, mode=mode, settings=settings, cache_dir=cache_dir, progress=say
        )
        out.append(_lazy_paths(network, frame, m, settings))
    return BlockedMatrix(mode, tuple(out), dict(owner))
