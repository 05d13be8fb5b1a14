"""Example networks shipped as package data."""

from sw_volunteer.datasets._ruian import ruian_2013
from sw_volunteer.datasets._small import after_school_session

__all__ = ["after_school_session", "ruian_2013"]
