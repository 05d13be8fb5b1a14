from __future__ import annotations

import os
import warnings
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sw_volunteer.errors import InputError
from sw_volunteer.io import dumps, loads
from sw_volunteer.models import Network, Volunteer, age_on, sensitive, sensitive_fields
from sw_volunteer.models._base import REDACTED_AS_KEY
from sw_volunteer.privacy import (
    MIN_KEY_BITS,
    MIN_KEY_BYTES,
    AgeBands,
    KeyFileWarning,
    Pseudonyms,
    coarsen_birth_date,
    key_entropy_bits,
    new_key,
    pseudonymous_ids,
    read_key,
    redact,
)
from sw_volunteer.vocab import ClientNeed, Sensitivity, SupportLevel

from .conftest import KEY, OTHER_KEY, build_network


def _identifying_values(network: Network) -> set[str]:
    values: set[str] = set()
    for entity in network.entities():
        for name, kind in sensitive_fields(type(entity)).items():
            value = getattr(entity, name)
            extra = type(entity).model_fields[name].json_schema_extra
            placeholder = extra.get(REDACTED_AS_KEY) if isinstance(extra, dict) else None
            kept = value and value != placeholder  # the placeholder of a dropped item
            if kind in {Sensitivity.IDENTIFYING, Sensitivity.FREE_TEXT} and kept:
                values.update(value if isinstance(value, frozenset) else {value})
    return values


def test_no_identifying_value_or_free_text_survives(network: Network) -> None:
    secrets = _identifying_values(network)
    assert len(secrets) > 10  # the fixture really has names, numbers and notes
    document = dumps(redact(network, key=KEY, profile=None))
    assert not [s for s in secrets if s in document]


def test_personal_ids_are_pseudonymised_and_organisational_ids_kept(network: Network) -> None:
    shared = redact(network, key=KEY, profile=None)
    assert {c.id for c in shared.centres} == {"liqun", "yucai"}
    assert {w.id for w in shared.workers} == {w.id for w in network.workers}
    assert {p.id for p in shared.programmes} == {"p-rehab"}
    for name in ("volunteers", "clients", "activities", "supervisions", "assignments"):
        original = {e.id for e in getattr(network, name)}
        assert not original & {e.id for e in getattr(shared, name)}, name
    assert "v-0" not in dumps(shared)


def test_references_follow_the_pseudonyms(network: Network) -> None:
    ids = pseudonymous_ids(network, key=KEY)
    shared = redact(network, key=KEY, profile=None)
    (activity,) = shared.activities
    (original,) = network.activities
    assert activity.volunteers == {ids[v] for v in original.volunteers}
    assert activity.clients == {ids[c] for c in original.clients}
    assert activity.tasks[0].person == ids[original.tasks[0].person]
    assert shared.supervisions[0].supervisee == ids["v-0"]
    assert shared.assignments[0].client == ids["c-0"]
    # the same entity, found under its new id, is of the same kind and centre
    for entity in network.entities():
        twin = shared.get(ids[entity.id])
        assert type(twin) is type(entity)
        if hasattr(entity, "centre"):
            assert twin.centre == entity.centre  # type: ignore[attr-defined]


def test_same_key_same_pseudonyms_across_exports_other_key_unlinkable(network: Network) -> None:
    first = dumps(redact(network, key=KEY, profile=None))
    again = dumps(redact(network, key=KEY, profile=None))
    assert first == again
    # a later export with one more volunteer keeps everyone else's pseudonyms
    grown = network.with_added(Volunteer(id="v-new", name="新人", centre="liqun"))
    ids_before = pseudonymous_ids(network, key=KEY)
    ids_after = pseudonymous_ids(grown, key=KEY)
    assert all(ids_after[k] == v for k, v in ids_before.items())
    # under another key no pseudonym (of an id or of a value) is shared
    one = redact(network, key=KEY, profile=None)
    other = redact(network, key=OTHER_KEY, profile=None)
    kept = {e.id for e in network.entities() if e.id == pseudonymous_ids(network, key=KEY)[e.id]}

    def pseudonyms(net: Network) -> set[str]:
        return ({e.id for e in net.entities()} - kept) | _identifying_values(net)

    assert pseudonyms(one)
    assert not pseudonyms(one) & pseudonyms(other)


def test_two_people_with_one_name_get_different_pseudonyms(network: Network) -> None:
    twins = network.with_replaced(
        network.volunteer("v-1").model_copy(update={"name": "王芳"}),
        network.volunteer("v-2").model_copy(update={"name": "王芳"}),
    )
    ids = pseudonymous_ids(twins, key=KEY)
    shared = redact(twins, key=KEY, profile=None)
    assert shared.volunteer(ids["v-1"]).name != shared.volunteer(ids["v-2"]).name


def test_birth_dates_coarsened_to_year(network: Network) -> None:
    ids = pseudonymous_ids(network, key=KEY)
    shared = redact(network, key=KEY, profile=None)
    for person in (*network.volunteers, *network.clients):
        twin = shared.get(ids[person.id])
        assert person.birth_date is not None
        assert twin.birth_date == date(person.birth_date.year, 7, 1)  # type: ignore[attr-defined]


@given(
    birth=st.dates(min_value=date(1920, 1, 1), max_value=date(2013, 11, 18)),
    on=st.dates(min_value=date(2013, 11, 18), max_value=date(2040, 12, 31)),
)
def test_age_band_coarsening_keeps_the_band(birth: date, on: date) -> None:
    bands = AgeBands((0, 14, 18, 30, 45, 60))
    coarse = coarsen_birth_date(birth, "age_band", on=on, age_bands=bands)
    assert bands.label_of(age_on(coarse, on)) == bands.label_of(age_on(birth, on))
    assert age_on(coarse, on) == bands.representative_age(bands.index_of(age_on(birth, on)))


def test_age_band_needs_a_day(network: Network) -> None:
    undated = network.model_copy(update={"info": network.info.model_copy(update={"as_of": None})})
    with pytest.raises(InputError) as caught:
        redact(undated, key=KEY, profile=None, birth_dates="age_band")
    assert caught.value.codes == ("missing_reference_date",)
    shared = redact(undated, key=KEY, profile=None, birth_dates="age_band", on=date(2013, 11, 18))
    assert all(v.birth_date is not None for v in shared.volunteers)


def test_free_text_dropped_and_health_kept_or_dropped(network: Network) -> None:
    ids = pseudonymous_ids(network, key=KEY)
    kept = redact(network, key=KEY, profile=None)
    dropped = redact(network, key=KEY, profile=None, health="drop")
    for client in network.clients:
        assert kept.client(ids[client.id]).notes is None
        assert kept.client(ids[client.id]).needs == client.needs
        assert kept.client(ids[client.id]).support_level == client.support_level
        assert dropped.client(ids[client.id]).needs == frozenset()
        assert dropped.client(ids[client.id]).support_level == SupportLevel.MEDIUM
    assert any(c.needs == {ClientNeed.DRUG_REHABILITATION} for c in network.clients)


def test_redacted_network_round_trips(network: Network) -> None:
    shared = redact(network, key=KEY, profile=None)
    assert loads(dumps(shared)) == shared
    assert loads(dumps(shared, format="yaml"), format="yaml") == shared
    assert shared.counts() == network.counts()


class _VolunteerWithContacts(Volunteer):
    """What a contributor would add: tagged fields and nothing else."""

    phone: str | None = sensitive(Sensitivity.IDENTIFYING, description="Mobile number.")
    wechat_ids: tuple[str, ...] = sensitive(
        Sensitivity.IDENTIFYING, (), description="WeChat accounts."
    )
    home_town: str | None = sensitive(Sensitivity.QUASI_IDENTIFYING, description="Home town.")
    diary: str | None = sensitive(Sensitivity.FREE_TEXT, description="Anything.")


def test_a_newly_tagged_field_is_redacted_without_other_changes(network: Network) -> None:
    # with_replaced wants the same class, so the subclass goes in by removal and addition
    extended = network.with_removed("v-3").with_added(
        _VolunteerWithContacts(
            **network.volunteer("v-3").model_dump(),
            phone="13800000000",
            wechat_ids=("wx-secret-1", "wx-secret-2"),
            home_town="马屿镇",
            diary="met 李四 at the station",
        )
    )
    ids = pseudonymous_ids(extended, key=KEY)
    twin = redact(extended, key=KEY, profile=None).volunteer(ids["v-3"])
    assert isinstance(twin, _VolunteerWithContacts)
    assert twin.phone is not None
    assert twin.phone.startswith("phone-")
    assert len(twin.wechat_ids) == 2
    assert not {"wx-secret-1", "wx-secret-2"} & set(twin.wechat_ids)
    assert twin.home_town is None
    assert twin.diary is None


class _VolunteerWithBadTag(Volunteer):
    badge: int | None = sensitive(Sensitivity.IDENTIFYING, description="A badge number.")


def test_an_identifying_tag_on_a_number_is_reported_clearly(network: Network) -> None:
    extended = network.with_removed("v-3").with_added(
        _VolunteerWithBadTag(**network.volunteer("v-3").model_dump(), badge=42)
    )
    with pytest.raises(TypeError, match=r"_VolunteerWithBadTag\.badge is tagged identifying"):
        redact(extended, key=KEY, profile=None)


def test_weak_keys_are_refused(tmp_path) -> None:
    with pytest.raises(InputError) as caught:
        Pseudonyms(b"short")
    assert caught.value.codes == ("weak_key",)
    assert "short" not in str(caught.value)  # the key is never echoed
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY + b"\n")
    key_file.chmod(0o600)
    assert read_key(key_file) == KEY
    with pytest.raises(InputError) as missing:
        read_key(tmp_path / "absent")
    assert missing.value.codes == ("unreadable_key",)


def test_unknown_kept_collection_is_refused(network: Network) -> None:
    with pytest.raises(InputError) as caught:
        redact(network, key=KEY, keep_ids=("centres", "staff"))
    assert caught.value.codes == ("unknown_collection",)


@given(
    names=st.lists(
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12),
        min_size=9,
        max_size=9,
    ),
    key=st.binary(min_size=16, max_size=64).filter(lambda k: key_entropy_bits(k) >= MIN_KEY_BITS),
)
def test_any_names_any_key_give_a_valid_network_without_the_names(
    names: list[str], key: bytes
) -> None:
    base = build_network()
    renamed = base.with_replaced(
        *(
            v.model_copy(update={"name": f"姓名{n}"})
            for v, n in zip(base.volunteers, names, strict=True)
        )
    )
    shared = redact(renamed, key=key, profile=None)
    document = dumps(shared)
    assert not [n for n in names if f"姓名{n}" in document]
    assert len({e.id for e in shared.entities()}) == len(renamed)


@pytest.mark.parametrize(
    "key",
    [b"a" * 16, b"\x00" * 16, "瑞安社工志愿", b"abcdabcdabcdabcd", "ab" * 16],
    ids=["a*16", "NUL*16", "six-chinese-characters", "abcd*4", "ab*16"],
)
def test_keys_far_from_random_are_refused(key: bytes | str) -> None:
    with pytest.raises(InputError) as caught:
        Pseudonyms(key)
    assert caught.value.codes == ("weak_key",)
    text = key if isinstance(key, str) else key.decode("latin-1")
    assert text not in str(caught.value)


def test_random_and_generated_keys_pass() -> None:
    import os

    for _ in range(200):
        Pseudonyms(os.urandom(MIN_KEY_BYTES))
    Pseudonyms(new_key())
    Pseudonyms("瑞安市社工志愿者联动项目的密钥")  # 15 distinct characters: about 59 bits


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_key_file_others_can_read_gives_a_warning(tmp_path) -> None:
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY)
    key_file.chmod(0o644)
    with pytest.warns(KeyFileWarning, match="chmod 600") as caught:
        assert read_key(key_file) == KEY
    assert KEY.decode() not in str(caught[0].message)
    key_file.chmod(0o640)
    with pytest.warns(KeyFileWarning):
        read_key(key_file)
    key_file.chmod(0o600)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_key(key_file) == KEY


def test_dropping_health_drops_the_consents_that_would_tell_a_need() -> None:
    from sw_volunteer import check
    from sw_volunteer.datasets import ruian_2013
    from sw_volunteer.models import ClientConsent

    source = ruian_2013()

    def is_minor(client: str, day: date) -> bool:
        born = source.client(client).birth_date
        return born is not None and age_on(born, day) < 18

    kid = next(a for a in source.activities if any(is_minor(k, a.start.date()) for k in a.clients))
    minor = min(k for k in kid.clients if is_minor(k, kid.start.date()))
    network = source.with_replaced(
        kid.model_copy(
            update={"guardian_consents": (ClientConsent(client=minor, signed_on=date(2013, 1, 1)),)}
        )
    )
    adults_with_consent = {
        (a.id, c.client)
        for a in network.activities
        for c in a.guardian_consents
        if not is_minor(c.client, a.start.date())
    }
    assert adults_with_consent  # the farm outing's trainees: a consent for a need
    ids = pseudonymous_ids(network, key=KEY)
    kept = redact(network, key=KEY, profile=None)
    dropped = redact(network, key=KEY, profile=None, health="drop")
    for activity_id, client in adults_with_consent:
        consents = kept.activity(ids[activity_id]).guardian_consents
        assert ids[client] in {c.client for c in consents}
        assert ids[client] not in {
            c.client for c in dropped.activity(ids[activity_id]).guardian_consents
        }
    assert [c.client for c in dropped.activity(ids[kid.id]).guardian_consents] == [ids[minor]]
    # no verdict hangs on the dropped consents: with them put back, the check is the same
    restored = dropped
    for activity in kept.activities:
        restored = restored.with_replaced(
            restored.activity(activity.id).model_copy(
                update={"guardian_consents": activity.guardian_consents}
            )
        )
    assert restored != dropped
    assert check(restored).model_dump() == check(dropped).model_dump()
