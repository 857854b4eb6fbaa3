"""Run the coordinator's app on 127.0.0.1 (a free port) and drive it in headless Chromium.

``AppServer`` runs uvicorn in a thread of the test process; ``Session`` is one browser
context (one coordinator: its own cookies) that may load pages only from the server:
any other request is aborted and kept in ``blocked`` (the app uses no CDN); page
errors, console errors and ``alert()`` dialogs are collected.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from browser import CHROMIUM, CHROMIUM_ARGS

from routeplan.app import AppConfig, create_app
from routeplan.config import PlannerSettings, Settings

# small solver counts so that a plan of the whole demo commune takes seconds
FAST = Settings(
    planner=PlannerSettings(time_limit_s=30, route_solutions=10, improve_moves=2, workers=2)
)
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "app"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class AppServer:
    """uvicorn serving ``create_app(config)`` in a thread until closed."""

    def __init__(self, config: AppConfig) -> None:
        import uvicorn

        self.config = config
        self.app = create_app(config)
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=config.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{config.port}"

    def __enter__(self) -> AppServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:  # pragma: no cover
                raise RuntimeError("the app did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.app.state.app.jobs.stop_all()
        self.server.should_exit = True
        self.thread.join(timeout=10)


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    """GET (or POST ``data``) without a browser; return (status, headers, body)."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@dataclass
class Session:
    """One coordinator's browser context on the app."""

    context: Any
    page: Any
    base: str
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def go(self, path: str) -> Any:
        return self.page.goto(self.base + path, wait_until="load")

    def shot(self, name: str, *, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def wait_job(
        self, timeout_s: float = 300, shot: str | None = None, messages: list[str] | None = None
    ) -> list[float]:
        """On a job's page: return the bar values seen until the page leaves it.

        With ``shot``, a screenshot is taken once the bar is past a quarter; the
        progress messages shown are appended to ``messages`` when given.
        """
        seen: list[float] = []
        deadline = time.monotonic() + timeout_s
        while "/jobs/" in self.page.url and time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                seen.append(float(self.page.locator("#bar").evaluate("e => e.value")))
                if messages is not None:
                    messages.append(self.page.locator("#message").inner_text(timeout=100))
                if shot and 0.25 < seen[-1] < 0.95:
                    self.shot(shot)
                    shot = None
                state = self.page.locator("#job").get_attribute("data-state")
                if state in ("failed", "cancelled"):
                    break
            self.page.wait_for_timeout(150)
        return seen


class Browser:
    """Headless Chromium; ``session()`` opens one coordinator's context.

    Given ``chromium`` (a browser already launched, such as the session-wide one of
    ``tests/conftest.py``), it opens its contexts there and leaves that browser
    running; otherwise it starts playwright and a browser of its own. Only one
    playwright may run in a thread: a second ``sync_playwright()`` while the first is
    alive fails ("using Playwright Sync API inside the asyncio loop").
    """

    def __init__(self, chromium: Any = None) -> None:
        self._browser: Any = chromium
        self._pw: Any = None

    def __enter__(self) -> Browser:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pw is not None:  # only what this object started
            self._browser.close()
            self._pw.stop()
            self._pw = None

    def session(self, base: str, viewport: tuple[int, int] = (1366, 768)) -> Session:
        context = self._browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True
        )
        page = context.new_page()
        s = Session(context, page, base)

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith((base, "data:", "blob:", "about:")):
                r.continue_()
            else:
                s.blocked.append(url)
                r.abort()

        context.route("**/*", route)
        page.on("pageerror", lambda exc: s.errors.append(f"page error: {exc}"))
        page.on("console", lambda m: s.errors.append(m.text) if m.type == "error" else None)

        def dialog(d: Any) -> None:
            s.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        return s
