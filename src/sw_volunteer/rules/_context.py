"""What evaluators see: the network, the day checked, the pack, and shared look-ups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from sw_volunteer.models import Network, SocialWorker, Supervision
from sw_volunteer.rules._params import AdultsPresent
from sw_volunteer.vocab import SupervisionKind

if TYPE_CHECKING:
    import networkx as nx

    from sw_volunteer.rules._packs import RulePack

__all__ = ["CheckContext"]


@dataclass
class CheckContext:
    """The state shared by every evaluator during one check.

    Look-ups are computed once, on first use, so a check pays only for what its rules
    need.

    Attributes:
        network: The network checked.
        on: The day the check describes (supervisions, ages and insurance on that day).
        pack: The rule pack in force (evaluators may read sibling rules from it).
    """

    network: Network
    on: date
    pack: RulePack
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @cached_property
    def active_supervisions(self) -> tuple[Supervision, ...]:
        """The supervisions active on :attr:`on`, in document order."""
        on = self.on
        return tuple(s for s in self.network.supervisions if s.is_active_on(on))

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
    def workers_by_centre(self) -> dict[str, list[SocialWorker]]:
        """Social workers by centre, in document order."""
        out: dict[str, list[SocialWorker]] = defaultdict(list)
        for w in self.network.workers:
            out[w.centre].append(w)
        return dict(out)

    @cached_property
    def graph(self) -> nx.DiGraph[str]:
        """The supervision graph on :attr:`on` (built on first use)."""
        from sw_volunteer.graph import supervision_graph

        return supervision_graph(self.network, on=self.on)

    @cached_property
    def adults(self) -> AdultsPresent:
        """Who counts as an adult: the pack's first ``adults_present`` rule, else defaults."""
        for rule in self.pack.rules_of_kind("adults_present"):
            params = rule.parsed_params
            assert isinstance(params, AdultsPresent)  # noqa: S101 - the registry fixes the type
            return params
        return AdultsPresent()
