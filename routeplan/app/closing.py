"""Pages: close the week (outcome files, the progress dashboard) and the coverage report.

Outcome files go through :func:`routeplan.campaign.record_outcomes` (all or nothing,
every problem listed row by row); the dashboard is
:func:`routeplan.campaign.write_progress`'s ``progress.html``; the coverage report runs
:func:`routeplan.pipeline.run_coverage` in a job, as planning does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .._io import write_bytes
from ..errors import InputDataError, Problem
from .labels import text
from .projects import paths_of
from .security import OUTCOME_TYPES, stored_name
from .state import ProjectPaths
from .web import checked_form, language, page, read_upload, redirect, state_of

__all__ = ["coverage_page", "outcomes_page", "start_coverage"]


def _dashboard(request: Request, paths: ProjectPaths) -> str:
    """Write the progress report into the output folder; return its headline."""
    from ..campaign import progress_report, write_progress

    report = progress_report(paths.gpkg, settings=state_of(request).config.settings)
    write_progress(report, paths.out / "progress")
    return report.headline()


def _as_uploaded(problems: Iterable[Problem], stored: Path, filename: str) -> list[Problem]:
    """Name the file in each problem as the coordinator uploaded it."""
    names = {stored.name, str(stored)}
    return [dataclasses.replace(p, file=filename) if p.file in names else p for p in problems]


def import_lines(result: Any, lang: str) -> list[str]:
    """Say what an outcomes import did (:class:`routeplan.campaign.ImportResult`)."""
    fields = {"file": result.file, "rows": result.rows}
    if result.already_imported:
        lines = [text("already_imported", lang, **fields)]
    else:
        counts = {k: getattr(result, k) for k in ("added", "corrected", "unchanged")}
        lines = [text("imported", lang, **fields, **counts)]
    if result.volunteer_id:
        lines.append(text("from_phone", lang, vid=result.volunteer_id, week=result.week))
    return lines


async def outcomes_page(request: Request) -> Response:
    """Upload outcome files; see every problem row by row, or what was recorded."""
    from ..campaign import record_outcomes

    paths = paths_of(request)
    problems: list[Problem] = []
    summary: list[str] = []
    if request.method == "POST":
        form = await checked_form(request)
        item = await read_upload(form, "outcomes", OUTCOME_TYPES, 5)
        if item is None:
            problems.append(
                Problem("no file chosen", "choose the outcomes file", code="app_no_file")
            )
        elif isinstance(item, Problem):
            problems.append(item)
        else:
            filename, end, data = item
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            target = paths.uploads / "outcomes" / stamp / stored_name(filename, end)
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(target, data)
            try:
                result = record_outcomes(
                    paths.gpkg, target, settings=state_of(request).config.settings
                )
            except InputDataError as exc:
                problems = _as_uploaded(exc.problems, target, filename)
            else:  # recorded: its warnings are shown with it
                result = dataclasses.replace(result, file=filename)
                summary = import_lines(result, language(request))
                problems = _as_uploaded(result.warnings, target, filename)
    headline = _dashboard(request, paths)
    errors = any(p.severity == "error" for p in problems)
    return page(
        request,
        "outcomes.html",
        422 if errors else 200,
        name=paths.name,
        problems=problems,
        summary=summary,
        headline=headline,
    )


def _coverage_files(paths: ProjectPaths) -> dict[str, Any] | None:
    files = {
        role: paths.upload_of(role)
        for role in ("households", "volunteers", "service_points", "network")
    }
    if files["households"] is None or files["service_points"] is None or not files["network"]:
        return None
    return {k: str(v) for k, v in files.items() if v is not None}


async def coverage_page(request: Request) -> Response:
    """Show the coverage form and the last report."""
    paths = paths_of(request)
    report = paths.out / "coverage" / "coverage.html"
    return page(
        request,
        "coverage.html",
        name=paths.name,
        has_report=report.is_file(),
        ready=_coverage_files(paths) is not None,
        job=state_of(request).jobs.running(paths.name),
    )


async def start_coverage(request: Request) -> Response:
    """Run the coverage report (with its what-ifs) in a job."""
    paths = paths_of(request)
    form = await checked_form(request)
    files = _coverage_files(paths)
    problems: list[Problem] = []
    try:
        choose = int(str(form.get("choose", "0") or "0"))
    except ValueError:
        choose = -1
    if choose < 0:
        problems.append(Problem("K must be 0 or more", "e.g. 2", code="app_choose_k"))
    if files is None:
        problems.append(
            Problem(
                "upload the households, service points and map first",
                "",
                code="app_coverage_files",
            )
        )

    objective = str(form.get("objective", "coverage"))
    if objective not in ("coverage", "median"):
        objective = "coverage"
    if problems or files is None:
        return page(request, "coverage.html", 422, name=paths.name, problems=problems, ready=False)
    add = tuple(x.strip() for x in str(form.get("add", "")).splitlines() if x.strip())
    st = state_of(request)
    job, _ = st.jobs.start(
        paths.name,
        {
            "kind": "coverage",
            "files": files,
            "new_sites": {"add": add, "choose": choose, "objective": objective},
            "settings": st.config.settings,
            "cache": str(paths.cache),
            "out": str(paths.out / "coverage"),
            "stages": 4,
        },
    )
    return redirect(f"/p/{paths.name}/jobs/{job.id}")
