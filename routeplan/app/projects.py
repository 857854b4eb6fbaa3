"""Pages: the projects, creating one, a project's registers and uploads, logging in.

Uploads go through :func:`routeplan.pipeline.update_project`; every problem it finds
(file, row, column, fix) is shown in a table and the coordinator uploads the corrected
file again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .._io import write_bytes
from ..errors import InputDataError, Problem
from .labels import text
from .security import MAP_TYPES, REGISTER_TYPES, safe_name, stored_name
from .state import REGISTER_ROLES, ProjectPaths
from .web import checked_form, language, page, read_upload, redirect, session, state_of

__all__ = [
    "create",
    "index",
    "login",
    "project_context",
    "project_page",
    "set_language",
    "upload",
]

ROLES = (*REGISTER_ROLES, "network")
_LIMIT_MB = {"households": 20, "volunteers": 20, "service_points": 20, "network": 200}


def paths_of(request: Request) -> ProjectPaths:
    """Return the project of the URL; 404 if the name is unsafe or it does not exist."""
    paths = state_of(request).project(str(request.path_params["name"]))
    if paths is None or not paths.gpkg.is_file():
        raise HTTPException(404, "no such project")
    return paths


async def index(request: Request) -> Response:
    """Show the projects in the folder, and the form to create one."""
    return page(request, "index.html", projects=state_of(request).projects())


def _store(paths: ProjectPaths, role: str, end: str, data: bytes) -> Path:
    """Keep an uploaded file as ``uploads/<role><ending>`` (replacing the earlier one)."""
    paths.uploads.mkdir(parents=True, exist_ok=True)
    for old in paths.uploads.glob(f"{role}.*"):
        if old.suffixes != Path(f"x{end}").suffixes:
            old.unlink()
    return write_bytes(paths.uploads / f"{role}{end}", data)


def _update(paths: ProjectPaths, request: Request, files: dict[str, Path]) -> Any:
    """Put the uploaded registers and map into the project; raise InputDataError."""
    from ..campaign import RoadFiles
    from ..pipeline import update_project

    network = files.get("network") or paths.upload_of("network")
    return update_project(
        paths.gpkg,
        households=files.get("households"),
        volunteers=files.get("volunteers"),
        service_points=files.get("service_points"),
        roads=RoadFiles(network=network),
        settings=state_of(request).config.settings,
    )


async def _uploads(
    request: Request, roles: tuple[str, ...]
) -> tuple[dict[str, Any], list[Problem]]:
    form = await checked_form(request)
    got: dict[str, Any] = {}
    problems: list[Problem] = []
    for role in roles:
        allowed = MAP_TYPES if role == "network" else REGISTER_TYPES
        item = await read_upload(form, role, allowed, _LIMIT_MB[role])
        if isinstance(item, Problem):
            problems.append(item)
        elif item is not None:
            got[role] = item
    await form.close()
    got["_form"] = form
    return got, problems


async def create(request: Request) -> Response:
    """Create a project from its registers and map (as ``routeplan init`` does)."""
    got, problems = await _uploads(request, ROLES)
    name = str(got.pop("_form").get("name", "")).strip()
    st = state_of(request)
    if safe_name(name) is None:
        bad = Problem(
            f"{name!r} is not a usable project name",
            "use letters, digits, - or _",
            code="app_name",
            params={"name": name},
        )
        problems.insert(0, bad)
    paths = st.project(name) if not problems else None
    if paths is not None and paths.gpkg.exists():
        problems.append(
            Problem(
                f"project {name} exists already",
                "open it, or choose a name",
                code="app_project_exists",
                params={"name": name},
            )
        )
    missing = [r for r in REGISTER_ROLES if r not in got]
    if missing and not problems:
        problems += [
            Problem(
                f"no {r.replace('_', ' ')} file",
                "choose the file",
                code="app_register_missing",
                params={"kind": r},
            )
            for r in missing
        ]
    if problems or paths is None:
        return page(request, "index.html", 422, projects=st.projects(), problems=problems)
    files = {role: _store(paths, role, end, data) for role, (_, end, data) in got.items()}
    # name the files as the coordinator knows them
    names = {files[role].name: item[0] for role, item in got.items()}
    names.update({str(files[role]): item[0] for role, item in got.items()})

    def known(found: tuple[Problem, ...]) -> list[Problem]:
        return [dataclasses.replace(p, file=names.get(p.file or "", p.file)) for p in found]

    try:
        result = _update(paths, request, files)
    except InputDataError as exc:
        paths.gpkg.unlink(missing_ok=True)
        shutil.rmtree(paths.files, ignore_errors=True)  # nothing half-made is left
        return page(
            request,
            "index.html",
            422,
            projects=st.projects(),
            problems=known(exc.problems),
            name_=name,
        )
    # as `routeplan init` does, warnings do not stop the project: they are shown on its page
    st.notes[(session(request), name)] = (result, known(result.warnings))
    return redirect(f"/p/{name}")


def project_context(request: Request, paths: ProjectPaths) -> dict[str, Any]:
    """Return what the project page shows: register counts, weeks, the plan form's Monday."""
    from ..campaign import read_registers, weeks

    regs = read_registers(paths.gpkg)
    counts = {
        "households": len(regs.households),
        "volunteers": len(regs.volunteers),
        "service_points": len(regs.service_points),
    }
    today = dt.date.today()
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7)
    return {
        "name": paths.name,
        "counts": counts,
        "weeks": [w.isoformat() for w in weeks(paths.gpkg)],
        "monday": monday.isoformat(),
        "network": paths.upload_of("network"),
        "job": state_of(request).jobs.running(paths.name),
    }


def update_lines(result: Any, lang: str) -> list[str]:
    """Say what an update of the registers changed, one line per register."""
    lines = [text("created" if result.created else "updated", lang)]
    for reg, unchanged in result.unchanged.items():
        parts = [text("n_added", lang, n=len(result.added.get(reg, ())))]
        for key, ids in (
            ("n_updated", result.updated),
            ("n_inactive", result.inactive),
            ("n_back", result.reactivated),
        ):
            if ids.get(reg):
                parts.append(text(key, lang, n=len(ids[reg])))
        parts.append(text("n_unchanged", lang, n=unchanged))
        lines.append(f"{text(reg, lang)}: {', '.join(parts)}")
    return lines


async def project_page(request: Request) -> Response:
    """Show a project: its registers, uploads, the weeks planned and the plan form.

    Just after the project was created, also what was read and the warnings.
    """
    paths = paths_of(request)
    note = state_of(request).notes.pop((session(request), paths.name), None)
    shown: dict[str, Any] = {}
    if note is not None:
        shown = {"summary": update_lines(note[0], language(request)), "problems": note[1]}
    return page(request, "project.html", **shown, **project_context(request, paths))


async def upload(request: Request) -> Response:
    """Upload one register or the map again; show every problem, or the update."""
    paths = paths_of(request)
    role = str(request.path_params["role"])
    if role not in ROLES:
        raise HTTPException(404, "no such register")
    got, problems = await _uploads(request, (role,))
    got.pop("_form")
    if not got and not problems:
        problems.append(Problem("no file chosen", "choose the file", file=role, code="app_no_file"))
    summary: list[str] = []
    if not problems:
        filename, end, data = got[role]
        # check the new file (under the user's name, for the messages) before keeping it
        trial = paths.uploads / "incoming" / stored_name(filename, end)
        trial.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(trial, data)
        stored = {str(trial), trial.name}

        def known(found: tuple[Problem, ...]) -> list[Problem]:
            return [dataclasses.replace(p, file=filename) if p.file in stored else p for p in found]

        try:
            result = _update(paths, request, {role: trial})
        except InputDataError as exc:  # name the file as the coordinator knows it
            problems = known(exc.problems)
        else:
            summary = update_lines(result, language(request))
            problems = known(result.warnings)  # the update went ahead: warnings only
            _store(paths, role, end, data)
        finally:
            trial.unlink(missing_ok=True)
    ctx = project_context(request, paths)
    errors = any(p.severity == "error" for p in problems)
    return page(
        request,
        "project.html",
        422 if errors else 200,
        problems=problems,
        problem_role=role,
        summary=summary,
        **ctx,
    )


async def login(request: Request) -> Response:
    """Ask for the access token (served on the office network only)."""
    st = state_of(request)
    sid = str(request.state.session)
    wrong = False
    if request.method == "POST":
        form = await checked_form(request)
        token = str(form.get("token", ""))
        if st.keys.log_in(sid, token):
            return redirect("/")
        wrong = True
    elif "token" in request.query_params:  # the link printed at start
        if st.keys.log_in(sid, request.query_params["token"]):
            return redirect("/")
        wrong = True
    return page(request, "login.html", 403 if wrong else 200, wrong=wrong)


async def set_language(request: Request) -> Response:
    """Switch the language of the pages (Vietnamese / English) and go back."""
    lang = request.path_params["lang"]
    back = request.query_params.get("next", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    response = RedirectResponse(back, status_code=303)
    if lang in ("vi", "en"):
        response.set_cookie("lang", lang, samesite="strict")
    return response
