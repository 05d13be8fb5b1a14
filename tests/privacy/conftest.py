"""A small network that exercises every sensitive field and every reference."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sw_volunteer.models import (
    Activity,
    CaseAssignment,
    Centre,
    Client,
    FundedProject,
    Incident,
    KpiTargets,
    Network,
    NetworkInfo,
    Period,
    Programme,
    RecordCorrection,
    ServiceRecord,
    SocialWorker,
    Supervision,
    SupervisionSession,
    TaskAssignment,
    TrainingRecord,
    Volunteer,
)
from sw_volunteer.vocab import (
    CertificationLevel,
    ClientNeed,
    ProfessionalTask,
    Qualification,
    ServiceArea,
    Setting,
    SupervisionKind,
    SupportLevel,
)

KEY = b"test key: thirty-two bytes long!"
OTHER_KEY = b"another key, also long enough..."


def build_network(marker: str = "") -> Network:
    """Two centres with staff, volunteers, clients, activities and relations.

    With ``marker``, every sensitive text field holds a value containing it.
    """
    start = datetime(2013, 11, 18, 8, 30, tzinfo=UTC)
    volunteers = [
        Volunteer(
            id=f"v-{i}",
            name=f"{marker}志愿者{i}",
            centre="liqun" if i < 7 else "yucai",
            birth_date=date(1990 + i, 1 + i % 12, 1 + i),
            volunteer_number=f"{marker}33038119{i:04d}" if i % 2 else None,
            qualifications=frozenset({Qualification.PSYCHOLOGICAL_COUNSELLOR})
            if i == 0
            else frozenset(),
        )
        for i in range(9)
    ]
    clients = [
        Client(
            id=f"c-{i}",
            name=f"{marker}学员{i}",
            centre="liqun" if i < 6 else "yucai",
            birth_date=date(1970 + i, 12, 28 - i),
            needs=frozenset({ClientNeed.DRUG_REHABILITATION}),
            support_level=SupportLevel.HIGH if i == 0 else SupportLevel.MEDIUM,
            notes=f"{marker} relapsed in March" if i % 3 == 0 else None,
        )
        for i in range(8)
    ]
    return Network(
        info=NetworkInfo(title="test network", as_of=date(2013, 11, 18)),
        centres=[Centre(id="liqun", name="利群"), Centre(id="yucai", name="育才")],
        workers=[
            SocialWorker(
                id="w-jin",
                name="金某",
                centre="liqun",
                certification=CertificationLevel.INTERMEDIATE,
            ),
            SocialWorker(id="w-2", name="社工二", centre="liqun"),
            SocialWorker(id="w-3", name="社工三", centre="yucai"),
        ],
        volunteers=volunteers,
        clients=clients,
        programmes=[
            Programme(
                id="p-rehab",
                name="阳光驿站",
                centre="liqun",
                service_area=ServiceArea.DRUG_REHABILITATION,
                places=20,
            )
        ],
        activities=[
            Activity(
                id="a-1",
                name="group session",
                programme="p-rehab",
                setting=Setting.IN_CENTRE,
                start=start,
                end=start + timedelta(hours=2),
                workers=frozenset({"w-jin"}),
                volunteers=frozenset({"v-0", "v-1"}),
                clients=frozenset({"c-0", "c-1", "c-2"}),
                tasks=(TaskAssignment(person="v-0", task=ProfessionalTask.COUNSELLING),),
            )
        ],
        supervisions=[
            Supervision(
                id="s-jin-v0",
                supervisor="w-jin",
                supervisee="v-0",
                kind=SupervisionKind.GUIDANCE,
                start=date(2013, 1, 1),
            ),
            Supervision(
                id="s-jin-w2",
                supervisor="w-jin",
                supervisee="w-2",
                kind=SupervisionKind.PROFESSIONAL,
                start=date(2013, 1, 1),
            ),
        ],
        assignments=[
            CaseAssignment(id="ca-c0", worker="w-jin", client="c-0", start=date(2013, 3, 1))
        ],
        service_records=[
            ServiceRecord(
                id="sr-v1",
                volunteer="v-1",
                activity="a-1",
                start=start,
                end=start + timedelta(hours=2),
                content="小组活动协助",
                place="阳光驿站",
                recipients=f"{marker}戒毒康复学员",
                evaluation=f"{marker}良好",
                in_charge="w-jin",
                recorder="w-jin",
                corrections=(
                    RecordCorrection(
                        at=start + timedelta(days=1),
                        requested_by="v-1",
                        reason=f"{marker}提前离开",
                        end=start + timedelta(hours=1, minutes=30),
                    ),
                ),
            )
        ],
        supervision_sessions=[
            SupervisionSession(
                id="ss-1",
                start=start - timedelta(days=7),
                minutes=90,
                supervisor="w-jin",
                supervisees=frozenset({"w-2"}),
                topic=f"{marker} case of c-0: relapse" if marker else None,
            )
        ],
        training_records=[
            TrainingRecord(
                id="tr-1", person="v-1", kind="induction", completed_on=date(2013, 3, 2), hours=4
            )
        ],
        incidents=[
            Incident(
                id="inc-1",
                at=start + timedelta(hours=1),
                centre="liqun",
                activity="a-1",
                severity="moderate",
                # who was involved: ids, which the marker makes recognisable in a leak
                involved=frozenset({f"{marker}c-1", f"{marker}v-0"}),
                description=f"{marker}学员1与志愿者0发生争执" if marker else None,
                follow_up=f"{marker}个别面谈" if marker else None,
                followed_up_on=date(2013, 11, 19),
            )
        ],
        projects=[
            FundedProject(
                id="proj-1",
                name="阳光驿站项目",
                funder="区民政局",
                centre="liqun",
                programmes=frozenset({"p-rehab"}),
                period=Period(start=date(2013, 1, 1), until=date(2013, 12, 31)),
                budget=80_000,
                targets=KpiTargets(sessions=40, beneficiaries=20),
            )
        ],
    )


@pytest.fixture
def network() -> Network:
    return build_network()
