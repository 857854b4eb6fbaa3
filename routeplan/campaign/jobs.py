"""The last background job of the coordinator's app, noted in the project file.

The app runs long work (planning a week, the coverage report) in a process of its own
and follows it in memory. So that a restart of the app does not lose sight of a job,
its start and its end are noted in the project file (``routeplan_meta``, key
``app_job``, one JSON object): what it is (``id``, ``kind``, ``week``), its process
(``pid`` and ``pid_started``, the process's start time, so that a later process given
the same number is not taken for it), ``state`` (``running``, then ``done``,
``failed`` or ``cancelled``), ``started_at`` and, once over, ``finished_at`` and
``error``. The job's own process notes how it ended, so a job that outlives the app
(killed without a chance to stop its jobs) is still seen to end.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .store import PathLike, meta, now, set_meta, transaction

__all__ = ["JOB_KEY", "end_job", "last_job", "note_job"]

JOB_KEY = "app_job"


def last_job(path: PathLike) -> dict[str, Any] | None:
    """Return the app's last job noted in the project (``None`` if none)."""
    with transaction(path, write=False) as conn:
        text = meta(conn, JOB_KEY)
    if not text:
        return None
    record = json.loads(text)
    return record if isinstance(record, dict) else None


def note_job(path: PathLike, record: Mapping[str, Any]) -> None:
    """Note a job that starts (``record`` has its ``id``, ``kind``, ``pid``...)."""
    value = {"state": "running", "started_at": now(), **record}
    with transaction(path, write=True, what="note the app's job") as conn:
        set_meta(conn, JOB_KEY, json.dumps(value, ensure_ascii=False))


def end_job(path: PathLike, job_id: str, state: str, *, error: str = "") -> bool:
    """Note that job ``job_id`` ended in ``state``; return whether it was noted.

    Only the job noted, and only while it is noted as running: the first end
    noted stays (a job cancelled is not then noted as failed by its dying process).
    """
    with transaction(path, write=True, what="note the app's job") as conn:
        text = meta(conn, JOB_KEY)
        record = json.loads(text) if text else None
        if not isinstance(record, dict) or record.get("id") != job_id:
            return False
        if record.get("state") != "running":
            return False
        record.update(state=state, finished_at=now(), error=error)
        set_meta(conn, JOB_KEY, json.dumps(record, ensure_ascii=False))
    return True
