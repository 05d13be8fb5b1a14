from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sw_volunteer as sv

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2013, 11, 18)


def yucai(n_workers: int = 4, n_volunteers: int = 78, *, guided: int | None = None) -> sv.Network:
    """The Yucai studio as the article describes it: 4 certified social workers, 78
    volunteers, shared round-robin (the article gives no split)."""
    workers = [
        sv.SocialWorker(
            id=f"w{i}",
            name=f"社工{i}",
            centre="yucai",
            certification="intermediate",
            practice_since=date(2008, 1, 1),
        )
        for i in range(1, n_workers + 1)
    ]
    vols = [
        sv.Volunteer(id=f"v{i}", name="x", centre="yucai", birth_date=date(1990, 1, 1))
        for i in range(1, n_volunteers + 1)
    ]
    count = n_volunteers if guided is None else guided
    edges = [
        sv.Supervision(
            id=f"s{i}",
            supervisor=workers[i % n_workers].id,
            supervisee=vols[i].id,
            kind="guidance",
            start=date(2013, 1, 1),
        )
        for i in range(count)
    ]
    return sv.Network(
        centres=[sv.Centre(id="yucai", name="市育才社会工作室")],
        workers=workers,
        volunteers=vols,
        supervisions=edges,
    )


def liqun_outing(workers: int = 6, volunteers: int = 20, trainees: int = 22) -> sv.Network:
    """Liqun's farm-therapy outing: 6 social workers, 20+ volunteers, 20+ trainees."""
    ws = [
        sv.SocialWorker(id=f"lw{i}", name=f"社工{i}", centre="liqun", certification="assistant")
        for i in range(6)
    ]
    vs = [
        sv.Volunteer(id=f"lv{i}", name="x", centre="liqun", birth_date=date(1985, 5, 5))
        for i in range(24)
    ]
    ks = [
        sv.Client(
            id=f"k{i}", name=f"CLIENT-NAME-{i}", centre="liqun", needs=["intellectual_disability"]
        )
        for i in range(30)
    ]
    outing = sv.Activity(
        id="farm",
        name="农疗",
        programme="nongliao",
        setting="outing",
        start=datetime(2013, 11, 17, 13, 30, tzinfo=TZ),
        end=datetime(2013, 11, 17, 17, 0, tzinfo=TZ),
        workers={w.id for w in ws[:workers]},
        volunteers={v.id for v in vs[:volunteers]},
        clients={k.id for k in ks[:trainees]},
        # every trainee's guardian consented in writing the week before
        guardian_consents=[
            sv.models.ClientConsent(client=k.id, signed_on=date(2013, 11, 10))
            for k in ks[:trainees]
        ],
    )
    edges = [
        sv.Supervision(
            id=f"ls{i}",
            supervisor=ws[i % 6].id,
            supervisee=v.id,
            kind="guidance",
            start=date(2013, 1, 1),
        )
        for i, v in enumerate(vs)
    ]
    return sv.Network(
        centres=[sv.Centre(id="liqun", name="利群社会工作服务中心")],
        workers=ws,
        volunteers=vs,
        clients=ks,
        programmes=[
            sv.Programme(id="nongliao", name="农疗", centre="liqun", service_area="rehabilitation")
        ],
        activities=[outing],
        supervisions=edges,
    )


def risky_recurring_with_a_minor(schedule: sv.Schedule) -> sv.Network:
    """A risky recurring activity with a 14-year-old and an adult volunteer."""
    return sv.Network(
        centres=[sv.Centre(id="c", name="C")],
        programmes=[sv.Programme(id="p", name="P", centre="c", service_area="after_school_care")],
        workers=[sv.SocialWorker(id="w", name="W", centre="c")],
        volunteers=[
            sv.Volunteer(id="teen", name="x", centre="c", birth_date=date(1999, 5, 1)),
            sv.Volunteer(id="adult", name="x", centre="c", birth_date=date(1980, 1, 1)),
        ],
        activities=[
            sv.Activity(
                id="climb",
                name="攀岩",
                programme="p",
                risky=True,
                start=schedule.start,
                end=schedule.start + schedule.duration,
                schedule=schedule,
                workers={"w"},
                volunteers={"teen", "adult"},
            )
        ],
    )
