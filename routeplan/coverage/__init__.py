"""Coverage for planners: who is hard to reach, and what would help.

For every household this package works out the travel time to its nearest service
point (where paperwork is received and returned) by motorbike and on foot, puts it
into time bands a planner can set (up to 15, 15-30, 30-60, over 60 minutes), and
sums it up per hamlet: households, elderly, Co Tu speakers and other priority
households, median and worst travel time, the share beyond ``far_min`` minutes,
households with no mapped access or only a village-level location.

It also says how many volunteers the area needs, by the "1+20" rule and by the
hours the rounds would really take on this terrain, lists the households no
volunteer can reach in a reasonable time, and answers two what-if questions:

* what changes if a service point is added here (coordinates, or a hamlet by name)?
* which ``k`` of these candidate sites would help most (maximal covering or
  p-median, solved by :func:`routeplan.planner.solve.choose_sites`)?

The entry points are :func:`assess_coverage` (from the registers and the road
network) and :func:`assess` (from ready-made travel-time matrices), both returning a
:class:`CoverageReport`; the plan to work from and the what-ifs are asked in
:class:`CoverageOptions`. :func:`write_coverage` writes the report as an HTML report
with an offline map, the per-hamlet table as HTML and CSV, and a GeoPackage.

Times are minutes (float, ``NaN`` where there is no route). In the matrices this
package builds, service points are named ``sp:<point_id>`` and volunteers' homes
``home:<volunteer_id>``; households keep their ``household_id``.

Submodules
----------
``assess``
    :func:`assess_coverage`, :func:`assess` and :class:`CoverageOptions`.
``points``
    The points the matrices are built over (:func:`coverage_points`).
``times``
    Travel times to the nearest service point, bands per household, the hamlet table,
    before/after comparisons.
``needs``
    Volunteers needed by the 1+20 rule and by workload; households no volunteer reaches.
``sites``
    What-if points (:func:`resolve_sites`, :func:`hamlet_sites`, :func:`read_candidates`,
    :func:`hamlet_places`) and the choice of the best candidates.
``isochrones``
    The areas within each band of a service point (:func:`isochrones`).
``results``
    What a run returns: :class:`CoverageReport`, :class:`Assessment`,
    :class:`VolunteerNeed`, :class:`WhatIf`, :class:`SiteChoice`.
``bands``
    Band labels, band of a time, band colours; :data:`MODES`, :data:`NO_ACCESS`,
    :data:`TOTAL`.
``tables``, ``map``, ``report``
    The report's tables, its offline map (:func:`coverage_map`) and its files
    (:func:`write_coverage`).
"""

from __future__ import annotations

from .assess import CoverageOptions, assess, assess_coverage
from .bands import MODES, NO_ACCESS, TOTAL, band_index, band_labels
from .isochrones import isochrones
from .map import coverage_map
from .needs import matrix_mode
from .points import coverage_points
from .report import write_coverage
from .results import Assessment, CoverageReport, SiteChoice, VolunteerNeed, WhatIf
from .sites import hamlet_places, hamlet_sites, read_candidates, resolve_sites
from .tables import hamlet_frame

__all__ = [
    "MODES",
    "NO_ACCESS",
    "TOTAL",
    "Assessment",
    "CoverageOptions",
    "CoverageReport",
    "SiteChoice",
    "VolunteerNeed",
    "WhatIf",
    "assess",
    "assess_coverage",
    "band_index",
    "band_labels",
    "coverage_map",
    "coverage_points",
    "hamlet_frame",
    "hamlet_places",
    "hamlet_sites",
    "isochrones",
    "matrix_mode",
    "read_candidates",
    "resolve_sites",
    "write_coverage",
]
