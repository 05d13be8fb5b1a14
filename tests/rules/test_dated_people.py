"""People are dated: before they join, after they leave, before they are born, no rule
speaks of them; every birthday a rule reads takes effect on the day age_on says.

The rules are given explicitly (not a packaged pack), so what is checked here is how
people's dates count, whatever the in-force dates of a pack's rules.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import sw_volunteer as sv
from sw_volunteer.models import age_on, first_day_of_age
from sw_volunteer.rules import Rule

TZ = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)

CONSENT = Rule(id="consent", kind="guardian_consent", params={"under_age": 18})
MIN_AGE = Rule(id="min-age", kind="minimum_volunteer_age", params={"min_age": 6})
GUIDED = Rule(id="guided", kind="every_volunteer_supervised")
SPAN = Rule(id="span", kind="max_volunteers_per_supervisor", params={"limit": 2})
ACCOMPANIED = Rule(
    id="accompanied", kind="minors_accompanied", params={"under_age": 10, "adult_age": 18}
)
ADULTS = Rule(
    id="adults",
    kind="adults_present",
    params={"min_adults": 2, "min_certified_workers": 0, "adult_age": 18},
)


def _network(*volunteers: sv.Volunteer, **more: object) -> sv.Network:
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        workers=[sv.SocialWorker(id="w", name="W", centre="c", certification="assistant")],
        volunteers=list(volunteers),
        **more,  # type: ignore[arg-type]
    )


def _codes(network: sv.Network, rules: list[Rule], day: date) -> list[str]:
    return [v.code for v in sv.check(network, rules, on=day).violations]


# -- item 2, first case: consent before joining ------------------------------------------

BORN = date(1999, 5, 1)
JOINED = date(2013, 9, 1)
TEEN = sv.Volunteer(id="v", name="V", centre="c", birth_date=BORN, joined=JOINED)


def test_no_consent_breach_before_the_volunteer_joined():
    # 2012-06-01: the volunteer (13 then) is not on the roster yet
    assert age_on(BORN, date(2012, 6, 1)) == 13
    assert _codes(_network(TEEN), [CONSENT], date(2012, 6, 1)) == []
    assert _codes(_network(TEEN), [CONSENT], JOINED - ONE_DAY) == []


def test_consent_breach_from_the_day_of_joining_to_the_eve_of_the_18th_birthday():
    eighteen = first_day_of_age(BORN, 18)
    assert eighteen == date(2017, 5, 1)
    for day in (JOINED, eighteen - ONE_DAY):
        report = sv.check(_network(TEEN), [CONSENT], on=day)
        (violation,) = report.violations
        assert violation.code == "guardian_consent_missing"
        assert violation.entities[0] == "v"
    assert _codes(_network(TEEN), [CONSENT], eighteen) == []


def test_nothing_after_the_volunteer_left():
    left = date(2015, 6, 30)
    gone = TEEN.model_copy(update={"left": left})
    assert _codes(_network(gone), [CONSENT, GUIDED], left) == [
        "guardian_consent_missing",
        "volunteer_unsupervised",
    ]
    assert _codes(_network(gone), [CONSENT, GUIDED], left + ONE_DAY) == []


def test_left_before_joined_is_refused():
    with pytest.raises(ValueError, match="left is before joined"):
        sv.Volunteer(id="v", name="V", centre="c", joined=JOINED, left=JOINED - ONE_DAY)


# -- item 2, second case: minimum age before birth --------------------------------------

CHILD_BORN = date(2001, 3, 15)
CHILD = sv.Volunteer(id="k", name="K", centre="c", birth_date=CHILD_BORN)


def test_a_volunteer_not_yet_born_is_not_there():
    day = date(1998, 1, 1)
    assert age_on(CHILD_BORN, day) == -4  # what the rule used to print
    assert not CHILD.on_roster_on(day)
    assert _codes(_network(CHILD), [MIN_AGE, CONSENT, GUIDED], day) == []
    assert _codes(_network(CHILD), [MIN_AGE], CHILD_BORN - ONE_DAY) == []


def test_minimum_age_holds_until_the_6th_birthday_and_names_the_age_not_the_day():
    sixth = first_day_of_age(CHILD_BORN, 6)
    assert sixth == date(2007, 3, 15)
    (violation,) = sv.check(_network(CHILD), [MIN_AGE], on=CHILD_BORN).violations
    assert violation.observed == 0
    (violation,) = sv.check(_network(CHILD), [MIN_AGE], on=sixth - ONE_DAY).violations
    assert violation.observed == 5
    assert violation.limit == 6
    text = violation.remedy.render("en")  # type: ignore[union-attr]
    assert "until their 6th birthday" in text
    assert sixth.isoformat() not in text  # the day would give the birth date away
    assert _codes(_network(CHILD), [MIN_AGE], sixth) == []


# -- every volunteer supervised, spans: only the people on the roster --------------------


def test_unsupervised_only_from_joining():
    late = sv.Volunteer(id="late", name="L", centre="c", joined=JOINED)
    assert _codes(_network(late), [GUIDED], JOINED - ONE_DAY) == []
    (violation,) = sv.check(_network(late), [GUIDED], on=JOINED).violations
    assert violation.code == "volunteer_unsupervised"
    assert violation.observed == 1


def test_span_counts_only_volunteers_on_the_roster():
    joins = [None, None, JOINED]
    volunteers = [
        sv.Volunteer(id=f"v{i}", name="x", centre="c", joined=j) for i, j in enumerate(joins)
    ]
    edges = [
        sv.Supervision(
            id=f"s{i}", supervisor="w", supervisee=v.id, kind="guidance", start=date(2013, 1, 1)
        )
        for i, v in enumerate(volunteers)
    ]
    net = _network(*volunteers, supervisions=edges)
    assert _codes(net, [SPAN], JOINED - ONE_DAY) == []  # 2 on the roster, limit 2
    (violation,) = sv.check(net, [SPAN], on=JOINED).violations
    assert violation.observed == len(volunteers)


def test_a_worker_who_left_takes_nobody():
    # w supervises 3 volunteers (limit 2); w2 has room but left the day before
    volunteers = [sv.Volunteer(id=f"v{i}", name="x", centre="c") for i in range(3)]
    edges = [
        sv.Supervision(
            id=f"s{i}", supervisor="w", supervisee=v.id, kind="guidance", start=date(2013, 1, 1)
        )
        for i, v in enumerate(volunteers)
    ]
    gone = sv.SocialWorker(id="w2", name="W2", centre="c", left=date(2013, 12, 31))
    net = _network(*volunteers, supervisions=edges).with_added(gone)
    on_roster = sv.check(net, [SPAN], on=date(2013, 12, 31)).violations[0]
    left = sv.check(net, [SPAN], on=date(2014, 1, 1)).violations[0]
    assert "w2" in on_roster.remedy.render("en")  # type: ignore[union-attr]
    assert "w2" not in left.remedy.render("en")  # type: ignore[union-attr]


# -- session rules: the 10th and 18th birthdays -----------------------------------------


def _session(day: date, *volunteers: str, clients: int = 0) -> sv.Activity:
    start = datetime(day.year, day.month, day.day, 16, 30, tzinfo=TZ)
    return sv.Activity(
        id="a",
        name="A",
        programme="p",
        start=start,
        end=start + timedelta(hours=1),
        volunteers=set(volunteers),
        extra_clients=clients,
    )


def _with_session(network: sv.Network, activity: sv.Activity) -> sv.Network:
    programme = sv.Programme(id="p", name="P", centre="c", service_area="after_school_care")
    return network.with_added(programme).with_added(activity)


def test_minors_accompanied_until_the_10th_birthday():
    born = date(2004, 2, 29)  # 10th birthday in a common year: 1 March 2014
    tenth = first_day_of_age(born, 10)
    assert tenth == date(2014, 3, 1)
    assert age_on(born, tenth - ONE_DAY) == 9
    young = sv.Volunteer(id="y", name="Y", centre="c", birth_date=born)
    for day, expected in ((tenth - ONE_DAY, ["minor_unaccompanied"]), (tenth, [])):
        net = _with_session(_network(young), _session(day, "y"))
        assert _codes(net, [ACCOMPANIED], day) == expected


def test_an_adult_counts_from_the_18th_birthday_as_the_pack_says():
    born = date(1996, 2, 29)
    eighteen = first_day_of_age(born, 18)
    assert eighteen == date(2014, 3, 1)
    teen = sv.Volunteer(id="t", name="T", centre="c", birth_date=born)
    assert not teen.counts_as_adult_on(eighteen - ONE_DAY)
    assert teen.counts_as_adult_on(eighteen)
    for day, expected in ((eighteen - ONE_DAY, ["too_few_adults"]), (eighteen, [])):
        session = _session(day, "t", clients=3).model_copy(update={"workers": frozenset({"w"})})
        net = _with_session(_network(teen), session)
        assert _codes(net, [ADULTS], day) == expected
    # the pack's adult age, not a default of 18, decides
    older = ADULTS.with_params(adult_age=21)
    session = _session(eighteen, "t", clients=3).model_copy(update={"workers": frozenset({"w"})})
    assert _codes(_with_session(_network(teen), session), [older], eighteen) == ["too_few_adults"]


def test_an_unknown_birth_date_counts_as_an_adult_everywhere():
    unknown = sv.Volunteer(id="u", name="U", centre="c")
    day = date(2014, 3, 1)
    assert unknown.counts_as_adult_on(day)
    assert not unknown.model_copy(update={"trained": False}).counts_as_adult_on(day)
    session = _session(day, "u", clients=3).model_copy(update={"workers": frozenset({"w"})})
    net = _with_session(_network(unknown), session)
    assert _codes(net, [ADULTS], day) == []
    (roster,) = sv.scheduling.session_rosters(net, session.start, session.end)
    assert roster.adults_present(net) == 2
    assert sv.scheduling.Staffing(net).adults(roster) == 2


@pytest.mark.parametrize("born", [date(2000, 2, 29), date(1999, 3, 1), date(1999, 12, 31)])
@pytest.mark.parametrize("age", [6, 10, 18])
def test_first_day_of_age_is_where_age_on_turns(born: date, age: int):
    first = first_day_of_age(born, age)
    assert first is not None
    assert age_on(born, first) == age
    assert age_on(born, first - ONE_DAY) == age - 1


# -- sessions: people are there only while on the roster -----------------------------------


def _weekly_session_network(adult: sv.Volunteer) -> sv.Network:
    start = datetime(2013, 9, 2, 16, 30, tzinfo=TZ)  # a Monday
    return _network(
        adult,
        programmes=[sv.Programme(id="p", name="P", centre="c", service_area="community_education")],
        clients=[sv.Client(id="k", name="K", centre="c")],
        activities=[
            sv.Activity(
                id="a",
                name="A",
                programme="p",
                start=start,
                end=start + timedelta(hours=1),
                workers=["w"],
                volunteers=[adult.id],
                clients=["k"],
                schedule=sv.Schedule(
                    start=start, duration=timedelta(hours=1), rules=["FREQ=WEEKLY"]
                ),
            )
        ],
    )


def test_a_rostered_volunteer_counts_at_sessions_only_from_joining_to_leaving():
    joined, left = date(2013, 9, 16), date(2013, 9, 23)  # two Mondays
    adult = sv.Volunteer(
        id="u", name="U", centre="c", birth_date=date(1980, 1, 1), joined=joined, left=left
    )
    network = _weekly_session_network(adult)
    window = (datetime(2013, 9, 2, tzinfo=TZ), datetime(2013, 10, 1, tzinfo=TZ))
    report = sv.check(network, [ADULTS], on=joined, between=window)
    # the worker alone is 1 adult of the 2 needed on every Monday the volunteer is not on
    # the roster: 2 and 9 September (before joining) and 30 September (after leaving)
    short = sorted(v.session.date() for v in report.of_code("too_few_adults"))  # type: ignore[union-attr]
    mondays = [date(2013, 9, 2) + 7 * n * ONE_DAY for n in range(5)]
    assert short == [d for d in mondays if not joined <= d <= left]
    statuses = sv.rules.check_schedule(network, *window, [ADULTS])
    away = {s.roster.start.date(): dict(s.roster.away).get("u") for s in statuses}
    assert away[date(2013, 9, 9)] is sv.scheduling.Presence.NOT_AVAILABLE
    assert away[date(2013, 9, 16)] is None


def test_a_one_off_activity_before_joining_does_not_count_or_report_the_volunteer():
    joined = date(2013, 9, 16)
    minor = sv.Volunteer(id="m", name="M", centre="c", birth_date=date(2005, 1, 1), joined=joined)
    start = datetime(2013, 9, 9, 9, tzinfo=TZ)
    network = _network(
        minor,
        programmes=[sv.Programme(id="p", name="P", centre="c", service_area="community_education")],
        activities=[
            sv.Activity(
                id="trip",
                name="T",
                programme="p",
                start=start,
                end=start + timedelta(hours=2),
                volunteers=["m"],
            )
        ],
    )
    # 8 years old, unaccompanied, a week before joining: not there, so nothing to say
    assert age_on(minor.birth_date, start.date()) < 10  # type: ignore[arg-type]
    assert _codes(network, [ACCOMPANIED], joined) == []
    later = network.with_replaced(minor.model_copy(update={"joined": start.date()}))
    assert _codes(later, [ACCOMPANIED], joined) == ["minor_unaccompanied"]
