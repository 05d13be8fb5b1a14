"""Example networks shipped as package data."""

from sw_volunteer.datasets._ruian import ruian_2013

__all__ = ["ruian_2013"]
