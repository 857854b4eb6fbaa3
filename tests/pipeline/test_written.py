"""The output folder's record: only files routeplan wrote for a volunteer are ever deleted."""

from __future__ import annotations

import json
from pathlib import Path

from routeplan.pipeline.written import RECORD, forget, recorded, recorded_files, remove_stale


def test_a_record_naming_other_files_deletes_none_of_them(tmp_path: Path) -> None:
    (tmp_path / "sheets").mkdir()
    (tmp_path / "volunteers").mkdir()
    theirs = tmp_path / "sheets" / "TN-01.pdf"
    mine = [tmp_path / "assignment.csv", tmp_path / "sheets" / "notes.pdf", tmp_path / "x.txt"]
    for path in [theirs, *mine]:
        path.write_text("x")
    named = ["sheets/TN-01.pdf", "assignment.csv", "sheets/notes.pdf", "../x.txt", "/etc/hosts"]
    data = {"format": 1, "volunteers": {"TN-01": "d"}, "files": {"TN-01": named}}
    (tmp_path / RECORD).write_text(json.dumps(data))
    assert recorded_files(tmp_path) == {"TN-01": ["sheets/TN-01.pdf"]}
    assert forget(tmp_path) == {"TN-01": ["sheets/TN-01.pdf"]}
    assert recorded(tmp_path) is None  # the digests are gone, the files still known
    assert remove_stale(tmp_path, recorded_files(tmp_path), {}) == [theirs]
    assert not theirs.exists() and all(p.exists() for p in mine)
