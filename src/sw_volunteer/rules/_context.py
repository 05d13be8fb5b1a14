"""What evaluators see: the network, the day checked, the pack, and shared look-ups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar, cast

from sw_volunteer.models import Activity, Client, Network, SocialWorker, Supervision, Volunteer
from sw_volunteer.rules._params import AdultsPresent
from sw_volunteer.vocab import ClientNeed, SupervisionKind

if TYPE_CHECKING:
    from collections.abc import Callable

    import networkx as nx
    from pydantic import BaseModel

    from sw_volunteer.rules._declarations import Rule
    from sw_volunteer.rules._packs import RulePack

__all__ = ["CheckContext", "adults_of"]

_T = TypeVar("_T")


def adults_of(pack: RulePack) -> AdultsPresent:
    """Who counts as an adult under ``pack``: its first ``adults_present`` rule, else defaults.

    The one place the pack's ``adult_age`` and ``volunteer_weight`` are read: the check,
    the session rosters' substitutes and the simulator all ask here.

    Example:
        >>> from sw_volunteer.rules import pack
        >>> adults = adults_of(pack("cn-default"))
        >>> adults.min_adults, adults.min_certified_workers, adults.adult_age
        (2, 1, 18)
    """
    for rule in pack.rules_of_kind("adults_present"):
        params = rule.parsed_params
        assert isinstance(params, AdultsPresent)  # noqa: S101 - the registry fixes the type
        return params
    return AdultsPresent()


@dataclass
class CheckContext:
    """The state shared by every evaluator during one check.

    Look-ups are computed once, on first use, so a check pays only for what its rules
    need, and each costs one pass over the collections it indexes: evaluators then
    answer every question with dictionary look-ups instead of scanning the network.

    People are dated: a worker or volunteer is on the roster from ``joined`` to
    ``left`` (and a volunteer not before birth; see ``on_roster_on``). The look-ups
    of people on the day
    ([`volunteers_on_roster`][sw_volunteer.rules.CheckContext.volunteers_on_roster],
    [`workers_on_roster`][sw_volunteer.rules.CheckContext.workers_on_roster],
    [`workers_by_centre`][sw_volunteer.rules.CheckContext.workers_by_centre], the supervision and
    caseload look-ups) leave out those who are not there, so a network-level rule says nothing about
    them. The look-ups by id keep everyone (an activity may name anyone).

    Attributes:
        network: The network checked.
        on: The day the check describes (supervisions, ages and insurance on that day).
        pack: The rule pack in force (evaluators may read sibling rules from it).

    Example:
        >>> import sw_volunteer as sv
        >>> from sw_volunteer.rules import pack
        >>> net = sv.datasets.ruian_2013()
        >>> context = CheckContext(net, net.info.as_of, pack("cn-default"))
        >>> len(context.volunteers_on_roster), len(context.workers_by_centre["yucai"])
        (118, 4)
    """

    network: Network
    on: date
    pack: RulePack
    _cache: dict[str, object] = field(default_factory=dict, repr=False)
    # Keyed by id(activity); the activity is kept alongside so its id is never reused.
    _needs_of_session: dict[int, tuple[Activity, frozenset[ClientNeed]]] = field(
        default_factory=dict, repr=False
    )
    _rules_by_kind: dict[str, tuple[tuple[Rule, BaseModel], ...]] = field(
        default_factory=dict, repr=False
    )
    _cases_of_need: dict[ClientNeed, dict[str, list[str]]] = field(default_factory=dict, repr=False)

    def cached(self, key: str, compute: Callable[[], _T]) -> _T:
        """The value of ``compute()``, computed once per check under ``key``.

        For evaluators (built-in or a user's) that share a derived look-up.
        """
        if key not in self._cache:
            self._cache[key] = compute()
        return cast("_T", self._cache[key])

    # -- people by id -------------------------------------------------------------

    @cached_property
    def workers_by_id(self) -> dict[str, SocialWorker]:
        """Social workers by id."""
        return {w.id: w for w in self.network.workers}

    @cached_property
    def volunteers_by_id(self) -> dict[str, Volunteer]:
        """Volunteers by id."""
        return {v.id: v for v in self.network.volunteers}

    @cached_property
    def off_roster(self) -> frozenset[str]:
        """Ids of the workers and volunteers who are not on the roster on ``on``.

        As ``on_roster_on`` says; computed in one pass (usually it is empty).
        """
        on = self.on
        off = {v.id for v in self.network.volunteers if not v.on_roster_on(on)}
        off.update(w.id for w in self.network.workers if not w.on_roster_on(on))
        return frozenset(off)

    @cached_property
    def volunteers_on_roster(self) -> tuple[Volunteer, ...]:
        """The volunteers on the roster on ``on``, in document order."""
        off = self.off_roster
        volunteers = self.network.volunteers
        return tuple(v for v in volunteers if v.id not in off) if off else tuple(volunteers)

    @cached_property
    def workers_on_roster(self) -> tuple[SocialWorker, ...]:
        """The social workers with their centre on ``on``, in document order."""
        off = self.off_roster
        workers = self.network.workers
        return tuple(w for w in workers if w.id not in off) if off else tuple(workers)

    @cached_property
    def volunteer_ages(self) -> tuple[int | None, ...]:
        """Each volunteer's age in whole years on ``on`` (``None``: no birth date).

        In the order of
        [`volunteers_on_roster`][sw_volunteer.rules.CheckContext.volunteers_on_roster], to be zipped
        with it.
        """
        # age_on (models) in one expression: a birthday not yet reached by the day's
        # (month, day) takes a year off; month * 100 + day orders as (month, day) does.
        year, day_of_year = self.on.year, self.on.month * 100 + self.on.day
        return tuple(
            None
            if (born := v.birth_date) is None
            else year - born.year - (day_of_year < born.month * 100 + born.day)
            for v in self.volunteers_on_roster
        )

    @cached_property
    def clients_by_id(self) -> dict[str, Client]:
        """Clients by id."""
        return {c.id: c for c in self.network.clients}

    @cached_property
    def programme_needs(self) -> dict[str, frozenset[ClientNeed]]:
        """Programme id -> the client needs it targets."""
        return {p.id: p.target_needs for p in self.network.programmes}

    @cached_property
    def workers_by_centre(self) -> dict[str, list[SocialWorker]]:
        """Social workers on the roster on ``on``, by centre, in document order."""
        out: dict[str, list[SocialWorker]] = defaultdict(list)
        for w in self.workers_on_roster:
            out[w.centre].append(w)
        return dict(out)

    # -- supervision on the day ---------------------------------------------------

    @cached_property
    def active_supervisions(self) -> tuple[Supervision, ...]:
        """The supervisions active on ``on`` between people on the roster, in order."""
        on = self.on
        off = self.off_roster
        # Supervision.is_active_on, spelt out: one call less for each edge.
        active = (
            s for s in self.network.supervisions if s.start <= on and (s.end is None or on <= s.end)
        )
        if not off:
            return tuple(active)
        return tuple(s for s in active if s.supervisor not in off and s.supervisee not in off)

    @cached_property
    def supervisees_by_supervisor(self) -> dict[tuple[str, SupervisionKind], list[str]]:
        """(supervisor, kind) -> supervisee ids, active edges only (primary or not)."""
        out: dict[tuple[str, SupervisionKind], list[str]] = defaultdict(list)
        for s in self.active_supervisions:
            out[s.supervisor, s.kind].append(s.supervisee)
        return dict(out)

    @cached_property
    def supervisors_by_supervisee(self) -> dict[str, list[Supervision]]:
        """Active supervision edges, by supervisee."""
        out: dict[str, list[Supervision]] = defaultdict(list)
        for s in self.active_supervisions:
            out[s.supervisee].append(s)
        return dict(out)

    @cached_property
    def professional_supervisions(self) -> tuple[Supervision, ...]:
        """The active professional edges (social worker -> social worker), in order."""
        kind = SupervisionKind.PROFESSIONAL
        return tuple(s for s in self.active_supervisions if s.kind is kind)

    @cached_property
    def graph(self) -> nx.DiGraph[str]:
        """The supervision graph on ``on`` (built on first use)."""
        from sw_volunteer.graph import supervision_graph

        return supervision_graph(self.network, on=self.on)

    # -- caseloads on the day -----------------------------------------------------

    @cached_property
    def cases_by_need(self) -> dict[ClientNeed, dict[str, list[str]]]:
        """Client need -> worker -> the clients with that need in their active cases.

        Workers and clients appear in the order of the case assignments.
        """
        on = self.on
        off = self.off_roster
        clients = self.clients_by_id
        out: dict[ClientNeed, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for a in self.network.assignments:
            if not a.is_active_on(on) or (off and a.worker in off):
                continue
            for need in clients[a.client].needs:
                out[need][a.worker].append(a.client)
        return {need: dict(by_worker) for need, by_worker in out.items()}

    def cases_with_need(self, need: ClientNeed) -> dict[str, list[str]]:
        """Worker -> the clients with ``need`` in their active cases (``cases_by_need``).

        Computed once per need. The assignments are read only when some client has
        ``need`` (a pack's caseload rules usually name needs few clients have).
        """
        found = self._cases_of_need.get(need)
        if found is not None:
            return found
        if "cases_by_need" in self.__dict__:  # already computed for every need
            found = self.cases_by_need.get(need, {})
        else:
            found = {}
            holders = {c.id for c in self.network.clients if need in c.needs}
            on = self.on
            off = self.off_roster if holders else frozenset()
            for a in self.network.assignments if holders else ():
                if a.client not in holders or not a.is_active_on(on) or a.worker in off:
                    continue
                cases = found.get(a.worker)
                if cases is None:
                    found[a.worker] = cases = []
                cases.append(a.client)
        self._cases_of_need[need] = found
        return found

    # -- the pack -----------------------------------------------------------------

    def rules_with_params(self, kind: str) -> tuple[tuple[Rule, BaseModel], ...]:
        """The pack's rules of ``kind`` with their parsed parameters, in pack order."""
        found = self._rules_by_kind.get(kind)
        if found is None:
            found = tuple((r, r.parsed_params) for r in self.pack.rules_of_kind(kind))
            self._rules_by_kind[kind] = found
        return found

    @cached_property
    def adults(self) -> AdultsPresent:
        """Who counts as an adult: the pack's first ``adults_present`` rule, else defaults."""
        return adults_of(self.pack)

    # -- sessions -----------------------------------------------------------------

    def client_needs(self, activity: Activity) -> frozenset[ClientNeed]:
        """The needs of the named clients present at ``activity`` (computed once each)."""
        known = self._needs_of_session.get(id(activity))
        if known is not None and known[0] is activity:
            return known[1]
        clients = self.clients_by_id
        needs: set[ClientNeed] = set()
        for cid in activity.clients:
            needs.update(clients[cid].needs)
        frozen = frozenset(needs)
        self._needs_of_session[id(activity)] = (activity, frozen)
        return frozen
