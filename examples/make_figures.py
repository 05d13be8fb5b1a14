"""Render one figure of each kind for the Rui'an network into a folder.

Usage: ``python examples/make_figures.py OUT_DIR`` (needs the ``plot`` extra). Writes
``supervision_graph.png``, ``fan_chart.png`` and ``compliance_heatmap.png``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib as mpl

mpl.use("Agg")  # a script that writes files needs no window

import matplotlib.pyplot as plt

import sw_volunteer as sv
from sw_volunteer import simulation as sim
from sw_volunteer.integrations.plotting import (
    plot_compliance_heatmap,
    plot_fan_chart,
    plot_supervision_graph,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the PNG files into")
    parser.add_argument("--dpi", type=int, default=120)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    network = sv.datasets.ruian_2013()

    report = sv.check(network)
    ax = plot_supervision_graph(network, report=report)
    written = [_save(ax, args.out / "supervision_graph.png", args.dpi)]

    scenario = sim.Scenario.from_network(network, weeks=26)
    result = sim.run(scenario, replications=200, seed=2013)
    ax = plot_fan_chart(result, "volunteers")
    written.append(_save(ax, args.out / "fan_chart.png", args.dpi))

    statuses = sv.rules.check_schedule(
        network, datetime(2013, 11, 4, tzinfo=SHANGHAI), datetime(2013, 12, 2, tzinfo=SHANGHAI)
    )
    ax = plot_compliance_heatmap(statuses, network=network, by="activity")
    written.append(_save(ax, args.out / "compliance_heatmap.png", args.dpi))

    for path in written:
        print(path)
    return 0


def _save(ax: plt.Axes, path: Path, dpi: int) -> Path:
    figure = ax.get_figure()
    assert figure is not None  # noqa: S101 - an Axes that was drawn on belongs to a figure
    figure.savefig(path, dpi=dpi)
    plt.close(figure)  # type: ignore[arg-type]
    return path


if __name__ == "__main__":
    sys.exit(main())
