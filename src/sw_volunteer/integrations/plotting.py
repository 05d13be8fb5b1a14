"""matplotlib figures: the supervision graph, simulation fan charts, a compliance heatmap.

Needs the ``plot`` extra (``pip install -e '.[plot]'``); importing this module
without it raises [`MissingDependencyError`][sw_volunteer.errors.MissingDependencyError].

Every function draws on the ``ax`` it is given (or on a new figure) and returns that
``Axes``; the figure is ``ax.figure``. Nothing here calls
``plt.show()`` or changes matplotlib's global settings, so the functions are safe in
scripts, notebooks and servers alike.

Chinese names (centres, social workers, activities) are drawn when a font that has
Chinese glyphs is installed (for example ``fonts-noto-cjk`` or ``fonts-wqy-microhei``);
without one the figures fall back to the entities' ids, which are plain ASCII.
"""

from __future__ import annotations

from sw_volunteer.integrations._plotting import (
    ComplianceGrid,
    compliance_grid,
    plot_compliance_heatmap,
    plot_fan_chart,
    plot_supervision_graph,
)

__all__ = [
    "ComplianceGrid",
    "compliance_grid",
    "plot_compliance_heatmap",
    "plot_fan_chart",
    "plot_supervision_graph",
]
