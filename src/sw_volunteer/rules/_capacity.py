"""Span-of-control plans: the fewest new supervisors once every colleague's places are used.

When several supervisors of one centre have too many supervisees, their excesses
compete for the same free places, so the plan is made per centre, not per violation:

- the people to move are each overloaded supervisor's last supervisees beyond the
  limit (their most recent edges);
- the places are every eligible colleague's spare capacity under the strictest limit
  of the pack (so a move never creates a new breach); overloaded supervisors and the
  people being moved take nobody;
- the overloaded supervisors are served smallest excess first (ties in the order of
  their first edge), so that as many violations as possible are cleared by moves
  alone; the places go to the most free colleague first
  ([`fill_places`][sw_volunteer.graph.fill_places]);
- whoever is left is taken by new supervisors, as few as the strictest limit allows
  ([`fewest_supervisors`][sw_volunteer.graph.fewest_supervisors]). That count belongs to the centre:
  every violation of the centre whose people are not all placed names the same count, which also
  covers the others; the counts of one centre are not to be added up.

With every eligible colleague suited to every person moved (the same centre and
qualified for the kind), the plan is the smallest change: it moves ``min(E, P)``
people for an excess ``E`` and ``P`` free places and asks for
``ceil(max(E - P, 0) / limit)`` new supervisors, which no assignment can beat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sw_volunteer.graph import fewest_supervisors, fill_places
from sw_volunteer.models import SocialWorker
from sw_volunteer.rules._context import CheckContext
from sw_volunteer.vocab import SupervisionKind

__all__ = ["SpanShare", "span_plan"]

_UNLIMITED = 10**9


@dataclass(frozen=True)
class SpanShare:
    """One overloaded supervisor's part of its centre's plan.

    Attributes:
        supervisor: The overloaded supervisor.
        centre: Their centre.
        excess: Supervisees beyond the limit.
        moves: (supervisee, colleague who takes them), in order.
        left: Supervisees no colleague can take: for new supervisors.
        places: Free places each colleague had before the plan.
        hires: The new supervisors the centre needs in all (shared by its violations).
        shared_with: The centre's other overloaded supervisors, in plan order.
    """

    supervisor: str
    centre: str
    excess: int
    moves: tuple[tuple[str, str], ...]
    left: tuple[str, ...]
    places: dict[str, int]
    hires: int
    shared_with: tuple[str, ...]


def span_plan(
    ctx: CheckContext,
    kind: SupervisionKind,
    *,
    limit: int,
    cap: int | None,
    eligible: Callable[[SocialWorker], bool],
) -> dict[str, SpanShare]:
    """The plan for every supervisor with more than ``limit`` supervisees of ``kind``.

    Computed once per check for each (kind, limit, cap).

    Args:
        ctx: The check.
        kind: Which supervisees.
        limit: The limit of the rule being evaluated.
        cap: The strictest limit of the pack (places of colleagues and of new
            supervisors); ``None``: unlimited.
        eligible: Whether a social worker may take supervisees of ``kind``.

    Returns:
        Overloaded supervisor id -> their share of the centre's plan.
    """
    return ctx.cached(
        f"span_plan:{kind.value}:{limit}:{cap}",
        lambda: _plan(ctx, kind, limit=limit, cap=cap, eligible=eligible),
    )


def _plan(
    ctx: CheckContext,
    kind: SupervisionKind,
    *,
    limit: int,
    cap: int | None,
    eligible: Callable[[SocialWorker], bool],
) -> dict[str, SpanShare]:
    load = ctx.supervisees_by_supervisor
    over_by_centre: dict[str, list[tuple[int, int, str, list[str]]]] = {}
    for n, ((supervisor, edge_kind), supervisees) in enumerate(load.items()):
        if edge_kind is kind and len(supervisees) > limit:
            excess = len(supervisees) - limit
            centre = ctx.workers_by_id[supervisor].centre
            over_by_centre.setdefault(centre, []).append(
                (excess, n, supervisor, supervisees[-excess:])
            )
    plan: dict[str, SpanShare] = {}
    for centre, overloaded in over_by_centre.items():
        overloaded.sort(key=lambda o: (o[0], o[1]))
        plan.update(
            _plan_centre(ctx, kind, centre, overloaded, limit=limit, cap=cap, eligible=eligible)
        )
    return plan


def _plan_centre(
    ctx: CheckContext,
    kind: SupervisionKind,
    centre: str,
    overloaded: list[tuple[int, int, str, list[str]]],
    *,
    limit: int,
    cap: int | None,
    eligible: Callable[[SocialWorker], bool],
) -> dict[str, SpanShare]:
    load = ctx.supervisees_by_supervisor
    workers = ctx.workers_by_id
    busy = {o[2] for o in overloaded}
    # One token per edge to move: a person may be moved off two supervisors.
    movers = [(o[2], who) for o in overloaded for who in o[3]]
    moving = {who for _, who in movers}
    places: dict[str, int] = {}
    for worker in ctx.workers_by_centre.get(centre, ()):
        if worker.id in busy or worker.id in moving or not eligible(worker):
            continue
        free = (cap if cap is not None else _UNLIMITED) - len(load.get((worker.id, kind), ()))
        if free > 0:
            places[worker.id] = free
    targets = sorted(places, key=lambda w: (-places[w], w))
    tokens = [str(n) for n in range(len(movers))]
    already = {t: set(load.get((t, kind), ())) for t in targets}

    def suits(worker: SocialWorker, token: str) -> bool:
        # Nobody supervises themselves or takes someone they already supervise.
        who = movers[int(token)][1]
        return worker.id != who and who not in already[worker.id]

    placed = fill_places(tokens, [workers[t] for t in targets], places, suits)
    hires = fewest_supervisors(len(tokens) - len(placed), cap if cap is not None else limit)
    by_supervisor: dict[str, list[tuple[str, str]]] = {}
    for token, (supervisor, who) in zip(tokens, movers, strict=True):
        by_supervisor.setdefault(supervisor, []).append((token, who))
    in_order = [o[2] for o in overloaded]
    return {
        supervisor: SpanShare(
            supervisor=supervisor,
            centre=centre,
            excess=excess,
            moves=tuple((who, placed[t]) for t, who in by_supervisor[supervisor] if t in placed),
            left=tuple(who for t, who in by_supervisor[supervisor] if t not in placed),
            places=places,
            hires=hires,
            shared_with=tuple(s for s in in_order if s != supervisor),
        )
        for excess, _, supervisor, _ in overloaded
    }
