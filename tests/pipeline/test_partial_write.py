"""After a re-plan, only the changed volunteers' files are written, and they match a full write.

A plan of the demo commune (4 volunteers) is written in full; one household is moved
to another volunteer by a lock and the week is re-planned. Writing the new plan into
a copy of the old folder with :func:`write_changed_outputs` must leave every file as a
full write of the new plan makes it, while the volunteers the move did not touch keep
their files untouched. Three kinds of file differ between any two full writes and are
compared by what they show instead of byte for byte:

- ``*.html``: folium names its elements with random ids (``map_<32 hex>``);
- ``*.pdf``: the creation date and the document id (and a joined
  ``route_sheets_all.pdf`` embeds each volunteer's fonts apart): compared as rendered
  pages and their text;
- ``plan.gpkg``: SQLite keeps the time of writing: compared as its layers.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

_FOLIUM_ID = re.compile(rb"_[0-9a-f]{32}(?![0-9a-f])")


def _inputs(ns):  # type: ignore[no-untyped-def]
    from routeplan.pipeline import Inputs

    return Inputs(
        ns.households, ns.volunteers, ns.service_points, ns.network, dict(ns.matrices), ns.settings
    )


def _files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file()}


def _pdf_pages(path: Path) -> list[tuple[bytes, str]]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        out = []
        for page in doc:
            bitmap = page.render(scale=1).to_numpy().tobytes()
            out.append((bitmap, page.get_textpage().get_text_range()))
        return out
    finally:
        doc.close()


def _gpkg_layers(path: Path) -> dict[str, list[object]]:
    import pyogrio

    out: dict[str, list[object]] = {}
    for name, _ in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=name)
        out[str(name)] = [frame.columns.tolist(), frame.to_wkt().to_dict("records")]
    return out


def _same(name: str, a: Path, b: Path) -> bool:
    """Whether two files show the same (the named kinds by content, the rest byte for byte)."""
    if name.endswith(".html"):
        return _FOLIUM_ID.sub(b"_ID", a.read_bytes()) == _FOLIUM_ID.sub(b"_ID", b.read_bytes())
    if name.endswith(".pdf"):
        return _pdf_pages(a) == _pdf_pages(b)
    if name.endswith(".gpkg"):
        return _gpkg_layers(a) == _gpkg_layers(b)
    return a.read_bytes() == b.read_bytes()


@pytest.fixture(scope="module")
def moved(demo_outputs_plan, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The plan written in full, then one household moved by a lock and the week re-planned."""
    from routeplan.pipeline import write_outputs
    from routeplan.planner import replan

    ns = demo_outputs_plan
    base = ns.plan
    hid, old = sorted(base.assignment.items())[0]
    new = next(v for v in sorted(set(base.assignment.values())) if v != old)
    result = replan(
        ns.households, ns.volunteers, ns.matrices, base, settings=ns.settings, fixed={hid: new}
    )
    assert result.assignment[hid] == new and result.stats["replan"] == "partial"
    root = tmp_path_factory.mktemp("partial")
    write_outputs(base, _inputs(ns), root / "before")
    write_outputs(result, _inputs(ns), root / "full")
    return ns, result, root, {old, new}


def test_a_partial_write_makes_every_file_a_full_write_makes(moved) -> None:  # type: ignore[no-untyped-def]
    from routeplan.pipeline import write_changed_outputs
    from routeplan.render.text import safe_file_name

    ns, result, root, touched = moved
    shutil.copytree(root / "before", root / "partial")
    written = write_changed_outputs(result, _inputs(ns), root / "partial")

    before, full, part = _files(root / "before"), _files(root / "full"), _files(root / "partial")
    assert sorted(part) == sorted(full)  # no file missing, none left over
    different = [name for name in full if not _same(name, full[name], part[name])]
    assert different == [], f"partial write differs from a full write in {different}"

    # only the two volunteers the move touched had their own files written again
    own = {"volunteers/": ".html", "sheets/": ".pdf", "gpx/": ".gpx"}
    rewritten = {p.relative_to(root / "partial").as_posix() for p in written}
    for vid in ns.volunteers.volunteer_id:
        for folder, suffix in own.items():
            name = f"{folder}{safe_file_name(vid)}{suffix}"
            if name not in full:
                continue
            if vid in touched:
                assert name in rewritten
                assert not _same(name, before[name], part[name])  # the round changed
            else:
                assert name not in rewritten
                assert part[name].read_bytes() == before[name].read_bytes()  # not written
    # the files listing everyone were written again
    for name in ("assignment.csv", "plan_stops.csv", "map_overview.html", "route_sheets_all.pdf"):
        assert name in rewritten


def test_without_a_record_everything_is_written(moved) -> None:  # type: ignore[no-untyped-def]
    """A folder whose record is gone (a write stopped half-way) is written in full."""
    from routeplan.pipeline import write_changed_outputs

    ns, result, root, _ = moved
    shutil.copytree(root / "before", root / "stopped")
    (root / "stopped" / ".routeplan-outputs.json").unlink()
    written = write_changed_outputs(result, _inputs(ns), root / "stopped")
    pages = [p for p in written if p.parent.name == "volunteers"]
    assert len(pages) == len(ns.volunteers)  # every phone page written again
    full = _files(root / "full")
    stopped = _files(root / "stopped")
    assert [n for n in full if not _same(n, full[n], stopped[n])] == []


def test_a_volunteer_away_loses_the_old_files(moved) -> None:  # type: ignore[no-untyped-def]
    """A volunteer gone from the register after the re-plan keeps no phone page or sheet."""
    from routeplan.pipeline import Inputs, write_changed_outputs, write_outputs
    from routeplan.planner import replan

    ns, _, root, _ = moved
    away = ns.volunteers.volunteer_id.iloc[-1]
    volunteers = ns.volunteers[ns.volunteers.volunteer_id != away].reset_index(drop=True)
    result = replan(ns.households, volunteers, ns.matrices, ns.plan, settings=ns.settings)
    assert away not in set(result.assignment.values())
    inputs = Inputs(
        ns.households, volunteers, ns.service_points, ns.network, dict(ns.matrices), ns.settings
    )
    shutil.copytree(root / "before", root / "away")
    write_changed_outputs(result, inputs, root / "away")
    write_outputs(result, inputs, root / "away-full")
    assert sorted(_files(root / "away")) == sorted(_files(root / "away-full"))
    assert not (root / "away" / "volunteers" / f"{away}.html").exists()
    assert not (root / "away" / "sheets" / f"{away}.pdf").exists()


def _own_files(folder: Path, vid: str) -> list[str]:
    from routeplan.render.text import safe_file_name

    name = safe_file_name(vid)
    return sorted(n for n in _files(folder) if Path(n).stem == name and "/" in n)


def test_a_full_write_deletes_the_files_of_a_volunteer_gone(moved) -> None:  # type: ignore[no-untyped-def]
    """A second full write without a volunteer leaves none of their files, and no one else's.

    Their phone page, route sheet and GPX file from the first write would send them to
    doors no longer theirs. Files routeplan did not write stay. After a write that
    stopped half-way (the digests gone) the files are still known and deleted.
    """
    from routeplan.pipeline import Inputs, write_outputs
    from routeplan.pipeline.written import forget
    from routeplan.planner import replan

    ns, _, root, _ = moved
    away = ns.volunteers.volunteer_id.iloc[0]
    volunteers = ns.volunteers[ns.volunteers.volunteer_id != away].reset_index(drop=True)
    result = replan(ns.households, volunteers, ns.matrices, ns.plan, settings=ns.settings)
    inputs = Inputs(
        ns.households, volunteers, ns.service_points, ns.network, dict(ns.matrices), ns.settings
    )
    write_outputs(result, inputs, root / "gone-fresh")
    for case in ("again", "stopped"):
        folder = root / f"full-{case}"
        shutil.copytree(root / "before", folder)
        assert len(_own_files(folder, away)) == 3  # page, sheet, GPX of the first plan
        mine = [folder / "volunteers" / "notes.html", folder / "sheets" / "ward-map.pdf"]
        for path in mine:
            path.write_text("the coordinator's own file")
        if case == "stopped":
            forget(folder)  # what a write stopped half-way leaves
        write_outputs(result, inputs, folder)
        assert _own_files(folder, away) == []
        assert all(p.read_text() == "the coordinator's own file" for p in mine)
        left = sorted(set(_files(folder)) - {p.relative_to(folder).as_posix() for p in mine})
        assert left == sorted(_files(root / "gone-fresh"))  # as a write into a new folder


def test_a_full_write_deletes_the_sheet_of_a_volunteer_left_without_rounds(moved) -> None:  # type: ignore[no-untyped-def]
    """A volunteer still in the register but with no rounds now keeps a page, no sheet."""
    from routeplan.pipeline import Inputs, write_outputs
    from routeplan.planner import replan
    from routeplan.render.text import safe_file_name

    ns, _, root, _ = moved
    idle = ns.volunteers.volunteer_id.iloc[1]
    volunteers = ns.volunteers.copy()
    volunteers.loc[volunteers.volunteer_id == idle, "capacity"] = 0  # no household this week
    result = replan(ns.households, volunteers, ns.matrices, ns.plan, settings=ns.settings)
    assert idle not in {r.volunteer_id for r in result.routes}
    inputs = Inputs(
        ns.households, volunteers, ns.service_points, ns.network, dict(ns.matrices), ns.settings
    )
    folder = root / "idle"
    shutil.copytree(root / "before", folder)
    write_outputs(result, inputs, folder)
    assert _own_files(folder, idle) == [f"volunteers/{safe_file_name(idle)}.html"]
