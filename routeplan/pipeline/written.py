"""What an output folder holds: the digests of the plan its volunteers' files show.

:func:`~routeplan.pipeline.write_outputs` keeps, beside the files, ``.routeplan-outputs.json``:
for each volunteer, the digest of what their phone page, route sheet and GPX file were
made from (:func:`routeplan.render.digest.volunteer_digests`). After a re-plan,
:func:`changed_volunteers` compares the new plan's digests with it and names the
volunteers whose files must be written again. The record is deleted before any file is
written and written again last, so a write that stopped half-way (cancelled, disk full)
leaves no record, and the next write writes everything.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Mapping
from pathlib import Path

from .._io import write_text

log = logging.getLogger(__name__)

RECORD = ".routeplan-outputs.json"
"""The file in an output folder naming the digest of each volunteer's files."""

FORMAT = 1


def forget(out: Path) -> None:
    """Delete the folder's record before its files change (see the module docstring)."""
    (out / RECORD).unlink(missing_ok=True)


def recorded(out: Path) -> dict[str, str] | None:
    """Return the digests the folder's files were written from, ``None`` when unknown."""
    try:
        data = json.loads((out / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    digests = data.get("volunteers")
    if not isinstance(digests, dict):
        return None
    return {str(k): str(v) for k, v in digests.items()}


def record(out: Path, digests: Mapping[str, str]) -> Path:
    """Write the folder's record: the digest of each volunteer's files now in it."""
    text = json.dumps({"format": FORMAT, "volunteers": dict(sorted(digests.items()))}, indent=1)
    return write_text(out / RECORD, text + "\n")


def merged(
    old: Mapping[str, str] | None, new: Mapping[str, str], written: Collection[str]
) -> dict[str, str]:
    """Return the record after writing the files of ``written`` (the others as they were)."""
    out = {vid: d for vid, d in (old or {}).items() if vid in new and vid not in written}
    out.update({vid: new[vid] for vid in written if vid in new})
    return out
