"""Travel times in blocks: the same times as one matrix, fewer cells, paths, refusal."""

from __future__ import annotations

import types
from pathlib import Path

import numpy as np
import pytest
from helpers_decompose import demo_part

from routeplan.errors import InputDataError
from routeplan.matrix import blocked as blk
from routeplan.matrix import points_frame
from routeplan.matrix.blocked import BlockedMatrix, build_blocked
from routeplan.planner.decompose import block_point_ids, make_groups


@pytest.fixture(scope="module")
def part() -> types.SimpleNamespace:
    return demo_part()


def _blocks(part: types.SimpleNamespace) -> tuple[list[list[str]], dict[str, int], object]:
    points = points_frame(part.households, part.volunteers, part.service_points)
    groups = make_groups(part.households, part.volunteers, per_group=3)
    ids = [str(p) for p in points["point_id"]]
    blocks, owner = block_point_ids(
        groups, part.households, part.volunteers, ids, list(points["kind"])
    )
    return blocks, owner, points


def test_blocks_hold_the_same_times_as_one_matrix_over_fewer_points(
    part: types.SimpleNamespace, tmp_path: Path
) -> None:
    blocks, owner, points = _blocks(part)
    bm = build_blocked(
        part.network, points, blocks, owner, mode="motorbike", cache_dir=tmp_path / "cache"
    )
    dense = part.matrices["motorbike"]
    assert len(bm.blocks) == 3
    assert max(len(b) for b in bm.blocks) < len(dense)  # no block over the whole area
    assert bm.cells == sum(len(b) ** 2 for b in bm.blocks)
    for block in bm.blocks:
        rows = [dense.index(p) for p in block.ids]
        assert np.array_equal(block.seconds, dense.seconds[np.ix_(rows, rows)])
        assert block.unpaved is not None and dense.unpaved is not None
        assert np.array_equal(block.unpaved, dense.unpaved[np.ix_(rows, rows)])
    # the cache holds one file per block, no more
    assert len(list((tmp_path / "cache").glob("*.npz"))) == 3
    # every point of every block is found, and a point belongs to one block
    assert set(bm.ids) == set(points["point_id"])
    assert all(bm.blocks_of(p)[0] == owner[p] for p in owner)


def test_a_trip_is_drawn_in_a_block_holding_both_ends(part: types.SimpleNamespace) -> None:
    blocks, owner, points = _blocks(part)
    bm = build_blocked(part.network, points, blocks, owner, mode="walking")
    a, b = blocks[0][0], blocks[0][1]
    line = bm.path(bm.index(a), bm.index(b))
    assert len(line) >= 2
    first = points.set_index("point_id").geometry
    assert line[0] == pytest.approx((first[a].x, first[a].y))
    # two points no block holds together: no line (the map draws a straight one)
    only0 = next(p for p in blocks[0] if bm.blocks_of(p) == [0])
    only2 = next(p for p in blocks[2] if bm.blocks_of(p) == [2])
    assert bm.path(bm.index(only0), bm.index(only2)) == []


def test_a_block_over_the_limit_is_refused_before_any_work(
    part: types.SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks, owner, points = _blocks(part)
    monkeypatch.setattr(blk, "MAX_BLOCK_POINTS", 50)

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("a matrix was built")

    monkeypatch.setattr(blk, "build_matrix", no_work)
    with pytest.raises(InputDataError) as err:
        build_blocked(part.network, points, blocks, owner, mode="walking")
    text = str(err.value)
    assert "more than 50 points" in text
    assert "add volunteers" in text and "routeplan areas" in text


def test_blocked_matrix_repr_names_its_size() -> None:
    bm = BlockedMatrix("walking", (), {})
    assert repr(bm) == "BlockedMatrix(mode='walking', points=0, blocks=0)"
    assert bm.cells == 0 and len(bm) == 0
