"""The smallest network with a session to staff, for examples and first experiments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sw_volunteer.models import Network

__all__ = ["after_school_session"]

SESSION_START = datetime(2013, 11, 18, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
"""When the session starts: a Monday of the 4:30 school's term, at 16:30."""


def after_school_session(volunteers: Sequence[str] = ("v1", "v2")) -> Network:
    """One two-hour after-school session for a child of 10, one certified social worker.

    Centre ``c``, worker ``w`` (assistant social worker), volunteers named by
    ``volunteers``, client ``k`` (needs ``child_9_12``), programme ``p`` and activity
    ``a`` (2013-11-18 16:30–18:30, Asia/Shanghai). Synthetic: it exists so that the
    examples of the planner and the roster fit in a few lines.

    Example:
        >>> net = after_school_session(("v",))
        >>> [v.id for v in net.volunteers], net.activities[0].start.isoformat()
        (['v'], '2013-11-18T16:30:00+08:00')
    """
    return Network.model_validate(
        {
            "centres": [{"id": "c", "name": "C"}],
            "workers": [{"id": "w", "name": "W", "centre": "c", "certification": "assistant"}],
            "volunteers": [{"id": v, "name": "V", "centre": "c"} for v in volunteers],
            "clients": [{"id": "k", "name": "K", "centre": "c", "needs": ["child_9_12"]}],
            "programmes": [
                {"id": "p", "name": "P", "centre": "c", "service_area": "after_school_care"}
            ],
            "activities": [
                {
                    "id": "a",
                    "name": "A",
                    "programme": "p",
                    "start": SESSION_START,
                    "end": SESSION_START + timedelta(hours=2),
                    "clients": ["k"],
                }
            ],
        }
    )
