"""Redaction: a network safe to share, still valid and still checkable.

What happens to each value is decided by the sensitivity tag of its field
([`sw_volunteer.models.sensitive_fields`][sw_volunteer.models.sensitive_fields]); a field added with
a tag is handled without any change here.
"""

from __future__ import annotations

import typing
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any, Literal

from pydantic.fields import FieldInfo

from sw_volunteer.errors import InputError, Problem
from sw_volunteer.models import (
    Activity,
    Client,
    Entity,
    Model,
    Network,
    age_on,
    sensitive_fields,
)
from sw_volunteer.models._base import REDACTED_AS_KEY
from sw_volunteer.privacy._bands import DEFAULT_AGE_BANDS, AgeBands
from sw_volunteer.privacy._kanon import (
    DEFAULT_PROFILE,
    PEOPLE,
    RULE_AGE_BANDS,
    Redaction,
    RedactionProfile,
    generalise,
    group_sizes,
    release_signatures,
)
from sw_volunteer.privacy._keys import Pseudonyms
from sw_volunteer.scheduling import ADULT_AGE
from sw_volunteer.types import EntityId
from sw_volunteer.vocab import Sensitivity

__all__ = [
    "KEPT_ID_COLLECTIONS",
    "BirthDatePrecision",
    "coarsen_birth_date",
    "pseudonymous_ids",
    "redact",
    "redact_with_report",
]

BirthDatePrecision = Literal["year", "age_band"]
"""How far birth dates are coarsened: to their year, or to an age band on a given day."""

KEPT_ID_COLLECTIONS: tuple[str, ...] = ("centres", "programmes", "workers")
"""Collections whose ids redaction keeps: organisations, their programmes and posts.

Every other id is pseudonymised: the people with sensitive fields, and the activities,
supervisions and case assignments, whose ids often embed the ids of the people they
relate. The kept ones are public by nature (the HSDS export publishes centres and
programmes) and social workers act in a professional role.
"""

_ID_CONSTRAINTS = typing.get_args(EntityId)[1]


def redact(
    network: Network,
    *,
    key: bytes | str | Pseudonyms,
    birth_dates: BirthDatePrecision = "year",
    age_bands: AgeBands | Sequence[int] = DEFAULT_AGE_BANDS,
    on: date | None = None,
    keep_ids: Collection[str] = KEPT_ID_COLLECTIONS,
    health: Literal["keep", "drop"] = "keep",
    profile: RedactionProfile | None = DEFAULT_PROFILE,
) -> Network:
    """A copy of ``network`` in which every identifying or sensitive value is replaced.

    With a ``profile`` (k = 5 by default) the result is also k-anonymous: see
    [`redact_with_report`][sw_volunteer.privacy.redact_with_report], which says what was generalised
    and who was withheld. ``profile=None`` only pseudonymises, drops and coarsens as below, which
    does *not* stop two exports from being linked on what they keep.

    By sensitivity tag:

    - ``identifying`` (names, volunteer numbers): a keyed pseudonym of the person and
      the field (HMAC-SHA-256). The same person gets the same pseudonym under the same
      key in every export; under another key, no pseudonym is shared (what else is
      kept may still link two exports: that is what ``profile`` is for).
    - ``quasi_identifying`` dates (birth dates): coarsened to 1 July of their year, or
      to the middle of their age band on ``on``. Other quasi-identifying values are
      reset to their default.
    - ``health`` (needs, support level): kept by default, because the staffing rules
      depend on them; the result is then *pseudonymised* personal data, not anonymous.
      ``health="drop"`` resets them to their defaults, and drops the guardians' consents
      of clients who are adults (by their redacted birth date) on the activity's day: an
      adult's consent is asked for because of a need, so its presence would tell the need
      the drop removed; with the needs gone no rule of a pack whose adult age is 18 or
      less asks for it, so no verdict changes.
    - ``free_text``: dropped (reset to the default, ``None``).

    Entity ids are pseudonymised too, except those of ``keep_ids`` (see
    [`KEPT_ID_COLLECTIONS`][sw_volunteer.privacy.KEPT_ID_COLLECTIONS]), and every reference is
    rewritten, so the result is a valid [`Network`][sw_volunteer.models.Network]. With
    ``profile=None``, rule checks give the same verdicts on it as on the original, up to the
    renaming of ids, except where a verdict hangs on an age that coarsening moved across a threshold
    (someone who turns 18 between 1 July and their real birthday). With a profile, see
    [`redact_with_report`][sw_volunteer.privacy.redact_with_report] for the verdicts that can
    change.

    Args:
        network: The network to redact.
        key: The pseudonymisation key (at least 16 bytes) or a
            [`Pseudonyms`][sw_volunteer.privacy.Pseudonyms].
        birth_dates: ``"year"`` or ``"age_band"``.
        age_bands: Lower bounds of the age bands, for ``birth_dates="age_band"``.
        on: The day ages are taken on for ``"age_band"``; default ``network.info.as_of``.
        keep_ids: Collections whose entity ids are kept as they are.
        health: ``"keep"`` or ``"drop"`` the health-tagged values.
        profile: The k-anonymity profile, or ``None`` for pseudonymisation only.

    Raises:
        InputError: A weak key, unknown collections in ``keep_ids``, bad age bands, or
            ``"age_band"`` without a day to take ages on.

    Example:
        >>> from datetime import date
        >>> from sw_volunteer.models import Centre, Volunteer
        >>> net = Network(
        ...     centres=[Centre(id="liqun", name="利群")],
        ...     volunteers=[Volunteer(id="v-zhang", name="张三", centre="liqun",
        ...                           birth_date=date(1995, 3, 14))],
        ... )
        >>> shared = redact(net, key=b"a key of sixteen bytes or more", profile=None)
        >>> (volunteer,) = shared.volunteers
        >>> volunteer.id.startswith("vol-"), volunteer.name.startswith("name-")
        (True, True)
        >>> volunteer.birth_date
        datetime.date(1995, 7, 1)
    """
    if profile is not None:
        return redact_with_report(
            network,
            key=key,
            birth_dates=birth_dates,
            age_bands=age_bands,
            on=on,
            keep_ids=keep_ids,
            health=health,
            profile=profile,
        ).network
    pseudonyms = key if isinstance(key, Pseudonyms) else Pseudonyms(key)
    bands = AgeBands.of(age_bands)
    day = on if on is not None else network.info.as_of
    if birth_dates == "age_band" and day is None:
        raise InputError(
            [
                Problem(
                    "on",
                    "missing_reference_date",
                    "coarsening to age bands needs the day ages are taken on: pass on= "
                    "or set info.as_of",
                )
            ],
            subject="redaction",
        )
    ids = pseudonymous_ids(network, key=pseudonyms, keep_ids=keep_ids)
    redactor = _Redactor(
        pseudonyms, ids=ids, birth_dates=birth_dates, bands=bands, day=day, health=health
    )
    collections = {
        name: tuple(redactor.model(e, e.id) for e in getattr(network, name))
        for name in network.collections
    }
    if health == "drop":
        collections["activities"] = _without_adult_consents(
            collections["activities"], collections["clients"]
        )
    return Network(info=redactor.model(network.info, "info"), **collections)


def _without_adult_consents(
    activities: tuple[Activity, ...], clients: tuple[Client, ...]
) -> tuple[Activity, ...]:
    """The activities, each keeping only the consents of clients who are minors on its day.

    "Minor" is the one definition of the scheduling layer (under
    [`ADULT_AGE`][sw_volunteer.scheduling.ADULT_AGE] on the activity's day); a client
    without a birth date is not known to be a minor, so their consent goes too (no
    rule asks for it: the consent rules ask for minors by known age, or for needs).
    """
    birth = {c.id: c.birth_date for c in clients}

    def minor(client: str, day: date) -> bool:
        born = birth.get(client)
        return born is not None and age_on(born, day) < ADULT_AGE

    out = []
    for activity in activities:
        day = activity.start.date()
        kept = tuple(c for c in activity.guardian_consents if minor(c.client, day))
        if len(kept) != len(activity.guardian_consents):
            activity = activity.model_copy(update={"guardian_consents": kept})  # noqa: PLW2901
        out.append(activity)
    return tuple(out)


def redact_with_report(
    network: Network,
    *,
    key: bytes | str | Pseudonyms,
    birth_dates: BirthDatePrecision = "year",
    age_bands: AgeBands | Sequence[int] = DEFAULT_AGE_BANDS,
    on: date | None = None,
    keep_ids: Collection[str] = KEPT_ID_COLLECTIONS,
    health: Literal["keep", "drop"] = "keep",
    profile: RedactionProfile = DEFAULT_PROFILE,
) -> Redaction:
    """Redact ``network`` (as ``redact``) and make it k-anonymous; say what it took.

    The quasi-identifiers declared on the models
    ([`quasi_identifiers`][sw_volunteer.models.quasi_identifiers]) are generalised one level of
    [`GENERALISATION_LEVELS`][sw_volunteer.privacy.GENERALISATION_LEVELS] at a time, the same for
    everyone, until every released client and volunteer shares their
    [`release_signatures`][sw_volunteer.privacy.release_signatures] with at least ``profile.k - 1``
    others. People still in smaller groups at ``profile.max_level`` are withheld, with
    everything that names them (their case assignments, supervisions, service records,
    absences and places in activities).

    What is promised: in the result, no client or volunteer can be told apart from
    ``k - 1`` others by anything it holds but pseudonyms; so matching two exports made
    under different keys record by record puts no one back with certainty. What is not:
    anything about a group of ``k`` (if all of them have one need, each of them has
    it); links drawn from how people are connected beyond the records that name them
    (who takes part alongside whom, repeated over several activities); and facts an
    attacker learns elsewhere. Exports under *one* key are linkable by design.

    Verdicts can change: age rules are judged on coarsened birth dates (on
    ``info.as_of`` age bands keep the thresholds 14 and 18), roster, check and case
    dates move back to the first day of their month, quarter or year, dropped case
    assignments and service records silence the caseload and hours rules, and withheld
    people are not checked or simulated at all (a withheld client still counts in the
    activities they took part in, as one of its ``extra_clients``).

    Example:
        >>> from sw_volunteer.datasets import ruian_2013
        >>> shared = redact_with_report(ruian_2013(), key=b"a key of sixteen bytes or more")
        >>> shared.achieved_k, shared.level, shared.suppressed
        (5, 3, {'clients': 17, 'volunteers': 48})
        >>> len(shared.network.clients), len(shared.network.volunteers)
        (134, 70)
    """
    pseudonyms = key if isinstance(key, Pseudonyms) else Pseudonyms(key)
    day = on if on is not None else network.info.as_of
    kept = [name for name in network.collections if name in keep_ids]
    if people_kept := [name for name in PEOPLE if name in kept]:
        raise InputError(
            [
                Problem(
                    "keep_ids",
                    "ids_would_link",
                    f"the ids of {', '.join(people_kept)} cannot be kept in a k-anonymous "
                    "export: they would link every export (pass profile=None to keep them)",
                )
            ],
            subject="redaction",
        )
    level = 0
    precision: BirthDatePrecision = birth_dates
    changed: dict[str, str] = {}
    shared, sizes = network, dict[str, int]()
    for level in range(profile.max_level + 1):
        general, changed = generalise(network, level, profile.k, day=day)
        precision = birth_dates
        bands = AgeBands.of(age_bands)
        if level >= 1 and day is not None:
            precision = "age_band"
        if level >= 2:  # noqa: PLR2004 - the level of the rules' bands
            bands = AgeBands(tuple(b for b in bands.bounds if b in RULE_AGE_BANDS))
        shared = redact(
            general,
            key=pseudonyms,
            birth_dates=precision,
            age_bands=bands,
            on=day,
            keep_ids=keep_ids,
            health=health,
            profile=None,
        )
        sizes = group_sizes(release_signatures(shared, kept_ids=kept))
        if all(n >= profile.k for n in sizes.values()):
            break
    changed.setdefault(
        "birth dates",
        "to the year" if precision == "year" else f"to the age bands {bands.labels} on {day}",
    )
    before = shared.counts()
    while small := sorted(pid for pid, n in sizes.items() if n < profile.k):
        shared = _withhold(shared, small)
        sizes = group_sizes(release_signatures(shared, kept_ids=kept))
    after = shared.counts()
    # In the original order, the n-th record of two exports would be the same person:
    # pseudonymised collections go out in the order of their pseudonyms instead.
    reordered: dict[str, tuple[Any, ...]] = {
        name: tuple(sorted(getattr(shared, name), key=_id_of))
        if name not in keep_ids
        else getattr(shared, name)
        for name in shared.collections
    }
    shared = Network(info=shared.info, **reordered)
    return Redaction(
        network=shared,
        k=profile.k,
        achieved_k=min(sizes.values(), default=None),
        level=level,
        generalised=changed,
        suppressed={name: before[name] - after[name] for name in PEOPLE},
    )


def _id_of(entity: Entity) -> str:
    return entity.id


def _withhold(network: Network, people: Collection[str]) -> Network:
    """``network`` without ``people`` and what names them.

    A withheld client still counts in the activities they took part in, as one of the
    ``extra_clients`` (present, not in the network), so that staffing ratios hold.
    """
    gone = set(people)
    activities = [
        a.model_copy(update={"extra_clients": a.extra_clients + len(a.clients & gone)})
        for a in network.activities
        if a.clients & gone
    ]
    return network.with_replaced(*activities).with_removed(*sorted(gone), cascade=True)


def pseudonymous_ids(
    network: Network,
    *,
    key: bytes | str | Pseudonyms,
    keep_ids: Collection[str] = KEPT_ID_COLLECTIONS,
) -> dict[str, str]:
    """The id each entity gets from ``redact``: original id -> pseudonymous id.

    Kept ids map to themselves. The table re-identifies people: keep it where the
    key is kept, never with the shared data.

    Raises:
        InputError: ``keep_ids`` names a collection that does not exist.

    Example:
        >>> import sw_volunteer as sv
        >>> key = b"a key kept apart from the data!!"
        >>> ids = pseudonymous_ids(sv.datasets.ruian_2013(), key=key)
        >>> ids["yucai-v01"], ids["yucai"]  # centre ids are kept by default
        ('vol-b133cd1627c25d58', 'yucai')
    """
    unknown = sorted(set(keep_ids) - set(network.collections))
    if unknown:
        raise InputError(
            [
                Problem(
                    "keep_ids",
                    "unknown_collection",
                    f"no collection {name!r}; expected some of: {', '.join(network.collections)}",
                )
                for name in unknown
            ],
            subject="redaction",
        )
    pseudonyms = key if isinstance(key, Pseudonyms) else Pseudonyms(key)
    mapping: dict[str, str] = {}
    for name in network.collections:
        for entity in getattr(network, name):
            mapping[entity.id] = (
                entity.id if name in keep_ids else pseudonyms.entity_id(name, entity.id)
            )
    if len(set(mapping.values())) != len(mapping):
        # 64-bit pseudonyms collide with negligible probability; fail rather than merge people.
        raise InputError(
            [Problem("ids", "pseudonym_collision", "two ids map to one pseudonym; change the key")],
            subject="redaction",
        )
    return mapping


def coarsen_birth_date(
    birth_date: date,
    precision: BirthDatePrecision = "year",
    *,
    on: date | None = None,
    age_bands: AgeBands | Sequence[int] = DEFAULT_AGE_BANDS,
) -> date:
    """The coarse date that stands for ``birth_date`` in a redacted network.

    Example:
        >>> coarsen_birth_date(date(2001, 11, 30))
        datetime.date(2001, 7, 1)
        >>> coarsen_birth_date(date(2001, 11, 30), "age_band", on=date(2013, 11, 18),
        ...                    age_bands=(0, 14, 18))
        datetime.date(2007, 11, 18)
    """
    if precision == "year":
        return date(birth_date.year, 7, 1)
    if on is None:
        raise InputError(
            [Problem("on", "missing_reference_date", "age bands need the day ages are taken on")],
            subject="redaction",
        )
    bands = AgeBands.of(age_bands)
    age = bands.representative_age(bands.index_of(age_on(birth_date, on)))
    year = on.year - age
    if (on.month, on.day) == (2, 29):
        return date(year, 2, 28) if age_on(date(year, 2, 28), on) == age else date(year, 3, 1)
    return date(year, on.month, on.day)


class _Redactor:
    """Applies the tags of each model to one model instance, recursively."""

    def __init__(
        self,
        pseudonyms: Pseudonyms,
        *,
        ids: Mapping[str, str],
        birth_dates: BirthDatePrecision,
        bands: AgeBands,
        day: date | None,
        health: Literal["keep", "drop"],
    ) -> None:
        self.pseudonyms = pseudonyms
        self.ids = ids
        self.birth_dates: BirthDatePrecision = birth_dates
        self.bands = bands
        self.day = day
        self.health = health

    def model(self, obj: Any, owner: str) -> Any:
        model: type[Model] = type(obj)
        updates: dict[str, Any] = {}
        for name, info, kind, is_reference in _field_plan(model):
            value = getattr(obj, name)
            if kind is not None:
                updates[name] = self.value(
                    model, name, info=info, kind=kind, value=value, owner=owner
                )
            elif name == "id" and isinstance(obj, Entity):
                updates[name] = self.ids.get(value, value)
            elif is_reference:
                updates[name] = self.reference(value)
            elif isinstance(value, Model):
                updates[name] = self.model(value, f"{owner}.{name}")
            elif isinstance(value, tuple) and any(isinstance(v, Model) for v in value):
                updates[name] = tuple(
                    self.model(v, f"{owner}.{name}[{i}]") if isinstance(v, Model) else v
                    for i, v in enumerate(value)
                )
        return obj.model_copy(update=updates)

    def reference(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.ids.get(value, value)
        if isinstance(value, frozenset | tuple):
            return type(value)(self.ids.get(v, v) for v in value)
        return value

    def value(
        self,
        model: type[Model],
        name: str,
        *,
        info: FieldInfo,
        kind: Sensitivity,
        value: Any,
        owner: str,
    ) -> Any:
        if value is None:
            return None
        if kind is Sensitivity.IDENTIFYING:
            return self.pseudonym(model, name, value, owner)
        if kind is Sensitivity.QUASI_IDENTIFYING and isinstance(value, date):
            return coarsen_birth_date(
                value, self.birth_dates, on=self.day, age_bands=self.bands.bounds
            )
        if kind is Sensitivity.HEALTH and self.health == "keep":
            return value
        extra = info.json_schema_extra
        if value and isinstance(extra, dict) and REDACTED_AS_KEY in extra:
            return extra[REDACTED_AS_KEY]  # the value was there: a rule may check that
        return _default_of(model, name, info)

    def pseudonym(self, model: type[Model], name: str, value: Any, owner: str) -> Any:
        def one(index: str) -> str:
            digest = self.pseudonyms.field_value(model.__name__, name + index, owner)
            return f"{name}-{digest}"

        if isinstance(value, str):
            return one("")
        if isinstance(value, frozenset):
            return frozenset(one(f"[{i}]") for i, _ in enumerate(sorted(value)))
        if isinstance(value, tuple):
            return tuple(one(f"[{i}]") for i, _ in enumerate(value))
        msg = (
            f"{model.__name__}.{name} is tagged identifying but holds a "
            f"{type(value).__name__}: only text (or sets of text) can be pseudonymised"
        )
        raise TypeError(msg)


def _default_of(model: type[Model], name: str, info: FieldInfo) -> Any:
    if info.is_required():
        if info.annotation is str:
            return ""
        msg = f"{model.__name__}.{name} is sensitive and required: give it a default to drop"
        raise TypeError(msg)
    return info.get_default(call_default_factory=True)


@cache
def _field_plan(model: type[Model]) -> tuple[tuple[str, FieldInfo, Sensitivity | None, bool], ...]:
    """Each field of ``model``: its name, info, sensitivity tag and whether it holds ids."""
    tags = sensitive_fields(model)
    return tuple(
        (name, info, tags.get(name), _is_reference(info))
        for name, info in model.model_fields.items()
    )


def _is_reference(info: FieldInfo) -> bool:
    """Whether a field holds entity ids (an ``EntityId`` or a collection of them)."""
    if _ID_CONSTRAINTS in info.metadata:
        return True
    return _mentions_entity_id(info.annotation)


def _mentions_entity_id(annotation: Any) -> bool:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return _ID_CONSTRAINTS in args[1:] or _mentions_entity_id(args[0])
    return any(_mentions_entity_id(a) for a in args)
