"""Travel-time matrix: snapped points -> many-to-many travel times in whole seconds.

:func:`build_matrix` takes the routable :class:`~routeplan.network.Network` and the
points of a plan (households, volunteers' homes, service points; see
:func:`points_frame`) and returns a :class:`TravelMatrix` of int32 seconds, where
``seconds[i, j]`` is the trip from point ``i`` to point ``j`` and :data:`UNREACHABLE`
marks trips that cannot be made.

Snapping
--------
Each point is snapped to the nearest *way* the mode can use (not merely the nearest
junction; on foot, not onto a road closed to walkers): it is projected onto the
geometry of the closest such edge, in a local equirectangular projection
centred on the network (metres; within 0.5 % over a district). The walk from the point
to that spot, the *access leg*, is walked at ``walk_kmh`` on the flat (the slope of a
yard or a field is unknown) and is part of every trip to and from the point. A point
farther than ``max_snap_m`` from every way is still snapped but flagged
``no_mapped_access``: its location or the map is wrong. A point whose way is not
connected both ways to the part of the network holding most points cannot be visited:
it is flagged ``reachable = False`` with the reason, and its row and column are
:data:`UNREACHABLE`.

Travel modes
------------
``"walking"`` uses the edges' ``walk_s`` (slope-aware and direction-dependent).

``"motorbike"`` is *walk to the motorbike, ride, park, walk to the door*: the graph has
three layers, a walk layer before riding, a ride layer (``ride_s``, only on rideable
edges) and a walk layer after parking. Getting on is free and parking costs
``switch_s``; both happen at any junction touching a rideable way, or at a point on
one. So a volunteer rides as far as the road allows and walks the footpath up to a
house (ride + ``switch_s`` + walk), and a trip between neighbours may be walked
entirely. A trip rides at most once. The approximation: every trip finds the
motorbike where its walk first meets a rideable road, that is, where the volunteer
left it when walking to the previous stop; a trip that walks away from it leaves it
behind without penalty.

Submodules
----------
``points``
    The points frame and its checks, the ids of homes and service points
    (:func:`points_frame`, :func:`find_home`, :func:`home_point_id`, :data:`KINDS`).
``prepare``
    The network as arrays, its ways in a spatial index (:class:`RoutableNetwork`).
``snap``
    Snapping points to the ways, access legs, the per-point report.
``graph``
    The split graph (a node per point), the layered graph of each mode, the
    strongly connected part.
``hubs``
    The exact reduction of the network to its hubs.
``compute``
    Many-to-many times with scipy's csgraph Dijkstra (how it is computed, exactly).
``paths``
    Paths for drawing, on demand.
``cache``
    The on-disk matrix cache.
``travel_matrix``
    :class:`TravelMatrix`, :data:`UNREACHABLE`, :data:`MODES`.
``build``
    :func:`build_matrix`, the steps in order.
"""

from __future__ import annotations

from .build import build_matrix
from .points import KINDS, find_home, home_point_id, points_frame, service_point_id
from .prepare import RoutableNetwork
from .travel_matrix import MODES, UNREACHABLE, TravelMatrix

__all__ = [
    "KINDS",
    "MODES",
    "UNREACHABLE",
    "RoutableNetwork",
    "TravelMatrix",
    "build_matrix",
    "find_home",
    "home_point_id",
    "points_frame",
    "service_point_id",
]
