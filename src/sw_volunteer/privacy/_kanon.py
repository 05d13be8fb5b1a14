"""k-anonymity for redacted networks: generalise quasi-identifiers, then suppress.

Pseudonyms alone do not stop linkage: two exports under different keys can still be
matched person by person on what they keep (a birth year, an enrolment date, a school,
the case worker). A [`RedactionProfile`][sw_volunteer.privacy.RedactionProfile] generalises the
quasi-identifiers declared on the models
([`sw_volunteer.models.quasi_identifiers`][sw_volunteer.models.quasi_identifiers]) one level at a
time, and withholds the people who still stand out, until every released client and volunteer shares
*everything released about them* with at least ``k - 1`` others.

"Everything released about" a person is their ``release_signature``: their own record
without its id and pseudonyms, together with every record that refers to them (the
activities they take part in, their supervisions, case assignments, service records and
absences), in which the ids of other people are blanked and every other pseudonymous id
is replaced by the content of the record it names. Two people with one signature cannot be
told apart by anything in the export but their pseudonyms, which differ from key to key.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sw_volunteer.errors import InputError, Problem
from sw_volunteer.models import (
    Activity,
    Entity,
    Network,
    Programme,
    quasi_identifiers,
    sensitive_fields,
)
from sw_volunteer.vocab import Lang, Sensitivity

__all__ = [
    "DEFAULT_K",
    "DEFAULT_PROFILE",
    "GENERALISATION_LEVELS",
    "PEOPLE",
    "Redaction",
    "RedactionProfile",
    "release_signatures",
]

DEFAULT_K = 5
"""The smallest group a released person must be in, by default."""

PEOPLE: tuple[str, ...] = ("clients", "volunteers")
"""The collections of the people the k-anonymity guarantee is about."""

GENERALISATION_LEVELS: tuple[str, ...] = (
    (
        "dates to the month, birth dates to the year, affiliations to their kind, "
        "locations to the region of the centre"
    ),
    (
        "dates to the quarter, birth dates to age bands, skills held by fewer than k "
        "volunteers dropped"
    ),
    (
        "dates to the year, birth dates to the bands of the age rules (0-13, 14-17, 18-59, "
        "60+), all skills and availabilities dropped, needs held by fewer than k clients "
        "of a centre released as 'other' (left out)"
    ),
    (
        "case assignments and service records dropped (the links to case workers and the "
        "history of service)"
    ),
)
"""What each level of generalisation does; each level includes the ones before it."""


@dataclass(frozen=True, slots=True)
class RedactionProfile:
    """How far redaction goes to make people indistinguishable.

    Args:
        k: Every released client and volunteer shares everything released about them
            with at least ``k - 1`` others (``k = 1``: no guarantee, generalisation at
            the first level only).
        max_level: The highest level of
            [`GENERALISATION_LEVELS`][sw_volunteer.privacy.GENERALISATION_LEVELS] to use before
            withholding people (default: all of them).

    Example:
        >>> RedactionProfile(k=10).k
        10
        >>> RedactionProfile(k=0)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sw_volunteer.errors.InputError: ...: k: k must be at least 1, got 0 [bad_profile]
    """

    k: int = DEFAULT_K
    max_level: int = len(GENERALISATION_LEVELS) - 1

    def __post_init__(self) -> None:
        problems = []
        if self.k < 1:
            problems.append(Problem("k", "bad_profile", f"k must be at least 1, got {self.k}"))
        if not 0 <= self.max_level < len(GENERALISATION_LEVELS):
            problems.append(
                Problem(
                    "max_level",
                    "bad_profile",
                    f"max_level must be 0 to {len(GENERALISATION_LEVELS) - 1}, "
                    f"got {self.max_level}",
                )
            )
        if problems:
            raise InputError(problems, subject="the redaction profile")


RULE_AGE_BANDS: tuple[int, ...] = (0, 14, 18, 60)
"""The age bands of the last levels: the thresholds the age rules and needs use."""

DEFAULT_PROFILE = RedactionProfile()
"""k = 5, every level of generalisation allowed."""


@dataclass(frozen=True)
class Redaction:
    """A redacted network and what it took to make it k-anonymous.

    Attributes:
        network: The network to share.
        k: The group size asked for.
        achieved_k: The smallest group a released client or volunteer is in
            (``None`` when no one is released).
        level: The level of
            [`GENERALISATION_LEVELS`][sw_volunteer.privacy.GENERALISATION_LEVELS] reached.
        generalised: Each quasi-identifying field changed, and how.
        suppressed: How many people of each collection were withheld because no
            generalisation put them in a group of ``k``.

    Example:
        >>> from sw_volunteer import datasets
        >>> from sw_volunteer.privacy import redact_with_report
        >>> network = datasets.ruian_2013()
        >>> shared = redact_with_report(network, key=b"a key of sixteen bytes or more")
        >>> shared.k, shared.achieved_k >= shared.k
        (5, True)
        >>> shared.generalised["Client.enrolled"]
        'to the year'
        >>> released = len(shared.network.clients) + len(shared.network.volunteers)
        >>> released + sum(shared.suppressed.values()) == len(network.clients) + len(
        ...     network.volunteers
        ... )
        True
    """

    network: Network
    k: int
    achieved_k: int | None
    level: int
    generalised: Mapping[str, str] = field(default_factory=dict)
    suppressed: Mapping[str, int] = field(default_factory=dict)

    def describe(self, lang: Lang = "en") -> str:
        """One line: entities written, the smallest group, who was withheld.

        ``lang="zh"`` words it in Chinese.
        """
        if lang == "zh":
            names = {"clients": "服务对象", "volunteers": "志愿者", "social_workers": "社工"}
            withheld_zh = "，".join(
                f"{names.get(name, name)} {n} 名" for name, n in self.suppressed.items() if n
            )
            groups_zh = (
                "未发布任何服务对象或志愿者"
                if self.achieved_k is None
                else f"每名服务对象和志愿者所在组至少 {self.achieved_k} 人"
            )
            return (
                f"{len(self.network)} 个实体；{groups_zh}（要求 k = {self.k}）；"
                f"不予发布：{withheld_zh or '无'}"
            )
        withheld = ", ".join(f"{n} {name}" for name, n in self.suppressed.items() if n)
        groups = (
            "no client or volunteer released"
            if self.achieved_k is None
            else f"every client and volunteer in a group of at least {self.achieved_k}"
        )
        return (
            f"{len(self.network)} entities; {groups} (k = {self.k} asked); "
            f"withheld: {withheld or 'no one'}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The facts of ``summary`` as JSON values."""
        return {
            "entities": len(self.network),
            "k": self.k,
            "achieved_k": self.achieved_k,
            "level": self.level,
            "generalised": dict(sorted(self.generalised.items())),
            "suppressed": dict(self.suppressed),
        }

    def summary(self) -> str:
        """One line per fact: the k asked and achieved, what changed, who was withheld."""
        lines = [
            f"k asked: {self.k}; smallest group released: {self.achieved_k}",
            f"generalisation level {self.level}: {GENERALISATION_LEVELS[self.level]}",
        ]
        lines.extend(f"  {name}: {how}" for name, how in sorted(self.generalised.items()))
        withheld = ", ".join(f"{n} {name}" for name, n in self.suppressed.items() if n)
        lines.append(f"withheld: {withheld or 'no one'}")
        return "\n".join(lines)


# -- generalisation -------------------------------------------------------------------


def _month(day: date) -> date:
    return day.replace(day=1)


def _quarter(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


_DATES = (("to the month", _month), ("to the quarter", _quarter))
_YEAR = ("to the year", lambda day: date(day.year, 1, 1))


def generalise(
    network: Network, level: int, k: int, *, day: date | None = None
) -> tuple[Network, dict[str, str]]:
    """``network`` with its quasi-identifiers generalised to ``level``.

    Birth dates are left to the redactor (it coarsens them to the year or to age bands
    on ``day``), except without a ``day``: they are then taken to spans of 5 years at
    level 1 and of 10 years from level 2. Every other declared quasi-identifier is
    changed here. Returns the network and, for each field changed, how.
    """
    region = {c.id: c.region for c in network.centres}
    centre_of_programme = {p.id: p.centre for p in network.programmes}
    tag_counts: Counter[tuple[str, str, str]] = Counter()
    need_counts: Counter[tuple[str, Any]] = Counter()
    for entity in network.entities():
        for name, kind in quasi_identifiers(type(entity)).items():
            value = getattr(entity, name)
            if kind == "tags":
                tag_counts.update((type(entity).__name__, name, t) for t in value)
            elif kind == "needs":
                need_counts.update((getattr(entity, "centre", ""), n) for n in value)
    how: dict[str, str] = {}

    def one(entity: Entity) -> Entity | None:
        model = type(entity)
        updates: dict[str, Any] = {}
        for name, kind in quasi_identifiers(model).items():
            value = getattr(entity, name)
            label = f"{model.__name__}.{name}"
            if kind == "birth_date" and value is not None and day is None and level >= 1:
                span = 5 if level == 1 else 10
                updates[name] = date(value.year - value.year % span + span // 2, 7, 1)
                how["birth dates"] = f"to spans of {span} years (no day to take ages on)"
            elif kind == "date" and value is not None:
                how[label], floor = _DATES[level] if level < len(_DATES) else _YEAR
                updates[name] = floor(value)
            elif kind == "affiliation" and value is not None:
                updates[name] = None
                how[label] = "dropped (its kind is kept)"
            elif kind == "location" and value is not None:
                updates[name] = _region_of(entity, region, centre_of_programme)
                how[label] = "to the region of the centre"
            elif kind == "tags" and level >= 1 and value:
                kept = (
                    frozenset(t for t in value if tag_counts[(model.__name__, name, t)] >= k)
                    if level == 1
                    else frozenset()
                )
                if kept != value:
                    updates[name] = kept
                    how[label] = "rare ones dropped" if level == 1 else "dropped"
            elif kind in {"needs", "schedule"} and level >= 2 and value:  # noqa: PLR2004 - their level
                centre = getattr(entity, "centre", "")
                if kind == "needs":
                    common = frozenset(n for n in value if need_counts[(centre, n)] >= k)
                    if common != value:
                        updates[name] = common
                        how[label] = "rare ones released as 'other' (left out)"
                else:
                    updates[name] = None
                    how[label] = "dropped"
            elif kind == "link" and level >= 3:  # noqa: PLR2004 - the level of links
                how[f"{model.__name__} records"] = "dropped"
                return None
        return entity.model_copy(update=updates) if updates else entity

    collections: dict[str, tuple[Any, ...]] = {
        name: tuple(e for e in map(one, getattr(network, name)) if e is not None)
        for name in network.collections
    }
    return Network(info=network.info, **collections), how


def _region_of(
    entity: Entity, region: Mapping[str, str | None], centre_of_programme: Mapping[str, str]
) -> str | None:
    if isinstance(entity, Activity):
        return region.get(centre_of_programme.get(entity.programme, ""))
    if isinstance(entity, Programme):
        return region.get(entity.centre)
    return region.get(getattr(entity, "centre", ""))


# -- signatures -----------------------------------------------------------------------


def release_signatures(
    network: Network, *, kept_ids: Collection[str], people: Iterable[str] = PEOPLE
) -> dict[str, str]:
    """What an export tells about each person, with every pseudonym taken out.

    ``network`` is a redacted network and ``kept_ids`` the collections whose ids were
    not pseudonymised. The signature of a person is their own record without id and
    identifying fields, and every record that names them, in which the person is
    ``"SELF"``, other people are ``"*"`` and other pseudonymous ids are replaced by the
    content of the record they name. Two people with one signature cannot be told apart
    in the export.

    Example:
        >>> from sw_volunteer.models import Centre, Client
        >>> net = Network(centres=[Centre(id="c", name="C")],
        ...               clients=[Client(id="a", name="x", centre="c"),
        ...                        Client(id="b", name="y", centre="c")])
        >>> sig = release_signatures(net, kept_ids=("centres",))
        >>> sig["a"] == sig["b"]
        True
    """
    person_ids = {e.id for name in people for e in getattr(network, name)}
    pseudonymous = {
        e.id for name in network.collections if name not in kept_ids for e in getattr(network, name)
    }
    records = {e.id: (type(e).__name__, _dump(e)) for e in network.entities()}
    content: dict[str, str] = {}
    for eid, (kind, dumped) in records.items():
        if eid not in person_ids and eid in pseudonymous:
            content[eid] = _canonical([kind, _scrub(dumped, "", person_ids, {})])
    naming: dict[str, list[str]] = defaultdict(list)
    for eid, (_kind, dumped) in records.items():
        for named in _ids_in(dumped, person_ids):
            naming[named].append(eid)
    out: dict[str, str] = {}
    for pid in sorted(person_ids):
        kind, dumped = records[pid]
        own = _scrub(dumped, pid, person_ids, content)
        related = sorted(
            _canonical([records[r][0], _scrub(records[r][1], pid, person_ids, content)])
            for r in set(naming[pid]) - {pid}
        )
        out[pid] = _canonical([kind, own, related])
    return out


def group_sizes(signatures: Mapping[str, str]) -> dict[str, int]:
    """For each person, how many released people (themselves included) share their signature."""
    counts = Counter(signatures.values())
    return {pid: counts[sig] for pid, sig in signatures.items()}


_NOT_LINKING = frozenset({Sensitivity.IDENTIFYING, Sensitivity.FREE_TEXT})


def _dump(entity: Entity) -> dict[str, Any]:
    tags = sensitive_fields(type(entity))
    # pseudonyms differ from key to key and free text is dropped: neither links anyone
    hidden = {"id", *(n for n, t in tags.items() if t in _NOT_LINKING)}
    return entity.model_dump(mode="json", exclude=hidden)


def _scrub(value: Any, self_id: str, people: Collection[str], content: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        if value == self_id:
            return "SELF"
        if value in people:
            return "*"
        return content.get(value, value)
    if isinstance(value, list):
        items = [_scrub(v, self_id, people, content) for v in value]
        # a canonical order; text sorts as it is, without a JSON text per item
        return sorted(items, key=None if all(isinstance(v, str) for v in items) else _canonical)
    if isinstance(value, dict):
        return {k: _scrub(v, self_id, people, content) for k, v in value.items()}
    return value


def _ids_in(value: Any, people: Collection[str]) -> Iterable[str]:
    if isinstance(value, str):
        if value in people:
            yield value
    elif isinstance(value, list):
        for v in value:
            yield from _ids_in(v, people)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _ids_in(v, people)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
