"""The result: :class:`TravelMatrix`, its :data:`UNREACHABLE` value and the travel :data:`MODES`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Final

import pandas as pd

from ._common import BoolArray, Int32Array

if TYPE_CHECKING:  # pragma: no cover
    from .paths import Routes

__all__ = ["MODES", "UNREACHABLE", "TravelMatrix"]

UNREACHABLE: Final[int] = 2**31 - 1
"""``TravelMatrix.seconds`` value of a trip that cannot be made (the largest int32)."""

MODES: Final = ("walking", "motorbike")
"""Travel modes a matrix can be built for."""


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Travel times between points, in whole seconds, for one travel mode.

    Attributes
    ----------
    ids
        The ``point_id`` of each row and column, in the order of the points given.
    seconds
        int32 array of shape (n, n): ``seconds[i, j]`` is the trip from ``ids[i]`` to
        ``ids[j]``, both access legs included; the diagonal is 0 and a trip that
        cannot be made is :data:`UNREACHABLE`. Points at the same spot (within
        10 cm) are 0 s apart.
    snaps
        DataFrame indexed by ``point_id``: ``snap_m`` (distance to the nearest way),
        ``access_s`` (the access leg, walked), ``no_mapped_access`` (``snap_m`` over
        ``max_snap_m``), ``reachable`` (connected both ways to the other points),
        ``reason`` (why a point is flagged, ``""`` otherwise), ``snap_lon``,
        ``snap_lat`` (where the access leg meets the way) and ``unpaved`` (that way
        is a track or path, or has an unpaved surface).
    mode
        ``"walking"`` or ``"motorbike"``.
    unpaved
        bool array of shape (n, n), or ``None`` (a hand-made matrix: no trip known to
        use one): ``unpaved[i, j]`` says the trip from ``ids[i]`` to ``ids[j]`` uses an
        unpaved way (:func:`routeplan.network.is_unpaved`), that is, no trip on paved
        ways alone is as fast (within half a second; see :mod:`routeplan.matrix.paved`).
        When one is, that paved trip is the one :meth:`path` draws. The planner's
        daylight rule brings a round using such a trip home by dusk.

    """

    UNREACHABLE: ClassVar[int] = UNREACHABLE

    ids: tuple[str, ...]
    seconds: Int32Array
    snaps: pd.DataFrame
    mode: str
    unpaved: BoolArray | None = field(default=None, repr=False)
    _routes: Routes | None = field(default=None, repr=False)
    _pos: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._pos.update({p: k for k, p in enumerate(self.ids)})

    def __repr__(self) -> str:
        bad = int((~self.snaps["reachable"]).sum()) if len(self.snaps) else 0
        return f"TravelMatrix(mode={self.mode!r}, points={len(self.ids)}, unreachable={bad})"

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, point_id: str) -> int:
        """Return the row (and column) of ``point_id``.

        Raises
        ------
        KeyError
            If the point is not in the matrix.

        """
        try:
            return self._pos[point_id]
        except KeyError:
            raise KeyError(f"point {point_id!r} is not in the travel-time matrix") from None

    def path(self, i: int, j: int) -> list[tuple[float, float]]:
        """Return the (lon, lat) line of the trip from point ``i`` to point ``j``.

        The line starts at point ``i``, walks its access leg to the way, follows the
        roads' geometry and ends with point ``j``'s access leg at point ``j``. It is
        ``[]`` when the trip cannot be made and one position when ``i == j``. A trip
        not flagged in :attr:`unpaved` is drawn along paved ways.
        """
        n = len(self.ids)
        if not (0 <= i < n and 0 <= j < n):
            raise IndexError(f"point index out of range 0..{n - 1}: ({i}, {j})")
        if self._routes is None:
            raise ValueError("this matrix has no network to draw paths on")
        if i == j:
            return [self._routes.point_lonlat(i)]
        if int(self.seconds[i, j]) == UNREACHABLE:
            return []
        paved = self.unpaved is not None and not bool(self.unpaved[i, j])
        return self._routes.path(i, j, paved=paved)
