"""Re-checks that cost what changed: a ``Checker`` keeps each rule's violations.

After an edit (a network made from the checked one by ``with_added``,
``with_replaced``, ``with_removed`` or [`edit`][sw_volunteer.models.Network.edit]),
[`Checker.update`][sw_volunteer.rules.Checker.update] evaluates again only

- the network rules whose declared collections changed (see
  ``sw_volunteer.rules._reads``); a rule declared ``per`` a collection, only for
  the changed entities of it;
- the session rules, only on the activities that changed or name something that
  changed (all of them when someone is booked on overlapping activities);
- every rule of a kind that declared nothing.

The look-ups of the check's context whose collections did not change are kept. The
report is the one [`check`][sw_volunteer.rules.check] gives on the new network, violation
for violation and in the same order; a network that was not made from the checked one
by edits is checked whole.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from itertools import chain, compress, repeat
from operator import attrgetter, is_
from typing import Any, cast

from sw_volunteer.errors import RuleError
from sw_volunteer.models import (
    Activity,
    CaseAssignment,
    Changes,
    Client,
    Entity,
    Network,
    SocialWorker,
    Supervision,
    Volunteer,
    gc_paused,
)
from sw_volunteer.rules._booking import _KEY as _BOOKINGS
from sw_volunteer.rules._booking import counted_once
from sw_volunteer.rules._check import (
    _WORST_FIRST,
    RulesLike,
    _dated,
    _default_day,
    _in_force,
    _on_roster_that_day,
    _strongest_only,
    resolve_rules,
)
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.rules._declarations import ActivityEvaluator, NetworkEvaluator, Rule
from sw_volunteer.rules._reads import Reads, reads_of
from sw_volunteer.rules._report import Report
from sw_volunteer.rules._violations import Violation
from sw_volunteer.vocab import ClientNeed, SupervisionKind

__all__ = ["Checker"]

_PEOPLE = frozenset({"workers", "volunteers"})
_SUPERVISION = frozenset({"supervisions"})
_LOOKUP_READS: dict[str, tuple[frozenset[str], bool]] = {
    "programme_needs": (frozenset({"programmes"}), False),
    "adults": (frozenset(), False),
    "volunteers_on_roster": (frozenset({"volunteers"}), True),
    "workers_on_roster": (frozenset({"workers"}), True),
    "volunteer_ages": (frozenset({"volunteers"}), True),
    "workers_by_centre": (frozenset({"workers"}), True),
    "active_supervisions": (_SUPERVISION, True),
    "supervisees_by_supervisor": (_SUPERVISION, True),
    "supervisors_by_supervisee": (_SUPERVISION, True),
    "professional_supervisions": (_SUPERVISION, True),
    "graph": (_SUPERVISION | _PEOPLE, True),
    "cases_by_need": (frozenset({"assignments", "clients"}), True),
}
"""What each look-up of ``CheckContext`` reads: collections, and who is off the roster."""

_BY_ID = {"workers_by_id": "workers", "volunteers_by_id": "volunteers", "clients_by_id": "clients"}
"""The look-ups by id, updated rather than built again."""

_KEY_OF = attrgetter("code", "entities", "session")
"""What ``_strongest_only`` compares of a violation."""
_SEVERITY_OF = attrgetter("severity")

_Found = list[Violation] | dict[str, tuple[Violation, ...]] | dict[int, tuple[Violation, ...]]
"""A rule's violations: a list, or by entity (document order) for ``per`` rules."""


class Checker:
    """A check that follows a network through its edits, re-evaluating what changed.

    Args:
        network: The network to check.
        rules: As for [`check`][sw_volunteer.rules.check].
        on: The day checked, as for [`check`][sw_volunteer.rules.check] (fixed for
            the checker's life).

    Attributes:
        network: The network last checked.
        report: Its report: equal to ``sv.check(network, rules, on=on)``.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="利群")],
        ...     workers=[sv.SocialWorker(id="w", name="金某", centre="c",
        ...                              certification="assistant")],
        ... )
        >>> checker = sv.Checker(net, on=date(2013, 11, 18))
        >>> checker.report.ok
        True
        >>> net = net.with_added(sv.Volunteer(id="v", name="小王", centre="c"))
        >>> [v.code for v in checker.update(net).violations]
        ['volunteer_unsupervised']
        >>> checker.report == sv.check(net, on=date(2013, 11, 18))
        True
    """

    def __init__(
        self, network: Network, rules: RulesLike = None, *, on: date | None = None
    ) -> None:
        self._activities: dict[str, Activity] = {}
        self._on_roster: dict[str, tuple[Activity, Activity]] = {}
        self._booked = False
        self._pack_of_version = resolve_rules(rules)
        self.on = on if on is not None else _default_day(network)
        self._resolved, self._skipped = _in_force(self._pack_of_version, self.on)
        self.network = network
        self._stale = False
        with gc_paused():  # many small objects, none of them garbage
            self.report = self._check_whole(network)

    # -- public ----------------------------------------------------------------

    def update(self, network: Network) -> Report:
        """Check ``network``, a later version of ``network``, and return its report.

        Only what the edits since ``network`` can affect is evaluated again;
        another network is checked whole.
        """
        changes = None if self._stale else network.changes_since(self.network)
        with gc_paused():  # a collection would walk the whole network for nothing
            if changes is None:
                self._stale = True  # until the check is done
                self.report = self._check_whole(network)
            elif changes.touched:
                self._stale = True  # the look-ups are updated in place: whole if this fails
                self.report = self._check_changed(network, changes)
        self._stale = False
        self.network = network
        return self.report

    # -- whole -----------------------------------------------------------------

    def _check_whole(self, network: Network) -> Report:
        context = CheckContext(network=network, on=self.on, pack=self._resolved)
        activities = self._sessions(network, context)
        self._found: list[_Found | dict[str, tuple[Violation, ...]]] = []
        self._tails: dict[int, list[Violation]] = {}
        """By rule (``per="supervisors"`` with a ``tail``): its violations about no supervisor."""
        for rule in self._resolved.rules:
            registered = rule.registration
            params = rule.parsed_params
            reads = reads_of(rule.kind)
            if registered.scope == "network":
                found = list(cast("NetworkEvaluator", registered.evaluator)(rule, params, context))
                if reads is not None and reads.per == "supervisors":
                    if reads.tail_codes:
                        self._tails[len(self._found)] = [
                            v for v in found if v.code in reads.tail_codes
                        ]
                        found = [v for v in found if v.code not in reads.tail_codes]
                    self._found.append(_by_supervisor(found, _keys(rule, reads, context)))
                elif reads is not None and reads.per == "centres":
                    self._found.append(_by_first(found))
                elif reads is not None and reads.per == "supervision_edges":
                    edges = context.professional_supervisions
                    self._found.append(_by_edge(found, edges, range(len(edges))))
                elif reads is not None and reads.per not in {None, "supervisees"}:
                    self._found.append(_by_entity(found, getattr(network, reads.per)))
                else:
                    self._found.append(found)
            else:
                evaluate = cast("ActivityEvaluator", registered.evaluator)
                self._found.append(
                    {a.id: tuple(evaluate(rule, params, a, context)) for a in activities}
                )
        self._flat: list[list[Violation] | None] = [None] * len(self._found)
        self._by_severity: list[tuple[list[Violation], ...]] = [()] * len(self._found)
        """By rule: its listed violations by severity, worst first (with ``_flat``)."""
        self._listed_keys: list[set[tuple[object, ...]]] = [set() for _ in self._found]
        """By rule: the keys ``_strongest_only`` compares of its listed violations."""
        self._doubled: set[int] = set()
        """The rules that list a key twice themselves."""
        self._rules_listing: dict[tuple[object, ...], int] = {}
        """How many rules list each key; ``_shared``: how many keys two rules list."""
        self._shared = 0
        self._keys: dict[int, tuple[object, list[str], set[str]]] = {}
        """By rule (``per="supervisors"``): the look-up its supervisors were listed from."""
        self._edge_at: dict[str, int] | None = None
        """Where each supervision edge is in the network's order (built when first asked)."""
        self._between: dict[tuple[str, SupervisionKind, str], list[str]] = {}
        """The edges by supervisor, kind and supervisee (with ``_edge_at``)."""
        self._context = context
        self._violations: tuple[Violation, ...] | None = None
        return self._report(activities)

    # -- what changed ------------------------------------------------------------

    def _check_changed(self, network: Network, changes: Changes) -> Report:
        self._network = network
        self._grown: tuple[object, object, list[tuple[str, SupervisionKind]]] | None = None
        self._changed_by_collection = _by_collection(self.network, network, changes)
        self._changed_in = _changed_entities(network, changes)
        self._follow_edges(network, changes)
        self._affected: set[str] | None = None
        self._supervisors_by_kind: dict[SupervisionKind, list[str]] = {}
        self._affected_load: dict[tuple[str, SupervisionKind], list[str]] | None = None
        context = self._next_context(network, changes)
        before = self._activities
        activities = self._sessions(network, context, changes)
        redo_sessions = self._sessions_to_redo(activities, before, changes, context)
        same_sessions = list(before) == list(self._activities)  # the same, in the same order
        if not same_sessions:  # the sessions' violations are listed in another order
            for n, rule in enumerate(self._resolved.rules):
                if rule.registration.scope != "network":
                    self._flat[n] = None
        for n, rule in enumerate(self._resolved.rules):
            registered = rule.registration
            reads = reads_of(rule.kind)
            if registered.scope == "network":
                self._redo_network_rule(
                    n, rule=rule, reads=reads, network=network, changes=changes, context=context
                )
                continue
            evaluate = cast("ActivityEvaluator", registered.evaluator)
            params = rule.parsed_params
            old = cast("dict[str, tuple[Violation, ...]]", self._found[n])
            known = reads is not None and reads.per == "activities" and redo_sessions is not None
            if known and not redo_sessions and same_sessions:
                continue  # no session to evaluate again, none gone
            previous, self._flat[n] = self._flat[n], None
            if known and same_sessions:  # the sessions to evaluate again, in place
                moved = False
                for aid in cast("set[str]", redo_sessions):
                    found = tuple(evaluate(rule, params, self._activities[aid], context))
                    moved = moved or bool(found) or bool(old.get(aid))
                    old[aid] = found
                if not moved:  # none had violations, none has: the same list
                    self._flat[n] = previous
                continue
            self._found[n] = {
                a.id: old[a.id]
                if known and a.id not in cast("set[str]", redo_sessions) and a.id in old
                else tuple(evaluate(rule, params, a, context))
                for a in activities
            }
        self._context = context
        return self._report(activities)

    def _redo_network_rule(
        self,
        n: int,
        *,
        rule: Rule,
        reads: Reads | None,
        network: Network,
        changes: Changes,
        context: CheckContext,
    ) -> None:
        hit = None if reads is None else self._reads_changed(reads, changes)
        if reads is not None and not hit:
            return
        evaluate = cast("NetworkEvaluator", rule.registration.evaluator)
        params = rule.parsed_params
        previous, self._flat[n] = self._flat[n], None
        if reads is None or reads.per is None:
            self._found[n] = list(evaluate(rule, params, context))
            return
        if reads.per == "supervisors":
            if reads.tail is not None and self._tail_changed(reads, hit):
                self._tails[n] = list(reads.tail(rule, params, context))
            if hit is None or hit & reads.collections:
                self._redo_supervisors(n, rule, reads, network, context)
            return
        redo = {
            "centres": self._redo_centres,
            "supervision_edges": self._redo_edges,
            "supervisees": self._redo_supervisees,
        }.get(reads.per)
        if redo is not None:
            redo(n, rule, hit, network, context, changes)
            return
        if hit and hit != {reads.per}:  # what its entities name changed: all again
            self._found[n] = _by_entity(
                evaluate(rule, params, context), getattr(network, reads.per)
            )
            return
        self._redo_per_entity(n, rule, reads.per, changes, context, previous)

    def _redo_per_entity(  # noqa: PLR0917 - one rule, what changed, the check, its list
        self,
        n: int,
        rule: Rule,
        per: str,
        changes: Changes,
        context: CheckContext,
        previous: list[Violation] | None,
    ) -> None:
        """Evaluate a rule declared ``per`` a collection again on its changed entities.

        When no violation went or changed in the middle of the rule's list (the usual
        case: the entities changed had none and have none), the list is kept, with the
        violations of the entities appended added at its end.
        """
        evaluate = cast("NetworkEvaluator", rule.registration.evaluator)
        by_entity = cast("dict[str, tuple[Violation, ...]]", self._found[n])
        moved = False
        for eid in changes.removed:
            moved = bool(by_entity.pop(eid, None)) or moved
        present = {e.id: e for e in self._changed_in.get(per, ())}
        fresh = _alone(evaluate, rule, rule.parsed_params, per, list(present.values()), context)
        added = set(changes.added)
        appended: list[Violation] = []
        for eid in changes.added:  # appended: at the end, in order
            if eid in present:
                moved = bool(by_entity.pop(eid, None)) or moved
                by_entity[eid] = fresh.get(eid, ())
                appended.extend(by_entity[eid])
        for eid in present:
            if eid not in added:  # replaced in place
                found = fresh.get(eid, ())
                moved = moved or bool(found) or bool(by_entity.get(eid))
                by_entity[eid] = found
        if previous is not None and not moved:
            self._flat[n] = previous
            if appended:
                self._appended(n, appended)

    def _redo_supervisees(  # noqa: PLR0917 - as _redo_centres
        self,
        n: int,
        rule: Rule,
        hit: set[str] | None,
        network: Network,
        context: CheckContext,
        changes: Changes,
    ) -> None:
        """Evaluate a ``per="supervisees"`` rule again (see ``Reads.per``).

        While it found nothing, only a supervisee who gained an active edge may be
        about to break it: followed when edges were removed or added (never replaced),
        nobody came on the roster, and every supervisee of an active edge added was
        added too (all their edges are among those added, at the end of the network's
        order). Anything else: whole again.
        """
        del hit  # followed through the changes themselves
        evaluate = cast("NetworkEvaluator", rule.registration.evaluator)
        before, after = self._context.__dict__, context.__dict__
        old_off, off = before.get("off_roster"), after.get("off_roster")
        pairs = self._changed_by_collection[2].get("supervisions", ())
        removed = changes.removed
        if (
            self._found[n] != []
            or old_off is None
            or off is None
            or not off >= old_off - removed
            or any(old is not None and new is not None for old, new in pairs)
        ):
            self._found[n] = list(evaluate(rule, rule.parsed_params, context))
            return
        added = {new.id for old, new in pairs if old is None and new is not None}
        day = self.on
        gained: list[Supervision] = []
        for eid in changes.added:  # in the network's order: appended in this order
            if eid not in added:
                continue
            edge = cast("Supervision", network.get(eid))
            if not (edge.start <= day and (edge.end is None or day <= edge.end)):
                continue
            if edge.supervisor in off or edge.supervisee in off:
                continue
            if edge.supervisee not in changes.added or edge.supervisee in removed:
                self._found[n] = list(evaluate(rule, rule.parsed_params, context))
                return
            gained.append(edge)
        if not gained:
            return  # nothing then, nothing now
        part = CheckContext(network=network, on=self.on, pack=self._resolved)
        part.__dict__["off_roster"] = off
        part.__dict__["active_supervisions"] = tuple(gained)
        part._rules_by_kind = context._rules_by_kind  # noqa: SLF001 - the same pack
        self._found[n] = list(evaluate(rule, rule.parsed_params, part))

    def _redo_centres(  # noqa: PLR0917 - one rule, what changed and the check
        self,
        n: int,
        rule: Rule,
        hit: set[str] | None,
        network: Network,
        context: CheckContext,
        changes: Changes,
    ) -> None:
        """Evaluate a ``per="centres"`` rule again on the centres a change touches.

        See ``_unguided_after``; when it cannot follow the change, whole again.
        """
        evaluate = cast("NetworkEvaluator", rule.registration.evaluator)
        found = cast("dict[str, tuple[Violation, ...]]", self._found[n])
        followed = self._unguided_after(hit, context, changes, found)
        if followed is None:
            self._found[n] = _by_first(evaluate(rule, rule.parsed_params, context))
            return
        lists, affected = followed
        affected &= set(lists)
        fresh: dict[str, tuple[Violation, ...]] = {}
        if affected:
            volunteers = context.volunteers_by_id
            workers = context.workers_by_id
            after = context.__dict__
            part = CheckContext(network=network, on=self.on, pack=self._resolved)
            for name in (*_LOOKUP_READS, *_BY_ID, "off_roster"):
                if name in after:
                    part.__dict__[name] = after[name]
            part.__dict__["volunteers_on_roster"] = tuple(
                volunteers[vid]
                for centre, vids in lists.items()
                if centre in affected
                for vid in vids
            )
            part.__dict__["supervisees_by_supervisor"] = {
                key: who
                for key, who in context.supervisees_by_supervisor.items()
                if workers[key[0]].centre in affected
            }
            part._rules_by_kind = context._rules_by_kind  # noqa: SLF001 - the same pack
            fresh = _by_first(evaluate(rule, rule.parsed_params, part))
        if list(lists) == list(found):  # the same centres, in order: in place
            for centre in affected:
                found[centre] = fresh.get(centre, ())
            return
        self._found[n] = {
            centre: fresh.get(centre, ()) if centre in affected else found[centre]
            for centre in lists
        }

    def _unguided_after(  # noqa: PLR0912 - each way a change may not be followed
        self,
        hit: set[str] | None,
        context: CheckContext,
        changes: Changes,
        found: Mapping[str, Sequence[Violation]],
    ) -> tuple[dict[str, list[str]], set[str]] | None:
        """The unguided volunteers by centre after ``changes``, and the centres to redo.

        Followed when social workers were replaced on the same days, volunteers added
        (appended) or removed, and guidance edges added to the volunteers added or
        removed with their volunteers; the centres to evaluate again are those whose
        unguided volunteers, social workers or their guidance loads changed. ``None``:
        anything else (evaluated whole again).
        """
        structural, replaced, pairs = self._changed_by_collection
        before, after = self._context.__dict__, context.__dict__
        if (
            hit is None
            or not hit <= {"workers", "volunteers", "supervisions"}
            or "workers" in structural
            or "off_roster" not in after
            or after["off_roster"] != before.get("off_roster")
            or replaced.get("supervisions")
            or not set(changes.removed).isdisjoint(changes.added)  # removed, added again
        ):
            return None
        for old, new in replaced.get("volunteers", ()):
            if getattr(old, "centre", None) != getattr(new, "centre", None) or not _same_roster(
                old, new
            ):
                return None
        guidance = SupervisionKind.GUIDANCE
        lists = {
            centre: [vid for v in vs for vid in v.entities[1:]] for centre, vs in found.items()
        }
        affected: set[str] = set()
        for old, new in replaced.get("workers", ()):
            affected.update(cast("SocialWorker", p).centre for p in (old, new))
        gone: dict[str, str] = {}  # removed volunteers: their centres
        for was, now in pairs.get("volunteers", ()):
            if isinstance(was, Volunteer) and now is None:
                gone[was.id] = was.centre
        added = set(changes.added)
        old_workers, workers = self._context.workers_by_id, context.workers_by_id
        guides: dict[str, list[str]] = {}  # added volunteers: the supervisors of their edges
        for was, now in pairs.get("supervisions", ()):
            edge = was if was is not None else now
            if not isinstance(edge, Supervision) or edge.kind is not guidance:
                continue
            if was is not None:  # removed: only with its volunteer
                if edge.supervisee not in gone:
                    return None
                affected.add(old_workers[edge.supervisor].centre)
            else:  # added: only to a volunteer added
                if edge.supervisee not in added:
                    return None
                affected.add(workers[edge.supervisor].centre)
                guides.setdefault(edge.supervisee, []).append(edge.supervisor)
        for vid, centre in gone.items():
            found_here = lists.get(centre)
            if found_here is None or vid not in found_here:
                continue
            at = found_here.index(vid)
            if at == 0 and len(found_here) > 1:
                return None  # the centre's place may move
            del found_here[at]
            if not found_here:
                del lists[centre]
            affected.add(centre)
        load = context.supervisees_by_supervisor
        off = after["off_roster"]
        for v in self._changed_in.get("volunteers", ()):
            if v.id not in added or v.id in off:
                continue
            if any(v.id in load.get((sup, guidance), ()) for sup in guides.get(v.id, ())):
                continue
            lists.setdefault(cast("Volunteer", v).centre, []).append(v.id)
            affected.add(cast("Volunteer", v).centre)
        return lists, affected

    def _redo_edges(  # noqa: PLR0917 - as _redo_centres
        self,
        n: int,
        rule: Rule,
        hit: set[str] | None,
        network: Network,
        context: CheckContext,
        changes: Changes,
    ) -> None:
        """Evaluate a ``per="supervision_edges"`` rule again on the edges a change touches.

        Whole again unless only social workers were replaced, with the same days on the
        roster and the same edges: then only the edges from or to them, or to someone of
        their centres (before and after), are evaluated again.
        """
        del changes  # followed only through the replaced workers
        evaluate = cast("NetworkEvaluator", rule.registration.evaluator)
        structural, replaced, _ = self._changed_by_collection
        before, after = self._context.__dict__, context.__dict__
        name = "professional_supervisions"
        edges = cast("tuple[Supervision, ...] | None", after.get(name))
        if (
            hit != {"workers"}
            or "workers" in structural
            or edges is not before.get(name)
            or edges is None
        ):
            every = context.professional_supervisions
            found = evaluate(rule, rule.parsed_params, context)
            self._found[n] = _by_edge(found, every, range(len(every)))
            return
        pairs = replaced["workers"]
        people = {old.id for old, _ in pairs}
        centres = {cast("SocialWorker", person).centre for pair in pairs for person in pair}
        workers = context.workers_by_id
        at = [
            i
            for i, e in enumerate(edges)
            if e.supervisor in people
            or e.supervisee in people
            or workers[e.supervisee].centre in centres
        ]
        if not at:
            return
        part = CheckContext(network=network, on=self.on, pack=self._resolved)
        for looked_up in (*_LOOKUP_READS, *_BY_ID, "off_roster"):
            if looked_up in after:
                part.__dict__[looked_up] = after[looked_up]
        part.__dict__[name] = tuple(edges[i] for i in at)
        part._rules_by_kind = context._rules_by_kind  # noqa: SLF001 - the same pack
        fresh = _by_edge(evaluate(rule, rule.parsed_params, part), part.__dict__[name], at)
        old = cast("dict[int, tuple[Violation, ...]]", self._found[n])
        grown = any(i not in old for i in fresh)
        for i in at:
            if i in fresh:
                old[i] = fresh[i]
            else:
                old.pop(i, None)
        if grown:  # in the order of the edges
            self._found[n] = {i: old[i] for i in sorted(old)}

    def _tail_changed(self, reads: Reads, hit: set[str] | None) -> bool:
        """Whether what a rule's ``tail`` reads changed (social workers: came or went)."""
        tail_hit = reads.tail_reads & (hit or set())
        structural = self._changed_by_collection[0]
        return any(name != "workers" or name in structural for name in tail_hit)

    def _redo_supervisors(
        self,
        n: int,
        rule: Rule,
        reads: Reads,
        network: Network,
        context: CheckContext,
    ) -> None:
        """Evaluate a ``per="supervisors"`` rule again on the centres that changed."""
        load = context.supervisees_by_supervisor
        keys, known, appended, in_place = self._supervisor_keys(n, rule, reads, context)
        if self._affected is None:
            self._affected = _affected_centres(
                self.network, network, self._changed_by_collection[2], self._context, context
            )
        affected = self._affected
        workers = context.workers_by_id
        by_centre = context.workers_by_centre  # who is on the roster: every supervisor
        redo = {w.id for c in affected for w in by_centre.get(c, ()) if w.id in known}
        fresh: dict[str, tuple[Violation, ...]] = {}
        if redo:
            part = CheckContext(network=network, on=self.on, pack=self._resolved)
            for name in (*_LOOKUP_READS, *_BY_ID, "off_roster"):
                if name in context.__dict__:
                    part.__dict__[name] = context.__dict__[name]
            if self._affected_load is None:
                self._affected_load = {
                    key: found for key, found in load.items() if workers[key[0]].centre in affected
                }
            part.__dict__["supervisees_by_supervisor"] = self._affected_load
            part._rules_by_kind = context._rules_by_kind  # noqa: SLF001 - the same pack
            evaluate = cast("NetworkEvaluator", rule.registration.evaluator)
            found = evaluate(rule, rule.parsed_params, part)
            fresh = _by_supervisor(_without_tail(found, reads), known)
        old = cast("dict[str, tuple[Violation, ...]]", self._found[n])
        if in_place:  # the same supervisors, in order, and maybe more at the end
            for sup in redo:
                if sup in old:
                    old[sup] = fresh.get(sup, ())
            for sup in appended:
                old[sup] = fresh.get(sup, ())
            return
        self._found[n] = {
            sup: fresh.get(sup, ()) if sup in redo else old.get(sup, ()) for sup in keys
        }

    def _supervisor_keys(
        self, n: int, rule: Rule, reads: Reads, context: CheckContext
    ) -> tuple[list[str], set[str], list[str], bool]:
        """The supervisors rule ``n`` lists, in order; those appended; whether in place.

        In place: the supervisors listed before, in the same order, maybe with more at
        the end (``appended``).
        """
        load = context.supervisees_by_supervisor
        kept = self._keys.get(n)
        grown = self._grown
        appended: list[str] = []
        if kept is not None and kept[0] is load:  # the same look-up
            return kept[1], kept[2], appended, True
        if kept is not None and grown is not None and grown[0] is kept[0] and grown[1] is load:
            assert reads.supervision_kind is not None  # noqa: S101 - declared with the rule
            kind = reads.supervision_kind(rule)
            appended = [sup for sup, k in grown[2] if k is kind]  # after the others
            keys, known = kept[1], kept[2]
            keys.extend(appended)
            known.update(appended)
            self._keys[n] = (load, keys, known)
            return keys, known, appended, True
        listed = self._supervisors_of_kind(rule, reads, context)
        if kept is not None and kept[1] == listed:  # the same supervisors, in order
            self._keys[n] = (load, kept[1], kept[2])
            return kept[1], kept[2], appended, True
        keys = list(listed)  # its own: extended in place when edges are appended
        known = set(keys)
        self._keys[n] = (load, keys, known)
        return keys, known, appended, False

    def _supervisors_of_kind(self, rule: Rule, reads: Reads, context: CheckContext) -> list[str]:
        """``_keys``, listed once per kind for each check (shared: not to be changed)."""
        assert reads.supervision_kind is not None  # noqa: S101 - declared with the rule
        kind = reads.supervision_kind(rule)
        found = self._supervisors_by_kind.get(kind)
        if found is None:
            found = self._supervisors_by_kind[kind] = _keys(rule, reads, context)
        return found

    def _edges_between(
        self, supervisor: str, kind: SupervisionKind, supervisee: str
    ) -> list[tuple[int, Supervision]]:
        """The edges from ``supervisor`` to ``supervisee`` of ``kind``, with their places."""
        if self._edge_at is None:  # built on first use, then followed through the edits
            self._edge_at, self._between = {}, {}
            for edge in self._network.supervisions:
                self._edge_at[edge.id] = len(self._edge_at)
                self._between.setdefault(_ends(edge), []).append(edge.id)
            self._edge_next = len(self._edge_at)
        network = self._network
        return [
            (self._edge_at[eid], cast("Supervision", network.get(eid)))
            for eid in self._between.get((supervisor, kind, supervisee), ())
        ]

    def _follow_edges(self, network: Network, changes: Changes) -> None:
        """Keep the places of the edges up to date (they are compared, never counted)."""
        if self._edge_at is None or "supervisions" not in changes.collections:
            return
        at, between = self._edge_at, self._between
        kept: list[str] = []
        for old, new in self._changed_by_collection[2].get("supervisions", ()):
            if isinstance(old, Supervision):
                found = between[_ends(old)]
                found.remove(old.id)
                if not found:
                    del between[_ends(old)]
                if new is None or old.id in changes.removed:  # gone (or appended again)
                    del at[old.id]
            if isinstance(new, Supervision):
                between.setdefault(_ends(new), []).append(new.id)
                kept.append(new.id)
        for eid in changes.added:  # appended, in order: after every edge before them
            if eid in network and eid not in at and isinstance(network.get(eid), Supervision):
                at[eid] = self._edge_next
                self._edge_next += 1
        if any(eid not in at for eid in kept):
            self._edge_at = None  # not as expected: built again when asked

    def _reads_changed(self, reads: Reads, changes: Changes) -> set[str]:
        """The collections ``reads`` declares whose change ``changes`` (fields included)."""
        hit = (reads.collections | reads.tail_reads) & changes.collections
        out: set[str] = set()
        if not hit:
            return out
        structural, replaced, pairs = self._changed_by_collection
        for collection in hit:
            only = reads.only.get(collection)
            if only is not None and not any(
                only(e) for pair in pairs.get(collection, ()) for e in pair if e is not None
            ):
                continue  # nothing the rule reads of this collection changed
            names = reads.fields.get(collection)
            if collection in reads.named:  # only a replacement changes what is named
                found = [
                    (old, new)
                    for old, new in pairs.get(collection, ())
                    if old is not None and new is not None
                ]
            elif names is None or collection in structural:
                out.add(collection)
                continue
            else:
                found = list(replaced.get(collection, ()))
            if any(
                names is None or any(getattr(old, f) != getattr(new, f) for f in names)
                for old, new in found
            ):
                out.add(collection)
        return out

    def _sessions_to_redo(
        self,
        activities: Sequence[Activity],
        before: dict[str, Activity],
        changes: Changes,
        context: CheckContext,
    ) -> set[str] | None:
        """Ids of the sessions whose violations may have changed (``None``: all)."""
        if context.cached(_BOOKINGS, dict) or self._booked:
            return None
        touched = changes.touched
        redo = set()
        for a in activities:
            old = before.get(a.id)
            if (
                old is None
                or (old is not a and old != a)
                or a.id in touched
                or a.programme in touched
                or not touched.isdisjoint(a.workers)
                or not touched.isdisjoint(a.volunteers)
                or not touched.isdisjoint(a.clients)
            ):
                redo.add(a.id)
        return redo

    def _next_context(self, network: Network, changes: Changes) -> CheckContext:
        """A context on ``network`` with the previous look-ups, updated where they changed."""
        old = self._context
        context = CheckContext(network=network, on=self.on, pack=self._resolved)
        changed = changes.collections
        before, after = old.__dict__, context.__dict__
        for name, collection in _BY_ID.items():
            if name in before:
                found = before[name]
                after[name] = (
                    _updated(found, self._changed_in.get(collection, ()), changes)
                    if collection in changed
                    else found
                )
        same_off = not (_PEOPLE & changed)
        if "off_roster" in before:
            off = before["off_roster"]
            if not same_off:
                off = _off_roster(off, network, changes, self.on)
                same_off = off == before["off_roster"]
            after["off_roster"] = off
        for name, (reads, uses_off) in _LOOKUP_READS.items():
            if name in before and not (reads & changed) and (same_off or not uses_off):
                after[name] = before[name]
        if same_off and "supervisions" in changed:
            appended = _extend_supervision(
                before,
                after,
                network,
                changes,
                self._changed_by_collection[2].get("supervisions", []),
                self.on,
                self._edges_between,
            )
            if appended is not None:
                self._grown = (
                    before["supervisees_by_supervisor"],
                    after["supervisees_by_supervisor"],
                    appended,
                )
        context._rules_by_kind = old._rules_by_kind  # noqa: SLF001 - the pack is the same
        cases_reads, _ = _LOOKUP_READS["cases_by_need"]
        if not (cases_reads & changed) and same_off:
            context._cases_of_need = old._cases_of_need  # noqa: SLF001 - as above
        elif same_off:
            _extend_cases(old, context, network, changes, self._changed_by_collection[2])
        return context

    # -- shared ----------------------------------------------------------------

    def _sessions(
        self, network: Network, context: CheckContext, changes: Changes | None = None
    ) -> list[Activity]:
        """The activities as ``check`` evaluates them, remembered by id."""
        if changes is None:
            on_roster = _on_roster_that_day(network.activities, context)
        else:  # only the activities that changed or name someone who did are looked at
            touched = changes.touched
            known = self._on_roster
            on_roster = []
            for a in network.activities:
                found = known.get(a.id)
                if (
                    found is not None
                    and found[0] is a
                    and touched.isdisjoint(a.workers)
                    and touched.isdisjoint(a.volunteers)
                ):
                    on_roster.append(found[1])
                else:
                    on_roster.extend(_on_roster_that_day((a,), context))
        self._on_roster = {
            a.id: (a, adjusted) for a, adjusted in zip(network.activities, on_roster, strict=True)
        }
        activities = counted_once(on_roster, context)
        self._activities = {a.id: a for a in activities}
        self._booked = bool(context.cached(_BOOKINGS, dict))
        return activities

    def _report(self, activities: Sequence[Activity]) -> Report:
        flats = self._flat
        rebuilt = False
        for n, (rule, kept) in enumerate(zip(self._resolved.rules, self._found, strict=True)):
            if flats[n] is not None:
                continue
            if rule.registration.scope == "network":
                if isinstance(kept, dict):
                    flat = list(chain.from_iterable(kept.values()))
                    flat.extend(self._tails.get(n, ()))
                else:
                    flat = kept
            else:  # by session, in the order of ``activities`` (how each is built)
                per_session = cast("dict[str, tuple[Violation, ...]]", kept)
                flat = list(chain.from_iterable(per_session.values()))
            flats[n] = flat
            self._listed(n, flat)
            rebuilt = True
        if rebuilt or self._violations is None:
            self._violations = self._strongest()
        # Every part is already validated (the violations by their evaluators): the
        # report is assembled, not validated again (as ``Report(...)`` would, violation
        # by violation), with what its validator would fill in given.
        report = Report.model_construct(
            pack_id=self._resolved.id,
            pack_version=self._resolved.version,
            on=self.on,
            rules_checked=len(self._resolved.rules),
            sessions_checked=len(activities),
            violations=self._violations,
            rules_as_of=self.on,
        )
        return _dated(report, self._pack_of_version, self.on, self._skipped)

    def _listed(self, n: int, flat: list[Violation]) -> None:
        """Note that rule ``n`` now lists ``flat``: its keys noted, split by severity.

        Only the keys that came or went are counted (set differences, in C).
        """
        keys: set[tuple[object, ...]] = set(map(_KEY_OF, flat))
        if len(keys) < len(flat):
            self._doubled.add(n)
        else:
            self._doubled.discard(n)
        before = self._listed_keys[n]
        listing = self._rules_listing
        for key in before - keys:
            left = listing[key] - 1
            if left == 1:
                self._shared -= 1
            if left:
                listing[key] = left
            else:
                del listing[key]
        for key in keys - before:
            seen = listing.get(key, 0) + 1
            listing[key] = seen
            if seen == 2:  # noqa: PLR2004 - listed by two rules
                self._shared += 1
        self._listed_keys[n] = keys
        severities = list(map(_SEVERITY_OF, flat))
        self._by_severity[n] = tuple(
            list(compress(flat, map(is_, severities, repeat(severity))))
            for severity in _WORST_FIRST
        )

    def _appended(self, n: int, found: list[Violation]) -> None:
        """Note that rule ``n`` lists ``found`` after its violations (kept listed)."""
        flat = cast("list[Violation]", self._flat[n])
        flat.extend(found)
        keys, listing = self._listed_keys[n], self._rules_listing
        for key in map(_KEY_OF, found):
            if key in keys:
                self._doubled.add(n)
                continue
            keys.add(key)
            seen = listing.get(key, 0) + 1
            listing[key] = seen
            if seen == 2:  # noqa: PLR2004 - listed by two rules
                self._shared += 1
        split = self._by_severity[n]
        for v in found:
            split[_WORST_FIRST.index(v.severity)].append(v)
        self._violations = None

    def _strongest(self) -> tuple[Violation, ...]:
        """The violations of every rule, as ``_strongest_only`` lists them.

        Without a key listed twice that is each severity, worst first, rule by rule: the
        lists kept by rule, joined (no violation looked at again).
        """
        if self._shared or self._doubled:
            return tuple(
                _strongest_only(
                    list(chain.from_iterable(cast("list[list[Violation]]", self._flat)))
                )
            )
        split = self._by_severity
        return tuple(
            chain.from_iterable(
                split[n][s] for s in range(len(_WORST_FIRST)) for n in range(len(split))
            )
        )


def _by_entity(
    found: Iterable[Violation], entities: Iterable[Entity]
) -> dict[str, tuple[Violation, ...]]:
    """``found`` by the entity each is about (named first), in the entities' order."""
    grouped: dict[str, list[Violation]] = {}
    for v in found:
        grouped.setdefault(v.entities[0], []).append(v)
    return {eid: tuple(grouped.get(eid, ())) for eid in (e.id for e in entities)}


def _extend_supervision(  # noqa: PLR0917 - two look-ups, what changed and the order
    before: dict[str, Any],
    after: dict[str, Any],
    network: Network,
    changes: Changes,
    pairs: Sequence[tuple[Entity | None, Entity | None]],
    day: date,
    edges: Callable[[str, SupervisionKind, str], Iterable[tuple[int, Supervision]]],
) -> list[tuple[str, SupervisionKind]] | None:
    """The supervision look-ups of ``before`` with the edges ``changes`` made.

    Only when edges were added (appended) or removed, never replaced: then each look-up
    is the old one without the removed edges and with the new active edges at its end,
    as building it again would give. A supervisor whose first edge of a kind went keeps
    the others, listed where their first edge now puts them (``edges``: the edges from a
    supervisor, of a kind, to a supervisee, with their places in the network's order).

    Returns:
        When edges were only added: the supervisors (and kinds) appended to the look-up
        of who supervises whom.
    """
    if "supervisees_by_supervisor" not in before or any(
        old is not None and new is not None for old, new in pairs
    ):
        return None
    off = after.get("off_roster", frozenset())

    def active(e: Supervision) -> bool:
        return (
            e.start <= day
            and (e.end is None or day <= e.end)
            and e.supervisor not in off
            and e.supervisee not in off
        )

    added = [
        e
        for eid in changes.added
        if eid in network and isinstance(e := network.get(eid), Supervision) and active(e)
    ]
    gone = [old for old, _ in pairs if isinstance(old, Supervision) and active(old)]
    load = dict(before["supervisees_by_supervisor"])
    if gone:
        moved = _without(load, gone)
        if moved is None:
            return None

        def first(key: tuple[str, SupervisionKind]) -> int:
            """Where the first active edge of ``key`` is in the network."""
            return min(  # the first of its edges to the first supervisee listed
                at for at, e in edges(*key, load[key][0]) if active(e)
            )

        if moved:
            load = _reordered(load, moved, first)
    appended = []
    for e in added:
        key = (e.supervisor, e.kind)
        if key not in load:
            appended.append(key)
        load[key] = [*load.get(key, ()), e.supervisee]
    after["supervisees_by_supervisor"] = load
    if gone:
        return None  # the others are built again if asked for (in their own order)
    if "active_supervisions" in before:
        after["active_supervisions"] = (*before["active_supervisions"], *added)
    if "supervisors_by_supervisee" in before:
        grown = dict(before["supervisors_by_supervisee"])
        for e in added:
            grown[e.supervisee] = [*grown.get(e.supervisee, ()), e]
        after["supervisors_by_supervisee"] = grown
    if "professional_supervisions" in before:
        after["professional_supervisions"] = (
            *before["professional_supervisions"],
            *(e for e in added if e.kind is SupervisionKind.PROFESSIONAL),
        )
    return appended


def _ends(edge: Supervision) -> tuple[str, SupervisionKind, str]:
    return edge.supervisor, edge.kind, edge.supervisee


def _without(
    load: dict[tuple[str, SupervisionKind], list[str]], gone: Sequence[Supervision]
) -> list[tuple[str, SupervisionKind]] | None:
    """Take the ``gone`` edges out of ``load`` (in place); the keys whose first went.

    ``None``: a supervisor has two edges of a kind to one supervisee (built again).
    """
    moved: list[tuple[str, SupervisionKind]] = []
    for e in gone:
        key = (e.supervisor, e.kind)
        found = load.get(key)
        if found is None or found.count(e.supervisee) != 1:
            return None
        at = found.index(e.supervisee)
        rest = [*found[:at], *found[at + 1 :]]
        if rest:
            load[key] = rest
            if at == 0 and key not in moved:
                moved.append(key)
        else:
            del load[key]
            if key in moved:
                moved.remove(key)
    return moved


def _reordered(
    load: dict[tuple[str, SupervisionKind], list[str]],
    moved: Sequence[tuple[str, SupervisionKind]],
    first: Callable[[tuple[str, SupervisionKind]], int],
) -> dict[tuple[str, SupervisionKind], list[str]]:
    """``load`` with each ``moved`` key where its first edge now puts it.

    The keys are in the order of their first edge: so are the others still.
    """
    out = set(moved)
    keys = [key for key in load if key not in out]
    for key in moved:
        keys.insert(bisect_left(keys, first(key), key=first), key)
    return {key: load[key] for key in keys}


def _extend_cases(  # noqa: PLR0912 - each way the look-up may not follow
    old: CheckContext,
    new: CheckContext,
    network: Network,
    changes: Changes,
    pairs: Mapping[str, Sequence[tuple[Entity | None, Entity | None]]],
) -> None:
    """The caseload look-ups of ``old`` with the cases ``changes`` added or removed.

    Only when clients and case assignments were added (appended) or removed, never
    replaced: then each look-up is the old one with the new active cases at its end and
    the removed ones taken out, unless taking one out would reorder the workers (their
    first case of a need removed while others remain): then it is built again.
    """
    if any(
        before is not None and after is not None
        for name in ("assignments", "clients")
        for before, after in pairs.get(name, ())
    ):
        return
    added = [
        a
        for eid in changes.added
        if eid in network and isinstance(a := network.get(eid), CaseAssignment)
    ]
    removed = [
        before
        for before, after in pairs.get("assignments", ())
        if isinstance(before, CaseAssignment) and after is None
    ]
    day, off = new.on, new.off_roster
    active = [a for a in added if a.is_active_on(day) and a.worker not in off]
    gone = [a for a in removed if a.is_active_on(day) and a.worker not in off]
    clients = new.clients_by_id
    old_clients = {
        before.id: before
        for before, after in pairs.get("clients", ())
        if isinstance(before, Client) and after is None
    }
    of_need: dict[ClientNeed, dict[str, list[str]]] = {}
    for need, found in old._cases_of_need.items():  # noqa: SLF001 - the checker's own
        grown = dict(found)
        for a in gone:
            if need not in (old_clients.get(a.client) or clients[a.client]).needs:
                continue
            cases = grown.get(a.worker, [])
            if a.client not in cases or cases.count(a.client) > 1:
                return  # not as expected: built again when asked
            at = cases.index(a.client)
            if at == 0 and len(cases) > 1:
                return  # the worker's place would move: built again when asked
            rest = [*cases[:at], *cases[at + 1 :]]
            if rest:
                grown[a.worker] = rest
            else:
                del grown[a.worker]
        for a in active:
            if need in clients[a.client].needs:
                grown[a.worker] = [*grown.get(a.worker, ()), a.client]
        of_need[need] = grown
    new._cases_of_need = of_need  # noqa: SLF001 - as above
    if "cases_by_need" in old.__dict__ and not gone:
        by_need = {need: dict(found) for need, found in old.cases_by_need.items()}
        for a in active:
            for need in clients[a.client].needs:
                found = by_need.setdefault(need, {})
                found[a.worker] = [*found.get(a.worker, ()), a.client]
        new.__dict__["cases_by_need"] = by_need


def _keys(rule: Rule, reads: Reads, context: CheckContext) -> list[str]:
    """The supervisors of the rule's kind, in the order of the context's look-up."""
    assert reads.supervision_kind is not None  # noqa: S101 - declared with per="supervisors"
    kind = reads.supervision_kind(rule)
    return [sup for sup, k in context.supervisees_by_supervisor if k is kind]


def _by_first(found: Iterable[Violation]) -> dict[str, tuple[Violation, ...]]:
    """``found`` by the entity each names first, in the order found."""
    grouped: dict[str, list[Violation]] = {}
    for v in found:
        grouped.setdefault(v.entities[0], []).append(v)
    return {first: tuple(vs) for first, vs in grouped.items()}


def _by_edge(
    found: Iterable[Violation], edges: Sequence[Supervision], places: Iterable[int]
) -> dict[int, tuple[Violation, ...]]:
    """``found`` by the place (``places``, in order) of the edge each is about.

    At most one violation per edge, naming its supervisor and supervisee first, in the
    order of the edges; two edges between the same people have the same verdict.
    """
    out: dict[int, tuple[Violation, ...]] = {}
    pending = iter(found)
    v = next(pending, None)
    for edge, place in zip(edges, places, strict=True):
        if v is not None and v.entities[:2] == (edge.supervisor, edge.supervisee):
            out[place] = (v,)
            v = next(pending, None)
    if v is not None:
        raise RuleError(
            f"a rule declared per supervision edge reported on {list(v.entities)!r} "
            "out of the order of the edges"
        )
    return out


def _without_tail(found: Iterable[Violation], reads: Reads) -> Iterable[Violation]:
    """``found`` without the violations of the rule's ``tail`` (evaluated on its own)."""
    if not reads.tail_codes:
        return found
    return (v for v in found if v.code not in reads.tail_codes)


def _by_supervisor(
    found: Iterable[Violation], keys: Sequence[str] | set[str]
) -> dict[str, tuple[Violation, ...]]:
    """``found`` by supervisor (named first), in the order of ``keys`` (a list).

    With a set of ``keys``: only those with violations, in the order found.
    """
    grouped: dict[str, list[Violation]] = {}
    for v in found:
        grouped.setdefault(v.entities[0], []).append(v)
    if isinstance(keys, set):
        out = {sup: tuple(grouped.pop(sup)) for sup in list(grouped) if sup in keys}
    else:
        out = {sup: tuple(grouped.pop(sup, ())) for sup in keys}
    if grouped:
        raise RuleError(
            f"a rule declared per supervisor reported on {sorted(grouped)!r}, "
            "who supervise nobody of its kind"
        )
    return out


def _affected_centres(
    old: Network,
    new: Network,
    pairs: Mapping[str, Sequence[tuple[Entity | None, Entity | None]]],
    old_context: CheckContext,
    new_context: CheckContext,
) -> set[str]:
    """The centres whose supervisors' groups or colleagues the changes ``pairs`` may change.

    A supervision edge changes its supervisor's centre; a social worker, their centre; a
    person whose days on the roster changed, the centres of their supervisors (people
    added or removed bring or take their edges, which are changes of their own).
    """
    centres: set[str] = set()
    for before, after in pairs.get("supervisions", ()):
        for edge, net in ((before, old), (after, new)):
            if isinstance(edge, Supervision):
                centres.add(net.worker(edge.supervisor).centre)
    for name in ("workers", "volunteers"):
        for before, after in pairs.get(name, ()):
            for person in (before, after):
                if isinstance(person, SocialWorker):
                    centres.add(person.centre)
            if before is None or after is None or _same_roster(before, after):
                continue
            for context, net in ((old_context, old), (new_context, new)):
                for edge in context.supervisors_by_supervisee.get(after.id, ()):
                    centres.add(net.worker(edge.supervisor).centre)
    return centres


def _same_roster(before: Entity, after: Entity) -> bool:
    """Whether a replaced person is on the roster on the same days."""
    fields = (
        ("joined", "left", "birth_date") if isinstance(after, Volunteer) else ("joined", "left")
    )
    return all(getattr(before, f) == getattr(after, f) for f in fields)


def _by_collection(
    old: Network, new: Network, changes: Changes
) -> tuple[
    set[str],
    dict[str, list[tuple[Entity, Entity]]],
    dict[str, list[tuple[Entity | None, Entity | None]]],
]:
    """What changed, by collection.

    Returns:
        The collections where entities came or went; the replacements (old, new) by
        collection; every change as (old or ``None``, new or ``None``) by collection.
    """
    structural: set[str] = set()
    replaced: dict[str, list[tuple[Entity, Entity]]] = {}
    pairs: dict[str, list[tuple[Entity | None, Entity | None]]] = {}
    for eid in changes.touched:
        before = old.get(eid) if eid in old else None
        after = new.get(eid) if eid in new else None
        for entity in (before, after):
            if entity is not None:
                pairs.setdefault(entity.collection, []).append((before, after))
                break
        if before is not None and after is not None and eid in changes.replaced:
            if eid in changes.removed:  # removed and added again on the way
                structural.add(after.collection)
            replaced.setdefault(after.collection, []).append((before, after))
        else:
            structural.update(e.collection for e in (before, after) if e is not None)
    return structural, replaced, pairs


def _updated(
    by_id: dict[str, Entity], changed: Iterable[Entity], changes: Changes
) -> dict[str, Entity]:
    """``by_id`` after ``changes`` (``changed``: those of its collection), in place.

    The previous context is let go with the update (a failed update checks whole next).
    """
    for eid in changes.removed:
        by_id.pop(eid, None)
    for entity in changed:
        by_id[entity.id] = entity
    return by_id


def _off_roster(
    off: frozenset[str], network: Network, changes: Changes, day: date
) -> frozenset[str]:
    """``off`` (who is off the roster on ``day``) after ``changes``."""
    touched = changes.touched
    out = set(off - touched)
    for eid in touched:
        if eid in network:
            person = network.get(eid)
            if isinstance(person, SocialWorker | Volunteer) and not person.on_roster_on(day):
                out.add(eid)
    return frozenset(out)


def _changed_entities(network: Network, changes: Changes) -> dict[str, list[Entity]]:
    """The entities in ``network`` that ``changes`` added or replaced, by collection.

    In the order added, then the replaced ones by id.
    """
    out: dict[str, list[Entity]] = {}
    for eid in (*changes.added, *sorted(changes.replaced)):
        if eid in network:
            entity = network.get(eid)
            out.setdefault(entity.collection, []).append(entity)
    return out


def _alone(  # noqa: PLR0917 - one rule, its entities and the check
    evaluate: NetworkEvaluator,
    rule: Rule,
    params: object,
    collection: str,
    entities: list[Entity],
    context: CheckContext,
) -> dict[str, tuple[Violation, ...]]:
    """The violations of a ``per`` rule about ``entities``, evaluated on them alone."""
    if not entities:
        return {}
    part = Network.model_construct(**{collection: tuple(entities)})  # type: ignore[arg-type]
    # What the entities name is looked up in the whole network (its index, shared).
    part.__pydantic_private__["_index"] = context.network.__pydantic_private__["_index"]  # type: ignore[index]
    alone = CheckContext(network=part, on=context.on, pack=context.pack)
    return _by_entity(evaluate(rule, params, alone), entities)
