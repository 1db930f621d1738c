"""Trade evidence after the May 2024 visit: research extracts -> seven tidy CSVs in ``data/``.

Inputs (all in the repository, so the derivation runs offline):

- ``data/raw/research/after_visit_2024_2026.csv``: the research team's numbers for May 2024 to 2026,
  one per row with source, URL and the exact quote (a copy of ``../shared/research/data/``);
- ``data/raw/research/eu_russia_trade_annual_eurostat.csv``: the research team's EU–Russia annual and
  part-year figures (copy, as above; only 2023 onwards is used here);
- ``data/raw/research/after_visit_rechecked.csv``: numbers found while re-checking the above with the
  search tools (same columns; written for this project);
- ``data/china_russia_trade_annual_gacc.csv``: the project's annual GACC levels, from which the
  year-on-year rates are *computed* so they can stand beside the rates customs *published*.

Every research row is either mapped into one of the outputs or listed in :data:`SKIPPED` with the
reason, so a new research row cannot be dropped silently. Rates that a source gives only inside its
quote are transcribed as their own rows (:data:`QUOTED_RATES`), after checking that the quote says so.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from .. import data
from ..paths import DATA_DIR, RAW_DIR

RESEARCH_DIR = RAW_DIR / "research"
RESEARCH_FILES = ("after_visit_2024_2026.csv", "eu_russia_trade_annual_eurostat.csv")
RECHECKED = "after_visit_rechecked.csv"

# --- reading and shared helpers ------------------------------------------------------------------


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def research_rows(raw_dir: Path = RESEARCH_DIR) -> pd.DataFrame:
    """The after-the-visit research rows and the re-checked rows, with the file each came from."""
    frames = []
    for name in ("after_visit_2024_2026.csv", RECHECKED):
        frame = _read(raw_dir / name)
        frame["raw_file"] = name
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


#: How well the page a number was read on stands for the agency's own figure.
SOURCE_LEVELS = (
    "primary",  # the statistics agency's own publication
    "secondary",  # a news report quoting the agency, read on the publisher's own page
    "secondary (mirror)",  # read in a reprint, translation or copy of such a report
    "secondary (low quality)",  # an aggregator or weak site the research flags as low quality
    "computed here",  # arithmetic by this project on reported levels
    "derived here",  # a figure implied by a report (e.g. a stated change applied to a level)
)
PRIMARY_HOSTS = {"ec.europa.eu"}
LOW_QUALITY_HOSTS = {
    "www.bs178.com",
    "efinder.lk",
    "mobile.fx.co",
    "starnationnews.com",
    "pogled.info",
}
#: Sites that reprint, translate or summarise another outlet's report.
MIRROR_HOSTS = {
    "www.888sf.cn",
    "censor.net",
    "24newnews.ru",
    "babel.ua",
    "news.mail.ru",
    "unn.ua",
    "rus.jauns.lv",
    "trt.global",
    "www.squidsite02.com",
    "agregate.press",
    "8121.read.newszop.com",
    "uk.news-pravda.com",
    "www.businesstimes.com.sg",
    "www.5-tv.ru",
    "thepoliticreview.com",
}


def source_level(row: pd.Series) -> str:
    host = urlparse(row["source_url"]).netloc
    title = row["source_title"]
    if row["value_type"] == "derived" and title.lower().startswith("derived"):
        return "derived here"
    if "LOW" in title or host in LOW_QUALITY_HOSTS or "aggregator" in title:
        return "secondary (low quality)"
    if host in PRIMARY_HOSTS:
        return "primary"
    outside_brackets = re.sub(
        r"\([^)]*\)", "", title
    )  # "Lenta.ru (Mishustin via TASS)" is Lenta's own report
    if host in MIRROR_HOSTS or "(mirror)" in title or " via " in outside_brackets:
        return "secondary (mirror)"
    return "secondary"


_YTD = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def period_kind(period: str) -> tuple[int, str, bool]:
    """(year, period_type, full_year) of a period written 2025, 2025-01..09, 2025-09 or 2025-Q2."""
    for pattern, kind in (
        (_YEAR, "year"),
        (_YTD, "year_to_date"),
        (_MONTH, "month"),
        (_QUARTER, "quarter"),
    ):
        match = pattern.match(period)
        if match:
            return int(match.group(1)), kind, kind == "year"
    raise ValueError(f"period {period!r} is not one of 2025, 2025-01..09, 2025-09, 2025-Q2")


def _round1(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


#: (dataset, period, series) of research rows deliberately not carried over, and why.
SKIPPED = {
    ("china_russia_trade_gacc", "2024", "total"): (
        "already in china_russia_trade_gacc (244.81, bne/TASS); this row is the same total rounded"
    ),
    ("china_russia_trade_gacc", "2025", "total"): (
        "already in china_russia_trade_gacc (228.1, Moscow Times); TASS's 228.105 is named in the note "
        "of the computed 2025 rate"
    ),
    (
        "russia_trade_partner_shares",
        "2024 (in-year, Nov 2024)",
        "russia_total_foreign_trade_expected",
    ): ("a forecast of Russia's total trade ('will exceed'), not a share"),
    ("russia_settlement_currency_shares_cbr", "2025-04", "imports_RUB"): (
        "already in russia_settlement_currency_shares (56.2, Sputnik); same value"
    ),
    (
        "china_crude_imports_from_russia_gacc",
        "2024",
        "russia_volume",
    ): "already in china_crude_imports_russia_saudi",
    (
        "china_crude_imports_from_russia_gacc",
        "2024",
        "russia_bpd",
    ): "already in china_crude_imports_russia_saudi",
    (
        "china_crude_imports_from_russia_gacc",
        "2024",
        "saudi_volume",
    ): "already in china_crude_imports_russia_saudi",
    (
        "china_crude_imports_from_russia_gacc",
        "2024",
        "saudi_bpd",
    ): "already in china_crude_imports_russia_saudi",
    (
        "china_vehicle_exports_to_russia",
        "2025",
        "passenger_cars_units_gacc",
    ): "already in china_vehicle_exports_to_russia",
    (
        "china_vehicle_exports_to_russia",
        "2025",
        "passenger_cars_value_gacc",
    ): "already in china_vehicle_exports_to_russia",
    (
        "china_vehicle_exports_to_russia",
        "2024",
        "passenger_cars_value_gacc",
    ): "already in china_vehicle_exports_to_russia",
}
#: Research datasets that are not trade series (events, gas contracts, LNG): used by other pages.
NOT_TRADE = {"events_numbers", "russia_china_pipeline_gas", "china_lng_imports_from_russia"}

#: Rates a source gives only inside its quote: (dataset, period, series of the quoted row) ->
#: [(text that must appear in the quote, series of the new row, value)].
QUOTED_RATES = {
    ("china_russia_trade_gacc", "2025-01..03", "total_ytd"): [
        ("同比下降6.6%", "total_ytd_growth_yoy", "-6.6")
    ],
    ("china_russia_trade_gacc", "2025-01..03", "china_exports_to_russia_ytd"): [
        ("下降6.3%", "china_exports_to_russia_ytd_growth_yoy", "-6.3")
    ],
    ("china_russia_trade_gacc", "2025-01..03", "china_imports_from_russia_ytd"): [
        ("下降6.7%", "china_imports_from_russia_ytd_growth_yoy", "-6.7")
    ],
    ("china_russia_trade_gacc", "2025-01..06", "total_ytd"): [
        ("fell 9.1%", "total_ytd_growth_yoy", "-9.1")
    ],
    ("china_russia_trade_gacc", "2025-01..06", "china_exports_to_russia_ytd"): [
        ("dropped 8.4%", "china_exports_to_russia_ytd_growth_yoy", "-8.4")
    ],
    ("china_russia_trade_gacc", "2025-01..06", "china_imports_from_russia_ytd"): [
        ("declined 9.6%", "china_imports_from_russia_ytd_growth_yoy", "-9.6")
    ],
    ("china_russia_trade_gacc", "2025-01..07", "total_ytd"): [
        ("8,1 процента", "total_ytd_growth_yoy", "-8.1")
    ],
    ("china_russia_trade_gacc", "2025-01..07", "china_exports_to_russia_ytd"): [
        ("8,5 и 7,7 процента", "china_exports_to_russia_ytd_growth_yoy", "-8.5"),
        ("8,5 и 7,7 процента", "china_imports_from_russia_ytd_growth_yoy", "-7.7"),
    ],
    ("china_russia_trade_gacc", "2025-01..09", "total_ytd"): [
        ("9,4%", "total_ytd_growth_yoy", "-9.4")
    ],
    ("china_russia_trade_gacc", "2025-01..09", "china_exports_to_russia_ytd"): [
        ("11,3%", "china_exports_to_russia_ytd_growth_yoy", "-11.3")
    ],
    ("china_russia_trade_gacc", "2025-01..09", "china_imports_from_russia_ytd"): [
        ("7,7%", "china_imports_from_russia_ytd_growth_yoy", "-7.7")
    ],
    ("china_russia_trade_gacc", "2025-01..10", "china_exports_to_russia_ytd"): [
        ("12,6 процента", "china_exports_to_russia_ytd_growth_yoy", "-12.6")
    ],
    ("china_russia_trade_gacc", "2026-01..02", "total_ytd"): [
        ("вырос на 12%", "total_ytd_growth_yoy", "12")
    ],
    ("china_russia_trade_gacc", "2026-01..02", "china_exports_to_russia_ytd"): [
        ("22,7%", "china_exports_to_russia_ytd_growth_yoy", "22.7")
    ],
    ("china_russia_trade_gacc", "2026-01..02", "china_imports_from_russia_ytd"): [
        ("выросли на 4,1%", "china_imports_from_russia_ytd_growth_yoy", "4.1")
    ],
    ("china_russia_trade_gacc", "2026-01..04", "total_ytd"): [
        ("gained 19.7%", "total_ytd_growth_yoy", "19.7")
    ],
    ("china_russia_trade_gacc", "2026-01..04", "china_exports_to_russia_ytd"): [
        ("rose by 23.1%", "china_exports_to_russia_ytd_growth_yoy", "23.1")
    ],
    ("china_russia_trade_gacc", "2026-01..04", "china_imports_from_russia_ytd"): [
        ("added 17%", "china_imports_from_russia_ytd_growth_yoy", "17")
    ],
    ("china_russia_trade_gacc", "2025-01..10", "total_ytd"): [
        (
            "скоротився на 8,7%",
            "total_ytd_growth_yoy",
            "-8.7",
            "AP gives this rate beside a USD level, but Reuters gives -8.7% for the same period in yuan "
            "terms (after_visit_rechecked.csv), so it is probably the yuan rate",
        ),
    ],
    ("russia_trade_partner_shares", "2025", "russia_imports_from_china_russia_side"): [
        ("-11.7%", "russia_imports_from_china_russia_side_growth_yoy", "-11.7")
    ],
    ("russia_trade_partner_shares", "2025", "russia_car_imports_from_china_value"): [
        ("-47.8%", "russia_car_imports_from_china_value_growth_yoy", "-47.8")
    ],
    ("china_crude_imports_from_russia_gacc", "2025-01..03", "russia_volume"): [
        ("by 14.7%", "russia_volume_growth_yoy", "-14.7")
    ],
    ("china_crude_imports_from_russia_gacc", "2025-01..09", "russia_volume"): [
        ("8,1 процента", "russia_volume_growth_yoy", "-8.1")
    ],
    ("china_crude_imports_from_russia_gacc", "2025-01..09", "russia_value"): [
        ("уменьшился на 21%", "russia_value_growth_yoy", "-21")
    ],
    ("china_crude_imports_from_russia_gacc", "2025-01..11", "russia_value_yuan"): [
        ("fell 19.6 per cent", "russia_value_yuan_growth_yoy", "-19.6")
    ],
    ("china_vehicle_exports_to_russia", "2024", "vehicles_units_cpca"): [
        ("up 27%", "vehicles_units_growth_yoy_cpca", "27")
    ],
    ("china_vehicle_exports_to_russia", "2025-01..09", "vehicles_units_cpca"): [
        ("58% decline", "vehicles_units_growth_yoy_cpca", "-58")
    ],
    ("eu_russia_trade_eurostat", "2025-01..06", "eu_imports_from_russia"): [
        ("10,5%", "eu_imports_from_russia_growth_yoy", "-10.5")
    ],
    ("eu_russia_trade_eurostat", "2025-01..06", "eu_exports_to_russia"): [
        ("5,7%", "eu_exports_to_russia_growth_yoy", "-5.7")
    ],
    ("eu_russia_trade_eurostat", "2025-01..09", "total_trade"): [
        ("12,9%", "total_trade_growth_yoy", "-12.9")
    ],
}


def with_quoted_rates(rows: pd.DataFrame) -> pd.DataFrame:
    """Add one row per rate in :data:`QUOTED_RATES`, after checking that the quote contains it."""
    extra = []
    for (dataset, period, series), rates in QUOTED_RATES.items():
        match = rows[
            (rows["dataset"] == dataset) & (rows["period"] == period) & (rows["series"] == series)
        ]
        if match.empty:
            raise ValueError(f"research row {dataset}, {period}, {series} not found (QUOTED_RATES)")
        for text, new_series, value, *extra_note in rates:
            saying = match[match["quote"].str.contains(text, regex=False)]
            if saying.empty:
                raise ValueError(
                    f"no quote of {dataset}, {period}, {series} says {text!r} any more"
                )
            row = saying.iloc[0]
            extra.append(
                {
                    **row.to_dict(),
                    "series": new_series,
                    "value": value,
                    "unit": "percent",
                    "note": "; ".join(
                        [
                            f"rate transcribed from the quote ({text!r}) of the {series} row",
                            *extra_note,
                        ]
                    ),
                }
            )
    return pd.concat([rows, pd.DataFrame(extra)], ignore_index=True)


def _rows_for(rows: pd.DataFrame, dataset: str) -> pd.DataFrame:
    keep = rows[rows["dataset"] == dataset]
    skip = keep.apply(lambda r: (r["dataset"], r["period"], r["series"]) in SKIPPED, axis=1)
    return keep[~skip]


def _with_sources(record: dict, row: pd.Series) -> dict:
    return {
        **record,
        "value_type": row["value_type"],
        "source_level": source_level(row),
        "source_title": row["source_title"],
        "source_url": row["source_url"],
        "quote": row.get("quote", ""),
        "note": row.get("note", ""),
    }


# --- 1. China–Russia trade, 2021–2026 --------------------------------------------------------------

TRADE_FLOWS = ("china_exports_to_russia", "china_imports_from_russia", "total")
RATE_UNIT = "percent change on previous year"  # the unit name the existing files use

#: Published rates that china_russia_trade_gacc gives only in a row's note: (year, flow) -> text.
RATES_IN_ANNUAL_NOTES = {
    (2021, "total"): "+35.8% y/y",
    (2022, "total"): "+29.3% y/y",
    (2022, "china_exports_to_russia"): "+12.8% y/y",
    (2022, "china_imports_from_russia"): "+43.4% y/y",
    (2023, "total"): "+26.3% y/y",
    (2024, "total"): "+1.9% y/y",
    (2024, "china_exports_to_russia"): "+4.1% y/y",
    (2025, "total"): "-6.9% y/y",
}


def _trade_series(series: str) -> tuple[str, str, str]:
    """(flow, measure, currency) of a research series name such as china_exports_to_russia_ytd_growth_yoy."""
    if series.startswith("russia_imports_from_china"):
        flow = "russia_imports_from_china"
    else:
        flow = next(f for f in TRADE_FLOWS if series.startswith(f))
    rest = series[len(flow) :]
    measure = "change_yoy" if "growth" in rest else "level"
    currency = (
        "CNY"
        if "yuan" in rest
        else "USD"
        if ("usd" in rest or measure == "level")
        else "not stated"
    )
    return flow, measure, currency


def _trade_unit(raw_unit: str, measure: str) -> str:
    return RATE_UNIT if measure == "change_yoy" else raw_unit


def trade_reported(rows: pd.DataFrame) -> pd.DataFrame:
    records = []
    for dataset in ("china_russia_trade_gacc", "russia_trade_partner_shares"):
        for _, row in _rows_for(rows, dataset).iterrows():
            if dataset == "russia_trade_partner_shares" and not row["series"].startswith(
                "russia_imports_from_china"
            ):
                continue
            year, kind, full = period_kind(row["period"])
            flow, measure, currency = _trade_series(row["series"])
            reporter = (
                "China (GACC)"
                if flow != "russia_imports_from_china"
                else "Russia (Gaidar Institute)"
            )
            records.append(
                _with_sources(
                    {
                        "year": year,
                        "period": row["period"],
                        "period_type": kind,
                        "full_year": full,
                        "reporter": reporter,
                        "flow": flow,
                        "measure": measure,
                        "currency": currency,
                        "value": float(row["value"]),
                        "value_text": row["value"],
                        "unit": _trade_unit(row["unit"], measure),
                    },
                    row,
                )
            )
    return pd.DataFrame(records)


def rates_from_annual_notes(annual: pd.DataFrame) -> pd.DataFrame:
    """Published rates that the project's annual file records in its notes, as rows with that row's source."""
    records = []
    for (year, flow), text in RATES_IN_ANNUAL_NOTES.items():
        row = annual[(annual["year"] == str(year)) & (annual["flow"] == flow)].iloc[0]
        if text not in row["note"]:
            raise ValueError(
                f"china_russia_trade_annual_gacc.csv, {year} {flow}: note no longer says {text!r}"
            )
        records.append(
            {
                "year": year,
                "period": str(year),
                "period_type": "year",
                "full_year": True,
                "reporter": "China (GACC)",
                "flow": flow,
                "measure": "change_yoy",
                "currency": "not stated",
                "value": float(text.split("%")[0]),
                "value_text": text.split("%")[0].lstrip("+"),
                "unit": RATE_UNIT,
                "value_type": "reported",
                "source_level": source_level(row),
                "source_title": row["source_title"],
                "source_url": row["source_url"],
                "quote": "",
                "note": f"transcribed from the note of the {year} {flow} row of china_russia_trade_gacc ({text})",
            }
        )
    return pd.DataFrame(records)


def _half_unit(text: str, rounded_to_unit: bool = False) -> Decimal:
    """Half a unit of the last digit written ('228.105' -> 0.0005); 0.5 for a level noted as rounded."""
    if rounded_to_unit:
        return Decimal("0.5")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Decimal(5) / Decimal(10) ** (decimals + 1)


def _annual_levels(annual: pd.DataFrame, reported: pd.DataFrame) -> pd.DataFrame:
    """Full-year China-side levels: the project's annual file plus the new file's 2025 split."""
    old = annual[annual["value_type"] == "reported"].assign(
        value_text=annual["value"], rounded=annual["note"].str.contains("rounded")
    )
    new = reported[
        (reported["measure"] == "level")
        & reported["full_year"]
        & (reported["reporter"] == "China (GACC)")
    ].assign(rounded=False)
    keep = ["year", "flow", "value_text", "rounded", "source_title"]
    levels = pd.concat([old[keep], new[keep]])
    return levels.assign(year=levels["year"].astype(int))


def computed_rates(annual: pd.DataFrame, reported: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year rates (USD) computed from reported levels, each compared with the published rates.

    A published rate "agrees" if some choice of the unrounded levels and of the unrounded published rate
    (each within half a unit of its last digit) makes the two equal; otherwise the note gives the
    earlier-year base that the published rate implies.
    """
    levels = _annual_levels(annual, reported)
    published_rates = reported[
        (reported["measure"] == "change_yoy")
        & reported["full_year"]
        & (reported["currency"] != "CNY")
    ]
    records = []
    for (year, flow), group in levels.groupby(["year", "flow"]):
        before = levels[(levels["year"] == year - 1) & (levels["flow"] == flow)]
        if year < 2021 or before.empty:
            continue
        now, base = group.iloc[0], before.iloc[0]
        v1, v0 = Decimal(now["value_text"]), Decimal(base["value_text"])
        h1, h0 = (
            _half_unit(now["value_text"], now["rounded"]),
            _half_unit(base["value_text"], base["rounded"]),
        )
        rate = _round1(float((v1 / v0 - 1) * 100))
        low, high = (
            float(((v1 - h1) / (v0 + h0) - 1) * 100),
            float(((v1 + h1) / (v0 - h0) - 1) * 100),
        )
        published = published_rates[
            (published_rates["year"] == year) & (published_rates["flow"] == flow)
        ]
        pub_words, unexplained = [], []
        for _, pub in published.iterrows():
            p, hp = pub["value"], float(_half_unit(pub["value_text"]))
            agrees = low <= p + hp and p - hp <= high
            pub_words.append(f"{p:+.1f}% ({pub['source_title']}){'' if agrees else ' DIFFERS'}")
            if not agrees:
                implied = (
                    f"{p:+.1f}% implies a {year - 1} base of {float(v1) / (1 + p / 100):.2f} bn"
                )
                if implied not in unexplained:
                    unexplained.append(implied)
        note = f"computed here: {now['value_text']} / {base['value_text']} - 1 = {rate:+.1f}%. "
        if "LOW" in now["source_title"]:
            note += (
                f"The {year} levels come from a low-quality aggregator ({now['source_title']}). "
            )
        note += "Published: " + ("; ".join(pub_words) if pub_words else "none found") + "."
        if unexplained:
            note += (
                f" Rounding of the levels does not explain the gap: {', '.join(unexplained)}, against the "
                f"{base['value_text']} bn first reported, so customs presumably computes its rate against "
                "a later, revised figure for the earlier year (an inference from the arithmetic; no source "
                "read says so)."
            )
        elif pub_words and rate not in set(published["value"]):
            note += " The gap is within what rounding of the published figures allows."
        records.append(
            {
                "year": year,
                "period": str(year),
                "period_type": "year",
                "full_year": True,
                "reporter": "China (GACC)",
                "flow": flow,
                "measure": "change_yoy",
                "currency": "USD",
                "value": rate,
                "unit": RATE_UNIT,
                "value_type": "computed",
                "source_level": "computed here",
                "source_title": "computed here from the reported annual levels in USD (china_russia_trade_gacc; 2025 split: this file)",
                "source_url": "backtoback/pipeline/after_visit.py",
                "quote": "",
                "note": note,
            }
        )
    return pd.DataFrame(records)


def _sorted(frame: pd.DataFrame, columns: list[str], by: list[str]) -> pd.DataFrame:
    return frame[columns].sort_values(by, kind="stable", ignore_index=True)


def china_russia_trade(raw_dir: Path = RESEARCH_DIR, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    rows = with_quoted_rates(research_rows(raw_dir))
    annual = _read(data_dir / "china_russia_trade_annual_gacc.csv")
    reported = pd.concat([trade_reported(rows), rates_from_annual_notes(annual)], ignore_index=True)
    frame = pd.concat([reported, computed_rates(annual, reported)], ignore_index=True)
    return _sorted(
        frame,
        data.field_names("china_russia_trade_2021_2026"),
        ["year", "period", "flow", "measure", "value_type", "source_title"],
    )


# --- 2. settlement currencies ----------------------------------------------------------------------

SETTLEMENT_UNIT = "percent of settlements for exports/imports of goods and services"
SETTLEMENT_FLOWS = {"exports": "exports", "imports": "imports", "total": "exports and imports"}
SETTLEMENT_CURRENCIES = {
    "RUB": "RUB",
    "friendly_currencies": "friendly currencies",
    "unfriendly_currencies": "unfriendly currencies",
    "RUB_plus_friendly_currencies": "RUB + friendly currencies",
}
#: What the Bank of Russia's published breakdown lets a reader see for these rows.
CBR_BREAKDOWN = "groups: rouble, 'friendly', 'unfriendly' (yuan not published separately)"


def settlement_currency_shares(raw_dir: Path = RESEARCH_DIR) -> pd.DataFrame:
    rows = research_rows(raw_dir)
    records = []
    for _, row in _rows_for(rows, "russia_settlement_currency_shares_cbr").iterrows():
        flow_key, currency_key = row["series"].split("_", 1)
        _, kind, _ = period_kind(row["period"])
        records.append(
            _with_sources(
                {
                    "period": row["period"],
                    "period_type": kind,
                    "flow": SETTLEMENT_FLOWS[flow_key],
                    "currency": SETTLEMENT_CURRENCIES[currency_key],
                    "value": float(row["value"]),
                    "unit": SETTLEMENT_UNIT,
                    "cbr_breakdown": CBR_BREAKDOWN,
                },
                row,
            )
        )
    columns = data.field_names("russia_settlement_currency_shares_2024_2026")
    return _sorted(pd.DataFrame(records), columns, ["period", "flow", "currency", "source_title"])


# --- 3. China's and the EU's shares of Russia's trade ----------------------------------------------

#: research series -> (partner, partner_kind, indicator, definition)
PARTNER_SERIES = {
    "china_share_of_russia_exports": (
        "China",
        "single country",
        "share_of_russia_exports",
        "China's share of Russia's exports of goods, from Russian data (Gaidar Institute review)",
    ),
    "china_share_of_russia_imports": (
        "China",
        "single country",
        "share_of_russia_imports",
        "China's share of Russia's imports of goods, from Russian data (Gaidar Institute review)",
    ),
    "china_share_of_russia_total_trade": (
        "China",
        "single country",
        "share_of_russia_total_trade",
        "China's share of Russia's total foreign trade (exports + imports), as stated by an FCS official",
    ),
    "eu_share_of_russia_total_trade": (
        "European Union",
        "bloc",
        "share_of_russia_total_trade",
        "EU member states together, share of Russia's total foreign trade (exports + imports), as stated "
        "by an FCS official",
    ),
    "asia_share_of_russia_total_trade": (
        "Asia (all)",
        "region",
        "share_of_russia_total_trade",
        "Asian countries together, share of Russia's total foreign trade, as stated by an FCS official",
    ),
    "friendly_countries_share_of_russia_exports": (
        "'friendly' countries",
        "country group",
        "share_of_russia_exports",
        "countries Russia does not list as 'unfriendly', share of Russia's exports (prime minister)",
    ),
    "china_rank_among_russia_trading_partners": (
        "China",
        "single country",
        "rank_among_russia_trading_partners",
        "China's rank among Russia's trading partners counted country by country (blocs not counted)",
    ),
}
_STATED = re.compile(r"^(\d{4}) \((?:in-year|stated)[^)]*\)$")


def _partner_period(period: str) -> tuple[int, str, str, bool]:
    """(year, period as in russia_trade_partner_shares, period_type, full_year)."""
    stated = _STATED.match(period)
    if stated:
        return int(stated.group(1)), period, "statement (reference period not stated)", False
    year, kind, full = period_kind(period)
    if kind == "year":
        return year, "Jan-Dec", kind, full
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    first, last = _YTD.match(period).group(2, 3)
    return year, f"{months[int(first) - 1]}-{months[int(last) - 1]}", kind, full


def russia_partner_shares(raw_dir: Path = RESEARCH_DIR) -> pd.DataFrame:
    rows = research_rows(raw_dir)
    records = []
    for _, row in _rows_for(rows, "russia_trade_partner_shares").iterrows():
        if row["series"] not in PARTNER_SERIES:
            if row["series"].startswith("russia_imports_from_china") or row["series"].startswith(
                "russia_car"
            ):
                continue  # a level, not a share: in china_russia_trade_2021_2026 / the car file
            raise ValueError(f"russia_trade_partner_shares: unknown series {row['series']!r}")
        partner, partner_kind, indicator, definition = PARTNER_SERIES[row["series"]]
        year, period, kind, full = _partner_period(row["period"])
        records.append(
            _with_sources(
                {
                    "year": year,
                    "period": period,
                    "period_type": kind,
                    "full_year": full,
                    "partner": partner,
                    "partner_kind": partner_kind,
                    "indicator": indicator,
                    "definition": definition,
                    "value": float(row["value"]),
                    "unit": "rank" if indicator.startswith("rank") else "percent",
                },
                row,
            )
        )
    columns = data.field_names("russia_partner_shares_reported_2022_2025")
    return _sorted(
        pd.DataFrame(records), columns, ["year", "period", "partner", "indicator", "source_title"]
    )


# --- 4. crude oil ----------------------------------------------------------------------------------

#: research series -> (supplier, metric); the unit is the research row's.
CRUDE_SERIES = {
    "russia_volume": ("Russia", "volume"),
    "russia_volume_month": ("Russia", "volume"),
    "russia_volume_growth_yoy": ("Russia", "volume_change"),
    "russia_bpd": ("Russia", "barrels_per_day"),
    "russia_value": ("Russia", "import_value"),
    "russia_value_growth_yoy": ("Russia", "import_value_change"),
    "russia_value_yuan": ("Russia", "import_value"),
    "russia_value_yuan_growth_yoy": ("Russia", "import_value_change"),
    "russia_share_of_china_crude_imports": ("Russia", "share_of_china_crude_imports"),
    "saudi_volume": ("Saudi Arabia", "volume"),
    "malaysia_volume": ("Malaysia", "volume"),
    "russia_seaborne_bpd_approx": ("Russia", "seaborne_barrels_per_day_approx"),
    "russia_pipeline_bpd_approx": ("Russia", "pipeline_barrels_per_day_approx"),
    # ship-tracking (Kpler) estimates of seaborne shipments: not customs data
    "russia_seaborne_bpd_kpler": ("Russia", "seaborne_shipments_bpd_kpler"),
    "russia_seaborne_bpd_kpler_growth_yoy": ("Russia", "seaborne_shipments_bpd_kpler_change"),
    "saudi_seaborne_bpd_kpler": ("Saudi Arabia", "seaborne_shipments_bpd_kpler"),
}
_APPROX = re.compile(r"^(\d{4}) \((\w{3})\)$")


def _crude_period(period: str) -> tuple[int, str, str, bool]:
    approx = _APPROX.match(period)
    if approx:  # "2025 (Oct)": a rate said in October 2025, not a measured month
        return int(approx.group(1)), period, "statement (approximate rate)", False
    year, kind, full = period_kind(period)
    return year, period, kind, full


def china_crude_imports(raw_dir: Path = RESEARCH_DIR) -> pd.DataFrame:
    rows = with_quoted_rates(research_rows(raw_dir))
    records = []
    for _, row in _rows_for(rows, "china_crude_imports_from_russia_gacc").iterrows():
        supplier, metric = CRUDE_SERIES[row["series"]]
        year, period, kind, full = _crude_period(row["period"])
        unit = RATE_UNIT if metric.endswith("_change") else row["unit"]
        records.append(
            _with_sources(
                {
                    "year": year,
                    "period": period,
                    "period_type": kind,
                    "full_year": full,
                    "supplier": supplier,
                    "metric": metric,
                    "value": float(row["value"]),
                    "unit": unit,
                },
                row,
            )
        )
    columns = data.field_names("china_crude_imports_2025_2026")
    return _sorted(
        pd.DataFrame(records), columns, ["year", "period", "supplier", "metric", "source_title"]
    )


# --- 5. cars ---------------------------------------------------------------------------------------

#: research series -> (metric, definition)
CAR_SERIES = {
    "vehicles_units_cpca": (
        "vehicles_units_cpca",
        "CPCA (China Passenger Car Association) count of vehicles exported to Russia; not the customs "
        "(GACC) passenger-car count",
    ),
    "vehicles_units_growth_yoy_cpca": ("vehicles_units_cpca_change", "change in the CPCA count"),
    "vehicles_units_growth_yoy_ambassador": (
        "car_deliveries_change",
        "change in car deliveries to Russia as stated by Russia's ambassador to China (definition not stated)",
    ),
    "russia_car_imports_from_china_value": (
        "russia_car_imports_from_china_value",
        "Russia-side value of car imports from China (Gaidar Institute review of Russian data)",
    ),
    "russia_car_imports_from_china_value_growth_yoy": (
        "russia_car_imports_from_china_value_change",
        "change in the Russia-side value of car imports from China",
    ),
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _old_style_period(period: str) -> tuple[int, str, bool]:
    """2025-01..09 -> (2025, 'Jan-Sep', False); 2025 -> (2025, 'Jan-Dec', True) (the existing files' style)."""
    year, kind, full = period_kind(period)
    if kind == "year":
        return year, "Jan-Dec", True
    first, last = _YTD.match(period).group(2, 3)
    return year, f"{_MONTHS[int(first) - 1]}-{_MONTHS[int(last) - 1]}", full


def china_car_exports(raw_dir: Path = RESEARCH_DIR) -> pd.DataFrame:
    rows = with_quoted_rates(research_rows(raw_dir))
    source_rows = pd.concat(
        [
            _rows_for(rows, "china_vehicle_exports_to_russia"),
            _rows_for(rows, "russia_trade_partner_shares").loc[
                lambda f: f["series"].str.startswith("russia_car_imports")
            ],
        ]
    )
    records = []
    for _, row in source_rows.iterrows():
        metric, definition = CAR_SERIES[row["series"]]
        year, period, full = _old_style_period(row["period"])
        unit = RATE_UNIT if metric.endswith("_change") else row["unit"]
        records.append(
            _with_sources(
                {
                    "year": year,
                    "period": period,
                    "full_year": full,
                    "metric": metric,
                    "definition": definition,
                    "value": float(row["value"]),
                    "unit": unit,
                },
                row,
            )
        )
    columns = data.field_names("china_car_exports_to_russia_2024_2025")
    return _sorted(pd.DataFrame(records), columns, ["year", "period", "metric", "source_title"])


#: research period of a recycling-fee row -> (effective date, status)
FEE_PERIODS = {
    "2024-09-30 (before rise)": ("2024-09-30", "in force until this date"),
    "2024-10-01": ("2024-10-01", "in force from this date"),
    "2025-01-01": ("2025-01-01", "in force from this date"),
    "2030 (planned)": ("2030", "planned"),
}
FEE_SERIES = {
    "new_car_1_to_2_litre_fee": (
        "fee",
        "new passenger car, engine 1 to 2 litres (Vedomosti's 'popular category')",
    ),
    "new_car_1_to_2_litre_fee_increase": (
        "fee_change",
        "new passenger car, engine 1 to 2 litres (Vedomosti's 'popular category')",
    ),
    "new_car_up_to_2_litre_fee": (
        "fee",
        "passenger car up to 3 years old, engine up to 2.0 litres (dzen.ru's wording)",
    ),
}


def russia_recycling_fee(raw_dir: Path = RESEARCH_DIR) -> pd.DataFrame:
    rows = research_rows(raw_dir)
    records = []
    for _, row in _rows_for(rows, "russia_recycling_fee").iterrows():
        date, status = FEE_PERIODS[row["period"]]
        metric, category = FEE_SERIES[row["series"]]
        records.append(
            _with_sources(
                {
                    "effective_date": date,
                    "status": status,
                    "vehicle_category": category,
                    "metric": metric,
                    "value": float(row["value"]),
                    "unit": "percent change" if metric == "fee_change" else row["unit"],
                },
                row,
            )
        )
    columns = data.field_names("russia_car_recycling_fee")
    return _sorted(pd.DataFrame(records), columns, ["effective_date", "metric", "vehicle_category"])


# --- 6. EU–Russia trade (Eurostat, as reported) ----------------------------------------------------

EU_FLOWS = {
    "exports_to_russia": "eu_exports_to_russia",
    "imports_from_russia": "eu_imports_from_russia",
    "eu_exports_to_russia": "eu_exports_to_russia",
    "eu_imports_from_russia": "eu_imports_from_russia",
    "total_trade": "total_trade",
    "total_trade_growth_yoy": "total_trade_change",
    "eu_imports_from_russia_growth_yoy": "eu_imports_from_russia_change",
    "eu_exports_to_russia_growth_yoy": "eu_exports_to_russia_change",
    "russia_share_of_extra_eu_imports": "russia_share_of_extra_eu_imports",
    "russia_share_of_extra_eu_exports": "russia_share_of_extra_eu_exports",
    "eu_imports_from_russia_change": "eu_imports_from_russia_change",
}
_OLD_STYLE = {
    "Jan-Dec": None,
    "Jan-Nov": "11",
    "Jan-Sep": "09",
    "Jan-Aug": "08",
    "Jan-Oct": "10",
    "Jan-Jun": "06",
}


def _eu_research_annual(raw_dir: Path) -> pd.DataFrame:
    """The research team's EU–Russia annual file, 2023 on, in the after-the-visit row format."""
    annual = _read(raw_dir / "eu_russia_trade_annual_eurostat.csv")
    annual = annual[annual["year"].astype(int) >= 2023].copy()
    if not annual["period"].isin(list(_OLD_STYLE)).all():
        raise ValueError(
            f"eu_russia_trade_annual_eurostat.csv: unexpected periods {set(annual['period'])}"
        )
    last = annual["period"].map(_OLD_STYLE)
    annual["period"] = annual["year"].where(last.isna(), annual["year"] + "-01.." + last.fillna(""))
    annual["series"] = annual["flow"]
    annual["quote"] = ""  # the research annual file keeps quotes in its excerpts, not per row
    annual["note"] = annual["note"].where(
        annual["note"].str.strip() != "", "no quote or note in the research file for this row"
    )
    annual["dataset"] = "eu_russia_trade_eurostat"
    return annual


def _eu_period(period: str) -> tuple[int, str, bool]:
    if ".." in period and "Q" in period:  # "2022-Q1..2024-Q2": a change between two quarters
        return int(period[-7:-3]), "change between quarters", False
    year, kind, full = period_kind(period)
    return year, kind, full


def eu_russia_trade(raw_dir: Path = RESEARCH_DIR) -> pd.DataFrame:
    rows = with_quoted_rates(research_rows(raw_dir))
    source_rows = pd.concat(
        [_eu_research_annual(raw_dir), _rows_for(rows, "eu_russia_trade_eurostat")]
    )
    records = []
    for _, row in source_rows.iterrows():
        flow = EU_FLOWS[row["series"]]
        year, kind, full = _eu_period(row["period"])
        unit = row["unit"]
        if flow.endswith("_change"):
            unit = "percent change" if kind == "change between quarters" else RATE_UNIT
        records.append(
            _with_sources(
                {
                    "year": year,
                    "period": row["period"],
                    "period_type": kind,
                    "full_year": full,
                    "reporter": "EU27_2020",
                    "partner": "Russia",
                    "flow": flow,
                    "value": float(row["value"]),
                    "unit": unit,
                },
                row,
            )
        )
    columns = data.field_names("eu_russia_trade_eurostat_2023_2025")
    return _sorted(pd.DataFrame(records), columns, ["year", "period", "flow", "source_title"])


# --- completeness: every research trade row is used or skipped with a reason -------------------------

DERIVED = {
    "china_russia_trade_2021_2026": china_russia_trade,
    "russia_settlement_currency_shares_2024_2026": settlement_currency_shares,
    "russia_partner_shares_reported_2022_2025": russia_partner_shares,
    "china_crude_imports_2025_2026": china_crude_imports,
    "china_car_exports_to_russia_2024_2025": china_car_exports,
    "russia_car_recycling_fee": russia_recycling_fee,
    "eu_russia_trade_eurostat_2023_2025": eu_russia_trade,
}


def unused_rows(raw_dir: Path = RESEARCH_DIR) -> pd.DataFrame:
    """Research trade rows that no output uses and :data:`SKIPPED` does not explain (should be empty)."""
    rows = research_rows(raw_dir)
    rows = rows[~rows["dataset"].isin(NOT_TRADE)]
    used = set()
    for derive in DERIVED.values():
        out = derive(raw_dir)
        used |= set(zip(out["source_url"], out["quote"], out["value"], strict=True))
    skipped = rows.apply(lambda r: (r["dataset"], r["period"], r["series"]) in SKIPPED, axis=1)
    rows = rows[~skipped]
    missing = rows.apply(
        lambda r: (r["source_url"], r["quote"], float(r["value"])) not in used, axis=1
    )
    return rows[missing]
