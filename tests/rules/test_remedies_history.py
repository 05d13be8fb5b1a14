"""Hand-worked cases: remedies keep history (issue case 3) and are minimal (case 4).

Every figure is derived in the test from the network it builds.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rules_networks import risky_recurring_with_a_minor

import sw_volunteer as sv
from sw_volunteer.errors import RuleError
from sw_volunteer.rules import RemedyAction, RemedyOption, Rule, apply_remedy

DAY = date(2013, 11, 18)
BEFORE = date(2013, 6, 1)
TZ = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)


def _option(*actions: RemedyAction) -> RemedyOption:
    return RemedyOption(text="", text_zh="", actions=actions)


def _verdict(network: sv.Network, rules: object, on: date) -> set[tuple[str, tuple[str, ...]]]:
    return {(v.code, v.entities) for v in sv.check(network, rules=rules, on=on).violations}  # type: ignore[arg-type]


def _studio(loads: dict[str, int], *, level: str = "assistant") -> sv.Network:
    """One centre; worker w guides loads[w] adult volunteers since 2013-01-01."""
    workers = [sv.SocialWorker(id=w, name="社工", centre="c", certification=level) for w in loads]
    volunteers, edges = [], []
    for w, n in loads.items():
        for i in range(n):
            volunteers.append(
                sv.Volunteer(id=f"{w}-v{i}", name="x", centre="c", birth_date=date(1990, 1, 1))
            )
            edges.append(
                sv.Supervision(
                    id=f"{w}-s{i}",
                    supervisor=w,
                    supervisee=f"{w}-v{i}",
                    kind="guidance",
                    start=date(2013, 1, 1),
                )
            )
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=workers,
        volunteers=volunteers,
        supervisions=edges,
    )


def _span(limit: int) -> list[Rule]:
    return [Rule(id="span", kind="max_volunteers_per_supervisor", params={"limit": limit})]


# -- case 3: history ---------------------------------------------------------------------


def test_a_move_ends_the_old_edge_the_day_before_and_starts_a_new_one_on_the_day():
    network = _studio({"w1": 3, "w2": 0})
    rules = _span(2)
    assert _verdict(network, rules, BEFORE) == {("supervisor_overloaded_volunteers", ("w1", "c"))}
    (breach,) = sv.check(network, rules=rules, on=DAY).violations
    fixed = apply_remedy(network, breach.remedy, on=DAY)
    (moved,) = [a for a in breach.remedy.options[0].actions if a.action == "move_supervisee"]
    old = fixed.get(f"w1-s{int(moved.entity.split('v')[-1])}")
    assert (old.supervisor, old.start, old.end) == ("w1", date(2013, 1, 1), DAY - ONE_DAY)
    (new,) = [s for s in fixed.supervisions if s.id not in {e.id for e in network.supervisions}]
    assert (new.supervisor, new.supervisee, new.start, new.end) == ("w2", moved.entity, DAY, None)
    # the earlier day keeps its verdict (w1 still guided 3 then); the day is clear
    assert _verdict(fixed, rules, BEFORE) == _verdict(network, rules, BEFORE)
    assert _verdict(fixed, rules, DAY) == set()


def test_an_edge_that_starts_on_the_day_is_moved_in_place():
    network = _studio({"w1": 2, "w2": 0})
    starts_today = network.supervisions[1].model_copy(update={"start": DAY})
    network = network.with_replaced(starts_today)
    fixed = apply_remedy(
        network,
        _option(
            RemedyAction(
                action="move_supervisee", entity=starts_today.supervisee, source="w1", target="w2"
            )
        ),
        on=DAY,
    )
    assert len(fixed.supervisions) == len(network.supervisions)
    assert fixed.get(starts_today.id).supervisor == "w2"


def test_ending_an_edge_keeps_it_until_the_day_before():
    network = _studio({"w1": 1, "w2": 1})
    ended = apply_remedy(
        network, _option(RemedyAction(action="end_supervision", entity="w1-s0")), on=DAY
    )
    edge = ended.get("w1-s0")
    assert edge.end == DAY - ONE_DAY
    assert edge.is_active_on(BEFORE)
    assert not edge.is_active_on(DAY)
    # an edge that starts on the day held on no earlier day: it goes
    later = network.with_replaced(network.get("w2-s0").model_copy(update={"start": DAY}))
    gone = apply_remedy(
        later, _option(RemedyAction(action="end_supervision", entity="w2-s0")), on=DAY
    )
    assert "w2-s0" not in gone


def test_demoting_a_primary_edge_keeps_it_primary_before_the_day():
    network = _studio({"w1": 1, "w2": 0})
    second = sv.Supervision(
        id="second",
        supervisor="w2",
        supervisee="w1-v0",
        kind="guidance",
        start=date(2013, 3, 1),
    )
    network = network.with_added(second)
    rules = [Rule(id="primary", kind="single_primary_supervisor")]
    (breach,) = sv.check(network, rules=rules, on=DAY).violations
    fixed = apply_remedy(network, breach.remedy, on=DAY)
    assert fixed.get("second").primary
    assert fixed.get("second").end == DAY - ONE_DAY
    assert _verdict(fixed, rules, BEFORE) == _verdict(network, rules, BEFORE) != set()
    assert _verdict(fixed, rules, DAY) == set()


def _minor(**fields: object) -> sv.Network:
    """The issue's volunteer: born 1999-05-01, 14 on the day, no guardian consent."""
    teen = sv.Volunteer(id="teen", name="x", centre="c", birth_date=date(1999, 5, 1), **fields)
    return sv.Network(centres=[sv.Centre(id="c", name="C")], volunteers=[teen])


CONSENT = [Rule(id="consent", kind="guardian_consent", params={"under_age": 18})]


def test_guardian_consent_counts_from_its_day_and_the_remedy_dates_it():
    network = _minor()
    assert DAY.year - 1999 - 1 < 18  # 14 on the day: a minor
    (breach,) = sv.check(network, rules=CONSENT, on=DAY).violations
    assert breach.code == "guardian_consent_missing"
    fixed = apply_remedy(network, breach.remedy, on=DAY)
    assert fixed.volunteer("teen").guardian_consent_on == DAY
    assert not fixed.volunteer("teen").guardian_consent  # nothing says it held before
    assert _verdict(fixed, CONSENT, DAY) == set()
    assert _verdict(fixed, CONSENT, DAY - ONE_DAY) == _verdict(network, CONSENT, DAY - ONE_DAY)
    assert _verdict(fixed, CONSENT, BEFORE) == {("guardian_consent_missing", ("teen", "c"))}


def test_an_undated_consent_on_file_counts_on_every_day():
    network = _minor(guardian_consent=True)
    assert _verdict(network, CONSENT, BEFORE) == _verdict(network, CONSENT, DAY) == set()
    dated = _minor(guardian_consent_on=DAY)
    assert _verdict(dated, CONSENT, DAY) == set()
    assert _verdict(dated, CONSENT, DAY - ONE_DAY) == {("guardian_consent_missing", ("teen", "c"))}


def test_an_old_style_consent_remedy_is_dated_too():
    old_style = _option(
        RemedyAction(action="set_field", entity="teen", field="guardian_consent", value=True)
    )
    fixed = apply_remedy(_minor(), old_style, on=DAY)
    assert fixed.volunteer("teen").guardian_consent_on == DAY
    assert _verdict(fixed, CONSENT, BEFORE) == {("guardian_consent_missing", ("teen", "c"))}


def _risky(volunteer: sv.Volunteer, *days: date) -> sv.Network:
    sessions = [
        sv.Activity(
            id=f"outing-{d.isoformat()}",
            name="外出",
            programme="p",
            setting="outing",
            risky=True,
            start=datetime(d.year, d.month, d.day, 9, tzinfo=TZ),
            end=datetime(d.year, d.month, d.day, 12, tzinfo=TZ),
            volunteers={volunteer.id},
        )
        for d in days
    ]
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        programmes=[
            sv.Programme(id="p", name="P", centre="c", service_area="elderly_and_disability")
        ],
        volunteers=[volunteer],
        activities=sessions,
    )


INSURANCE = [Rule(id="insurance", kind="insurance_for_risky_activities")]


def test_insurance_is_joined_to_the_old_period_when_nothing_before_the_day_changes():
    lapsed = sv.Period(start=date(2013, 1, 1), until=date(2013, 6, 30))
    volunteer = sv.Volunteer(id="v", name="x", centre="c", insurance=lapsed)
    network = _risky(volunteer, date(2013, 3, 1), DAY + 7 * ONE_DAY)
    (breach,) = sv.check(network, rules=INSURANCE, on=DAY).violations
    assert breach.session.date() == DAY + 7 * ONE_DAY
    fixed = apply_remedy(network, breach.remedy, on=DAY)
    cover = fixed.volunteer("v").insurance
    # no session of v between the lapse and the day: the gap can be joined
    assert (cover.start, cover.until) == (lapsed.start, DAY + 7 * ONE_DAY)
    assert _verdict(fixed, INSURANCE, DAY) == set()


def test_insurance_that_would_cover_an_earlier_uninsured_session_is_refused():
    lapsed = sv.Period(start=date(2013, 1, 1), until=date(2013, 6, 30))
    volunteer = sv.Volunteer(id="v", name="x", centre="c", insurance=lapsed)
    network = _risky(volunteer, date(2013, 9, 1), DAY + 7 * ONE_DAY)
    # the 1 September outing was uninsured; joining the periods would rewrite it
    future = [
        v for v in sv.check(network, rules=INSURANCE, on=DAY).violations if v.session.date() >= DAY
    ]
    with pytest.raises(RuleError, match="before 2013-11-18"):
        apply_remedy(network, future[0].remedy, on=DAY)


def test_a_remedy_for_a_session_before_the_day_is_refused():
    volunteer = sv.Volunteer(id="v", name="x", centre="c")
    network = _risky(volunteer, date(2013, 9, 1))
    (past,) = sv.check(network, rules=INSURANCE, on=DAY).violations
    with pytest.raises(RuleError, match="cannot date a fact before"):
        apply_remedy(network, past.remedy, on=DAY)


def test_a_background_check_relied_on_before_the_day_is_not_overwritten():
    old = date(2013, 1, 10)
    volunteer = sv.Volunteer(id="v", name="x", centre="c", background_check_on=old)
    network = _risky(volunteer, date(2013, 3, 1))
    renew = _option(
        RemedyAction(action="set_field", entity="v", field="background_check_on", value=DAY)
    )
    with pytest.raises(RuleError, match="counted for sessions before"):
        apply_remedy(network, renew, on=DAY)
    # with no session since the old check, the new date replaces it
    alone = _risky(volunteer)
    assert apply_remedy(alone, renew, on=DAY).volunteer("v").background_check_on == DAY


def test_undated_fields_are_not_set():
    network = _minor()
    untrain = _option(RemedyAction(action="set_field", entity="teen", field="trained", value=False))
    with pytest.raises(RuleError, match="not a dated fact"):
        apply_remedy(network, untrain, on=DAY)


def _weekly_risky_with_a_minor() -> sv.Network:
    first = datetime(2013, 11, 4, 9, tzinfo=TZ)  # a Monday, two weeks before the day
    return risky_recurring_with_a_minor(
        sv.Schedule(start=first, duration=timedelta(hours=3), rules=["FREQ=WEEKLY"])
    )


RISKY_MINORS = [Rule(id="risky", kind="no_minors_in_risky_activities", params={"adult_age": 18})]


def test_taking_a_minor_out_of_a_recurring_activity_splits_it_on_the_day():
    network = _weekly_risky_with_a_minor()
    window = (datetime(2013, 11, 1, tzinfo=TZ), datetime(2013, 12, 2, tzinfo=TZ))
    sessions_before = [
        v.session for v in sv.check(network, rules=RISKY_MINORS, on=DAY, between=window).violations
    ]
    # 4, 11, 18, 25 November: four Mondays in the window, each with the 14-year-old
    assert [s.day for s in sessions_before] == [4, 11, 18, 25]
    take_out = _option(RemedyAction(action="remove_participant", entity="teen", target="climb"))
    fixed = apply_remedy(network, take_out, on=DAY)
    old = fixed.activity("climb")
    assert old.volunteers == {"teen", "adult"}
    assert old.schedule.until == DAY - ONE_DAY
    (new,) = [a for a in fixed.activities if a.id != "climb"]
    assert new.start == datetime(2013, 11, 18, 9, tzinfo=TZ)
    assert new.volunteers == {"adult"}
    after = [
        v.session for v in sv.check(fixed, rules=RISKY_MINORS, on=DAY, between=window).violations
    ]
    # the two sessions before the day keep their verdict; the two from the day are clear
    assert after == [s for s in sessions_before if s.date() < DAY]
    # the same sessions take place: 4 before and after
    assert len(list(new.schedule.occurrences(*window))) + len(
        list(old.schedule.occurrences(*window))
    ) == len(list(network.activity("climb").schedule.occurrences(*window)))


def test_a_one_off_session_before_the_day_cannot_change():
    network = _weekly_risky_with_a_minor()
    one_off = network.activity("climb").model_copy(update={"schedule": None})
    network = network.with_replaced(one_off)
    take_out = _option(RemedyAction(action="remove_participant", entity="teen", target="climb"))
    with pytest.raises(RuleError, match="before 2013-11-18"):
        apply_remedy(network, take_out, on=DAY)
    # on the day of the session itself it can
    assert apply_remedy(network, take_out, on=one_off.start.date()).activity(
        "climb"
    ).volunteers == {"adult"}


# -- case 4: the smallest change -------------------------------------------------------


def test_the_issue_case_moves_25_to_the_colleague_and_asks_for_2_more():
    volunteers, limit = 78, 25
    network = _studio({"w1": volunteers, "w2": 0})
    (breach,) = sv.check(network, rules=_span(limit), on=DAY).violations
    (option,) = breach.remedy.options
    moves = [a for a in option.actions if a.action == "move_supervisee"]
    (hire,) = [a for a in option.actions if a.action == "add_people"]
    free = limit - 0  # w2 guides nobody
    assert len(moves) == free
    assert {a.target for a in moves} == {"w2"}
    in_all = math.ceil(volunteers / limit)  # 4
    assert hire.count == in_all - 2 == 2
    assert "2 more supervising social workers" in option.text
    assert "再增加 2 名指导社工" in option.text_zh


def test_the_issue_case_under_cn_default_counts_places_under_the_warning_limit():
    # cn-default warns above 20 and errs above 25: places are counted under 20, so a
    # move never creates a new breach; 78 / 20 -> 4 in all, 2 more.
    network = _studio({"w1": 78, "w2": 0})
    over = sv.check(network, on=DAY).of_code("supervisor_overloaded_volunteers")
    (breach,) = over
    (option,) = breach.remedy.options
    moves = [a for a in option.actions if a.action == "move_supervisee"]
    (hire,) = [a for a in option.actions if a.action == "add_people"]
    assert len(moves) == 20
    assert hire.count == math.ceil(78 / 20) - 2


def test_overloaded_colleagues_share_the_free_places_and_one_count_of_hires():
    # limit 5: w1 has 9 (4 over), w2 has 7 (2 over), w3 has 2 (3 places), w4 has 5 (none)
    loads = {"w1": 9, "w2": 7, "w3": 2, "w4": 5}
    limit = 5
    network = _studio(loads)
    report = sv.check(network, rules=_span(limit), on=DAY)
    remedies = {v.entities[0]: v.remedy.options[0] for v in report.violations}
    assert set(remedies) == {"w1", "w2"}
    excess = {w: n - limit for w, n in loads.items() if n > limit}
    places = sum(limit - n for n in loads.values() if n < limit)
    assert (sum(excess.values()), places) == (6, 3)
    # w2's smaller excess is placed whole, so its remedy is moves only and applies
    w2_moves = [a for a in remedies["w2"].actions if a.action == "move_supervisee"]
    assert len(w2_moves) == excess["w2"]
    assert all(a.action == "move_supervisee" for a in remedies["w2"].actions)
    # w1 gets the one place left and the centre's hires: ceil((6 - 3) / 5) = 1
    w1_moves = [a for a in remedies["w1"].actions if a.action == "move_supervisee"]
    assert len(w1_moves) == places - excess["w2"]
    (hire,) = [a for a in remedies["w1"].actions if a.action == "add_people"]
    assert hire.count == math.ceil((sum(excess.values()) - places) / limit)
    # following both: w3 is full, not overfull, and w1's last 3 wait for the new hire
    both = _option(*w2_moves, *w1_moves)
    fixed = apply_remedy(network, both, on=DAY)
    assert _verdict(fixed, _span(limit), DAY) == {("supervisor_overloaded_volunteers", ("w1", "c"))}
    (left,) = sv.check(fixed, rules=_span(limit), on=DAY).violations
    assert left.observed - limit == sum(excess.values()) - places


def test_when_both_must_wait_for_hires_they_name_the_same_count_for_the_centre():
    loads = {"w1": 8, "w2": 7, "w3": 5}
    limit = 5
    report = sv.check(_studio(loads), rules=_span(limit), on=DAY)
    counts = {
        v.entities[0]: [a.count for a in v.remedy.options[0].actions if a.action == "add_people"]
        for v in report.violations
    }
    # 3 + 2 over, no place: one new supervisor takes all 5, not one each
    assert counts == {"w1": [1], "w2": [1]}
    assert math.ceil((3 + 2) / limit) == 1


def test_an_underqualified_supervisor_hands_over_to_colleagues_first():
    limit = 2
    network = _studio({"w1": 5, "w2": 0, "w3": 1}, level="assistant")
    low = network.worker("w1").model_copy(update={"certification": sv.CertificationLevel.NONE})
    network = network.with_replaced(low)
    rules = [
        *_span(limit),
        Rule(
            id="qualified",
            kind="supervisor_qualification",
            params={"supervisee_kind": "guidance", "min_level": "assistant"},
        ),
    ]
    (breach,) = sv.check(network, rules=rules, on=DAY).of_code("supervisor_underqualified")
    option = breach.remedy.options[0]
    moves = [a for a in option.actions if a.action == "move_supervisee"]
    (hire,) = [a for a in option.actions if a.action == "add_people"]
    places = (limit - 0) + (limit - 1)  # w2 and w3
    assert len(moves) == places
    assert hire.count == math.ceil((5 - places) / limit)


def test_an_edge_over_before_the_day_is_not_changed():
    network = _studio({"w1": 1, "w2": 0})
    over = network.get("w1-s0").model_copy(update={"end": date(2013, 6, 30)})
    network = network.with_replaced(over)
    demote = _option(RemedyAction(action="set_field", entity="w1-s0", field="primary", value=False))
    with pytest.raises(RuleError, match="ended on 2013-06-30"):
        apply_remedy(network, demote, on=DAY)
