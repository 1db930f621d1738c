"""The thesis two years on: each claim of ``gabuev_claims`` with a verdict, a figure and the other side.

``after_thesis`` holds one row per claim (same ids): the verdict (supported / complicated /
contradicted / cannot tell yet), the finding in plain words, the id of the figure in ``after_numbers``
behind it, and the strongest case against the verdict. :func:`verdicts_html` joins the three files;
:func:`settlement_chart` draws the one chart of the page, the rouble's share of Russia's export receipts.
"""

from __future__ import annotations

from html import escape

import pandas as pd
from IPython.display import HTML

from .. import data, style
from ..story import auto_lang, badge, source_cite
from . import numbers

VERDICTS = ("supported", "complicated", "contradicted", "cannot tell yet")
#: gabuev_claims' ``in_gabuev_text`` -> where the card says the 2024 claim comes from; the level it
#: was read at is a badge beside it, not words in a parenthesis
WHOSE = {
    "verified (mirror)": f"Found in his text {badge('verified (mirror)')}",
    "verified (secondary)": f"Found in a summary of his text {badge('verified (secondary)')}",
    "not found in the parts read": "Attributed to him by others; not found in his text",
}


def load() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The re-examination joined to the claims it re-examines; refuses an id that matches no claim."""
    claims, thesis = data.load("gabuev_claims"), data.load("after_thesis")
    unknown = sorted(set(thesis["claim_id"]) - set(claims["id"]))
    missing = sorted(set(claims["id"]) - set(thesis["claim_id"]))
    if unknown or missing:
        raise data.DataError(
            "after_thesis.csv, column 'claim_id': "
            + (f"ids not in gabuev_claims.csv: {', '.join(unknown)}. " if unknown else "")
            + (f"claims with no verdict: {', '.join(missing)}." if missing else "")
        )
    return claims, thesis


def verdict_counts(thesis: pd.DataFrame) -> dict[str, int]:
    return {v: int((thesis["verdict"] == v).sum()) for v in VERDICTS}


def _figure(frame: pd.DataFrame, figure_id) -> str:
    if not isinstance(figure_id, str) or not figure_id:
        return "<em>No number can show this.</em>"
    r = numbers.row(frame, figure_id)
    return (
        f'<span class="btb-after-figure" data-figure="{escape(figure_id)}">'
        f"<strong>{r['value']:g} {escape(r['unit'])}</strong> ({escape(r['period'])}), "
        f"{source_cite(r['source_title'], r['source_url'], r['verification'])}</span>"
    )


def verdicts_html(claims: pd.DataFrame, thesis: pd.DataFrame, figures: pd.DataFrame) -> str:
    """One card per claim: the 2024 claim, the verdict, what we found, the figure, the other side."""
    by_id = claims.set_index("id")
    cards = []
    for r in thesis.itertuples():
        claim = by_id.loc[r.claim_id]
        slug = r.verdict.replace(" ", "-")
        whose = WHOSE[claim["in_gabuev_text"]]
        cards.append(
            f'<article class="btb-verdict btb-verdict-{slug}" data-key="{escape(r.claim_id)}" '
            f'data-verdict="{escape(r.verdict)}">'
            f'<p class="btb-verdict-claim"><strong>The claim, 2024:</strong> {auto_lang(claim["claim"])} '
            f'<span class="btb-verdict-whose">{whose}.</span></p>'
            f'<p><span class="btb-verdict-label">{escape(r.verdict)}</span> {auto_lang(r.finding)} '
            f"{source_cite(r.source_title, r.source_url, r.verification)}</p>"
            f"<p><strong>The figure:</strong> {_figure(figures, r.figure_id)}</p>"
            f"<p><strong>The strongest case the other way:</strong> {auto_lang(r.other_side)}</p>"
            "</article>"
        )
    return f'<div class="btb-verdicts" data-dataset="after_thesis">{"".join(cards)}</div>'


def verdicts(claims: pd.DataFrame, thesis: pd.DataFrame, figures: pd.DataFrame) -> HTML:
    return HTML(verdicts_html(claims, thesis, figures))


def later_writing_html(frame: pd.DataFrame, kind: str) -> str:
    """The short quotes of one ``kind`` (Gabuev's later writing, or another author's argument)."""
    rows = frame[frame["kind"] == kind]
    items = "".join(
        f'<li data-key="{escape(r.id)}"><blockquote lang="en"><p>{escape(r.quote)}</p></blockquote>'
        f"<p>{escape(r.author)}, <cite>{escape(r.work)}</cite>, {escape(r.date)}. Read in: "
        f"{source_cite(r.source_title, r.source_url, r.verification)}"
        + (f" {auto_lang(r.note)}" if isinstance(r.note, str) and r.note else "")
        + "</p></li>"
        for r in rows.itertuples()
    )
    return f'<ul class="btb-after-writing" data-dataset="after_later_writing">{items}</ul>'


def later_writing(frame: pd.DataFrame, kind: str) -> HTML:
    return HTML(later_writing_html(frame, kind))


#: the monthly rows of the settlement chart, and the source whose value draws the line where they differ
SETTLEMENT_MONTHS = ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08"]
LINE_SOURCE_FOR_JUNE = "rub-exports-2025-06-tass"


def settlement_series(figures: pd.DataFrame) -> pd.DataFrame:
    """The monthly rouble shares of 2025, one row per source (June has three that disagree)."""
    rows = figures[
        (figures["topic"] == "settlement") & figures["id"].str.startswith("rub-exports-")
    ]
    rows = rows[rows["period"].isin(SETTLEMENT_MONTHS)]
    return rows[
        ["id", "period", "value", "unit", "value_type", "source_title", "source_url"]
    ].reset_index(drop=True)


def settlement_chart(figures: pd.DataFrame):
    """The rouble's share of Russia's export receipts, April–August 2025, with June's three values."""
    series = settlement_series(figures)
    line = series[~series["period"].eq("2025-06") | series["id"].eq(LINE_SOURCE_FOR_JUNE)]
    others = series[series["period"].eq("2025-06") & ~series["id"].eq(LINE_SOURCE_FOR_JUNE)]
    months = {m: i for i, m in enumerate(SETTLEMENT_MONTHS)}
    fig, ax = style.new_chart()
    fig.set_size_inches(4.4, 3.6)  # narrow, so its text stays legible at phone width
    ax.plot(
        [months[p] for p in line["period"]],
        line["value"],
        color=style.COLOURS["russia"],
        marker="o",
        label="Rouble share (TASS, RIA, Interfax)",
    )
    style.hollow_points(
        ax,
        [months[p] for p in others["period"]],
        others["value"],
        style.COLOURS["other"],
        label="June, other reports",
        size=9,
    )
    ax.axhline(50, color=style.COLOURS["neutral"], linestyle=":", linewidth=1.2)
    ax.set_xticks(range(len(SETTLEMENT_MONTHS)), ["Apr", "May", "Jun", "Jul", "Aug"])
    ax.set_ylim(45, 60)
    ax.set_ylabel("% of export receipts")
    ax.set_title("Roubles, 2025")
    ax.legend(loc="lower right", fontsize=10)
    whole = figures[figures["id"].isin(["rub-exports-2024", "rub-exports-2025"])]
    info = data.info("after_numbers")
    june = series[series["period"] == "2025-06"]["value"]
    return style.figure(
        fig,
        caption=(
            "From April 2025 more than half of what Russia earned from exports was paid in roubles. "
            f"Reports of the same Bank of Russia data disagree on June: {june.min():g}% to {june.max():g}%."
        ),
        alt=(
            f"The rouble's share of Russia's export receipts stayed above 50% from April to August 2025, "
            f"rising from {line['value'].iloc[0]:g}% to {line['value'].iloc[-1]:g}%; for June three reports "
            f"give {', '.join(f'{v:g}%' for v in sorted(june))}. For the whole year it was "
            f"{whole.set_index('id').loc['rub-exports-2025', 'value']:g}%."
        ),
        data=series,
        sources=[info],
        data_name="after_rouble_share_2025",
    )
