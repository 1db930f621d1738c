"""The phrasing shared by the trade pages (backtoback/pages/wording.py)."""

from __future__ import annotations

import pandas as pd

from backtoback.pages import wording


def test_period_words():
    assert wording.period_words(2021, "Jan-Dec") == "2021"
    assert wording.period_words(2021, "Jan-Jun") == "the first half of 2021"
    assert wording.period_words(2017, "Q1") == "the first quarter of 2017"
    assert wording.period_words(2021, "Jan-Oct") == "January to October 2021"
    assert wording.period_words(2023, "Aug") == "August 2023"


def test_lists_and_months():
    assert wording.fmt_list([2021]) == "2021"
    assert wording.fmt_list([2021, 2023]) == "2021 and 2023"
    assert wording.fmt_list(["a", "b", "c"]) == "a, b and c"
    assert wording.month_words(pd.Timestamp("2022-02-01")) == "February 2022"
