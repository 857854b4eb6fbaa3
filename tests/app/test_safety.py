"""The app is safe by default: local only, tokens on forms, no path leaves the output folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_app import AppServer, free_port, http

from routeplan.app import AppConfig
from routeplan.app.jobs import StagedProgress
from routeplan.app.security import Keys, inside, safe_name


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("safe")
    out = folder / "p1-files" / "out" / "2026-12-07"
    out.mkdir(parents=True)
    (out / "map_overview.html").write_text("<p>map</p>", encoding="utf-8")
    (folder / "secret.txt").write_text("not for download", encoding="utf-8")
    from routeplan.campaign.store import create_schema, transaction

    with transaction(folder / "p1.gpkg", write=True, create=True) as conn:
        create_schema(conn)
    return folder


@pytest.fixture(scope="module")
def local(folder: Path) -> Iterator[AppServer]:
    with AppServer(AppConfig(folder=folder, port=free_port())) as srv:
        yield srv


@pytest.fixture(scope="module")
def lan(folder: Path) -> Iterator[AppServer]:
    config = AppConfig(folder=folder, port=free_port(), lan=True, token="s3cret-token")
    with AppServer(config) as srv:
        yield srv


def test_files_come_only_from_the_output_folder(local: AppServer) -> None:
    ok = http(f"{local.url}/p/p1/files/2026-12-07/map_overview.html")
    assert ok[0] == 200 and b"map" in ok[2]
    for bad in (
        "/p/p1/files/../../secret.txt",
        "/p/p1/files/%2e%2e/%2e%2e/secret.txt",
        "/p/p1/files/..%2f..%2fsecret.txt",
        "/p/p1/files//etc/passwd",
        "/p/..%2fp1/files/2026-12-07/map_overview.html",
    ):
        status, _, body = http(local.url + bad)
        assert status == 404, bad
        assert b"not for download" not in body


def test_a_form_without_its_token_is_refused(local: AppServer) -> None:
    status, _, _ = http(
        f"{local.url}/p/p1/week/2026-12-07/lock",
        data=b"household_id=H1&volunteer_id=V1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403


def test_another_host_name_is_refused_when_serving_this_computer(local: AppServer) -> None:
    status, _, _ = http(f"{local.url}/", headers={"Host": "evil.example"})
    assert status == 400  # a web page elsewhere cannot reach the app by DNS rebinding


def test_an_upload_over_the_limit_is_refused(folder: Path) -> None:
    config = AppConfig(folder=folder, port=free_port(), max_upload_mb=0.01)
    with AppServer(config) as srv:
        status, _, _ = http(
            f"{srv.url}/create",
            data=b"x" * 200_000,
            headers={"Content-Type": "multipart/form-data; boundary=zz"},
        )
    assert status == 413


def test_the_office_network_needs_the_token(lan: AppServer) -> None:
    status, _, _ = http(f"{lan.url}/p/p1")
    assert status == 200  # the login page, after the redirect
    status, _, body = http(f"{lan.url}/p/p1/files/2026-12-07/map_overview.html")
    assert b"map</p>" not in body
    assert "token" in body.decode().lower() or "mã truy cập" in body.decode().lower()
    wrong = http(f"{lan.url}/login?token=nope")
    assert wrong[0] == 403


def test_keys() -> None:
    keys = Keys(token=None)
    sid = keys.new_session()
    assert keys.csrf_ok(sid, keys.csrf(sid))
    assert not keys.csrf_ok(keys.new_session(), keys.csrf(sid))
    assert not keys.csrf_ok("", keys.csrf(""))
    sig = keys.share("demo", "2026-12-07", "TN-01")
    assert keys.share_ok("demo", "2026-12-07", "TN-01", sig)
    assert not keys.share_ok("demo", "2026-12-07", "TN-02", sig)
    assert not keys.needs_login(sid)
    assert Keys(token="t").needs_login(sid)


def test_names_and_paths(tmp_path: Path) -> None:
    assert safe_name("xa-hoa-bac_2026") == "xa-hoa-bac_2026"
    for bad in ("../x", "a/b", "", ".hidden", "a b", "x" * 80):
        assert safe_name(bad) is None
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "out" / "link.txt").symlink_to(tmp_path / "b.txt")
    assert inside(tmp_path / "out", "a.txt") is not None
    assert inside(tmp_path / "out", "../b.txt") is None
    assert inside(tmp_path / "out", str(tmp_path / "b.txt")) is None
    assert inside(tmp_path / "out", "link.txt") is None  # a link out of the folder


def test_the_progress_bar_goes_over_the_stages_and_never_back() -> None:
    seen: list[float] = []
    bar = StagedProgress(lambda m, f: seen.append(f), stages=3)
    for f in (0.0, 0.5, 1.0, 0.0, 0.5, 1.0, 0.0, 0.25, 0.5, 1.0):
        bar("x", f)
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    assert seen[4] == pytest.approx(0.5)  # half of the second of three stages
    assert dt.date(2026, 12, 7).weekday() == 0


def test_phone_links_keep_working_after_a_restart(tmp_path: Path) -> None:
    from routeplan.app.state import AppState

    one = AppState(AppConfig(folder=tmp_path)).keys.share("demo", "2026-12-07", "TN-01")
    two = AppState(AppConfig(folder=tmp_path)).keys.share("demo", "2026-12-07", "TN-01")
    assert one == two  # the QR code a volunteer saved still opens their page
    assert (tmp_path / ".routeplan-app-secret").stat().st_mode & 0o077 == 0
    other = AppState(AppConfig(folder=tmp_path / "elsewhere")).keys
    assert other.share("demo", "2026-12-07", "TN-01") != one
