"""How each side read the visit: the "readings" datasets, validated, and the widget that shows them.

Two catalogued datasets (see ``data/catalog.yaml``):

- ``readings``: one summary in the book's own words per question and perspective;
- ``interpretations``: one short quote per row, in its original language, with translation,
  source (outlet, author, date, URL), source type and verification level.

:func:`load` validates both. Besides the Frictionless schema checks of :func:`backtoback.data.load`,
it checks every row itself so that a problem is reported by **file, entry and field** (for example
``interpretations.csv, entry 'war-c-1' (line 25), field 'translation': ...``), and it enforces rules a
table schema cannot express: a quote not in English needs a translation and a translation label, and
every summary needs at least one quote (and every quote a summary).

:func:`widget` builds the reader's view from :func:`backtoback.toggle.switch` only (an outer switch
per question, an inner switch per perspective whose "Side by side" choice lays out the same panels
in a grid), so the live Jupyter widget and the static book come from one code path, and every quote
is in the page's HTML once; print and readers without JavaScript get the same markup, every panel
shown (see ``_static/backtoback.css``). :meth:`Readings.select` keeps some questions only, so one
page can show the readings of one meeting. A quote that a story page already shows (column
``shown_on``, a page label) is linked there instead of being repeated. :func:`all_readings` renders
every reading as one plain list, for a notebook or a check; the book's pages use :func:`widget`.
All dataset text is escaped, and Chinese, Japanese or Russian runs in names and notes carry a
``lang`` attribute.
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from . import data, provenance, toggle
from .data import DataError
from .paths import CATALOG
from .story import auto_lang

__all__ = [
    "PERSPECTIVES",
    "SIDE_BY_SIDE",
    "VISIT_QUESTIONS",
    "Readings",
    "load",
    "reading_html",
    "side_by_side_html",
    "widget",
    "all_readings",
]

#: perspective key -> (button label, full heading), in display order
PERSPECTIVES = {
    "western": ("Western", "Western governments and press"),
    "chinese": ("Chinese official", "Chinese official and state media"),
    "russian": ("Russian official", "Russian official and state media"),
    "independent": ("Ukraine & others", "Ukraine, other governments and third-country media"),
}
SIDE_BY_SIDE = "Side by side"
#: the questions about the May 2024 visit (the readings page); later meetings add their own
VISIT_QUESTIONS = ("equals", "achieved", "war", "west", "harbin", "alliance")
#: the key of one row, used to name the entry in error messages
ENTRY_KEYS = {"interpretations": ("id",), "readings": ("question_id", "perspective")}
#: the quotes' levels, explained once in :data:`backtoback.provenance.LEVELS`
BADGE_HELP = {
    level.upper(): provenance.LEVELS[level][2] for level in ("verified", "mirror", "secondary")
}
#: where a story page that shows a quote lives, relative to the readings page (``shown_on`` labels)
STORY_PAGES = {
    "story-visit": ("story/visit.html", "The visit"),
    "story-statement": ("story/statement.html", "The joint statement"),
    "story-gabuev": ("story/gabuev.html", "Gabuev's thesis"),
}
#: voices from the two countries at war carry this next to their country
PARTIES_TO_THE_WAR = ("Russian", "Ukrainian")


@dataclass(frozen=True)
class Readings:
    """The two validated tables: ``summaries`` (question x perspective) and ``quotes``."""

    summaries: pd.DataFrame
    quotes: pd.DataFrame

    @property
    def questions(self) -> list[tuple[str, str, str]]:
        """(question_id, question, short_label) in file order."""
        first = self.summaries.drop_duplicates("question_id")
        return list(first[["question_id", "question", "short_label"]].itertuples(index=False))

    def summary(self, question_id: str, perspective: str) -> str:
        row = self.summaries.query("question_id == @question_id and perspective == @perspective")
        return str(row["summary"].iloc[0])

    def quotes_for(self, question_id: str, perspective: str) -> pd.DataFrame:
        return self.quotes.query("question_id == @question_id and perspective == @perspective")

    def select(self, question_ids) -> Readings:
        """Only the questions ``question_ids`` (in the files' order); unknown ids are an error."""
        wanted = list(question_ids)
        known = set(self.summaries["question_id"])
        unknown = [q for q in wanted if q not in known]
        if unknown:
            raise KeyError(f"no such question(s) in readings.csv: {', '.join(unknown)}")
        return Readings(
            summaries=self.summaries[self.summaries["question_id"].isin(wanted)],
            quotes=self.quotes[self.quotes["question_id"].isin(wanted)],
        )


# -- validation ---------------------------------------------------------------------------------
def _entry_name(name: str, row: dict) -> str:
    return "/".join((row.get(k) or "?").strip() or "?" for k in ENTRY_KEYS[name])


def _row_problems(name: str, file: Path, schema: dict) -> list[str]:
    """Required and allowed-value checks per row, reported by file, entry and field."""
    fields = {f["name"]: f.get("constraints", {}) for f in schema["fields"]}
    problems = []
    with file.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            entry = _entry_name(name, row)

            def where(field, entry=entry, line=line):
                return f"{file.name}, entry {entry!r} (line {line}), field {field!r}"

            for field, rules in fields.items():
                if field not in row:
                    continue  # a missing column is reported by data.load (header check)
                value = (row[field] or "").strip()
                if rules.get("required") and not value:
                    hint = (
                        " Every quote needs its source."
                        if field in ("outlet", "source_url")
                        else ""
                    )
                    problems.append(f"{where(field)}: empty, but required.{hint}")
                elif value and "enum" in rules and value not in rules["enum"]:
                    what = "unknown perspective" if field == "perspective" else "value not allowed"
                    allowed = ", ".join(map(repr, rules["enum"]))
                    problems.append(f"{where(field)}: {what} {value!r}. Allowed: {allowed}.")
                elif value and "pattern" in rules and not re.fullmatch(rules["pattern"], value):
                    problems.append(
                        f"{where(field)}: {value!r} does not match the pattern {rules['pattern']!r}."
                    )
            if name == "interpretations" and (row.get("quote_lang") or "").strip() not in (
                "",
                "en",
            ):
                for field in ("translation", "translation_label"):
                    if field in row and not (row[field] or "").strip():
                        problems.append(
                            f"{where(field)}: empty, but the quote is in {row['quote_lang']!r}; "
                            "a quote not in English needs an English translation and its label."
                        )
    return problems


def _validated(name: str, catalog_path: Path) -> pd.DataFrame:
    meta = data.info(name, catalog_path)
    if meta.path.is_file():
        problems = _row_problems(name, meta.path, data.catalog_entry(name, catalog_path)["schema"])
        if problems:
            raise DataError(
                f"{meta.path}: {len(problems)} problem(s) in dataset {name!r}:\n  - "
                + "\n  - ".join(problems)
            )
    return data.load(name, catalog_path)  # header, types, primary key, file presence


#: The meeting the readings page is about; later meetings are read in chapters/after/.
VISIT_MEETING = "2024-05"


def load(
    catalog_path: Path = CATALOG, meetings: tuple[str, ...] | None = (VISIT_MEETING,)
) -> Readings:
    """Load and validate ``readings`` and ``interpretations``; raise :class:`DataError` on problems.

    All rows are validated; the result keeps only the questions about ``meetings`` (the ``meeting``
    column of readings.csv), by default the May 2024 visit. ``meetings=None`` keeps every question.
    """
    summaries = _validated("readings", catalog_path)
    quotes = _validated("interpretations", catalog_path)
    problems = []
    quote_file = quotes.attrs["info"].path.name
    summary_file = summaries.attrs["info"].path.name
    have = set(zip(summaries["question_id"], summaries["perspective"], strict=True))
    for row in quotes.itertuples(index=False):
        if (row.question_id, row.perspective) not in have:
            problems.append(
                f"{quote_file}, entry {row.id!r}, field 'perspective': no summary for "
                f"{row.question_id}/{row.perspective} in {summary_file}."
            )
    quoted = set(zip(quotes["question_id"], quotes["perspective"], strict=True))
    for key in sorted(have - quoted):
        problems.append(
            f"{summary_file}, entry {'/'.join(key)!r}, field 'summary': no quote in {quote_file} "
            "backs this summary."
        )
    for qid, group in summaries.groupby("question_id", sort=False):
        for field in ("question", "short_label"):
            if group[field].nunique() > 1:
                problems.append(
                    f"{summary_file}, entry {qid!r}, field {field!r}: differs between rows."
                )
    if problems:
        raise DataError("readings: " + "\n  - ".join(["problem(s):", *problems]))
    if meetings is not None and "meeting" in summaries.columns:
        summaries = summaries[summaries["meeting"].isin(meetings)]
        quotes = quotes[quotes["question_id"].isin(set(summaries["question_id"]))]
    return Readings(summaries=summaries, quotes=quotes)


# -- rendering ----------------------------------------------------------------------------------
def _e(value) -> str:
    """Escaped text ('' for a missing value)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _in_charset(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _han_lang(text: str, quote_lang: str) -> str:
    """``zh-Hant`` or ``zh-Hans`` for the Chinese characters in ``text`` (a name or a note).

    A character that only Big5 holds is traditional, one that only GB2312 holds simplified. Where the
    characters fit both (周林, 梁惠玲), the row's quote language decides: traditional, or Japanese
    (a Kyodo dateline such as 北京共同), when the quote is; otherwise simplified.
    """
    han = [c for c in text if "\u3400" <= c <= "\u9fff"]
    simplified = any(not _in_charset(c, "big5") for c in han)
    traditional = any(not _in_charset(c, "gb2312") for c in han)
    if simplified != traditional:
        return "zh-Hans" if simplified else "zh-Hant"
    return quote_lang if quote_lang in ("zh-Hant", "ja") else "zh-Hans"


def _names(value, quote_lang: str = "en") -> str:
    """Escaped text with each Chinese or Cyrillic run (a name such as 吳憲昌) tagged by language."""
    if not _e(value):
        return ""
    return auto_lang(str(value), chinese=_han_lang(str(value), str(quote_lang)))


def _link(url: str) -> str:
    parsed = urlparse(str(url))
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return _e(url)  # never make a link from anything but http(s)
    return f'<a href="{_e(url)}" rel="noopener">{_e(parsed.netloc)}</a>'


def _optional(q, field: str) -> str:
    """An optional column's value for row ``q`` ('' where the column or the value is missing)."""
    value = getattr(q, field, None)
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _stance(q) -> str:
    """The voice's type and country, labelled by one rule for every outlet."""
    country = _optional(q, "stance")
    if country in PARTIES_TO_THE_WAR:
        country += ", a party to the war"
    return _e(q.source_type) + (f" · {_e(country)}" if country else "")


def _quote_html(q) -> str:
    lang = _e(q.quote_lang)
    shown_on = _optional(q, "shown_on")
    if shown_on:
        href, title = STORY_PAGES[shown_on]
        parts = [
            f'<li class="rd-quote rd-quote-linked"><p class="rd-shown">Quoted on the page '
            f'<a href="{_e(href)}">{_e(title)}</a>.</p>'
        ]
    else:
        parts = [
            f'<li class="rd-quote"><blockquote class="rd-original" lang="{lang}">{_e(q.quote)}</blockquote>'
        ]
    if _e(q.translation) and not shown_on:
        label = _e(q.translation_label).capitalize() or "Translation"
        parts.append(
            f'<p class="rd-translation" lang="en"><span class="rd-label">{label}:</span> '
            f"{_e(q.translation)}</p>"
        )
    who = [
        x
        for x in (
            _names(q.speaker, q.quote_lang),
            f"<cite>{_names(q.outlet, q.quote_lang)}</cite>",
            _names(q.author, q.quote_lang),
            _e(q.date),
        )
        if x
    ]
    verification = _e(q.verification)
    help_text = _e(BADGE_HELP.get(str(q.verification), ""))
    badge = (
        f'<span class="rd-badge rd-badge-{verification.lower()}" title="{help_text}">'
        f'<span class="rd-visually-hidden">Verification: </span>{verification}</span>'
    )
    detail = (
        f' <span class="rd-vnote">({_names(q.verification_note, q.quote_lang)})</span>'
        if _e(q.verification_note)
        else ""
    )
    parts.append(
        '<p class="rd-source">'
        + "; ".join(who)
        + f'. Read at {_link(q.source_url)}. <span class="rd-type"><span class="rd-visually-hidden">Source type: </span>{_stance(q)}</span> '
        + badge
        + detail
        + "</p>"
    )
    if _e(q.note):
        parts.append(f'<p class="rd-note">{_names(q.note, q.quote_lang)}</p>')
    parts.append("</li>")
    return "".join(parts)


def reading_html(
    readings: Readings, question_id: str, perspective: str, heading: str = "h4"
) -> str:
    """One reading: the perspective's name, our summary, then each quote with its source."""
    quotes = readings.quotes_for(question_id, perspective)
    return (
        f'<article class="rd-reading rd-{_e(perspective)}" data-perspective="{_e(perspective)}">'
        f'<{heading} class="rd-perspective">{_e(PERSPECTIVES[perspective][1])}</{heading}>'
        f'<p class="rd-summary">{_e(readings.summary(question_id, perspective))}</p>'
        f'<ul class="rd-quotes">{"".join(_quote_html(q) for q in quotes.itertuples(index=False))}</ul>'
        "</article>"
    )


def side_by_side_html(readings: Readings, question_id: str) -> str:
    """All perspectives on one question in a responsive grid (one column on a phone)."""
    cards = "".join(reading_html(readings, question_id, p) for p in PERSPECTIVES)
    return f'<div class="rd-grid">{cards}</div>'


def widget(readings: Readings | None = None, questions=None) -> toggle.Switch:
    """Outer switch: the question; inner switch: each perspective, or all of them side by side.

    ``questions`` (question ids) keeps only those questions, in the files' order; by default every
    question in the files is shown. "Side by side" is a layout of the same four panels, so each
    quote is in the page once.
    """
    readings = readings or load()
    if questions is not None:
        readings = readings.select(questions)
    views = {}
    for question_id, question, short_label in readings.questions:
        # The question is the switch's caption, so each perspective heads its panel one level
        # under the page's section (h2 "The readings"): h3, with no level skipped.
        inner = {
            PERSPECTIVES[p][0]: toggle.HTML(reading_html(readings, question_id, p, heading="h3"))
            for p in PERSPECTIVES
        }
        views[str(short_label)] = toggle.switch(
            "Perspective", inner, together=SIDE_BY_SIDE, caption=str(question)
        )
    return toggle.switch("Question", views)


def all_readings(readings: Readings | None = None) -> toggle.HTML:
    """Every reading of every question as one plain list, without controls (for a notebook or a
    check; a book page shows :func:`widget`, which prints and works without JavaScript too)."""
    readings = readings or load()
    sections = []
    for question_id, question, _ in readings.questions:
        body = "".join(reading_html(readings, question_id, p, heading="h4") for p in PERSPECTIVES)
        sections.append(f'<section class="rd-all-question"><h3>{_e(question)}</h3>{body}</section>')
    return toggle.HTML(f'<div class="rd-all">{"".join(sections)}</div>')
