"""Load local HTML in headless Chromium with the network cut off (for map tests).

Uses playwright with Debian's ``/usr/bin/chromium`` (no browser download). Every
request that is not ``file://`` or ``data:`` is aborted, as on a phone without a
connection; the aborted URLs are kept so a test can check what the page tried to
fetch. Page errors (uncaught exceptions) and console errors are collected, except
the "failed to load" messages of the requests we aborted ourselves; so are the
messages of any ``alert()`` dialog (which would mean injected script ran).

    with Browser() as browser:
        with browser.open(path, viewport=(390, 844)) as view:
            assert view.errors == []
            assert view.count("path.rp-route") == 2
            view.screenshot("tests/artifacts/x.png")
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_missing_reason() -> str | None:
    """Return why the browser tests cannot run here, or ``None`` when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is absent (install Debian's chromium: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@dataclass
class View:
    """One loaded page: the playwright ``page`` and what went wrong while loading."""

    page: Any
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def count(self, selector: str) -> int:
        """Return how many elements match the CSS ``selector``."""
        return int(self.page.locator(selector).count())

    def visible(self, selector: str) -> int:
        """Return how many elements matching ``selector`` are visible."""
        return int(
            self.page.evaluate(
                "s => Array.from(document.querySelectorAll(s)).filter("
                "e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'"
                ").length",
                selector,
            )
        )

    def screenshot(self, path: str | Path, *, full_page: bool = False) -> Path:
        """Save a PNG of the viewport (or the whole page) and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


class Browser:
    """One headless Chromium for many pages; use as a context manager."""

    def __init__(self, executable: Path = CHROMIUM) -> None:
        self.executable = executable
        self._pw: Any = None
        self._browser: Any = None

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(
            executable_path=str(self.executable), headless=True, args=CHROMIUM_ARGS
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def chromium(self) -> Any:
        """The launched browser (for helpers that open contexts of their own)."""
        return self._browser

    def close(self) -> None:
        """Close the browser and stop playwright."""
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._pw is not None:
            self._pw.stop()
            self._pw = None

    @contextlib.contextmanager
    def open(
        self,
        path: str | Path,
        *,
        viewport: tuple[int, int] = (1280, 800),
        scale: float = 1.0,
        settle_ms: int = 300,
        now: dt.datetime | None = None,
        url: str | None = None,
        init_script: str | None = None,
    ) -> Iterator[View]:
        """Load ``path`` offline in a fresh context; yield a :class:`View`.

        ``now`` fixes the page's clock (``new Date()``) for pages that depend on the day.
        ``url`` loads that address instead of ``path`` (a page served on this machine:
        requests to its origin are let through, every other one is still cut off);
        ``init_script`` runs before the page's own scripts.
        """
        context = self._browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]},
            device_scale_factor=scale,
            has_touch=viewport[0] < 600,
            is_mobile=False,
            offline=False,
        )
        view = View(page=None)
        origin = "/".join(url.split("/")[:3]) + "/" if url else ""

        def route(r: Any) -> None:
            asked = r.request.url
            if asked.startswith(("file:", "data:", "blob:", "about:")) or (
                origin and asked.startswith(origin)
            ):
                r.continue_()
            else:
                view.blocked.append(asked)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        if init_script:
            page.add_init_script(init_script)
        if now is not None:
            page.clock.set_system_time(now)
        view.page = page
        page.on("pageerror", lambda exc: view.errors.append(f"page error: {exc}"))

        def dialog(d: Any) -> None:  # an alert() means injected script ran
            view.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)

        def console(msg: Any) -> None:
            if msg.type != "error":
                return
            where = (msg.location or {}).get("url", "")
            if msg.text.startswith("Failed to load resource") and where in view.blocked:
                return  # a request we aborted on purpose (tiles while offline)
            view.errors.append(f"console error: {msg.text} ({where})")

        page.on("console", console)
        try:
            page.goto(url or Path(path).resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(settle_ms)
            yield view
        finally:
            context.close()
