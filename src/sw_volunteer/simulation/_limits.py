"""The staffing limits a simulation measures compliance against, read from a rule pack.

The simulator does not keep its own copy of the rules: :meth:`StaffingLimits.from_pack`
reads the numbers from the rules of a pack (the kinds ``max_workers_per_supervisor``,
``max_volunteers_per_supervisor``, ``max_volunteers_on_shift_per_worker``,
``client_adult_ratio``, ``adults_present`` and ``supervisor_qualification``), so a
user's own pack drives the simulation exactly as it drives :func:`sw_volunteer.check`.

Example:
    >>> limits = StaffingLimits()
    >>> limits.ratio_for(ClientNeed.PSYCHIATRIC_REHABILITATION, Setting.IN_CENTRE)
    RatioLimit(need=<ClientNeed.PSYCHIATRIC_REHABILITATION: 'psychiatric_rehabilitation'>, ...)
    >>> limits.ratio_for(ClientNeed.COMMUNITY_CORRECTION, Setting.IN_CENTRE) is None
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, PositiveInt

from sw_volunteer.errors import RuleConfigurationError
from sw_volunteer.models import Model
from sw_volunteer.rules import RulePack, Severity
from sw_volunteer.types import Ratio
from sw_volunteer.vocab import CertificationLevel, ClientNeed, Setting

__all__ = ["RatioLimit", "SeverityFloor", "StaffingLimits"]

SeverityFloor = Literal["error", "warning", "info"]
"""The least severe rules a simulation counts: ``"error"`` counts only error rules."""


class RatioLimit(Model):
    """The client-to-adult ratio for one client need in one setting.

    Attributes:
        need: The client need.
        setting: Where the session takes place.
        max_clients_per_adult: The most clients one counted adult may look after.
        max_group_size: The most clients in one session, if capped.
    """

    need: ClientNeed
    setting: Setting
    max_clients_per_adult: Ratio
    max_group_size: PositiveInt | None = None


def _default_ratios() -> tuple[RatioLimit, ...]:
    table: list[tuple[ClientNeed, float, int | None, float]] = [
        (ClientNeed.PSYCHIATRIC_REHABILITATION, 6, None, 2),
        (ClientNeed.INTELLECTUAL_DISABILITY, 4, None, 2),
        (ClientNeed.ELDERLY_INDEPENDENT, 8, None, 4),
        (ClientNeed.ELDERLY_FRAIL, 4, None, 2),
        (ClientNeed.CHILD_6_8, 10, 20, 6),
        (ClientNeed.CHILD_9_12, 12, 24, 8),
        (ClientNeed.CHILD_13_17, 15, None, 10),
    ]
    ratios: list[RatioLimit] = []
    for need, in_centre, group, outing in table:
        ratios.append(
            RatioLimit(
                need=need,
                setting=Setting.IN_CENTRE,
                max_clients_per_adult=in_centre,
                max_group_size=group,
            )
        )
        ratios.append(RatioLimit(need=need, setting=Setting.OUTING, max_clients_per_adult=outing))
    return tuple(ratios)


class StaffingLimits(Model):
    """The numbers a simulation checks every week and every session.

    The defaults are the error limits of the ``cn-default`` rule pack; build the limits
    from any pack with :meth:`from_pack`. A limit of ``None`` never breaches.

    Attributes:
        max_workers_per_supervisor: Social workers one supervisor may supervise.
        max_volunteers_per_supervisor: Rostered volunteers one certified social worker
            may guide.
        max_volunteers_on_shift_per_worker: Volunteers on shift per social worker present
            (a warning in ``cn-default``, so no limit by default).
        supervisor_level: The lowest certification that may supervise social workers;
            workers below it need a supervisor.
        min_adults: Fewest counted adults in a session with clients.
        min_certified_workers: Fewest certified social workers in a session.
        volunteer_weight: How much a trained adult volunteer counts as an adult.
        ratios: Client-to-adult ratios by need and setting; a need without one has no
            ratio limit (only ``min_adults`` applies).
    """

    max_workers_per_supervisor: PositiveInt | None = 10
    max_volunteers_per_supervisor: PositiveInt | None = 25
    max_volunteers_on_shift_per_worker: PositiveInt | None = None
    supervisor_level: CertificationLevel = CertificationLevel.INTERMEDIATE
    min_adults: int = Field(default=2, ge=0)
    min_certified_workers: int = Field(default=1, ge=0)
    volunteer_weight: float = Field(default=1.0, ge=0, le=1, allow_inf_nan=False)
    ratios: tuple[RatioLimit, ...] = Field(default_factory=_default_ratios)

    def ratio_for(self, need: ClientNeed | None, setting: Setting) -> RatioLimit | None:
        """The strictest ratio for ``need`` in ``setting``, or ``None`` if there is none."""
        found = [r for r in self.ratios if r.need == need and r.setting == setting]
        if not found:
            return None
        return min(found, key=lambda r: r.max_clients_per_adult)

    @classmethod
    def from_pack(cls, pack: RulePack, *, severity: SeverityFloor = "error") -> StaffingLimits:
        """Read the limits from the rules of ``pack``.

        Only rules at least as severe as ``severity`` count; where several rules of a kind
        count, the strictest wins. A kind the pack does not declare keeps no limit (a
        supervision span then never breaches) except ``adults_present``, whose absence
        means no adults are required.

        Args:
            pack: The rule pack.
            severity: ``"error"`` (the default) measures breaches of the hard limits;
                ``"warning"`` measures against the stricter recommended limits too.

        Raises:
            RuleConfigurationError: ``severity`` is not a severity.
        """
        try:
            floor = Severity(severity)
        except ValueError:
            raise RuleConfigurationError(
                f"severity must be one of error, warning, info, not {severity!r}"
            ) from None

        def params_of(kind: str) -> list[Mapping[str, Any]]:
            return [
                dict(rule.params) for rule in pack.rules_of_kind(kind) if rule.severity >= floor
            ]

        values: dict[str, Any] = {}
        for kind in (
            "max_workers_per_supervisor",
            "max_volunteers_per_supervisor",
            "max_volunteers_on_shift_per_worker",
        ):
            found = params_of(kind)
            values[kind] = min((int(p["limit"]) for p in found), default=None)
        adults = params_of("adults_present")
        values["min_adults"] = max((int(p.get("min_adults", 2)) for p in adults), default=0)
        values["min_certified_workers"] = max(
            (int(p.get("min_certified_workers", 1)) for p in adults), default=0
        )
        values["volunteer_weight"] = min(
            (float(p.get("volunteer_weight", 1.0)) for p in adults), default=1.0
        )
        levels = [
            CertificationLevel(p.get("min_level", CertificationLevel.ASSISTANT))
            for p in params_of("supervisor_qualification")
            if str(p.get("supervisee_kind")) == "professional"
        ]
        values["supervisor_level"] = max(levels, default=CertificationLevel.INTERMEDIATE)
        values["ratios"] = tuple(
            RatioLimit(
                need=ClientNeed(p["need"]),
                setting=Setting(p["setting"]),
                max_clients_per_adult=float(p["max_clients_per_adult"]),
                max_group_size=p.get("max_group_size"),
            )
            for p in params_of("client_adult_ratio")
        )
        return cls(**values)
