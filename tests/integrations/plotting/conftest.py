"""Figures are rendered headless: the Agg backend, and every figure closed after a test."""

from __future__ import annotations

import os

os.environ["MPLBACKEND"] = "Agg"

from collections.abc import Iterator

import matplotlib as mpl
import pytest

mpl.use("Agg")

import matplotlib.pyplot as plt


@pytest.fixture(autouse=True)
def _close_figures(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def no_show(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a plotting function called plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    yield
    plt.close("all")
