"""The Rui'an dataset holds every figure of the 2013 article."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import sw_volunteer as sv
from sw_volunteer.vocab import CertificationLevel, ClientNeed, Setting

GENERATOR = Path(__file__).resolve().parents[2] / "tools" / "make_ruian_dataset.py"


def _by_centre(items, centre):
    return [i for i in items if i.centre == centre]


def test_the_city_context():
    net = sv.datasets.ruian_2013()
    assert net.info.certified_social_workers_in_region == 579
    assert net.info.region == "瑞安市"


def test_liqun_has_six_workers_and_thirty_trainees_in_rehabilitation():
    net = sv.datasets.ruian_2013()
    assert len(_by_centre(net.workers, "liqun")) == 6
    trainees = _by_centre(net.clients, "liqun")
    assert len(trainees) == 30
    rehab = {ClientNeed.PSYCHIATRIC_REHABILITATION, ClientNeed.INTELLECTUAL_DISABILITY}
    assert all(c.needs and c.needs <= rehab for c in trainees)
    assert len(_by_centre(net.volunteers, "liqun")) >= 20  # a fixed team


def test_the_farm_outing_matches_the_article():
    net = sv.datasets.ruian_2013()
    outing = net.activity("liqun-farm-2013-11-18")
    assert outing.setting is Setting.OUTING
    assert outing.location == "平阳"
    assert outing.start.date() == date(2013, 11, 18)
    assert outing.start.hour >= 12  # "yesterday afternoon"
    assert outing.workers == {w.id for w in _by_centre(net.workers, "liqun")}
    assert 20 < len(outing.volunteers) < 30  # "20多名义工"
    assert 20 < len(outing.clients) < 30  # "20多名学员"
    assert net.programme(outing.programme).name == "农疗"


def test_huaxia_has_nine_workers_five_certified():
    net = sv.datasets.ruian_2013()
    workers = _by_centre(net.workers, "huaxia")
    assert len(workers) == 9
    assert sum(w.certification.is_certified for w in workers) == 5
    play = [p for p in net.programmes if "午夜阳光" in p.name]
    assert len(play) == 1
    performers = {
        net.volunteer(v).affiliation_kind
        for a in net.activities
        if a.programme == play[0].id
        for v in a.volunteers
    }
    assert performers == {sv.vocab.AffiliationKind.SCHOOL, sv.vocab.AffiliationKind.ANTI_DRUG_STAFF}


def test_yucai_has_four_certified_workers_and_seventy_eight_volunteers():
    net = sv.datasets.ruian_2013()
    workers = _by_centre(net.workers, "yucai")
    assert len(workers) == 4
    assert all(w.certification >= CertificationLevel.ASSISTANT for w in workers)
    assert len(_by_centre(net.volunteers, "yucai")) == 78
    assert net.centre("yucai").kind is sv.CentreKind.COMMUNITY_STUDIO


def test_the_named_projects_exist():
    names = {p.name for p in sv.datasets.ruian_2013().programmes}
    assert "爱暖空巢·空巢老人社会工作服务项目" in names
    assert any(name.startswith("快乐四点半") for name in names)


def test_the_four_thirty_school_runs_on_a_weekday_afternoon_with_youth_volunteers():
    net = sv.datasets.ruian_2013()
    sessions = [a for a in net.activities if a.programme == "yucai-430"]
    assert sessions
    for session in sessions:
        assert session.start.weekday() < 5
        assert (session.start.hour, session.start.minute) == (16, 30)
        ages = [net.volunteer(v).age_on(session.start.date()) for v in session.volunteers]
        assert any(age is not None and age < 25 for age in ages)


def test_every_volunteer_is_guided_by_a_certified_social_worker():
    net = sv.datasets.ruian_2013()
    guides = {s.supervisee: s.supervisor for s in net.supervisions if s.kind == "guidance"}
    assert set(guides) == {v.id for v in net.volunteers}
    assert all(net.worker(w).certification.is_certified for w in guides.values())


def test_the_committed_file_is_what_the_generator_writes():
    spec = importlib.util.spec_from_file_location("make_ruian_dataset", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.OUT.read_text(encoding="utf-8") == module.render()
