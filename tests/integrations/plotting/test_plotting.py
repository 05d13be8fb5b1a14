from __future__ import annotations

import importlib
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection

import sw_volunteer as sv
from sw_volunteer import rules
from sw_volunteer import simulation as sim
from sw_volunteer.errors import MissingDependencyError
from sw_volunteer.integrations import _plotting
from sw_volunteer.integrations.plotting import (
    ComplianceGrid,
    compliance_grid,
    plot_compliance_heatmap,
    plot_fan_chart,
    plot_supervision_graph,
)

TZ = ZoneInfo("Asia/Shanghai")
RUIAN = sv.datasets.ruian_2013()
MONTH = (datetime(2013, 11, 4, tzinfo=TZ), datetime(2013, 12, 2, tzinfo=TZ))


def by_gid(ax, prefix: str) -> list:
    return [
        a
        for a in [*ax.collections, *ax.lines, *ax.images]
        if (a.get_gid() or "").startswith(prefix)
    ]


def points(ax, prefix: str) -> int:
    return sum(len(c.get_offsets()) for c in by_gid(ax, prefix))


def segments(ax, gid: str) -> int:
    found = by_gid(ax, gid)
    return sum(len(c.get_segments()) for c in found if isinstance(c, LineCollection))


def legend_labels(ax) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [t.get_text() for t in legend.get_texts()]


def small_team(supervisees: int) -> sv.Network:
    worker = sv.SocialWorker(id="w1", name="Chen", centre="c", certification="intermediate")
    deputy = sv.SocialWorker(id="w2", name="Lin", centre="c", certification="assistant")
    volunteers = [sv.Volunteer(id=f"v{i}", name="x", centre="c") for i in range(supervisees)]
    edges = [
        sv.Supervision(
            id=f"g{i}", supervisor="w1", supervisee=v.id, kind="guidance", start=date(2013, 1, 1)
        )
        for i, v in enumerate(volunteers)
    ]
    edges.append(
        sv.Supervision(
            id="p1", supervisor="w1", supervisee="w2", kind="professional", start=date(2013, 1, 1)
        )
    )
    return sv.Network(
        centres=[sv.Centre(id="c", name="Centre")],
        workers=[worker, deputy],
        volunteers=volunteers,
        supervisions=edges,
    )


SPAN_LIMIT_2 = [
    rules.Rule(
        id="span",
        kind="max_volunteers_per_supervisor",
        severity="warning",
        params={"limit": 2},
        source="test",
    )
]


# -- supervision graph ----------------------------------------------------------------


def test_every_person_is_drawn_once_coloured_by_certification() -> None:
    ax = plot_supervision_graph(RUIAN)
    assert points(ax, "people:") == len(RUIAN.workers) + len(RUIAN.volunteers)
    levels = Counter(w.certification.value for w in RUIAN.workers)
    for level, count in levels.items():
        assert points(ax, f"people:{level}") == count
    assert points(ax, "people:volunteer") == len(RUIAN.volunteers)
    for level in levels:
        label = sv.CertificationLevel(level).label("en")
        assert any(text.startswith(label) for text in legend_labels(ax))
    assert "volunteer" in legend_labels(ax)


def test_without_a_report_nothing_is_highlighted_and_every_edge_is_drawn() -> None:
    ax = plot_supervision_graph(RUIAN)
    assert by_gid(ax, "breaches") == []
    assert by_gid(ax, "edges:overloaded") == []
    drawn = segments(ax, "edges:guidance") + segments(ax, "edges:professional")
    assert drawn == len(RUIAN.supervisions)
    assert "named in a violation" not in legend_labels(ax)


def test_a_report_rings_everyone_it_names_and_reddens_the_overloaded_supervisors_edges() -> None:
    network = small_team(5)
    report = sv.check(network, SPAN_LIMIT_2, on=date(2013, 11, 18))
    assert report.of_code("supervisor_overloaded_volunteers")  # the premise of the test
    ax = plot_supervision_graph(network, report=report)
    named = {e for v in report.violations for e in v.entities} & {
        p.id for p in (*network.workers, *network.volunteers)
    }
    assert points(ax, "breaches") == len(named)
    # Every guidance edge of w1 is red; its professional edge to w2 is not (the limit
    # is on volunteers guided).
    assert segments(ax, "edges:overloaded") == 5
    assert segments(ax, "edges:professional") == 1
    assert segments(ax, "edges:guidance") == 0
    labels = legend_labels(ax)
    assert "named in a violation" in labels
    assert "edges of an overloaded supervisor" in labels
    assert report.summary() in ax.get_title()


def test_the_ruian_report_highlights_what_it_found() -> None:
    report = sv.check(RUIAN)
    ax = plot_supervision_graph(RUIAN, report=report)
    people = {p.id for p in (*RUIAN.workers, *RUIAN.volunteers)}
    named = {e for v in report.violations for e in v.entities} & people
    assert points(ax, "breaches") == len(named) > 0
    overloaded = {v.entities[0] for v in report.of_code("supervisor_overloaded_volunteers")}
    volunteers = {v.id for v in RUIAN.volunteers}
    expected = sum(
        s.supervisor in overloaded and s.supervisee in volunteers and s.is_active_on(report.on)
        for s in RUIAN.supervisions
    )
    assert segments(ax, "edges:overloaded") == expected > 0


def test_edges_follow_the_day_asked_for() -> None:
    network = small_team(3)
    ended = network.supervisions[0].model_copy(update={"end": date(2013, 6, 30)})
    network = network.with_replaced(ended)
    ax = plot_supervision_graph(network, on=date(2013, 11, 18))
    assert segments(ax, "edges:guidance") == 2
    assert date(2013, 11, 18).isoformat() in ax.get_title()


def test_it_draws_on_the_axes_it_is_given() -> None:
    fig, (left, right) = plt.subplots(1, 2)
    assert plot_supervision_graph(small_team(2), ax=right) is right
    assert not left.collections
    assert right.figure is fig


def test_without_a_chinese_font_ids_stand_in_for_chinese_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_plotting, "_cjk_font", lambda: None)
    # filterwarnings=error would turn a missing-glyph warning into a failure here.
    ax = plot_supervision_graph(RUIAN, report=sv.check(RUIAN), lang="zh")
    ax.figure.canvas.draw()
    texts = [t.get_text() for t in ax.texts]
    assert all(t.isascii() for t in texts)
    assert {c.id for c in RUIAN.centres} <= set(texts)
    assert {w.id for w in RUIAN.workers} <= set(texts)
    assert "volunteer" in legend_labels(ax)  # English legend: zh needs the font


@pytest.mark.skipif(_plotting._cjk_font() is None, reason="no font with Chinese glyphs here")
def test_with_a_chinese_font_names_are_drawn_in_chinese() -> None:
    ax = plot_supervision_graph(RUIAN, lang="zh")
    ax.figure.canvas.draw()
    texts = {t.get_text() for t in ax.texts}
    assert {c.name for c in RUIAN.centres} <= texts
    assert "志愿者" in legend_labels(ax)


# -- fan chart ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def result() -> sim.SimulationResult:
    scenario = sim.Scenario(
        weeks=10,
        centres=[
            sim.CentreStart(
                id="a",
                workers=sim.WorkerCounts(assistant=2),
                volunteers=12,
                recruitment_per_week=0.5,
                clients=10,
                places=10,
            ),
            sim.CentreStart(
                id="b",
                workers=sim.WorkerCounts(intermediate=1),
                volunteers=5,
                recruitment_per_week=0.2,
                clients=4,
                places=4,
            ),
        ],
    )
    return sim.run(scenario, replications=60, seed=11)


def bands(ax) -> list:
    return by_gid(ax, "band:")


def band_limits(band) -> tuple[float, float]:
    ys = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
    return float(ys.min()), float(ys.max())


def test_fan_chart_draws_a_median_and_a_band_per_quantile_pair(result) -> None:
    ax = plot_fan_chart(result, "volunteers")
    series = result.series("volunteers")
    (median,) = by_gid(ax, "median")
    np.testing.assert_allclose(median.get_ydata(), np.quantile(series, 0.5, axis=0))
    np.testing.assert_array_equal(median.get_xdata(), np.arange(result.weeks))
    drawn = {b.get_gid(): b for b in bands(ax)}
    assert set(drawn) == {"band:0.05-0.95", "band:0.25-0.75"}
    low, high = band_limits(drawn["band:0.05-0.95"])
    assert low == pytest.approx(np.quantile(series, 0.05, axis=0).min())
    assert high == pytest.approx(np.quantile(series, 0.95, axis=0).max())
    assert ax.get_xlabel() == "week"
    assert ax.get_ylabel() == "volunteers"
    assert legend_labels(ax) == ["5%–95%", "25%–75%", "median"]


def test_fan_chart_of_one_centre_with_more_bands(result) -> None:
    ax = plot_fan_chart(result, "volunteers", centre="b", quantiles=(0.1, 0.9, 0.2, 0.8, 0.3, 0.7))
    assert len(bands(ax)) == 3
    (median,) = by_gid(ax, "median")
    np.testing.assert_allclose(
        median.get_ydata(), np.quantile(result.series("volunteers", centre="b"), 0.5, axis=0)
    )
    assert "centre b" in ax.get_title()


def test_fan_chart_of_a_derived_metric(result) -> None:
    ax = plot_fan_chart(result, "share_within_ratio", quantiles=(0.25, 0.75))
    assert len(bands(ax)) == 1
    assert ax.get_ylabel() == "share within ratio"


@pytest.mark.parametrize("quantiles", [(0.05, 0.5, 0.95), (0.0, 1.0), (0.2, 0.2), (0.1, 1.5)])
def test_fan_chart_rejects_quantiles_that_do_not_pair(result, quantiles) -> None:
    with pytest.raises(ValueError, match="even number of distinct levels"):
        plot_fan_chart(result, "volunteers", quantiles=quantiles)


# -- compliance heatmap ---------------------------------------------------------------


@pytest.fixture(scope="module")
def statuses() -> list[rules.SessionStatus]:
    return rules.check_schedule(RUIAN, *MONTH)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def test_grid_counts_every_session_in_its_week_and_weekday(statuses) -> None:
    grid = compliance_grid(statuses)
    weeks = sorted({monday(s.roster.start.date()) for s in statuses})
    assert grid.weeks == tuple(weeks)
    assert grid.sessions.shape == (len(weeks), len(grid.columns))
    expected = Counter(
        (monday(s.roster.start.date()), s.roster.start.strftime("%a")) for s in statuses
    )
    short = Counter(
        (monday(s.roster.start.date()), s.roster.start.strftime("%a")) for s in statuses if not s.ok
    )
    for i, week in enumerate(grid.weeks):
        for j, day in enumerate(grid.columns):
            assert grid.sessions[i, j] == expected[week, day]
            assert grid.short[i, j] == short[week, day]
    assert grid.sessions.sum() == len(statuses)


def test_grid_status_is_the_worst_verdict_in_the_cell() -> None:
    grid = ComplianceGrid(
        weeks=(date(2013, 11, 4), date(2013, 11, 11)),
        columns=("Mon", "Tue"),
        labels=("Mon", "Tue"),
        sessions=np.array([[3, 0], [2, 1]]),
        short=np.array([[1, 0], [0, 0]]),
        warned=np.array([[2, 0], [1, 0]]),
    )
    np.testing.assert_array_equal(grid.status, [[3, 0], [2, 1]])


def test_heatmap_image_holds_the_status_of_every_cell(statuses) -> None:
    ax = plot_compliance_heatmap(statuses, network=RUIAN, by="activity")
    grid = compliance_grid(statuses, network=RUIAN, by="activity")
    assert grid.columns == tuple(sorted({s.roster.activity.id for s in statuses}))
    (image,) = by_gid(ax, "compliance")
    shown = image.get_array()
    assert shown.shape == grid.sessions.shape
    np.testing.assert_array_equal(shown.mask, grid.sessions == 0)
    np.testing.assert_array_equal(shown.filled(0), grid.status)
    cell_texts = [t.get_text() for t in ax.texts]
    assert len(cell_texts) == int((grid.sessions > 0).sum())
    assert ax.get_xlabel() == "activity"
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{w:%Y-%m-%d}" for w in grid.weeks]
    assert legend_labels(ax) == [
        "every session staffed",
        "warnings only",
        "a session short of staff (error)",
        "no session",
    ]
    short = sum(not s.ok for s in statuses)
    assert f"{short} of {len(statuses)} sessions" in ax.get_title()


def test_heatmap_by_programme_labels_programmes_by_name_or_id(
    statuses, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_plotting, "_cjk_font", lambda: None)
    ax = plot_compliance_heatmap(statuses, network=RUIAN, by="programme")
    ax.figure.canvas.draw()
    programmes = sorted({s.roster.activity.programme for s in statuses})
    assert [t.get_text() for t in ax.get_xticklabels()] == programmes


def test_heatmap_rejects_an_unknown_grouping(statuses) -> None:
    with pytest.raises(ValueError, match="by must be"):
        compliance_grid(statuses, by="month")  # type: ignore[arg-type]


# -- the extra ------------------------------------------------------------------------


def test_importing_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.delitem(sys.modules, "sw_volunteer.integrations.plotting")
    monkeypatch.delitem(sys.modules, "sw_volunteer.integrations._plotting")
    with pytest.raises(MissingDependencyError, match=r"pip install -e '\.\[plot\]'"):
        importlib.import_module("sw_volunteer.integrations.plotting")
