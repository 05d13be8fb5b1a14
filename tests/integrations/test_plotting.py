from __future__ import annotations

import importlib
import io
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import sw_volunteer as sv
from sw_volunteer import rules
from sw_volunteer import simulation as sim

pytest.importorskip("matplotlib")

from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_hex

from sw_volunteer.integrations import plotting

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def ruian():
    return sv.datasets.ruian_2013()


def _scatter(ax, label) -> PathCollection:
    [found] = [
        c for c in ax.collections if isinstance(c, PathCollection) and c.get_label() == label
    ]
    return found


def _png(ax) -> bytes:
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=40)
    return buffer.getvalue()


def test_the_supervision_graph_places_every_person_once_and_labels_centres_by_id(ruian):
    ax = plotting.plot_supervision(ruian)
    assert len(_scatter(ax, "social workers").get_offsets()) == len(ruian.workers)
    assert len(_scatter(ax, "volunteers").get_offsets()) == len(ruian.volunteers)
    assert [t.get_text() for t in ax.texts] == [c.id for c in ruian.centres]
    assert _png(ax).startswith(b"\x89PNG")


def test_the_supervision_graph_draws_each_current_edge_in_the_style_of_its_kind(ruian):
    day = ruian.info.as_of
    ax = plotting.plot_supervision(ruian)
    [lines] = [c for c in ax.collections if isinstance(c, LineCollection)]
    current = [s for s in ruian.supervisions if s.is_active_on(day)]
    assert len(lines.get_segments()) == len(current)
    dotted = sum(1 for style in lines.get_linestyles() if style[1] is not None)
    guidance = sum(s.kind is sv.SupervisionKind.GUIDANCE for s in current)
    assert dotted == guidance


def test_people_named_by_a_violation_are_outlined_and_nobody_else(ruian):
    report = sv.check(ruian)
    flagged = {e for v in report.violations for e in v.entities}
    ax = plotting.plot_supervision(ruian, report=report)
    for label, people in (("social workers", ruian.workers), ("volunteers", ruian.volunteers)):
        outlines = [to_hex(c) for c in _scatter(ax, label).get_edgecolors()]
        highlighted = {p.id for p, c in zip(people, outlines, strict=True) if c == "#d62728"}
        assert highlighted == {p.id for p in people} & flagged
    assert {"yucai-w01", "liqun-v23", "liqun-v24", "yucai-v07"} <= flagged


def test_the_supervision_graph_can_label_centres_by_name(ruian):
    ax = plotting.plot_supervision(ruian, labels="name")
    assert [t.get_text() for t in ax.texts] == [c.name for c in ruian.centres]
    assert ax.get_title() == ruian.info.title


@pytest.fixture(scope="module")
def result():
    scenario = sim.Scenario(
        weeks=12, centres=[sim.CentreStart(id="a", volunteers=30), sim.CentreStart(id="b")]
    )
    return sim.run(scenario, replications=40, seed=11)


def test_the_fan_chart_draws_the_median_and_one_band_per_quantile_pair(result):
    ax = plotting.plot_fan_chart(result, "volunteers", quantiles=((0.1, 0.9), (0.25, 0.75)))
    series = result.series("volunteers")
    [median] = ax.lines
    assert median.get_label() == "median"
    np.testing.assert_array_equal(median.get_xdata(), np.arange(1, 13))
    np.testing.assert_array_equal(median.get_ydata(), np.median(series, axis=0))
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert [b.get_label() for b in bands] == ["10%-90%", "25%-75%"]
    for band, (low, high) in zip(bands, ((0.1, 0.9), (0.25, 0.75)), strict=True):
        ys = band.get_paths()[0].vertices[:, 1]
        assert ys.min() == pytest.approx(np.quantile(series, low, axis=0).min())
        assert ys.max() == pytest.approx(np.quantile(series, high, axis=0).max())
    assert ax.get_xlabel() == "week"
    assert _png(ax).startswith(b"\x89PNG")


def test_the_fan_chart_can_show_one_centre(result):
    ax = plotting.plot_fan_chart(result, "volunteers", centre="a")
    np.testing.assert_array_equal(
        ax.lines[0].get_ydata(), np.median(result.series("volunteers", centre="a"), axis=0)
    )
    assert "(a)" in ax.get_title()


def test_the_heatmap_shows_the_share_of_sessions_kept_per_activity_and_week(ruian):
    statuses = rules.check_schedule(
        ruian, datetime(2013, 11, 4, tzinfo=SHANGHAI), datetime(2013, 11, 25, tzinfo=SHANGHAI)
    )
    ax = plotting.plot_compliance_heatmap(statuses)
    [image] = ax.images
    grid = image.get_array()
    rows = [t.get_text() for t in ax.get_yticklabels()]
    columns = [t.get_text() for t in ax.get_xticklabels()]
    assert columns == ["2013-11-04", "2013-11-11", "2013-11-18"]
    assert rows == sorted({s.roster.activity.id for s in statuses})
    for i, activity in enumerate(rows):
        for j, monday in enumerate(columns):
            week = [
                s
                for s in statuses
                if s.roster.activity.id == activity
                and 0 <= (s.roster.start.date() - date.fromisoformat(monday)).days < 7
            ]
            if not week:
                assert grid.mask[i, j]
            else:
                assert grid[i, j] == pytest.approx(sum(s.ok for s in week) / len(week))
    assert _png(ax).startswith(b"\x89PNG")


def test_a_missing_matplotlib_raises_the_error_that_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    for name in [m for m in sys.modules if m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "sw_volunteer.integrations.plotting")
    with pytest.raises(sv.MissingDependencyError, match=r"sw-volunteer\[plot\]"):
        importlib.import_module("sw_volunteer.integrations.plotting")
