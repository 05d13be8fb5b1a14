"""The scenario settings that switch off every random process that changes who is there.

With these, a simulation's week 0 is the network's start day as the check sees it.
"""

from __future__ import annotations

NOTHING_RANDOM = {
    "volunteer_dropout_early": 0.0,
    "volunteer_dropout_late": 0.0,
    "worker_turnover_per_year": 0.0,
    "upgrade_per_year": (0.0, 0.0, 0.0),
    "no_show": 0.0,
    "worker_absence": 0.0,
    "client_attendance": 1.0,
    "recruitment_scale": 0.0,
}
