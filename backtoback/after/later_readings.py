"""Readings of the later meetings (2025–2026), in the same perspective switch as the readings page.

The rows live in ``data/readings.csv`` and ``data/interpretations.csv`` with ``meeting`` 2025-2026;
this module only picks them and hands them to :mod:`backtoback.readings`'s public entry points
(:func:`backtoback.readings.load` and :func:`backtoback.readings.widget`), so both pages show one design.
"""

from __future__ import annotations

from .. import readings

LATER_MEETINGS = ("2025-2026",)


def load() -> readings.Readings:
    return readings.load(meetings=LATER_MEETINGS)


def widget(book: readings.Readings | None = None):
    return readings.widget(book or load())
