"""A small after-school network: one recurring session, weekday availability, leave."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import sw_volunteer as sv

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST = datetime(2013, 11, 4, 16, 30, tzinfo=SHANGHAI)  # a Monday
SESSION = timedelta(minutes=90)


def weekly(byday: str, hour: int = 14, hours: int = 6) -> sv.Schedule:
    """Weekly availability on ``byday`` from ``hour`` for ``hours`` hours."""
    return sv.Schedule(
        start=datetime(2013, 9, 2, hour, tzinfo=SHANGHAI),
        duration=timedelta(hours=hours),
        rules=[f"FREQ=WEEKLY;BYDAY={byday}"],
    )


def days(first: date, last: date) -> sv.Schedule:
    return sv.Schedule.days(first, last, timezone="Asia/Shanghai")


@pytest.fixture
def network() -> sv.Network:
    schedule = sv.Schedule(
        start=FIRST, duration=SESSION, rules=["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]
    )
    return sv.Network(
        centres=[sv.Centre(id="yucai", name="市育才社会工作室")],
        workers=[
            sv.SocialWorker(id="w-lead", name="Lead", centre="yucai", certification="intermediate"),
            sv.SocialWorker(id="w-two", name="Two", centre="yucai", certification="assistant"),
            sv.SocialWorker(id="w-spare", name="Spare", centre="yucai", certification="senior"),
        ],
        volunteers=[
            sv.Volunteer(id="v-mon", name="A", centre="yucai", availability=weekly("MO")),
            sv.Volunteer(id="v-tue", name="B", centre="yucai", availability=weekly("TU")),
            sv.Volunteer(id="v-any", name="C", centre="yucai", qualifications=["first_aid"]),
            sv.Volunteer(id="v-free", name="D", centre="yucai", availability=weekly("MO,TU")),
        ],
        programmes=[
            sv.Programme(
                id="p430", name="快乐四点半", centre="yucai", service_area="after_school_care"
            )
        ],
        activities=[
            sv.Activity(
                id="a430",
                name="4:30 school",
                programme="p430",
                start=FIRST,
                end=FIRST + SESSION,
                workers=["w-lead"],
                volunteers=["v-mon", "v-tue", "v-any"],
                tasks=[{"person": "v-any", "task": "first_aid"}],
                extra_clients=12,
                schedule=schedule,
            )
        ],
        supervisions=[
            sv.Supervision(
                id="s-two",
                supervisor="w-lead",
                supervisee="w-two",
                kind="professional",
                start=date(2013, 1, 1),
            ),
            sv.Supervision(
                id="s-mon",
                supervisor="w-lead",
                supervisee="v-mon",
                kind="guidance",
                start=date(2013, 1, 1),
            ),
            sv.Supervision(
                id="s-tue",
                supervisor="w-lead",
                supervisee="v-tue",
                kind="guidance",
                start=date(2013, 1, 1),
            ),
            sv.Supervision(
                id="s-tue-2",
                supervisor="w-two",
                supervisee="v-tue",
                kind="guidance",
                start=date(2013, 1, 1),
                primary=False,
            ),
        ],
        absences=[
            sv.Absence(
                id="sick-any",
                person="v-any",
                schedule=days(date(2013, 11, 6), date(2013, 11, 6)),
                reason="sickness",
            ),
        ],
    )
