"""The files of route sheets: the week's PDF, cut into one PDF per volunteer.

The week is rendered once (the slow part: fonts are parsed and subset once per
document) and each volunteer's pages are then copied into their own file. After a
re-plan that changed a few volunteers' rounds only their sheets are rendered (into one
document, cut the same way) and the week's PDF is joined from every volunteer's file
(:func:`join_pages`). Every file is written atomically: a crash leaves last week's file,
never half of one.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..._io import atomic_path
from ..._labels import label
from ...errors import InputDataError, Problem
from ..text import clean_text, remove_stale, safe_file_name
from .model import Sheet, sheets_by_volunteer
from .roads import Roads, road_map
from .writer import SheetWriter

if TYPE_CHECKING:  # pragma: no cover
    from ..bundle import PlanBundle

__all__ = ["ProgressFn", "join_pages", "split_pages", "write_sheets"]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, float], None]


def split_pages(source: Path, pages: Mapping[str, Sequence[int]], folder: Path) -> list[Path]:
    """Copy each volunteer's pages of ``source`` into ``folder/<volunteer_id>.pdf``."""
    import pypdfium2 as pdfium

    written = []
    src = pdfium.PdfDocument(str(source))
    try:
        for vid, indices in pages.items():
            dst = pdfium.PdfDocument.new()
            try:
                dst.import_pages(src, pages=list(indices))
                target = folder / f"{safe_file_name(vid)}.pdf"
                with atomic_path(target) as tmp:
                    dst.save(str(tmp))
            finally:
                dst.close()
            written.append(target)
    finally:
        src.close()
    return written


def join_pages(sources: Sequence[Path], target: Path) -> Path:
    """Write the pages of every PDF of ``sources``, in order, into ``target`` (atomically)."""
    import pypdfium2 as pdfium

    dst = pdfium.PdfDocument.new()
    opened = []
    try:
        for source in sources:
            src = pdfium.PdfDocument(str(source))
            opened.append(src)
            dst.import_pages(src)
        with atomic_path(target) as tmp:
            dst.save(str(tmp))
    finally:
        dst.close()
        for src in opened:
            src.close()
    return target


@dataclass(frozen=True)
class _Job:
    """What every PDF of one call draws from: the sheets, names, roads, settings."""

    sheets: Mapping[str, list[Sheet]]
    names: Mapping[str, str]
    roads: Roads | None
    language: str
    coordinator: str
    progress: ProgressFn | None

    def report(self, message: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress(message, fraction)

    def render(self, target: Path, vids: Sequence[str], title: str) -> dict[str, list[int]]:
        """Write ``vids``' sheets into ``target``; return each volunteer's page indices."""
        writer = SheetWriter(self.language, self.coordinator, self.roads, title)
        try:
            pages: dict[str, list[int]] = {}
            for k, vid in enumerate(vids):
                self.report(f"route sheets: {vid}", 0.8 * k / len(vids))
                first = writer.page_no()
                if not self.sheets.get(vid):
                    writer.add_empty(vid, self.names.get(vid, ""))
                for sheet in self.sheets.get(vid, []):
                    writer.add_sheet(sheet)
                pages[vid] = list(range(first, writer.page_no()))
            self.report("route sheets: saving", 0.8)
            with atomic_path(target) as tmp:
                writer.output(tmp)
        finally:
            writer.close()
        return pages


def _check_volunteer(volunteer_id: str | None, names: Mapping[str, str]) -> None:
    if volunteer_id is not None and volunteer_id not in names:
        raise InputDataError(
            [
                Problem(
                    f"no volunteer {volunteer_id!r}", "use a volunteer_id from the volunteers file"
                )
            ],
            subject="route sheets",
        )


def _write_one(job: _Job, out: Path, volunteer_id: str) -> list[Path]:
    """Write one volunteer's week into ``out/sheets/<volunteer_id>.pdf``."""
    title = label("sheet_title", job.language)
    name = job.names.get(volunteer_id, "")
    target = out / "sheets" / f"{safe_file_name(volunteer_id)}.pdf"
    job.render(target, [volunteer_id], f"{title}: {name} ({volunteer_id})")
    return [target]


def _write_week(job: _Job, out: Path) -> list[Path]:
    """Write ``out/route_sheets_all.pdf``, then cut it into ``out/sheets/<id>.pdf``."""
    target = out / "route_sheets_all.pdf"
    pages = job.render(target, sorted(job.sheets), label("sheet_title", job.language))
    job.report("route sheets: one file per volunteer", 0.9)
    return [target, *split_pages(target, pages, out / "sheets")]


def _write_some(job: _Job, out: Path, volunteers: Collection[str]) -> list[Path]:
    """Write the sheets of ``volunteers``, then join the week's PDF from every volunteer's.

    A volunteer's file missing from ``out/sheets`` is written too, so the week's PDF
    never misses anyone; one of ``volunteers`` without rounds loses an earlier file.
    """
    folder = out / "sheets"
    remove_stale(folder, set(volunteers) - set(job.sheets), ".pdf")
    files = {vid: folder / f"{safe_file_name(vid)}.pdf" for vid in sorted(job.sheets)}
    redo = [vid for vid, path in files.items() if vid in volunteers or not path.is_file()]
    written: list[Path] = []
    if redo:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out, prefix=".sheets-") as tmp:
            part = Path(tmp) / "part.pdf"
            pages = job.render(part, redo, label("sheet_title", job.language))
            job.report("route sheets: one file per volunteer", 0.85)
            written = split_pages(part, pages, folder)
    job.report("route sheets: the week's PDF", 0.9)
    return [join_pages(list(files.values()), out / "route_sheets_all.pdf"), *written]


def write_sheets(
    bundle: PlanBundle,
    out_dir: str | Path,
    *,
    network: Any = None,
    volunteer_id: str | None = None,
    volunteers: Collection[str] | None = None,
    progress: ProgressFn | None = None,
) -> list[Path]:
    """Write printable A4 route sheets: one per volunteer per round day.

    Parameters
    ----------
    bundle
        The checked plan and registers (:func:`routeplan.render.bundle`). Each round
        is drawn along its matrix's paths (the roads travelled), or as straight lines
        when its mode has no matrix. ``settings.output.language`` chooses Vietnamese
        (default) or English labels; ``settings.output.coordinator`` is printed on
        every sheet when set.
    out_dir
        Output folder, created when missing.
    network
        The :class:`routeplan.network.Network` (or anything with an osmnx-form
        ``graph``), to draw the roads and paths around each round. Without it the
        map shows only the round.
    volunteer_id
        Write only this volunteer's file ``sheets/<volunteer_id>.pdf``.
    volunteers
        After a re-plan: write the files of these volunteers only (and of any volunteer
        whose file is missing), then ``route_sheets_all.pdf`` joined from every
        volunteer's file (the same pages as a full write; each volunteer's fonts are
        embedded apart, so the file is larger). One of ``volunteers`` without rounds
        loses the file an earlier plan left.
    progress
        Optional ``progress(message, fraction)`` callback.

    Returns
    -------
    list of pathlib.Path
        ``route_sheets_all.pdf`` (every volunteer's week, in volunteer order) and
        ``sheets/<volunteer_id>.pdf`` for each volunteer with a round (of
        ``volunteers``); with ``volunteer_id``, only that volunteer's file.

    Raises
    ------
    InputDataError
        If ``volunteer_id`` is unknown.

    """
    out = Path(out_dir)
    sheets = sheets_by_volunteer(bundle)
    names = {vid: clean_text(r.get("name")) for vid, r in bundle.volunteers.items()}
    _check_volunteer(volunteer_id, names)
    job = _Job(
        sheets=sheets,
        names=names,
        roads=road_map(network),
        language=bundle.language,
        coordinator=clean_text(bundle.settings.output.coordinator),
        progress=progress,
    )
    if volunteer_id is not None:
        written = _write_one(job, out, volunteer_id)
    elif not sheets:
        log.warning("the plan has no rounds: no route sheets written")
        written = []
    elif volunteers is not None:
        written = _write_some(job, out, volunteers)
    else:
        written = _write_week(job, out)
    job.report("route sheets: done", 1.0)
    log.info("wrote %d route-sheet files to %s", len(written), out)
    return written
