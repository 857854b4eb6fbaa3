"""``routeplan areas --scheduler ADDRESS``: the areas run on a cluster that is already there.

No remote cluster can be reached here, so the test starts a ``distributed.LocalCluster``
of its own (a scheduler on 127.0.0.1 and one worker process) and hands its address to
the command, exactly as a user hands the address of the province's cluster: the code
that connects to an existing cluster runs for real, over TCP, into another process.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from routeplan.areas import ClusterOptions, areas_from_folders, plan_areas
from routeplan.cli import main
from routeplan.errors import RouteplanError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "data"))

from make_city import make_city  # noqa: E402 - the script lives in data/


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A running cluster, started apart from routeplan: its scheduler's address."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        worker_dashboard_address="127.0.0.1:0",
    ) as running:
        yield str(running.scheduler_address)


def test_cli_areas_runs_on_an_existing_cluster_and_leaves_it_running(
    cluster: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from distributed import Client

    city = tmp_path / "city"
    make_city(city, communes=2, tiny=True, tiny_households=8)
    settings = tmp_path / "settings.toml"
    settings.write_text("[planner]\nroute_solutions = 30\nimprove_rounds = 1\nworkers = 1\n")
    out = tmp_path / "out"
    args = ["-q", "areas", "--folders", str(city), "--scheduler", cluster, "--no-maps"]
    code = main([*args, "--time-limit", "10", "--settings", str(settings), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    with Client(cluster) as client:  # still running: routeplan closes only its own cluster
        workers = list(client.scheduler_info()["workers"])
    assert len(workers) == 1
    for area in sorted(p.name for p in city.iterdir()):
        assert f"{area}: planned: 8 households" in printed
        done = json.loads((out / area / "area.json").read_text(encoding="utf-8"))
        assert done["worker"] == workers[0]  # planned by the cluster's worker process
        assert (out / area / "assignment.csv").exists()
    assert (out / "areas.html").exists()


def test_an_unreachable_scheduler_is_named_with_the_fix(tmp_path: Path) -> None:
    city = tmp_path / "city"
    make_city(city, communes=1, tiny=True, tiny_households=4)
    nowhere = ClusterOptions(scheduler="tcp://127.0.0.1:9", timeout_s=1.0)  # discard port
    with pytest.raises(RouteplanError, match=r"cannot reach the Dask scheduler at tcp://127\.0"):
        plan_areas(areas_from_folders(city), tmp_path / "out", cluster=nowhere)
