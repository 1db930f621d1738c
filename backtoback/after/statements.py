"""The statements compared: five joint statements (2022–2026) against six formulas students meet.

Two datasets: ``after_statements`` (when, where, how much of each text was read, the title only if one
was read) and ``after_statement_formulas`` (one cell per statement and formula: present / absent / not
verified, with its evidence and source). :func:`matrix_html` is the overview (short enough for a phone:
five narrow columns of one word each); every cell links to its evidence in :func:`details_html`.
"""

from __future__ import annotations

from html import escape

import pandas as pd
from IPython.display import HTML

from .. import data
from ..story import auto_lang, lang_span, source_cite

#: formula id -> (row label, the formula as students meet it)
FORMULAS = {
    "no-limits": ("No limits", "friendship with “no limits”, no “forbidden” areas of cooperation"),
    "not-alliance": (
        "Not an alliance",
        "not an alliance, not confrontational, not aimed at third parties",
    ),
    "root-causes": ("Root causes", "the “root causes” of the Ukraine crisis must be removed"),
    "indivisible-security": ("Indivisible security", "the principle of “indivisible security”"),
    "golden-dome": ("Golden Dome", "criticism of the US “Golden Dome” missile shield"),
    "taiwan": ("Taiwan", "Russia's backing for China's position on Taiwan"),
}
#: status -> (the one word shown in the overview, its CSS modifier)
STATUS = {
    "present": ("yes", "present"),
    "absent": ("no", "absent"),
    "not verified": ("?", "unknown"),
}


def load() -> tuple[pd.DataFrame, pd.DataFrame]:
    return data.load("after_statements"), data.load("after_statement_formulas")


def _cell_id(statement: str, formula: str) -> str:
    return f"cmp-{statement}-{formula}"


def year(statement: str) -> str:
    return statement[:4]


def statements_html(statements: pd.DataFrame) -> str:
    """The five texts: date, place, occasion, how much was read, and the title where one was read."""
    items = []
    for r in statements.itertuples():
        if isinstance(r.title_as_read, str) and r.title_as_read:
            title = (
                f'Title as read: <span class="btb-title-text">{lang_span(r.title_as_read, r.title_lang)}</span>, '
                f"read in {source_cite(r.title_source_title, r.title_source_url, r.title_verification)}. "
            )
        else:
            title = "No title given here. "
        note = f"{auto_lang(r.note)}" if isinstance(r.note, str) and r.note else ""
        items.append(
            f'<li data-key="{escape(r.statement)}"><strong><time datetime="{escape(str(r.date))}">'
            f"{escape(year(r.statement))}</time>, {escape(r.place)}</strong>: {escape(r.occasion)}. "
            f"<em>Read:</em> {escape(r.how_read)}. {title}{note}</li>"
        )
    return f'<ol class="btb-after-statements" data-dataset="after_statements">{"".join(items)}</ol>'


def matrix_html(statements: pd.DataFrame, formulas: pd.DataFrame) -> str:
    """Formulas down, statements across; each cell one word (yes / no / ?) linking to its evidence."""
    order = list(statements["statement"])
    cells = formulas.set_index(["formula", "statement"])
    head = "".join(f"<th scope='col'>{escape(year(s))}</th>" for s in order)
    rows = []
    for formula, (label, _) in FORMULAS.items():
        tds = []
        for statement in order:
            status = cells.loc[(formula, statement), "status"]
            word, modifier = STATUS[status]
            tds.append(
                f'<td class="btb-cmp-{modifier}" data-status="{escape(status)}">'
                f'<a href="#{_cell_id(statement, formula)}" aria-label="{escape(label)}, '
                f'{escape(year(statement))}: {escape(status)}">{escape(word)}</a></td>'
            )
        rows.append(
            f'<tr data-formula="{escape(formula)}"><th scope="row">{escape(label)}</th>{"".join(tds)}</tr>'
        )
    return (
        '<div class="btb-cmp-wrap"><table class="table btb-cmp" data-dataset="after_statement_formulas">'
        "<caption>Six formulas in five joint statements. yes: the wording was read or is reported; "
        "no: a source says the text dropped it; ?: not verified in what we could read (not the same as "
        "absent). Each cell links to its evidence and source below.</caption>"
        f"<thead><tr><th scope='col'>Formula</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def details_html(statements: pd.DataFrame, formulas: pd.DataFrame) -> str:
    """Per formula, the five cells: status, evidence in our words, the short wording read, the source."""
    order = list(statements["statement"])
    cells = formulas.set_index(["formula", "statement"])
    sections = []
    for formula, (label, meaning) in FORMULAS.items():
        items = []
        for statement in order:
            c = cells.loc[(formula, statement)]
            quote = ""
            if isinstance(c["quote"], str) and c["quote"]:
                quote = f" Wording read: “{lang_span(c['quote'], c['quote_lang'])}”."
            note = f" {auto_lang(c['note'])}" if isinstance(c["note"], str) and c["note"] else ""
            modifier = STATUS[c["status"]][1]
            items.append(
                f'<li id="{_cell_id(statement, formula)}" data-key="{escape(statement)}/{escape(formula)}">'
                f'<strong>{escape(year(statement))}</strong> <span class="btb-cmp-status btb-cmp-{modifier}">'
                f"{escape(c['status'])}</span>: {auto_lang(c['evidence'])}{quote}{note} "
                f"{source_cite(c['source_title'], c['source_url'], c['verification'])}</li>"
            )
        sections.append(
            f'<section class="btb-cmp-formula" data-formula="{escape(formula)}"><h3>{escape(label)}</h3>'
            f"<p>{escape(meaning[0].upper() + meaning[1:])}.</p><ul>{''.join(items)}</ul></section>"
        )
    return f'<div class="btb-cmp-details">{"".join(sections)}</div>'


def matrix(statements: pd.DataFrame, formulas: pd.DataFrame) -> HTML:
    return HTML(matrix_html(statements, formulas))


def details(statements: pd.DataFrame, formulas: pd.DataFrame) -> HTML:
    return HTML(details_html(statements, formulas))


def listing(statements: pd.DataFrame) -> HTML:
    return HTML(statements_html(statements))
