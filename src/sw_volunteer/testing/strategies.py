"""Hypothesis strategies for sw_volunteer models, valid networks and planted defects.

Use them in your own property tests (install the ``testing`` extra)::

    from hypothesis import given
    from sw_volunteer.testing import strategies as sws

    @given(sws.networks(max_centres=2))
    def test_my_export_keeps_every_volunteer(network):
        ...

Every network drawn is valid (building it cannot fail);
[`defective_documents`][sw_volunteer.testing.strategies.defective_documents] draws documents with
deliberately planted problems, each with the location and code that the error must report.

Example:
    A property over drawn networks; the settings are explicit so that the example runs
    the same few networks everywhere (fixed seed, no example database, no shrinking
    search):

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, derandomize=True, database=None, deadline=None)
    ... @given(networks(min_centres=2))
    ... def every_network_has_its_centres(net):
    ...     assert len(net.centres) >= 2
    ...     assert {v.centre for v in net.volunteers} <= {c.id for c in net.centres}
    >>> every_network_has_its_centres()
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sw_volunteer.errors import MissingDependencyError

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingDependencyError.for_extra("hypothesis", "testing") from exc

from sw_volunteer.models import (
    Absence,
    Activity,
    CaseAssignment,
    Centre,
    Client,
    Network,
    NetworkInfo,
    Period,
    Programme,
    Schedule,
    SocialWorker,
    Supervision,
    TaskAssignment,
    Volunteer,
)
from sw_volunteer.vocab import (
    AbsenceReason,
    AffiliationKind,
    CentreKind,
    CertificationLevel,
    ClientNeed,
    ProfessionalTask,
    Qualification,
    ServiceArea,
    Setting,
    SupervisionKind,
    SupportLevel,
)

__all__ = [
    "SCHEDULE_ZONES",
    "Defect",
    "absences",
    "aware_datetimes",
    "centres",
    "clients",
    "crowded_networks",
    "dates",
    "defective_documents",
    "id_stems",
    "names",
    "networks",
    "programmes",
    "schedules",
    "social_workers",
    "volunteers",
]

_ID_ALPHABET = string.ascii_letters + string.digits + "-_.:" + "利群育才华夏"


def id_stems() -> st.SearchStrategy[str]:
    """Short id-safe stems; numbered suffixes make them unique within a network.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(id_stems())
        ... def test_id_stems(stem):
        ...     assert 1 <= len(stem) <= 6
        ...     assert " " not in stem and "/" not in stem
        >>> test_id_stems()
    """
    return st.text(alphabet=_ID_ALPHABET, min_size=1, max_size=6)


def names() -> st.SearchStrategy[str]:
    """Display names: any printable text, Chinese included, 1-24 characters.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(names())
        ... def test_names(name):
        ...     assert 1 <= len(name) <= 24
        ...     assert name.isprintable() or not name.isascii()
        >>> test_names()
    """
    return st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp")
        ),
        min_size=1,
        max_size=24,
    )


def dates(
    min_value: date = date(1930, 1, 1), max_value: date = date(2030, 12, 31)
) -> st.SearchStrategy[date]:
    """Calendar dates in a range.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(dates(date(2013, 1, 1), date(2013, 12, 31)))
        ... def test_dates(day):
        ...     assert day.year == 2013
        >>> test_dates()
    """
    return st.dates(min_value=min_value, max_value=max_value)


def aware_datetimes(
    min_value: datetime = datetime(2010, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value: datetime = datetime(2030, 1, 1),  # noqa: DTZ001
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes at whole minutes, with UTC or a fixed offset.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(aware_datetimes())
        ... def test_aware_datetimes(moment):
        ...     assert moment.utcoffset() is not None
        ...     assert moment.second == 0
        >>> test_aware_datetimes()
    """
    offsets = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))])
    return st.datetimes(min_value=min_value, max_value=max_value, timezones=offsets).map(
        lambda d: d.replace(second=0, microsecond=0)
    )


def _periods() -> st.SearchStrategy[Period]:
    return st.builds(
        lambda start, days: Period(
            start=start, until=None if days is None else start + timedelta(days=days)
        ),
        dates(date(2010, 1, 1), date(2020, 1, 1)),
        st.none() | st.integers(0, 3650),
    )


def centres(entity_id: str) -> st.SearchStrategy[Centre]:
    """A centre with the given id.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(centres("yucai"))
        ... def test_centres(centre):
        ...     assert centre.id == "yucai"
        >>> test_centres()
    """
    return st.builds(
        Centre,
        id=st.just(entity_id),
        name=names(),
        kind=st.sampled_from(CentreKind),
        region=st.none() | names(),
        service_areas=st.frozensets(st.sampled_from(ServiceArea), max_size=3),
        founded=st.none() | dates(date(1990, 1, 1), date(2020, 1, 1)),
    )


@st.composite
def social_workers(draw: st.DrawFn, entity_id: str, centre: str) -> SocialWorker:
    """A social worker of ``centre``, certified or not, with consistent dates.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(social_workers("w1", centre="yucai"))
        ... def test_social_workers(worker):
        ...     assert (worker.id, worker.centre) == ("w1", "yucai")
        >>> test_social_workers()
    """
    level = draw(st.sampled_from(CertificationLevel))
    practice = draw(st.none() | dates(date(1990, 1, 1), date(2020, 1, 1)))
    certified_on = (
        draw(st.none() | dates(date(2008, 1, 1), date(2020, 1, 1))) if level.is_certified else None
    )
    return SocialWorker(
        id=entity_id,
        name=draw(names()),
        centre=centre,
        certification=level,
        certified_on=certified_on,
        practice_since=practice,
        qualifications=draw(st.frozensets(st.sampled_from(Qualification), max_size=2)),
    )


def volunteers(entity_id: str, centre: str) -> st.SearchStrategy[Volunteer]:
    """A volunteer of ``centre``, adult or minor, insured or not.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(volunteers("v1", centre="yucai"))
        ... def test_volunteers(volunteer):
        ...     assert (volunteer.id, volunteer.centre) == ("v1", "yucai")
        >>> test_volunteers()
    """
    return st.builds(
        Volunteer,
        id=st.just(entity_id),
        name=names(),
        centre=st.just(centre),
        birth_date=st.none() | dates(date(1940, 1, 1), date(2012, 12, 31)),
        volunteer_number=st.none() | st.text(alphabet=string.digits, min_size=6, max_size=12),
        skills=st.frozensets(
            st.sampled_from(["music", "dance", "书画", "care", "tutoring"]), max_size=3
        ),
        qualifications=st.frozensets(st.sampled_from(Qualification), max_size=2),
        trained=st.booleans(),
        guardian_consent=st.booleans(),
        guardian_consent_on=st.none() | dates(date(2005, 1, 1), date(2020, 1, 1)),
        background_check_on=st.none() | dates(date(2010, 1, 1), date(2020, 1, 1)),
        insurance=st.none() | _periods(),
        affiliation_kind=st.sampled_from(AffiliationKind),
        affiliation=st.none() | names(),
        joined=st.none() | dates(date(2005, 1, 1), date(2020, 1, 1)),
    )


def clients(entity_id: str, centre: str) -> st.SearchStrategy[Client]:
    """A client of ``centre`` with one or two needs.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(clients("c1", centre="liqun"))
        ... def test_clients(client):
        ...     assert client.centre == "liqun"
        >>> test_clients()
    """
    return st.builds(
        Client,
        id=st.just(entity_id),
        name=names(),
        centre=st.just(centre),
        birth_date=st.none() | dates(date(1930, 1, 1), date(2012, 12, 31)),
        needs=st.frozensets(st.sampled_from(ClientNeed), min_size=1, max_size=2),
        support_level=st.sampled_from(SupportLevel),
        enrolled=st.none() | dates(date(2005, 1, 1), date(2020, 1, 1)),
        notes=st.none() | names(),
    )


def programmes(entity_id: str, centre: str) -> st.SearchStrategy[Programme]:
    """A programme of ``centre``.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(programmes("p1", centre="liqun"))
        ... def test_programmes(programme):
        ...     assert programme.id == "p1"
        >>> test_programmes()
    """
    return st.builds(
        Programme,
        id=st.just(entity_id),
        name=names(),
        centre=st.just(centre),
        service_area=st.sampled_from(ServiceArea),
        target_needs=st.frozensets(st.sampled_from(ClientNeed), max_size=3),
        places=st.none() | st.integers(1, 200),
        period=st.none() | _periods(),
        description=st.none() | names(),
    )


@st.composite
def networks(
    draw: st.DrawFn,
    *,
    min_centres: int = 1,
    max_centres: int = 3,
    max_workers: int = 4,
    max_volunteers: int = 8,
    max_clients: int = 8,
    max_programmes: int = 2,
    max_activities: int = 2,
    cross_centre: bool = False,
) -> Network:
    """A valid network; the ``max_`` bounds are per centre (activities per programme).

    Supervision edges join people of the same centre; professional supervision only
    points from an earlier worker to a later one, so the graph has no cycle. With
    ``cross_centre``, some people are also supervised or guided by a worker of any
    centre (an earlier worker, for professional supervision: still no cycle).

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(networks(min_centres=2, max_centres=2))
        ... def test_networks(network):
        ...     assert len(network.centres) == 2
        ...     assert Network.model_validate(network.model_dump()) == network
        >>> test_networks()
    """
    stem = draw(id_stems())
    counter = iter(range(1_000_000))

    def new_id(prefix: str) -> str:
        return f"{stem}-{prefix}{next(counter)}"

    collections: dict[str, list[Any]] = {name: [] for name in Network.collections}
    for _ in range(draw(st.integers(min_centres, max_centres))):
        centre = draw(centres(new_id("c")))
        collections["centres"].append(centre)
        workers = [
            draw(social_workers(new_id("w"), centre.id))
            for _ in range(draw(st.integers(0, max_workers)))
        ]
        vols = [
            draw(volunteers(new_id("v"), centre.id))
            for _ in range(draw(st.integers(0, max_volunteers)))
        ]
        cls = [
            draw(clients(new_id("k"), centre.id)) for _ in range(draw(st.integers(0, max_clients)))
        ]
        collections["workers"] += workers
        collections["volunteers"] += vols
        collections["clients"] += cls
        for i, worker in enumerate(workers[1:], start=1):
            if draw(st.booleans()):
                supervisor = workers[draw(st.integers(0, i - 1))]
                collections["supervisions"].append(
                    _edge(draw, new_id("s"), supervisor.id, worker.id, SupervisionKind.PROFESSIONAL)
                )
        for vol in vols:
            if draw(st.booleans()) and workers:
                supervisor = draw(st.sampled_from(workers))
                collections["supervisions"].append(
                    _edge(draw, new_id("s"), supervisor.id, vol.id, SupervisionKind.GUIDANCE)
                )
        for client in cls:
            if draw(st.booleans()) and workers:
                worker = draw(st.sampled_from(workers))
                start = draw(dates(date(2010, 1, 1), date(2020, 1, 1)))
                collections["assignments"].append(
                    CaseAssignment(id=new_id("a"), worker=worker.id, client=client.id, start=start)
                )
        for _ in range(draw(st.integers(0, max_programmes))):
            programme = draw(programmes(new_id("p"), centre.id))
            collections["programmes"].append(programme)
            for _ in range(draw(st.integers(0, max_activities))):
                collections["activities"].append(
                    draw(
                        _activities(
                            new_id("act"), programme.id, workers=workers, vols=vols, cls=cls
                        )
                    )
                )
    if cross_centre:
        _cross_centre_edges(draw, collections, new_id)
    info = NetworkInfo(title=draw(st.text(max_size=20)), as_of=draw(st.none() | dates()))
    return Network.model_validate({"info": info, **collections})


@st.composite
def crowded_networks(
    draw: st.DrawFn,
    *,
    max_centres: int = 2,
    max_workers: int = 3,
    max_volunteers: int = 6,
    first: date = date(2013, 1, 1),
    last: date = date(2013, 12, 31),
) -> Network:
    """A small network whose adult volunteers crowd onto few guiding social workers.

    Each centre has 1 to ``max_workers`` social workers (any certification) and up to
    ``max_volunteers`` adult volunteers; each volunteer is guided by at most one social
    worker of the centre, the first worker more often than the others, so that span
    limits of one to three are broken. Edges start between ``first`` and ``last`` and
    some end. For span-of-control remedies checked by brute force.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(crowded_networks())
        ... def test_crowded_networks(network):
        ...     assert 1 <= len(network.workers) <= 2 * 3  # max_centres * max_workers
        ...     assert len(network.volunteers) <= 2 * 6  # max_centres * max_volunteers
        >>> test_crowded_networks()
    """
    stem = draw(id_stems())
    counter = iter(range(1_000_000))

    def new_id(prefix: str) -> str:
        return f"{stem}-{prefix}{next(counter)}"

    collections: dict[str, list[Any]] = {name: [] for name in Network.collections}
    for _ in range(draw(st.integers(1, max_centres))):
        centre = Centre(id=new_id("c"), name="C")
        collections["centres"].append(centre)
        workers = [
            SocialWorker(
                id=new_id("w"),
                name="W",
                centre=centre.id,
                certification=draw(st.sampled_from(CertificationLevel)),
                practice_since=draw(st.none() | dates(date(2000, 1, 1), date(2012, 1, 1))),
            )
            for _ in range(draw(st.integers(1, max_workers)))
        ]
        collections["workers"] += workers
        for _ in range(draw(st.integers(0, max_volunteers))):
            vol = Volunteer(id=new_id("v"), name="V", centre=centre.id, birth_date=date(1990, 1, 1))
            collections["volunteers"].append(vol)
            choice = draw(st.integers(-1, 2 * len(workers) - 1))
            if choice < 0:
                continue
            supervisor = workers[0 if choice < len(workers) else choice - len(workers)]
            start = draw(dates(first, last))
            length = draw(st.none() | st.integers(0, 400))
            end = None if length is None else start + timedelta(days=length)
            collections["supervisions"].append(
                Supervision(
                    id=new_id("s"),
                    supervisor=supervisor.id,
                    supervisee=vol.id,
                    kind=SupervisionKind.GUIDANCE,
                    start=start,
                    end=end,
                )
            )
    return Network.model_validate(collections)


def _cross_centre_edges(
    draw: st.DrawFn, collections: dict[str, list[Any]], new_id: Callable[[str], str]
) -> None:
    """Some more edges, from a worker of any centre (an earlier one for professional)."""
    everyone = collections["workers"]
    for i, worker in enumerate(everyone[1:], start=1):
        if draw(st.booleans()):
            supervisor = everyone[draw(st.integers(0, i - 1))]
            collections["supervisions"].append(
                _edge(draw, new_id("s"), supervisor.id, worker.id, SupervisionKind.PROFESSIONAL)
            )
    for vol in collections["volunteers"] if everyone else ():
        if draw(st.booleans()):
            supervisor = draw(st.sampled_from(everyone))
            collections["supervisions"].append(
                _edge(draw, new_id("s"), supervisor.id, vol.id, SupervisionKind.GUIDANCE)
            )


def _edge(
    draw: st.DrawFn, entity_id: str, supervisor: str, supervisee: str, kind: SupervisionKind
) -> Supervision:
    start = draw(dates(date(2010, 1, 1), date(2020, 1, 1)))
    end = draw(st.none() | st.integers(0, 2000).map(lambda d: start + timedelta(days=d)))
    return Supervision(
        id=entity_id,
        supervisor=supervisor,
        supervisee=supervisee,
        kind=kind,
        start=start,
        end=end,
        primary=True,
    )


@st.composite
def _activities(
    draw: st.DrawFn,
    entity_id: str,
    programme: str,
    *,
    workers: list[SocialWorker],
    vols: list[Volunteer],
    cls: list[Client],
) -> Activity:
    start = draw(aware_datetimes())
    present_workers = (
        draw(st.frozensets(st.sampled_from([w.id for w in workers]))) if workers else frozenset()
    )
    present_vols = (
        draw(st.frozensets(st.sampled_from([v.id for v in vols]))) if vols else frozenset()
    )
    staff = sorted(present_workers | present_vols)
    tasks: tuple[TaskAssignment, ...] = ()
    if draw(st.booleans()) and staff:
        tasks = (
            TaskAssignment(
                person=draw(st.sampled_from(staff)), task=draw(st.sampled_from(ProfessionalTask))
            ),
        )
    return Activity(
        id=entity_id,
        name=draw(names()),
        programme=programme,
        setting=draw(st.sampled_from(Setting)),
        start=start,
        end=start + timedelta(minutes=draw(st.integers(15, 600))),
        risky=draw(st.booleans()),
        workers=present_workers,
        volunteers=present_vols,
        clients=draw(st.frozensets(st.sampled_from([c.id for c in cls]))) if cls else frozenset(),
        extra_clients=draw(st.integers(0, 5)),
        tasks=tasks,
    )


SCHEDULE_ZONES = ("Asia/Shanghai", "Europe/London", "America/New_York")
"""The zones ``schedules`` draws from: one without daylight saving, two with."""

_RULES = (
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=WEEKLY;BYDAY=TU,TH",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA",
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=MONTHLY;BYMONTHDAY=1,15",
    "FREQ=WEEKLY;BYDAY=SU;BYHOUR=9,15",
)


@st.composite
def schedules(
    draw: st.DrawFn,
    *,
    first: date = date(2013, 1, 1),
    last: date = date(2014, 12, 31),
    max_duration: timedelta = timedelta(hours=6),
) -> Schedule:
    """A schedule starting between ``first`` and ``last`` in one of ``SCHEDULE_ZONES``.

    Zero to two recurrence rules (weekly, daily, monthly; some with several times a
    day), a duration of 15 minutes to ``max_duration`` (or whole days), a few extra and
    excluded days, and sometimes an ``until`` or a ``count``. Starts at whole quarter
    hours, sometimes in the early hours where daylight-saving changes happen.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(schedules())
        ... def test_schedules(schedule):
        ...     assert schedule.start.tzinfo is not None
        ...     assert schedule.timezone in SCHEDULE_ZONES
        >>> test_schedules()
    """
    zone = ZoneInfo(draw(st.sampled_from(SCHEDULE_ZONES)))
    day = draw(st.dates(min_value=first, max_value=last))
    hour = draw(st.sampled_from([0, 1, 2, 8, 9, 14, 16, 18, 23]))
    start = datetime.combine(day, time(hour, 15 * draw(st.integers(0, 3))), zone)
    if draw(st.booleans()):
        quarters = max(1, max_duration // timedelta(minutes=15))
        duration = timedelta(minutes=15 * draw(st.integers(1, quarters)))
    else:
        duration = timedelta(days=draw(st.integers(1, 3)))
    near = st.integers(-10, 120).map(lambda d: day + timedelta(days=d))
    bound = draw(st.sampled_from(["none", "until", "count"]))
    return Schedule(
        start=start,
        duration=duration,
        rules=tuple(draw(st.lists(st.sampled_from(_RULES), max_size=2, unique=True))),
        extra=tuple(draw(st.lists(near, max_size=2))),
        exclude=tuple(draw(st.lists(near, max_size=3))),
        until=day + timedelta(days=draw(st.integers(0, 200))) if bound == "until" else None,
        count=draw(st.integers(1, 40)) if bound == "count" else None,
    )


def absences(
    entity_id: str, person: str, *, first: date = date(2013, 1, 1), last: date = date(2014, 12, 31)
) -> st.SearchStrategy[Absence]:
    """An absence of ``person``: a block of days, or a (recurring) schedule of its own.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(absences("leave", person="w1"))
        ... def test_absences(absence):
        ...     assert absence.person == "w1"
        >>> test_absences()
    """
    blocks = st.builds(
        lambda zone, day, days: Schedule.days(day, day + timedelta(days=days), timezone=zone),
        st.sampled_from(SCHEDULE_ZONES),
        st.dates(min_value=first, max_value=last),
        st.integers(0, 20),
    )
    return st.builds(
        Absence,
        id=st.just(entity_id),
        person=st.just(person),
        schedule=blocks | schedules(first=first, last=last),
        reason=st.sampled_from(AbsenceReason),
    )


@dataclass(frozen=True)
class Defect:
    """A network document with one planted problem, and what the error must say.

    Attributes:
        document: The document, as plain JSON-compatible data.
        location: The location the problem must be reported at.
        code: The problem's code.

    Example:
        >>> document = {"centres": [{"id": "c"}]}
        >>> defect = Defect(document=document, location="centres[0].name", code="missing")
        >>> defect.code
        'missing'
    """

    document: dict[str, Any]
    location: str
    code: str


_DEFECT_KINDS = ("dangling_reference", "duplicate_id", "extra_forbidden", "enum", "period")


@st.composite
def defective_documents(draw: st.DrawFn) -> Defect:
    """A valid network's document with one planted defect of a random kind.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> from sw_volunteer.errors import NetworkValidationError
        >>> @settings(max_examples=10, derandomize=True, database=None, deadline=None,
        ...           suppress_health_check=list(HealthCheck))
        ... @given(defective_documents())
        ... def test_defective_documents(defect):
        ...     try:
        ...         Network.model_validate(defect.document)
        ...     except NetworkValidationError as exc:
        ...         assert defect.code in exc.codes
        ...     else:
        ...         raise AssertionError("the defect was not found")
        >>> test_defective_documents()
    """
    network = draw(networks(min_centres=1, max_workers=3, max_volunteers=3, max_clients=2))
    doc: dict[str, Any] = network.model_dump(mode="json")
    kind = draw(st.sampled_from(_DEFECT_KINDS))
    centres_ = doc["centres"]
    i = draw(st.integers(0, len(centres_) - 1))
    if kind == "dangling_reference":
        doc["programmes"].append(
            {
                "id": "planted-programme",
                "name": "p",
                "centre": "no-such-centre",
                "service_area": "legal_aid",
            }
        )
        return Defect(doc, f"programmes[{len(doc['programmes']) - 1}].centre", kind)
    if kind == "duplicate_id":
        doc["programmes"].append(
            {
                "id": centres_[i]["id"],
                "name": "p",
                "centre": centres_[i]["id"],
                "service_area": "legal_aid",
            }
        )
        return Defect(doc, f"programmes[{len(doc['programmes']) - 1}].id", kind)
    if kind == "extra_forbidden":
        centres_[i]["shoe_size"] = 42
        return Defect(doc, f"centres[{i}].shoe_size", kind)
    if kind == "enum":
        centres_[i]["kind"] = "castle"
        return Defect(doc, f"centres[{i}].kind", kind)
    doc["volunteers"].append(
        {
            "id": "planted-volunteer",
            "name": "v",
            "centre": centres_[i]["id"],
            "insurance": {"start": "2013-02-01", "until": "2013-01-01"},
        }
    )
    return Defect(doc, f"volunteers[{len(doc['volunteers']) - 1}].insurance", "value_error")
