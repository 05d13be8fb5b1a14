"""Generate the embedded Rui'an 2013 dataset (``src/sw_volunteer/datasets/ruian_2013.yaml``).

Run ``python tools/make_ruian_dataset.py`` after changing this file; a test checks that
the committed YAML is exactly what this script writes. The figures from the 2013 article
are constants below, marked ``ARTICLE``; everything else (the individuals, their dates,
the supervision edges) is synthetic and chosen here, marked ``CHOSEN``. Individuals are
named in the reporting style "surname + 某" so that no real person is described.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

OUT = (
    Path(__file__).resolve().parent.parent / "src" / "sw_volunteer" / "datasets" / "ruian_2013.yaml"
)
TZ = "+08:00"

# ARTICLE: figures from 瑞安日报, "瑞安市探索'社工+义工'社会服务新模式", 2013-11-19.
CITY_CERTIFIED_SOCIAL_WORKERS = 579
LIQUN_WORKERS = 6
LIQUN_TRAINEES = 30
HUAXIA_WORKERS = 9
HUAXIA_CERTIFIED = 5
YUCAI_CERTIFIED_WORKERS = 4
YUCAI_VOLUNTEERS = 78
OUTING_DAY = date(2013, 11, 18)  # "昨日下午" in an article of 2013-11-19

# CHOSEN: sizes the article gives only as "20多" (20-odd) or not at all.
LIQUN_VOLUNTEERS = 24  # "一支固定的义工队伍" and "20多名义工" on the outing
OUTING_VOLUNTEERS = 22  # "20多名义工"
OUTING_TRAINEES = 22  # "20多名学员"
PAPERS_DAY = "2013-11-11"  # CHOSEN: consent, risk assessment and emergency plan, a week before
OUTING_COACH_SEATS = 53  # CHOSEN: one hired coach, driver's seat included
HUAXIA_STUDENT_VOLUNTEERS = 10
HUAXIA_STAFF_VOLUNTEERS = 6
HUAXIA_DRUG_CLIENTS = 25
HUAXIA_ELDERLY_CLIENTS = 40
YUCAI_CHILDREN = 40
YUCAI_CORRECTION_CLIENTS = 6
YUCAI_ASSISTANCE_CLIENTS = 10

# The 4:30 school (ARTICLE: Monday to Friday afternoons, after school). CHOSEN: the hours
# 16:30-18:00 and the autumn term of 2013, 2 September 2013 to 17 January 2014.
SCHOOL_ZONE = "Asia/Shanghai"
SCHOOL_FIRST_SESSION = f"2013-09-02T16:30:00{TZ}"
SCHOOL_FIRST_SESSION_END = f"2013-09-02T18:00:00{TZ}"
SCHOOL_TERM_END = date(2014, 1, 17)
# National holidays of the term (国务院办公厅 2013 and 2014 holiday arrangements): the
# Mid-Autumn Festival 19-21 September 2013, National Day 1-7 October 2013, New Year's
# Day 1 January 2014; no classes on those days.
SCHOOL_HOLIDAYS: list[Any] = [
    {"start": "2013-09-19", "until": "2013-09-21"},
    {"start": "2013-10-01", "until": "2013-10-07"},
    "2014-01-01",
]
# The weekend days made working days in exchange (调休), when schools held classes, so the
# 4:30 school ran too: Sunday 22 September, Sunday 29 September, Saturday 12 October 2013.
SCHOOL_MAKE_UP_DAYS = ["2013-09-22", "2013-09-29", "2013-10-12"]
# CHOSEN: the rosters of the two groups (indices into the studio's volunteers) and the
# weekdays each rostered volunteer registered as available (16:00-18:30). Fridays in the
# junior group rest on one pupil, a minor: the sessions that are short of adults.
JUNIOR_ROSTER = (2, 6, 21, 22, 26, 27, 28, 29)
SENIOR_ROSTER = (3, 23, 24, 25, 30, 31, 32, 33)
ROSTER_DAYS = {
    2: "MO,WE,FR",
    6: "TU,TH",
    21: "MO,TU",
    22: "WE,TH",
    26: "TU,TH",
    27: "MO,TH",
    28: "TU,WE",
    29: "MO,TU,WE,TH",
    3: "TU,FR",
    23: "MO,WE,FR",
    24: "TU,TH",
    25: "MO,TH",
    30: "WE,FR",
    31: "MO,TU",
    32: "WE,TH",
    33: "TU,FR",
}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
SURNAMES = "陈林黄王张李吴周郑金潘胡叶朱蔡徐杨孙谢池何余项薛".replace("", " ").split()
SKILLS = ["music", "dance", "calligraphy", "painting", "care", "tutoring", "drama", "cooking"]


@dataclass
class Builder:
    """Collects the document while keeping ids readable and unique."""

    rng: random.Random

    def __post_init__(self) -> None:
        self.doc: dict[str, list[dict[str, Any]]] = {
            key: []
            for key in (
                "centres",
                "workers",
                "volunteers",
                "clients",
                "programmes",
                "activities",
                "supervisions",
                "assignments",
            )
        }

    def name(self) -> str:
        """A synthetic name in the reporting style "surname + 某"."""
        return f"{self.rng.choice(SURNAMES)}某"

    def birth(self, age_low: int, age_high: int, on: date = OUTING_DAY) -> str:
        """A birth date giving an age from ``age_low`` to ``age_high`` on ``on``."""
        days = self.rng.randint(age_low * 365 + 10, age_high * 365 + 300)
        return (on - timedelta(days=days)).isoformat()

    def add(self, collection: str, **fields: Any) -> dict[str, Any]:
        """Append an entity, leaving out fields that are None."""
        entity = {k: v for k, v in fields.items() if v is not None}
        self.doc[collection].append(entity)
        return entity


def _workers(b: Builder, centre: str, levels: list[str], since: list[int]) -> list[str]:
    ids = []
    for i, (level, year) in enumerate(zip(levels, since, strict=True), start=1):
        wid = f"{centre}-w{i:02d}"
        certified_on = None if level == "none" else date(max(year + 1, 2008), 6, 1).isoformat()
        b.add(
            "workers",
            id=wid,
            name=b.name(),
            centre=centre,
            certification=level,
            certified_on=certified_on,
            practice_since=date(year, 3, 1).isoformat(),
        )
        ids.append(wid)
    return ids


def _guide(b: Builder, supervisors: list[str], volunteers: list[str], counts: list[int]) -> None:
    start = 0
    for supervisor, count in zip(supervisors, counts, strict=True):
        for vid in volunteers[start : start + count]:
            b.add(
                "supervisions",
                id=f"g-{vid}",
                supervisor=supervisor,
                supervisee=vid,
                kind="guidance",
                start="2013-03-01",
            )
        start += count
    assert start == len(volunteers), (start, len(volunteers))


def _supervise(b: Builder, supervisor: str, workers: list[str]) -> None:
    for wid in workers:
        b.add(
            "supervisions",
            id=f"s-{wid}",
            supervisor=supervisor,
            supervisee=wid,
            kind="professional",
            start="2013-01-01",
        )


def _insurance(year: int = 2013) -> dict[str, str]:
    return {"start": f"{year}-01-01", "until": f"{year}-12-31"}


def liqun(b: Builder) -> None:
    """利群: rehabilitation of trainees, the farm-therapy outing."""
    b.add(
        "centres",
        id="liqun",
        name="瑞安市利群社会工作服务中心",
        kind="service_centre",
        region="瑞安市",
        service_areas=["elderly_and_disability", "rehabilitation"],
    )
    # CHOSEN: 1 intermediate supervisor, 3 assistants, 2 not yet certified.
    workers = _workers(
        b,
        "liqun",
        ["intermediate", "assistant", "assistant", "assistant", "none", "none"],
        [2006, 2009, 2010, 2011, 2012, 2013],
    )
    _supervise(b, workers[0], workers[1:])
    volunteers = []
    for i in range(1, LIQUN_VOLUNTEERS + 1):
        vid = f"liqun-v{i:02d}"
        volunteers.append(vid)
        uninsured = i in {23, 24}  # CHOSEN: two whose insurance lapsed, for the report
        b.add(
            "volunteers",
            id=vid,
            name=b.name(),
            centre="liqun",
            birth_date=b.birth(22, 60),
            skills=sorted(b.rng.sample(["music", "dance", "calligraphy", "painting", "care"], 2)),
            insurance={"start": "2012-01-01", "until": "2012-12-31"} if uninsured else _insurance(),
            background_check_on="2013-02-15",
            affiliation_kind=b.rng.choice(["individual", "organisation"]),
            joined=f"201{b.rng.randint(0, 3)}-0{b.rng.randint(1, 9)}-01",
        )
    # Only certified workers guide volunteers (the pack's rule): 6 each for 4 of them.
    _guide(b, workers[:4], volunteers, [6, 6, 6, 6])
    trainees = []
    for i in range(1, LIQUN_TRAINEES + 1):
        kid = f"liqun-k{i:02d}"
        trainees.append(kid)
        b.add(
            "clients",
            id=kid,
            name=b.name(),
            centre="liqun",
            birth_date=b.birth(20, 55),
            # CHOSEN: 18 in psychiatric rehabilitation, 12 with intellectual disability.
            needs=["psychiatric_rehabilitation" if i <= 18 else "intellectual_disability"],
            support_level=b.rng.choice(["low", "medium", "high"]),
            enrolled="2012-09-01",
        )
    # 5 trainees per social worker (30 / 6), as the article's figures imply.
    for i, kid in enumerate(trainees):
        b.add(
            "assignments",
            id=f"ca-{kid}",
            worker=workers[i // 5],
            client=kid,
            start="2013-01-01",
        )
    b.add(
        "programmes",
        id="liqun-rehab",
        name="精神及智力残疾人康复训练",
        centre="liqun",
        service_area="rehabilitation",
        target_needs=["intellectual_disability", "psychiatric_rehabilitation"],
        places=LIQUN_TRAINEES,
    )
    b.add(
        "programmes",
        id="liqun-farm",
        name="农疗",
        centre="liqun",
        service_area="rehabilitation",
        target_needs=["intellectual_disability", "psychiatric_rehabilitation"],
        description="Farm therapy: visiting fields and picking crops.",
    )
    b.add(
        "activities",
        id="liqun-farm-2013-11-18",
        name="平阳农疗",
        programme="liqun-farm",
        setting="outing",
        risky=True,
        location="平阳",
        start=f"2013-11-18T13:30:00{TZ}",
        end=f"2013-11-18T17:00:00{TZ}",
        workers=workers,  # ARTICLE: all 6 social workers went
        volunteers=volunteers[: OUTING_VOLUNTEERS - 2] + volunteers[-2:],
        clients=trainees[:OUTING_TRAINEES],
        # CHOSEN: the papers were done a week before, a guardian signed for every trainee
        # who went (监护人知情同意书), and the group went in one hired 53-seat coach
        # (大巴车, the hired driver's seat included); the article names none of these.
        guardian_consents=[
            {"client": kid, "signed_on": PAPERS_DAY} for kid in trainees[:OUTING_TRAINEES]
        ],
        risk_assessment_on=PAPERS_DAY,
        emergency_plan_on=PAPERS_DAY,
        transport=[{"name": "大巴车", "seats": OUTING_COACH_SEATS, "hired_driver": True}],
    )
    b.add(
        "activities",
        id="liqun-music-2013-11-20",
        name="音乐与书画课",
        programme="liqun-rehab",
        setting="in_centre",
        start=f"2013-11-20T09:00:00{TZ}",
        end=f"2013-11-20T11:00:00{TZ}",
        workers=workers[1:3],
        volunteers=volunteers[:4],
        clients=trainees[:16],
    )


def huaxia(b: Builder) -> None:
    """华夏之家: drug-rehabilitation counselling, the play, elderly help."""
    b.add(
        "centres",
        id="huaxia",
        name="瑞安市华夏之家社会工作服务中心",
        kind="service_centre",
        region="瑞安市",
        service_areas=[
            "drug_rehabilitation",
            "psychological_counselling",
            "elderly_and_disability",
        ],
    )
    # ARTICLE: 9 social workers, 5 with the national qualification. CHOSEN: their levels.
    workers = _workers(
        b,
        "huaxia",
        [
            "intermediate",
            "assistant",
            "assistant",
            "assistant",
            "assistant",
            "none",
            "none",
            "none",
            "none",
        ],
        [2005, 2009, 2010, 2010, 2011, 2012, 2012, 2013, 2013],
    )
    _supervise(b, workers[0], workers[1:])
    counsellor = b.doc["workers"][-HUAXIA_WORKERS]
    # 禁毒 work has no qualification of its own: the two drug-rehabilitation workers are
    # told by their caseloads below; the counsellor holds the (pre-2017) 心理咨询师.
    counsellor["qualifications"] = ["psychological_counsellor"]
    volunteers = []
    for i in range(1, HUAXIA_STUDENT_VOLUNTEERS + 1):
        vid = f"huaxia-v{i:02d}"
        volunteers.append(vid)
        minor = i > 6  # CHOSEN: 4 secondary-school pupils aged 16-17, 6 university students
        b.add(
            "volunteers",
            id=vid,
            name=b.name(),
            centre="huaxia",
            birth_date=b.birth(16, 17) if minor else b.birth(19, 22),
            skills=["drama"],
            guardian_consent=minor,
            insurance=_insurance(),
            affiliation_kind="school",
            affiliation="瑞安中学" if minor else "温州大学",
            joined="2013-05-01",
        )
    for i in range(1, HUAXIA_STAFF_VOLUNTEERS + 1):
        vid = f"huaxia-v{HUAXIA_STUDENT_VOLUNTEERS + i:02d}"
        volunteers.append(vid)
        b.add(
            "volunteers",
            id=vid,
            name=b.name(),
            centre="huaxia",
            birth_date=b.birth(28, 50),
            skills=["drama", "drug_prevention"],
            insurance=_insurance(),
            affiliation_kind="anti_drug_staff",
            affiliation="瑞安市禁毒办",
            joined="2013-05-01",
        )
    _guide(b, workers[:5], volunteers, [4, 3, 3, 3, 3])
    drug_clients = []
    for i in range(1, HUAXIA_DRUG_CLIENTS + 1):
        kid = f"huaxia-k{i:02d}"
        drug_clients.append(kid)
        b.add(
            "clients",
            id=kid,
            name=b.name(),
            centre="huaxia",
            birth_date=b.birth(20, 50),
            needs=["drug_rehabilitation"],
            enrolled="2013-01-15",
        )
    for i in range(1, HUAXIA_ELDERLY_CLIENTS + 1):
        kid = f"huaxia-e{i:02d}"
        b.add(
            "clients",
            id=kid,
            name=b.name(),
            centre="huaxia",
            birth_date=b.birth(70, 88),
            needs=["elderly_independent"],
            support_level="low",
            enrolled="2013-04-01",
        )
    # Drug-rehabilitation caseloads: 13 and 12 for the first two workers.
    for i, kid in enumerate(drug_clients):
        b.add(
            "assignments", id=f"ca-{kid}", worker=workers[i // 13], client=kid, start="2013-01-15"
        )
    b.add(
        "programmes",
        id="huaxia-drug-counselling",
        name="禁毒心理咨询",
        centre="huaxia",
        service_area="drug_rehabilitation",
        target_needs=["drug_rehabilitation"],
    )
    b.add(
        "programmes",
        id="huaxia-play",
        name="禁毒情景剧《午夜阳光》",
        centre="huaxia",
        service_area="community_education",
        description="An anti-drug stage play performed by student and anti-drug-staff volunteers.",
    )
    b.add(
        "programmes",
        id="huaxia-empty-nest",
        name="爱暖空巢·空巢老人社会工作服务项目",
        centre="huaxia",
        service_area="elderly_and_disability",
        target_needs=["elderly_independent"],
        places=HUAXIA_ELDERLY_CLIENTS,
    )
    b.add(
        "activities",
        id="huaxia-play-2013-11-08",
        name="《午夜阳光》禁毒宣传文艺晚会演出",
        programme="huaxia-play",
        setting="community",
        start=f"2013-11-08T19:00:00{TZ}",
        end=f"2013-11-08T21:00:00{TZ}",
        workers=workers[:2],
        volunteers=volunteers,
    )
    b.add(
        "activities",
        id="huaxia-counselling-2013-11-12",
        name="个案心理咨询",
        programme="huaxia-drug-counselling",
        setting="in_centre",
        start=f"2013-11-12T14:00:00{TZ}",
        end=f"2013-11-12T15:00:00{TZ}",
        workers=[workers[0], workers[1]],
        clients=drug_clients[:1],
        tasks=[{"person": workers[0], "task": "counselling"}],
    )
    b.add(
        "activities",
        id="huaxia-visits-2013-11-15",
        name="空巢老人入户探访",
        programme="huaxia-empty-nest",
        setting="home_visit",
        start=f"2013-11-15T09:00:00{TZ}",
        end=f"2013-11-15T11:30:00{TZ}",
        workers=[workers[5]],
        volunteers=volunteers[10:13],
        clients=[f"huaxia-e{i:02d}" for i in range(1, 13)],
    )


def yucai(b: Builder) -> None:
    """育才: the community studio and its 4:30 school."""
    b.add(
        "centres",
        id="yucai",
        name="瑞安市育才社会工作室",
        kind="community_studio",
        region="瑞安市",
        service_areas=[
            "social_assistance",
            "community_correction",
            "community_education",
            "after_school_care",
        ],
    )
    # ARTICLE: 4 certified social workers. CHOSEN: 1 intermediate, 3 assistants.
    workers = _workers(
        b,
        "yucai",
        ["intermediate", "assistant", "assistant", "assistant"],
        [2007, 2010, 2011, 2012],
    )
    _supervise(b, workers[0], workers[1:])
    volunteers = []
    for i in range(1, YUCAI_VOLUNTEERS + 1):
        vid = f"yucai-v{i:02d}"
        volunteers.append(vid)
        youth = i <= 48  # ARTICLE: youths serve at the 4:30 school. CHOSEN: 48 of 78.
        minor = youth and i <= 20  # CHOSEN: 20 of them aged 14-17
        b.add(
            "volunteers",
            id=vid,
            name=b.name(),
            centre="yucai",
            birth_date=b.birth(14, 17)
            if minor
            else (b.birth(18, 24) if youth else b.birth(30, 68)),
            skills=sorted(b.rng.sample(["tutoring", "music", "painting", "care", "cooking"], 2)),
            guardian_consent=minor and i != 7,  # CHOSEN: one consent form missing
            background_check_on=None if minor else "2013-08-20",
            insurance=_insurance(),
            affiliation_kind="school" if youth else "individual",
            affiliation="瑞安市第五中学" if minor else None,
            joined="2013-09-01" if youth else "2012-03-01",
        )
    # ~20 volunteers per certified social worker (78 / 4); one worker above 20.
    _guide(b, workers, volunteers, [22, 20, 19, 17])
    children = []
    for i in range(1, YUCAI_CHILDREN + 1):
        kid = f"yucai-k{i:02d}"
        children.append(kid)
        young = i <= 18  # CHOSEN: 18 children aged 6-8, 22 aged 9-12
        b.add(
            "clients",
            id=kid,
            name=b.name(),
            centre="yucai",
            birth_date=b.birth(6, 8) if young else b.birth(9, 12),
            needs=["child_6_8" if young else "child_9_12"],
            support_level="low",
            enrolled="2013-09-02",
        )
    for i in range(1, YUCAI_CORRECTION_CLIENTS + 1):
        kid = f"yucai-r{i:02d}"
        b.add(
            "clients",
            id=kid,
            name=b.name(),
            centre="yucai",
            birth_date=b.birth(20, 45),
            needs=["community_correction"],
            enrolled="2013-03-01",
        )
        b.add("assignments", id=f"ca-{kid}", worker=workers[0], client=kid, start="2013-03-01")
    for i in range(1, YUCAI_ASSISTANCE_CLIENTS + 1):
        kid = f"yucai-s{i:02d}"
        b.add(
            "clients",
            id=kid,
            name=b.name(),
            centre="yucai",
            birth_date=b.birth(30, 80),
            needs=["social_assistance"],
            enrolled="2013-02-01",
        )
        b.add("assignments", id=f"ca-{kid}", worker=workers[1], client=kid, start="2013-02-01")
    b.add(
        "programmes",
        id="yucai-430",
        name="快乐四点半·四点半学校",
        centre="yucai",
        service_area="after_school_care",
        target_needs=["child_6_8", "child_9_12"],
        places=YUCAI_CHILDREN,
        description=(
            "Free after-school classes, Monday to Friday, in the community office building."
        ),
        schedule=school_schedule(),
    )
    b.add(
        "programmes",
        id="yucai-assistance",
        name="社会救助",
        centre="yucai",
        service_area="social_assistance",
        target_needs=["social_assistance"],
    )
    b.add(
        "programmes",
        id="yucai-correction",
        name="社区矫正",
        centre="yucai",
        service_area="community_correction",
        target_needs=["community_correction"],
    )
    young = children[:18]
    older = children[18:]
    # The 4:30 school in two groups, each a recurring session with its roster; who is
    # actually there on a given day follows the volunteers' availability and absences
    # (see four_thirty_school below).
    b.add(
        "activities",
        id="yucai-430-junior",
        name="四点半学校·低年级",
        programme="yucai-430",
        setting="in_centre",
        location="社区办公楼",
        start=SCHOOL_FIRST_SESSION,
        end=SCHOOL_FIRST_SESSION_END,
        workers=[workers[1]],
        volunteers=[volunteers[i] for i in JUNIOR_ROSTER],
        clients=young,
        schedule=school_schedule(),
    )
    b.add(
        "activities",
        id="yucai-430-senior",
        name="四点半学校·高年级",
        programme="yucai-430",
        setting="in_centre",
        location="社区办公楼",
        start=SCHOOL_FIRST_SESSION,
        end=SCHOOL_FIRST_SESSION_END,
        workers=[workers[2]],
        volunteers=[volunteers[i] for i in SENIOR_ROSTER],
        clients=older,
        schedule=school_schedule(),
    )


def school_schedule() -> dict[str, Any]:
    """The 4:30 school's timetable: weekday afternoons of the autumn term, holidays off."""
    return {
        "start": SCHOOL_FIRST_SESSION,
        "timezone": SCHOOL_ZONE,
        "duration": "PT1H30M",
        "rules": ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
        "extra": SCHOOL_MAKE_UP_DAYS,
        "exclude": SCHOOL_HOLIDAYS,
        "until": SCHOOL_TERM_END.isoformat(),
    }


def _weekly(days: str, first: date, hour: str, duration: str) -> dict[str, Any]:
    """Weekly availability on ``days`` (``"MO,WE"``), starting on the first such day."""
    codes = days.split(",")
    while first.weekday() >= len(WEEKDAYS) or WEEKDAYS[first.weekday()] not in codes:
        first += timedelta(days=1)
    return {
        "start": f"{first.isoformat()}T{hour}{TZ}",
        "timezone": SCHOOL_ZONE,
        "duration": duration,
        "rules": [f"FREQ=WEEKLY;BYDAY={days}"],
    }


def _days_off(first: str, last: str) -> dict[str, Any]:
    days = (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
    return {
        "start": f"{first}T00:00:00{TZ}",
        "timezone": SCHOOL_ZONE,
        "duration": f"P{days}D",
    }


def _school_days(first: date, last: date) -> list[date]:
    """The days the 4:30 school met, counted here independently of the library."""
    off: set[date] = set()
    for holiday in SCHOOL_HOLIDAYS:
        if isinstance(holiday, str):
            off.add(date.fromisoformat(holiday))
            continue
        day = date.fromisoformat(holiday["start"])
        while day <= date.fromisoformat(holiday["until"]):
            off.add(day)
            day += timedelta(days=1)
    extra = {date.fromisoformat(d) for d in SCHOOL_MAKE_UP_DAYS}
    days = []
    day = first
    while day <= last:
        if (day.weekday() < 5 and day not in off) or day in extra:
            days.append(day)
        day += timedelta(days=1)
    return days


_CONTENT = {  # CHOSEN: what the record says was done, by group and role
    ("yucai-430-junior", True): "四点半学校低年级组：作业辅导",
    ("yucai-430-junior", False): "四点半学校低年级组：课后看护与游戏活动",
    ("yucai-430-senior", True): "四点半学校高年级组：作业辅导与阅读陪伴",
    ("yucai-430-senior", False): "四点半学校高年级组：课后看护与手工活动",
}
_RECIPIENTS = {
    "yucai-430-junior": "四点半学校低年级学生",
    "yucai-430-senior": "四点半学校高年级学生",
}


def _record_paperwork(
    activity: str, in_charge: str, rng: random.Random, *, teaching: bool
) -> dict[str, Any]:
    """The items of a 志愿服务记录 (2012 办法 Art. 7) for a record of the 4:30 school.

    CHOSEN: the place, the wording, and an evaluation of 优秀 for about one in five.
    """
    return {
        "content": _CONTENT[(activity, teaching)],
        "place": "市育才社会工作室活动室",
        "recipients": _RECIPIENTS[activity],
        "evaluation": "优秀" if rng.random() < 0.2 else "良好",
        "in_charge": in_charge,
        "recorder": in_charge,
    }


def outing_records(b: Builder) -> None:
    """Service records of the 平阳 farm-therapy outing (2013-11-18, 13:30-17:00).

    CHOSEN: every volunteer on the outing has a record of the outing's hours, kept by
    the centre's supervisor; one record counts the coach ride back (to 18:00), a slip
    the records check reports; one notes its 40 minutes of travel, which are not
    counted; one was entered with the ride both ways and corrected on request.
    """
    outing = next(a for a in b.doc["activities"] if a["id"] == "liqun-farm-2013-11-18")
    records = b.doc.setdefault("service_records", [])
    for vid in outing["volunteers"]:
        start, end, travel = "13:30:00", "17:00:00", 0
        if vid == "liqun-v03":  # the ride back counted: reported
            end = "18:00:00"
        if vid == "liqun-v05":  # the ride back noted as travel: not counted
            end, travel = "17:40:00", 40
        record: dict[str, Any] = {
            "id": f"sr-1118-{vid}",
            "volunteer": vid,
            "activity": outing["id"],
            "start": f"2013-11-18T{start}{TZ}",
            "end": f"2013-11-18T{end}{TZ}",
            "role": "care",
            "supervisor": "liqun-w01",
            "content": "陪同学员农疗：田间参观与采摘",
            "place": "平阳",
            "recipients": "利群康复训练学员",
            "evaluation": "良好",
            "in_charge": "liqun-w01",
            "recorder": "liqun-w01",
        }
        if travel:
            record["travel_minutes"] = travel
        if vid == "liqun-v07":  # entered with the ride both ways, then corrected
            record["start"] = f"2013-11-18T12:30:00{TZ}"
            record["end"] = f"2013-11-18T18:00:00{TZ}"
            record["corrections"] = [
                {
                    "at": f"2013-11-20T10:00:00{TZ}",
                    "requested_by": "liqun-w01",
                    "reason": "往返车程不计入志愿服务时长，按活动时间更正",
                    "made_by": "liqun-w01",
                    "start": f"2013-11-18T13:30:00{TZ}",
                    "end": f"2013-11-18T17:00:00{TZ}",
                }
            ]
        records.append(record)


def four_thirty_school(b: Builder) -> None:
    """Availability, absences and the autumn term's service records of the 4:30 school.

    Uses its own random stream so that the rest of the document does not change.
    """
    rng = random.Random(430)
    volunteers = {v["id"]: v for v in b.doc["volunteers"] if v["centre"] == "yucai"}
    ids = sorted(volunteers)
    term_start = date(2013, 9, 2)
    for i, vid in enumerate(ids):
        if i in ROSTER_DAYS:
            days = ROSTER_DAYS[i]
        elif i < 48:  # CHOSEN: the other youths can come on one or two weekdays
            chosen = set(rng.sample(WEEKDAYS, rng.randint(1, 2)))
            days = ",".join(d for d in WEEKDAYS if d in chosen)
        else:  # CHOSEN: the older community volunteers come in the mornings
            volunteers[vid]["availability"] = _weekly(
                "MO,TU,WE,TH,FR", term_start, "08:30:00", "PT3H"
            )
            continue
        volunteers[vid]["availability"] = _weekly(days, term_start, "16:00:00", "PT2H30M")
    absences = b.doc.setdefault("absences", [])
    # CHOSEN: the studio's supervisor takes two weeks of leave with a colleague as cover;
    # the colleague is at a training for two of those days; a group leader is ill for a
    # day; a volunteer cannot come once.
    absences.append(
        {
            "id": "absence-yucai-w01-leave",
            "person": "yucai-w01",
            "schedule": _days_off("2013-11-11", "2013-11-22"),
            "reason": "leave",
            "cover": "yucai-w04",
        }
    )
    absences.append(
        {
            "id": "absence-yucai-w04-training",
            "person": "yucai-w04",
            "schedule": _days_off("2013-11-18", "2013-11-19"),
            "reason": "training",
        }
    )
    absences.append(
        {
            "id": "absence-yucai-w02-sick",
            "person": "yucai-w02",
            "schedule": _days_off("2013-11-20", "2013-11-20"),
            "reason": "sickness",
        }
    )
    absences.append(
        {
            "id": "absence-yucai-v22-once",
            "person": "yucai-v22",
            "schedule": {
                "start": f"2013-11-18T16:00:00{TZ}",
                "timezone": SCHOOL_ZONE,
                "duration": "PT3H",
            },
            "reason": "other",
        }
    )
    away = {
        ("yucai-w02", date(2013, 11, 20)),
        ("yucai-v22", date(2013, 11, 18)),
    }
    records = b.doc.setdefault("service_records", [])
    groups = [
        ("yucai-430-junior", "yucai-w02", JUNIOR_ROSTER),
        ("yucai-430-senior", "yucai-w03", SENIOR_ROSTER),
    ]

    paper = random.Random(67)  # the evaluations: a stream of their own

    def term_records(days: list[date], rng: random.Random) -> list[dict[str, Any]]:
        made = []
        for day in days:
            if day.weekday() >= 5:  # CHOSEN: none on the make-up weekend days
                continue
            code = WEEKDAYS[day.weekday()]
            for activity, worker, roster in groups:
                for i in roster:
                    vid = ids[i]
                    if code not in ROSTER_DAYS[i] or (vid, day) in away:
                        continue
                    volunteer = volunteers[vid]
                    # CHOSEN: some leave early
                    left = "17:30:00" if rng.random() < 0.1 else "18:00:00"
                    teaching = "tutoring" in volunteer["skills"]
                    in_charge = "yucai-w04" if (worker, day) in away else worker
                    made.append(
                        {
                            "id": f"sr-{day:%m%d}-{vid}",
                            "volunteer": vid,
                            "activity": activity,
                            "start": f"{day.isoformat()}T16:30:00{TZ}",
                            "end": f"{day.isoformat()}T{left}{TZ}",
                            "role": "teaching" if teaching else "care",
                            "supervisor": None if (worker, day) in away else worker,
                            **_record_paperwork(activity, in_charge, paper, teaching=teaching),
                        }
                    )
        return made

    # November 2013 first, from the stream above (so the records the article's month
    # checks keep their figures), then the rest of the autumn term from its own stream.
    # The days of the make-up weekends are school days too (SCHOOL_MAKE_UP_DAYS).
    records.extend(term_records(_school_days(date(2013, 11, 1), date(2013, 11, 30)), rng))
    # CHOSEN: two slips a records check should catch: a record entered twice, and one
    # for a Saturday when the school was closed.
    records.append(
        {**next(r for r in records if r["id"] == f"sr-1113-{ids[23]}"), "id": "sr-1113-dup"}
    )
    saturday = {
        "id": "sr-1123-saturday",
        "volunteer": ids[24],
        "activity": "yucai-430-senior",
        "start": f"2013-11-23T16:30:00{TZ}",
        "end": f"2013-11-23T18:00:00{TZ}",
        "role": "care",
        "supervisor": "yucai-w03",
    }
    records.append(
        {**saturday, **_record_paperwork("yucai-430-senior", "yucai-w03", paper, teaching=False)}
    )
    rest = random.Random(901)
    term = _school_days(date(2013, 9, 2), date(2013, 10, 31))
    term += _school_days(date(2013, 12, 1), SCHOOL_TERM_END)
    records.extend(term_records(term, rest))
    # CHOSEN: a correction asked for by a volunteer, with its reason: she left at 17:00
    # on 9 December, not at 18:00 as recorded. The original stays in the record.
    corrected = next(r for r in records if r["id"] == f"sr-1209-{ids[2]}")
    corrected["corrections"] = [
        {
            "at": f"2013-12-12T09:00:00{TZ}",
            "requested_by": ids[2],
            "reason": "当天17:00提前离开，申请按实际服务时间更正",
            "made_by": "yucai-w02",
            "end": f"2013-12-09T17:00:00{TZ}",
        }
    ]
    for record in records:
        if record.get("supervisor") is None:
            record.pop("supervisor", None)


# -- supervision sessions and training records ------------------------------------------
# CHOSEN, all of it: the article mentions neither supervision sessions nor training. Every
# social worker receives about 2 hours of supervision a month (September to November 2013):
# the three centres' intermediate social workers by an external supervisor, the others
# by their centre's supervisor. One slip is left in on purpose: huaxia-w09 misses the
# second group session of November (1 hour in November).
UNIVERSITY_SUPERVISOR = {
    "name": "郑某",
    "origin": "university",
    "affiliation": "某高校社会工作专业",
    "qualification": "社会工作专业副教授，从事社会工作督导 5 年",
}
HONG_KONG_SUPERVISOR = {
    "name": "梁某",
    "origin": "hong_kong",
    "affiliation": "香港某社会服务机构",
    "qualification": "香港注册社会工作者，从事社会工作督导 10 年",
}
LIQUN_EXTERNAL_GROUP_DAYS = ("2013-09-11", "2013-10-16", "2013-11-13")
HUAXIA_EXTERNAL_DAYS = ("2013-09-17", "2013-10-22", "2013-11-19")
YUCAI_EXTERNAL_DAYS = ("2013-09-11", "2013-10-16", "2013-11-06")
HUAXIA_GROUP_DAYS = (
    "2013-09-05",
    "2013-09-26",
    "2013-10-10",
    "2013-10-24",
    "2013-11-07",
    "2013-11-21",
)
YUCAI_GROUP_DAYS = (
    "2013-09-04",
    "2013-09-25",
    "2013-10-09",
    "2013-10-23",
    "2013-11-05",
    "2013-11-26",
)  # yucai-w01 is on leave from 11 to 22 November
HUAXIA_MISSED = ("2013-11-21", "huaxia-w09")
# Continuing education (继续教育): each certified worker's courses, by months after the
# start of each 3-year registration period (counted from the day the level was
# obtained); 30 hours a course for the intermediate level (90 a period), 24 for
# assistants (72). One slip: huaxia-w04 has not taken the third course of the period
# ending 2014-05-31 (48 of 72 hours by 2013-11).
COURSE_MONTHS = (4, 14, 26)
COURSE_HOURS = {"intermediate": 30, "senior": 30, "assistant": 24}
MISSED_COURSE = ("huaxia-w04", 26)
INDUCTION_HOURS = 4  # 利群's induction: half a day on joining


def _session(
    sid: str, day: str, minutes: int, supervisees: list[str], *, topic: str, **who: Any
) -> dict[str, Any]:
    return {
        "id": sid,
        "start": f"{day}T14:00:00{TZ}",
        "minutes": minutes,
        "format": "individual" if len(supervisees) == 1 else "group",
        **who,
        "supervisees": supervisees,
        "topic": topic,
    }


def supervision_and_training(b: Builder) -> None:
    """Supervision sessions (督导记录) and training records (CHOSEN, see the constants)."""
    sessions = b.doc.setdefault("supervision_sessions", [])
    liqun = [w["id"] for w in b.doc["workers"] if w["centre"] == "liqun"]
    huaxia = [w["id"] for w in b.doc["workers"] if w["centre"] == "huaxia"]
    yucai = [w["id"] for w in b.doc["workers"] if w["centre"] == "yucai"]
    for day in LIQUN_EXTERNAL_GROUP_DAYS:
        sessions.append(
            _session(
                f"sup-liqun-{day}",
                day,
                120,
                liqun,
                topic="农疗小组的带领与外出风险管理",
                external=UNIVERSITY_SUPERVISOR,
            )
        )
    for day in HUAXIA_EXTERNAL_DAYS:
        sessions.append(
            _session(
                f"sup-huaxia-w01-{day}",
                day,
                120,
                huaxia[:1],
                topic="禁毒个案督导",
                external=HONG_KONG_SUPERVISOR,
            )
        )
    for day in YUCAI_EXTERNAL_DAYS:
        sessions.append(
            _session(
                f"sup-yucai-w01-{day}",
                day,
                120,
                yucai[:1],
                topic="社区矫正个案督导",
                external=UNIVERSITY_SUPERVISOR,
            )
        )
    for day in HUAXIA_GROUP_DAYS:
        present = [w for w in huaxia[1:] if (day, w) != HUAXIA_MISSED]
        sessions.append(
            _session(f"sup-huaxia-{day}", day, 60, present, topic="个案研讨", supervisor=huaxia[0])
        )
    for day in YUCAI_GROUP_DAYS:
        sessions.append(
            _session(
                f"sup-yucai-{day}",
                day,
                60,
                yucai[1:],
                topic="四点半学校志愿者管理",
                supervisor=yucai[0],
            )
        )
    records = b.doc.setdefault("training_records", [])
    for worker in b.doc["workers"]:
        level = worker["certification"]
        if level == "none":
            continue
        certified = date.fromisoformat(worker["certified_on"])
        for months in (p * 36 + m for p in range(3) for m in COURSE_MONTHS):
            year, month = divmod(certified.month - 1 + months, 12)
            day = date(certified.year + year, month + 1, 1)
            if day > OUTING_DAY or (worker["id"], months) == MISSED_COURSE:
                continue
            records.append(
                {
                    "id": f"ce-{worker['id']}-{day:%Y%m}",
                    "person": worker["id"],
                    "kind": "continuing_education",
                    "completed_on": day.isoformat(),
                    "hours": COURSE_HOURS[level],
                    "title": "社会工作者继续教育培训",
                }
            )
    for volunteer in b.doc["volunteers"]:
        if volunteer["centre"] != "liqun":
            continue
        records.append(
            {
                "id": f"induction-{volunteer['id']}",
                "person": volunteer["id"],
                "kind": "induction",
                "completed_on": volunteer["joined"],
                "hours": INDUCTION_HOURS,
                "title": "志愿者岗前培训",
                "provider": "瑞安市利群社会工作服务中心",
            }
        )


# CHOSEN, all of it: the article names the two projects (爱暖空巢, 快乐四点半) but gives no
# contract. The funder, periods, budgets and targets below are chosen to look like a
# county-level 政府购买社会工作服务 contract; the targets are set so that the 4:30 school's
# figures follow its timetable (two groups a school day, 90 minutes each).
PROJECTS: list[dict[str, Any]] = [
    {
        "id": "proj-happy-430",
        "name": "快乐四点半",
        "funder": "瑞安市民政局",
        "centre": "yucai",
        "programmes": ["yucai-430"],
        "period": {"start": "2013-09-01", "until": "2014-01-31"},
        "budget": 100000,
        "targets": {
            "sessions": 180,
            "beneficiaries": 40,
            "service_hours": 270,
            "volunteer_hours": 1500,
        },
    },
    {
        "id": "proj-empty-nest",
        "name": "爱暖空巢",
        "funder": "瑞安市民政局",
        "centre": "huaxia",
        "programmes": ["huaxia-empty-nest"],
        "period": {"start": "2013-07-01", "until": "2014-06-30"},
        "budget": 200000,
        "targets": {
            "sessions": 48,
            "beneficiaries": 40,
            "service_hours": 120,
            "volunteer_hours": 300,
        },
    },
]

# CHOSEN, all of it: three incidents of the term, one per centre, with their follow-up.
INCIDENTS: list[dict[str, Any]] = [
    {
        "id": "inc-yucai-1106",
        "at": f"2013-11-06T17:10:00{TZ}",
        "centre": "yucai",
        "activity": "yucai-430-junior",
        "severity": "minor",
        "involved": ["yucai-k03"],
        "description": "课间在走廊跑动时摔倒，膝盖擦伤，当场处理。",
        "follow_up": "当晚电话告知家长；次日检查走廊防滑。",
        "followed_up_on": "2013-11-07",
    },
    {
        "id": "inc-liqun-1118",
        "at": f"2013-11-18T15:20:00{TZ}",
        "centre": "liqun",
        "activity": "liqun-farm-2013-11-18",
        "severity": "moderate",
        "involved": ["liqun-k05"],
        "description": "学员在农场情绪激动，离开队伍约十分钟，由社工寻回。",
        "follow_up": "与监护人沟通，修订外出活动风险评估。",
        "followed_up_on": "2013-11-19",
    },
    {
        "id": "inc-huaxia-1115",
        "at": f"2013-11-15T10:15:00{TZ}",
        "centre": "huaxia",
        "activity": "huaxia-visits-2013-11-15",
        "severity": "serious",
        "involved": ["huaxia-e04"],
        "description": "入户探访时发现老人跌倒在家，已送医。",
    },
]


def projects_and_incidents(b: Builder) -> None:
    """The two funded projects and the incidents of the term (CHOSEN, see the constants)."""
    for project in PROJECTS:
        b.doc.setdefault("projects", []).append(project)
    for incident in INCIDENTS:
        b.doc.setdefault("incidents", []).append(incident)


def build() -> dict[str, Any]:
    """The whole document, deterministically."""
    b = Builder(random.Random(2013))
    liqun(b)
    huaxia(b)
    yucai(b)
    four_thirty_school(b)
    outing_records(b)
    supervision_and_training(b)
    projects_and_incidents(b)
    info = {
        "title": "瑞安市“社工+义工”联动 — 2013年11月",
        "region": "瑞安市",
        "as_of": "2013-11-19",
        "source": (
            "瑞安日报, 瑞安市探索“社工+义工”社会服务新模式, 2013-11-19; individuals and "
            "their details are synthetic"
        ),
        "certified_social_workers_in_region": CITY_CERTIFIED_SOCIAL_WORKERS,
    }
    return {"info": info, **b.doc}


def render() -> str:
    """The YAML text of the dataset."""
    header = (
        "# The Rui'an (瑞安) network of November 2013. Generated by tools/make_ruian_dataset.py:\n"
        "# edit that script, not this file. Individuals are synthetic.\n"
    )
    return header + yaml.safe_dump(build(), allow_unicode=True, sort_keys=False, width=100)


def main() -> int:
    """Write the dataset, or with ``--check`` report whether the file is up to date."""
    text = render()
    if "--check" in sys.argv[1:]:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        print("up to date" if current == text else f"{OUT} is out of date")
        return 0 if current == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
