"""Check reports as pandas DataFrames (re-exported by ``pandas``)."""

from __future__ import annotations

from sw_volunteer.errors import MissingDependencyError
from sw_volunteer.integrations._network_frames import _aware_times
from sw_volunteer.rules import Report, Severity

try:
    import pandas as pd
except ImportError as exc:
    raise MissingDependencyError.for_extra("pandas", "pandas") from exc

__all__ = ["report_to_frame"]

_COLUMNS = (
    "code",
    "severity",
    "rule_id",
    "entity",
    "entities",
    "observed",
    "limit",
    "session",
    "message",
    "message_zh",
    "remedy",
    "remedy_zh",
)


def report_to_frame(report: Report) -> pd.DataFrame:
    """One row per violation, ready to group by code, severity or entity.

    ``severity`` is an ordered categorical (``info < warning < error``), so sorting
    puts the worst last and ``frame[frame.severity >= "warning"]`` works; ``entity`` is
    the entity at fault (the first of ``entities``); ``session`` is an aware
    ``datetime64`` column (in the sessions' zone when they share one, else UTC), ``NaT``
    for network-wide rules. Messages name people by id only, as the report does.

    Example:
        >>> import sw_volunteer as sv
        >>> frame = report_to_frame(sv.check(sv.datasets.ruian_2013()))
        >>> frame.groupby("severity", observed=True).size().to_dict()
        {'warning': 2, 'error': 2}
        >>> str(frame["session"].dtype)
        'datetime64[us, +08:00]'
    """
    rows = [
        {
            "code": v.code,
            "severity": v.severity.value,
            "rule_id": v.rule_id,
            "entity": v.entities[0] if v.entities else None,
            "entities": v.entities,
            "observed": v.observed,
            "limit": v.limit,
            "session": None,
            "message": v.message,
            "message_zh": v.message_zh,
            "remedy": v.remedy.render("en") if v.remedy else None,
            "remedy_zh": v.remedy.render("zh") if v.remedy else None,
        }
        for v in report.violations
    ]
    frame = pd.DataFrame(rows, columns=list(_COLUMNS))
    frame["session"] = _aware_times([v.session for v in report.violations], frame.index)
    order = sorted(Severity)
    frame["severity"] = pd.Categorical(
        frame["severity"], categories=[s.value for s in order], ordered=True
    )
    return frame
