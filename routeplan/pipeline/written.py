"""What an output folder holds: the digests of the plan its volunteers' files show.

:func:`~routeplan.pipeline.write_outputs` keeps, beside the files, ``.routeplan-outputs.json``:
for each volunteer, the digest of what their phone page, route sheet and GPX file were
made from (:func:`routeplan.render.digest.volunteer_digests`), and which of those files
routeplan wrote (``files``). After a re-plan the new plan's digests are compared with
it to name the volunteers whose files must be written again. The digests are dropped
before any file is written and written again last, so a write that stopped half-way
(cancelled, disk full) leaves none, and the next write writes everything. The files
are kept throughout: a later full write deletes those of volunteers no longer in the
plan (:func:`remove_stale`), and never a file routeplan did not write.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from .._io import write_text

log = logging.getLogger(__name__)

RECORD = ".routeplan-outputs.json"
"""The file in an output folder naming the digest of each volunteer's files."""

FORMAT = 1


OWN_FILES = (("volunteers", ".html"), ("gpx", ".gpx"), ("sheets", ".pdf"))
"""A volunteer's own files: ``<folder>/<safe_file_name(volunteer_id)><suffix>``."""

Files = dict[str, list[str]]
"""Each volunteer's own files routeplan wrote, as paths relative to the folder."""


def _read(out: Path) -> dict[str, object]:
    try:
        data = json.loads((out / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == FORMAT else {}


def forget(out: Path) -> Files:
    """Drop the digests before the folder's files change; return the files recorded.

    The files stay in the record (see the module docstring).
    """
    files = recorded_files(out)
    if files:
        record(out, None, files)
    else:
        (out / RECORD).unlink(missing_ok=True)
    return files


def recorded(out: Path) -> dict[str, str] | None:
    """Return the digests the folder's files were written from, ``None`` when unknown."""
    digests = _read(out).get("volunteers")
    if not isinstance(digests, dict):
        return None
    return {str(k): str(v) for k, v in digests.items()}


def recorded_files(out: Path) -> Files:
    """Return each volunteer's own files the record says routeplan wrote (none if unknown).

    Only names routeplan gives a volunteer's files (:data:`OWN_FILES`) are returned,
    whatever the record says, so a changed record can never name another file.
    """
    files = _read(out).get("files")
    if not isinstance(files, dict):
        return {}
    out_files: Files = {}
    for vid, names in files.items():
        own = set(own_names(str(vid)))
        kept = sorted({str(n) for n in names if str(n) in own} if isinstance(names, list) else ())
        if kept:
            out_files[str(vid)] = kept
    return out_files


def record(out: Path, digests: Mapping[str, str] | None, files: Mapping[str, list[str]]) -> Path:
    """Write the folder's record: the digests (``None``: unknown) and the files."""
    data: dict[str, object] = {"format": FORMAT}
    if digests is not None:
        data["volunteers"] = dict(sorted(digests.items()))
    data["files"] = {vid: sorted(names) for vid, names in sorted(files.items()) if names}
    return write_text(out / RECORD, json.dumps(data, indent=1) + "\n")


def own_names(volunteer_id: str) -> list[str]:
    """Return the names (relative to the folder) a volunteer's own files can have."""
    from ..render.text import safe_file_name

    name = safe_file_name(volunteer_id)
    return [f"{folder}/{name}{suffix}" for folder, suffix in OWN_FILES]


def own_files(out: Path, volunteer_ids: Iterable[str], written: Iterable[Path]) -> Files:
    """Return the own files of each of ``volunteer_ids`` among the paths ``written``."""
    by_name = {name: vid for vid in volunteer_ids for name in own_names(vid)}
    files: Files = {}
    for path in written:
        try:
            name = path.relative_to(out).as_posix()
        except ValueError:
            continue
        if name in by_name:
            files.setdefault(by_name[name], []).append(name)
    return files


def remove_stale(out: Path, old: Files, kept: Files) -> list[Path]:
    """Delete the files of ``old`` that are not in ``kept``; return those deleted.

    ``old`` is what the record says routeplan wrote, ``kept`` what this write wrote:
    the phone pages, sheets and GPX files of volunteers no longer in the plan (or no
    longer with rounds) go, so that none of them is left to send someone to the wrong
    doors. A user's own file in the folder is never in the record, so never deleted.
    """
    keep = {name for names in kept.values() for name in names}
    gone = []
    for name in sorted({n for names in old.values() for n in names} - keep):
        target = out / name
        if target.is_file():
            target.unlink()
            gone.append(target)
    if gone:
        log.info("deleted %d files of volunteers no longer in the plan", len(gone))
    return gone


def merged(
    old: Mapping[str, str] | None, new: Mapping[str, str], written: Collection[str]
) -> dict[str, str]:
    """Return the record after writing the files of ``written`` (the others as they were)."""
    out = {vid: d for vid, d in (old or {}).items() if vid in new and vid not in written}
    out.update({vid: new[vid] for vid in written if vid in new})
    return out


def replaced_files(old: Files, folders: Collection[str], written: Collection[str] | None) -> Files:
    """Return the files of ``old`` a write replaces: in ``folders``, of ``written``.

    ``written`` are the volunteers written (``None``: every one). A replaced file that
    is not written again is stale.
    """
    return {
        vid: [n for n in names if n.split("/", 1)[0] in folders]
        for vid, names in old.items()
        if written is None or vid in written
    }


def merged_files(out: Path, old: Files, replaced: Files, new: Files) -> Files:
    """Return the files to record: ``new``, and those of ``old`` not ``replaced`` still there."""
    gone = {n for names in replaced.values() for n in names}
    files: Files = {vid: list(names) for vid, names in new.items()}
    for vid, names in old.items():
        still = [n for n in names if n not in gone and (out / n).is_file()]
        if still:
            files[vid] = sorted(set(files.get(vid, [])) | set(still))
    return files
