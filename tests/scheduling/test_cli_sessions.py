from __future__ import annotations

import io
from importlib.resources import files

from sw_volunteer.cli import main

DATASET = str(files("sw_volunteer.datasets").joinpath("ruian_2013.yaml"))


def test_sessions_lists_the_week_with_staffing_and_remedies():
    out = io.StringIO()
    status = main(["sessions", DATASET, "--start", "2013-11-18", "--days", "5"], out=out)
    text = out.getvalue()
    assert status == 0
    assert "Sessions 2013-11-18 to 2013-11-22: 12" in text
    assert "Fri 2013-11-22 16:30-18:00 四点半学校·低年级" in text
    assert "available and qualified: yucai-w04" in text
    assert "Supervision cover 2013-11-18 to 2013-11-22" in text


def test_sessions_refuses_a_bad_day_or_zone():
    out = io.StringIO()
    assert main(["sessions", DATASET, "--start", "18/11/2013"], out=out) == 2
    assert (
        main(["sessions", DATASET, "--start", "2013-11-18", "--timezone", "Mars/Base"], out=out)
        == 2
    )


def test_the_demo_shows_the_week_of_the_article():
    out = io.StringIO()
    assert main(["demo"], out=out) == 0
    assert "Sessions 2013-11-18 to 2013-11-22" in out.getvalue()
