"""The planner's costs, shared by its steps.

Costs are in seconds of travel. Dropping a visit (rolling it over to next week) costs
far more than any detour, a priority visit far more again; keeping a household with
last week's volunteer is worth more than any travel saving but less than covering a
household; a language mismatch costs ``planner.language_penalty_s``; neighbours (closer than
``planner.neighbour_m``) split between two volunteers cost an hour of travel a pair,
less than a visit rolled over.
"""

from __future__ import annotations

__all__ = [
    "DROP_PRIORITY_S",
    "DROP_S",
    "NEIGHBOUR_SPLIT_S",
    "PRIORITY_OVER_S",
    "STAY_S",
    "UNASSIGNED_PRIORITY_S",
    "UNASSIGNED_S",
]

DROP_S = 100_000
DROP_PRIORITY_S = 10_000_000
STAY_S = 500_000
UNASSIGNED_S = 1_000_000_000
UNASSIGNED_PRIORITY_S = 4_000_000_000
PRIORITY_OVER_S = DROP_PRIORITY_S - DROP_S
NEIGHBOUR_SPLIT_S = 3600
