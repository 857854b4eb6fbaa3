"""The web plumbing of the app: templates, sessions, CSRF, limits, the page helper.

Every page is rendered by :func:`page` (Jinja2 with autoescape: every register value
is shown as text) with a ``Content-Security-Policy`` that lets only the app's own
script run; every POST handler reads its form through :func:`checked_form`, which
refuses a missing or wrong CSRF token (403).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from ..errors import Problem
from .labels import LANGUAGES, text
from .problem_words import Shown, shown
from .security import ending
from .state import AppState

__all__ = [
    "Guard",
    "checked_form",
    "language",
    "page",
    "read_upload",
    "redirect",
    "session",
    "templates",
]

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "rp_session"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'"
)
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def templates() -> Environment:
    """Return the Jinja2 environment of the app's templates (autoescape on)."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def state_of(request: Request) -> AppState:
    """Return the app's state."""
    state: AppState = request.app.state.app
    return state


def language(request: Request) -> str:
    """Return the page language: the ``lang`` cookie, Vietnamese by default."""
    lang = request.cookies.get("lang", "vi")
    return lang if lang in LANGUAGES else "vi"


def session(request: Request) -> str:
    """Return the request's session id."""
    return str(getattr(request.state, "session", ""))


def page(request: Request, template: str, status: int = 200, /, **context: Any) -> HTMLResponse:
    """Render ``template`` with the common context (words, CSRF token, language)."""
    st = state_of(request)
    lang = language(request)
    env: Environment = request.app.state.templates

    def t(key: str, **fields: object) -> str:
        return text(key, lang, **fields)

    def say(problem: Problem) -> Shown:
        return shown(problem, lang)

    html = env.get_template(template).render(
        t=t,
        say=say,
        lang=lang,
        other_lang="en" if lang == "vi" else "vi",
        csrf=st.keys.csrf(session(request)),
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP})


def redirect(url: str) -> RedirectResponse:
    """Redirect after a POST (303: the browser then GETs ``url``)."""
    return RedirectResponse(url, status_code=303)


async def checked_form(request: Request) -> FormData:
    """Read the POSTed form; refuse it (403) without the session's CSRF token."""
    st = state_of(request)
    limit = int(st.config.max_upload_mb * 1024 * 1024)
    form = await request.form(max_files=10, max_fields=50, max_part_size=limit)
    token = form.get("csrf")
    if not isinstance(token, str) or not st.keys.csrf_ok(session(request), token):
        raise HTTPException(403, "missing or wrong form token: reload the page and try again")
    return form


async def read_upload(
    form: FormData, field: str, allowed: tuple[str, ...], limit_mb: float
) -> tuple[str, str, bytes] | Problem | None:
    """Return ``(file name, ending, content)`` of an uploaded file, or its problem.

    ``None`` when no file was chosen.
    """
    item = form.get(field)
    if not isinstance(item, UploadFile) or not item.filename:
        return None
    end = ending(item.filename, allowed)
    if end is None:
        await item.close()
        return Problem(
            f"{item.filename}: not an accepted file type ({', '.join(allowed)})",
            "choose another file",
            file=field,
            code="app_file_type",
            params={"name": item.filename, "allowed": ", ".join(allowed)},
        )
    data = await item.read(int(limit_mb * 1024 * 1024) + 1)
    await item.close()
    if len(data) > limit_mb * 1024 * 1024:
        return Problem(
            f"{item.filename}: larger than {limit_mb:g} MB",
            "choose another file",
            file=field,
            code="app_file_size",
            params={"name": item.filename, "mb": f"{limit_mb:g}"},
        )
    return item.filename, end, data


class Guard(BaseHTTPMiddleware):
    """Host check, request size limit, session cookie, login, security headers."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        """Check the request, then pass it on."""
        st = state_of(request)
        host = (request.headers.get("host") or "").rsplit(":", 1)[0]
        if not st.config.lan and host not in _LOCAL_HOSTS:
            return PlainTextResponse("unknown host", status_code=400)
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > st.config.max_upload_mb * 1024 * 1024 + 65536:
            return PlainTextResponse("upload too large", status_code=413)
        sid = request.cookies.get(SESSION_COOKIE) or ""
        new = not sid
        if new:
            sid = st.keys.new_session()
        request.state.session = sid
        path = request.url.path
        open_paths = ("/login", "/static/", "/share/")
        if st.keys.needs_login(sid) and not path.startswith(open_paths):
            response: Response = RedirectResponse("/login", status_code=303)
        else:
            response = await call_next(request)
        if new:
            response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response
