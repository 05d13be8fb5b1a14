from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

os.environ["MPLBACKEND"] = "Agg"

pytest.importorskip("matplotlib")

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "make_figures.py"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_the_script_writes_one_png_of_each_kind(tmp_path: Path, capsys) -> None:
    main = runpy.run_path(str(SCRIPT))["main"]
    assert main([str(tmp_path / "figures")]) == 0
    written = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert written == ["compliance_heatmap.png", "fan_chart.png", "supervision_graph.png"]
    for name in written:
        data = (tmp_path / "figures" / name).read_bytes()
        assert data.startswith(PNG_MAGIC)
        assert len(data) > 10_000  # a drawn figure, not an empty canvas
    assert capsys.readouterr().out.count(".png") == 3
