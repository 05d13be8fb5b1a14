"""Edits of a network that cost what they change.

A [`Draft`][sw_volunteer.models.Draft] collects additions, replacements and removals, then validates
only what they touch: the new and replaced entities' references, and the references of whatever
pointed at a removed entity. The new network shares every unchanged collection (and every entity)
with the old one, which stays as it was; the look-ups it carries (ids to entities, and the places
of entities in their collections, ``Positions``) are shared too, with only the edit's changes on
top. If the batch breaks integrity, the whole new network is walked as loading walks it, so the
error lists the same [`Problem`][sw_volunteer.errors.Problem] records as loading that network would.

What an edit costs: the validation of what it touches, plus one copy of each collection it
changes (a tuple: at 100,000 people a copy of the 89,000 clients takes a few tenths of a
millisecond, up to about a millisecond when the memory is cold), the one part that grows with
the network. The places of a collection's entities are built by the first edit that replaces or
removes one of them (tens of milliseconds for 89,000 entities, once), not by loading.

Each network made by an edit remembers, for a few dozen steps back, which ids each
step touched ([`Changes`][sw_volunteer.models.Changes]), so that a re-check can look at those only
(see [`changes_since`][sw_volunteer.models.Network.changes_since]).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import compress, count
from operator import attrgetter
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from pydantic import ValidationError

from sw_volunteer.errors import NetworkValidationError, Problem
from sw_volunteer.models._base import Entity
from sw_volunteer.models._entities import Activity, Supervision
from sw_volunteer.models._records import SupervisionSession
from sw_volunteer.vocab import SupervisionKind

if TYPE_CHECKING:
    from sw_volunteer.models._network import Network

__all__ = ["Changes", "Draft", "Index", "Integrity", "Positions"]

LINEAGE_LIMIT = 64
"""How many edit steps a network remembers (older ones: a re-check starts afresh)."""

POSITIONS_SLACK = 1024
"""How many changes the places of a collection carry before they are built again (at least)."""

_tokens = count(1)


def new_token() -> int:
    """A number no other network of this process carries."""
    return next(_tokens)


_MISSING: Any = object()


class Index:
    """Entities by id: a shared dictionary and the few changes made on top of it.

    An edit copies only the changes (``delta``; ``None`` marks a removal), not the
    dictionary of every entity; when the changes grow past a share of the whole, they
    are folded into a new dictionary (amortised O(1) per change).
    """

    __slots__ = ("base", "delta", "size")

    def __init__(
        self,
        base: dict[str, Entity],
        delta: dict[str, Entity | None] | None = None,
        size: int | None = None,
    ) -> None:
        self.base = base
        self.delta: dict[str, Entity | None] = delta if delta is not None else {}
        self.size = len(base) if size is None else size

    def get(self, key: str, default: Entity | None = None) -> Entity | None:
        """The entity ``key``, or ``default``."""
        delta = self.delta
        if delta:
            found = delta.get(key, _MISSING)
            if found is not _MISSING:
                return default if found is None else found
        return self.base.get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __getitem__(self, key: str) -> Entity:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __len__(self) -> int:
        return self.size

    def __setitem__(self, key: str, entity: Entity) -> None:
        if key not in self:
            self.size += 1
        self.delta[key] = entity

    def pop(self, key: str, default: Entity | None = None) -> Entity | None:
        """Remove ``key``; its entity, or ``default``."""
        found = self.get(key)
        if found is None:
            return default
        self.delta[key] = None
        self.size -= 1
        return found

    def derived(self) -> Index:
        """A working copy: changes made to it do not show here."""
        return Index(self.base, dict(self.delta), self.size)

    def settled(self) -> Index:
        """This index, its changes folded in when they have grown large."""
        if len(self.delta) <= max(1024, len(self.base) // 32):
            return self
        base = self.base.copy()
        for key, entity in self.delta.items():
            if entity is None:
                base.pop(key, None)
            else:
                base[key] = entity
        return Index(base)


_get_id = attrgetter("id")


class Positions:
    """Where each entity of one collection stands in its tuple, by id, shared across edits.

    Each entity has an ordinal: its place when the look-up was built or, appended since,
    the length then plus how many were appended before it. Ordinals grow along the
    tuple, so an entity's place is its ordinal less the number of ordinals removed before
    it (``dropped``, sorted: a bisection). An edit copies only its changes (``delta``:
    ordinals of the ids appended since, ``None`` for removed ones; and ``dropped``), not
    the look-up of every entity; past a share of the whole the look-up is let go
    (``after`` answers ``None``) and built again from the tuple when next needed
    (amortised O(1) per change).

    Example:
        >>> from types import SimpleNamespace as E
        >>> items = tuple(E(id=i) for i in "abcd")
        >>> later = Positions.of(items).after(removed=["b"], appended=["e"])
        >>> [later.at(i) for i in "acde"]
        [0, 1, 2, 3]
    """

    __slots__ = ("base", "delta", "dropped", "next")

    def __init__(
        self,
        base: dict[str, int],
        delta: dict[str, int | None] | None = None,
        dropped: tuple[int, ...] = (),
        next_ordinal: int | None = None,
    ) -> None:
        self.base = base
        self.delta: dict[str, int | None] = delta if delta is not None else {}
        self.dropped = dropped
        self.next = len(base) if next_ordinal is None else next_ordinal

    @classmethod
    def of(cls, items: Sequence[Any]) -> Positions:
        """The places of ``items`` (entities with distinct ids), in O(n)."""
        return cls(dict(zip(map(_get_id, items), range(len(items)), strict=True)))

    def _ordinal(self, key: str) -> int:
        found = self.delta.get(key, _MISSING) if self.delta else _MISSING
        ordinal = self.base[key] if found is _MISSING else found
        if ordinal is None:
            raise KeyError(key)
        return ordinal

    def at(self, key: str) -> int:
        """The place of the entity ``key`` (``KeyError``: not in the collection)."""
        ordinal = self._ordinal(key)
        return ordinal - bisect_left(self.dropped, ordinal) if self.dropped else ordinal

    def after(self, removed: Iterable[str], appended: Iterable[str]) -> Positions | None:
        """The places once ``removed`` are taken out, then ``appended`` added at the end.

        ``None`` when the changes have grown large: build the look-up again (``of``).
        """
        delta = dict(self.delta)
        dropped = list(self.dropped)
        for key in removed:
            insort(dropped, self._ordinal(key))
            delta[key] = None
        ordinal = self.next
        for key in appended:
            delta[key] = ordinal
            ordinal += 1
        if len(delta) + len(dropped) > max(POSITIONS_SLACK, len(self.base) // 32):
            return None
        return Positions(self.base, delta, tuple(dropped), ordinal)


@dataclass(frozen=True, slots=True)
class Changes:
    """What one or more edits touched: ids, by what happened to them.

    Attributes:
        added: Ids added, in the order they were appended.
        replaced: Ids whose entity was replaced (explicitly, or an activity that lost
            participants in a cascade).
        removed: Ids removed.
        collections: The collections that changed.

    Example:
        >>> a = Changes(added=("v1",), collections=frozenset({"volunteers"}))
        >>> b = Changes(removed=frozenset({"k1"}), collections=frozenset({"clients"}))
        >>> sorted(a.then(b).touched), sorted(a.then(b).collections)
        (['k1', 'v1'], ['clients', 'volunteers'])
    """

    added: tuple[str, ...] = ()
    replaced: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    collections: frozenset[str] = frozenset()

    @property
    def touched(self) -> frozenset[str]:
        """Every id added, replaced or removed."""
        return frozenset(self.added) | self.replaced | self.removed

    def then(self, later: Changes) -> Changes:
        """These changes followed by ``later``."""
        return Changes(
            added=self.added + later.added,
            replaced=self.replaced | later.replaced,
            removed=self.removed | later.removed,
            collections=self.collections | later.collections,
        )


class _Reference(Protocol):
    @property
    def field(self) -> str: ...
    @property
    def targets(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class Integrity:
    """The network's own integrity rules, handed to drafts (the network module owns them)."""

    references_of: Callable[[Entity], Iterable[tuple[_Reference, Iterable[str]]]]
    """Each reference field of an entity with the ids it names."""
    walk: Callable[
        [Mapping[str, Iterable[tuple[int, Entity]]]], tuple[dict[str, Entity], list[Problem]]
    ]
    """The walk of loading: every integrity problem of some collections, located."""
    walk_raw: Callable[[Mapping[str, Any], AbstractSet[tuple[Any, ...]]], list[Problem]]
    """The walk of loading when some entities failed validation (given as dicts)."""
    models: Mapping[str, type[Entity]]
    """The model of each collection."""
    singular: Mapping[str, str]
    """What one entity of each collection is called."""
    problem_from_error: Callable[[Mapping[str, Any]], Problem]
    """A pydantic error as loading reports it."""


@dataclass
class _State:
    """The draft's working copy: what differs from the base network."""

    index: Index
    added: dict[str, list[Entity]] = field(default_factory=dict)
    replacing: dict[str, Entity] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    to_check: set[str] = field(default_factory=set)
    added_order: dict[str, None] = field(default_factory=dict)
    """The ids added, in order (a dict: fast membership)."""
    removed: set[str] = field(default_factory=set)
    duplicates: bool = False
    referrers: dict[str, set[str]] = field(default_factory=dict)
    """Target id -> ids of the entities added or replaced here that refer to it."""
    invalid: dict[int, tuple[Entity, ValidationError]] = field(default_factory=dict)
    """Entities whose fields fail validation, by ``id()`` of the entity."""


class Draft:
    """A batch of edits of a network, validated once (see ``Network.edit``).

    Use it as a context manager: on a clean exit the edits are validated together and
    ``network`` is the edited network; if they break integrity, exit raises one
    [`NetworkValidationError`][sw_volunteer.errors.NetworkValidationError] listing every problem, as
    loading does. An exception inside the block discards the edits.

    Example:
        >>> from sw_volunteer.models import Centre, Network, SocialWorker
        >>> net = Network(centres=[Centre(id="c", name="利群")])
        >>> with net.edit() as draft:
        ...     draft.add(SocialWorker(id="w1", name="金某", centre="c"))
        ...     draft.add(SocialWorker(id="w2", name="王某", centre="c"))
        ...     draft.remove("w1")
        >>> [w.id for w in draft.network.workers], len(net.workers)
        (['w2'], 0)
    """

    def __init__(self, base: Network, rules: Integrity) -> None:
        self._base = base
        self._rules = rules
        self._state: _State | None = None
        self._result: Network | None = None

    # -- the edits -----------------------------------------------------------------

    def _working(self) -> _State:
        if self._result is not None:
            raise RuntimeError("this draft is finished; start another with Network.edit()")
        if self._state is None:
            self._state = _State(index=self._base._index.derived())  # noqa: SLF001 - same package
        return self._state

    def add(self, *entities: Entity) -> None:
        """Add ``entities`` at the end of their collections."""
        state = self._working()
        for entity in entities:
            _collection_of(entity, self._rules)
            _revalidate(state, entity)
            name = entity.collection
            if entity.id in state.index:
                state.duplicates = True
            else:
                state.index[entity.id] = entity
            state.added.setdefault(name, []).append(entity)
            state.added_order[entity.id] = None
            state.to_check.add(entity.id)
            self._note_references(state, entity)

    def replace(self, *entities: Entity) -> None:
        """Replace each entity with the one of the same id and kind.

        Raises:
            KeyError: No entity has that id, or it is of another kind.
        """
        state = self._working()
        for entity in entities:
            _collection_of(entity, self._rules)
            _revalidate(state, entity)
            found = state.index.get(entity.id)
            if found is None:
                raise KeyError(f"no entity with id {entity.id!r} in the network")
            if found.collection != entity.collection:
                raise KeyError(
                    f"{entity.id!r} is a {self._rules.singular[found.collection]}, "
                    f"not a {self._rules.singular[entity.collection]}"
                )
            self._put(state, entity)
            state.to_check.add(entity.id)
            self._note_references(state, entity)

    def remove(self, *entity_ids: str, cascade: bool = False) -> None:
        """Remove the entities ``entity_ids``.

        Args:
            *entity_ids: Ids of the entities to remove.
            cascade: Also remove what refers to them (recursively) and drop their
                participation in activities, as ``Network.with_removed`` does.

        Raises:
            KeyError: No entity has one of the ids.
        """
        state = self._working()
        for entity_id in entity_ids:
            if entity_id not in state.index:
                raise KeyError(f"no entity with id {entity_id!r} in the network")
        gone = set(entity_ids)
        if cascade:
            self._cascade(state, gone)
        for entity_id in gone:
            self._drop(state, entity_id)
        if not cascade:  # what still refers to them must be reported
            for entity_id in gone:
                state.to_check.update(r for r, _ in self._referrers(state, entity_id))

    # -- the context manager -----------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.finish()
        else:
            self._state = None

    @property
    def network(self) -> Network:
        """The edited network (after the ``with`` block).

        Raises:
            RuntimeError: The draft is not finished.
        """
        if self._result is None:
            raise RuntimeError("the draft is not finished: leave its 'with' block first")
        return self._result

    def finish(self) -> Network:
        """Validate the edits together and return the edited network (once)."""
        if self._result is None:
            self._result = self._build()
        return self._result

    # -- internals ---------------------------------------------------------------

    def _note_references(self, state: _State, entity: Entity) -> None:
        for _, ids in self._rules.references_of(entity):
            for target in ids:
                state.referrers.setdefault(target, set()).add(entity.id)

    def _put(self, state: _State, entity: Entity) -> None:
        """``entity`` in place of the entity of the same id (which exists)."""
        state.index[entity.id] = entity
        pending = state.added.get(entity.collection, []) if entity.id in state.added_order else []
        for i, e in enumerate(pending):
            if e.id == entity.id:
                pending[i] = entity
                return
        state.replacing[entity.id] = entity

    def _drop(self, state: _State, entity_id: str) -> None:
        entity = state.index.pop(entity_id, None)
        if entity is None:
            return
        state.removed.add(entity_id)
        state.replacing.pop(entity_id, None)
        state.to_check.discard(entity_id)
        pending = state.added.get(entity.collection, []) if entity_id in state.added_order else []
        for i, e in enumerate(pending):
            if e.id == entity_id:
                del pending[i]
                del state.added_order[entity_id]  # added again, it goes to the end
                return
        state.gone.add(entity_id)

    def _referrers(self, state: _State, target: str) -> Iterator[tuple[str, str]]:
        """(id, field) of each entity of the draft that refers to ``target`` now."""
        candidates = set(self._base._referrers_of(target))  # noqa: SLF001 - same package
        candidates.update(state.referrers.get(target, ()))  # added or replaced in this draft
        for cid in sorted(candidates):
            current = state.index.get(cid)
            if current is None:
                continue
            for ref, ids in self._rules.references_of(current):
                if target in ids:
                    yield cid, ref.field

    def _cascade(self, state: _State, gone: set[str]) -> None:
        """Grow ``gone`` with what refers to it; drop participations in activities and sessions.

        A supervision session loses the supervisees removed, and goes when none is left.
        """
        frontier = list(gone)
        touched_activities: set[str] = set()
        touched_sessions: set[str] = set()
        while frontier:
            target = frontier.pop()
            for referrer, field_name in self._referrers(state, target):
                if field_name in {"workers", "volunteers", "clients"}:
                    touched_activities.add(referrer)
                elif field_name == "supervisees":
                    touched_sessions.add(referrer)
                elif referrer not in gone:
                    gone.add(referrer)
                    frontier.append(referrer)
        for session_id in sorted(touched_sessions - gone):
            session = state.index[session_id]
            assert isinstance(session, SupervisionSession)  # noqa: S101 - supervisees are on sessions
            left = session.supervisees - gone
            if left:  # fewer references than before: nothing new to note
                self._put(state, session.model_copy(update={"supervisees": left}))
            else:  # nothing refers to a session: no further cascade
                gone.add(session_id)
        for act_id in sorted(touched_activities - gone):
            act = state.index[act_id]
            assert isinstance(act, Activity)  # noqa: S101 - participation is on activities
            self._put(  # fewer references than before: nothing new to note
                state,
                act.model_copy(
                    update={
                        "workers": act.workers - gone,
                        "volunteers": act.volunteers - gone,
                        "clients": act.clients - gone,
                        "tasks": tuple(t for t in act.tasks if t.person not in gone),
                        "guardian_consents": tuple(
                            c for c in act.guardian_consents if c.client not in gone
                        ),
                        "transport": tuple(
                            v.model_copy(update={"driver": None}) if v.driver in gone else v
                            for v in act.transport
                        ),
                    }
                ),
            )

    def _build(self) -> Network:
        base = self._base
        state = self._state
        if state is None:
            return base
        index = state.index
        collections, places = self._collections(state)
        if state.invalid:
            _raise_field_problems(collections, state.invalid, self._rules)
        sound = not state.duplicates and all(
            _sound(index[eid], index, self._rules) for eid in state.to_check if eid in index
        )
        if not sound:  # walk the whole network as loading does, to locate every problem
            walked, problems = self._rules.walk({n: enumerate(es) for n, es in collections.items()})
            if problems:
                raise NetworkValidationError(problems)
            index = Index(walked)
        changes = Changes(
            added=tuple(eid for eid in state.added_order if eid in index),
            replaced=frozenset(state.replacing),
            removed=frozenset(state.removed),
            collections=frozenset(
                name for name in collections if collections[name] is not getattr(base, name)
            ),
        )
        return base._derived(collections, index.settled(), changes, places)  # noqa: SLF001

    def _collections(
        self, state: _State
    ) -> tuple[dict[str, tuple[Entity, ...]], dict[str, Positions]]:
        """Each collection of the edited network, and the places of its entities.

        Unchanged collections (and their places) are the base's own; the places of a
        changed one follow the edits if the base had them.
        """
        base = self._base
        out: dict[str, tuple[Entity, ...]] = {}
        places: dict[str, Positions] = dict(base._positions)  # noqa: SLF001 - same package
        changed_in: dict[str, list[str]] = {}
        for eid in (*state.replacing, *state.gone):
            old = base._index[eid]  # noqa: SLF001 - same package
            changed_in.setdefault(old.collection, []).append(eid)
        for name in base.collections:
            items: tuple[Entity, ...] = getattr(base, name)
            ids = changed_in.get(name)
            added = state.added.get(name)
            if not ids and not added:
                out[name] = items
                continue
            removed: list[str] = []
            if ids:
                known, found = _located(base, name, ids)
                places[name] = known
                removed = [eid for eid in ids if eid in state.gone]
                items = _edited(items, found, state)
            if added:
                items += tuple(added)
            out[name] = items
            carried = places.pop(name, None)
            if carried is not None:
                later = carried.after(removed, [e.id for e in added or ()])
                if later is not None:
                    places[name] = later
        return out, places


def _located(
    network: Network, name: str, ids: Iterable[str]
) -> tuple[Positions, list[tuple[int, str]]]:
    """The places of the entities of ``network``'s collection ``name``, and of ``ids``.

    The places are built on first use and kept on ``network``; if they do not match the
    collection (a network copied with other collections), they are built again.
    """
    items: tuple[Entity, ...] = getattr(network, name)
    known: Positions | None = network._positions.get(name)  # noqa: SLF001 - same package
    if known is not None:
        try:
            found = [(known.at(eid), eid) for eid in ids]
            if all(items[at].id == eid for at, eid in found):
                return known, found
        except (KeyError, IndexError):
            pass
    known = Positions.of(items)
    network._positions = {**network._positions, name: known}  # noqa: SLF001 - a cache
    return known, [(known.at(eid), eid) for eid in ids]


def _edited(
    items: tuple[Entity, ...], found: list[tuple[int, str]], state: _State
) -> tuple[Entity, ...]:
    """``items`` with the replacements and removals of ``found`` (place, id) applied."""
    # Copying a tuple touches every entity it holds (references are counted): at
    # 100,000 people each pass over a large collection costs about 0.3 ms. Taking one
    # out at the end (or start) is one pass, elsewhere three; everything else, three.
    if len(found) == 1 and found[0][1] in state.gone:
        at = found[0][0]
        return items[:at] + items[at + 1 :]
    out = list(items)
    drop = []
    for at, eid in found:
        if eid in state.gone:
            drop.append(at)
        else:
            out[at] = state.replacing[eid]
    if len(drop) <= 8:  # noqa: PLR2004 - a few: each a move of the rest, in C
        for at in sorted(drop, reverse=True):
            del out[at]
        return tuple(out)
    keep = bytearray(b"\x01") * len(items)  # many: dropped all at once
    for at in drop:
        keep[at] = 0
    return tuple(compress(out, keep))


def _revalidate(state: _State, entity: Entity) -> None:
    """Validate ``entity``'s fields again (it may come from ``model_copy(update=...)``)."""
    try:
        type(entity).model_validate(dict(entity.__dict__))
    except ValidationError as exc:
        state.invalid[id(entity)] = (entity, exc)


def _raise_field_problems(
    collections: Mapping[str, tuple[Entity, ...]],
    invalid: Mapping[int, tuple[Entity, ValidationError]],
    rules: Integrity,
) -> None:
    """Raise the problems of the invalid entities still present, as loading reports them.

    Their field problems come first, then the integrity problems of the whole network,
    the invalid entities' references checked from their values as loading does.
    """
    problems: list[Problem] = []
    raw: dict[str, list[Any]] = {}
    failed_fields: set[tuple[Any, ...]] = set()
    for name, items in collections.items():
        raw[name] = list(items)
        for i, entity in enumerate(items):
            found = invalid.get(id(entity))
            if found is None or found[0] is not entity:
                continue
            raw[name][i] = dict(entity.__dict__)
            for err in found[1].errors(include_url=False):
                loc = (name, i, *err["loc"])
                problems.append(rules.problem_from_error({**err, "loc": loc}))
                failed_fields.add(loc[:3])
    if problems:
        problems.extend(rules.walk_raw(raw, failed_fields))
        raise NetworkValidationError(problems)


def _sound(
    entity: Entity,
    index: Index,
    rules: Integrity,
) -> bool:
    """Whether every reference of ``entity`` resolves to the right kind, and its relations hold."""
    for ref, ids in rules.references_of(entity):
        for target in ids:
            found = index.get(target)
            if found is None or found.collection not in ref.targets:
                return False
    if isinstance(entity, Supervision):
        wanted = "workers" if entity.kind is SupervisionKind.PROFESSIONAL else "volunteers"
        if index[entity.supervisee].collection != wanted:
            return False
    if isinstance(entity, Activity) and entity.tasks:
        staff = entity.workers | entity.volunteers
        if any(t.person not in staff for t in entity.tasks):
            return False
    return True


def _collection_of(entity: object, rules: Integrity) -> str:
    name = getattr(entity, "collection", None)
    model = rules.models.get(name) if isinstance(name, str) else None
    if model is None or not isinstance(entity, model):
        raise NetworkValidationError(
            [
                Problem(
                    "(edit)",
                    "not_an_entity",
                    f"expected a centre, person, programme, activity or relation, "
                    f"got {type(entity).__name__}",
                )
            ]
        )
    return model.collection


def lineage_step(
    lineage: tuple[tuple[int, Changes], ...], parent: int, changes: Changes
) -> tuple[tuple[int, Changes], ...]:
    """``lineage`` with one more step from ``parent``, at most ``LINEAGE_LIMIT`` long."""
    return (*lineage, (parent, changes))[-LINEAGE_LIMIT:]


def changes_along(lineage: Iterable[tuple[int, Changes]], ancestor: int) -> Changes | None:
    """The changes from the network ``ancestor`` along ``lineage`` (``None``: not in it)."""
    steps = list(lineage)
    for k, (parent, _) in enumerate(steps):
        if parent == ancestor:
            total = Changes()
            for _, step in steps[k:]:
                total = total.then(step)
            return total
    return None
