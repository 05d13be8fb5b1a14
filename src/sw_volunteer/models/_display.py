"""Rich displays of models for notebooks (``_repr_html_``).

Only counts, ids of centres and names of centres are shown: never a field tagged
sensitive, so a notebook that displays a network cannot leak who the clients are.
Every piece of text is escaped, because names come from user documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from sw_volunteer.models._entities import Supervision
from sw_volunteer.vocab import SupervisionKind

if TYPE_CHECKING:
    from sw_volunteer.models._network import Network

__all__ = ["CentreCoverage", "network_html", "supervision_coverage"]


def _current(supervision: Supervision, as_of: date | None) -> bool:
    if as_of is not None:
        return supervision.is_active_on(as_of)
    return supervision.end is None


@dataclass(frozen=True, slots=True)
class CentreCoverage:
    """How many of a centre's people have a current supervisor."""

    centre: str
    volunteers_guided: int
    volunteers: int
    workers_supervised: int
    workers: int


def supervision_coverage(network: Network) -> tuple[CentreCoverage, ...]:
    """How many volunteers and social workers of each centre have a current supervisor.

    A supervision is current when it holds on ``network.info.as_of``, or, when the
    document has no ``as_of`` date, when it has not ended. Volunteers count as covered
    by a ``guidance`` supervision, social workers by a ``professional`` one.

    Example:
        >>> from datetime import date
        >>> from sw_volunteer.models import Centre, Network, SocialWorker, Supervision
        >>> from sw_volunteer.models import Volunteer
        >>> net = Network(
        ...     centres=[Centre(id="liqun", name="利群")],
        ...     workers=[SocialWorker(id="w1", name="金某", centre="liqun")],
        ...     volunteers=[
        ...         Volunteer(id="v1", name="陈某", centre="liqun"),
        ...         Volunteer(id="v2", name="林某", centre="liqun"),
        ...     ],
        ...     supervisions=[
        ...         Supervision(id="s1", supervisor="w1", supervisee="v1",
        ...                     kind="guidance", start=date(2013, 1, 1)),
        ...     ],
        ... )
        >>> supervision_coverage(net)
        (CentreCoverage(centre='liqun', volunteers_guided=1, volunteers=2, \
workers_supervised=0, workers=1),)
    """
    as_of = network.info.as_of
    covered: dict[SupervisionKind, set[str]] = {kind: set() for kind in SupervisionKind}
    for supervision in network.supervisions:
        if _current(supervision, as_of):
            covered[supervision.kind].add(supervision.supervisee)
    guided, supervised = covered[SupervisionKind.GUIDANCE], covered[SupervisionKind.PROFESSIONAL]
    coverage = []
    for centre in network.centres:
        volunteers = [v.id for v in network.volunteers if v.centre == centre.id]
        workers = [w.id for w in network.workers if w.centre == centre.id]
        coverage.append(
            CentreCoverage(
                centre=centre.id,
                volunteers_guided=sum(v in guided for v in volunteers),
                volunteers=len(volunteers),
                workers_supervised=sum(w in supervised for w in workers),
                workers=len(workers),
            )
        )
    return tuple(coverage)


def _row(cells: Iterable[object], *, header: bool = False) -> str:
    tag = "th" if header else "td"
    return "<tr>" + "".join(f"<{tag}>{escape(str(c))}</{tag}>" for c in cells) + "</tr>"


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole}" if whole == 0 else f"{part}/{whole} ({part / whole:.0%})"


def network_html(network: Network) -> str:
    """An HTML summary of ``network``: counts per collection and supervision coverage.

    Example:
        >>> from sw_volunteer.models import Centre, Network
        >>> html = network_html(Network(centres=[Centre(id="c<1>", name="A & B")]))
        >>> "A &amp; B" in html and "c&lt;1&gt;" in html and "<b>" not in html
        True
    """
    title = network.info.title or "Network"
    as_of = network.info.as_of
    parts = [f"<div><strong>{escape(title)}</strong>"]
    if as_of is not None:
        parts.append(f" <small>as of {escape(as_of.isoformat())}</small>")
    counts = network.counts()
    parts.append("<table>")
    parts.append(_row(counts, header=True))
    parts.append(_row(counts.values()))
    parts.append("</table>")
    if network.centres:
        coverage = {c.centre: c for c in supervision_coverage(network)}
        parts.append("<table>")
        parts.append(
            _row(
                (
                    "centre",
                    "name",
                    "social workers (certified)",
                    "volunteers guided",
                    "social workers supervised",
                ),
                header=True,
            )
        )
        for centre in network.centres:
            workers = [w for w in network.workers if w.centre == centre.id]
            certified = sum(w.certification.is_certified for w in workers)
            parts.append(
                _row(
                    (
                        centre.id,
                        centre.name,
                        f"{len(workers)} ({certified})",
                        _share(
                            coverage[centre.id].volunteers_guided, coverage[centre.id].volunteers
                        ),
                        _share(coverage[centre.id].workers_supervised, coverage[centre.id].workers),
                    )
                )
            )
        parts.append("</table>")
    parts.append("</div>")
    return "".join(parts)
