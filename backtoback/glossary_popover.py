"""Glossary terms that explain themselves where they appear, pre-rendered at build time.

A chapter links a term with ``{term}`hegemonism``` (the glossary page is generated from
``data/glossary.csv``, see :func:`backtoback.story.glossary_myst`). In the HTML build this transform
turns each such link into the term plus a popover with its short definition and, where it has
one, the Chinese original with pinyin, ending in a link to the full glossary entry. The popover
shows on hover, on keyboard focus and on a tap (the term is focusable; CSS in ``_static/charts.css``
shows the popover on ``:hover`` and ``:focus-within``): no JavaScript, so it works offline and over
``file://``. Screen readers get the definition as the term's description (``aria-describedby``).
Other builders (LaTeX/PDF) keep the plain link.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.nodes import _make_id

from . import data
from .story import auto_lang

#: A popover's definition: the glossary's first sentences, up to about this many characters.
SHORT_DEFINITION_CHARS = 220


def short_definition(text: str, limit: int = SHORT_DEFINITION_CHARS) -> str:
    """The first sentence of ``text``, plus following sentences while they fit in ``limit``."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z'‘“(])", text.strip())
    out = sentences[0]
    for sentence in sentences[1:]:
        if len(out) + 1 + len(sentence) > limit:
            break
        out += " " + sentence
    return out


def term_ids(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Glossary rows by the anchor Sphinx gives their term (``term-hegemonism``)."""
    return {_make_id(f"term-{row['term_en']}"): row for _, row in frame.iterrows()}


def popover_html(row: pd.Series, text: str, href: str, uid: str) -> str:
    """The term as it reads in the text, with its popover (definition, Chinese, glossary link)."""
    esc = html.escape
    original = ""
    if isinstance(row.get("zh"), str) and row["zh"]:
        pinyin = (
            f" ({esc(row['pinyin'])})"
            if isinstance(row.get("pinyin"), str) and row["pinyin"]
            else ""
        )
        original = f' <span lang="zh-Hans">{esc(row["zh"])}</span>{pinyin}'
    return (
        f'<span class="btb-term"><span class="btb-term-word" tabindex="0" '
        f'aria-describedby="{uid}">{esc(text)}</span>'
        f'<span class="btb-term-pop"><span id="{uid}"><strong>{esc(row["term_en"])}{original}</strong> '
        f"{auto_lang(short_definition(row['definition']))}</span> "
        f'<a href="{esc(href)}">Glossary entry</a></span></span>'
    )


def _is_term_link(node: nodes.reference) -> bool:
    return any("std-term" in inline.get("classes", []) for inline in node.findall(nodes.inline))


def add_popovers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each resolved term link in an HTML page with the term and its popover."""
    if app.builder.format != "html":
        return
    if not hasattr(app, "backtoback_glossary"):
        app.backtoback_glossary = term_ids(data.load("glossary"))
    terms = app.backtoback_glossary
    for count, ref in enumerate(
        [r for r in doctree.findall(nodes.reference) if _is_term_link(r)], start=1
    ):
        href = ref.get("refuri") or "#" + ref.get("refid", "")
        row = terms.get(href.rsplit("#", 1)[-1])
        if row is None:
            continue
        uid = f"btb-def-{row['term_id']}-{count}"
        ref.replace_self(nodes.raw("", popover_html(row, ref.astext(), href, uid), format="html"))


def setup(app: Sphinx) -> None:
    """Called from :func:`backtoback.sphinx_ext.setup`."""
    app.connect("doctree-resolved", add_popovers)
