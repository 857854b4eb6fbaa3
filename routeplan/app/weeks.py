"""Pages: plan a week (the job and its progress), see the plan, adjust it, hand it out.

Planning runs :func:`routeplan.pipeline.replan_week` in a job (``full=True`` for "Plan
the week", ``False`` for "Re-plan": only the volunteers touched by the changes are
routed again). Adjustments (locks, volunteers away, capacities) are stored in the
project by :func:`routeplan.campaign.change_adjustments`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from ..campaign import WeekAdjustments
from ..errors import InputDataError, Problem
from ..render.text import day_name, safe_file_name
from ..timewindows import format_clock
from .jobs import Job
from .plan_words import progress_words, reason_words
from .projects import paths_of, project_context
from .security import inside
from .state import ProjectPaths
from .web import checked_form, language, page, redirect, state_of

__all__ = [
    "adjust",
    "cancel_job",
    "file",
    "job_page",
    "job_status",
    "qr_svg",
    "share",
    "start_plan",
    "volunteer_page",
    "volunteer_zip",
    "week_page",
]


def _week(request: Request) -> dt.date:
    try:
        week = dt.date.fromisoformat(str(request.path_params["week"]))
    except ValueError:
        raise HTTPException(404, "no such week") from None
    return week


def _stages(paths: ProjectPaths) -> int:
    """Stages of a plan job: map, one matrix per travel mode, plan, three writers."""
    from ..campaign import read_registers

    modes = set(read_registers(paths.gpkg).volunteers["mode"])
    return 1 + max(1, len(modes)) + 1 + 3


async def start_plan(request: Request) -> Response:
    """Start planning (or re-planning) a week in a job; go to its progress page."""
    paths = paths_of(request)
    form = await checked_form(request)
    try:
        week = dt.date.fromisoformat(str(form.get("week", "")))
    except ValueError:
        week = None
    if week is None or week.weekday() != 0:
        problems = [
            Problem("choose a Monday", "pick the Monday of the week to plan", code="app_monday")
        ]
        ctx = project_context(request, paths)
        return page(request, "project.html", 422, problems=problems, **ctx)
    kind = "replan" if form.get("mode") == "replan" else "plan"
    st = state_of(request)
    job, _ = st.jobs.start(
        paths.name,
        {
            "kind": kind,
            "project": str(paths.gpkg),
            "week": week.isoformat(),
            "settings": st.config.settings,
            "cache": str(paths.cache),
            "out": str(paths.week_out(week)),
            "stages": _stages(paths),
        },
    )
    return redirect(f"/p/{paths.name}/jobs/{job.id}")


def _job(request: Request) -> Job:
    paths = paths_of(request)
    # (also a job started before the app was started again: from the project file)
    job = state_of(request).jobs.get(str(request.path_params["job"]), paths.name)
    if job is None or job.project != paths.name:
        raise HTTPException(404, "no such job")
    return job


async def job_page(request: Request) -> Response:
    """Show a job's progress bar, its cancel button, and its problems when it failed.

    A job the app does not know (started before the app's last restart, and not the
    project's last job) is said to be so, not shown as running.
    """
    try:
        job = _job(request)
    except HTTPException as exc:
        if exc.status_code != 404:
            raise
        name = paths_of(request).name
        return page(request, "job.html", 404, name=name, job=None)
    said = progress_words(job.message, language(request))
    return page(request, "job.html", name=job.project, job=job, message=said)


async def job_status(request: Request) -> Response:
    """Return a job's state as JSON, polled by the progress page (404: unknown)."""
    try:
        status = _job(request).as_json()
    except HTTPException as exc:
        return JSONResponse({"state": "unknown"}, status_code=exc.status_code)
    status["message"] = progress_words(status["message"], language(request))
    return JSONResponse(status)


async def cancel_job(request: Request) -> Response:
    """Cancel a job: its process is ended, the stored plan stays as it was."""
    await checked_form(request)
    job = _job(request)
    state_of(request).jobs.cancel(job.id)
    return redirect(f"/p/{job.project}/jobs/{job.id}")


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f}"


def week_data(paths: ProjectPaths, week: dt.date, lang: str) -> dict[str, Any]:
    """Return what the week's pages show: the plan, its registers and the changes."""
    from ..campaign import load_plan, read_registers, week_adjustments

    plan = load_plan(paths.gpkg, week)
    regs = read_registers(paths.gpkg, active_only=False)
    adjust = week_adjustments(paths.gpkg, week)
    hh = {str(r["household_id"]): r for r in regs.households.to_dict("records")}
    load: dict[str, int] = {}
    for vid in plan.assignment.values():
        load[vid] = load.get(vid, 0) + 1
    work = plan.workload_s()
    vols = []
    for rec in regs.volunteers.to_dict("records"):
        if not rec.get("active", True):
            continue
        vid = str(rec["volunteer_id"])
        routes = [r for r in plan.routes if r.volunteer_id == vid]
        vols.append(
            {
                "id": vid,
                "name": str(rec["name"]),
                "capacity": adjust.capacity.get(vid, int(rec["capacity"])),
                "households": load.get(vid, 0),
                "visits": sum(len(r.stops) for r in routes),
                "rounds": len(routes),
                "travel": _hours(sum(r.travel_s for r in routes)),
                "work": _hours(work.get(vid, 0)),
                "away": vid in adjust.away,
                "file": safe_file_name(vid),
            }
        )
    missed = [
        {
            "id": u.household_id,
            "head": str(hh.get(u.household_id, {}).get("head_name", "")),
            "hamlet": str(hh.get(u.household_id, {}).get("village", "")),
            "volunteer": plan.assignment.get(u.household_id, ""),
            "kind": kind,
            "reason": reason_words(kind, u.reason, u.detail, lang),
        }
        for kind, items in (("unassigned", plan.unassigned), ("rollover", plan.rollover))
        for u in items
    ]
    return {
        "plan": plan,
        "hh": hh,
        "volunteers": vols,
        "missed": missed,
        "adjust": adjust,
        "pending": bool(adjust) and _pending(plan, adjust),
    }


def _pending(plan: Any, adjust: WeekAdjustments) -> bool:
    """Whether the stored plan does not yet follow the adjustments."""
    if any(plan.assignment.get(h) != v for h, v in adjust.locks.items()):
        return True
    return any(v in adjust.away for v in plan.assignment.values())


async def week_page(request: Request) -> Response:
    """Show the plan of a week: map, workload, households not visited, changes."""
    paths = paths_of(request)
    week = _week(request)
    try:
        data = week_data(paths, week, language(request))
    except InputDataError:
        raise HTTPException(404, "no plan for that week") from None
    out = paths.week_out(week)
    return page(
        request,
        "week.html",
        name=paths.name,
        week=week.isoformat(),
        has_map=(out / "map_overview.html").is_file(),
        has_pdf=(out / "route_sheets_all.pdf").is_file(),
        job=state_of(request).jobs.running(paths.name),
        **data,
    )


async def volunteer_page(request: Request) -> Response:
    """Show one volunteer's rounds, a move form per household, the QR code, downloads."""
    paths = paths_of(request)
    week = _week(request)
    vid = str(request.path_params["vid"])
    lang = language(request)
    data = week_data(paths, week, lang)
    vol = next((v for v in data["volunteers"] if v["id"] == vid), None)
    if vol is None:
        raise HTTPException(404, "no such volunteer")
    plan, hh = data["plan"], data["hh"]
    rounds = []
    for r in (r for r in plan.routes if r.volunteer_id == vid):
        stops = [
            {
                "order": s.order,
                "id": s.household_id,
                "head": str(hh.get(s.household_id, {}).get("head_name", "")),
                "hamlet": str(hh.get(s.household_id, {}).get("village", "")),
                "arrive": format_clock(s.arrival_s),
                "locked": data["adjust"].locks.get(s.household_id) == vid,
            }
            for s in r.stops
        ]
        day = day_name(r.day, lang)
        when = f"{format_clock(r.start_s)}-{format_clock(r.end_s)}"
        rounds.append({"day": day, "time": when, "stops": stops})
    later = [m for m in data["missed"] if m["volunteer"] == vid]
    return page(
        request,
        "volunteer.html",
        name=paths.name,
        week=week.isoformat(),
        vol=vol,
        rounds=rounds,
        later=later,
        others=[v for v in data["volunteers"] if v["id"] != vid and not v["away"]],
        share_url=_share_url(request, paths, week, vid),
        lan=state_of(request).config.lan,
        has_page=(paths.week_out(week) / "volunteers" / f"{vol['file']}.html").is_file(),
    )


def _change(form: Any, action: str) -> Any:
    """Return the change of the week's adjustments that the form asks for."""
    hid = str(form.get("household_id", ""))
    vid = str(form.get("volunteer_id", ""))

    def apply(a: WeekAdjustments) -> WeekAdjustments:
        locks, away, cap = dict(a.locks), set(a.away), dict(a.capacity)
        if action == "lock" and hid and vid:
            locks[hid] = vid
        elif action == "unlock":
            locks.pop(hid, None)
        elif action == "away" and vid:
            away.add(vid)
        elif action == "back":
            away.discard(vid)
        elif action == "capacity" and vid:
            try:
                cap[vid] = int(str(form.get("capacity", "")))
            except ValueError:
                value = str(form.get("capacity"))
                raise InputDataError(
                    [
                        Problem(
                            f"capacity {value!r} is not a number",
                            "e.g. 20",
                            code="app_capacity",
                            params={"value": value},
                        )
                    ]
                ) from None

        return dataclasses.replace(a, locks=locks, away=frozenset(away), capacity=cap)

    return apply


async def adjust(request: Request) -> Response:
    """Lock or unlock a household, mark a volunteer away or back, change a capacity."""
    from ..campaign import change_adjustments

    paths = paths_of(request)
    week = _week(request)
    form = await checked_form(request)
    action = str(request.path_params["action"])
    if action not in ("lock", "unlock", "away", "back", "capacity"):
        raise HTTPException(404, "no such change")
    try:
        change_adjustments(paths.gpkg, week, _change(form, action))
    except InputDataError as exc:
        data = week_data(paths, week, language(request))
        return page(
            request,
            "week.html",
            422,
            name=paths.name,
            week=week.isoformat(),
            problems=list(exc.problems),
            has_map=False,
            has_pdf=False,
            job=None,
            **data,
        )
    back = str(form.get("back", ""))
    if back.startswith(f"/p/{paths.name}/") and "//" not in back:
        return redirect(back)
    return redirect(f"/p/{paths.name}/week/{week.isoformat()}")


def _share_url(request: Request, paths: ProjectPaths, week: dt.date, vid: str) -> str:
    st = state_of(request)
    sig = st.keys.share(paths.name, week.isoformat(), vid)
    return f"{st.base_url()}/share/{paths.name}/{week.isoformat()}/{quote(vid, safe='')}/{sig}"


async def qr_svg(request: Request) -> Response:
    """Return the QR code of a volunteer's phone page (SVG)."""
    import segno

    paths = paths_of(request)
    week = _week(request)
    vid = str(request.path_params["vid"])
    buf = io.BytesIO()
    segno.make(_share_url(request, paths, week, vid), error="m").save(buf, kind="svg", scale=4)
    return Response(buf.getvalue(), media_type="image/svg+xml")


async def share(request: Request) -> Response:
    """Serve a volunteer's phone page for the signed link of the QR code (no login)."""
    st = state_of(request)
    name, week, vid = (str(request.path_params[k]) for k in ("name", "week", "vid"))
    paths = st.project(name)
    if paths is None or not st.keys.share_ok(name, week, vid, str(request.path_params["sig"])):
        raise HTTPException(404, "no such page")
    found = inside(paths.out, f"{week}/volunteers/{safe_file_name(vid)}.html")
    if found is None:
        raise HTTPException(404, "no such page")
    return FileResponse(found, media_type="text/html")


async def file(request: Request) -> Response:
    """Serve a file from the project's output folder, and from nowhere else."""
    paths = paths_of(request)
    found = inside(paths.out, str(request.path_params["path"]))
    if found is None:
        raise HTTPException(404, "no such file")
    return FileResponse(found)


async def volunteer_zip(request: Request) -> Response:
    """Return one volunteer's ZIP: route sheet, phone page and GPX, to send on Zalo."""
    paths = paths_of(request)
    week = _week(request)
    vid = str(request.path_params["vid"])
    stem = safe_file_name(vid)
    out = paths.week_out(week)
    parts = [f"sheets/{stem}.pdf", f"volunteers/{stem}.html", f"gpx/{stem}.gpx"]
    found = [(p, inside(out, p)) for p in parts]
    if not any(f for _, f in found):
        raise HTTPException(404, "no files for that volunteer")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for part, path in found:
            if path is not None:
                z.write(path, part.split("/", 1)[1])
    name = f"{stem}_{week.isoformat()}.zip"
    return Response(
        buf.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
