"""The project file: a GeoPackage, other files refused, locking, GDAL's triggers."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers_campaign import SETTINGS, TODAY, _write_outcomes, pd_concat

from routeplan import campaign
from routeplan.campaign import init_project, read_registers, record_outcomes
from routeplan.errors import InputDataError


def test_project_is_a_geopackage_that_gdal_reads(project: Path, registers: Any) -> None:
    import pyogrio

    layers = {name: geom for name, geom in pyogrio.list_layers(project)}
    assert layers["households"] == "Point"
    assert layers["volunteers"] == "Point"
    assert layers["service_points"] == "Point"
    for table in ("visits", "plans", "plan_stops", "plan_households", "register_log"):
        assert layers[table] is None  # attribute tables, listed by QGIS as tables
    frame = pyogrio.read_dataframe(project, layer="households")  # warnings are errors here
    assert list(frame["household_id"]) == list(registers.households["household_id"])
    assert frame.crs.to_epsg() == 4326
    assert np.allclose(frame.geometry.x, registers.households.geometry.x)
    conn = sqlite3.connect(project)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10400
    assert conn.execute("SELECT value FROM routeplan_meta WHERE key = 'schema_version'").fetchone()[
        0
    ] == str(campaign.SCHEMA_VERSION)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_other_files_are_not_taken_for_a_project(tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="not found"):
        read_registers(tmp_path / "missing.gpkg")
    other = tmp_path / "other.gpkg"
    other.write_text("hello")
    with pytest.raises(InputDataError, match="not an SQLite"):
        read_registers(other)


def test_an_import_waits_for_another_coordinators_write(
    project: Path, registers: Any, tmp_path: Path
) -> None:
    import threading

    outcomes = _write_outcomes(
        tmp_path / "w.csv",
        [
            {"household_id": h, "date": "05/12/2026", "volunteer_id": "TN-05", "outcome": "done"}
            for h in registers.households["household_id"][:10]
        ],
    )
    other = sqlite3.connect(project, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # someone else is writing
    other.execute("INSERT INTO routeplan_meta VALUES ('note', 'written meanwhile')")
    results: list[Any] = []
    worker = threading.Thread(
        target=lambda: results.append(
            record_outcomes(project, outcomes, settings=SETTINGS, today=TODAY)
        )
    )
    worker.start()
    worker.join(0.5)
    assert worker.is_alive() and not results  # waiting for the lock, not failing
    other.execute("COMMIT")
    other.close()
    worker.join(60)
    assert results and results[0].added == 10
    conn = sqlite3.connect(project)
    assert conn.execute("SELECT value FROM routeplan_meta WHERE key = 'note'").fetchone()
    assert conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 10


def test_updates_work_after_qgis_adds_a_spatial_index(project: Path, registers: Any) -> None:
    # the triggers GDAL (and so QGIS) creates with a spatial index call ST_* functions
    conn = sqlite3.connect(project)
    conn.executescript("""
        CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT,
          extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL);
        CREATE VIRTUAL TABLE rtree_households_geom USING rtree(id, minx, maxx, miny, maxy);
        CREATE TRIGGER rtree_households_geom_insert AFTER INSERT ON households
        WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN
          INSERT OR REPLACE INTO rtree_households_geom VALUES (NEW.fid, ST_MinX(NEW.geom),
            ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
        CREATE TRIGGER rtree_households_geom_update6 AFTER UPDATE OF geom ON households
        WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN
          UPDATE rtree_households_geom SET minx = ST_MinX(NEW.geom), maxx = ST_MaxX(NEW.geom),
            miny = ST_MinY(NEW.geom), maxy = ST_MaxY(NEW.geom) WHERE id = NEW.fid; END;
        INSERT INTO rtree_households_geom SELECT fid, 0, 0, 0, 0 FROM households;
    """)
    conn.close()
    from shapely.geometry import Point

    hh = registers.households.copy()
    hh.at[0, "geometry"] = Point(108.05, 16.13)
    new = hh.iloc[[1]].copy()
    new["household_id"] = "HB-7777"
    hh = pd_concat([hh, new])
    import geopandas as gpd

    update = init_project(project, households=gpd.GeoDataFrame(hh, crs=4326))
    assert update.updated["households"] == (hh["household_id"][0],)
    assert update.added["households"] == ("HB-7777",)
    conn = sqlite3.connect(project)
    fid = conn.execute(
        "SELECT fid FROM households WHERE household_id = ?", (hh["household_id"][0],)
    ).fetchone()[0]
    box = conn.execute(
        "SELECT minx, miny FROM rtree_households_geom WHERE id = ?", (fid,)
    ).fetchone()
    assert box == pytest.approx((108.05, 16.13), abs=1e-4)
    assert conn.execute("SELECT count(*) FROM rtree_households_geom").fetchone()[0] == 61
