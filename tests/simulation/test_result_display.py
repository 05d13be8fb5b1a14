from __future__ import annotations

import math
from html.parser import HTMLParser

from sw_volunteer import simulation as sim


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):  # noqa: ARG002 - attributes are not shown
        if tag == "tr":
            self.rows.append([])
        self._in_cell = tag in {"td", "th"}
        if self._in_cell:
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag in {"td", "th"}:
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.rows[-1][-1] += data


def test_the_html_table_has_every_metric_with_its_mean_ci_and_last_week():
    scenario = sim.Scenario(
        weeks=6,
        centres=[sim.CentreStart(id="a", volunteers=25, clients=10), sim.CentreStart(id="b")],
    )
    result = sim.run(scenario, replications=30, seed=3)
    parser = _Cells()
    parser.feed(result._repr_html_())
    header, *rows = parser.rows
    assert header[0] == "metric"
    assert [row[0] for row in rows] == list(result.metrics)
    for metric, mean, interval, last in rows:
        summary = result.summary(metric)
        low, high = (float(x) for x in interval.split(" to "))
        shown = float(mean)
        if math.isnan(summary.overall_mean):
            assert math.isnan(shown)
            continue
        # Three significant figures: the shown value is within half a unit of the third.
        assert math.isclose(shown, summary.overall_mean, rel_tol=5e-3, abs_tol=1e-12)
        assert math.isclose(low, summary.overall_ci[0], rel_tol=5e-3, abs_tol=1e-12)
        assert math.isclose(high, summary.overall_ci[1], rel_tol=5e-3, abs_tol=1e-12)
        assert math.isclose(float(last), summary.mean[-1], rel_tol=5e-3, abs_tol=1e-12)
