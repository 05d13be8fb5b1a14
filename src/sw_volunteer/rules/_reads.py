"""What each rule kind reads of a network: the declaration re-checks trust.

A [`Checker`][sw_volunteer.rules.Checker] re-evaluates, after an edit, only the rules
whose declared collections changed, and, for a rule declared ``per`` a collection,
only the entities of that collection that changed. A kind that declares nothing is
evaluated again after every edit: a user's rule kind is always right, if not fast.

Example:
    >>> reads_of("guardian_consent").per
    'volunteers'
    >>> print(reads_of("a_kind_nobody_declared"))
    None
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast

from sw_volunteer.vocab import SupervisionKind

if TYPE_CHECKING:
    from sw_volunteer.rules._context import CheckContext
    from sw_volunteer.rules._declarations import Rule
    from sw_volunteer.rules._params import SupervisorQualification
    from sw_volunteer.rules._violations import Violation

__all__ = ["SESSION_READS", "Reads", "declare_reads", "reads_of"]


@dataclass(frozen=True, slots=True)
class Reads:
    """The collections a rule kind's evaluator reads (besides the day and the pack).

    Attributes:
        collections: Network collections (``"volunteers"``, ``"supervisions"``, ...)
            whose change can change the rule's violations.
        per: For a network rule: each violation is about one entity of this
            collection, named first in its ``entities``, and depends on that entity
            alone (then only the changed entities are evaluated again). For a session
            rule, ``"activities"``: each session's violations depend on the session,
            the people, clients and programme it names, and who is booked elsewhere.
            ``"supervisors"``: each violation is about one supervisor (named first)
            and their active supervisees of one kind (``supervision_kind``), in
            the order of ``CheckContext.supervisees_by_supervisor``, and depends on
            them and on the social workers of the supervisor's centre and their
            supervisees only (then only the centres that changed are evaluated again).
            ``"centres"``: each violation is about one centre (named first) and the
            volunteers named after it, and depends on them, on the social workers of the
            centre and their supervisees only (then, when social workers were replaced
            on the same days, volunteers added or removed, with their guidance edges,
            only the centres whose volunteers, workers or guidance loads changed are
            evaluated again, on the volunteers to name).
            ``"supervision_edges"``: at most one violation per active professional edge,
            in the order of ``CheckContext.professional_supervisions``, naming its
            supervisor and supervisee first, and depending on them and on the social
            workers of the supervisee's centre only (then, when only social workers were
            replaced, on the same days, with the same edges, only the edges of those
            workers and of their centres' people are evaluated again).
            ``"supervisees"``: each violation is about one supervisee (named first) and
            depends on that supervisee's active edges only, listed in the order of each
            supervisee's first active edge (then, while the rule finds nothing, edges
            removed, people gone off the roster, and edges added to people added with
            them, are evaluated on those edges alone; anything else, whole again).
            A network rule declared ``per`` a collection that reads others too (through
            the ids its entities name, see ``named``) is evaluated again whole when
            what it reads of them changed.
        fields: See below.

    Example:
        >>> reads = reads_of("max_volunteers_per_supervisor")
        >>> sorted(reads.collections), reads.per
        (['supervisions', 'volunteers', 'workers'], 'supervisors')
    """

    collections: frozenset[str]
    per: str | None = None
    fields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """For some of the collections, the only fields read: an entity replaced by one
    that agrees on them changes nothing for the rule."""
    only: Mapping[str, Callable[[Any], bool]] = field(default_factory=dict)
    """For some of the collections, which of their entities the rule reads: a change
    of others changes nothing for it (e.g. only professional supervision edges)."""
    supervision_kind: Callable[[Rule], SupervisionKind] | None = None
    """For ``per="supervisors"``: the kind of supervisees a rule's violations are about."""
    named: frozenset[str] = frozenset()
    """Collections read only through the ids that entities of the others name (e.g. the
    activity a service record names): adding or removing one of their entities changes
    nothing by itself (whatever names it is changed too); replacing one does."""
    tail: Callable[[Rule, Any, CheckContext], Iterable[Violation]] | None = None
    """For ``per="supervisors"``: the violations listed after the supervisors' (about no
    supervisor: ``tail_codes``), evaluated alone, whole again when any of ``tail_reads``
    changed (for ``"workers"``: when social workers came or went); ``collections`` are
    then what the supervisors' violations read."""
    tail_codes: frozenset[str] = frozenset()
    tail_reads: frozenset[str] = frozenset()


SESSION_READS = Reads(
    frozenset({"activities", "workers", "volunteers", "clients", "programmes"}), per="activities"
)
"""What a session rule may read: the session and the entities it names."""


_ROSTER = frozenset({"joined", "left"})
_SUPERVISION = Reads(
    frozenset({"supervisions", "workers", "volunteers"}),
    fields={
        "workers": _ROSTER | {"centre", "certification", "practice_since"},
        "volunteers": _ROSTER | {"centre", "birth_date"},
    },
)
_PROFESSIONAL = Reads(
    frozenset({"supervisions", "workers"}),
    fields={"workers": _SUPERVISION.fields["workers"]},
    only={"supervisions": lambda s: s.kind is SupervisionKind.PROFESSIONAL},
)
"""Rules on professional supervision: social workers and the edges between them."""


def _external_supervisors(rule: Rule, params: Any, ctx: CheckContext) -> Iterable[Violation]:
    """The violations of ``supervisor_qualification`` about external supervisors."""
    # imported when first used: the rule kinds register in the package's own order
    from sw_volunteer.rules._practice_records import external_supervisors

    return external_supervisors(rule, params, ctx)


_SESSION_TIMES = frozenset({"schedule", "start", "end"})
_PER_RECORD = Reads(frozenset({"service_records"}), per="service_records")
"""Rules on each service record alone (as corrected)."""
_READS: dict[str, Reads] = {
    "max_workers_per_supervisor": replace(
        _SUPERVISION,
        per="supervisors",
        supervision_kind=lambda _: SupervisionKind.PROFESSIONAL,
    ),
    "max_volunteers_per_supervisor": replace(
        _SUPERVISION, per="supervisors", supervision_kind=lambda _: SupervisionKind.GUIDANCE
    ),
    # per supervisor, then the external supervisors of the month's supervision sessions
    # (on no roster: they are the tail, evaluated again when the sessions change)
    "supervisor_qualification": replace(
        _SUPERVISION,
        per="supervisors",
        supervision_kind=lambda rule: (
            cast("SupervisorQualification", rule.parsed_params).supervisee_kind
        ),
        tail=_external_supervisors,
        tail_codes=frozenset(
            {"external_supervisor_underqualified", "external_supervisor_undeclared"}
        ),
        tail_reads=frozenset({"supervision_sessions", "workers"}),
    ),
    "supervisor_level_at_least_supervisee": replace(_PROFESSIONAL, per="supervision_edges"),
    # who is on the roster and the edges between them: nobody's level, centre or age
    "no_supervision_cycles": replace(_PROFESSIONAL, fields={"workers": _ROSTER}),
    "single_primary_supervisor": replace(
        _SUPERVISION,
        per="supervisees",
        fields={"workers": _ROSTER, "volunteers": _ROSTER | {"birth_date"}},
    ),
    "every_volunteer_supervised": replace(_SUPERVISION, per="centres"),
    "caseload_limit": Reads(
        frozenset({"assignments", "clients", "workers"}),
        fields={"workers": _ROSTER | {"centre"}, "clients": frozenset({"needs"})},
    ),
    "minimum_volunteer_age": Reads(frozenset({"volunteers"}), per="volunteers"),
    "guardian_consent": Reads(frozenset({"volunteers"}), per="volunteers"),
    # Each violation is about one person (named first): the sessions or training records of
    # the month or period are read whole, so a change to them re-runs the rule.
    "supervision_hours_per_month": Reads(
        frozenset({"workers", "supervision_sessions"}),
        per="workers",
        fields={"workers": _ROSTER | {"certification"}},
    ),
    "continuing_education_hours": Reads(
        frozenset({"workers", "training_records"}),
        per="workers",
        fields={"workers": _ROSTER | {"certification", "certified_on"}},
    ),
    "volunteer_induction_hours": Reads(
        frozenset({"volunteers", "training_records"}),
        per="volunteers",
        fields={"volunteers": _ROSTER | {"trained"}},
    ),
    "service_record_fields": _PER_RECORD,
    "record_correction_reason": _PER_RECORD,
    "service_time_excludes_travel": Reads(  # each record and the sessions of its activity
        frozenset({"service_records", "activities"}),
        per="service_records",
        fields={"activities": _SESSION_TIMES},
        named=frozenset({"activities"}),
    ),
    "volunteer_star_levels": Reads(  # every record counted: sessions held, absences
        frozenset({"service_records", "activities", "absences"}),
        fields={"activities": _SESSION_TIMES},
        named=frozenset({"activities"}),
    ),
    **dict.fromkeys(
        (
            "adults_present",
            "client_adult_ratio",
            "max_volunteers_on_shift_per_worker",
            "minors_accompanied",
            "no_minors_in_risky_activities",
            "insurance_for_risky_activities",
            "background_check_for_children",
            "professional_tasks_qualified",
            "no_double_booking",
            # not outing_transport: a vehicle's driver may be someone the session does not name
            "outing_guardian_consent",
            "outing_risk_papers",
        ),
        SESSION_READS,
    ),
}


def declare_reads(
    kind: str,
    collections: Iterable[str],
    *,
    per: str | None = None,
    fields: Mapping[str, Iterable[str]] | None = None,
    named: Iterable[str] = (),
) -> Reads:
    """Declare what the evaluator of rule kind ``kind`` reads, for re-checks after edits.

    Args:
        kind: The rule kind.
        collections: The network collections whose changes can change its violations.
        per: See ``Reads.per``; a session rule passes
            ``"activities"``.
        fields: See ``Reads.fields``.
        named: See ``Reads.named``.

    Example:
        >>> declare_reads("my_kind", ["volunteers"]).collections
        frozenset({'volunteers'})
    """
    reads = Reads(
        frozenset(collections),
        per,
        {name: frozenset(names) for name, names in (fields or {}).items()},
        named=frozenset(named),
    )
    _READS[kind] = reads
    return reads


def reads_of(kind: str) -> Reads | None:
    """What ``kind`` declared it reads (``None``: nothing declared, read everything).

    Example:
        >>> sorted(reads_of("max_volunteers_per_supervisor").collections)
        ['supervisions', 'volunteers', 'workers']
        >>> reads_of("service_record_fields").per
        'service_records'
        >>> reads_of("a_kind_nobody_declared") is None  # re-evaluated after every edit
        True
    """
    return _READS.get(kind)
