"""Phrasing shared by the trade pages: months, lists and periods as they read in a sentence."""

from __future__ import annotations

import pandas as pd

MONTHS = (
    "January February March April May June July August September October November December".split()
)


def month_words(month: pd.Timestamp) -> str:
    """'February 2022'."""
    return month.strftime("%B %Y")


def fmt_list(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def period_words(year: int, period: str) -> str:
    """A data file's period as it reads in a sentence: 'Jan-Jun', 2021 -> 'the first half of 2021'."""
    if period == "Jan-Dec":
        return str(year)
    if period in ("Q1", "Jan-Mar"):
        return f"the first quarter of {year}"
    if period == "Jan-Jun":
        return f"the first half of {year}"
    first, _, last = period.partition("-")
    names = {m[:3]: m for m in MONTHS}
    if last:
        return f"{names[first]} to {names[last]} {year}"
    return f"{names[first]} {year}"
