"""The Network aggregate: every entity of a document, with its integrity guaranteed."""

from __future__ import annotations

import gc
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, compress
from operator import attrgetter, not_
from typing import Any, ClassVar, NoReturn, Self, TypeVar

from pydantic import (
    BaseModel,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from sw_volunteer.errors import NetworkValidationError, Problem
from sw_volunteer.models._base import Entity, OwnErrorModel, format_loc, sensitive_fields
from sw_volunteer.models._display import network_html
from sw_volunteer.models._edit import (
    Changes,
    Draft,
    Index,
    Integrity,
    Positions,
    changes_along,
    lineage_step,
    new_token,
)
from sw_volunteer.models._entities import (
    Activity,
    CaseAssignment,
    Centre,
    Client,
    NetworkInfo,
    Programme,
    SocialWorker,
    Supervision,
    Volunteer,
)
from sw_volunteer.models._projects import FundedProject, Incident
from sw_volunteer.models._records import (
    Absence,
    ServiceRecord,
    SupervisionSession,
    TrainingRecord,
)
from sw_volunteer.vocab import SupervisionKind

__all__ = ["ENTITY_TYPES", "Network", "gc_paused"]

ENTITY_TYPES: tuple[type[Entity], ...] = (
    Centre,
    SocialWorker,
    Volunteer,
    Client,
    Programme,
    Activity,
    Supervision,
    CaseAssignment,
    Absence,
    ServiceRecord,
    SupervisionSession,
    TrainingRecord,
    Incident,
    FundedProject,
)
"""Every entity type, in the order a network document lists them."""

_BY_COLLECTION: dict[str, type[Entity]] = {t.collection: t for t in ENTITY_TYPES}
_E = TypeVar("_E", bound=Entity)
_Lineage = tuple[tuple[int, Changes], ...]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk construction.

    Creating many small objects triggers the collector over and over although none of
    them is garbage; pausing it makes loading a large network several times faster.
    The previous state is restored on exit, even on error.

    Example:
        >>> import gc
        >>> with gc_paused():
        ...     paused = not gc.isenabled()
        >>> paused, gc.isenabled()
        (True, True)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class _Reference:
    """A field of one collection that must name an entity of given collections."""

    collection: str
    field: str
    targets: tuple[str, ...]
    many: bool = False
    """The field holds a set of ids."""
    optional: bool = False
    """The field may be ``None``."""

    def ids(self, entity: Entity) -> Iterable[str]:
        value = getattr(entity, self.field)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, frozenset | set | list | tuple):
            return ()  # not ids at all (an entity copied without validation): reported as such
        return sorted(value)  # sets of ids: sorted for a stable order of problems


_REFERENCES: tuple[_Reference, ...] = (
    _Reference("workers", "centre", ("centres",)),
    _Reference("volunteers", "centre", ("centres",)),
    _Reference("clients", "centre", ("centres",)),
    _Reference("programmes", "centre", ("centres",)),
    _Reference("activities", "programme", ("programmes",)),
    _Reference("activities", "workers", ("workers",), many=True),
    _Reference("activities", "volunteers", ("volunteers",), many=True),
    _Reference("activities", "clients", ("clients",), many=True),
    _Reference("supervisions", "supervisor", ("workers",)),
    _Reference("supervisions", "supervisee", ("workers", "volunteers")),
    _Reference("assignments", "worker", ("workers",)),
    _Reference("assignments", "client", ("clients",)),
    _Reference("absences", "person", ("workers", "volunteers")),
    _Reference("absences", "cover", ("workers",), optional=True),
    _Reference("service_records", "volunteer", ("volunteers",)),
    _Reference("service_records", "activity", ("activities",)),
    _Reference("service_records", "supervisor", ("workers",), optional=True),
    _Reference("service_records", "in_charge", ("workers",), optional=True),
    _Reference("service_records", "recorder", ("workers", "volunteers"), optional=True),
    _Reference("supervision_sessions", "supervisor", ("workers",), optional=True),
    _Reference("supervision_sessions", "supervisees", ("workers", "volunteers"), many=True),
    _Reference("training_records", "person", ("workers", "volunteers")),
    _Reference("incidents", "centre", ("centres",)),
    _Reference("incidents", "activity", ("activities",), optional=True),
    _Reference("projects", "centre", ("centres",)),
    _Reference("projects", "programmes", ("programmes",), many=True),
)

_REFERRER_LAYERS = 16
"""How many layers the reverse look-up of references grows before it is flattened."""


def _merged(layers: Iterable[Mapping[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """One look-up holding what every layer holds."""
    out: dict[str, tuple[str, ...]] = {}
    for layer in reversed(list(layers)):
        for target, ids in layer.items():
            known = out.get(target)
            out[target] = ids if known is None else (*known, *ids)
    return out


_REFERENCES_OF: dict[str, tuple[_Reference, ...]] = {
    name: tuple(r for r in _REFERENCES if r.collection == name) for name in _BY_COLLECTION
}


def references_of(entity: Entity) -> Iterator[tuple[_Reference, Iterable[str]]]:
    """Each reference field of ``entity`` with the ids it names."""
    for ref in _REFERENCES_OF.get(entity.collection, ()):
        yield ref, ref.ids(entity)


_SINGULAR = {
    "centres": "centre",
    "workers": "social worker",
    "volunteers": "volunteer",
    "clients": "client",
    "programmes": "programme",
    "activities": "activity",
    "supervisions": "supervision",
    "assignments": "case assignment",
    "absences": "absence",
    "service_records": "service record",
    "supervision_sessions": "supervision session",
    "training_records": "training record",
    "incidents": "incident",
    "projects": "funded project",
}


class Network(OwnErrorModel):
    """Every entity of a social-work + volunteer programme, with integrity guaranteed.

    A network is immutable. Building one checks every entity, that ids are unique
    across the whole network and that every reference resolves; if anything is wrong
    it raises one [`NetworkValidationError`][sw_volunteer.errors.NetworkValidationError] listing
    every problem with its location. Look-ups by id are O(1). Methods named ``with_...``
    return a changed copy, checked the same way.

    Example:
        >>> from sw_volunteer.models import Centre, SocialWorker
        >>> net = Network(
        ...     centres=[Centre(id="liqun", name="利群社会工作服务中心")],
        ...     workers=[SocialWorker(id="w1", name="金某", centre="liqun")],
        ... )
        >>> net.get("w1").name
        '金某'
        >>> Network(workers=[SocialWorker(id="w1", name="金某", centre="liqun2")])
        Traceback (most recent call last):
        ...
        sw_volunteer.errors.NetworkValidationError: the network: workers[0].centre: no centre
        'liqun2' [dangling_reference]
    """

    info: NetworkInfo = NetworkInfo()
    centres: tuple[Centre, ...] = ()
    workers: tuple[SocialWorker, ...] = ()
    volunteers: tuple[Volunteer, ...] = ()
    clients: tuple[Client, ...] = ()
    programmes: tuple[Programme, ...] = ()
    activities: tuple[Activity, ...] = ()
    supervisions: tuple[Supervision, ...] = ()
    assignments: tuple[CaseAssignment, ...] = ()
    absences: tuple[Absence, ...] = ()
    service_records: tuple[ServiceRecord, ...] = ()
    supervision_sessions: tuple[SupervisionSession, ...] = ()
    training_records: tuple[TrainingRecord, ...] = ()
    incidents: tuple[Incident, ...] = ()
    projects: tuple[FundedProject, ...] = ()

    _index: Index = PrivateAttr(default_factory=lambda: Index({}))
    _referrers: tuple[dict[str, tuple[str, ...]], ...] | None = PrivateAttr(default=None)
    """Target id -> referrer ids, in layers (newest first; built on first removal)."""
    _positions: Mapping[str, Positions] = PrivateAttr(default_factory=dict)
    """Each collection's places of its entities, by id (built by the first edit that needs them)."""
    _token: int = PrivateAttr(default_factory=new_token)
    _lineage: _Lineage = PrivateAttr(default=())

    collections: ClassVar[tuple[str, ...]] = tuple(_BY_COLLECTION)
    """The names of the entity collections, in document order."""

    # -- construction -------------------------------------------------------------

    @classmethod
    def _raise_own_error(cls, exc: ValidationError, data: Any) -> NoReturn:
        if isinstance(data, str | bytes | bytearray):  # JSON text: its integrity from the parse
            data = _parsed_or_none(data)
        _reraise(exc, data)

    @model_validator(mode="after")
    def _check_integrity(self) -> Self:
        # An "after" validator keeps pydantic's streaming JSON validation: a "wrap" one
        # would make it parse the whole document into Python objects first. Integrity
        # problems of documents whose fields also fail are added by _reraise.
        collections = {name: getattr(self, name) for name in self.collections}
        index = _index_if_sound(collections)
        if index is None:  # something is wrong: find and locate every problem
            index, problems = _integrity(
                {name: enumerate(items) for name, items in collections.items()}
            )
            if problems:  # the walk is the authority; the fast path may only be stricter
                raise NetworkValidationError(problems)
        self._index = Index(index)
        return self

    def __eq__(self, other: object) -> bool:
        """Networks are equal when their fields are (however they were made)."""
        if not isinstance(other, Network):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash(tuple(self.__dict__.values()))

    # -- look-ups -----------------------------------------------------------------

    def __contains__(self, entity_id: object) -> bool:
        # The private store read directly: pydantic's attribute hook is slow for look-ups.
        return entity_id in self.__pydantic_private__["_index"]  # type: ignore[index]

    def __len__(self) -> int:
        """The number of entities in the network."""
        return len(self._index)

    def get(self, entity_id: str) -> Entity:
        """The entity with id ``entity_id``, in O(1).

        Raises:
            KeyError: No entity has that id.
        """
        index: Index = self.__pydantic_private__["_index"]  # type: ignore[index]
        found = index.get(entity_id)
        if found is None:
            raise KeyError(f"no entity with id {entity_id!r} in the network")
        return found

    def _typed(self, entity_id: str, kind: type[_E]) -> _E:
        entity = self.get(entity_id)
        if not isinstance(entity, kind):
            found = _SINGULAR[entity.collection]
            raise KeyError(f"{entity_id!r} is a {found}, not a {_SINGULAR[kind.collection]}")
        return entity

    def centre(self, entity_id: str) -> Centre:
        """The centre ``entity_id``; ``KeyError`` if there is none."""
        return self._typed(entity_id, Centre)

    def worker(self, entity_id: str) -> SocialWorker:
        """The social worker ``entity_id``; ``KeyError`` if there is none."""
        return self._typed(entity_id, SocialWorker)

    def volunteer(self, entity_id: str) -> Volunteer:
        """The volunteer ``entity_id``; ``KeyError`` if there is none."""
        return self._typed(entity_id, Volunteer)

    def client(self, entity_id: str) -> Client:
        """The client ``entity_id``; ``KeyError`` if there is none."""
        return self._typed(entity_id, Client)

    def programme(self, entity_id: str) -> Programme:
        """The programme ``entity_id``; ``KeyError`` if there is none."""
        return self._typed(entity_id, Programme)

    def activity(self, entity_id: str) -> Activity:
        """The activity ``entity_id``; ``KeyError`` if there is none."""
        return self._typed(entity_id, Activity)

    def centre_of(self, entity_id: str) -> Centre:
        """The centre a person, programme or activity belongs to."""
        entity = self.get(entity_id)
        if isinstance(entity, Activity):
            entity = self.programme(entity.programme)
        if isinstance(entity, SocialWorker | Volunteer | Client | Programme):
            return self.centre(entity.centre)
        if isinstance(entity, Centre):
            return entity
        raise KeyError(f"{entity_id!r} is a {_SINGULAR[entity.collection]}: it has no centre")

    def entities(self) -> Iterator[Entity]:
        """Every entity, collection by collection in document order."""
        for name in self.collections:
            yield from getattr(self, name)

    def counts(self) -> dict[str, int]:
        """How many entities each collection holds.

        Example:
            >>> Network().counts()["volunteers"]
            0
        """
        return {name: len(getattr(self, name)) for name in self.collections}

    # -- changed copies -----------------------------------------------------------

    def edit(self) -> Draft:
        """A batch of edits, validated once when its ``with`` block ends.

        Adding, replacing and removing are checked for what they touch only; if the
        batch breaks integrity, one
        [`NetworkValidationError`][sw_volunteer.errors.NetworkValidationError] lists every problem,
        as loading does. This network is not changed.

        Example:
            >>> from sw_volunteer.models import Centre, SocialWorker
            >>> net = Network(centres=[Centre(id="c", name="利群")])
            >>> with net.edit() as draft:
            ...     draft.add(SocialWorker(id="w1", name="金某", centre="c"))
            ...     draft.add(SocialWorker(id="w2", name="王某", centre="nowhere"))
            ...     draft.add(Centre(id="c", name="again"))
            Traceback (most recent call last):
            ...
            sw_volunteer.errors.NetworkValidationError: 2 problems in the network:
              centres[1].id: id 'c' is already used by centres[0] [duplicate_id]
              workers[1].centre: no centre 'nowhere' [dangling_reference]
        """
        return Draft(self, _INTEGRITY)

    def with_added(self, *entities: Entity) -> Network:
        """A copy with ``entities`` added; raises if that breaks integrity.

        Example:
            >>> from sw_volunteer.models import Centre
            >>> net = Network().with_added(Centre(id="yucai", name="市育才社会工作室"))
            >>> net.counts()["centres"]
            1
        """
        draft = Draft(self, _INTEGRITY)
        draft.add(*entities)
        return draft.finish()

    def with_replaced(self, *entities: Entity) -> Network:
        """A copy in which each entity replaces the one with the same id and kind."""
        draft = Draft(self, _INTEGRITY)
        draft.replace(*entities)
        return draft.finish()

    def with_removed(self, *entity_ids: str, cascade: bool = False) -> Network:
        """A copy without the given entities.

        Args:
            *entity_ids: Ids of the entities to remove.
            cascade: Also remove what refers to them: supervisions, case assignments,
                participation in activities, and, for a centre, its people and
                programmes (recursively); a supervision session loses the supervisees
                removed, and goes when none is left. Without it, removing something still
                referred to raises
                [`NetworkValidationError`][sw_volunteer.errors.NetworkValidationError].
        """
        draft = Draft(self, _INTEGRITY)
        draft.remove(*entity_ids, cascade=cascade)
        return draft.finish()

    def changes_since(self, ancestor: Network) -> Changes | None:
        """What the edits from ``ancestor`` to this network touched.

        ``None`` when this network was not made from ``ancestor`` by the last few dozen
        edits (then compare them whole). Used by
        [`Checker`][sw_volunteer.rules.Checker] to re-check only what changed.

        Example:
            >>> from sw_volunteer.models import Centre
            >>> net = Network()
            >>> later = net.with_added(Centre(id="c", name="C")).with_removed("c")
            >>> changes = later.changes_since(net)
            >>> changes.added, sorted(changes.removed)
            (('c',), ['c'])
            >>> print(net.changes_since(later))
            None
        """
        if ancestor._token == self._token:
            return Changes()
        return changes_along(self._lineage, ancestor._token)

    def _derived(
        self,
        collections: Mapping[str, tuple[Entity, ...]],
        index: Index,
        changes: Changes,
        positions: Mapping[str, Positions],
    ) -> Network:
        """A network of already validated ``collections`` and ``index``, made by an edit."""
        net = type(self).model_construct(info=self.info, **collections)  # type: ignore[arg-type]
        net._index = index  # noqa: SLF001 - a network of this class, being made
        net._positions = positions  # noqa: SLF001 - as above
        net._lineage = lineage_step(  # noqa: SLF001 - as above
            self._lineage, self._token, changes
        )
        if self._referrers is not None:  # keep the reverse look-up: one more layer
            layer: dict[str, tuple[str, ...]] = {}
            for eid in (*changes.added, *changes.replaced):
                entity = index.get(eid)
                if entity is None:
                    continue
                for _, ids in references_of(entity):
                    for target in ids:
                        layer[target] = (*layer.get(target, ()), eid)
            layers = (layer, *self._referrers)
            if len(layers) > _REFERRER_LAYERS:  # flatten now and then: look-ups stay short
                layers = (_merged(layers),)
            net._referrers = layers  # noqa: SLF001 - as above
        return net

    def _referrers_of(self, target: str) -> Iterator[str]:
        """Ids of the entities that refer to ``target`` (the look-up is built on first use).

        May name entities that no longer refer to it, or are gone: users check.
        """
        if self._referrers is None:
            found: dict[str, list[str]] = defaultdict(list)
            for ref in _REFERENCES:
                for entity in getattr(self, ref.collection):
                    for t in ref.ids(entity):
                        found[t].append(entity.id)
            self._referrers = ({k: tuple(v) for k, v in found.items()},)
        for layer in self._referrers:
            yield from layer.get(target, ())

    # -- display ------------------------------------------------------------------

    def __repr__(self) -> str:
        parts = [repr(self.info.title)] if self.info.title else []
        parts.extend(f"{name}={n}" for name, n in self.counts().items() if n)
        return f"Network({', '.join(parts)})"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        """A notebook summary: counts and supervision coverage, no sensitive field."""
        return network_html(self)


def _reraise(exc: ValidationError, data: Any = None) -> NoReturn:
    """Raise the NetworkValidationError wrapped by pydantic, or convert ``exc``.

    When fields failed, the integrity of the entities that did validate is checked
    from ``data`` (the input), so that every problem is still listed at once.
    """
    errors = exc.errors(include_url=False)
    if len(errors) == 1:
        cause = errors[0].get("ctx", {}).get("error")
        if isinstance(cause, NetworkValidationError):
            raise cause from None
    problems = _field_problems(exc)
    failed_fields = {
        tuple(err["loc"][:3])
        for err in exc.errors(include_url=False)
        if len(err["loc"]) >= 3  # noqa: PLR2004
    }
    problems.extend(_integrity_of_raw(data, failed_fields))
    raise NetworkValidationError(problems) from None


def _parsed_or_none(json_data: str | bytes | bytearray) -> Any:
    """The JSON document as Python data, or ``None`` if it does not parse."""
    try:
        return json.loads(json_data)
    except ValueError:
        return None


# -- integrity ----------------------------------------------------------------------


def _index_if_sound(collections: Mapping[str, tuple[Entity, ...]]) -> dict[str, Entity] | None:
    """The id index if ids are unique and every reference resolves, else ``None``.

    The fast path of validation: set operations in C over whole collections. When it
    answers ``None``, ``_integrity`` walks the entities to locate each problem.
    """
    index: dict[str, Entity] = {}
    ids_of: dict[str, set[str]] = {}
    total = 0
    for name, items in collections.items():
        ids = list(map(_get_id, items))
        ids_of[name] = set(ids)
        index.update(zip(ids, items, strict=True))
        total += len(items)
    if len(index) != total:
        return None
    for ref in _REFERENCES:
        items = collections[ref.collection]
        if not items:
            continue
        allowed = ids_of[ref.targets[0]]
        if len(ref.targets) > 1:
            allowed = allowed.union(*(ids_of[t] for t in ref.targets[1:]))
        values: Iterable[Any] = map(attrgetter(ref.field), items)
        if ref.many:
            values = chain.from_iterable(values)
        elif ref.optional:
            values = filter(None, values)
        if not allowed.issuperset(values):
            return None
    supervisions = collections["supervisions"]
    kinds = list(map(_get_kind, supervisions))
    supervisees = list(map(_get_supervisee, supervisions))
    professional = list(map(SupervisionKind.PROFESSIONAL.__eq__, kinds))
    if not ids_of["workers"].issuperset(compress(supervisees, professional)):
        return None
    if not ids_of["volunteers"].issuperset(compress(supervisees, map(not_, professional))):
        return None
    for act in collections["activities"]:
        tasks = getattr(act, "tasks", ())
        if tasks and any(
            t.person not in act.workers and t.person not in act.volunteers  # type: ignore[attr-defined]
            for t in tasks
        ):
            return None
    return index


_get_id = attrgetter("id")
_get_kind = attrgetter("kind")
_get_supervisee = attrgetter("supervisee")


def _integrity(
    collections: Mapping[str, Iterable[tuple[int, Entity]]],
    known_elsewhere: Mapping[str, str] | None = None,
) -> tuple[dict[str, Entity], list[Problem]]:
    """Check uniqueness of ids and every reference; return the id index and problems.

    Args:
        collections: For each collection, its (position, entity) pairs.
        known_elsewhere: Ids (with their collection) of entities that failed field
            validation: references to them are not reported as dangling.
    """
    problems: list[Problem] = []
    index: dict[str, Entity] = {}
    where: dict[str, str] = {}
    kinds: dict[str, str] = dict(known_elsewhere or {})
    listed = {name: list(pairs) for name, pairs in collections.items()}
    for name, pairs in listed.items():
        for i, entity in pairs:
            loc = f"{name}[{i}].id"
            if entity.id in index or entity.id in (known_elsewhere or {}):
                first = where.get(entity.id, "an entity that failed validation")
                problems.append(
                    Problem(loc, "duplicate_id", f"id {entity.id!r} is already used by {first}")
                )
                continue
            index[entity.id] = entity
            where[entity.id] = f"{name}[{i}]"
            kinds[entity.id] = name
    for ref in _REFERENCES:
        for i, entity in listed.get(ref.collection, ()):
            for target in ref.ids(entity):
                found = kinds.get(target)
                if found is None:
                    wanted = " or ".join(_SINGULAR[t] for t in ref.targets)
                    problems.append(
                        Problem(
                            f"{ref.collection}[{i}].{ref.field}",
                            "dangling_reference",
                            f"no {wanted} {target!r}",
                        )
                    )
                elif found not in ref.targets:
                    wanted = " or ".join(_SINGULAR[t] for t in ref.targets)
                    problems.append(
                        Problem(
                            f"{ref.collection}[{i}].{ref.field}",
                            "wrong_reference_kind",
                            f"{target!r} is a {_SINGULAR[found]}, expected a {wanted}",
                        )
                    )
    problems.extend(_relation_problems(listed, kinds))
    return index, problems


def _relation_problems(
    listed: Mapping[str, list[tuple[int, Entity]]], kinds: Mapping[str, str]
) -> Iterator[Problem]:
    """Problems that involve the meaning of a relation, not only that its ids exist."""
    expected = {SupervisionKind.PROFESSIONAL: "workers", SupervisionKind.GUIDANCE: "volunteers"}
    for i, sup in listed.get("supervisions", ()):
        assert isinstance(sup, Supervision)  # noqa: S101 - the collection fixes the type
        found = kinds.get(sup.supervisee)
        if found in {"workers", "volunteers"} and found != expected[sup.kind]:
            yield Problem(
                f"supervisions[{i}].kind",
                "supervision_kind_mismatch",
                f"a {sup.kind.value!r} supervision needs a "
                f"{_SINGULAR[expected[sup.kind]]} as supervisee; "
                f"{sup.supervisee!r} is a {_SINGULAR[found]}",
            )
    for i, act in listed.get("activities", ()):
        assert isinstance(act, Activity)  # noqa: S101 - the collection fixes the type
        staff = act.workers | act.volunteers
        for j, task in enumerate(act.tasks):
            if task.person not in staff:
                yield Problem(
                    f"activities[{i}].tasks[{j}].person",
                    "task_for_non_participant",
                    f"{task.person!r} is given a task but is not among the activity's "
                    "workers or volunteers",
                )


def _integrity_of_raw(
    data: Any, failed_fields: AbstractSet[tuple[Any, ...]] = frozenset()
) -> list[Problem]:
    """Integrity problems of the input when some of its fields failed validation.

    Each item is validated alone; ids of the items that failed are still known, so a
    reference to them is not reported twice. The references of an item that failed
    are checked too, from the input, unless the reference field itself failed
    (``failed_fields`` holds the (collection, position, field) of each field error):
    an entity with a bad value and a dangling reference has both reported at once.
    """
    if not isinstance(data, Mapping):
        return []
    valid: dict[str, list[tuple[int, Entity]]] = {}
    failed: dict[str, str] = {}
    raw_refs: list[tuple[int, _Reference, list[str]]] = []
    for name, model in _BY_COLLECTION.items():
        items = data.get(name)
        if not isinstance(items, list | tuple):
            continue
        valid[name] = []
        for i, item in enumerate(items):
            try:
                entity = item if isinstance(item, model) else model.model_validate(item)
            except ValidationError:
                raw_id = item.get("id") if isinstance(item, Mapping) else None
                if isinstance(raw_id, str):
                    failed.setdefault(raw_id, name)
                if isinstance(item, Mapping):
                    raw_refs.extend(
                        (i, ref, ids)
                        for ref in _REFERENCES_OF[name]
                        if (name, i, ref.field) not in failed_fields
                        and (ids := _raw_ids(item.get(ref.field))) is not None
                    )
                continue
            valid[name].append((i, entity))
    index, problems = _integrity(valid, failed)
    kinds = {eid: e.collection for eid, e in index.items()} | dict(failed)
    for i, ref, ids in raw_refs:
        wanted = " or ".join(_SINGULAR[t] for t in ref.targets)
        for target in ids:
            found = kinds.get(target)
            if found is None:
                problems.append(
                    Problem(
                        f"{ref.collection}[{i}].{ref.field}",
                        "dangling_reference",
                        f"no {wanted} {target!r}",
                    )
                )
            elif found not in ref.targets:
                problems.append(
                    Problem(
                        f"{ref.collection}[{i}].{ref.field}",
                        "wrong_reference_kind",
                        f"{target!r} is a {_SINGULAR[found]}, expected a {wanted}",
                    )
                )
    return problems


def _raw_ids(value: Any) -> list[str] | None:
    """The ids an unvalidated reference field names (``None``: not ids at all)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple | set | frozenset) and all(isinstance(v, str) for v in value):
        return sorted(value)
    return None


def _field_problems(exc: ValidationError) -> list[Problem]:
    """Convert pydantic's errors into problems, never echoing a sensitive input."""
    return [_problem_from_error(err) for err in exc.errors(include_url=False)]


def _problem_from_error(err: Mapping[str, Any]) -> Problem:
    loc: tuple[int | str, ...] = tuple(err["loc"])
    location = format_loc(loc)
    code = str(err["type"])
    message = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    model = _model_at(loc)
    if code == "extra_forbidden" and model is not None:
        allowed = ", ".join(model.model_fields)
        key = str(loc[-1])
        if sensitive_fields(model) and not _FIELD_NAME.fullmatch(key):
            # A record about a person: a stray key may be a value typed in the wrong place.
            location = format_loc((*loc[:-1], "<unknown field>"))
            message = f"an unknown field (name not shown); expected one of: {allowed}"
        else:
            message = f"unknown field {key!r}; expected one of: {allowed}"
    elif code == "missing":
        message = "required field is missing"
    if _input_may_be_shown(loc) and code not in {"extra_forbidden", "missing"}:
        shown = _short(err.get("input"))
        if shown is not None:
            message = f"{message}; got {shown}"
        elif code == "duplicate_items" and isinstance(err.get("input"), list | tuple):
            message = f"{message}; repeated: {_repeated(err['input'])}"
    return Problem(location, code, message)


_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model whose field the last part of ``loc`` names, if it can be told."""
    model: type[BaseModel] = Network
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        inner = _model_in(field.annotation)
        if inner is None:
            return None
        model = inner
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _input_may_be_shown(loc: tuple[int | str, ...]) -> bool:
    """Inputs are shown only for fields that are known not to be sensitive."""
    names = [p for p in loc if isinstance(p, str)]
    if len(names) < 2:  # noqa: PLR2004 - a collection and a field
        return False
    model = _BY_COLLECTION.get(names[0])
    if model is None:
        return names[0] == "info"
    return names[1] in model.model_fields and names[1] not in sensitive_fields(model)


def _repeated(values: list[Any] | tuple[Any, ...]) -> str:
    """The values given more than once (only for a field known not to be sensitive)."""
    seen: list[Any] = []
    again: list[str] = []
    for value in values:
        if value in seen and str(value) not in again:
            again.append(str(value))
        seen.append(value)
    return ", ".join(sorted(again))


def _short(value: Any) -> str | None:
    if isinstance(value, bool | int | float | str) or value is None:
        text = repr(value)
        return text if len(text) <= 80 else text[:77] + "..."  # noqa: PLR2004
    return None


_INTEGRITY = Integrity(
    references_of=references_of,
    walk=_integrity,
    walk_raw=_integrity_of_raw,
    models=_BY_COLLECTION,
    singular=_SINGULAR,
    problem_from_error=_problem_from_error,
)
"""The integrity rules drafts apply (see ``sw_volunteer.models._edit``)."""
