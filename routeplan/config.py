"""Settings: frozen dataclasses with defaults a coordinator can live with.

Everything here can be overridden from a TOML settings file (``routeplan template
settings.toml`` prints the commented template, ``routeplan/templates/settings.toml``)::

    [services.pension]
    minutes = 30

    [network.motorbike_kmh]
    track = 12

    [planner]
    time_limit_s = 30

Each section belongs to one stage: ``services`` to the registers, ``network`` to the
network and matrix, ``planner`` to the solver, ``coverage`` to the planners' report,
``output`` to maps and sheets. Unknown keys are reported with the closest known key.
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import InputDataError, Problem

__all__ = [
    "DEFAULT_SERVICES",
    "CoverageSettings",
    "NetworkSettings",
    "OutputSettings",
    "PlannerSettings",
    "ServiceType",
    "Settings",
    "load_settings",
]


@dataclass(frozen=True)
class ServiceType:
    """One online public service a volunteer helps with at the door.

    Parameters
    ----------
    code
        Short code used in the registers (``vneid``).
    minutes
        Minutes the service takes at the door.
    skill
        Skill code a volunteer needs to provide it (``digital_signature``), or ``None``.
    label_vi, label_en
        Names shown on maps and route sheets.

    """

    code: str
    minutes: int
    skill: str | None = None
    label_vi: str = ""
    label_en: str = ""

    def __post_init__(self) -> None:
        if not self.code or not self.code.replace("_", "").isalnum():
            raise ValueError(f"service code {self.code!r} must be letters, digits and _")
        if not 0 < self.minutes <= 480:
            raise ValueError(f"service {self.code}: minutes must be 1..480, got {self.minutes}")


def _services(*items: ServiceType) -> Mapping[str, ServiceType]:
    return MappingProxyType({s.code: s for s in items})


DEFAULT_SERVICES: Mapping[str, ServiceType] = _services(
    ServiceType("vneid", 20, None, "Định danh điện tử VNeID", "VNeID electronic ID"),
    ServiceType("pension", 25, None, "Hồ sơ trợ cấp xã hội", "Social pension claim"),
    ServiceType("digital_signature", 30, "digital_signature", "Chữ ký số", "Digital signature"),
    ServiceType("sim", 15, None, "SIM chính chủ", "SIM card registration"),
    ServiceType("birth_registration", 25, None, "Đăng ký khai sinh", "Birth registration"),
    ServiceType("residence", 20, None, "Xác nhận cư trú", "Residence confirmation"),
    ServiceType("health_insurance", 20, None, "Bảo hiểm y tế", "Health insurance"),
    ServiceType("social_insurance", 20, None, "Bảo hiểm xã hội", "Social insurance"),
    ServiceType("tax", 20, None, "Thuế điện tử", "Online tax"),
)


@dataclass(frozen=True)
class NetworkSettings:
    """How the road network becomes travel times (owned by ``network`` and ``matrix``).

    Parameters
    ----------
    motorbike_kmh
        Motorbike speed per OSM ``highway`` class on a paved surface. Classes not
        listed here cannot be ridden and are walked.
    unpaved_factor
        Speed multiplier when ``surface`` is unpaved (or a ``track`` has no surface).
    walk_kmh
        Walking speed on the flat; slopes change it by Tobler's hiking function.
    switch_s
        Seconds to park or fetch the motorbike when a trip changes from riding to walking.
    max_snap_m
        A point farther than this from every mapped way is flagged ``no mapped access``.
    min_island_nodes
        Disconnected parts of the network with fewer OSM nodes than this are removed
        (and reported).
    steps_walk_factor
        Walking speed multiplier on ``highway=steps`` (on top of the slope).
    ford_walk_s, ford_ride_s
        Seconds added for crossing a ford (a way or node tagged ``ford=*``) on foot
        and by motorbike.
    closure_tolerance_m
        A closure line drawn in GIS closes the roads it crosses or runs along within
        this many metres.
    matrix_memory_gb
        Memory the travel-time matrix may take, in GB; 0 means half of the machine's
        memory. Points (households, homes, service points) whose matrix needs more
        are refused before any slow work, with the limit (see ``routeplan._memory``).

    """

    motorbike_kmh: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {
                "motorway": 60.0,
                "trunk": 50.0,
                "primary": 45.0,
                "secondary": 40.0,
                "tertiary": 35.0,
                "unclassified": 30.0,
                "residential": 25.0,
                "living_street": 15.0,
                "service": 15.0,
                "track": 15.0,
                "road": 20.0,
                "motorway_link": 40.0,
                "trunk_link": 35.0,
                "primary_link": 30.0,
                "secondary_link": 30.0,
                "tertiary_link": 25.0,
            }
        )
    )
    unpaved_factor: float = 0.6
    walk_kmh: float = 4.5
    switch_s: int = 60
    max_snap_m: float = 250.0
    min_island_nodes: int = 10
    steps_walk_factor: float = 0.5
    ford_walk_s: float = 120.0
    ford_ride_s: float = 90.0
    closure_tolerance_m: float = 5.0
    matrix_memory_gb: float = 0.0

    def __post_init__(self) -> None:
        for hw, kmh in self.motorbike_kmh.items():
            if not 0 < kmh <= 130:
                raise ValueError(f"network.motorbike_kmh.{hw} must be in 0..130 km/h, got {kmh}")
        if not 0 < self.unpaved_factor <= 1:
            raise ValueError("network.unpaved_factor must be in (0, 1]")
        if not 0.5 <= self.walk_kmh <= 10:
            raise ValueError("network.walk_kmh must be in 0.5..10 km/h")
        if self.switch_s < 0 or self.max_snap_m <= 0 or self.min_island_nodes < 1:
            raise ValueError("network.switch_s >= 0, max_snap_m > 0 and min_island_nodes >= 1")
        if not 0 < self.steps_walk_factor <= 1:
            raise ValueError("network.steps_walk_factor must be in (0, 1]")
        if self.ford_walk_s < 0 or self.ford_ride_s < 0:
            raise ValueError("network.ford_walk_s and ford_ride_s must be >= 0 seconds")
        if not 0 < self.closure_tolerance_m <= 100:
            raise ValueError("network.closure_tolerance_m must be in (0, 100] metres")
        if self.matrix_memory_gb < 0:
            raise ValueError("network.matrix_memory_gb must be >= 0 (0: half of the memory)")


@dataclass(frozen=True)
class PlannerSettings:
    """What the planner optimises and how long it may think (owned by ``solve``).

    Parameters
    ----------
    capacity
        Households per volunteer when the register does not say (the "1+20" rule).
    time_limit_s
        Wall-clock limit for the whole solve.
    seed
        Random seed; the same inputs and seed give the same plan.
    language_hard
        If true, households speaking a minority language are only given to
        volunteers who speak it; otherwise it is a strong preference.
    balance_weight
        Weight of fairness: seconds of travel the planner accepts to spend to take one
        second of weekly workload off a volunteer working more than the average
        (a soft upper bound on workload). 0 = travel only.
    travel_spread_weight
        Weight of fair travel: a volunteer's weekly travel above the median volunteer's
        costs this weight times its square, in hours (1 h above: ``weight`` h of travel,
        2 h above: ``4 * weight`` h), so the longest rides are spread first, at some
        total travel: the improvement also exchanges a long rider's longest round with a
        volunteer living nearer to it (:mod:`routeplan.planner.solve.exchange`).
        0 = total travel only.
    language_penalty_s
        Cost, in seconds of travel, of giving a household to a volunteer who does not
        speak its language (when ``language_hard`` is false).
    route_solutions
        Solutions the routing search of one volunteer's week may explore before it
        stops: the reproducible stop (the time limit is a safety net).
    route_iterations
        Iterations of PyVRP's hybrid genetic search that propose each volunteer's final
        rounds (checked against every rule by the routing model; kept when they cost
        less); a second pass gives the weeks still leaving a household out five
        times as many.
        0 = no such final routing. An iteration count: the reproducible stop.
    improve_rounds
        Most rounds of moving households between neighbouring volunteers.
    improve_moves
        Moves (a household to another volunteer, or two households swapped) the
        improvement loop tries in all before it stops: the reproducible stop of that
        loop. 0 = automatic, two per volunteer with households.
    workers
        Processes planning volunteers' rounds in parallel; 0 = one per core.
    daylight
        If true, a round that visits a household needing daylight (``remote`` in the
        register, reached by an unpaved track or path, or far from the mapped ways),
        or that uses a trip along an unpaved way (``TravelMatrix.unpaved``), ends by
        civil dusk, computed for the round's date at the households' centroid
        (without a ``week_start``: the earliest dusk of the year there).
    dusk_margin_min
        Minutes before civil dusk such a round must end (negative: after).
    timezone
        IANA time zone of the volunteers' clocks (``Asia/Ho_Chi_Minh``); empty: looked
        up from the households' centroid.
    neighbour_m
        Households closer than this (metres) go to the same volunteer unless capacity,
        skills, language or hours forbid it; 0 = no such rule.

    """

    capacity: int = 20
    time_limit_s: float = 30.0
    seed: int = 0
    language_hard: bool = False
    balance_weight: float = 0.0
    travel_spread_weight: float = 1.0
    language_penalty_s: int = 3600
    route_solutions: int = 30
    route_iterations: int = 200
    improve_rounds: int = 30
    improve_moves: int = 0
    workers: int = 0
    daylight: bool = True
    dusk_margin_min: int = 0
    timezone: str = ""
    neighbour_m: float = 40.0

    def __post_init__(self) -> None:
        if not 1 <= self.capacity <= 500:
            raise ValueError("planner.capacity must be 1..500")
        if self.time_limit_s <= 0:
            raise ValueError("planner.time_limit_s must be positive")
        if self.balance_weight < 0 or self.travel_spread_weight < 0:
            raise ValueError("planner.balance_weight and travel_spread_weight must be >= 0")
        if self.language_penalty_s < 0:
            raise ValueError("planner.language_penalty_s must be >= 0")
        if not -180 <= self.dusk_margin_min <= 180:
            raise ValueError("planner.dusk_margin_min must be -180..180 minutes")
        if not 0 <= self.neighbour_m <= 1000:
            raise ValueError("planner.neighbour_m must be 0..1000 metres")
        if (
            self.route_solutions < 1
            or self.route_iterations < 0
            or self.improve_rounds < 0
            or self.improve_moves < 0
            or self.workers < 0
        ):
            raise ValueError(
                "planner.route_solutions >= 1, route_iterations >= 0, improve_rounds >= 0, "
                "improve_moves >= 0, workers >= 0"
            )


@dataclass(frozen=True)
class CoverageSettings:
    """Bands and thresholds of the planners' coverage report (owned by ``coverage``).

    Parameters
    ----------
    bands_min
        Upper limits (minutes) of the travel-time bands; a last band "over" the
        largest is added. ``(15, 30, 60)`` gives up to 15, 15-30, 30-60, over 60.
    far_min
        A household is "far" beyond this many minutes from its nearest service point;
        choosing new service points maximises the households within it.
    reach_min
        A household that no volunteer can reach from home within this many minutes
        is listed by id.
    mode
        Travel mode of the headline table, the what-ifs and the choice of new
        points: ``"motorbike"`` or ``"walking"``.
    volunteer_hours
        Hours one volunteer can give to visiting all of their households once; the
        "1+20" rule assumes about 10 (20 visits of about half an hour).
    visits_per_round
        Visits in one round from home, for the workload estimate made without a plan.
    priority_weight
        Extra weight of a priority household (elderly, disability, remote, minority
        language) when choosing new service points: it counts ``1 + priority_weight``.
    choose_time_limit_s
        Time limit of the optimiser that chooses new service points.
    isochrone_buffer_m
        Width (metres either side of the roads) of the areas drawn for each band.

    """

    bands_min: tuple[int, ...] = (15, 30, 60)
    far_min: int = 30
    reach_min: int = 60
    mode: str = "motorbike"
    volunteer_hours: float = 10.0
    visits_per_round: int = 4
    priority_weight: int = 1
    choose_time_limit_s: float = 10.0
    isochrone_buffer_m: float = 150.0

    def __post_init__(self) -> None:
        if (
            not self.bands_min
            or list(self.bands_min) != sorted(set(self.bands_min))
            or self.bands_min[0] <= 0
        ):
            raise ValueError("coverage.bands_min must be increasing minutes, e.g. [15, 30, 60]")
        if self.far_min <= 0 or self.reach_min <= 0:
            raise ValueError("coverage.far_min and coverage.reach_min must be positive minutes")
        if self.mode not in ("motorbike", "walking"):
            raise ValueError("coverage.mode must be 'motorbike' or 'walking'")
        if self.volunteer_hours <= 0 or self.visits_per_round < 1:
            raise ValueError("coverage.volunteer_hours > 0 and coverage.visits_per_round >= 1")
        if self.priority_weight < 0:
            raise ValueError("coverage.priority_weight must be >= 0")
        if self.choose_time_limit_s <= 0 or self.isochrone_buffer_m <= 0:
            raise ValueError("coverage.choose_time_limit_s and isochrone_buffer_m must be > 0")


@dataclass(frozen=True)
class OutputSettings:
    """Maps and route sheets (owned by ``maps`` and ``sheets``).

    Parameters
    ----------
    language
        ``"vi"`` (default) or ``"en"`` for labels on maps and sheets.
    coordinator
        Who volunteers call with a problem, printed on every route sheet
        (``"Lê Văn Hùng 0905 000 111"``); empty prints nothing.

    """

    language: str = "vi"
    coordinator: str = ""

    def __post_init__(self) -> None:
        if self.language not in ("vi", "en"):
            raise ValueError("output.language must be 'vi' or 'en'")


@dataclass(frozen=True)
class Settings:
    """All settings of one routeplan run."""

    services: Mapping[str, ServiceType] = field(default_factory=lambda: DEFAULT_SERVICES)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    planner: PlannerSettings = field(default_factory=PlannerSettings)
    coverage: CoverageSettings = field(default_factory=CoverageSettings)
    output: OutputSettings = field(default_factory=OutputSettings)

    @property
    def skills(self) -> frozenset[str]:
        """Every skill some service needs."""
        return frozenset(s.skill for s in self.services.values() if s.skill)


def _closest(word: str, options: list[str]) -> str:
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    return f"did you mean {match[0]!r}?" if match else f"known keys: {', '.join(options)}"


def _build(
    cls: type[Any], table: Mapping[str, Any], where: str, file: str, problems: list[Problem]
) -> Any:
    names = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key not in names:
            problems.append(
                Problem(f"unknown setting {where}.{key}", _closest(key, list(names)), file=file)
            )
            continue
        default = getattr(cls(), key)
        if isinstance(default, Mapping):
            if not isinstance(value, Mapping):
                problems.append(Problem(f"{where}.{key} must be a table", "", file=file))
                continue
            kwargs[key] = MappingProxyType({**default, **value})
        elif isinstance(default, tuple):
            kwargs[key] = tuple(value)
        else:
            kwargs[key] = value
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        problems.append(Problem(str(exc), "correct the value in the settings file", file=file))
        return cls()


def load_settings(path: str | Path | None = None) -> Settings:
    """Read a TOML settings file over the defaults; ``None`` gives the defaults.

    Raises
    ------
    InputDataError
        Listing every unknown key and bad value in the file.

    """
    if path is None:
        return Settings()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputDataError(
            [Problem("file not found", "check the path", file=str(path))]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputDataError(
            [Problem(f"not valid TOML ({exc})", "fix the syntax", file=str(path))]
        ) from None
    problems: list[Problem] = []
    file = path.name
    sections: dict[str, Any] = {}
    classes = {
        "network": NetworkSettings,
        "planner": PlannerSettings,
        "coverage": CoverageSettings,
        "output": OutputSettings,
    }
    services = dict(DEFAULT_SERVICES)
    for key, table in data.items():
        if key == "services":
            for code, spec in table.items():
                base = services.get(code, ServiceType(code, 20))
                fields_ = {f.name for f in dataclasses.fields(ServiceType)} - {"code"}
                bad = set(spec) - fields_
                for b in sorted(bad):
                    problems.append(
                        Problem(
                            f"unknown setting services.{code}.{b}",
                            _closest(b, sorted(fields_)),
                            file=file,
                        )
                    )
                try:
                    services[code] = dataclasses.replace(
                        base, **{k: v for k, v in spec.items() if k in fields_}
                    )
                except (TypeError, ValueError) as exc:
                    problems.append(Problem(str(exc), "correct the value", file=file))
        elif key in classes:
            sections[key] = _build(classes[key], table, key, file, problems)
        else:
            problems.append(
                Problem(
                    f"unknown section [{key}]", _closest(key, ["services", *classes]), file=file
                )
            )
    if problems:
        raise InputDataError(problems, subject=file)
    return Settings(services=MappingProxyType(services), **sections)
