"""How far the book follows the story and the data: read from the data files, for the landing page.

The landing page types these dates in its prose and asserts them against :func:`coverage`, so a
newer timeline row or data period fails the build until the sentence is updated.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import data


@dataclass(frozen=True)
class Coverage:
    last_event: pd.Timestamp  # the latest dated event of the after-the-visit timeline
    trade_latest: str  # the latest China–Russia trade period (customs), e.g. "2026-01..04"
    trade_latest_partial: bool  # True when that period is part of a year only
    settlement_latest: str  # the latest month of Russia's settlement-currency shares


def coverage() -> Coverage:
    events = data.load("after_timeline")
    trade = data.load("china_russia_trade_2021_2026")
    # year-to-date rows carry periods such as "2026-01..04": the latest ends in the latest month
    to_date = trade[trade["period_type"].isin(["year", "year_to_date"])]
    ends = to_date["period"].str.replace(r"^(\d{4})-\d{2}\.\.(\d{2})$", r"\1-\2", regex=True)
    ends = ends.where(ends.str.len() > 4, ends + "-12")
    latest = to_date.loc[ends.idxmax()]
    months = data.load("russia_settlement_currency_shares_2024_2026")
    months = months[months["period_type"] == "month"]
    return Coverage(
        last_event=pd.Timestamp(events["date"].max()),
        trade_latest=str(latest["period"]),
        trade_latest_partial=not bool(latest["full_year"]),
        settlement_latest=str(months["period"].max()),
    )
