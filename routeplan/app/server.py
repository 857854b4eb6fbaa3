"""The app's routes, :func:`create_app` and :func:`serve` (``routeplan serve``)."""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import closing, projects, weeks
from .state import AppConfig, AppState
from .web import HERE, Guard, templates

__all__ = ["create_app", "demo_folder", "serve"]

log = logging.getLogger(__name__)

P = "/p/{name}"
W = P + "/week/{week}"


def _routes() -> list[Route | Mount]:
    return [
        Route("/", projects.index),
        Route("/create", projects.create, methods=["POST"]),
        Route("/login", projects.login, methods=["GET", "POST"]),
        Route("/lang/{lang}", projects.set_language),
        Route(P, projects.project_page),
        Route(P + "/upload/{role}", projects.upload, methods=["POST"]),
        Route(P + "/plan", weeks.start_plan, methods=["POST"]),
        Route(P + "/jobs/{job}", weeks.job_page),
        Route(P + "/jobs/{job}/status", weeks.job_status),
        Route(P + "/jobs/{job}/cancel", weeks.cancel_job, methods=["POST"]),
        Route(W, weeks.week_page),
        Route(W + "/v/{vid}", weeks.volunteer_page),
        Route(W + "/v/{vid}/zip", weeks.volunteer_zip),
        Route(W + "/v/{vid}/qr.svg", weeks.qr_svg),
        Route(W + "/{action}", weeks.adjust, methods=["POST"]),
        Route(P + "/files/{path:path}", weeks.file),
        Route(P + "/outcomes", closing.outcomes_page, methods=["GET", "POST"]),
        Route(P + "/coverage", closing.coverage_page),
        Route(P + "/coverage/run", closing.start_coverage, methods=["POST"]),
        Route("/share/{name}/{week}/{vid}/{sig}", weeks.share),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]


def create_app(config: AppConfig) -> Starlette:
    """Return the app (an ASGI application) serving the projects in ``config.folder``."""
    state = AppState(config)
    config.folder.mkdir(parents=True, exist_ok=True)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        state.jobs.stop_all()

    app = Starlette(routes=_routes(), middleware=[Middleware(Guard)], lifespan=lifespan)
    app.state.app = state
    app.state.templates = templates()
    return app


def demo_folder(folder: Path, *, settings: object = None) -> Path:
    """Make project ``demo`` in ``folder`` from a fresh copy of the demo commune."""
    from ..campaign import RoadFiles
    from ..config import Settings
    from ..demo import demo_files
    from ..pipeline import update_project

    files = demo_files()
    uploads = folder / "demo-files" / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    copies = {}
    for role, path in files.items():
        copies[role] = uploads / f"{role}{''.join(path.suffixes)}"
        shutil.copyfile(path, copies[role])
    update_project(
        folder / "demo.gpkg",
        households=copies["households"],
        volunteers=copies["volunteers"],
        service_points=copies["service_points"],
        roads=RoadFiles(network=copies["network"]),
        settings=settings if isinstance(settings, Settings) else Settings(),
    )
    return folder / "demo.gpkg"


def serve(config: AppConfig) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="warning")
