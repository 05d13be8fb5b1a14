"""The entities of a programme: centres, people, programmes, activities and relations."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import AwareDatetime, Field, NonNegativeInt, PositiveInt, model_validator

from sw_volunteer.models._base import Entity, Model, Period, quasi_identifier, sensitive
from sw_volunteer.models._schedule import Schedule
from sw_volunteer.types import EntityId, UniqueSet
from sw_volunteer.vocab import (
    ActivityKind,
    AffiliationKind,
    CentreKind,
    CertificationLevel,
    ClientNeed,
    ProfessionalTask,
    Qualification,
    Sensitivity,
    ServiceArea,
    Setting,
    SupervisionKind,
    SupportLevel,
)

__all__ = [
    "Activity",
    "Address",
    "CaseAssignment",
    "Centre",
    "Client",
    "NetworkInfo",
    "Programme",
    "SocialWorker",
    "Supervision",
    "TaskAssignment",
    "Volunteer",
    "age_on",
    "first_day_of_age",
]


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day`` of someone born on ``birth_date``.

    Example:
        >>> age_on(date(2000, 2, 29), date(2014, 2, 28))
        13
        >>> age_on(date(2000, 2, 29), date(2014, 3, 1))
        14
    """
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def first_day_of_age(birth_date: date, age: int) -> date | None:
    """The first day on which someone born on ``birth_date`` is ``age``, as ``age_on`` counts.

    Someone born on 29 February turns a year older on 1 March in a common year (that is
    when [`age_on`][sw_volunteer.models.age_on] first gives the new age). ``None`` when the day is
    past ``date.max``.

    Example:
        >>> first_day_of_age(date(2000, 2, 29), 14)
        datetime.date(2014, 3, 1)
        >>> first_day_of_age(date(2000, 2, 29), 16)
        datetime.date(2016, 2, 29)
        >>> age_on(date(2000, 2, 29), first_day_of_age(date(2000, 2, 29), 14))
        14
    """
    year = birth_date.year + age
    if year > date.max.year:
        return None
    try:
        return birth_date.replace(year=year)
    except ValueError:  # born on 29 February, the year is not a leap year
        return date(year, 3, 1)


def _on_roster(joined: date | None, left: date | None, day: date) -> bool:
    """Whether ``day`` falls between ``joined`` and ``left`` (both included; ``None``: open)."""
    return (joined is None or joined <= day) and (left is None or day <= left)


def _check_roster_dates(joined: date | None, left: date | None) -> None:
    if joined is not None and left is not None and left < joined:
        msg = "left is before joined (left < joined)"
        raise ValueError(msg)


class Address(Model):
    """A centre's public postal address (HSDS ``address``).

    Attributes:
        street: The street line, e.g. ``"安阳街道万松路 1 号"``.
        city: The city, e.g. ``"瑞安市"``.
        province: The province or state, e.g. ``"浙江省"``.
        postal_code: The postal code.
        country: The ISO 3166-1 two-letter country code.

    Example:
        >>> address = Address(
        ...     street="安阳街道万松路 1 号", city="瑞安市", province="浙江省", postal_code="325200"
        ... )
        >>> address.country
        'CN'
        >>> Centre(id="liqun", name="利群", address=address).address.city
        '瑞安市'
    """

    street: str = Field(min_length=1)
    city: str = Field(min_length=1)
    province: str = Field(min_length=1)
    postal_code: str = Field(min_length=1)
    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$")


class Centre(Entity):
    """A social-work organisation: a service centre, a community studio, a station.

    Attributes:
        name: The centre's name, as it calls itself.
        kind: What kind of organisation it is.
        region: City or district, e.g. ``"瑞安市"``.
        service_areas: The fields it serves in.
        founded: When it was founded, if known.
        address: Its public address, if known.
        phone: Its public telephone number, if any (the centre's, never a person's).
        email: Its public e-mail address, if any.

    Example:
        >>> centre = Centre(id="yucai", name="市育才社会工作室", kind="community_studio")
        >>> centre.kind.label("zh"), centre.collection
        ('社区社会工作室', 'centres')
    """

    collection: ClassVar[str] = "centres"

    name: str = Field(min_length=1)
    kind: CentreKind = CentreKind.SERVICE_CENTRE
    region: str | None = None
    service_areas: UniqueSet[ServiceArea] = frozenset()
    founded: date | None = None
    address: Address | None = None
    phone: str | None = Field(default=None, min_length=1)
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")


class SocialWorker(Entity):
    """A professional social worker (社工) employed by a centre.

    Attributes:
        name: A display name. Social workers act in a professional role, so their name
            is not treated as sensitive; use a pseudonym if your policy says otherwise.
        centre: The id of the employing centre.
        certification: The highest level of the national qualification held.
        certified_on: When that level was obtained; only for certified workers.
        practice_since: When the worker began to practise social work.
        qualifications: Other professional qualifications (counsellor, lawyer, ...).
        availability: When the worker can be rostered; ``None`` means whenever asked.
        joined: First day with the centre, if known (``None``: always there).
        left: Last day with the centre, if the worker left (``None``: still there).
            Before ``joined`` and after ``left`` the worker is not on the roster: no
            rule says anything about them, and no remedy moves anyone to them.

    Example:
        >>> worker = SocialWorker(
        ...     id="w1", name="徐某", centre="yucai", certification="assistant",
        ...     practice_since=date(2010, 3, 1),
        ... )
        >>> worker.certification.label("zh"), round(worker.years_of_practice(date(2013, 11, 18)), 1)
        ('助理社会工作师', 3.7)
        >>> worker.on_roster_on(date(2013, 11, 18))
        True
    """

    collection: ClassVar[str] = "workers"

    name: str = Field(min_length=1)
    centre: EntityId
    certification: CertificationLevel = CertificationLevel.NONE
    certified_on: date | None = None
    practice_since: date | None = None
    qualifications: UniqueSet[Qualification] = frozenset()
    availability: Schedule | None = None
    joined: date | None = None
    left: date | None = None

    @model_validator(mode="after")
    def _certification_dates(self) -> SocialWorker:
        if self.certified_on is not None and not self.certification.is_certified:
            msg = "certified_on is set but certification is 'none'"
            raise ValueError(msg)
        _check_roster_dates(self.joined, self.left)
        return self

    def on_roster_on(self, day: date) -> bool:
        """Whether the worker is with the centre on ``day`` (``joined`` to ``left``).

        Example:
            >>> w = SocialWorker(id="w", name="W", centre="c", left=date(2013, 6, 30))
            >>> w.on_roster_on(date(2013, 6, 30)), w.on_roster_on(date(2013, 7, 1))
            (True, False)
        """
        return _on_roster(self.joined, self.left, day)

    @property
    def roster_days(self) -> tuple[date | None, date | None]:
        """The first and last day on the roster (``None``: open), as ``on_roster_on``."""
        return self.joined, self.left

    def years_of_practice(self, on: date) -> float:
        """Years of practice completed by ``on`` (0 when ``practice_since`` is unknown)."""
        if self.practice_since is None or on <= self.practice_since:
            return 0.0
        return (on - self.practice_since).days / 365.25


class Volunteer(Entity):
    """A volunteer (志愿者, also called 义工) registered with a centre.

    Attributes:
        name: The volunteer's name (identifying).
        centre: The id of the centre whose roster the volunteer is on.
        birth_date: Needed for the rules on minors (quasi-identifying).
        volunteer_number: The national unified volunteer number, if any (identifying).
        skills: Free-form skill tags (``"music"``, ``"calligraphy"``).
        qualifications: Professional qualifications (needed for professional tasks).
        trained: Whether the volunteer completed the centre's induction training;
            untrained volunteers do not count as adults in ratios. The hours, where
            recorded, are in the ``induction`` training records
            ([`TrainingRecord`][sw_volunteer.models.TrainingRecord]).
        guardian_consent: A guardian's written consent (for minors) is on file, its date
            unknown: it counts on every day. Documents from before
            ``guardian_consent_on`` say only this.
        guardian_consent_on: The day a guardian consented in writing: the consent
            counts from that day on (see
            [`has_guardian_consent_on`][sw_volunteer.models.Volunteer.has_guardian_consent_on]).
        background_check_on: Date of the last background check, if any.
        insurance: The period of the accident insurance, if any.
        affiliation_kind: Where the volunteer comes from.
        affiliation: The school or organisation, if any.
        joined: First day on the roster, if known (``None``: always there).
        left: Last day on the roster, if the volunteer left (``None``: still there).
        availability: When the volunteer can come (registered under 《志愿服务条例》
            Art. 7); ``None`` means whenever asked.

    Example:
        >>> volunteer = Volunteer(
        ...     id="v1", name="陈某", centre="yucai", birth_date=date(1997, 5, 1), trained=True
        ... )
        >>> volunteer.age_on(date(2013, 11, 18)), volunteer.is_adult_on(date(2013, 11, 18))
        (16, False)
        >>> "陈某" in repr(volunteer), "1997" in repr(volunteer)
        (False, False)
    """

    collection: ClassVar[str] = "volunteers"

    name: str = sensitive(Sensitivity.IDENTIFYING, description="The volunteer's name.")
    centre: EntityId
    birth_date: date | None = sensitive(
        Sensitivity.QUASI_IDENTIFYING,
        description="Date of birth, for the rules on minors.",
        quasi="birth_date",
    )
    volunteer_number: str | None = sensitive(
        Sensitivity.IDENTIFYING, description="National unified volunteer number."
    )
    skills: UniqueSet[str] = quasi_identifier("tags", frozenset())
    qualifications: UniqueSet[Qualification] = frozenset()
    trained: bool = True
    guardian_consent: bool = False
    guardian_consent_on: date | None = quasi_identifier("date")
    background_check_on: date | None = quasi_identifier("date")
    insurance: Period | None = None
    affiliation_kind: AffiliationKind = AffiliationKind.INDIVIDUAL
    affiliation: str | None = quasi_identifier("affiliation")
    joined: date | None = quasi_identifier("date")
    left: date | None = quasi_identifier("date")
    availability: Schedule | None = quasi_identifier("schedule")

    @model_validator(mode="after")
    def _roster_dates(self) -> Volunteer:
        _check_roster_dates(self.joined, self.left)
        return self

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day``, or ``None`` if the birth date is unknown."""
        return None if self.birth_date is None else age_on(self.birth_date, day)

    def on_roster_on(self, day: date) -> bool:
        """Whether the volunteer is on the roster on ``day``.

        On the roster means: born by then, joined by then (``joined`` unknown counts as
        joined) and not yet left. Before that (or after leaving) the volunteer is simply
        not there: no rule says anything about them.

        Example:
            >>> v = Volunteer(id="v", name="V", centre="c", birth_date=date(1999, 5, 1),
            ...               joined=date(2013, 9, 1))
            >>> v.on_roster_on(date(2013, 8, 31)), v.on_roster_on(date(2013, 9, 1))
            (False, True)
        """
        if self.birth_date is not None and day < self.birth_date:
            return False
        return _on_roster(self.joined, self.left, day)

    @property
    def roster_days(self) -> tuple[date | None, date | None]:
        """The first and last day on the roster (``None``: open), as ``on_roster_on``.

        Example:
            >>> Volunteer(id="v", name="V", centre="c", birth_date=date(2001, 5, 1)).roster_days
            (datetime.date(2001, 5, 1), None)
        """
        first = self.joined
        if self.birth_date is not None and (first is None or first < self.birth_date):
            first = self.birth_date
        return first, self.left

    def is_minor_on(self, day: date, *, adult_age: int = 18) -> bool | None:
        """Whether the volunteer is under ``adult_age`` on ``day`` (``None``: unknown).

        The rules ask [`is_adult_on`][sw_volunteer.models.Volunteer.is_adult_on] /
        [`counts_as_adult_on`][sw_volunteer.models.Volunteer.counts_as_adult_on], which decide what
        an unknown birth date means; this one only reports the known age.
        """
        age = self.age_on(day)
        return None if age is None else age < adult_age

    def has_guardian_consent_on(self, day: date) -> bool:
        """Whether a guardian's written consent counts on ``day``.

        A dated consent counts from its day on; ``guardian_consent`` without a date
        (consent on file, date unknown) counts on every day.

        Example:
            >>> v = Volunteer(id="v", name="V", centre="c", guardian_consent_on=date(2013, 9, 1))
            >>> v.has_guardian_consent_on(date(2013, 8, 31)), v.has_guardian_consent_on(
            ...     date(2013, 9, 1))
            (False, True)
        """
        if self.guardian_consent:
            return True
        return self.guardian_consent_on is not None and self.guardian_consent_on <= day

    def is_adult_on(self, day: date, *, adult_age: int = 18) -> bool:
        """Whether the volunteer is of age ``adult_age`` or more on ``day``.

        A volunteer whose birth date is unknown **is** taken to be an adult. The birth
        date is quasi-identifying and often withheld from shared rosters; the rules on
        minors can only act on a known age, and a centre that registers minors records
        their birth dates (the guardian's consent asks for it). This is the one
        definition: the check, the session rosters and the simulator all use it.

        Example:
            >>> v = Volunteer(id="v", name="V", centre="c", birth_date=date(1996, 2, 29))
            >>> v.is_adult_on(date(2014, 2, 28)), v.is_adult_on(date(2014, 3, 1))
            (False, True)
            >>> Volunteer(id="u", name="U", centre="c").is_adult_on(date(2014, 3, 1))
            True
        """
        birth = self.birth_date
        return birth is None or age_on(birth, day) >= adult_age

    def counts_as_adult_on(self, day: date, *, adult_age: int = 18) -> bool:
        """Whether the volunteer counts as an adult in a session on ``day``.

        Trained (``trained``) and an adult
        ([`is_adult_on`][sw_volunteer.models.Volunteer.is_adult_on], so an unknown birth date counts
        as adult) with ``adult_age`` the pack's age of majority (``adults_present.adult_age``).
        Untrained volunteers and minors never count.

        Example:
            >>> v = Volunteer(id="v", name="V", centre="c", birth_date=date(1996, 5, 1))
            >>> v.counts_as_adult_on(date(2014, 5, 1)), v.counts_as_adult_on(
            ...     date(2014, 5, 1), adult_age=20)
            (True, False)
        """
        return self.trained and self.is_adult_on(day, adult_age=adult_age)

    def is_insured_on(self, day: date) -> bool:
        """Whether accident insurance covers ``day``."""
        return self.insurance is not None and self.insurance.contains(day)


class Client(Entity):
    """A person served by a centre (服务对象; 学员 at a rehabilitation centre).

    Every field that identifies the client or describes their condition is sensitive:
    it never appears in ``repr``/``str`` or in error messages.

    Attributes:
        name: The client's name (identifying).
        centre: The id of the centre the client is enrolled with.
        birth_date: Date of birth (quasi-identifying).
        needs: What the client needs support for (health).
        support_level: How much support (health).
        enrolled: When the client enrolled.
        notes: Free text (dropped by redaction).

    Example:
        >>> client = Client(id="c1", name="林某", centre="liqun", needs={"intellectual_disability"})
        >>> sorted(n.value for n in client.needs)
        ['intellectual_disability']
        >>> "林某" in repr(client)
        False
    """

    collection: ClassVar[str] = "clients"

    name: str = sensitive(Sensitivity.IDENTIFYING, description="The client's name.")
    centre: EntityId
    birth_date: date | None = sensitive(
        Sensitivity.QUASI_IDENTIFYING, description="Date of birth.", quasi="birth_date"
    )
    needs: UniqueSet[ClientNeed] = sensitive(
        Sensitivity.HEALTH,
        frozenset(),
        description="What the client needs support for.",
        quasi="needs",
    )
    support_level: SupportLevel = sensitive(
        Sensitivity.HEALTH, SupportLevel.MEDIUM, description="How much support is needed."
    )
    enrolled: date | None = quasi_identifier("date")
    notes: str | None = sensitive(Sensitivity.FREE_TEXT, description="Free-text notes.")

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day``, or ``None`` if the birth date is unknown."""
        return None if self.birth_date is None else age_on(self.birth_date, day)


class Programme(Entity):
    """A programme (项目) a centre runs, such as 快乐四点半.

    Attributes:
        name: The programme's name.
        centre: The id of the centre that runs it.
        service_area: The field it serves in.
        target_needs: The client needs it is for.
        places: How many clients it can take at once (HSDS ``service_capacity``).
        period: When it runs, if bounded.
        description: A public description.
        schedule: When its sessions recur, if they do.

    Example:
        >>> farm = Programme(
        ...     id="p1", name="农疗", centre="liqun", service_area="rehabilitation", places=30
        ... )
        >>> farm.service_area.label("zh"), farm.places
        ('康复服务', 30)
    """

    collection: ClassVar[str] = "programmes"

    name: str = Field(min_length=1)
    centre: EntityId
    service_area: ServiceArea
    target_needs: UniqueSet[ClientNeed] = frozenset()
    places: PositiveInt | None = None
    period: Period | None = None
    description: str | None = None
    schedule: Schedule | None = None


class TaskAssignment(Model):
    """A professional task given to one participant of an activity.

    Attributes:
        person: The id of a social worker or volunteer who takes part.
        task: The task.

    Example:
        >>> task = TaskAssignment(person="v1", task="first_aid")
        >>> task.task.label("zh")
        '急救'
    """

    person: EntityId
    task: ProfessionalTask


class Activity(Entity):
    """One session or event of a programme, with who takes part.

    Attributes:
        name: What the activity is.
        programme: The id of the programme it belongs to.
        setting: Where it happens; outings need more adults per client.
        kind: What kind of service it is (casework, group work, community activity,
            home visit), when said: a pack may ask different staffing of each kind;
            ``None`` (the default) takes the pack's general rule.
        start: When it starts (timezone-aware).
        end: When it ends (after ``start``).
        risky: Whether it carries risk (needs insurance; no minors as volunteers).
        workers: Ids of the social workers present.
        volunteers: Ids of the volunteers present.
        clients: Ids of the clients present.
        extra_clients: Clients present who are not in the network (a count only), e.g.
            children from the neighbourhood who drop in.
        tasks: Professional tasks given to participants.
        location: Where, in words.
        schedule: For a recurring session, when it recurs. ``start`` and ``end`` are
            then its first occurrence, and the people listed are its roster.

    Example:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> start = datetime(2013, 11, 18, 13, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> outing = Activity(
        ...     id="a1", name="平阳农疗", programme="p1", setting="outing", start=start,
        ...     end=start + timedelta(hours=3), workers={"w1"}, volunteers={"v1"},
        ...     clients={"c1", "c2"}, extra_clients=1,
        ... )
        >>> outing.client_count, sorted(outing.participants)
        (3, ['c1', 'c2', 'v1', 'w1'])
    """

    collection: ClassVar[str] = "activities"

    name: str = Field(min_length=1)
    programme: EntityId
    setting: Setting = Setting.IN_CENTRE
    kind: ActivityKind | None = None
    start: AwareDatetime
    end: AwareDatetime
    risky: bool = False
    workers: UniqueSet[EntityId] = frozenset()
    volunteers: UniqueSet[EntityId] = frozenset()
    clients: UniqueSet[EntityId] = frozenset()
    extra_clients: NonNegativeInt = 0
    tasks: tuple[TaskAssignment, ...] = ()
    location: str | None = quasi_identifier("location")
    schedule: Schedule | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Activity:
        # As instants: datetimes with one tzinfo compare (and subtract) by wall clock.
        if self.end.timestamp() <= self.start.timestamp():
            msg = "the activity ends before it starts (end <= start)"
            raise ValueError(msg)
        if self.schedule is not None and (
            self.schedule.start.timestamp() != self.start.timestamp()
            or self.schedule.end_of(self.start).timestamp() != self.end.timestamp()
        ):
            msg = (
                "a recurring activity's start and end are its first session: "
                "schedule.start must equal start and schedule.duration end - start"
            )
            raise ValueError(msg)
        return self

    @property
    def participants(self) -> frozenset[str]:
        """Ids of every worker, volunteer and client taking part."""
        return self.workers | self.volunteers | self.clients

    @property
    def client_count(self) -> int:
        """Clients present, named or not."""
        return len(self.clients) + self.extra_clients


class Supervision(Entity):
    """A supervision edge: a social worker supervises a worker or guides a volunteer.

    Attributes:
        supervisor: The id of the supervising social worker.
        supervisee: The id of the supervised social worker or guided volunteer.
        kind: ``professional`` for a social worker, ``guidance`` for a volunteer.
        start: First day of the relation.
        end: Last day of the relation, if it ended.
        primary: Whether this is the supervisee's primary supervisor.

    Example:
        >>> s = Supervision(
        ...     id="s1", supervisor="w1", supervisee="v1", kind="guidance", start=date(2013, 9, 1)
        ... )
        >>> s.is_active_on(date(2013, 11, 18)), s.is_active_on(date(2013, 8, 31))
        (True, False)
    """

    collection: ClassVar[str] = "supervisions"

    supervisor: EntityId
    supervisee: EntityId
    kind: SupervisionKind
    start: date = quasi_identifier("date", ...)
    end: date | None = quasi_identifier("date")
    primary: bool = True

    @model_validator(mode="after")
    def _valid(self) -> Supervision:
        if self.end is not None and self.end < self.start:
            msg = "the supervision ends before it starts (end < start)"
            raise ValueError(msg)
        if self.supervisor == self.supervisee:
            msg = "a person cannot supervise themselves"
            raise ValueError(msg)
        return self

    def is_active_on(self, day: date) -> bool:
        """Whether the edge holds on ``day`` (both ends included)."""
        return self.start <= day and (self.end is None or day <= self.end)


class CaseAssignment(Entity):
    """A social worker's responsibility for a client's case (caseload).

    Attributes:
        worker: The id of the social worker.
        client: The id of the client.
        start: First day of the assignment.
        end: Last day, if it ended.
        primary: Whether the worker is the client's primary case worker.

    Example:
        >>> case = CaseAssignment(id="k1", worker="w1", client="c1", start=date(2013, 1, 1))
        >>> case.is_active_on(date(2013, 11, 18)), case.primary
        (True, True)
    """

    collection: ClassVar[str] = "assignments"

    worker: EntityId = quasi_identifier("link", ...)
    client: EntityId
    start: date = quasi_identifier("date", ...)
    end: date | None = quasi_identifier("date")
    primary: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> CaseAssignment:
        if self.end is not None and self.end < self.start:
            msg = "the assignment ends before it starts (end < start)"
            raise ValueError(msg)
        return self

    def is_active_on(self, day: date) -> bool:
        """Whether the assignment holds on ``day`` (both ends included)."""
        return self.start <= day and (self.end is None or day <= self.end)


class NetworkInfo(Model):
    """What a network document describes, and where its figures come from.

    Attributes:
        title: A title for the document.
        region: The region it covers.
        as_of: The date the data describes.
        source: Where the data comes from.
        certified_social_workers_in_region: Context: how many certified social workers
            the region has in all (Rui'an had 579 in 2013).
        notes: Anything else worth knowing about the document (not about people).

    Example:
        >>> info = NetworkInfo(title="瑞安市“社工+义工”联动", as_of=date(2013, 11, 19))
        >>> info.as_of.isoformat()
        '2013-11-19'
    """

    title: str = ""
    region: str | None = None
    as_of: date | None = None
    source: str | None = None
    certified_social_workers_in_region: NonNegativeInt | None = None
    notes: str | None = None
