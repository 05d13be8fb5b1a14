"""pandas DataFrames of the library's objects.

Needs the ``pandas`` extra (``pip install 'sw-volunteer[pandas]'``); importing this
module without it raises :class:`~sw_volunteer.errors.MissingDependencyError`.
"""

from __future__ import annotations

from sw_volunteer.integrations._simulation_frames import results_to_frame, sweep_to_frame

__all__ = ["results_to_frame", "sweep_to_frame"]
