"""Where the volunteers' weeks are solved: worker processes, or the calling process."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

__all__ = ["Serial", "count_workers", "open_pool"]


class Serial(Executor):
    """An executor that runs tasks in the calling process (one worker, or tiny problems)."""

    def map(
        self,
        fn: Callable[..., Any],
        *iterables: Any,
        timeout: float | None = None,
        chunksize: int = 1,
        buffersize: int | None = None,
    ) -> Any:
        del timeout, chunksize, buffersize
        return [fn(*args) for args in zip(*iterables, strict=False)]


def _mp_context() -> Any:
    """Fork where the OS has it (no re-import of the caller's script), else spawn."""
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        return get_context("fork")
    return get_context("spawn")  # pragma: no cover - Windows, macOS defaults


def count_workers(setting: int) -> int:
    """Return ``planner.workers`` if positive, else the cores this process may use."""
    if setting > 0:
        return setting
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def open_pool(workers: int) -> Executor:
    """Return a process pool of ``workers`` processes, or :class:`Serial` for one."""
    if workers > 1:
        return ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context())
    return Serial()
