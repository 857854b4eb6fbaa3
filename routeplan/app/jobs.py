"""Long work of the app (planning a week, the coverage report) in a process of its own.

A job runs in a separate process so that the pages never wait for it and so that
"Cancel" stops it at once: the process is ended, and because the plan is stored in one
transaction (:func:`routeplan.campaign.save_plan`) the project file is left as it was.
The job reports the pipeline's progress callbacks through a queue; :class:`Jobs`
keeps each job's last message and overall fraction for the progress page.

Each job is also noted in its project file (:mod:`routeplan.campaign.jobs`): when it
starts, and how it ends (noted by the job's own process too). An app started again
after a stop or a crash so still knows the last job of each project: one still running
(the app was killed, its job was not) is shown as running, without its progress, and
blocks a second plan of the project until it ends; one whose process is gone without
an end noted is shown as interrupted. Nothing claims a job is running when it is not.
"""

from __future__ import annotations

import copyreg
import dataclasses
import datetime as dt
import logging
import multiprocessing
import os
import queue
import secrets
import signal
import sqlite3
import threading
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import InputDataError, Problem, RouteplanError

__all__ = ["Job", "Jobs", "StagedProgress", "run_job"]

log = logging.getLogger(__name__)


def mappingproxy(items: dict[Any, Any]) -> types.MappingProxyType[Any, Any]:
    """Return a read-only view of ``items`` (how a pickled settings mapping comes back)."""
    return types.MappingProxyType(items)


def _reduce_mappingproxy(m: types.MappingProxyType[Any, Any]) -> tuple[Any, tuple[Any, ...]]:
    return mappingproxy, (dict(m),)


# the settings hold read-only mappings; a job gets its settings pickled to its process
copyreg.pickle(types.MappingProxyType, _reduce_mappingproxy)


class StagedProgress:
    """Turn the pipeline's per-stage progress (each stage 0..1) into one overall fraction.

    A stage is over when the fraction goes back down (the next stage starts at 0);
    ``stages`` is how many stages the work has. The overall fraction never goes back.
    """

    def __init__(self, send: Callable[[str, float], None], stages: int) -> None:
        self.send = send
        self.stages = max(1, stages)
        self.done = 0
        self.last = 0.0
        self.overall = 0.0

    def __call__(self, message: str, fraction: float | None = None) -> None:
        """Take one progress callback of the pipeline and send the overall fraction."""
        f = 0.0 if fraction is None else min(max(fraction, 0.0), 1.0)
        if f < self.last:
            self.done = min(self.done + 1, self.stages - 1)
        self.last = f
        self.overall = max(self.overall, min(1.0, (self.done + f) / self.stages))
        self.send(message, self.overall)


def _plan_job(args: dict[str, Any], progress: StagedProgress) -> dict[str, Any]:
    from ..pipeline import (
        WeekOptions,
        replan_week,
        week_inputs,
        write_changed_outputs,
        write_outputs,
    )

    settings: Settings = args["settings"]
    week = dt.date.fromisoformat(args["week"])
    full = args["kind"] == "plan"
    options = WeekOptions(settings=settings, cache_dir=args["cache"], progress=progress)
    result = replan_week(args["project"], week, options, full=full)
    # a re-plan writes only the files of the volunteers whose rounds changed (and the
    # files listing everyone); a full plan writes everything
    write = write_outputs if full else write_changed_outputs
    write(result.plan, week_inputs(result, settings), args["out"], progress=progress)
    return {"week": week.isoformat(), "summary": result.plan.summary()}


def _coverage_job(args: dict[str, Any], progress: StagedProgress) -> dict[str, Any]:
    from ..coverage import write_coverage
    from ..pipeline import InputFiles, NewSites, run_coverage

    files = InputFiles(**args["files"])
    report = run_coverage(
        files,
        settings=args["settings"],
        new_sites=NewSites(**args["new_sites"]),
        cache_dir=args["cache"],
        progress=progress,
    )
    write_coverage(report, args["out"])
    return {"summary": report.summary()}


def _end(gpkg: str | Path | None, job_id: str, state: str, error: str = "") -> None:
    """Note in the project how a job ended (a project that cannot be written: logged)."""
    from ..campaign import end_job

    if not gpkg or not job_id:
        return
    try:
        end_job(gpkg, job_id, state, error=error)
    except (RouteplanError, OSError, sqlite3.Error) as exc:
        log.warning("could not note the end of job %s in %s: %s", job_id, gpkg, exc)


def run_job(args: dict[str, Any], events: Any) -> None:
    """Run one job (in its own process); put ``("progress"|"done"|"error", ...)`` events.

    The job's end is also noted in the project file (``project_file``, ``job_id``).
    """
    if hasattr(os, "setpgrp"):  # cancelling ends the solver's worker processes too
        os.setpgrp()

    def send(message: str, fraction: float) -> None:
        events.put(("progress", message, fraction))

    progress = StagedProgress(send, int(args.get("stages", 1)))
    noted = args.get("project_file"), str(args.get("job_id", ""))
    try:
        work = _coverage_job if args["kind"] == "coverage" else _plan_job
        result = work(args, progress)
        _end(*noted, "done")
        events.put(("done", result))
    except InputDataError as exc:
        _end(*noted, "failed", str(exc))
        events.put(("error", str(exc), [dataclasses.asdict(p) for p in exc.problems]))
    except Exception as exc:  # shown on the job's page; the log has the traceback
        log.exception("job failed")
        _end(*noted, "failed", f"{type(exc).__name__}: {exc}")
        events.put(("error", f"{type(exc).__name__}: {exc}", []))


@dataclass
class Job:
    """One job as the progress page shows it."""

    id: str
    project: str
    kind: str
    week: str = ""
    state: str = "running"  # running, done, failed, cancelled
    message: str = ""
    fraction: float = 0.0
    error: str = ""
    problems: list[Problem] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    process: Any = field(default=None, repr=False)
    earlier: bool = False
    """Started before the app was (started again): known from the project file only."""
    pid: int | None = None
    pid_started: float | None = None

    def as_json(self) -> dict[str, Any]:
        """Return what the progress page's script polls (no fraction: not known)."""
        return {
            "state": self.state,
            "message": self.message,
            "fraction": None if self.earlier else round(self.fraction, 3),
            "error": self.error,
            "seconds": round(time.monotonic() - self.started, 1),
        }


def _alive(pid: int | None, started: float | None) -> bool:
    """Whether process ``pid`` still runs and is the one that started at ``started``."""
    import psutil

    if not pid or started is None:
        return False
    try:
        proc = psutil.Process(pid)
        return bool(abs(proc.create_time() - started) < 1.0 and proc.status() != "zombie")
    except psutil.Error:
        return False


def _started(pid: int) -> float | None:
    import psutil

    try:
        return float(psutil.Process(pid).create_time())
    except psutil.Error:
        return None


class Jobs:
    """The app's jobs: at most one running per project.

    ``folder`` holds the projects (``NAME.gpkg``): each job is noted in its project.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._ctx = multiprocessing.get_context("spawn")
        self._folder = folder

    def _gpkg(self, project: str) -> Path | None:
        gpkg = self._folder / f"{project}.gpkg" if self._folder else None
        return gpkg if gpkg is not None and gpkg.is_file() else None

    def _earlier(self, project: str) -> Job | None:
        """Return the project's last job noted in its file if this app did not start it."""
        from ..campaign import last_job

        gpkg = self._gpkg(project)
        try:
            record = last_job(gpkg) if gpkg else None
        except (RouteplanError, OSError, sqlite3.Error, ValueError) as exc:
            log.warning("cannot read the last job of %s: %s", project, exc)
            return None
        if record is None or not isinstance(record.get("id"), str):
            return None
        known = self._jobs.get(record["id"])
        if known is not None and not known.earlier:
            return known  # this app follows it
        job = known or Job(
            record["id"],
            project,
            str(record.get("kind", "plan")),
            week=str(record.get("week", "")),
            earlier=True,
            pid=record.get("pid"),
            pid_started=record.get("pid_started"),
        )
        job.state, job.error = str(record.get("state", "failed")), str(record.get("error", ""))
        if job.state == "running" and not _alive(job.pid, job.pid_started):
            # its process is gone and noted no end: it was killed with the app (or the
            # computer went off); note it so that a later process of that number is not it
            job.state = "interrupted"
            _end(gpkg, job.id, "interrupted", "gone")
        self._jobs[job.id] = job
        return job

    def get(self, job_id: str, project: str | None = None) -> Job | None:
        """Return the job ``job_id`` (``None`` if unknown).

        With ``project``, a job of that project started before the app was started
        again is found in the project file.
        """
        job = self._jobs.get(job_id)
        if (job is None or job.earlier) and project is not None:
            found = self._earlier(project)
            job = found if found is not None and found.id == job_id else job
        return job

    def running(self, project: str) -> Job | None:
        """Return the job running for ``project``, if any (also one from before a restart)."""
        mine = next(
            (
                j
                for j in self._jobs.values()
                if j.project == project and j.state == "running" and not j.earlier
            ),
            None,
        )
        if mine is not None:
            return mine
        earlier = self._earlier(project)
        return earlier if earlier is not None and earlier.state == "running" else None

    def start(self, project: str, args: dict[str, Any]) -> tuple[Job, bool]:
        """Start a job for ``project``; return it and whether it is new.

        When a job already runs for the project, that one is returned instead.
        """
        with self._lock:
            busy = self.running(project)
            if busy is not None:
                return busy, False
            job = Job(secrets.token_urlsafe(8), project, args["kind"], week=args.get("week", ""))
            gpkg = self._gpkg(project)
            args = {**args, "job_id": job.id, "project_file": str(gpkg) if gpkg else None}
            events = self._ctx.Queue()
            proc = self._ctx.Process(target=run_job, args=(args, events), daemon=False)
            proc.start()
            job.process, job.pid = proc, proc.pid
            job.pid_started = _started(proc.pid) if proc.pid else None
            self._jobs[job.id] = job
            self._note(gpkg, job)
        threading.Thread(target=self._follow, args=(job, events), daemon=True).start()
        return job, True

    def _note(self, gpkg: Path | None, job: Job) -> None:
        from ..campaign import note_job

        if gpkg is None:
            return
        record = {"id": job.id, "kind": job.kind, "week": job.week, "pid": job.pid}
        try:
            note_job(gpkg, {**record, "pid_started": job.pid_started})
        except (RouteplanError, OSError, sqlite3.Error) as exc:  # the job still runs
            log.warning("could not note job %s in %s: %s", job.id, gpkg, exc)

    def _follow(self, job: Job, events: Any) -> None:
        while job.state == "running":
            try:
                event = events.get(timeout=0.25)
            except queue.Empty:
                if not job.process.is_alive() and job.state == "running":
                    job.state, job.error = (
                        "failed",
                        "stopped_unexpectedly",
                    )  # a code: worded by the page
                    _end(self._gpkg(job.project), job.id, "failed", job.error)
                continue
            if event[0] == "progress":
                job.message, job.fraction = event[1], event[2]
            elif event[0] == "done":
                job.result, job.fraction, job.state = event[1], 1.0, "done"
            elif job.state == "running":
                job.error = event[1]
                job.problems = [Problem(**p) for p in event[2]]
                job.state = "failed"
        if job.state in ("done", "failed"):  # the job noted it; this is in case it could not
            _end(self._gpkg(job.project), job.id, job.state, job.error)
        job.process.join(timeout=5)

    def cancel(self, job_id: str, *, reason: str = "") -> Job | None:
        """End a running job's process at once; return the job.

        ``reason`` is noted with the end (``"app_stopped"`` when the app stops).
        """
        job = self._jobs.get(job_id)
        if job is None or job.state != "running":
            return job
        job.state = "cancelled"
        if job.process is None:  # a job from before a restart: its process, if still it
            if _alive(job.pid, job.pid_started):
                _kill(int(job.pid or 0))
        else:
            try:
                os.killpg(job.process.pid, signal.SIGTERM)
            except (AttributeError, ProcessLookupError, PermissionError):
                job.process.terminate()
            job.process.join(timeout=10)
        job.error = reason
        _end(self._gpkg(job.project), job.id, "cancelled", reason)
        return job

    def stop_all(self) -> None:
        """Cancel every running job (the server is stopping)."""
        for job in list(self._jobs.values()):
            self.cancel(job.id, reason="app_stopped")


def _kill(pid: int) -> None:
    """End process ``pid`` and the processes it started (its group on POSIX)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [*proc.children(recursive=True), proc]
        if hasattr(os, "getpgid") and os.getpgid(pid) == pid:  # its group: all it started
            os.killpg(pid, signal.SIGTERM)
        else:  # not yet in a group of its own (just started), or not POSIX
            for p in procs:
                p.terminate()
        psutil.wait_procs(procs, timeout=10)
    except (psutil.Error, ProcessLookupError, PermissionError):
        pass


def out_dir(files: Path, week: str) -> Path:
    """Return the output folder of ``week`` in a project's files folder."""
    return files / "out" / week
