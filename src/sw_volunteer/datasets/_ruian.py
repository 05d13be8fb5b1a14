"""The Rui'an (瑞安) network of November 2013, the case the project grew from."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from sw_volunteer.io import loads
from sw_volunteer.models import Network

__all__ = ["ruian_2013"]


@cache
def _load() -> Network:
    text = files(__package__).joinpath("ruian_2013.yaml").read_text(encoding="utf-8")
    return loads(text, format="yaml", source="ruian_2013.yaml")


def ruian_2013() -> Network:
    """The Rui'an network of November 2013 (placeholder: filled in by the dataset commit)."""
    return _load()
