"""The trade chapter's opening page: its two answers quote the data files' figures.

The opener is plain text (no code cells, so no facts cell): its figures are typed, and this test
asserts each one against the data, so a changed data file fails here rather than leaving the
chapter's answers silently stale.
"""

from __future__ import annotations

import re

from backtoback import data

from .conftest import TRADE, one_value


def in_short() -> str:
    """The text of the opener's 'In short' box, whitespace squashed."""
    text = (TRADE / "index.md").read_text(encoding="utf-8")
    box = re.search(r"```\{admonition\} In short\n:class: btb-in-short\n(.*?)```", text, re.S)
    assert box, "chapters/trade/index.md: no 'In short' box with class btb-in-short"
    assert text.index("{admonition} In short") < text.index("Alexander Gabuev"), (
        "the answers come before the framing"
    )
    return re.sub(r"\s+", " ", box.group(1)).replace("\\$", "$")


def test_the_opener_answers_both_questions_first():
    box = in_short()
    assert "Has China displaced the European Union" in box
    assert "Has the yuan displaced the dollar and the euro" in box
    assert box.count("{doc}") >= 3  # each answer links to the pages with the detail


def test_the_partner_figures_are_the_data_files():
    box = in_short()
    early = data.load("russia_trade_partner_shares")
    full_2021 = early[(early.year == 2021) & (early.period == "Jan-Dec")]
    full_2021 = full_2021[~full_2021.note.fillna("").str.contains("inferred")]
    eu_2021 = one_value(
        full_2021, partner="European Union", indicator="share_of_russia_total_trade"
    )
    china_2021 = one_value(full_2021, partner="China", indicator="share_of_russia_total_trade")
    assert (
        f"In 2021 the EU's member states together had {eu_2021}% of Russia's trade and China {china_2021}%"
        in box
    )
    later = data.load("russia_partner_shares_reported_2022_2025")
    total = later[later.indicator == "share_of_russia_total_trade"]
    eu_oct_2023 = one_value(total, partner="European Union", period="2023 (stated 31 Oct 2023)")
    china_2024 = one_value(total, partner="China", year=2024)
    assert (
        f"By October 2023 an official of Russia's customs service put the EU at {eu_oct_2023:.0f}%"
        in box
    )
    assert f"in November 2024 another put China at {china_2024:.0f}%" in box
    imports = one_value(later, partner="China", year=2025, indicator="share_of_russia_imports")
    assert f"in 2025 China supplied {imports:.0f}% of Russia's imports" in box


def test_the_trade_totals_are_the_data_files():
    box = in_short()
    annual = data.load("china_russia_trade_gacc")
    total_2025 = one_value(annual, year=2025, flow="total")
    rates = data.load("china_russia_trade_2021_2026")
    published = one_value(
        rates,
        period="2025",
        flow="total",
        measure="change_yoy",
        currency="USD",
        value_type="reported",
    )
    ytd = one_value(rates, period="2026-01..04", flow="total", measure="change_yoy")
    assert f"US$ {total_2025} billion in 2025, {-published}% less than in 2024" in box
    assert f"and {ytd}% more in January–April 2026 than a year earlier" in box


def test_the_settlement_figures_are_the_data_files_and_the_latest_month_is_dated():
    box = in_short()
    old = data.load("russia_settlement_currency_shares")
    new = data.load("russia_settlement_currency_shares_2024_2026")
    exports_old, exports_new = old[old.flow == "exports"], new[new.flow == "exports"]
    dollar, euro = (one_value(exports_old, period="2021", currency=c) for c in ("USD", "EUR"))
    assert f"In 2021 the dollar settled {dollar}% of those payments and the euro {euro}%" in box
    yuan_2022 = one_value(exports_old, period="2022-01", currency="CNY")
    yuan_2024 = one_value(exports_old, period="2024-01", currency="CNY")
    assert f"from no more than {yuan_2022}% in January 2022 to {yuan_2024}% in January 2024" in box
    # January 2024 is the last yuan-only month: the newer file groups the yuan with 'friendly'
    assert (
        old.loc[(old.currency == "CNY") & (old.period_type == "month"), "period"].max() == "2024-01"
    )
    assert "CNY" not in set(new.currency)
    rouble = exports_new[exports_new.currency == "RUB"]
    years = [one_value(rouble, period=y) for y in ("2024", "2025")]
    latest_month = rouble[rouble.period_type == "month"].period.max()
    assert latest_month == "2026-01", "the box dates the latest month 'January 2026'"
    latest = one_value(rouble, period=latest_month)
    assert latest > 50, "the box says the rouble settles 'more than half' of export payments"
    assert (
        f"The rouble's share was {years[0]}% in 2024, {years[1]}% in 2025 and {latest}% in "
        f"January 2026, the latest month found as of December 2026"
    ) in box
