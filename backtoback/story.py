"""Render the story chapters' text datasets (timeline, titles, quotes, glossary) as HTML or MyST.

Every renderer takes a frame from :func:`backtoback.data.load`, so each row shown carries its source and
verification level, and every quotation is printed next to a link to where it was read.

- :func:`timeline` -> an HTML table of the visit, one ``<time datetime=...>`` per event;
- :func:`titles` -> the statement's titles, each in its language (``lang`` attribute) with its status;
- :func:`passage` -> one quotation: the Chinese original (``lang="zh-Hans"``), a labelled translation
  and the source;
- :func:`glossary_myst` -> a MyST ``glossary`` block, so chapters can link terms with ``{term}``.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from html import escape

import pandas as pd
from IPython.display import HTML

from . import provenance

#: CSS classes for the verification badge, one per level used in FACTS-style research notes.
VERIFICATION_LEVELS = ("verified", "verified (mirror)", "verified (secondary)", "unverified")


def lang_span(text: str, lang: str) -> str:
    """``text`` wrapped in a span declaring its language (e.g. ``zh-Hans``, ``ru``)."""
    return f'<span lang="{escape(lang)}">{escape(text)}</span>'


#: Runs of Chinese characters (with CJK punctuation) and of Cyrillic text, for :func:`auto_lang`.
CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
CYRILLIC_RUN = re.compile(
    r"[\u0400-\u04ff][\u0400-\u04ff\s«»,.:;!?\-–—]*[\u0400-\u04ff»]|[\u0400-\u04ff]"
)


def auto_lang(text: str, chinese: str = "zh-Hans") -> str:
    """Escape ``text`` and mark each Chinese run ``lang=chinese`` and each Cyrillic run ``lang="ru"``.

    Most Chinese in the data files is simplified; pass ``chinese="zh-Hant"`` for text known to be in
    traditional characters (the script cannot be told apart reliably character by character).
    """
    out = escape(text)
    out = CJK_RUN.sub(lambda m: f'<span lang="{chinese}">{m.group(0)}</span>', out)
    return CYRILLIC_RUN.sub(lambda m: f'<span lang="ru">{m.group(0)}</span>', out)


def badge(level: str) -> str:
    """A small label naming how well a row is verified (:func:`backtoback.provenance.badge_html`)."""
    if level not in VERIFICATION_LEVELS:
        raise ValueError(f"unknown verification level {level!r}; use one of {VERIFICATION_LEVELS}")
    return provenance.badge_html(level)


def source_cite(title: str, url: str, level: str) -> str:
    """The source of a row or quote: a link in a ``<cite>`` plus its verification badge."""
    return f'<cite class="btb-cite"><a href="{escape(url)}">{auto_lang(title)}</a></cite> {badge(level)}'


def _day(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return f"{d.day} {d:%B} {d.year}"


def _table_head(names: str, dataset: str, caption: str, columns: list[str]) -> str:
    """A story table's opening, caption and header row: its class ``btb-<name>`` for each of the
    space-separated ``names``, the data file it shows in ``data-dataset``."""
    classes = " ".join(f"btb-{name}" for name in names.split())
    header = "".join(f"<th scope='col'>{column}</th>" for column in columns)
    return (
        f'<table class="table {classes}" data-dataset="{dataset}">'
        f"<caption>{caption}</caption><thead><tr>{header}</tr></thead>"
    )


def dated_events_html(
    frame: pd.DataFrame,
    *,
    names: str,
    dataset: str,
    caption: str,
    texts: dict[str, str],
    kinds: dict[str, str] | None = None,
) -> str:
    """A table of dated events (the visit's timeline, and what happened after it): a table body
    under each heading (a day, a year), a row per event with its date, the ``texts`` columns
    (header: column, languages marked) and its source with the verification badge.

    ``frame`` is in reading order, with the columns ``heading`` (a new table body where it
    changes), ``key`` (the row's ``data-key``), ``datetime`` (ISO, for ``<time>``), ``when`` (the
    date as read), the ``texts`` columns, ``source_title``, ``source_url`` and ``verification``.
    With ``kinds`` (kind: label), each row's ``kind`` is its ``data-kind`` and a label by its date.
    """
    columns = ["When", *texts, "Source"]
    parts = [_table_head(names, dataset, caption, columns)]
    for heading, rows in itertools.groupby(frame.itertuples(), key=lambda row: row.heading):
        parts.append(
            f'<tbody><tr><th colspan="{len(columns)}" scope="rowgroup">{escape(heading)}</th></tr>'
        )
        for row in rows:
            kind = f' data-kind="{escape(row.kind)}"' if kinds else ""
            label = f' <span class="btb-event-kind">{kinds[row.kind]}</span>' if kinds else ""
            cells = "".join(f"<td>{auto_lang(getattr(row, c))}</td>" for c in texts.values())
            parts.append(
                f'<tr data-key="{escape(row.key)}"{kind}>'
                f'<td><time datetime="{escape(row.datetime)}">{escape(row.when)}</time>{label}</td>'
                f"{cells}"
                f"<td>{source_cite(row.source_title, row.source_url, row.verification)}</td></tr>"
            )
        parts.append("</tbody>")
    parts.append("</table>")
    return "".join(parts)


def timeline_html(frame: pd.DataFrame) -> str:
    """The visit, day by day: one table body per day (its cities in the heading), one row per event."""
    frame = frame.sort_values(["date", "seq"])
    cities = frame.groupby("date")["city"].transform(lambda c: ", ".join(dict.fromkeys(c)))
    return dated_events_html(
        frame.assign(
            heading=frame["date"].map(_day) + ": " + cities,
            key=frame["date"].astype(str) + "/" + frame["seq"].astype(str),
        ),
        names="timeline",
        dataset="visit_timeline",
        caption="Putin's state visit to China, 16–17 May 2024. Times are Beijing time (UTC+8). "
        "Each row names the source it was read in and how well it is verified.",
        texts={"Where": "place", "What happened": "event"},
    )


def timeline(frame: pd.DataFrame) -> HTML:
    return HTML(timeline_html(frame))


def titles_html(frame: pd.DataFrame) -> str:
    """The statement's titles: text in its own language, status, note and source."""
    parts = [
        _table_head(
            "titles",
            "statement_titles",
            "The joint statement's title in Chinese, in official English, and as far as it could be "
            "verified in Russian.",
            ["Title or rendering", "What it is", "Source"],
        ),
        "<tbody>",
    ]
    for row in frame.itertuples():
        note = (
            f"<br><small>{auto_lang(row.note)}</small>"
            if isinstance(row.note, str) and row.note
            else ""
        )
        parts.append(
            f'<tr data-key="{escape(row.id)}"><td><span class="btb-title-text" lang="{escape(row.language)}">'
            f"{escape(row.text)}</span></td>"
            f"<td>{escape(row.kind)}; {escape(row.translation_status)}{note}</td>"
            f"<td>{source_cite(row.source_title, row.source_url, row.verification)}</td></tr>"
        )
    parts.append("</tbody></table>")
    return "".join(parts)


def titles(frame: pd.DataFrame) -> HTML:
    return HTML(titles_html(frame))


def passage_html(frame: pd.DataFrame, passage_id: str) -> str:
    """One quoted passage of the statement: original, labelled translation, source."""
    match = frame[frame["id"] == passage_id]
    if len(match) != 1:
        raise KeyError(
            f"no single passage {passage_id!r} in statement_passages; known: {', '.join(frame['id'])}"
        )
    row = match.iloc[0]
    section = (
        f"section {auto_lang(row.section)}"
        if not str(row.section).startswith("not seen")
        else "section number not seen"
    )
    return (
        f'<figure class="btb-quote" data-key="{escape(row.id)}">'
        f'<blockquote lang="zh-Hans"><p>{escape(row.text_zh)}</p></blockquote>'
        f'<p class="btb-translation"><strong>Translation, {escape(row.translation_label)}:</strong> '
        f"{auto_lang(row.translation_en)}</p>"
        f"<figcaption>Joint statement, {section} ({escape(row.topic)}). Read in: "
        f"{source_cite(row.source_title, row.source_url, row.verification)}</figcaption></figure>"
    )


def passage(frame: pd.DataFrame, passage_id: str) -> HTML:
    return HTML(passage_html(frame, passage_id))


def glossary_myst(frame: pd.DataFrame) -> str:
    """A MyST ``glossary`` directive: one English headword per row, originals and source in the entry.

    Each headword becomes a Sphinx term, so any chapter can write ``{term}`back to back```.
    """
    lines = [":::{glossary}", ":sorted:", ""]
    for row in frame.itertuples():
        originals = []
        if isinstance(row.zh, str) and row.zh:
            pinyin = (
                f" ({escape(row.pinyin)})" if isinstance(row.pinyin, str) and row.pinyin else ""
            )
            originals.append(f"Chinese: {lang_span(row.zh, 'zh-Hans')}{pinyin}")
        if isinstance(row.ru, str) and row.ru:
            originals.append(f"Russian: {lang_span(row.ru, 'ru')}")
        lines.append(row.term_en)
        lines.append(f"  {'; '.join(originals)}." if originals else "  (No Chinese original.)")
        lines.append("")
        lines.append(f"  {auto_lang(row.definition)}")
        lines.append("")
        lines.append(
            f'  <span class="btb-source">Source: <cite class="btb-cite"><a href="{escape(row.source_url)}">'
            f"{auto_lang(row.source_title)}</a></cite> {badge(row.verification)}</span>"
        )
        lines.append("")
    lines.append(":::")
    return "\n".join(lines)


def claims_html(frame: pd.DataFrame) -> str:
    """Claims attributed to Gabuev: who attributes each, and whether his own text confirms it."""
    parts = [
        _table_head(
            "claims",
            "gabuev_claims",
            "What the source article attributes to Gabuev, and what we could confirm in his text. "
            "'Not found' means unverified, not false: we could read only the opening of his article and "
            "summaries of it.",
            [
                "Claim (our words)",
                "Attributed to Gabuev by the source article?",
                "In Gabuev's text?",
                "Evidence and source",
            ],
        ),
        "<tbody>",
    ]
    for row in frame.itertuples():
        parts.append(
            f'<tr data-key="{escape(row.id)}"><td>{auto_lang(row.claim)}</td>'
            f"<td>{escape(row.attributed_by_source_article)}</td><td>{escape(row.in_gabuev_text)}</td>"
            f"<td>{auto_lang(row.evidence)}<br>{source_cite(row.source_title, row.source_url, row.verification)}</td></tr>"
        )
    parts.append("</tbody></table>")
    return "".join(parts)


def claims(frame: pd.DataFrame) -> HTML:
    return HTML(claims_html(frame))
