from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

from hypothesis import given

import sw_volunteer as sv
from sw_volunteer.testing import strategies as sws


class _Tables(HTMLParser):
    """Collects the text of every table cell, row by row, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):  # noqa: ARG002 - attributes are not shown
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    parser.close()
    return parser


def _network(**info) -> sv.Network:
    return sv.Network(
        info=sv.NetworkInfo(title="瑞安 2013", **info),
        centres=[
            sv.Centre(id="liqun", name="利群社会工作服务中心"),
            sv.Centre(id="yucai", name="市育才社会工作室"),
        ],
        workers=[
            sv.SocialWorker(id="w1", name="金某", centre="liqun", certification="intermediate"),
            sv.SocialWorker(id="w2", name="李某", centre="liqun"),
            sv.SocialWorker(id="w3", name="徐某", centre="yucai", certification="assistant"),
        ],
        volunteers=[
            sv.Volunteer(id="v1", name="陈秘密", centre="liqun"),
            sv.Volunteer(id="v2", name="林秘密", centre="liqun"),
            sv.Volunteer(id="v3", name="王秘密", centre="yucai"),
        ],
        clients=[sv.Client(id="c1", name="赵秘密", centre="liqun", notes="秘密笔记")],
        supervisions=[
            sv.Supervision(
                id="s1", supervisor="w1", supervisee="v1", kind="guidance", start=date(2013, 1, 1)
            ),
            sv.Supervision(
                id="s2",
                supervisor="w1",
                supervisee="v2",
                kind="guidance",
                start=date(2012, 1, 1),
                end=date(2012, 12, 31),
            ),
            sv.Supervision(
                id="s3",
                supervisor="w1",
                supervisee="w2",
                kind="professional",
                start=date(2013, 1, 1),
            ),
        ],
    )


def test_the_html_shows_the_count_of_every_collection():
    net = _network()
    rows = _parse(net._repr_html_()).rows
    header, values = rows[0], rows[1]
    assert dict(zip(header, map(int, values), strict=True)) == net.counts()


def test_the_html_shows_supervision_coverage_per_centre():
    rows = _parse(_network()._repr_html_()).rows
    by_centre = {row[0]: row for row in rows[3:]}
    # v2's guidance ended in 2012: only v1 of liqun's two volunteers is covered now.
    assert by_centre["liqun"][2:] == ["2 (1)", "1/2 (50%)", "1/2 (50%)"]
    assert by_centre["yucai"][2:] == ["1 (1)", "0/1 (0%)", "0/1 (0%)"]


def test_coverage_is_measured_on_the_documents_as_of_date():
    rows = _parse(_network(as_of=date(2012, 6, 1))._repr_html_()).rows
    by_centre = {row[0]: row for row in rows[3:]}
    # On 2012-06-01 only s2 held; s1 and s3 had not started.
    assert by_centre["liqun"][3:] == ["1/2 (50%)", "0/2 (0%)"]


def test_the_html_never_shows_a_sensitive_field():
    html = _network()._repr_html_()
    for secret in ("陈秘密", "林秘密", "王秘密", "赵秘密", "秘密笔记"):
        assert secret not in html


def test_all_text_is_escaped():
    net = sv.Network(
        info=sv.NetworkInfo(title="<script>alert(1)</script>"),
        centres=[sv.Centre(id="c&1", name='<img src=x onerror="alert(2)">')],
    )
    parsed = _parse(net._repr_html_())
    assert "script" not in parsed.tags
    assert "img" not in parsed.tags
    cells = [cell for row in parsed.rows for cell in row]
    assert "c&1" in cells
    assert '<img src=x onerror="alert(2)">' in cells


def test_an_empty_network_still_displays():
    parsed = _parse(sv.Network()._repr_html_())
    assert parsed.rows[1] == ["0"] * len(sv.Network.collections)


_SHARE = re.compile(r"^(\d+)/(\d+)( \(\d+%\))?$")


@given(sws.networks())
def test_every_cell_is_a_count_a_share_or_a_centres_id_or_name(network):
    parsed = _parse(network._repr_html_())
    header, counts = parsed.rows[0], parsed.rows[1]
    assert dict(zip(header, map(int, counts), strict=True)) == network.counts()
    centres = {c.id: c for c in network.centres}
    rows = parsed.rows[3:]
    assert [row[0] for row in rows] == list(centres)
    for centre_id, name, workers, *shares in rows:
        assert name == centres[centre_id].name
        assert re.fullmatch(r"\d+ \(\d+\)", workers)
        assert all(_SHARE.fullmatch(share) for share in shares)


@given(sws.networks())
def test_coverage_agrees_with_the_supervisions_that_hold_on_the_as_of_date(network):
    as_of = network.info.as_of
    rows = {row[0]: row for row in _parse(network._repr_html_()).rows[3:]}
    for centre in network.centres:
        current = [
            s
            for s in network.supervisions
            if (s.is_active_on(as_of) if as_of is not None else s.end is None)
        ]
        volunteers = {v.id for v in network.volunteers if v.centre == centre.id}
        workers = {w.id for w in network.workers if w.centre == centre.id}
        guided = {s.supervisee for s in current if s.kind is sv.SupervisionKind.GUIDANCE}
        supervised = {s.supervisee for s in current if s.kind is sv.SupervisionKind.PROFESSIONAL}
        shown_guided, shown_supervised = (
            _SHARE.fullmatch(cell).groups()[:2] for cell in rows[centre.id][3:]
        )
        assert shown_guided == (str(len(volunteers & guided)), str(len(volunteers)))
        assert shown_supervised == (str(len(workers & supervised)), str(len(workers)))
