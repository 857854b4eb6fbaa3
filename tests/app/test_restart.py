"""The app started again while a plan ran: what the coordinator sees is true.

The app follows its jobs in memory and notes each in the project file
(``routeplan_meta``, key ``app_job``). A real crash: the app runs in a process of its
own, a plan starts, the app is killed (its job is not: it runs in a process group of
its own) and started again. The job's page then says the job is still running (not a
404, no progress it cannot know), the project refuses a second plan; when the job's
process dies too, the page says it was interrupted and planning works again. An app
stopped the ordinary way cancels its jobs and the next one says so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from browser import chromium_missing_reason
from helpers_app import FAST, AppServer, Browser, Session, free_port, http

from routeplan.app import AppConfig, demo_folder
from routeplan.campaign import end_job, last_job, note_job, weeks

pytestmark = pytest.mark.skipif(
    chromium_missing_reason() is not None, reason=str(chromium_missing_reason())
)

ROOT = Path(__file__).resolve().parents[2]
WEEK = "2026-12-07"
_SERVE = """
import sys
from pathlib import Path
import uvicorn
from routeplan.app import AppConfig, create_app
from routeplan.config import PlannerSettings, Settings
settings = Settings(planner=PlannerSettings(time_limit_s=30, route_solutions=10,
                                            improve_moves=2, workers=2))
config = AppConfig(folder=Path(sys.argv[1]), settings=settings, port=int(sys.argv[2]))
uvicorn.run(create_app(config), host="127.0.0.1", port=config.port, log_level="warning")
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("projects")
    demo_folder(folder, settings=FAST)
    return folder


@pytest.fixture
def app_browser(browser: Any) -> Iterator[Browser]:
    with Browser(browser.chromium) as b:
        yield b


def _serve_in_a_process(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(folder), str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if http(url + "/")[0] == 200:
                return proc, url
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the app did not start")


def _plan(s: Session, week: str) -> str:
    s.go("/p/demo")
    s.page.fill("input[name=week]", week)
    s.page.click("#plan-form button")
    s.page.wait_for_url("**/jobs/**")
    return str(s.page.url.rsplit("/", 1)[1])


def _wait(check: Any, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.mark.browser
@pytest.mark.slow
def test_the_app_killed_during_a_plan_and_started_again(folder: Path, app_browser: Browser) -> None:
    project = folder / "demo.gpkg"
    first, url = _serve_in_a_process(folder)
    try:
        s = app_browser.session(url)
        job_id = _plan(s, WEEK)
        record = last_job(project)
        assert record is not None and record["id"] == job_id and record["state"] == "running"
        job = psutil.Process(record["pid"])
        s.context.close()
    finally:
        first.kill()  # the app dies at once: no chance to stop its job
        first.wait(10)
    assert job.is_running()  # the plan goes on without the app

    with AppServer(AppConfig(folder=folder, settings=FAST, port=free_port())) as again:
        s = app_browser.session(again.url)
        try:
            s.go(f"/p/demo/jobs/{job_id}")
            box = s.page.locator("#job")
            assert box.get_attribute("data-state") == "running"
            assert (
                "trước khi ứng dụng được khởi động lại" in s.page.locator("#message").inner_text()
            )
            assert s.page.locator("#pct").count() == 0  # no progress it cannot know
            s.shot("21_restart_job_running")
            # the project says a job runs, and a second plan is the same job, not a new one
            s.go("/p/demo")
            assert s.page.locator("text=Một việc khác đang chạy").count() == 1
            assert _plan(s, "2026-12-14") == job_id

            # the job's process dies too (the computer went off): it was interrupted
            for p in [*job.children(recursive=True), job]:
                p.kill()

            _wait(lambda: not job.is_running() or job.status() == psutil.STATUS_ZOMBIE)
            s.go(f"/p/demo/jobs/{job_id}")
            assert box.get_attribute("data-state") == "interrupted"
            assert "đã dừng giữa chừng" in s.page.locator("#state").inner_text()
            assert s.page.locator("#cancel-form").count() == 0
            s.shot("22_restart_job_interrupted")
            assert last_job(project)["state"] == "interrupted"  # type: ignore[index]
            assert weeks(project) == []  # nothing half-stored
            s.go("/p/demo")
            assert s.page.locator("text=Một việc khác đang chạy").count() == 0

            # a job the app has no note of: said so, not "running" forever
            s.go("/p/demo/jobs/no-such-job")
            assert s.page.locator("#job").get_attribute("data-state") == "unknown"
            assert "không còn biết việc này" in s.page.locator("#state").inner_text()
            s.shot("23_restart_job_unknown")
            assert http(f"{again.url}/p/demo/jobs/no-such-job/status")[0] == 404

            # planning works again; the app stopped the ordinary way cancels it, and says so
            second = _plan(s, WEEK)
            assert second != job_id
        finally:
            s.context.close()
    noted = last_job(project)
    assert noted is not None and (noted["id"], noted["state"], noted["error"]) == (
        second,
        "cancelled",
        "app_stopped",
    )
    with AppServer(AppConfig(folder=folder, settings=FAST, port=free_port())) as third:
        s = app_browser.session(third.url)
        try:
            s.go(f"/p/demo/jobs/{second}")
            assert s.page.locator("#job").get_attribute("data-state") == "cancelled"
            assert "ứng dụng tắt" in s.page.locator("#state").inner_text()
            s.shot("24_restart_job_app_stopped")
            s.go("/lang/en?next=/p/demo/jobs/" + second)
            assert "the app was closed" in s.page.locator("#state").inner_text()
            s.shot("24_restart_job_app_stopped_en")
        finally:
            s.context.close()
    assert weeks(project) == []


def test_a_job_noted_in_the_project_is_seen_by_an_app_started_again(folder: Path) -> None:
    from routeplan.app.jobs import Jobs

    project = folder / "demo.gpkg"
    me = psutil.Process()
    # a job whose process runs (this one) and that no app follows
    note_job(
        project,
        {"id": "j1", "kind": "plan", "week": WEEK, "pid": me.pid, "pid_started": me.create_time()},
    )
    jobs = Jobs(folder)
    job = jobs.running("demo")
    assert job is not None and (job.id, job.state, job.earlier) == ("j1", "running", True)
    assert job.as_json()["fraction"] is None
    # it ends (its process notes it): the app sees it done
    assert end_job(project, "j1", "done")
    assert not end_job(project, "j1", "failed")  # the first end stays
    assert jobs.running("demo") is None
    assert jobs.get("j1", "demo").state == "done"  # type: ignore[union-attr]
    # the same process number, but another process: not the job (interrupted)
    note_job(
        project,
        {
            "id": "j2",
            "kind": "plan",
            "week": WEEK,
            "pid": me.pid,
            "pid_started": me.create_time() - 3600,
        },
    )
    assert Jobs(folder).running("demo") is None
    assert last_job(project)["state"] == "interrupted"  # type: ignore[index]
    assert Jobs(folder).get("j2", "demo").state == "interrupted"  # type: ignore[union-attr]
    assert Jobs(folder).get("j1", "demo") is None  # only the last job is noted


@pytest.mark.browser
@pytest.mark.slow
def test_a_job_whose_process_dies_says_so_in_the_pages_language(
    folder: Path, app_browser: Browser
) -> None:
    # the app goes on, the plan's own process dies (out of memory, killed): the job page
    # says what happened and what to do, in Vietnamese, not an English code
    project = folder / "demo.gpkg"
    with AppServer(AppConfig(folder=folder, settings=FAST, port=free_port())) as app:
        s = app_browser.session(app.url)
        try:
            job_id = _plan(s, "2026-12-21")
            record = last_job(project)
            assert record is not None and record["id"] == job_id
            job = psutil.Process(record["pid"])
            for p in [*job.children(recursive=True), job]:
                p.kill()
            _wait(lambda: b'"failed"' in http(f"{app.url}/p/demo/jobs/{job_id}/status")[2])
            s.go(f"/p/demo/jobs/{job_id}")
            assert s.page.locator("#job").get_attribute("data-state") == "failed"
            state = s.page.locator("#state").inner_text()
            assert "dừng bất ngờ" in state and "stopped_unexpectedly" not in state
            assert s.page.locator("#bar").count() == 0  # no "planning..." under its end
            s.shot("25_job_process_died")
            s.go("/lang/en?next=/p/demo/jobs/" + job_id)
            assert "stopped unexpectedly" in s.page.locator("#state").inner_text()
        finally:
            s.context.close()
    noted = last_job(project)
    assert noted is not None and (noted["state"], noted["error"]) == (
        "failed",
        "stopped_unexpectedly",
    )
    assert "2026-12-21" not in weeks(project)  # nothing half-stored
