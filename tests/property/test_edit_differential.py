"""Edits applied one by one give the network, the error and the report of building it at once.

Random sequences of additions, replacements and removals (with and without cascade)
are applied to a random network twice: by the library's edits with a
:class:`~sw_volunteer.rules.Checker` following them, and to plain lists from which the
final network is built and checked whole. Both must agree at every step: the same
network, or the same problems when the edit breaks integrity; the same report.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.models import Entity
from sw_volunteer.testing.strategies import (
    clients,
    crowded_networks,
    dates,
    networks,
    social_workers,
    volunteers,
)

# Reference fields, written out here independently of the library: (collection, field).
SINGLE_REFS = {
    "workers": ("centre",),
    "volunteers": ("centre",),
    "clients": ("centre",),
    "programmes": ("centre",),
    "activities": ("programme",),
    "supervisions": ("supervisor", "supervisee"),
    "assignments": ("worker", "client"),
    "absences": ("person", "cover"),
    "service_records": ("volunteer", "activity", "supervisor"),
}
TIGHT = [  # limits small networks break, so that every kind of supervision breach is seen
    sv.rules.Rule(id="span.w", kind="max_workers_per_supervisor", params={"limit": 1}),
    sv.rules.Rule(id="span.v", kind="max_volunteers_per_supervisor", params={"limit": 1}),
    sv.rules.Rule(
        id="span.v.warn",
        kind="max_volunteers_per_supervisor",
        severity="warning",
        params={"limit": 2},
    ),
    sv.rules.Rule(
        id="qual",
        kind="supervisor_qualification",
        params={"supervisee_kind": "guidance", "min_level": "intermediate", "min_years": 2},
    ),
    sv.rules.Rule(  # per supervisor, then the external supervisors of sessions
        id="qual.w",
        kind="supervisor_qualification",
        params={"supervisee_kind": "professional", "min_level": "intermediate", "min_years": 2},
    ),
    sv.rules.Rule(id="guided", kind="every_volunteer_supervised"),
    sv.rules.Rule(id="level", kind="supervisor_level_at_least_supervisee"),
    sv.rules.Rule(id="cycles", kind="no_supervision_cycles"),
    *(
        sv.rules.Rule(
            id=f"caseload.{need.value}",
            kind="caseload_limit",
            params={"need": need.value, "max_cases": 1},
        )
        for need in sv.ClientNeed
    ),
    sv.rules.Rule(id="records.fields", kind="service_record_fields", params={"fields": ["place"]}),
    sv.rules.Rule(id="records.travel", kind="service_time_excludes_travel"),
    sv.rules.Rule(id="records.reason", kind="record_correction_reason"),
    sv.rules.Rule(
        id="supervision.hours", kind="supervision_hours_per_month", params={"min_hours": 2}
    ),
    sv.rules.Rule(
        id="training.ce",
        kind="continuing_education_hours",
        params={"hours": {"assistant": 72, "intermediate": 90}},
    ),
    sv.rules.Rule(
        id="training.induction", kind="volunteer_induction_hours", params={"min_hours": 4}
    ),
    sv.rules.Rule(
        id="stars",
        kind="volunteer_star_levels",
        severity="info",
        params={"thresholds_hours": [1, 3]},
    ),
]


def removed_at_once(
    lists: dict[str, list[Any]], ids: set[str], *, cascade: bool
) -> dict[str, list[Any]]:
    """The lists without ``ids`` (and, with ``cascade``, what refers to them)."""
    gone = set(ids)
    changed = cascade
    while changed:
        changed = False
        for name, fields in SINGLE_REFS.items():
            for e in lists[name]:
                if e.id not in gone and any(getattr(e, f) in gone for f in fields):
                    gone.add(e.id)
                    changed = True
    out = {name: [e for e in items if e.id not in gone] for name, items in lists.items()}
    if cascade:  # sessions keep the supervisees left; those left with none go
        out["supervision_sessions"] = [
            s.model_copy(update={"supervisees": s.supervisees - gone})
            if s.supervisees & gone
            else s
            for s in out["supervision_sessions"]
            if s.supervisees - gone
        ]
        out["activities"] = [
            a.model_copy(
                update={
                    "workers": a.workers - gone,
                    "volunteers": a.volunteers - gone,
                    "clients": a.clients - gone,
                    "tasks": tuple(t for t in a.tasks if t.person not in gone),
                }
            )
            for a in out["activities"]
        ]
    return out


def built_at_once(info: sv.NetworkInfo, lists: dict[str, list[Any]]) -> sv.Network:
    return sv.Network.model_validate({"info": info, **lists})


@st.composite
def an_edit(  # noqa: PLR0911, PLR0912, PLR0915 - one branch per kind of edit
    draw: st.DrawFn, net: sv.Network, n: int, day: date
) -> tuple[str, Any]:
    """One edit of ``net``: ("add" | "replace", entities) or ("remove"/"cascade", ids).

    Supervision sessions are added in the month before ``day`` (the month checked).
    """
    centres = [c.id for c in net.centres]
    workers = [w.id for w in net.workers]
    everything = [e.id for e in net.entities()]
    choices = ["add_volunteer", "add_worker", "add_client"]
    if net.volunteers:
        choices.append("replace_volunteer")
    if net.workers:
        choices += ["replace_worker", "requalify_worker", "add_session"]
    if net.activities:
        choices += ["replace_activity"] * (1 + bool(net.service_records))
        if net.volunteers:
            choices += ["add_record", "add_record"]
    if net.service_records:
        choices.append("replace_record")
    if everything:
        choices += ["remove", "cascade", "cascade"]
    kind = draw(st.sampled_from(choices))
    centre = draw(st.sampled_from(centres)) if centres else "nowhere"
    # Mostly started before the days checked: active edges, so that limits are reached.
    start = draw(st.sampled_from([date(2005, 1, 1), date(2005, 1, 1), date(2014, 6, 1)]))
    if kind == "add_volunteer":
        vol = draw(volunteers(f"nv{n}", centre))
        added: list[Entity] = [vol]
        if workers and draw(st.booleans()):
            added.append(
                sv.Supervision(
                    id=f"ng{n}",
                    supervisor=draw(st.sampled_from(workers)),
                    supervisee=vol.id,
                    kind="guidance",
                    start=start,
                )
            )
        return "add", added
    if kind == "add_worker":
        worker = draw(social_workers(f"nw{n}", centre))
        added = [worker]
        if workers and draw(st.booleans()):  # may close a cycle: the rules must see it
            other = draw(st.sampled_from(workers))
            pair = (other, worker.id) if draw(st.booleans()) else (worker.id, other)
            added.append(
                sv.Supervision(
                    id=f"ns{n}",
                    supervisor=pair[0],
                    supervisee=pair[1],
                    kind="professional",
                    start=start,
                )
            )
        return "add", added
    if kind == "add_client":
        client = draw(clients(f"nk{n}", centre))
        added = [client]
        if workers and draw(st.booleans()):
            added.append(
                sv.CaseAssignment(
                    id=f"na{n}",
                    worker=draw(st.sampled_from(workers)),
                    client=client.id,
                    start=start,
                )
            )
        # Sometimes a dangling reference: the edit must fail as loading fails.
        if draw(st.integers(0, 9)) == 0:
            added.append(
                sv.CaseAssignment(id=f"nx{n}", worker="nobody", client=client.id, start=start)
            )
        return "add", added
    if kind == "add_session":  # led by an external supervisor, in the month checked
        supervisees = draw(st.lists(st.sampled_from(workers), min_size=1, max_size=2, unique=True))
        month = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
        return "add", [
            sv.SupervisionSession(
                id=f"nss{n}",
                start=datetime(month.year, month.month, 10, 14, tzinfo=ZoneInfo("Asia/Shanghai")),
                minutes=60,
                format="group" if len(supervisees) > 1 else "individual",
                external=sv.ExternalSupervisor(
                    name=draw(st.sampled_from(["陈某", "李某"])),
                    origin="hong_kong",
                    certification=draw(st.sampled_from(["none", "intermediate"])),
                    years_of_practice=draw(st.sampled_from([None, 5.0])),
                    qualification=draw(st.sampled_from([None, "香港注册社工"])),
                ),
                supervisees=supervisees,
            )
        ]
    if kind.endswith("_record"):
        return draw(a_record_edit(net, kind, n))
    if kind == "replace_volunteer":
        old = net.volunteer(draw(st.sampled_from([v.id for v in net.volunteers])))
        return "replace", [draw(volunteers(old.id, old.centre))]
    if kind == "replace_worker":
        old_w = net.worker(draw(st.sampled_from(workers)))
        return "replace", [draw(social_workers(old_w.id, old_w.centre))]
    if kind == "requalify_worker":  # the same days and centre, another level
        old_w = net.worker(draw(st.sampled_from(workers)))
        level = draw(st.sampled_from([lv.value for lv in sv.CertificationLevel]))
        return "replace", [
            sv.SocialWorker.model_validate({**old_w.model_dump(), "certification": level})
        ]
    if kind == "replace_activity":
        named = sorted({r.activity for r in net.service_records})  # the records' sessions
        pool = named if named and draw(st.booleans()) else [a.id for a in net.activities]
        act = net.activity(draw(st.sampled_from(pool)))
        keep_v = frozenset(v for v in act.volunteers if draw(st.booleans()))
        keep_w = frozenset(w for w in act.workers if draw(st.booleans()))
        return "replace", [
            act.model_copy(
                update={
                    "volunteers": keep_v,
                    "workers": keep_w,
                    "clients": frozenset(c for c in act.clients if draw(st.booleans())),
                    "tasks": tuple(t for t in act.tasks if t.person in keep_v | keep_w),
                    "start": act.start + timedelta(hours=draw(st.integers(-3, 3))),
                    "end": act.end + timedelta(hours=draw(st.integers(-3, 3)) + 6),
                }
            )
        ]
    ids = draw(st.lists(st.sampled_from(everything), min_size=1, max_size=2, unique=True))
    return kind, ids


@st.composite
def a_record_edit(draw: st.DrawFn, net: sv.Network, kind: str, n: int) -> tuple[str, Any]:
    """A service record added (``add_record``) or replaced (``replace_record``)."""
    if kind == "add_record":
        act = net.activity(draw(st.sampled_from([a.id for a in net.activities])))
        vid = draw(st.sampled_from([v.id for v in net.volunteers]))
        return "add", [draw(a_record(f"nr{n}", vid, act))]
    rec = draw(st.sampled_from(net.service_records))
    return "replace", [draw(a_record(rec.id, rec.volunteer, net.activity(rec.activity)))]


@st.composite
def a_record(draw: st.DrawFn, rid: str, volunteer: str, act: sv.Activity) -> sv.ServiceRecord:
    """A service record of ``volunteer`` near a session of ``act``, maybe corrected."""
    start = act.start + timedelta(minutes=draw(st.sampled_from([-60, 0, 30])))
    end = start + timedelta(minutes=draw(st.sampled_from([60, 150, 300])))
    corrections = []
    if draw(st.booleans()):
        corrections.append(
            sv.RecordCorrection(
                at=start + timedelta(days=1),
                requested_by=volunteer,
                reason=draw(st.sampled_from(["", "left early"])),
                end=end - timedelta(minutes=30),
                void=draw(st.sampled_from([None, True])),
            )
        )
    return sv.ServiceRecord(
        id=rid,
        volunteer=volunteer,
        activity=act.id,
        start=start,
        end=end,
        place=draw(st.sampled_from([None, "社区"])),
        corrections=tuple(corrections),
    )


@given(
    data=st.data(),
    start=networks(max_centres=2, max_workers=3, max_volunteers=4, max_clients=4, cross_centre=True)
    | crowded_networks(first=date(2005, 1, 1), last=date(2012, 12, 31)),
    day=dates(date(2013, 1, 1), date(2014, 12, 31)),
    rules=st.sampled_from(["cn-default", "us-default", TIGHT]),
)
def test_edits_one_by_one_equal_the_network_built_and_checked_at_once(data, start, day, rules):
    if start.activities and start.volunteers:  # records from the start: edits around them
        held = [  # sessions held before the day checked, so that their records count
            a.model_copy(
                update={
                    "start": a.start.replace(year=day.year - 1, month=6, day=1),
                    "end": a.start.replace(year=day.year - 1, month=6, day=1) + (a.end - a.start),
                }
            )
            for a in start.activities[:3]
        ]
        start = start.with_replaced(*held).with_added(
            *(
                data.draw(a_record(f"r{i}", v.id, a))
                for i, (v, a) in enumerate(zip(start.volunteers * 3, held, strict=False))
            )
        )
    net = start
    lists = {name: list(getattr(start, name)) for name in sv.Network.collections}
    checker = sv.Checker(net, rules, on=day)
    for n in range(data.draw(st.integers(1, 5))):
        kind, payload = data.draw(an_edit(net, n, day))
        if kind == "add":
            wanted = {name: [*items] for name, items in lists.items()}
            for e in payload:
                wanted[e.collection].append(e)
        elif kind == "replace":
            by_id = {e.id: e for e in payload}
            wanted = {name: [by_id.get(e.id, e) for e in items] for name, items in lists.items()}
        else:
            wanted = removed_at_once(lists, set(payload), cascade=kind == "cascade")
        try:
            expected = built_at_once(start.info, wanted)
        except sv.NetworkValidationError as exc:
            loading_problems = exc.problems
            expected = None
        if expected is None:
            with pytest.raises(sv.NetworkValidationError) as got:
                _apply(net, kind, payload)
            assert got.value.problems == loading_problems
            continue
        before = net
        before_copy = before.model_dump()
        net = _apply(net, kind, payload)
        assert net == expected
        assert [e.id for e in net.entities()] == [e.id for e in expected.entities()]
        assert before.model_dump() == before_copy  # the old network is unchanged
        lists = wanted
        assert checker.update(net) == sv.check(expected, rules, on=day)
    assert net == built_at_once(start.info, lists)


def _apply(net: sv.Network, kind: str, payload: Any) -> sv.Network:
    if kind == "add":
        return net.with_added(*payload)
    if kind == "replace":
        return net.with_replaced(*payload)
    return net.with_removed(*payload, cascade=kind == "cascade")
