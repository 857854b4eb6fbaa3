"""What the app knows: where the projects are, the settings, the keys and the jobs.

A project ``NAME`` in the app's folder is the project file ``NAME.gpkg`` and the folder
``NAME-files/`` beside it: ``uploads/`` (the registers and the map as uploaded),
``out/`` (everything the app hands out: each week's plan files under ``out/WEEK/``, the
coverage report under ``out/coverage/``, the progress report under ``out/progress/``;
the only folder files are downloaded from) and ``cache/`` (travel matrices).
"""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import Problem
from .jobs import Jobs
from .security import Keys, safe_name, stored_secret

__all__ = ["AppConfig", "AppState", "ProjectPaths"]

REGISTER_ROLES = ("households", "volunteers", "service_points")


@dataclass(frozen=True)
class AppConfig:
    """How ``routeplan serve`` runs.

    Attributes
    ----------
    folder
        The folder of the projects.
    settings
        Settings for planning (solver counts, language of maps and sheets).
    host, port
        Where the server listens (``127.0.0.1`` unless ``--lan``).
    lan
        Served on the office network: the access token is asked for, and QR codes
        point at this computer's address on the network.
    token
        The access token (or password); ``None`` on this computer only.
    max_upload_mb
        Largest upload accepted (the map file may be big).

    """

    folder: Path
    settings: Settings = field(default_factory=Settings)
    host: str = "127.0.0.1"
    port: int = 8765
    lan: bool = False
    token: str | None = None
    max_upload_mb: float = 200.0


@dataclass(frozen=True)
class ProjectPaths:
    """Where a project's files are."""

    name: str
    gpkg: Path
    files: Path

    @property
    def uploads(self) -> Path:
        """The registers, map and outcome files as uploaded."""
        return self.files / "uploads"

    @property
    def out(self) -> Path:
        """The output folder: the only folder files are served from."""
        return self.files / "out"

    @property
    def cache(self) -> Path:
        """The travel-matrix cache."""
        return self.files / "cache"

    def week_out(self, week: dt.date) -> Path:
        """Return the output folder of one week's plan."""
        return self.out / week.isoformat()

    def upload_of(self, role: str) -> Path | None:
        """Return the last uploaded file of ``role`` (``households``, ``network``, ...)."""
        found = sorted(self.uploads.glob(f"{role}.*")) if self.uploads.is_dir() else []
        return found[0] if found else None


class AppState:
    """The running app's configuration, keys and jobs."""

    def __init__(self, config: AppConfig) -> None:
        self.config = config
        config.folder.mkdir(parents=True, exist_ok=True)
        self.keys = Keys(config.token, stored_secret(config.folder))
        self.jobs = Jobs(config.folder)
        # what to show once on a session's next page of a project (after a redirect):
        # (session, project) -> (what was done, its warnings)
        self.notes: dict[tuple[str, str], tuple[Any, list[Problem]]] = {}

    def project(self, name: str) -> ProjectPaths | None:
        """Return the paths of project ``name`` if the name is safe (it may not exist)."""
        if safe_name(name) is None:
            return None
        folder = self.config.folder
        return ProjectPaths(name, folder / f"{name}.gpkg", folder / f"{name}-files")

    def projects(self) -> list[str]:
        """Return the names of the projects in the folder."""
        return sorted(
            p.stem for p in self.config.folder.glob("*.gpkg") if safe_name(p.stem) is not None
        )

    def base_url(self) -> str:
        """Return the address phones use (this computer's address on the network)."""
        host = self.config.host
        if self.config.lan and host in ("0.0.0.0", "", "::"):
            host = _lan_address()
        return f"http://{host}:{self.config.port}"


def _lan_address() -> str:
    """Return the address of this computer on the office network (sends no packet)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"
