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

import json
import logging
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import write_text
from ..config import Settings
from ..errors import InputDataError, RouteplanError
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

    A failure is returned as a ``"failed"`` result with the error's message; on
    success the key and the figures are stored in ``out_dir/area.json``.
    """
    from ..pipeline import InputFiles
    from .plan import plan_area

    t0, c0 = time.perf_counter(), time.process_time()
    worker = _worker_name()
    settings = _serial_in_daemon(settings)
    try:
        if area.network is None:
            raise RouteplanError(f"area {area.name!r} has no map: give --network (and boundaries)")
        if area.problems:  # found before the run: a household outside its boundary
            raise InputDataError(list(area.problems), subject=f"area {area.name!r}")
        files = InputFiles(
            households=area.households,
            volunteers=area.volunteers,
            network=area.network,
            service_points=area.service_points,
        )
        figures = plan_area(files, out_dir, settings=settings, what=what)
    except Exception as exc:  # one area failing must not stop the others
        message = str(exc) if isinstance(exc, RouteplanError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, RouteplanError):
            log.debug("area %s failed:\n%s", area.name, traceback.format_exc())
        secs = round(time.perf_counter() - t0, 2)
        cpu = round(time.process_time() - c0, 2)
        return AreaResult(area.name, "failed", {}, message, secs, out_dir, worker, _peak_mb(), cpu)
    secs, cpu = round(time.perf_counter() - t0, 2), round(time.process_time() - c0, 2)
    done = {"key": key, "area": area.name, "figures": figures, "seconds": secs, "worker": worker}
    write_text(Path(out_dir) / _DONE, json.dumps(done, ensure_ascii=False, indent=1))
    return AreaResult(area.name, "planned", figures, "", secs, out_dir, worker, _peak_mb(), cpu)


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


def _stored(out_dir: Path, key: str) -> dict[str, Any] | None:
    """Return the figures of the area's last successful run if its key is ``key``."""
    path = out_dir / _DONE
    try:
        done = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if done.get("key") != key:
        return None
    figures = done.get("figures")
    return figures if isinstance(figures, dict) else None


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
                area.name, "skipped", stored, "", 0.0, str(out / area.slug)
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
