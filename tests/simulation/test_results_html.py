from __future__ import annotations

import math
from html.parser import HTMLParser

import pytest

from sw_volunteer import simulation as sim
from sw_volunteer.simulation import _results


class _Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.headers: list[str] = []
        self.title = ""
        self._cell: list[str] | None = None
        self._where = ""

    def handle_starttag(self, tag, _attrs):
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell, self._where = [], tag
        if tag == "strong":
            self._cell, self._where = [], "strong"

    def handle_endtag(self, tag):
        if self._cell is None or tag not in ("td", "th", "strong"):
            return
        text = " ".join("".join(self._cell).split())
        if self._where == "strong":
            self.title = text
        elif self._where == "th":
            self.headers.append(text)
        else:
            self.rows[-1].append(text)
        self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table(markup: str) -> _Table:
    parsed = _Table()
    parsed.feed(markup)
    parsed.rows = [r for r in parsed.rows if r]
    return parsed


SCENARIO = sim.Scenario(
    weeks=6,
    centres=[
        sim.CentreStart(
            id="liqun",
            workers=sim.WorkerCounts(assistant=5, intermediate=1),
            volunteers=20,
            recruitment_per_week=0.5,
            clients=30,
            places=30,
            need="psychiatric_rehabilitation",
        ),
        sim.CentreStart(id="yucai", workers=sim.WorkerCounts(intermediate=4), volunteers=78),
    ],
)


@pytest.fixture(scope="module")
def result() -> sim.SimulationResult:
    return sim.run(SCENARIO, replications=40, seed=2013)


def fmt(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.4g}"


def test_result_table_has_a_row_per_main_metric_with_mean_and_ci(result) -> None:
    parsed = table(result._repr_html_())
    for expected in ("6 weeks", "40 replications", "seed 2013", "liqun, yucai"):
        assert expected in parsed.title
    assert parsed.headers[:3] == ["metric (all centres)", "mean", "95% CI"]
    by_metric = {row[0]: row[1:] for row in parsed.rows}
    assert list(by_metric) == [m.replace("_", " ") for m in _results._TABLE_METRICS]
    for metric in _results._TABLE_METRICS:
        summary = result.summary(metric)
        mean, ci, first, last = by_metric[metric.replace("_", " ")]
        assert mean == fmt(summary.overall_mean)
        if math.isnan(summary.overall_ci[0]):
            assert ci == "—"
        else:
            assert ci == f"[{fmt(summary.overall_ci[0])}, {fmt(summary.overall_ci[1])}]"
            assert summary.overall_ci[0] <= summary.overall_mean <= summary.overall_ci[1]
        assert first == fmt(float(summary.mean[0]))
        assert last == fmt(float(summary.mean[-1]))


def test_sweep_table_has_a_row_per_point() -> None:
    grid = {"centres.liqun.recruitment_per_week": [0.0, 2.0]}
    sweep = sim.sweep(SCENARIO, grid, replications=20, seed=7)
    parsed = table(sweep._repr_html_())
    assert "2 points" in parsed.title
    assert parsed.headers[0] == "centres.liqun.recruitment_per_week"
    assert [row[0] for row in parsed.rows] == ["0.0", "2.0"]
    for row, (_, point_result) in zip(parsed.rows, sweep, strict=True):
        assert len(row) == 1 + len(_results._SWEEP_TABLE_METRICS)
        volunteers = point_result.summary("volunteers")
        assert row[1].startswith(fmt(volunteers.overall_mean) + " [")
    # More recruits, more volunteers: the table shows the sweep's effect.
    means = [float(row[1].split(" ")[0]) for row in parsed.rows]
    assert means[1] > means[0]


def test_numbers_without_a_value_show_a_dash() -> None:
    assert _results._number(float("nan")) == "—"
    assert _results._interval((float("nan"), 1.0)) == "—"
    assert _results._number(1 / 3) == "0.3333"
