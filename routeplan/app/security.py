"""Sessions, the access token, CSRF tokens, upload limits and safe paths of the app.

* Every browser gets a random session id in an ``HttpOnly``, ``SameSite=Strict``
  cookie. Served beyond this computer (``--lan``) the app asks for the access token
  printed at start (or the ``--password``) once per session.
* Every form carries a CSRF token, the HMAC of the session id; a POST without the
  right one is refused (403).
* Uploads have a size limit and a list of allowed file endings.
* Files are served only from inside the project's output folder: a path that leaves it
  (``..``, absolute paths, links) is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

__all__ = [
    "MAP_TYPES",
    "REGISTER_TYPES",
    "Keys",
    "inside",
    "safe_name",
    "stored_name",
    "stored_secret",
]

REGISTER_TYPES = (".csv", ".xlsx", ".geojson", ".json", ".gpkg")
MAP_TYPES = (".osm", ".osm.pbf", ".pbf", ".osm.bz2", ".graphml")
OUTCOME_TYPES = (".csv", ".xlsx")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def safe_name(name: str) -> str | None:
    """Return ``name`` if it is a usable project name (letters, digits, ``-``, ``_``)."""
    return name if _NAME.match(name) else None


def inside(folder: Path, relative: str) -> Path | None:
    """Return ``folder / relative`` if it is a file inside ``folder``, else ``None``."""
    root = folder.resolve()
    try:
        path = (root / relative).resolve()
    except (OSError, ValueError):
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def ending(filename: str, allowed: tuple[str, ...]) -> str | None:
    """Return the allowed ending of ``filename`` (longest first), or ``None``."""
    low = filename.lower()
    for end in sorted(allowed, key=len, reverse=True):
        if low.endswith(end):
            return end
    return None


def stored_name(filename: str, end: str) -> str:
    """Return a safe name to keep an upload under, with its accepted ``end`` kept.

    The readers go by the ending (``.xlsx`` is read as a workbook, ``.csv`` as text):
    only the part before it is made safe.
    """
    from ..render.text import safe_file_name

    return safe_file_name(filename[: len(filename) - len(end)] or "upload") + end


class Keys:
    """The server's secret: session ids, CSRF tokens, phone-page signatures, the token."""

    def __init__(self, token: str | None, secret: bytes | None = None) -> None:
        self.secret = secret or secrets.token_bytes(32)
        self.token = token
        self.logged_in: set[str] = set()

    @staticmethod
    def new_session() -> str:
        """Return a new random session id."""
        return secrets.token_urlsafe(24)

    def _mac(self, *parts: str) -> str:
        msg = "\x1f".join(parts).encode()
        return hmac.new(self.secret, msg, hashlib.sha256).hexdigest()[:32]

    def csrf(self, session: str) -> str:
        """Return the CSRF token of ``session``."""
        return self._mac("csrf", session)

    def csrf_ok(self, session: str, token: str) -> bool:
        """Whether ``token`` is the CSRF token of ``session``."""
        return bool(session) and hmac.compare_digest(self.csrf(session), token)

    def share(self, project: str, week: str, volunteer: str) -> str:
        """Return the signature of one volunteer's phone-page link (for the QR code)."""
        return self._mac("share", project, week, volunteer)

    def share_ok(self, project: str, week: str, volunteer: str, sig: str) -> bool:
        """Whether ``sig`` signs this volunteer's phone-page link."""
        return hmac.compare_digest(self.share(project, week, volunteer), sig)

    def needs_login(self, session: str) -> bool:
        """Whether this session still has to give the access token."""
        return self.token is not None and session not in self.logged_in

    def log_in(self, session: str, token: str) -> bool:
        """Log ``session`` in if ``token`` is right; return whether it was."""
        if self.token is not None and hmac.compare_digest(self.token, token):
            self.logged_in.add(session)
            return True
        return False


def stored_secret(folder: Path) -> bytes:
    """Return the app's secret kept in ``folder`` (made on first use, readable by the owner).

    The phone-page links of the QR codes are signed with it, so they keep working when
    the app is started again.
    """
    path = folder / ".routeplan-app-secret"
    if path.is_file() and len(data := path.read_bytes()) >= 32:
        return data
    data = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return data
