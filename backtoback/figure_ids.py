"""One page, one id: a chart shown twice on a page gets its own ids the second time.

A notebook may display the same :class:`backtoback.style.Figure` twice (on its own and inside a
switch). Its HTML is then repeated with the same ids: the anchor, the SVG's clip paths and the radio
group of its Chart | Table switch, so a click in one copy would change the other. When a page is
written, this gives the n-th copy (n >= 2) of a figure ids ending in ``-n``; the first copy keeps
the stable anchor the permalink names.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

FIGURE_START = re.compile(r'<figure class="btb-figure" id="([^"]+)"')
#: Attributes that hold an id or point to one.
ID_ATTRIBUTES = re.compile(
    r'\b(id|for|name|aria-controls|aria-describedby|aria-labelledby)="([^"]+)"'
    r'|\b(href)="#([^"]+)"|url\(#([^)]+)\)'
)


def _renamed(figure_html: str, suffix: str) -> str:
    def rename(match: re.Match) -> str:
        if match[1]:
            return f'{match[1]}="{match[2]}{suffix}"'
        if match[3]:
            return f'{match[3]}="#{match[4]}{suffix}"'
        return f"url(#{match[5]}{suffix})"

    return ID_ATTRIBUTES.sub(rename, figure_html)


def unique_figure_ids(body: str) -> str:
    """``body`` with every repeated chart's ids made unique (see the module docstring)."""
    seen: dict[str, int] = {}
    out, position = [], 0
    for match in FIGURE_START.finditer(body):
        if match.start() < position:
            continue
        anchor = match[1]
        seen[anchor] = seen.get(anchor, 0) + 1
        if seen[anchor] == 1:
            continue
        end = body.index("</figure>", match.start()) + len("</figure>")
        out.append(body[position : match.start()])
        out.append(_renamed(body[match.start() : end], f"-{seen[anchor]}"))
        position = end
    out.append(body[position:])
    return "".join(out)


def _rewrite(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if "body" in context and 'class="btb-figure"' in context["body"]:
        context["body"] = unique_figure_ids(context["body"])


def setup(app: Sphinx) -> None:
    """Called from :func:`backtoback.sphinx_ext.setup`."""
    app.connect("html-page-context", _rewrite)
