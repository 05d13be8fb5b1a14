"""Testing support for users of sw_volunteer (install the ``testing`` extra).

[`sw_volunteer.testing.strategies`][sw_volunteer.testing.strategies] holds hypothesis strategies for
every model, for valid networks and for documents with planted defects.
"""
