"""Hostile ids: every volunteer gets their own files, and what routeplan writes it reads back.

Issue 14 items 1-4: ids that differ only in characters a file name cannot hold, path
tricks, names Windows reserves, a 300-character id, and household ids that look like
spreadsheet formulas.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from routeplan.config import PlannerSettings, Settings
from routeplan.pipeline import InputFiles, load_inputs, make_plan, write_outputs
from routeplan.planner import read_previous
from routeplan.render.text import safe_file_name

SETTINGS = Settings(planner=PlannerSettings(time_limit_s=60, route_solutions=30, improve_rounds=2))

HOSTILE = [
    "TN 01",
    "TN/01",
    "TN_01",
    "../../evil",
    "..\\evil",
    "CON",
    "nul.txt",
    "COM1",
    "tn_01",
    "V" * 300,
]
FORMULA_IDS = ["=HB-0001", "+HB-0002", "@HB-0003", "-HB-0004"]

WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)$", re.IGNORECASE)


def test_file_names_are_unique_stable_and_safe_everywhere() -> None:
    ids = [*HOSTILE, "TN-01", "HB.0001", "Tổ 1", "", ".", "a" * 64, "A" * 64, "A" * 65]
    names = [safe_file_name(i) for i in ids]
    assert len({n.casefold() for n in names}) == len(ids)  # unique, also ignoring case
    assert names == [safe_file_name(i) for i in ids]  # stable: a pure function of the id
    for name in names:
        assert re.fullmatch(r"[A-Za-z0-9_.~\-]+", name), name  # ASCII, no separators
        assert len(name.encode()) <= 64
        assert not WINDOWS_RESERVED.match(f"{name}.html".split(".")[0])  # Windows' rule
        assert not name.startswith((".", "-")) and not name.endswith(".")
    assert safe_file_name("TN-01") == "TN-01"  # a plain id is its own name
    assert safe_file_name("TN 01").startswith("TN_01~")  # readable, then the hash
    assert safe_file_name("Tổ 1").startswith("To_1~")


@pytest.fixture(scope="module")
def hostile_plan(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A plan of 60 demo households and 10 volunteers with hostile ids, written out."""
    folder = tmp_path_factory.mktemp("hostile")
    hh = pd.read_csv(demo_dir / "households.csv", dtype=str, keep_default_na=False).iloc[:60]
    vol = pd.read_csv(demo_dir / "volunteers.csv", dtype=str, keep_default_na=False)
    vol = vol.iloc[: len(HOSTILE)].copy()
    vol["volunteer_id"] = HOSTILE
    vol["capacity"] = "6"
    hh.loc[hh.index[: len(FORMULA_IDS)], "household_id"] = FORMULA_IDS
    hh.to_csv(folder / "households.csv", index=False)
    vol.to_csv(folder / "volunteers.csv", index=False)
    files = InputFiles(
        households=folder / "households.csv",
        volunteers=folder / "volunteers.csv",
        network=demo_dir / "hoabac.osm",
    )
    inputs = load_inputs(files, settings=SETTINGS)
    plan = make_plan(inputs)
    out = folder / "out"
    paths = write_outputs(plan, inputs, out)
    return files, inputs, plan, out, paths


def test_each_hostile_volunteer_gets_their_own_page_sheet_and_gpx(hostile_plan) -> None:  # type: ignore[no-untyped-def]
    _, _, plan, out, _ = hostile_plan
    with_rounds = {r.volunteer_id for r in plan.routes}
    assert len(with_rounds) >= 6  # enough volunteers have rounds to clash
    pages = sorted((out / "volunteers").iterdir())
    assert len(pages) == len(HOSTILE)  # one page each: none overwritten
    for vid in HOSTILE:
        page = out / "volunteers" / f"{safe_file_name(vid)}.html"
        assert page.parent == out / "volunteers"  # ../../evil stays inside
        assert f"({html.escape(vid, quote=False)})</title>" in page.read_text(encoding="utf-8")
    assert len(list((out / "sheets").iterdir())) == len(with_rounds)
    assert len(list((out / "gpx").iterdir())) == len(with_rounds)
    for vid in with_rounds:
        assert (out / "sheets" / f"{safe_file_name(vid)}.pdf").is_file()
        gpx = (out / "gpx" / f"{safe_file_name(vid)}.gpx").read_text(encoding="utf-8")
        assert "<gpx" in gpx
    assert not any(p.name == "evil.html" for p in out.parent.rglob("*"))


def test_overview_links_open_the_right_volunteers_page(hostile_plan) -> None:  # type: ignore[no-untyped-def]
    _, _, _, out, _ = hostile_plan
    text = (out / "map_overview.html").read_text(encoding="utf-8")
    links = re.findall(r'href=\\?"(volunteers/[^"\\]+)', text)
    assert len(links) == len(set(links)) == len(HOSTILE)
    for vid in HOSTILE:
        assert f"volunteers/{safe_file_name(vid)}.html" in links


def test_formula_looking_ids_come_back_from_assignment_csv(hostile_plan) -> None:  # type: ignore[no-untyped-def]
    _, inputs, plan, out, _ = hostile_plan
    raw = (out / "assignment.csv").read_text(encoding="utf-8-sig")
    assert "'=HB-0001" in raw  # neutralised for Excel ...
    previous = read_previous(out / "assignment.csv")
    assert previous == plan.assignment  # ... and read back exactly
    again = make_plan(inputs, previous=previous)
    gone = [c for c in again.changes if c.code == "household_gone"]
    assert gone == []
    for hid in FORMULA_IDS:
        assert again.assignment.get(hid) == plan.assignment.get(hid)
    # the registers read the file routeplan wrote back the same way
    stops = out / "plan_stops.csv"
    from routeplan.registers import read_cells

    cells, _ = read_cells(stops, {"household_id": ()})
    assert cells is not None
    column = cells[0].index("household_id")
    written = {row[column] for row in cells[1:]}
    assert written <= set(inputs.households["household_id"])
    assert written & set(FORMULA_IDS)
