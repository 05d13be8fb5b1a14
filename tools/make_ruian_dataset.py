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
HUAXIA_STUDENT_VOLUNTEERS = 10
HUAXIA_STAFF_VOLUNTEERS = 6
HUAXIA_DRUG_CLIENTS = 25
HUAXIA_ELDERLY_CLIENTS = 40
YUCAI_CHILDREN = 40
YUCAI_CORRECTION_CLIENTS = 6
YUCAI_ASSISTANCE_CLIENTS = 10

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
    counsellor["qualifications"] = ["drug_work", "psychological_counsellor"]
    b.doc["workers"][-HUAXIA_WORKERS + 1]["qualifications"] = ["drug_work"]
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
            skills=["drama"],
            qualifications=["drug_work"],
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
    # Drug-rehabilitation caseloads: 13 and 12 for the two workers with drug_work.
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
    b.add(
        "activities",
        id="yucai-430-2013-11-18-junior",
        name="四点半学校·低年级",
        programme="yucai-430",
        setting="in_centre",
        location="社区办公楼",
        start=f"2013-11-18T16:30:00{TZ}",
        end=f"2013-11-18T18:00:00{TZ}",
        workers=[workers[1]],
        volunteers=[volunteers[i] for i in (2, 6, 21, 22)],
        clients=young,
    )
    b.add(
        "activities",
        id="yucai-430-2013-11-18-senior",
        name="四点半学校·高年级",
        programme="yucai-430",
        setting="in_centre",
        location="社区办公楼",
        start=f"2013-11-18T16:30:00{TZ}",
        end=f"2013-11-18T18:00:00{TZ}",
        workers=[workers[2]],
        volunteers=[volunteers[i] for i in (3, 23, 24, 25)],
        clients=older,
    )


def build() -> dict[str, Any]:
    """The whole document, deterministically."""
    b = Builder(random.Random(2013))
    liqun(b)
    huaxia(b)
    yucai(b)
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
