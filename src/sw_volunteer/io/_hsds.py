"""Export centres and programmes as Open Referral HSDS 3.x JSON.

Only organisational data leaves through this path: centres, their programmes, when those
run and how many places they have. Nothing about social workers, volunteers or clients
is read, so none of it can be exported.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sw_volunteer.models import Centre, Network, Programme

__all__ = ["HSDS_NAMESPACE", "hsds_uuid", "to_hsds"]

HSDS_NAMESPACE = uuid.UUID("6f1b5a54-8f3e-5c1e-9a57-2b6c0e1f7d21")
"""The namespace of the UUIDs derived from entity ids (uuid5)."""

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_RRULE_FIELDS = {"BYDAY": "byday", "BYMONTHDAY": "bymonthday", "BYWEEKNO": "byweekno"}


def hsds_uuid(kind: str, entity_id: str) -> str:
    """The HSDS id of the ``kind`` record made from entity ``entity_id``: stable across exports.

    Example:
        >>> hsds_uuid("organization", "liqun") == hsds_uuid("organization", "liqun")
        True
        >>> hsds_uuid("organization", "liqun") == hsds_uuid("location", "liqun")
        False
    """
    return str(uuid.uuid5(HSDS_NAMESPACE, f"{kind}:{entity_id}"))


def to_hsds(network: Network, *, on: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Centres as HSDS organizations, with their locations and programs; programmes as services.

    Each programme becomes an HSDS ``program`` (under its organization) and a
    ``service`` delivered under it. A programme's schedule, when it has one, becomes
    HSDS ``schedule`` objects, one per RRULE; its places become a ``service_capacity``
    (``available`` is the number of places: how many are taken would say something
    about clients). Ids are UUIDs derived from the entity ids (uuid5), so a record keeps
    its id from one export to the next.

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
    return {
        "organizations": [_organization(network, c) for c in network.centres],
        "services": [_service(p, day, stamp) for p in network.programmes],
    }


def _organization(network: Network, centre: Centre) -> dict[str, Any]:
    kind = centre.kind.label("en")
    organization: dict[str, Any] = {
        "id": hsds_uuid("organization", centre.id),
        "name": centre.name,
        "description": f"{kind}, {centre.region}" if centre.region else kind,
        "locations": [
            {
                "id": hsds_uuid("location", centre.id),
                "location_type": "physical",
                "organization_id": hsds_uuid("organization", centre.id),
                "name": centre.name,
                **({"description": centre.region} if centre.region else {}),
            }
        ],
        "programs": [_program(p) for p in network.programmes if p.centre == centre.id],
    }
    if centre.founded is not None:
        organization["year_incorporated"] = centre.founded.year
    return organization


def _program(programme: Programme) -> dict[str, Any]:
    return {
        "id": hsds_uuid("program", programme.id),
        "organization_id": hsds_uuid("organization", programme.centre),
        "name": programme.name,
        "description": programme.description or programme.service_area.label("en"),
    }


def _service(programme: Programme, day: date | None, stamp: datetime | None) -> dict[str, Any]:
    ended = (
        programme.period is not None
        and programme.period.until is not None
        and day is not None
        and programme.period.until < day
    )
    service: dict[str, Any] = {
        "id": hsds_uuid("service", programme.id),
        "organization_id": hsds_uuid("organization", programme.centre),
        "program_id": hsds_uuid("program", programme.id),
        "name": programme.name,
        "description": programme.description or programme.service_area.label("en"),
        "status": "inactive" if ended else "active",
    }
    schedule = getattr(programme, "schedule", None)
    if schedule is not None:
        service["schedules"] = _schedules(programme.id, schedule)
    if programme.places is not None:
        updated = stamp or datetime.combine(
            programme.period.start if programme.period else date(1970, 1, 1),
            datetime.min.time(),
            tzinfo=UTC,
        )
        service["capacities"] = [
            {
                "id": hsds_uuid("service_capacity", programme.id),
                "service_id": hsds_uuid("service", programme.id),
                "unit": {"id": hsds_uuid("unit", "place"), "name": "place"},
                "available": programme.places,
                "maximum": programme.places,
                "description": "places for clients at one time",
                "updated": updated.isoformat().replace("+00:00", "Z"),
            }
        ]
    return service


def _schedules(programme_id: str, schedule: Any) -> list[dict[str, Any]]:
    """One HSDS schedule per RRULE of ``schedule`` (start, duration, rules, until, count)."""
    start: datetime = schedule.start
    end: datetime = start + getattr(schedule, "duration", timedelta(0))
    offset = start.utcoffset() or timedelta(0)
    common: dict[str, Any] = {
        "service_id": hsds_uuid("service", programme_id),
        "dtstart": start.date().isoformat(),
        "valid_from": start.date().isoformat(),
        "timezone": offset.total_seconds() / 3600,
        "opens_at": start.timetz().isoformat(timespec="minutes"),
        "closes_at": end.timetz().isoformat(timespec="minutes"),
    }
    until = getattr(schedule, "until", None)
    if until is not None:
        common["valid_to"] = until.isoformat()
    out = []
    for i, rule in enumerate(getattr(schedule, "rules", ()) or ()):
        record = {"id": hsds_uuid("schedule", f"{programme_id}#{i}"), **common}
        record.update(_rrule_fields(str(rule)))
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
