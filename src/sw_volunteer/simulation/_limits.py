"""The staffing limits a simulation measures compliance against, read from a rule pack.

The simulator does not keep its own copy of the rules:
[`StaffingLimits.from_pack`][sw_volunteer.simulation.StaffingLimits.from_pack] reads the numbers
from the parsed parameters ([`sw_volunteer.rules`][sw_volunteer.rules]' parameter models) of the
rules of a pack (the kinds ``max_workers_per_supervisor``, ``max_volunteers_per_supervisor``,
``max_volunteers_on_shift_per_worker``, ``every_volunteer_supervised``, ``client_adult_ratio``,
``adults_present`` and ``supervisor_qualification``), so a user's own pack drives the simulation
exactly as it drives [`sw_volunteer.check`][sw_volunteer.rules.check]. The rules counted are those
in force on the day the scenario starts ([`rules_in_force`][sw_volunteer.simulation.rules_in_force])
at or above a severity floor ([`counted_rules`][sw_volunteer.simulation.counted_rules]): with the
floor ``"error"`` a simulated breach is what makes
[`sw_volunteer.Report.ok`][sw_volunteer.rules.Report.ok] false, with ``"warning"`` warnings count
too.

Example:
    >>> limits = StaffingLimits()
    >>> limits.ratio_for(ClientNeed.PSYCHIATRIC_REHABILITATION, Setting.IN_CENTRE)
    RatioLimit(need=<ClientNeed.PSYCHIATRIC_REHABILITATION: 'psychiatric_rehabilitation'>, ...)
    >>> limits.ratio_for(ClientNeed.COMMUNITY_CORRECTION, Setting.IN_CENTRE) is None
    True
"""

from __future__ import annotations

from datetime import date
from typing import Literal, TypeVar

from pydantic import BaseModel, Field, PositiveInt

from sw_volunteer.errors import RuleConfigurationError
from sw_volunteer.models import Model
from sw_volunteer.rules import (
    AdultsPresent,
    ClientAdultRatio,
    MaxSupervisees,
    Rule,
    RulePack,
    Severity,
    SupervisorQualification,
    adults_of,
)
from sw_volunteer.types import Ratio
from sw_volunteer.vocab import CertificationLevel, ClientNeed, Setting, SupervisionKind

__all__ = [
    "RatioLimit",
    "SeverityFloor",
    "StaffingLimits",
    "counted_rules",
    "rules_in_force",
]

SeverityFloor = Literal["error", "warning", "info"]
"""The least severe rules a simulation counts: ``"error"`` counts only error rules."""

_P = TypeVar("_P", bound=BaseModel)


def rules_in_force(pack: RulePack, day: date | None) -> tuple[Rule, ...]:
    """The rules of ``pack`` that apply on ``day`` (``None``: the day is not known).

    The one place where the simulation selects rules by date, with the check's own
    selection ([`in_force_on`][sw_volunteer.rules.RulePack.in_force_on]); with no day, every
    rule of the pack applies.

    Example:
        >>> from sw_volunteer.rules import pack
        >>> cn = pack("cn-default")
        >>> "volunteers.insurance" in {r.id for r in rules_in_force(cn, date(2013, 11, 18))}
        False
        >>> rules_in_force(cn, None) == cn.rules
        True
    """
    if day is None:
        return pack.rules
    return pack.in_force_on(day)[0].rules


def counted_rules(
    pack: RulePack, *, severity: SeverityFloor = "error", on: date | None = None
) -> tuple[Rule, ...]:
    """The rules a simulation counts: in force on ``on`` and at least as severe as ``severity``.

    The same rules whose violations a check reports at or above that severity, so that
    a simulated breach means what a breach in [`sw_volunteer.check`][sw_volunteer.rules.check]
    means.

    Raises:
        RuleConfigurationError: ``severity`` is not a severity.

    Example:
        >>> from sw_volunteer.rules import pack
        >>> [r.id for r in counted_rules(pack("cn-default")) if r.kind.startswith("max_")]
        ['supervision.workers.error', 'supervision.volunteers.error']
    """
    if severity not in ("error", "warning", "info"):
        raise RuleConfigurationError(
            f"severity must be one of error, warning, info, not {severity!r}"
        )
    floor = Severity(severity)
    return tuple(rule for rule in rules_in_force(pack, on) if rule.severity >= floor)


def _params(rules: tuple[Rule, ...], kind: str, model: type[_P]) -> list[_P]:
    """The parsed parameters of the rules of ``kind``, in pack order."""
    found: list[_P] = []
    for rule in rules:
        if rule.kind == kind:
            params = rule.parsed_params
            if not isinstance(params, model):  # pragma: no cover - the registry fixes it
                raise RuleConfigurationError(f"rule {rule.id!r}: unexpected parameters")
            found.append(params)
    return found


class RatioLimit(Model):
    """The client-to-adult ratio for one client need in one setting.

    Attributes:
        need: The client need.
        setting: Where the session takes place.
        max_clients_per_adult: The most clients one counted adult may look after.
        max_group_size: The most clients in one session, if capped.

    Example:
        >>> limit = RatioLimit(
        ...     need="psychiatric_rehabilitation", setting="outing", max_clients_per_adult=2
        ... )
        >>> limit.max_clients_per_adult, limit.max_group_size
        (2.0, None)
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
    from any pack with [`from_pack`][sw_volunteer.simulation.StaffingLimits.from_pack]. A limit of
    ``None`` never breaches.

    Attributes:
        max_workers_per_supervisor: Social workers one supervisor may supervise.
        max_volunteers_per_supervisor: Volunteers one social worker may guide.
        max_volunteers_on_shift_per_worker: Volunteers on shift per social worker present
            (a warning in ``cn-default``, so no limit by default).
        supervisor_level: The lowest certification that may supervise social workers
            (``none`` when no counted rule asks for one); in a scenario without
            supervision facts, workers below it need a supervisor.
        supervisor_min_years: Years of practice a supervisor of social workers needs.
        guide_level: The lowest certification that may guide volunteers.
        guide_min_years: Years of practice a guide of volunteers needs.
        every_volunteer_guided: Whether a volunteer without a guide is a breach
            (``every_volunteer_supervised`` counted).
        min_adults: Fewest counted adults in a session with clients.
        min_certified_workers: Fewest certified social workers in a session.
        volunteer_weight: How much a trained adult volunteer counts as an adult.
        adult_age: The age from which a volunteer counts as an adult.
        ratios: Client-to-adult ratios by need and setting; a need without one has no
            ratio limit (only ``min_adults`` applies).

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.rules import pack
        >>> limits = StaffingLimits.from_pack(pack("cn-default"))
        >>> limits.span(sv.SupervisionKind.GUIDANCE), limits.span(sv.SupervisionKind.PROFESSIONAL)
        (25, 10)
        >>> ratio = limits.ratio_for(sv.ClientNeed.PSYCHIATRIC_REHABILITATION, sv.Setting.OUTING)
        >>> ratio.max_clients_per_adult
        2.0
    """

    max_workers_per_supervisor: PositiveInt | None = 10
    max_volunteers_per_supervisor: PositiveInt | None = 25
    max_volunteers_on_shift_per_worker: PositiveInt | None = None
    supervisor_level: CertificationLevel = CertificationLevel.NONE
    supervisor_min_years: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    guide_level: CertificationLevel = CertificationLevel.NONE
    guide_min_years: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    every_volunteer_guided: bool = True
    min_adults: int = Field(default=2, ge=0)
    min_certified_workers: int = Field(default=1, ge=0)
    volunteer_weight: float = Field(default=1.0, ge=0, le=1, allow_inf_nan=False)
    adult_age: int = Field(default=18, ge=1, le=30)
    ratios: tuple[RatioLimit, ...] = Field(default_factory=_default_ratios)

    def ratio_for(self, need: ClientNeed | None, setting: Setting) -> RatioLimit | None:
        """The strictest ratio for ``need`` in ``setting``, or ``None`` if there is none."""
        found = [r for r in self.ratios if r.need == need and r.setting == setting]
        if not found:
            return None
        return min(found, key=lambda r: r.max_clients_per_adult)

    def span(self, kind: SupervisionKind) -> int | None:
        """The most supervisees of ``kind`` one supervisor may have (``None``: no limit)."""
        if kind is SupervisionKind.PROFESSIONAL:
            return self.max_workers_per_supervisor
        return self.max_volunteers_per_supervisor

    def qualifies(self, kind: SupervisionKind, level: CertificationLevel, years: float) -> bool:
        """Whether a social worker of ``level`` with ``years`` of practice may supervise ``kind``.

        What ``supervisor_qualification`` checks: every counted rule for the kind holds,
        so the highest level and the most years they ask for.

        Example:
            >>> strict = StaffingLimits(guide_level=CertificationLevel.ASSISTANT)
            >>> strict.qualifies(SupervisionKind.GUIDANCE, CertificationLevel.NONE, 9.0)
            False
        """
        if kind is SupervisionKind.PROFESSIONAL:
            return level >= self.supervisor_level and years >= self.supervisor_min_years
        return level >= self.guide_level and years >= self.guide_min_years

    @classmethod
    def from_pack(
        cls, pack: RulePack, *, severity: SeverityFloor = "error", on: date | None = None
    ) -> StaffingLimits:
        """Read the limits from the rules of ``pack`` (see ``counted_rules``).

        Where several counted rules of a kind apply, the strictest wins. A kind the pack
        does not count keeps no limit (a supervision span then never breaches, anyone
        may supervise) except ``adults_present``, whose absence means no adults are
        required; who counts as an adult (``adult_age``) is then the default of
        [`AdultsPresent`][sw_volunteer.rules.AdultsPresent], as in the check.

        Args:
            pack: The rule pack.
            severity: ``"error"`` (the default) measures breaches of the hard limits;
                ``"warning"`` measures against the stricter recommended limits too.
            on: The day the rules must be in force on.

        Raises:
            RuleConfigurationError: ``severity`` is not a severity.
        """
        rules = counted_rules(pack, severity=severity, on=on)

        def span(kind: str) -> int | None:
            return min((p.limit for p in _params(rules, kind, MaxSupervisees)), default=None)

        qualifications = _params(rules, "supervisor_qualification", SupervisorQualification)

        def level(kind: SupervisionKind) -> CertificationLevel:
            found = [q.min_level for q in qualifications if q.supervisee_kind is kind]
            return max(found, default=CertificationLevel.NONE)

        def years(kind: SupervisionKind) -> float:
            found = [q.min_years for q in qualifications if q.supervisee_kind is kind]
            return max(found, default=0.0)

        adults = _params(rules, "adults_present", AdultsPresent)
        # Who counts as an adult is the pack's first adults_present rule, counted or not,
        # as in the check (CheckContext.adults).
        in_force = pack if on is None else pack.in_force_on(on)[0]
        return cls(
            max_workers_per_supervisor=span("max_workers_per_supervisor"),
            max_volunteers_per_supervisor=span("max_volunteers_per_supervisor"),
            max_volunteers_on_shift_per_worker=span("max_volunteers_on_shift_per_worker"),
            supervisor_level=level(SupervisionKind.PROFESSIONAL),
            supervisor_min_years=years(SupervisionKind.PROFESSIONAL),
            guide_level=level(SupervisionKind.GUIDANCE),
            guide_min_years=years(SupervisionKind.GUIDANCE),
            every_volunteer_guided=any(r.kind == "every_volunteer_supervised" for r in rules),
            min_adults=max((p.min_adults for p in adults), default=0),
            min_certified_workers=max((p.min_certified_workers for p in adults), default=0),
            volunteer_weight=min((p.volunteer_weight for p in adults), default=1.0),
            adult_age=adults_of(in_force).adult_age,
            ratios=tuple(
                RatioLimit(
                    need=p.need,
                    setting=p.setting,
                    max_clients_per_adult=p.max_clients_per_adult,
                    max_group_size=p.max_group_size,
                )
                for p in _params(rules, "client_adult_ratio", ClientAdultRatio)
            ),
        )
