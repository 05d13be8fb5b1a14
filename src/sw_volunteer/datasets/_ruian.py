"""The Rui'an (瑞安) network of November 2013, the case the project grew from."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from sw_volunteer.io import loads
from sw_volunteer.models import Network

__all__ = ["ruian_2013"]


@cache
def _load() -> Network:
    data = files(__package__).joinpath("ruian_2013.yaml").read_bytes()
    # The package's own data: the size limit set for documents from outside is not its.
    return loads(data, format="yaml", source="ruian_2013.yaml", max_bytes=len(data))


def ruian_2013() -> Network:
    """The Rui'an (瑞安市, Zhejiang) "社工+义工" network of November 2013.

    Built from a report in 瑞安日报 (reposted 2013-11-19) on how the city's few certified
    social workers lead much larger volunteer teams. The network is immutable, so the
    same object is returned on every call.

    **From the article** (each figure holds in the data; the test suite checks them):

    - the city had only **579** certified social workers (``info``);
    - 瑞安市利群社会工作服务中心 (``liqun``): **6** social workers, a fixed volunteer team,
      **30** trainees (学员) with mental illness or intellectual disability; the farm-therapy
      (农疗) outing to 平阳 on the afternoon of **2013-11-18**, where the 6 social workers
      and **20-odd** volunteers took **20-odd** trainees to the fields;
    - 瑞安市华夏之家社会工作服务中心 (``huaxia``): **9** social workers, **5** with the national
      qualification; drug-rehabilitation counselling and elderly help; the anti-drug play
      《午夜阳光》 performed by student and anti-drug-staff volunteers;
    - the projects 爱暖空巢·空巢老人社会工作服务项目 and 快乐四点半;
    - 瑞安市育才社会工作室 (``yucai``), the first community social-work studio in Wenzhou:
      **4** certified social workers and **78** volunteers; social assistance, community
      correction, community education; the free "4:30 school" on weekday afternoons in
      the community office building, where youths volunteer.

    **Chosen** (synthetic, plausible, and documented in ``tools/make_ruian_dataset.py``):
    every individual and their dates; certification levels (one ``intermediate``
    supervisor per centre, the rest assistants or uncertified); 24 volunteers at 利群
    (22 on the outing) and 22 trainees on it; 18 trainees in psychiatric rehabilitation
    and 12 with intellectual disability; 10 student (4 of them aged 16-17) and 6
    anti-drug-staff volunteers at 华夏之家; 25 drug-rehabilitation clients and 40
    empty-nest elderly; 48 youth volunteers at 育才 (20 aged 14-17), 40 children at the
    4:30 school (18 aged 6-8, 22 aged 9-12); the supervision edges (each certified
    worker guides 3-22 volunteers); case assignments (5 trainees per 利群 worker);
    supervision sessions from September to November 2013 (the article mentions none:
    about 2 hours a month for every social worker, the three supervisors supervised by
    a Hong Kong supervisor or a university teacher, the others in group sessions by
    their centre's supervisor); continuing-education courses of the certified workers
    and the induction of 利群's volunteers.
    A few realistic gaps are left in on purpose, so that a check has something to say:
    two volunteers on the outing whose accident insurance lapsed, one 14-17-year-old
    volunteer without a guardian's consent, one worker guiding 22 volunteers, an
    empty-nest home visit led by an uncertified social worker (``huaxia-w06``), and
    under-18 volunteers at the 4:30 school registered without a background check;
    ``huaxia-w09`` missing a supervision session in November (1 hour of the 2), and
    ``huaxia-w04`` 24 hours short of continuing education for the registration period
    ending 2014-05-31 (seen by a check on or after 2014-06-01).

    **Service records** (chosen): the 4:30 school's volunteers' records of the autumn
    term (2013-09-02 to 2014-01-17) and those of the 平阳 outing, each with the items
    the 2012 《志愿服务记录办法》 (in force then) asks for: content, place, recipients,
    evaluation, the person in charge and the recorder. The slips a records check should
    catch: a record entered twice, one for a Saturday without a session, and one outing
    record that counts the ride home; one outing record noting its travel (not counted);
    and two records corrected on request, with the reason (the original values stay).

    Names follow the reporting style "surname + 某"; no real person is described.

    Example:
        >>> net = ruian_2013()
        >>> net.info.certified_social_workers_in_region
        579
        >>> outing = net.activity("liqun-farm-2013-11-18")
        >>> len(outing.workers), outing.location
        (6, '平阳')
    """
    return _load()
