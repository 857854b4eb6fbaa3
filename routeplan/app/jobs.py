"""Long work of the app (planning a week, the coverage report) in a process of its own.

A job runs in a separate process so that the pages never wait for it and so that
"Cancel" stops it at once: the process is ended, and because the plan is stored in one
transaction (:func:`routeplan.campaign.save_plan`) the project file is left as it was.
The job reports the pipeline's progress callbacks through a queue; :class:`Jobs`
keeps each job's last message and overall fraction for the progress page.
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
import threading
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import InputDataError, Problem

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
    from ..pipeline import replan_week, week_inputs, write_changed_outputs, write_outputs

    settings: Settings = args["settings"]
    week = dt.date.fromisoformat(args["week"])
    full = args["kind"] == "plan"
    result = replan_week(
        args["project"],
        week,
        full=full,
        settings=settings,
        cache_dir=args["cache"],
        progress=progress,
    )
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


def run_job(args: dict[str, Any], events: Any) -> None:
    """Run one job (in its own process); put ``("progress"|"done"|"error", ...)`` events."""
    if hasattr(os, "setpgrp"):  # cancelling ends the solver's worker processes too
        os.setpgrp()

    def send(message: str, fraction: float) -> None:
        events.put(("progress", message, fraction))

    progress = StagedProgress(send, int(args.get("stages", 1)))
    try:
        work = _coverage_job if args["kind"] == "coverage" else _plan_job
        events.put(("done", work(args, progress)))
    except InputDataError as exc:
        events.put(("error", str(exc), [dataclasses.asdict(p) for p in exc.problems]))
    except Exception as exc:  # shown on the job's page; the log has the traceback
        log.exception("job failed")
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

    def as_json(self) -> dict[str, Any]:
        """Return what the progress page's script polls."""
        return {
            "state": self.state,
            "message": self.message,
            "fraction": round(self.fraction, 3),
            "error": self.error,
            "seconds": round(time.monotonic() - self.started, 1),
        }


class Jobs:
    """The app's jobs: at most one running per project."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._ctx = multiprocessing.get_context("spawn")

    def get(self, job_id: str) -> Job | None:
        """Return the job ``job_id`` (``None`` if unknown)."""
        return self._jobs.get(job_id)

    def running(self, project: str) -> Job | None:
        """Return the job running for ``project``, if any."""
        return next(
            (j for j in self._jobs.values() if j.project == project and j.state == "running"),
            None,
        )

    def start(self, project: str, args: dict[str, Any]) -> tuple[Job, bool]:
        """Start a job for ``project``; return it and whether it is new.

        When a job already runs for the project, that one is returned instead.
        """
        with self._lock:
            busy = self.running(project)
            if busy is not None:
                return busy, False
            job = Job(secrets.token_urlsafe(8), project, args["kind"], week=args.get("week", ""))
            events = self._ctx.Queue()
            proc = self._ctx.Process(target=run_job, args=(args, events), daemon=False)
            proc.start()
            job.process = proc
            self._jobs[job.id] = job
        threading.Thread(target=self._follow, args=(job, events), daemon=True).start()
        return job, True

    def _follow(self, job: Job, events: Any) -> None:
        while job.state == "running":
            try:
                event = events.get(timeout=0.25)
            except queue.Empty:
                if not job.process.is_alive() and job.state == "running":
                    job.state, job.error = "failed", "the job stopped unexpectedly"
                continue
            if event[0] == "progress":
                job.message, job.fraction = event[1], event[2]
            elif event[0] == "done":
                job.result, job.fraction, job.state = event[1], 1.0, "done"
            elif job.state == "running":
                job.error = event[1]
                job.problems = [Problem(**p) for p in event[2]]
                job.state = "failed"
        job.process.join(timeout=5)

    def cancel(self, job_id: str) -> Job | None:
        """End a running job's process at once; return the job."""
        job = self._jobs.get(job_id)
        if job is not None and job.state == "running":
            job.state = "cancelled"
            try:
                os.killpg(job.process.pid, signal.SIGTERM)
            except (AttributeError, ProcessLookupError, PermissionError):
                job.process.terminate()
            job.process.join(timeout=10)
        return job

    def stop_all(self) -> None:
        """Cancel every running job (the server is stopping)."""
        for job in list(self._jobs.values()):
            self.cancel(job.id)


def out_dir(files: Path, week: str) -> Path:
    """Return the output folder of ``week`` in a project's files folder."""
    return files / "out" / week
