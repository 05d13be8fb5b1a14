"""Open Referral HSDS 3.x JSON, both ways: export centres and programmes, import them back.

Only organisational data leaves through this path: centres (with their public address,
telephone and e-mail), their programmes, where and when those run and how many places
they have. Nothing about social workers, volunteers or clients is read, so none of it
can be exported.

Times: HSDS 3.x gives a schedule's ``timezone`` as a UTC offset (a number), not a zone
name. A schedule whose occurrences fall on both sides of a daylight-saving change is
therefore exported as one HSDS schedule per offset period (``valid_from`` to
``valid_to``), each with its own offset; the IANA zone name is written in ``notes``
(``"IANA zone: America/New_York"``) so that an importer can rebuild the schedule
exactly.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sw_volunteer.errors import HsdsImportError, Problem
from sw_volunteer.models import (
    Activity,
    Address,
    Centre,
    Network,
    Programme,
    Schedule,
)
from sw_volunteer.vocab import ServiceArea

__all__ = [
    "HSDS_NAMESPACE",
    "SERVICE_AREA_LINK",
    "HsdsImport",
    "from_hsds",
    "hsds_uuid",
    "to_hsds",
]

HSDS_NAMESPACE = uuid.UUID("6f1b5a54-8f3e-5c1e-9a57-2b6c0e1f7d21")
"""The namespace of the UUIDs derived from entity ids (uuid5)."""

SERVICE_AREA_LINK = "sw_volunteer:service_area"
"""The ``link_type`` of the service attribute that carries a programme's service area."""

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_RRULE_FIELDS = {"BYDAY": "byday", "BYMONTHDAY": "bymonthday", "BYWEEKNO": "byweekno"}
_ZONE_NOTE = re.compile(r"IANA zone: ([A-Za-z0-9_+\-/]+)")
_ACTIVITY_NOTE = "activity "
_HORIZON = timedelta(days=366)


def hsds_uuid(kind: str, entity_id: str) -> str:
    """The HSDS id of the ``kind`` record made from entity ``entity_id``: stable across exports.

    Example:
        >>> hsds_uuid("organization", "liqun") == hsds_uuid("organization", "liqun")
        True
        >>> hsds_uuid("organization", "liqun") == hsds_uuid("location", "liqun")
        False
    """
    return str(uuid.uuid5(HSDS_NAMESPACE, f"{kind}:{entity_id}"))


# -- export -----------------------------------------------------------------------


def to_hsds(network: Network, *, on: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Centres as HSDS organizations, with their locations and programs; programmes as services.

    Each centre becomes an ``organization`` with its ``location`` (and the centre's
    ``address``), its telephone and e-mail as ``phones`` and a ``contact``, and one more
    location per place its activities name. Each programme becomes an HSDS ``program``
    and a ``service`` under it, with its service area as an ``attribute``
    (``link_type`` [`SERVICE_AREA_LINK`][sw_volunteer.io.SERVICE_AREA_LINK]), the centre's contact,
    one ``service_at_location`` per place it runs at, its places as a ``service_capacity``
    (``available`` is the number of places: how many are taken would say something about clients)
    and its ``schedules``: those of its own schedule or, if it has none, of its activities (a
    recurring activity's schedule, or a single session). Ids are UUIDs derived from the entity ids
    (uuid5), so a record keeps its id from one export to the next.

    Args:
        network: The network.
        on: The day the export describes: a programme whose period ended before it is
            ``inactive``. Default: ``network.info.as_of``, else the programmes' own dates.

    Returns:
        ``{"organizations": [...], "services": [...]}``, each item an HSDS 3.x object.

    Example:
        >>> from sw_volunteer.models import Centre, Programme
        >>> from sw_volunteer.vocab import ServiceArea
        >>> net = Network(
        ...     centres=[Centre(id="yucai", name="市育才社会工作室")],
        ...     programmes=[Programme(id="happy", name="快乐四点半", centre="yucai",
        ...                           service_area=ServiceArea.DISPUTE_MEDIATION, places=40)],
        ... )
        >>> export = to_hsds(net)
        >>> export["organizations"][0]["name"], export["services"][0]["name"]
        ('市育才社会工作室', '快乐四点半')
        >>> export["services"][0]["capacities"][0]["maximum"]
        40
    """
    day = on or network.info.as_of
    stamp = datetime.combine(day, datetime.min.time(), tzinfo=UTC) if day else None
    activities: dict[str, list[Activity]] = {}
    for activity in network.activities:
        activities.setdefault(activity.programme, []).append(activity)
    centres = {c.id: c for c in network.centres}
    return {
        "organizations": [_organization(network, c, activities) for c in network.centres],
        "services": [
            _service(p, centres[p.centre], activities.get(p.id, []), day, stamp)
            for p in network.programmes
        ],
    }


def _places(programmes: Iterable[Programme], activities: Mapping[str, list[Activity]]) -> list[str]:
    """The places the activities of ``programmes`` name, in first-seen order."""
    seen: dict[str, None] = {}
    for programme in programmes:
        for activity in activities.get(programme.id, []):
            if activity.location:
                seen.setdefault(activity.location, None)
    return list(seen)


def _place_id(centre_id: str, place: str) -> str:
    return hsds_uuid("location", f"{centre_id}#{place}")


def _phones(centre: Centre, **links: str) -> list[dict[str, Any]]:
    if centre.phone is None:
        return []
    owner = "#".join(f"{k}={v}" for k, v in sorted(links.items()))
    return [
        {
            "id": hsds_uuid("phone", f"{centre.id}#{owner}"),
            **links,
            "number": centre.phone,
            "type": "voice",
        }
    ]


def _contact(centre: Centre, **links: str) -> list[dict[str, Any]]:
    if centre.phone is None and centre.email is None:
        return []
    owner = "#".join(f"{k}={v}" for k, v in sorted(links.items()))
    contact_id = hsds_uuid("contact", f"{centre.id}#{owner}")
    contact: dict[str, Any] = {"id": contact_id, **links, "name": centre.name}
    if centre.email is not None:
        contact["email"] = centre.email
    phones = _phones(centre, contact_id=contact_id)
    if phones:
        contact["phones"] = phones
    return [contact]


def _organization(
    network: Network, centre: Centre, activities: Mapping[str, list[Activity]]
) -> dict[str, Any]:
    kind = centre.kind.label("en")
    organization_id = hsds_uuid("organization", centre.id)
    location: dict[str, Any] = {
        "id": hsds_uuid("location", centre.id),
        "location_type": "physical",
        "organization_id": organization_id,
        "name": centre.name,
    }
    if centre.region:
        location["description"] = centre.region
    if centre.address is not None:
        address = centre.address
        location["addresses"] = [
            {
                "id": hsds_uuid("address", centre.id),
                "location_id": location["id"],
                "address_1": address.street,
                "city": address.city,
                "state_province": address.province,
                "postal_code": address.postal_code,
                "country": address.country,
                "address_type": "physical",
            }
        ]
    phones = _phones(centre, location_id=location["id"])
    if phones:
        location["phones"] = phones
    programmes = [p for p in network.programmes if p.centre == centre.id]
    places = [
        {
            "id": _place_id(centre.id, place),
            "location_type": "physical",
            "organization_id": organization_id,
            "name": place,
        }
        for place in _places(programmes, activities)
    ]
    organization: dict[str, Any] = {
        "id": organization_id,
        "name": centre.name,
        "description": f"{kind}, {centre.region}" if centre.region else kind,
    }
    if centre.email is not None:
        organization["email"] = centre.email
    if centre.founded is not None:
        organization["year_incorporated"] = centre.founded.year
    phones = _phones(centre, organization_id=organization_id)
    if phones:
        organization["phones"] = phones
    contacts = _contact(centre, organization_id=organization_id)
    if contacts:
        organization["contacts"] = contacts
    organization["locations"] = [location, *places]
    organization["programs"] = [_program(p) for p in programmes]
    return organization


def _program(programme: Programme) -> dict[str, Any]:
    return {
        "id": hsds_uuid("program", programme.id),
        "organization_id": hsds_uuid("organization", programme.centre),
        "name": programme.name,
        "description": programme.description or programme.service_area.label("en"),
    }


def _service(
    programme: Programme,
    centre: Centre,
    activities: list[Activity],
    day: date | None,
    stamp: datetime | None,
) -> dict[str, Any]:
    ended = (
        programme.period is not None
        and programme.period.until is not None
        and day is not None
        and programme.period.until < day
    )
    service_id = hsds_uuid("service", programme.id)
    service: dict[str, Any] = {
        "id": service_id,
        "organization_id": hsds_uuid("organization", programme.centre),
        "program_id": hsds_uuid("program", programme.id),
        "name": programme.name,
        "description": programme.description or programme.service_area.label("en"),
        "status": "inactive" if ended else "active",
        "attributes": [
            {
                "id": hsds_uuid("attribute", f"{programme.id}#service_area"),
                "link_id": service_id,
                "link_type": SERVICE_AREA_LINK,
                "link_entity": "service",
                "value": programme.service_area.value,
                "label": programme.service_area.label("en"),
            }
        ],
    }
    if centre.email is not None:
        service["email"] = centre.email
    contacts = _contact(centre, service_id=service_id)
    if contacts:
        service["contacts"] = contacts
    locations = [hsds_uuid("location", centre.id)]
    locations += [_place_id(centre.id, p) for p in _places([programme], {programme.id: activities})]
    service["service_at_locations"] = [
        {
            "id": hsds_uuid("service_at_location", f"{programme.id}#{location_id}"),
            "service_id": service_id,
            "location_id": location_id,
        }
        for location_id in locations
    ]
    bound = programme.period.until if programme.period else None
    schedules: list[dict[str, Any]] = []
    if programme.schedule is not None:
        schedules = _schedules(programme.id, programme.schedule, service_id=service_id, last=bound)
    else:
        for activity in activities:
            schedule = activity.schedule or _single(activity)
            schedules += _schedules(
                activity.id,
                schedule,
                service_id=service_id,
                last=bound,
                note=f"{_ACTIVITY_NOTE}{activity.id}",
            )
    if schedules:
        service["schedules"] = schedules
    if programme.places is not None:
        updated = stamp or datetime.combine(
            programme.period.start if programme.period else date(1970, 1, 1),
            datetime.min.time(),
            tzinfo=UTC,
        )
        service["capacities"] = [
            {
                "id": hsds_uuid("service_capacity", programme.id),
                "service_id": service_id,
                "unit": {"id": hsds_uuid("unit", "place"), "name": "place"},
                "available": programme.places,
                "maximum": programme.places,
                "description": "places for clients at one time",
                "updated": updated.isoformat().replace("+00:00", "Z"),
            }
        ]
    return service


def _single(activity: Activity) -> Schedule:
    start = activity.start
    if not isinstance(start.tzinfo, ZoneInfo):
        offset = start.utcoffset() or timedelta(0)
        hours, rest = divmod(int(offset.total_seconds()), 3600)
        zone = ZoneInfo(f"Etc/GMT{-hours:+d}" if offset and not rest else "Etc/UTC")
        start = start.astimezone(zone)
    return Schedule(start=start, duration=activity.end - activity.start)


def _segments(schedule: Schedule, last: date | None) -> list[tuple[timedelta, date, date, time]]:
    """The runs of occurrences with one UTC offset: (offset, first day, last day, end time)."""
    zone = schedule.zone
    stop_day = schedule.until or last
    if stop_day is None:
        stop_day = schedule.start.date() + _HORIZON
    elif last is not None:
        stop_day = min(stop_day, last)
    stop = datetime.combine(stop_day + timedelta(days=1), time(0), zone)
    begin = datetime.combine(schedule.start.date() - timedelta(days=366), time(0), zone)
    segments: list[tuple[timedelta, date, date, time]] = []
    for occurrence in schedule.occurrences(begin, stop):
        offset = occurrence.start.utcoffset() or timedelta(0)
        if segments and segments[-1][0] == offset:
            segments[-1] = (offset, segments[-1][1], occurrence.day, segments[-1][3])
        else:
            segments.append((offset, occurrence.day, occurrence.day, occurrence.end.time()))
    return segments


def _schedules(
    key: str,
    schedule: Schedule,
    *,
    service_id: str,
    last: date | None = None,
    note: str = "",
) -> list[dict[str, Any]]:
    """HSDS schedules of ``schedule``: one per RRULE (or per single occurrence) and offset period.

    ``last`` bounds an open schedule (the programme's last day); without a bound the
    export covers a year from the start.
    """
    segments = _segments(schedule, last)
    bounded = (
        not schedule.rules
        or schedule.until is not None
        or schedule.count is not None
        or last is not None
    )
    zone_name = schedule.timezone
    out: list[dict[str, Any]] = []
    rules = [str(r) for r in schedule.rules]
    for k, (offset, first_day, last_day, end_time) in enumerate(segments):
        common: dict[str, Any] = {
            "service_id": service_id,
            "dtstart": schedule.start.date().isoformat(),
            "valid_from": first_day.isoformat(),
            "timezone": offset.total_seconds() / 3600,
            "opens_at": schedule.start.time().isoformat(timespec="minutes"),
            "closes_at": end_time.isoformat(timespec="minutes"),
            "notes": " ".join(filter(None, [f"IANA zone: {zone_name}", note])),
        }
        if bounded or k < len(segments) - 1:
            common["valid_to"] = last_day.isoformat()
        if not rules:
            # Single occurrences: the start of each run; one record per run suffices
            # only when the run is one day, so list the days.
            record = {"id": hsds_uuid("schedule", f"{key}#once#{k}"), **common}
            record["description"] = "once" if first_day == last_day else "several single days"
            out.append(record)
            continue
        for i, rule in enumerate(rules):
            record = {"id": hsds_uuid("schedule", f"{key}#{i}#{k}"), **common}
            record.update(_rrule_fields(rule))
            out.append(record)
    return out


def _rrule_fields(rule: str) -> dict[str, Any]:
    """HSDS's split of an RRULE; the whole rule is kept in ``description`` too.

    HSDS knows only WEEKLY and MONTHLY: a plain DAILY rule becomes WEEKLY on every day;
    any other frequency is carried by the description alone.
    """
    body = rule.strip().removeprefix("RRULE:")
    parts = dict(p.split("=", 1) for p in body.split(";") if "=" in p)
    fields: dict[str, Any] = {"description": f"RRULE:{body}"}
    freq = parts.get("FREQ", "").upper()
    if (
        freq == "DAILY"
        and not any(k.startswith("BY") for k in parts)
        and parts.get("INTERVAL", "1") == "1"
    ):
        freq, parts = "WEEKLY", {**parts, "BYDAY": ",".join(_WEEKDAYS)}
    if freq not in {"WEEKLY", "MONTHLY"}:
        return fields
    fields["freq"] = freq
    if "INTERVAL" in parts and parts["INTERVAL"].isdigit():
        fields["interval"] = int(parts["INTERVAL"])
    if "COUNT" in parts and parts["COUNT"].isdigit():
        fields["count"] = int(parts["COUNT"])
    if "UNTIL" in parts:
        until = parts["UNTIL"][:8]
        if until.isdigit():
            fields["until"] = f"{until[:4]}-{until[4:6]}-{until[6:8]}"
    if parts.get("WKST", "").upper() in _WEEKDAYS:
        fields["wkst"] = parts["WKST"].upper()
    for key, name in _RRULE_FIELDS.items():
        if key in parts:
            fields[name] = parts[key]
    return fields


# -- import -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HsdsImport:
    """What [`from_hsds`][sw_volunteer.io.from_hsds] read.

    Attributes:
        network: The centres and programmes read.
        unmapped: The JSON path of every field with a value that the network does not
            hold (``"services[2].fees_description"``), in document order.

    Example:
        >>> document = {"organizations": [{
        ...     "id": "yucai", "name": "市育才社会工作室", "email": "yucai@example.org",
        ...     "website": "https://example.org",
        ... }]}
        >>> imported = from_hsds(document)
        >>> [centre.name for centre in imported.network.centres]
        ['市育才社会工作室']
        >>> imported.unmapped
        ('organizations[0].website',)
    """

    network: Network
    unmapped: tuple[str, ...]


_ORGANIZATION_KEYS = {"id", "name", "email", "phones", "contacts", "locations", "programs"}
_LOCATION_KEYS = {
    "id",
    "name",
    "location_type",
    "organization_id",
    "description",
    "addresses",
    "phones",
}
_ADDRESS_KEYS = {
    "id",
    "location_id",
    "address_1",
    "address_2",
    "city",
    "state_province",
    "postal_code",
    "country",
    "address_type",
}
_SERVICE_KEYS = {
    "id",
    "organization_id",
    "program_id",
    "name",
    "description",
    "status",
    "email",
    "contacts",
    "service_at_locations",
}
_CONTACT_KEYS = {"id", "organization_id", "service_id", "name", "email", "phones"}
_PROGRAM_KEYS = {"id", "organization_id", "name", "description"}
_CAPACITY_KEYS = {"id", "service_id", "unit", "available", "maximum", "description", "updated"}
_SCHEDULE_KEYS = {
    "id",
    "service_id",
    "dtstart",
    "valid_from",
    "valid_to",
    "timezone",
    "opens_at",
    "closes_at",
    "notes",
    "description",
    "freq",
    "interval",
    "count",
    "until",
    "wkst",
    "byday",
    "bymonthday",
    "byweekno",
}


def from_hsds(
    document: Mapping[str, Any] | str | bytes,
    *,
    service_area: ServiceArea | None = None,
    timezone: str | None = None,
) -> HsdsImport:
    """Centres and programmes from an HSDS 3.x document, with every field left behind listed.

    Organizations become centres (name, e-mail, the first telephone, the address of
    the first location); services become programmes (name, description, organization,
    places from the first capacity's ``maximum``, the service area from the attribute
    [`to_hsds`][sw_volunteer.io.to_hsds] writes, and the schedule rebuilt from its HSDS schedules).
    Ids are the HSDS ids. Whatever has a value and no place in the network (other locations, fees,
    eligibility, phones beyond the first, ...) is listed in
    ``HsdsImport.unmapped`` by its JSON path, so that nothing
    is dropped silently.

    Args:
        document: ``{"organizations": [...], "services": [...]}`` as a mapping or JSON.
        service_area: The service area of services that do not carry one.
        timezone: The IANA zone of schedules that do not name one in ``notes``
            (their ``timezone`` offset cannot tell a zone's daylight-saving rules).

    Returns:
        The network and the unmapped paths.

    Example:
        >>> from sw_volunteer.models import Centre, Programme
        >>> net = Network(
        ...     centres=[Centre(id="yucai", name="市育才社会工作室", phone="0577-1234567")],
        ...     programmes=[Programme(id="happy", name="快乐四点半", centre="yucai",
        ...                           service_area=ServiceArea.AFTER_SCHOOL_CARE, places=40)],
        ... )
        >>> back = from_hsds(to_hsds(net))
        >>> [(p.name, p.service_area.value, p.places) for p in back.network.programmes]
        [('快乐四点半', 'after_school_care', 40)]
        >>> back.network.centres[0].phone
        '0577-1234567'
        >>> back.unmapped
        ('organizations[0].description',)

    Raises:
        HsdsImportError: every record that cannot be read, each named by its path.
        NetworkValidationError: the records read do not form a network.
    """
    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document)
        except ValueError as exc:
            raise HsdsImportError([Problem("", "not_json", f"not JSON: {exc}")]) from None
    if not isinstance(document, Mapping):
        raise HsdsImportError(
            [Problem("", "not_a_mapping", "expected an object with organizations and services")]
        )
    reader = _HsdsReader(service_area=service_area, timezone=timezone)
    for key in document:
        if key not in {"organizations", "services"} and document[key] not in (None, [], {}, ""):
            reader.unmapped.append(key)
    centres = [
        reader.centre(f"organizations[{i}]", o)
        for i, o in enumerate(_list(document.get("organizations")))
    ]
    programmes = [
        reader.programme(f"services[{i}]", s) for i, s in enumerate(_list(document.get("services")))
    ]
    if reader.problems:
        raise HsdsImportError(reader.problems)
    network = Network(
        centres=tuple(c for c in centres if c is not None),
        programmes=tuple(p for p in programmes if p is not None),
    )
    return HsdsImport(network=network, unmapped=tuple(reader.unmapped))


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _numbers(record: Mapping[str, Any]) -> set[str | None]:
    """The telephone numbers of a record's ``phones``."""
    return {p.get("number") for p in _list(record.get("phones")) if isinstance(p, Mapping)}


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


class _HsdsReader:
    def __init__(self, *, service_area: ServiceArea | None, timezone: str | None) -> None:
        self.service_area = service_area
        self.timezone = timezone
        self.problems: list[Problem] = []
        self.unmapped: list[str] = []
        self.contacts: dict[str, tuple[str, str | None, str | None]] = {}

    def rest(self, path: str, record: Mapping[str, Any], known: set[str]) -> None:
        for key, value in record.items():
            if key not in known and _filled(value):
                self.unmapped.append(f"{path}.{key}")

    def need(self, path: str, record: Mapping[str, Any], key: str) -> Any:
        value = record.get(key)
        if not _filled(value):
            self.problems.append(Problem(f"{path}.{key}", "missing", f"{key} is required"))
        return value

    def centre(self, path: str, record: Any) -> Centre | None:
        if not isinstance(record, Mapping):
            self.problems.append(Problem(path, "not_a_mapping", "expected an organization object"))
            return None
        self.rest(path, record, _ORGANIZATION_KEYS)
        centre_id, name = self.need(path, record, "id"), self.need(path, record, "name")
        phones = _list(record.get("phones"))
        for j in range(1, len(phones)):
            self.unmapped.append(f"{path}.phones[{j}]")
        phone = phones[0].get("number") if phones and isinstance(phones[0], Mapping) else None
        email = record.get("email")
        for contact in _list(record.get("contacts")):
            if isinstance(contact, Mapping):  # the centre's own contact details, if it has none
                email = email or contact.get("email")
                phone = phone or next(iter(_numbers(contact)), None)
        if name is not None:
            self.contacts[str(centre_id)] = (str(name), phone, email)
        self.own_contacts(path, record, str(centre_id))
        address, region = self.first_location(path, record, phone)
        for j, program in enumerate(_list(record.get("programs"))):
            if isinstance(program, Mapping):
                self.rest(f"{path}.programs[{j}]", program, _PROGRAM_KEYS)
        if centre_id is None or name is None:
            return None
        return Centre(
            id=str(centre_id),
            name=str(name),
            region=address.city if address else region,
            address=address,
            phone=phone or None,
            email=email or None,
        )

    def first_location(
        self, path: str, record: Mapping[str, Any], phone: str | None
    ) -> tuple[Address | None, str | None]:
        """The address and region of an organization's first location; the rest listed."""
        address = None
        region = None
        for j, location in enumerate(_list(record.get("locations"))):
            where = f"{path}.locations[{j}]"
            if j > 0 or not isinstance(location, Mapping):
                self.unmapped.append(where)
                continue
            self.rest(where, location, _LOCATION_KEYS)
            if not _numbers(location) <= {phone}:
                self.unmapped.append(f"{where}.phones")
            region = location.get("description") or None
            addresses = _list(location.get("addresses"))
            for k in range(1, len(addresses)):
                self.unmapped.append(f"{where}.addresses[{k}]")
            if addresses and isinstance(addresses[0], Mapping):
                address = self.address(f"{where}.addresses[0]", addresses[0])
        return address, region

    def own_contacts(self, path: str, record: Mapping[str, Any], organization: str) -> None:
        """List the contacts that are not the centre's own details (name, phone, e-mail)."""
        name, phone, email = self.contacts.get(organization, (None, None, None))
        for j, contact in enumerate(_list(record.get("contacts"))):
            own = (
                isinstance(contact, Mapping)
                and contact.get("name") in {None, name}
                and contact.get("email") in {None, email}
                and _numbers(contact) <= {phone}
                and set(contact)
                <= {"id", "organization_id", "service_id", "name", "email", "phones"}
            )
            if not own:
                self.unmapped.append(f"{path}.contacts[{j}]")

    def address(self, path: str, record: Mapping[str, Any]) -> Address | None:
        self.rest(path, record, _ADDRESS_KEYS)
        street = " ".join(str(record[k]) for k in ("address_1", "address_2") if record.get(k))
        try:
            return Address(
                street=street,
                city=record.get("city", ""),
                province=record.get("state_province", ""),
                postal_code=record.get("postal_code", ""),
                country=record.get("country", ""),
            )
        except ValueError as exc:
            self.problems.append(Problem(path, "invalid_address", str(exc).splitlines()[0]))
            return None

    def programme(self, path: str, record: Any) -> Programme | None:
        if not isinstance(record, Mapping):
            self.problems.append(Problem(path, "not_a_mapping", "expected a service object"))
            return None
        self.rest(path, record, _SERVICE_KEYS | {"attributes", "capacities", "schedules"})
        programme_id = self.need(path, record, "id")
        name = self.need(path, record, "name")
        centre = self.need(path, record, "organization_id")
        if _filled(record.get("status")) and record.get("status") != "active":
            self.unmapped.append(f"{path}.status")
        area = self.area(path, record)
        places = None
        for j, capacity in enumerate(_list(record.get("capacities"))):
            where = f"{path}.capacities[{j}]"
            if j > 0 or not isinstance(capacity, Mapping):
                self.unmapped.append(where)
                continue
            self.rest(where, capacity, _CAPACITY_KEYS)
            maximum = capacity.get("maximum")
            places = int(maximum) if isinstance(maximum, (int, float)) and maximum > 0 else None
        self.own_contacts(path, record, str(centre))
        schedule = self.schedule(path, _list(record.get("schedules")))
        description = record.get("description") or None
        if area is not None and description == area.label("en"):
            description = None  # what to_hsds writes when there is no description
        if programme_id is None or name is None or centre is None or area is None:
            return None
        return Programme(
            id=str(programme_id),
            name=str(name),
            centre=str(centre),
            service_area=area,
            places=places,
            description=description,
            schedule=schedule,
        )

    def area(self, path: str, record: Mapping[str, Any]) -> ServiceArea | None:
        found = None
        carried = False
        for j, attribute in enumerate(_list(record.get("attributes"))):
            where = f"{path}.attributes[{j}]"
            if isinstance(attribute, Mapping) and attribute.get("link_type") == SERVICE_AREA_LINK:
                carried = True
                try:
                    found = ServiceArea(str(attribute.get("value")))
                except ValueError:
                    self.problems.append(
                        Problem(
                            f"{where}.value",
                            "unknown_service_area",
                            "expected one of " + ", ".join(a.value for a in ServiceArea),
                        )
                    )
            else:
                self.unmapped.append(where)
        if not carried and self.service_area is None:
            self.problems.append(
                Problem(
                    f"{path}.attributes",
                    "missing_service_area",
                    f"no attribute with link_type {SERVICE_AREA_LINK!r}: pass service_area=",
                )
            )
        return found or self.service_area

    def schedule(self, path: str, records: list[Any]) -> Schedule | None:
        """One schedule from the HSDS schedules of a service, or None (listed unmapped)."""
        series: dict[tuple[Any, ...], list[tuple[int, Mapping[str, Any]]]] = {}
        for j, record in enumerate(records):
            where = f"{path}.schedules[{j}]"
            notes = str(record.get("notes", "")) if isinstance(record, Mapping) else ""
            if not isinstance(record, Mapping) or _ACTIVITY_NOTE in notes:
                self.unmapped.append(where)  # the times of one activity, not the programme's
                continue
            self.rest(where, record, _SCHEDULE_KEYS)
            key = (record.get("dtstart"), record.get("opens_at"), record.get("closes_at"))
            series.setdefault(key, []).append((j, record))
        if not series:
            return None
        (key, group), *others = series.items()
        for _, other in others:
            self.unmapped.extend(f"{path}.schedules[{j}]" for j, _ in other)
        dtstart, opens, closes = key
        notes = " ".join(str(r.get("notes", "")) for _, r in group)
        match = _ZONE_NOTE.search(notes)
        name = match.group(1) if match else self.timezone
        where = f"{path}.schedules[{group[0][0]}]"
        if name is None:
            self.unmapped.extend(f"{path}.schedules[{j}]" for j, _ in group)
            return None
        try:
            zone = ZoneInfo(name)
            first = date.fromisoformat(str(dtstart or group[0][1].get("valid_from")))
            start = datetime.combine(first, time.fromisoformat(str(opens)[:5]), zone)
            end = datetime.combine(first, time.fromisoformat(str(closes)[:5]), zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            self.problems.append(Problem(where, "invalid_schedule", str(exc)))
            return None
        if end <= start:
            end += timedelta(days=1)
        rules: dict[str, None] = {}
        for _, record in group:
            rule = _rule_of(record)
            if rule:
                rules.setdefault(rule, None)
        ends = [r.get("valid_to") for _, r in group]
        until = max(date.fromisoformat(str(e)) for e in ends) if all(ends) else None
        try:
            return Schedule(
                start=start,
                duration=end.astimezone(UTC) - start.astimezone(UTC),
                rules=tuple(rules),
                until=until if rules else None,
            )
        except ValueError as exc:
            self.problems.append(Problem(where, "invalid_schedule", str(exc).splitlines()[0]))
            return None


def _rule_of(record: Mapping[str, Any]) -> str | None:
    description = str(record.get("description") or "")
    if description.startswith("RRULE:"):
        return description.removeprefix("RRULE:")
    freq = record.get("freq")
    if freq not in {"WEEKLY", "MONTHLY"}:
        return None
    parts = [f"FREQ={freq}"]
    for key, name in (("interval", "INTERVAL"), ("wkst", "WKST")):
        if record.get(key):
            parts.append(f"{name}={record[key]}")
    for name, key in _RRULE_FIELDS.items():
        if record.get(key):
            parts.append(f"{name}={record[key]}")
    return ";".join(parts)
