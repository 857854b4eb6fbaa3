"""build_matrix end to end on the demo commune's registers."""

from __future__ import annotations

from pathlib import Path

from routeplan.matrix import UNREACHABLE, build_matrix, points_frame


def test_demo_registers_matrix(demo_network, demo_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from routeplan.config import Settings
    from routeplan.registers import read_households, read_service_points, read_volunteers

    s = Settings()
    points = points_frame(
        read_households(demo_dir / "households.csv", settings=s),
        read_volunteers(demo_dir / "volunteers.csv", settings=s),
        read_service_points(demo_dir / "service_points.csv"),
    )
    walk = build_matrix(demo_network, points, mode="walking", settings=s)
    bike = build_matrix(demo_network, points, mode="motorbike", settings=s)
    assert len(walk) == len(points) == 1422
    assert (bike.seconds <= walk.seconds).all()
    assert walk.snaps["reachable"].all()
    far = walk.seconds[walk.index("SP-01"), walk.index("SP-02")]
    assert 3600 < far < UNREACHABLE
    hh = walk.index("HB-0001")
    line = bike.path(hh, bike.index("SP-01"))
    assert len(line) > 10
