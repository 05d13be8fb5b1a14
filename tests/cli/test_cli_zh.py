"""``--lang zh``: the demo and the sessions command print no English words.

Ids, rule codes and rule ids (snake_case, dotted, with a digit or a hyphen, or an id of
the dataset), ISO dates, times and numbers are identifiers, not English; they are removed
before looking for English words of three or more letters.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sw_volunteer import datasets, dump
from sw_volunteer.cli import main
from sw_volunteer.models import ServiceRecord
from sw_volunteer.rules import check_schedule, schedule_report

_TOKEN = re.compile(r"[A-Za-z0-9_.\-@:/+%]+")
_WORD = re.compile(r"[A-Za-z]{3,}")
_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_SHANGHAI = ZoneInfo("Asia/Shanghai")
_WEEK = (datetime(2013, 11, 18, tzinfo=_SHANGHAI), datetime(2013, 11, 23, tzinfo=_SHANGHAI))


_IDS = frozenset(e.id for e in datasets.ruian_2013().entities())
"""The dataset's ids: a centre's id (``liqun``) is a word of letters but not English."""


def english_words(text: str) -> list[str]:
    """The English words left once identifiers, dates, times and numbers are removed."""
    words: list[str] = []
    for token in _TOKEN.findall(text):
        if re.search(r"[\d_.\-]", token) or token in _IDS:
            continue  # an id, a rule code or id, a date, a time or a number
        words.extend(_WORD.findall(token))
    return words


def test_english_words_finds_words_and_skips_identifiers():
    text = "中心 liqun 志愿者 yucai-v07（缺勤） no_certified_worker [session.adults_present] ok"
    assert english_words(text + " 2013-11-20 16:30 SHORT") == ["SHORT"]


@cache
def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out, err=io.StringIO())
    return code, out.getvalue()


@pytest.fixture(scope="module")
def network_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("zh") / "ruian.yaml"
    dump(datasets.ruian_2013(), path)
    return path


def sessions(path: Path, lang: str) -> str:
    code, text = run("sessions", str(path), "--start", "2013-11-18", "--days", "5", "--lang", lang)
    assert code == 0
    return text


def test_demo_in_chinese_has_no_english_words():
    code, text = run("demo", "--lang", "zh")
    assert code == 0
    left = english_words(text)
    assert not left, f"English words in `demo --lang zh`: {sorted(set(left))}"
    for term in ("社工", "持证社工", "志愿者", "服务对象", "督导", "服务时长"):
        assert term in text


def test_sessions_in_chinese_has_no_english_words(network_file: Path):
    text = sessions(network_file, "zh")
    left = english_words(text)
    assert not left, f"English words in `sessions --lang zh`: {sorted(set(left))}"


def test_chinese_sessions_say_what_the_english_ones_say(network_file: Path):
    zh, en = sessions(network_file, "zh"), sessions(network_file, "en")
    statuses = check_schedule(datasets.ruian_2013(), *_WEEK)
    short = sum(not s.ok for s in statuses)
    assert short > 0  # the week has short sessions, so the words for them are exercised
    assert f"活动场次 2013-11-18 至 2013-11-22：共 {len(statuses)} 场" in zh
    assert f"  {len(statuses)} 场中有 {short} 场存在不合规（须整改）项" in zh
    assert zh.count("人手不足：") == short
    assert zh.count("[不合规（须整改）]") == sum(
        v.severity.value == "error" for s in statuses for v in s.violations
    )
    # One line for one line: the Chinese report keeps the English one's structure.
    assert len(zh.splitlines()) == len(en.splitlines())
    days = {s.roster.start.weekday() for s in statuses}
    for day in days:
        assert _WEEKDAYS[day] + " 2013-11-" in zh


def test_english_output_is_unchanged(network_file: Path):
    en = sessions(network_file, "en")
    statuses = check_schedule(datasets.ruian_2013(), *_WEEK)
    short = sum(not s.ok for s in statuses)
    assert en.startswith(f"Sessions 2013-11-18 to 2013-11-22: {len(statuses)}\n")
    assert f"  {short} of {len(statuses)} sessions break an error-level rule" in en
    assert en.count("-> SHORT: ") == short
    assert "\nSupervision cover 2013-11-18 to 2013-11-22:\n" in en
    assert "away: NO COVER for " in en
    assert "\nService hours recorded 2013-11-18 to 2013-11-22: " in en
    _, demo = run("demo")
    assert "  social workers 6 (4 certified), volunteers 24, clients 30, programmes 2" in demo
    assert "Staffing simulation: 26 weeks on from the network as it stands" in demo
    assert len(demo.splitlines()) == len(run("demo", "--lang", "zh")[1].splitlines())


def test_records_not_counted_are_explained_in_chinese():
    network = datasets.ruian_2013()
    record = next(r for r in network.service_records if _WEEK[0] <= r.start < _WEEK[1])
    twin = ServiceRecord.model_validate(
        record.model_dump()
        | {"id": f"{record.id}-twin", "start": record.start + timedelta(minutes=1)}
    )
    twice = network.with_added(twin)
    zh = schedule_report(twice, *_WEEK, lang="zh")
    en = schedule_report(twice, *_WEEK)
    assert f"  not counted: {record.id} and {twin.id}: " in en
    line = next(x for x in zh.splitlines() if x.startswith("  未计入："))
    assert line.startswith(f"  未计入：{record.id}、{twin.id}：志愿者 {record.volunteer} ")
    assert "时间重叠" in line
    assert not english_words(line)


@pytest.mark.parametrize("command", ["check", "validate"])
def test_a_document_with_problems_is_headed_in_chinese(tmp_path: Path, command: str):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "centres:\n- {id: c, name: C}\nvolunteers:\n- {id: v, name: V, centre: nope, bogus: 1}\n",
        "utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    code = main([command, str(bad), "--lang", "zh"], out=out, err=err)
    assert code == 1
    text = out.getvalue() + err.getvalue()
    assert f"{bad}：发现 2 个结构问题" in text
    assert "problems in" not in text
    assert "volunteers[0].bogus" in text  # the problems themselves: nothing lost
    assert "volunteers[0].centre" in text
