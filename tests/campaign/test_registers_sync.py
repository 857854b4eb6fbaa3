"""The registers in the project: read back, updated, marked inactive."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers_campaign import pd_concat

from routeplan.campaign import init_project, read_registers
from routeplan.errors import InputDataError


def test_registers_read_back_in_the_contract_form(project: Path, registers: Any) -> None:
    reg = read_registers(project)
    hh, src = reg.households, registers.households
    assert list(hh["household_id"]) == list(src["household_id"])
    assert list(hh["services"]) == list(src["services"])
    assert list(hh["windows"]) == list(src["windows"])
    assert list(hh["priority"]) == list(src["priority"])
    vol = reg.volunteers
    assert list(vol["windows"]) == list(registers.volunteers["windows"])
    assert list(vol["skills"]) == list(registers.volunteers["skills"])
    assert all(isinstance(s, frozenset) for s in vol["languages"])


def test_reinit_adds_updates_and_marks_inactive_without_deleting(
    project: Path, registers: Any
) -> None:
    import geopandas as gpd

    hh = registers.households.copy()
    gone = list(hh["household_id"][:2])
    hh = hh.iloc[2:].reset_index(drop=True)
    changed = hh.loc[0, "household_id"]
    hh.at[0, "services"] = ("vneid", "sim")
    new = registers.households.iloc[[5]].copy()
    new["household_id"] = "HB-9999"
    hh = gpd.GeoDataFrame(pd_concat([hh, new]), crs=4326)
    update = init_project(project, households=hh, today=dt.date(2026, 12, 1))
    assert update.added["households"] == ("HB-9999",)
    assert update.updated["households"] == (changed,)
    assert set(update.inactive["households"]) == set(gone)
    assert update.unchanged["households"] == len(hh) - 2
    assert "volunteers" not in update.unchanged  # not given: left alone
    every = read_registers(project, active_only=False).households
    assert set(gone) <= set(every["household_id"])  # kept, marked inactive with the date
    left = every[every["household_id"].isin(gone)]
    assert not left["active"].any() and set(left["inactive_since"]) == {"2026-12-01"}
    active = read_registers(project).households
    assert not set(gone) & set(active["household_id"])
    assert active.set_index("household_id").loc[changed, "services"] == ("vneid", "sim")
    log = (
        sqlite3.connect(project)
        .execute("SELECT item_id, change FROM register_log WHERE changed_on = '2026-12-01'")
        .fetchall()
    )
    assert (changed, "updated") in log and ("HB-9999", "added") in log
    # back in the list: reactivated
    again = init_project(project, households=registers.households, today=dt.date(2026, 12, 2))
    assert set(again.reactivated["households"]) == set(gone)
    assert again.inactive["households"] == ("HB-9999",)


def test_a_new_project_needs_every_register(tmp_path: Path, registers: Any) -> None:
    with pytest.raises(InputDataError, match="service_points"):
        init_project(
            tmp_path / "p.gpkg", households=registers.households, volunteers=registers.volunteers
        )
    assert (
        not (tmp_path / "p.gpkg").exists()
        or sqlite3.connect(tmp_path / "p.gpkg")
        .execute("SELECT count(*) FROM sqlite_master")
        .fetchone()[0]
        == 0
    )
