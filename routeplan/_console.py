"""The command line's terminal: progress bars, log lines, and readers that go away.

Used by :mod:`routeplan.cli` only (the library never prints):

- :class:`Progress` turns the library's ``progress(message, fraction)`` callbacks into a
  tqdm bar per stage in a terminal, and into one line per stage when stderr is a file
  or a pipe (a stage is the message up to its first ``": "``: ``"exports: GPX"`` is
  the stage ``exports``).
- :class:`ConsoleHandler` writes log records above the bar, never glued onto it.
- :class:`ReaderSafe` wraps stdout / stderr so that ``routeplan progress p.gpkg |
  head -1`` finishes its work quietly when ``head`` stops reading.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from typing import IO, Any

__all__ = ["ConsoleHandler", "Progress", "ReaderSafe"]


class ReaderSafe:
    """A text stream that drops its output, quietly, once its reader has gone.

    Writing to a pipe whose reader has exited (``| head -1``) raises
    :class:`BrokenPipeError`; this stream swallows it and points the file descriptor
    at the null device, so that the command still finishes its work (a network still
    gets saved) and Python's final flush does not fail either.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        """Write ``text``, or drop it when the reader has gone."""
        if not self.reader_gone:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self) -> None:
        """Flush, or drop the output when the reader has gone."""
        if not self.reader_gone:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._gone()

    def _gone(self) -> None:
        self.reader_gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self.stream.fileno())
            finally:
                os.close(devnull)
        except (AttributeError, OSError, ValueError):  # not a real file (a test capture)
            pass

    def isatty(self) -> bool:
        """Whether the stream is a terminal (never, once its reader has gone)."""
        return not self.reader_gone and bool(self.stream.isatty())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def stage_of(message: str) -> str:
    """Return the stage a progress message belongs to: the text up to its first ``": "``."""
    return message.split(": ", 1)[0]


class Progress:
    """Show the library's progress callbacks on ``stream`` (stderr by default).

    In a terminal each stage gets a tqdm bar that fills with the fraction reported;
    otherwise each stage is one line ``[  12.3s] exports: tables``. Disabled (``-q``),
    nothing is shown. The progress being shown is :attr:`active`, so that
    :class:`ConsoleHandler` writes log records above its bar.
    """

    active: Progress | None = None

    def __init__(self, enabled: bool = True, stream: IO[str] | None = None) -> None:
        import sys

        self.stream: IO[str] = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.terminal = enabled and bool(self.stream.isatty())
        self._stage: str | None = None
        self._bar: Any = None
        self._t0 = time.monotonic()

    def __call__(self, message: str, fraction: float | None = None) -> None:
        if not self.enabled:
            return
        stage = stage_of(message)
        Progress.active = self
        if self.terminal:
            self._show_bar(stage, message, fraction)
        elif stage != self._stage:
            self.stream.write(f"[{time.monotonic() - self._t0:6.1f}s] {message}\n")
            self.stream.flush()
        self._stage = stage

    def _show_bar(self, stage: str, message: str, fraction: float | None) -> None:
        from tqdm import tqdm

        if stage != self._stage or self._bar is None:
            self._close_bar()
            size = shutil.get_terminal_size()  # 80 x 24 where the terminal says 0 x 0
            self._bar = tqdm(
                total=100,
                desc=stage,
                file=self.stream,
                leave=True,
                ncols=min(size.columns, 100),
                nrows=max(size.lines, 2),  # tqdm hides bars below the last row
                ascii=not str(getattr(self.stream, "encoding", "") or "").lower().startswith("utf"),
                bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}",
            )
        self._bar.set_description_str(message, refresh=False)
        if fraction is not None:
            self._bar.n = max(0, min(100, round(100 * fraction)))
        self._bar.refresh()

    def _close_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def write(self, text: str) -> None:
        """Write a line of text (a log record) above the bar, not onto it."""
        if self._bar is not None:
            from tqdm import tqdm

            tqdm.write(text, file=self.stream)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def done(self) -> None:
        """End the bar of the last stage."""
        self._close_bar()
        self._stage = None
        if Progress.active is self:
            Progress.active = None


class ConsoleHandler(logging.Handler):
    """Write log records to the terminal through the active :class:`Progress`, if any."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record on its own line (above the progress bar in a terminal)."""
        try:
            text = self.format(record)
            progress = Progress.active
            if progress is not None and progress.stream is self.stream:
                progress.write(text)
            else:
                self.stream.write(text + "\n")
                self.stream.flush()
        except Exception:  # logging must never stop the command
            self.handleError(record)
