"""Supervisor absences: who covers whom, and who is left without cover."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sw_volunteer.models import Absence, Network, SocialWorker, Supervision
from sw_volunteer.scheduling._availability import Timeline
from sw_volunteer.vocab import Lang, SupervisionKind

__all__ = ["Cover", "CoverBasis", "CoverPlan", "supervision_cover"]


class CoverBasis(StrEnum):
    """How a supervisee's cover was found.

    Example:
        >>> [basis.value for basis in CoverBasis]
        ['designated', 'other_supervisor', 'none']
    """

    DESIGNATED = "designated"
    """The colleague named as ``cover`` on the supervisor's absence."""
    OTHER_SUPERVISOR = "other_supervisor"
    """Another supervisor the supervisee already has (a secondary supervision)."""
    NONE = "none"
    """Nobody: the supervisee is left without cover."""


@dataclass(frozen=True, slots=True)
class Cover:
    """One supervisee during one absence of their supervisor, and who covers them.

    Attributes:
        supervisee: The id of the supervised worker or guided volunteer.
        supervisor: The id of the absent supervisor.
        kind: Professional supervision or volunteer guidance.
        absence: The id of the absence.
        start: When the absence begins (clipped to the window asked about).
        end: When it ends (clipped, exclusive).
        covered_by: The id of the covering social worker, or ``None``.
        basis: How the cover was found.
        candidates: When nobody covers: eligible colleagues of the same centre who
            are not away themselves, best first (the remedy).
        note: Why a designated cover could not be used, if that happened.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> november = date(2013, 11, 1), date(2013, 11, 30)
        >>> plan = supervision_cover(sv.datasets.ruian_2013(), *november)
        >>> cover = plan.covers[0]
        >>> cover.supervisee, cover.supervisor, cover.covered_by, cover.basis
        ('yucai-v01', 'yucai-w01', 'yucai-w04', <CoverBasis.DESIGNATED: 'designated'>)
    """

    supervisee: str
    supervisor: str
    kind: SupervisionKind
    absence: str
    start: datetime
    end: datetime
    covered_by: str | None
    basis: CoverBasis
    candidates: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class CoverPlan:
    """Every supervisee whose supervisor is away in a date range, and their cover.

    Attributes:
        first: The first day asked about.
        last: The last day asked about (included).
        covers: One entry per supervisee per absence, ordered by start, supervisor,
            supervisee.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> november = date(2013, 11, 1), date(2013, 11, 30)
        >>> plan = supervision_cover(sv.datasets.ruian_2013(), *november)
        >>> len(plan.covers), sorted({c.basis.value for c in plan.covers})
        (112, ['designated', 'none'])
    """

    first: date
    last: date
    covers: tuple[Cover, ...]

    @property
    def uncovered(self) -> tuple[Cover, ...]:
        """The entries where nobody covers the supervisee."""
        return tuple(c for c in self.covers if c.covered_by is None)

    @property
    def ok(self) -> bool:
        """Whether every supervisee has cover."""
        return not self.uncovered

    def render(self, lang: Lang = "en") -> str:
        """Plain text: for each absence and stretch of days, who covers whom.

        ``lang="zh"`` words it in Chinese (督导与志愿者指导代理: 督导 is said of social
        workers only); ids and dates are kept.

        Example:
            >>> print(CoverPlan(date(2013, 11, 18), date(2013, 11, 22), ()).render("zh"))
            督导与志愿者指导代理 2013-11-18 至 2013-11-22：
              无督导或指导社工缺勤
        """
        zh = lang == "zh"
        if zh:
            lines = [f"督导与志愿者指导代理 {self.first} 至 {self.last}："]
        else:
            lines = [f"Supervision cover {self.first} to {self.last}:"]
        if not self.covers:
            lines.append("  无督导或指导社工缺勤" if zh else "  no supervisor is away")
        groups: dict[tuple[object, ...], list[Cover]] = {}
        for c in self.covers:
            key = (c.supervisor, c.start, c.end, c.covered_by, c.basis, c.candidates)
            groups.setdefault(key, []).append(c)
        for found in groups.values():
            first = found[0]
            supervisor, start, end = first.supervisor, first.start, first.end
            covered_by, basis = first.covered_by, first.basis
            last = (end - timedelta(microseconds=1)).date()
            if zh:
                lines.append(_cover_line_zh(found, f"{start:%Y-%m-%d}..{last}"))
                continue
            who = ", ".join(c.supervisee for c in found)
            if covered_by is None:
                candidates = ", ".join(found[0].candidates) or "none"
                lines.append(
                    f"  {start:%Y-%m-%d}..{last} {supervisor} away: NO COVER for {who} "
                    f"(could cover: {candidates})"
                )
            else:
                lines.append(
                    f"  {start:%Y-%m-%d}..{last} {supervisor} away: {covered_by} covers "
                    f"{who} [{basis.value}]"
                )
        return "\n".join(lines)


_BASIS_ZH = {
    CoverBasis.DESIGNATED: "指定代理",
    CoverBasis.OTHER_SUPERVISOR: "其另一位督导",
    CoverBasis.NONE: "无人代理",
}
"""How a cover was found, in Chinese (``CoverPlan.render(lang="zh")``)."""


def _cover_line_zh(found: list[Cover], days: str) -> str:
    first = found[0]
    who = "、".join(c.supervisee for c in found)
    if first.covered_by is None:
        candidates = "、".join(first.candidates) or "无"
        return f"  {days} {first.supervisor} 缺勤：{who} 无人代理（可代理：{candidates}）"
    return (
        f"  {days} {first.supervisor} 缺勤：由 {first.covered_by} 代理 {who}"
        f"［{_BASIS_ZH[first.basis]}］"
    )


def _eligible(cover: SocialWorker, supervisee: str, kind: SupervisionKind, net: Network) -> bool:
    if not cover.certification.is_certified or cover.id == supervisee:
        return False
    if kind is SupervisionKind.PROFESSIONAL:
        return cover.certification >= net.worker(supervisee).certification
    return True


def supervision_cover(network: Network, first: date, last: date) -> CoverPlan:
    """For each supervisor away between ``first`` and ``last``, who covers each supervisee.

    Cover is taken, in order, from the colleague designated on the absence (if they
    are certified at or above the supervisee's level and not away themselves), then
    from another supervisor the supervisee already has who is not away. Otherwise the
    supervisee is left without cover and the plan lists eligible colleagues of the same
    centre who are not away as candidates.

    Args:
        network: The network with its supervisions and absences.
        first: First day of the range (local to each absence's zone).
        last: Last day of the range, included.

    Example:
        >>> import sw_volunteer as sv
        >>> from datetime import date
        >>> away = sv.Schedule.days(date(2013, 11, 4), date(2013, 11, 17), timezone="Asia/Shanghai")
        >>> net = sv.Network(
        ...     centres=[sv.Centre(id="c", name="Centre")],
        ...     workers=[sv.SocialWorker(id=w, name=w, centre="c", certification="intermediate")
        ...              for w in ("boss", "w1", "w2")],
        ...     volunteers=[sv.Volunteer(id="v", name="V", centre="c")],
        ...     supervisions=[
        ...         sv.Supervision(id="s1", supervisor="boss", supervisee="w1",
        ...                        kind="professional", start=date(2013, 1, 1)),
        ...         sv.Supervision(id="s2", supervisor="boss", supervisee="v",
        ...                        kind="guidance", start=date(2013, 1, 1))],
        ...     absences=[sv.Absence(id="leave", person="boss", schedule=away, cover="w2")],
        ... )
        >>> plan = supervision_cover(net, date(2013, 11, 1), date(2013, 11, 30))
        >>> [(c.supervisee, c.covered_by) for c in plan.covers]
        [('v', 'w2'), ('w1', 'w2')]
    """
    if last < first:
        raise ValueError("last is before first")
    absences_by_person: dict[str, list[Absence]] = {}
    for absence in network.absences:
        absences_by_person.setdefault(absence.person, []).append(absence)
    covers: list[Cover] = []
    for absence in network.absences:
        if absence.person not in network or not isinstance(
            network.get(absence.person), SocialWorker
        ):
            continue
        zone = absence.schedule.zone
        lo = datetime.combine(first, time(0), zone)
        hi = datetime.combine(last + timedelta(days=1), time(0), zone)
        edges = [s for s in network.supervisions if s.supervisor == absence.person]
        if not edges:
            continue
        for occurrence in absence.schedule.overlapping(lo, hi):
            # As instants: datetimes with one tzinfo compare by wall clock, ignoring fold.
            start = max(occurrence.start, lo, key=datetime.timestamp)
            end = min(occurrence.end, hi, key=datetime.timestamp)
            # Day by day, so that a cover who is away for part of the absence covers
            # the rest; consecutive days with the same outcome are merged.
            index_of: dict[str, int] = {}
            for day_start, day_end in _days(start, end):
                for edge in sorted(edges, key=lambda s: s.supervisee):
                    if not _active_between(edge, day_start.date(), day_start.date()):
                        continue
                    found = _cover_one(
                        network, absence, edge, day_start, day_end, absences_by_person
                    )
                    at = index_of.get(edge.id)
                    before = covers[at] if at is not None else None
                    if before is not None and before.end == day_start and _same(before, found):
                        covers[covers.index(before)] = replace(before, end=day_end)
                    else:
                        index_of[edge.id] = len(covers)
                        covers.append(found)
    covers.sort(key=lambda c: (c.start.timestamp(), c.supervisor, c.supervisee))
    return CoverPlan(first, last, tuple(covers))


def _days(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """``[start, end)`` cut at local midnights (compared as instants)."""
    zone = start.tzinfo
    out = []
    cursor = start
    stop = end.timestamp()
    while cursor.timestamp() < stop:
        midnight = datetime.combine(cursor.date() + timedelta(days=1), time(0), zone)
        out.append((cursor, midnight if midnight.timestamp() < stop else end))
        cursor = midnight
    return out


def _same(a: Cover, b: Cover) -> bool:
    return (a.covered_by, a.basis, a.candidates, a.note) == (
        b.covered_by,
        b.basis,
        b.candidates,
        b.note,
    )


def _active_between(edge: Supervision, first: date, last: date) -> bool:
    return edge.start <= last and (edge.end is None or edge.end >= first)


def _away(person: str, start: datetime, end: datetime, by: dict[str, list[Absence]]) -> bool:
    line = Timeline(
        (o.start, o.end) for a in by.get(person, ()) for o in a.schedule.overlapping(start, end)
    )
    return line.overlaps(start, end)


def _cover_one(  # noqa: PLR0917 - a private helper fed from one loop
    net: Network,
    absence: Absence,
    edge: Supervision,
    start: datetime,
    end: datetime,
    by: dict[str, list[Absence]],
) -> Cover:
    covered_by, basis, note = _find_cover(net, absence, edge, start, end, by)
    candidates: tuple[str, ...] = ()
    if covered_by is None:
        centre = net.centre_of(edge.supervisor).id
        candidates = tuple(
            w.id
            for w in sorted(net.workers, key=lambda w: (-w.certification.rank, w.id))
            if w.centre == centre
            and w.id != edge.supervisor
            and _eligible(w, edge.supervisee, edge.kind, net)
            and not _away(w.id, start, end, by)
        )
    return Cover(
        supervisee=edge.supervisee,
        supervisor=edge.supervisor,
        kind=edge.kind,
        absence=absence.id,
        start=start,
        end=end,
        covered_by=covered_by,
        basis=basis,
        candidates=candidates,
        note=note,
    )


def _find_cover(  # noqa: PLR0917 - a private helper fed from one loop
    net: Network,
    absence: Absence,
    edge: Supervision,
    start: datetime,
    end: datetime,
    by: dict[str, list[Absence]],
) -> tuple[str | None, CoverBasis, str]:
    note = ""
    if absence.cover is not None:
        designated = net.worker(absence.cover)
        if not _eligible(designated, edge.supervisee, edge.kind, net):
            note = f"{designated.id} is not certified at the supervisee's level"
        elif _away(designated.id, start, end, by):
            note = f"{designated.id} is away too"
        else:
            return designated.id, CoverBasis.DESIGNATED, ""
    for other in sorted(net.supervisions, key=lambda s: (not s.primary, s.supervisor)):
        if (
            other.supervisee == edge.supervisee
            and other.supervisor != edge.supervisor
            and _active_between(other, start.date(), end.date())
            and not _away(other.supervisor, start, end, by)
        ):
            return other.supervisor, CoverBasis.OTHER_SUPERVISOR, note
    return None, CoverBasis.NONE, note
