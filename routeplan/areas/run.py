"""Many areas planned as tasks on Dask: :func:`plan_areas`.

Each area is one task running :func:`routeplan.areas.plan_area` (the code
``routeplan plan`` runs) into ``out_dir/<area>/``. The tasks run on a
``dask.distributed`` cluster: a :class:`~distributed.LocalCluster` on this machine
by default (bound to 127.0.0.1, no dashboard), or an existing cluster by its
scheduler address. An area that fails is reported with its error and does not stop
the others. A rerun skips an area whose inputs, settings and version hash
(:func:`~routeplan.areas.inputs.area_key`) match those its last successful run
stored in ``out_dir/<area>/area.json``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import write_text
from ..config import Settings
from ..errors import InputDataError, Problem, RouteplanError
from .inputs import Area, area_key

__all__ = ["AreaResult", "ClusterOptions", "plan_areas", "run_area"]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]
_DONE = "area.json"


@dataclass(frozen=True)
class ClusterOptions:
    """Where the tasks run.

    Attributes
    ----------
    scheduler
        Address of an existing Dask scheduler (``tcp://host:8786``); ``None`` starts a
        local cluster on 127.0.0.1 for the run and closes it after.
    workers
        Local cluster: worker processes (or threads with ``processes=False``).
    processes
        Local cluster: workers are processes (``True``) or threads of this process.
    memory_limit
        Local cluster: memory limit per worker (Dask's format, ``"4GB"``; ``"auto"``
        splits the machine's memory between the workers).
    timeout_s
        Existing cluster: seconds to wait for its scheduler before giving up.

    """

    scheduler: str | None = None
    workers: int = 2
    processes: bool = True
    memory_limit: str = "auto"
    timeout_s: float = 30.0


@dataclass
class AreaResult:
    """How one area went.

    Attributes
    ----------
    name
        The area.
    status
        ``"planned"``, ``"skipped"`` (inputs unchanged since its last run) or ``"failed"``.
    figures
        The roll-up figures (:func:`routeplan.areas.area_figures`); ``{}`` when failed.
    error
        Why it failed (the message a coordinator reads), ``""`` otherwise.
    seconds
        Wall seconds of its task (0 when skipped).
    out_dir
        Where its files are.
    worker
        The Dask worker that ran it.
    peak_mb
        Peak memory of the worker process while it ran (MB, when known).
    cpu_seconds
        CPU seconds the worker process used while it ran (all its threads; with
        ``seconds``, how much of a core the task got).
    problems
        Every problem of the area: the errors that stopped it, or the warnings of a
        planned (or unchanged) area (see :func:`routeplan.areas.area_warnings`). For an
        area split from registers with an area column, each names the register and
        its row.

    """

    name: str
    status: str
    figures: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0
    out_dir: str = ""
    worker: str = ""
    peak_mb: float | None = None
    cpu_seconds: float = 0.0
    problems: tuple[Problem, ...] = ()


def _peak_mb() -> float | None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return None
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_area(
    area: Area, out_dir: str, settings: Settings, what: tuple[str, ...], key: str
) -> AreaResult:
    """Plan one area (the task each Dask worker runs); never raises.

    A failure is returned as a ``"failed"`` result with the error's message and its
    problems; on success the key, the figures and the warnings are stored in
    ``out_dir/area.json``. Every problem of an area split from registers with an area
    column names the register and its row (:meth:`Area.in_register`).
    """
    t0, c0 = time.perf_counter(), time.process_time()
    worker = _worker_name()
    settings = _serial_in_daemon(settings)
    warnings: list[Problem] = []
    try:
        with _warnings_returned():
            figures = _plan(area, out_dir, settings, what, warnings)
    except Exception as exc:  # one area failing must not stop the others
        problems: tuple[Problem, ...] = ()
        if isinstance(exc, InputDataError):
            exc = _in_register(area, exc)
            problems = exc.problems
        message = str(exc) if isinstance(exc, RouteplanError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, RouteplanError):
            log.debug("area %s failed:\n%s", area.name, traceback.format_exc())
        secs = round(time.perf_counter() - t0, 2)
        cpu = round(time.process_time() - c0, 2)
        return AreaResult(
            area.name, "failed", {}, message, secs, out_dir, worker, _peak_mb(), cpu, problems
        )
    secs, cpu = round(time.perf_counter() - t0, 2), round(time.process_time() - c0, 2)
    seen = tuple(area.in_register(p) for p in warnings)
    done = {
        "key": key,
        "area": area.name,
        "figures": figures,
        "seconds": secs,
        "worker": worker,
        "problems": [_problem_record(p) for p in seen],
    }
    write_text(Path(out_dir) / _DONE, json.dumps(done, ensure_ascii=False, indent=1))
    return AreaResult(
        area.name, "planned", figures, "", secs, out_dir, worker, _peak_mb(), cpu, seen
    )


class _Returned(logging.Filter):
    """Drop the registers' logged warnings in the threads planning an area.

    An area's run returns them (:attr:`AreaResult.problems`, naming the register's
    rows); logged as well they would name its split file, and twice.
    """

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno != logging.WARNING or record.thread not in self.threads


_RETURNED = _Returned()
logging.getLogger("routeplan.registers").addFilter(_RETURNED)


@contextlib.contextmanager
def _warnings_returned() -> Iterator[None]:
    """Within: this thread's register warnings are not logged (the result carries them)."""
    me = threading.get_ident()
    with _RETURNED.lock:
        _RETURNED.threads.add(me)
    try:
        yield
    finally:
        with _RETURNED.lock:
            _RETURNED.threads.discard(me)


def _plan(
    area: Area, out_dir: str, settings: Settings, what: tuple[str, ...], warnings: list[Problem]
) -> dict[str, Any]:
    """Plan ``area`` into ``out_dir``; raise what stops it (every problem found before)."""
    from ..pipeline import InputFiles
    from .plan import plan_area

    if area.network is None:
        raise RouteplanError(f"area {area.name!r} has no map: give --network (and boundaries)")
    if area.problems:  # found before the run (a household outside its boundary): and its rows'
        raise InputDataError([*area.problems, *_register_errors(area, settings)])
    files = InputFiles(
        households=area.households,
        volunteers=area.volunteers,
        network=area.network,
        service_points=area.service_points,
    )
    return plan_area(files, out_dir, settings=settings, what=what, warnings=warnings)


def _register_errors(area: Area, settings: Settings) -> list[Problem]:
    """Return the errors in the rows of an area that cannot be planned (all said at once).

    Its registers are checked without the map (the run that would check them with it
    does not happen); a register of the area without a row is not checked (the
    problems found before the run say so).
    """
    from ..registers import validate_files

    empty = {o.split for o in area.origins if not o.rows}

    def rows(path: Path | None) -> Path | None:
        return None if path is None or path in empty or not path.exists() else path

    found = validate_files(
        rows(area.households),
        rows(area.volunteers),
        rows(area.service_points),
        settings=settings,
    )
    return [p for p in found if p.severity == "error"]


def _in_register(area: Area, exc: InputDataError) -> InputDataError:
    """``exc`` with its problems naming the register's rows, under the area's name."""
    subject = f"area {area.name!r}" + (f", {exc.subject}" if exc.subject else "")
    return InputDataError([area.in_register(p) for p in exc.problems], subject=subject)


def _problem_record(p: Problem) -> dict[str, Any]:
    """Return a problem as stored in ``area.json``."""
    return {
        "message": p.message,
        "fix": p.fix,
        "file": p.file,
        "row": p.row,
        "column": p.column,
        "severity": p.severity,
        "code": p.code,
    }


def _serial_in_daemon(settings: Settings) -> Settings:
    """Solve in this process when it may not start processes (a Dask worker is a daemon).

    The cluster's workers are then the parallelism: one area per worker.
    """
    import dataclasses
    import multiprocessing

    if not multiprocessing.current_process().daemon:
        return settings
    return dataclasses.replace(settings, planner=dataclasses.replace(settings.planner, workers=1))


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return ""


def _stored(out_dir: Path, key: str) -> tuple[dict[str, Any], tuple[Problem, ...]] | None:
    """Return the figures and warnings of the area's last successful run if its key is ``key``."""
    path = out_dir / _DONE
    try:
        done = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if done.get("key") != key:
        return None
    figures = done.get("figures")
    if not isinstance(figures, dict):
        return None
    try:
        problems = tuple(Problem(**p) for p in done.get("problems", []))
    except TypeError:
        return None
    return figures, problems


def _client(options: ClusterOptions) -> Any:
    """Return a Dask client of the cluster ``options`` names (a local one by default)."""
    from distributed import Client, LocalCluster

    if options.scheduler:
        try:
            return Client(options.scheduler, timeout=options.timeout_s)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:  # refused, unknown host, no answer in time
            raise RouteplanError(
                f"cannot reach the Dask scheduler at {options.scheduler} "
                f"({type(exc).__name__}: {exc}). Fix: start it (dask scheduler) and its "
                "workers, or check the address (tcp://host:8786); without --scheduler "
                "the areas run on a local cluster"
            ) from exc
    # processes talk over TCP on 127.0.0.1 only; threads in this process need no network.
    # The scheduler's and workers' HTTP servers (health checks; no dashboard without
    # bokeh) listen anyway: on 127.0.0.1 too, any free port (not 0.0.0.0:8787)
    where = {"host": "127.0.0.1"} if options.processes else {}
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=max(1, options.workers),
        threads_per_worker=1,
        processes=options.processes,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        worker_dashboard_address="127.0.0.1:0",
        memory_limit=options.memory_limit,
        **where,
    )
    return Client(cluster)  # type: ignore[no-untyped-call]


def plan_areas(
    areas: Sequence[Area],
    out_dir: str | Path,
    *,
    settings: Settings | None = None,
    cluster: ClusterOptions | None = None,
    what: Iterable[str] = ("tables", "exports", "maps", "sheets"),
    force: bool = False,
    progress: ProgressFn | None = None,
) -> list[AreaResult]:
    """Plan every area as a task on Dask; return each area's result (in the areas' order).

    Parameters
    ----------
    areas
        The areas (:func:`~routeplan.areas.areas_from_folders`,
        :func:`~routeplan.areas.areas_from_register`, with maps).
    out_dir
        Each area's files go to ``out_dir/<area>/``.
    settings
        Settings of every area's plan.
    cluster
        Where the tasks run (a local cluster of two workers by default).
    what
        What each area writes (see :data:`routeplan.pipeline.OUTPUTS`).
    force
        Plan again even areas whose inputs have not changed.
    progress
        Optional ``progress(message, fraction)``, called as areas finish.

    """
    settings = settings or Settings()
    cluster = cluster or ClusterOptions()
    out = Path(out_dir)
    what_t = tuple(what)
    names = [a.slug for a in areas]
    if len(set(names)) != len(names):
        raise RouteplanError("two areas have the same folder name: rename one of them")
    results: dict[str, AreaResult] = {}
    todo: list[tuple[Area, str]] = []
    for area in areas:
        key = area_key(area, settings, {"what": what_t})
        stored = None if force else _stored(out / area.slug, key)
        if stored is not None:
            results[area.name] = AreaResult(
                area.name, "skipped", stored[0], "", 0.0, str(out / area.slug), problems=stored[1]
            )
        else:
            todo.append((area, key))
    if todo:
        _run(todo, out, settings, what_t, cluster, results, progress, len(areas))
    return [results[a.name] for a in areas]


def _run(
    todo: list[tuple[Area, str]],
    out: Path,
    settings: Settings,
    what: tuple[str, ...],
    cluster: ClusterOptions,
    results: dict[str, AreaResult],
    progress: ProgressFn | None,
    total: int,
) -> None:
    """Submit the areas to the cluster and collect their results as they finish."""
    from distributed import as_completed

    client = _client(cluster)
    try:
        futures = {
            client.submit(
                run_area, area, str(out / area.slug), settings, what, key, pure=False
            ): area
            for area, key in todo
        }
        done = total - len(todo)
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            area = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # a worker lost, a task killed
                result = AreaResult(area.name, "failed", {}, f"{type(exc).__name__}: {exc}")
            results[area.name] = result
            done += 1
            if progress is not None:
                progress(f"area {area.name}: {result.status}", done / total)
    finally:
        local = client.cluster if cluster.scheduler is None else None
        client.close()
        if local is not None:
            local.close()
