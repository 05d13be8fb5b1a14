"""``demo``: the embedded Rui'an 2013 network summarised, checked, scheduled, simulated."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sw_volunteer import datasets
from sw_volunteer import simulation as sim
from sw_volunteer.cli._common import EXIT_OK, Context, SubParsers, add_format, add_lang
from sw_volunteer.cli._summary import simulation_figures, summarise, summarise_simulation
from sw_volunteer.models import Network
from sw_volunteer.paperwork import ServiceCertificate, project_forecast, service_certificate
from sw_volunteer.rules import check, schedule_report

_SHANGHAI = ZoneInfo("Asia/Shanghai")

DEMO_CERTIFICATE = ("yucai-v03", date(2013, 9, 2), date(2014, 1, 17))
"""The volunteer and term of the demo's certificate (the 4:30 school's autumn term)."""

DEMO_PROJECT = "proj-happy-430"
"""The funded project whose progress the demo prints (快乐四点半)."""


def demo_certificate(network: Network) -> ServiceCertificate:
    """One volunteer's 志愿服务记录证明 for the autumn term of 2013."""
    volunteer, start, until = DEMO_CERTIFICATE
    return service_certificate(
        network,
        volunteer,
        start=start,
        until=until,
        number="育才志证〔2014〕001号",  # CHOSEN: the studio's numbering
        issued=until + timedelta(days=3),
    )


def register(sub: SubParsers) -> None:
    """Add ``demo``."""
    demo = sub.add_parser("demo", help="summarise the embedded Rui'an 2013 network")
    add_lang(demo)
    add_format(demo)
    demo.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:  # noqa: ARG001 - no arguments of its own
    """Print the summary, the rule report, a week of sessions and a 26-week simulation."""
    network = datasets.ruian_2013()
    report = check(network)
    scenario = sim.Scenario.from_network(network, weeks=26)
    if ctx.json:
        result = sim.run(scenario, replications=200, seed=2013)
        document = {
            "network": network.counts(),
            "check": json.loads(report.to_json()),
            "simulation": simulation_figures(result),
            "certificate": demo_certificate(network).model_dump(mode="json"),
            "project": project_forecast(network, DEMO_PROJECT).to_dict(),
        }
        ctx.result("", document)
        return EXIT_OK
    out, lang = ctx.out, ctx.lang
    print(summarise(network, lang), file=out)
    print(file=out)
    print(report.render(lang), file=out)
    print(file=out)
    week = (datetime(2013, 11, 18, tzinfo=_SHANGHAI), datetime(2013, 11, 23, tzinfo=_SHANGHAI))
    print(schedule_report(network, *week, lang=lang), file=out)
    result = sim.run(scenario, replications=200, seed=2013)
    print(file=out)
    if lang == "zh":
        print("人员配置模拟：以现有网络为起点，向后模拟 26 周", file=out)
    else:
        print("Staffing simulation: 26 weeks on from the network as it stands", file=out)
    print(summarise_simulation(result, lang), file=out)
    print(file=out)
    print(demo_certificate(network).summary(lang), file=out)
    print(file=out)
    print(project_forecast(network, DEMO_PROJECT).summary(lang), file=out)
    return EXIT_OK
