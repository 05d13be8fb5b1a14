"""Readable summaries of a network and of a simulation, in English or Chinese."""

from __future__ import annotations

import math
import unicodedata

from sw_volunteer import datasets  # noqa: F401 - used by the examples
from sw_volunteer import simulation as sim
from sw_volunteer.models import Network
from sw_volunteer.vocab import Lang, SupervisionKind

__all__ = ["simulation_figures", "summarise", "summarise_simulation"]


def summarise(network: Network, lang: Lang = "en") -> str:
    """A readable summary: centres, staff, volunteers, clients, supervision coverage.

    ``lang="zh"`` words it in Chinese (社工, 持证社工, 志愿者, 服务对象, 督导).

    Example:
        >>> print(summarise(datasets.ruian_2013(), "zh").splitlines()[4])
          社工 6 名（持证 4 名），志愿者 24 名，服务对象 30 名，项目 2 个
    """
    zh = lang == "zh"
    lines = [network.info.title or ("服务网络" if zh else "Network")]
    if network.info.certified_social_workers_in_region is not None:
        region = network.info.region or ("本地区" if zh else "the region")
        count = network.info.certified_social_workers_in_region
        lines.append(
            f"{region}：持证社工共 {count} 名"
            if zh
            else f"{region}: {count} certified social workers in all"
        )
    guided = {s.supervisee for s in network.supervisions if s.kind is SupervisionKind.GUIDANCE}
    supervised = {
        s.supervisee for s in network.supervisions if s.kind is SupervisionKind.PROFESSIONAL
    }
    for centre in network.centres:
        workers = [w for w in network.workers if w.centre == centre.id]
        certified = sum(w.certification.is_certified for w in workers)
        volunteers = [v for v in network.volunteers if v.centre == centre.id]
        clients = sum(c.centre == centre.id for c in network.clients)
        programmes = [p for p in network.programmes if p.centre == centre.id]
        covered = sum(v.id in guided for v in volunteers)
        under = sum(w.id in supervised for w in workers)
        lines.append("")
        if zh:
            lines.append(f"{centre.name} [{centre.id}]（{centre.kind.label('zh')}）")
            lines.append(
                f"  社工 {len(workers)} 名（持证 {certified} 名），志愿者 {len(volunteers)} 名，"
                f"服务对象 {clients} 名，项目 {len(programmes)} 个"
            )
            lines.append(
                f"  有指导社工的志愿者：{covered}/{len(volunteers)}；"
                f"接受专业督导的社工：{under}/{len(workers)}"
            )
            continue
        lines.append(f"{centre.name} [{centre.id}] ({centre.kind.label('en')})")
        lines.append(
            f"  social workers {len(workers)} ({certified} certified), "
            f"volunteers {len(volunteers)}, clients {clients}, programmes {len(programmes)}"
        )
        lines.append(
            f"  volunteers with a guiding social worker: {covered}/{len(volunteers)}; "
            f"social workers under professional supervision: {under}/{len(workers)}"
        )
    return "\n".join(lines)


_SIMULATION_LINES = (
    ("volunteers", "volunteers on the rosters", "在册志愿者"),
    ("certified_workers", "certified social workers", "持证社工"),
    ("share_within_ratio", "share of sessions within every limit", "各项配比均达标的活动场次占比"),
    ("supervision_breaches", "centres breaching a supervision span", "督导幅度超限的机构"),
    ("clients_waiting", "clients on waiting lists", "轮候服务对象"),
    ("client_hours_unserved", "client-hours not served a week", "每周未获服务的服务对象小时数"),
    ("volunteer_hours", "volunteer hours a week", "每周志愿服务时长（小时）"),
    ("leverage", "service hours per social-worker hour", "每社工小时带动的服务时长"),
)
"""Metric, English label, Chinese label."""


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded to ``width`` columns, a Chinese character counting two."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(width - used, 0)
    return fill + text if right else text + fill


def summarise_simulation(result: sim.SimulationResult, lang: Lang = "en") -> str:
    """Key figures of a simulation: mean over the horizon with its 95% CI, and the last week.

    ``lang="zh"`` words it in Chinese (均值, 95% 置信区间, 最后一周).

    Example:
        >>> scenario = sim.Scenario(weeks=4, centres=[sim.CentreStart(
        ...     id="liqun", workers=sim.WorkerCounts(assistant=5, intermediate=1),
        ...     volunteers=20, clients=30, places=30, need="psychiatric_rehabilitation")])
        >>> result = sim.run(scenario, replications=5, seed=2013)
        >>> lines = summarise_simulation(result).splitlines()
        >>> for part in lines[0].split("; "):
        ...     print(part)
        5 replications x 4 weeks, 1 centres
        rule pack cn-default 2024.2
        seed 2013
        sessions staffed by even spreading
        >>> lines[1].split()
        ['mean', '95%', 'CI', 'last', 'week']
        >>> print(lines[2])  # doctest: +ELLIPSIS
          volunteers on the rosters  ...  to ...
        >>> print(summarise_simulation(result, "zh").splitlines()[2])  # doctest: +ELLIPSIS
          在册志愿者  ...  至 ...
        >>> summarise_simulation(result, "zh").splitlines()[0].split("；")[-1]
        '排班方式 均衡分配'
    """
    scenario = result.scenario
    if lang == "zh":
        pack = f"规则包 {scenario.rule_pack} {scenario.rule_pack_version}；"
        heading = (
            f"重复模拟 {result.replications} 次 × {result.weeks} 周，"
            f"机构 {len(result.centre_ids)} 个；{pack if scenario.rule_pack else ''}"
            f"随机种子 {result.seed[0]}；排班方式 {result.policy_label('zh')}"
        )
        to, columns = " 至 ", ("均值", "95% 置信区间", "最后一周")
    else:
        pack = f"rule pack {scenario.rule_pack} {scenario.rule_pack_version}; "
        heading = (
            f"{result.replications} replications x {result.weeks} weeks, "
            f"{len(result.centre_ids)} centres; {pack if scenario.rule_pack else ''}"
            f"seed {result.seed[0]}; sessions staffed by {result.policy_label()}"
        )
        to, columns = " to ", ("mean", "95% CI", "last week")
    mean, ci, last = columns
    lines = [
        heading,
        "  "
        + " " * 40
        + _pad(mean, 10, right=True)
        + _pad(ci, 22, right=True)
        + _pad(last, 12, right=True),
    ]
    for metric, label_en, label_zh in _SIMULATION_LINES:
        summary = result.summary(metric)
        low, high = summary.overall_ci
        label = label_zh if lang == "zh" else label_en
        lines.append(
            f"  {_pad(label, 40)}{summary.overall_mean:>10.3g}"
            f"{f'{low:.3g}{to}{high:.3g}':>22}{summary.mean[-1]:>12.3g}"
        )
    return "\n".join(lines)


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def simulation_figures(result: sim.SimulationResult) -> dict[str, object]:
    """The figures ``summarise_simulation`` prints, as JSON values (NaN as null)."""
    figures: dict[str, object] = {}
    for metric, _, _ in _SIMULATION_LINES:
        summary = result.summary(metric)
        low, high = summary.overall_ci
        figures[metric] = {
            "mean": _number(summary.overall_mean),
            "ci_low": _number(low),
            "ci_high": _number(high),
            "last_week": _number(float(summary.mean[-1])),
        }
    return {
        "replications": result.replications,
        "weeks": result.weeks,
        "centres": list(result.centre_ids),
        "seed": result.seed[0],
        "rule_pack": result.scenario.rule_pack,
        "policy": result.policy,
        "figures": figures,
    }
