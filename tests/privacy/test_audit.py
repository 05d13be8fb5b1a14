"""The suppression passes its own audit: no hidden cell worked out, none shown to be small."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_volunteer as sv
from sw_volunteer.errors import InputError
from sw_volunteer.models import Centre, Client, Network, SocialWorker, Volunteer
from sw_volunteer.privacy import Relation, aggregate, audit, audit_counts, suppress
from sw_volunteer.vocab import CertificationLevel, ClientNeed

ON = date(2013, 11, 18)
IDENTITY = ("centre", "role", "dimension", "category")


def _clients(needs: list[set[ClientNeed]], born: date = date(1980, 5, 1)) -> Network:
    return Network(
        centres=[Centre(id="liqun", name="利群")],
        clients=[
            Client(id=f"c{i}", name=f"C{i}", centre="liqun", birth_date=born, needs=frozenset(n))
            for i, n in enumerate(needs)
        ],
    )


def test_eight_clients_seven_psychiatric_one_drug() -> None:
    psychiatric, drug = ClientNeed.PSYCHIATRIC_REHABILITATION, ClientNeed.DRUG_REHABILITATION
    table = aggregate(_clients([{psychiatric}] * 7 + [{drug}]), on=ON)
    cells = {
        c.category: c
        for c in table.cells
        if c.role == "client" and c.dimension in {"total", "need"}
    }
    assert cells["drug_rehabilitation"].count is None
    # the total minus the shown need cells no longer gives the hidden one
    shown = sum(c.count or 0 for c in cells.values() if c.category != "all")
    hidden = [c.category for c in cells.values() if c.count is None]
    assert cells["all"].count == 8
    assert len(hidden) >= 2
    result = audit(table)
    ranges = {r.cell[3]: (r.lower, r.upper) for r in result.ranges}
    # two or more hidden cells share what the shown ones leave: each is 1 to the rest
    left = 8 - shown
    assert ranges["drug_rehabilitation"] == (1, left - (len(hidden) - 1))
    assert result.passed
    assert result.recovered == ()


def test_a_total_of_six_split_five_and_one_gives_neither_away() -> None:
    psychiatric, drug = ClientNeed.PSYCHIATRIC_REHABILITATION, ClientNeed.DRUG_REHABILITATION
    table = aggregate(_clients([{psychiatric}] * 5 + [{drug}]), on=ON)
    records = {
        r["category"]: r for r in json.loads(table.to_json())["cells"] if r["dimension"] == "need"
    }
    small, complement = records["drug_rehabilitation"], records["psychiatric_rehabilitation"]
    assert small["count"] is None
    assert complement["count"] is None
    # the published mark of the small cell and of its complement is the same
    assert {k: v for k, v in small.items() if k not in IDENTITY} == {
        k: v for k, v in complement.items() if k not in IDENTITY
    }
    assert "relations" not in json.loads(table.to_json())  # kept for the audit only
    csv_rows = [line.split(",") for line in table.to_csv().splitlines()]
    header = csv_rows[0]
    marks = {row[header.index("suppressed")] for row in csv_rows[1:]}
    assert marks == {"true", "false"}
    assert audit(table).passed


def test_the_ruian_data_passes_the_audit() -> None:
    for threshold in (5, 10, 20):
        table = aggregate(sv.datasets.ruian_2013(), threshold=threshold)
        result = audit(table)
        assert len(result.ranges) == sum(c.suppressed for c in table.cells) > 0
        assert result.passed, result.failures
        assert result.recovered == ()


def _centre(draw: st.DrawFn) -> Network:
    births = st.one_of(st.none(), st.dates(min_value=date(1930, 1, 1), max_value=ON))
    needs = st.sets(st.sampled_from(list(ClientNeed)[:5]), max_size=2)
    workers = [
        SocialWorker(
            id=f"w{i}",
            name=f"W{i}",
            centre="liqun",
            certification=draw(st.sampled_from(list(CertificationLevel))),
        )
        for i in range(draw(st.integers(0, 10)))
    ]
    volunteers = [
        Volunteer(id=f"v{i}", name=f"V{i}", centre="liqun", birth_date=draw(births))
        for i in range(draw(st.integers(0, 12)))
    ]
    one_need = draw(st.booleans())
    clients = [
        Client(
            id=f"c{i}",
            name=f"C{i}",
            centre="liqun",
            birth_date=draw(births),
            needs=frozenset({draw(st.sampled_from(list(ClientNeed)[:5]))})
            if one_need
            else frozenset(draw(needs)),
        )
        for i in range(draw(st.integers(0, 12)))
    ]
    return Network(
        centres=[Centre(id="liqun", name="利群")],
        workers=workers,
        volunteers=volunteers,
        clients=clients,
    )


@given(data=st.data(), threshold=st.integers(2, 8))
def test_random_centres_pass_the_audit(data: st.DataObject, threshold: int) -> None:
    network = _centre(data.draw)
    truth = {(c.centre, c.role, c.dimension, c.category): c.count for c in
             aggregate(network, threshold=1, on=ON).cells}  # fmt: skip
    table = aggregate(network, threshold=threshold, on=ON)
    for cell in table.cells:
        true = truth[cell.centre, cell.role, cell.dimension, cell.category]
        assert true is not None
        assert cell.suppressed == (cell.count is None)
        assert cell.count in {None, true}
        if 0 < true < threshold:
            assert cell.suppressed
        if true == 0:
            assert not cell.suppressed
    result = audit(table)
    assert result.passed, result.failures
    for cell_range in result.ranges:
        true = truth[cell_range.cell]
        assert true is not None
        assert cell_range.lower <= true
        assert cell_range.upper is None or true <= cell_range.upper


def test_hiding_only_the_small_cells_fails_the_audit() -> None:
    counts = {"all": 8, "a": 7, "b": 1, "c": 0}
    relations = [Relation.total("all", ["a", "b", "c"])]
    published = {k: None if 0 < v < 5 else v for k, v in counts.items()}
    result = audit_counts(published, relations, threshold=5)
    assert [r.cell for r in result.recovered] == ["b"]
    assert not result.passed
    hidden = suppress(counts, relations, threshold=5)
    result = audit_counts({k: None if k in hidden else v for k, v in counts.items()},
                          relations, threshold=5)  # fmt: skip
    assert result.passed


def test_a_two_way_table_with_margins() -> None:
    # incidents by month (rows) and kind (columns), with row, column and grand totals
    grid = [[9, 1, 12], [14, 6, 2], [7, 8, 10]]
    counts: dict[str, int] = {}
    relations: list[Relation[str]] = []
    for r, row in enumerate(grid):
        counts |= {f"r{r}c{c}": n for c, n in enumerate(row)}
        counts[f"r{r}"] = sum(row)
        relations.append(Relation.total(f"r{r}", [f"r{r}c{c}" for c in range(3)]))
    for c in range(3):
        counts[f"c{c}"] = sum(row[c] for row in grid)
        relations.append(Relation.total(f"c{c}", [f"r{r}c{c}" for r in range(3)]))
    counts["all"] = sum(map(sum, grid))
    relations.append(Relation.total("all", [f"r{r}" for r in range(3)]))
    relations.append(Relation.total("all", [f"c{c}" for c in range(3)]))
    hidden = suppress(counts, relations, threshold=5)
    assert {"r0c1", "r1c2"} <= hidden
    assert suppress(counts, relations, threshold=5) == hidden  # the same every time
    published = {k: None if k in hidden else v for k, v in counts.items()}
    result = audit_counts(published, relations, threshold=5)
    assert result.passed, result.failures
    # a lone hidden cell in a row of a two-way table cannot be protected inside the row
    assert all(sum(f"r{r}c{c}" in hidden for c in range(3)) != 1 for r in range(3))


def test_bad_tables_are_refused_with_the_cell_named() -> None:
    relation = [Relation.total("all", ["a", "b"])]
    with pytest.raises(InputError) as caught:
        suppress({"all": 5, "a": 3, "b": 3}, relation, threshold=5)
    assert caught.value.codes == ("relation_fails",)
    with pytest.raises(InputError) as caught:
        suppress({"all": 5, "a": 5}, relation, threshold=5)
    assert caught.value.codes == ("unknown_cell",)
    assert "b" in str(caught.value)
    with pytest.raises(InputError) as caught:
        suppress({"all": 5, "a": -1, "b": 6}, relation, threshold=0)
    assert set(caught.value.codes) == {"bad_count", "bad_threshold"}
    with pytest.raises(InputError) as caught:
        audit_counts({"all": 5, "a": None}, relation, threshold=5)
    assert caught.value.codes == ("unknown_cell",)
    with pytest.raises(InputError) as caught:  # a cell fixed by the relation: no escape
        suppress({"a": 2}, [Relation((("a", 1),), "==", 2)], threshold=5)
    assert caught.value.codes == ("unprotectable_cell",)


def test_importing_the_package_does_not_load_scipy() -> None:
    # SciPy is loaded by the first suppression or audit, not by the import.
    code = "import sys, sw_volunteer, sw_volunteer.privacy; print('scipy' in sys.modules)"
    ran = subprocess.run(  # noqa: S603 - the test's own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert ran.stdout.strip() == "False"


def test_ranges_without_an_upper_bound_and_tables_no_counts_agree_with() -> None:
    # "a is at least b" alone: a can be any count from b upwards
    at_least = [Relation((("a", 1), ("b", -1)), ">=")]
    result = audit_counts({"a": None, "b": 3}, at_least, threshold=5)
    assert result.ranges == (sv.privacy.CellRange("a", 3, None),)
    assert result.passed
    # two hidden counts of at least 1 each cannot add up to 1
    with pytest.raises(InputError) as caught:
        audit_counts({"all": 1, "a": None, "b": None}, [Relation.total("all", ["a", "b"])],
                     threshold=5)  # fmt: skip
    assert caught.value.codes == ("inconsistent_table",)
