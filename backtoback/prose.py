"""Numbers for the prose: computed from the data at build time and glued into the text.

``prose.glue("name", value)`` in a (hidden) cell, then ``{glue:text}`name:.1f``` in the text.
The value is converted to a plain Python number first, so format specs like ``:.1f`` work.
"""

from __future__ import annotations

import datetime as dt
import numbers

from myst_nb import glue as _glue


def plain(value):
    """A numpy/pandas scalar as a plain Python int, float or str."""
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value


def glue(name: str, value) -> object:
    """Glue ``value`` (as a plain Python scalar) under ``name`` without displaying it here."""
    value = plain(value)
    _glue(name, value, display=False)
    return value


def long_date(day: dt.date) -> str:
    """A date as the book writes it: '1 December 2026'."""
    return f"{day.day} {day:%B %Y}"
