"""How well a claim is sourced: the verification levels, explained once, shown as compact badges.

The levels are the research notes' own (``VERIFIED``, ``VERIFIED (mirror)``, ``VERIFIED
(secondary)``, ``UNVERIFIED``). :data:`LEVELS` holds the one explanation of each; "How this book
works" prints it with :func:`levels_table`, and the ``{badge}`` role places a small badge beside a
sentence in running prose, so that provenance sits next to a claim instead of inside it::

    Reuters saw the trip as "signaling his priorities" {cite:p}`reuters2024newera` {badge}`mirror`.

Each badge links to the explanation (label ``verification-levels``). The details of a source
(repost, digest, machine translation) belong in its bibliography entry, not in the sentence.
"""

from __future__ import annotations

from html import escape

#: badge text -> (CSS modifier, full name, what it means). The order is the order of trust.
LEVELS = {
    "verified": (
        "verified",
        "VERIFIED",
        "Read on an archived copy of the publisher's own page (for a quoted official: as that "
        "outlet reported the words).",
    ),
    "mirror": (
        "verified-mirror",
        "VERIFIED (mirror)",
        "Read only in a copy: a reprint, an aggregator, a wire report on a client's site, a digest "
        "or a translation. The substance is confirmed; the exact wording may differ from the "
        "original.",
    ),
    "secondary": (
        "verified-secondary",
        "VERIFIED (secondary)",
        "Known from a report or summary by someone other than the speaker or the document: the "
        "substance is reported, the words are not the original's.",
    ),
    "unverified": (
        "unverified",
        "UNVERIFIED",
        "Reported, but not confirmed in any source we could read. The book says so, or leaves it "
        "out.",
    ),
}
#: the label of the one explanation, on "How this book works"
TARGET = "verification-levels"


def levels_table() -> str:
    """The explanation of every level as an HTML table (badge, name, meaning)."""
    rows = "".join(
        f'<tr><td><span class="btb-badge btb-badge-{css}">{escape(key)}</span></td>'
        f"<td>{escape(name)}</td><td>{escape(meaning)}</td></tr>"
        for key, (css, name, meaning) in LEVELS.items()
    )
    return (
        '<table class="table btb-levels"><caption>The verification levels used in this book, '
        "from the research notes.</caption><thead><tr><th scope='col'>Badge</th>"
        "<th scope='col'>Level</th><th scope='col'>What it means</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


#: the research notes' level names as the data files spell them -> badge text
KEYS = {full.lower(): key for key, (_css, full, _meaning) in LEVELS.items()}


def badge_html(level: str) -> str:
    """A compact badge for generated HTML (tables, cards): ``badge_html("verified (mirror)")``.

    ``level`` is a badge text (``mirror``) or a level as the data files spell it (``verified
    (mirror)``). The badge shows the short text and names the level for screen readers; the one
    explanation is :func:`levels_table` on "How this book works".
    """
    key = KEYS.get(level.strip().lower(), level.strip().lower())
    if key not in LEVELS:
        raise ValueError(
            f"unknown verification level {level!r}; use one of: {', '.join(KEYS)} "
            f"(or the badge texts {', '.join(LEVELS)})"
        )
    css, full, _meaning = LEVELS[key]
    return (
        f'<span class="btb-verification btb-verification-{css}" title="{escape(full)}">'
        f'<span class="btb-visually-hidden">Verification: </span>{escape(key)}</span>'
    )


def badge_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{badge}`mirror``` -> a small badge linking to the explanation of the levels."""
    from docutils import nodes  # the book's build only: notebooks import this module without Sphinx
    from sphinx import addnodes

    key = text.strip().lower()
    if key not in LEVELS:
        message = inliner.reporter.error(
            f"unknown verification badge {text!r}; use one of: {', '.join(LEVELS)}", line=lineno
        )
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    css, full, meaning = LEVELS[key]
    link = addnodes.pending_xref(
        rawtext,
        nodes.inline(key, key),
        refdomain="std",
        reftype="ref",
        reftarget=TARGET,
        refexplicit=True,
        refwarn=False,
    )
    link["btb_badge"] = True
    hidden = nodes.inline("", "Verification: ", classes=["btb-visually-hidden"])
    return [nodes.inline("", "", hidden, link, classes=["btb-badge", f"btb-badge-{css}"])], []


def _unlinked_badge(app, env, node, contnode):
    """In a book without "How this book works" (a preview), a badge is shown without its link."""
    if node.get("btb_badge"):
        return contnode
    return None


def setup(app) -> None:
    app.add_role("badge", badge_role)
    app.connect("missing-reference", _unlinked_badge)
