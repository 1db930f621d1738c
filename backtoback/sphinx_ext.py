"""Sphinx extension for the book: keep widget pages light and self-contained.

Widgets in this book come from :mod:`backtoback.toggle`, whose outputs carry a static HTML rendering
that the HTML build prefers (``nb_mime_priority_overrides`` in ``_config.yml``). So the built pages
need neither the ipywidgets manager nor the saved widget state. This extension

- drops the saved widget state from each page (it would only add weight), and
- warns (an error under ``-W``) when a page shows a widget that has no static rendering, since such
  a widget would be dead in the static book.

Notebook results are cached by jupyter-cache, keyed on each notebook's own text. The notebooks
also read ``data/`` and import ``backtoback/``, so when any of those files changes, this extension
clears the cache and has every page re-read: a data edit (or a corrupted file) is never hidden
behind a stale cached result, while a no-change rebuild still executes nothing. A change to the
stylesheets in ``_static/`` re-writes every page without re-executing anything.

It also offers every notebook page as a runnable ``.ipynb`` download and, when the book's GitHub
repository is known, Binder and Colab launch buttons (see :mod:`backtoback.launch`). And it keeps
every page light and free of console errors:

- no Thebe (the book has no live kernel; its inline config, added twice, throws a console error and
  names a CDN);
- no ``fontawesome.js`` (1.5 MB): the theme's CSS already ships the same icons as web fonts;
- no search index outside the search page (see :data:`UNNEEDED_OUTSIDE_SEARCH`);
- names for the sidebar's icon-only toggles and valid roles in the bibliography (axe-core checks).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import nbformat
from docutils import nodes
from jupyter_cache import get_cache
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util import logging

from . import figure_ids, glossary_popover, launch, provenance

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
logger = logging.getLogger(__name__)


def _drop_widget_state(app: Sphinx, doctree: nodes.document) -> None:
    NbMetadataCollector.get_js_files(app.env, app.env.docname).pop("ipywidgets_state", None)


def _check_widgets(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Runs after myst-nb has picked one mime type per output (a post-transform)."""
    for node in doctree.findall(nodes.raw):
        if WIDGET_VIEW in node.astext():
            logger.warning(
                "a widget without a static rendering would be dead in the book; "
                "build it with backtoback.toggle.switch()",
                location=node,
                type="backtoback",
                subtype="widget",
            )


def _is_thebe(asset) -> bool:
    return "thebe" in str(asset).lower() or "THEBE" in str(
        getattr(asset, "attributes", {}).get("body", "")
    )


def _drop_thebe(app: Sphinx, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        context[key] = [asset for asset in context.get(key, []) if not _is_thebe(asset)]


#: Scripts a page loads but does not need. The theme's icon script (1.5 MB): its CSS ships the same
#: icons as web fonts. Sphinx's search tools and index (80 KB, render-blocking) outside the search
#: page: search-as-you-type is off, so the search box just opens search.html, which loads its own.
UNNEEDED_SCRIPT = re.compile(
    r'\s*<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)
UNNEEDED_OUTSIDE_SEARCH = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>'
)


#: The sidebar's expand/collapse toggles are icon-only ``<summary>`` elements: name them after the
#: entry they open, or screen readers announce a nameless control (axe: summary-name).
NAMELESS_TOGGLE = re.compile(
    r'(<a class="[^"]*reference internal[^"]*" href="[^"]*">([^<]+)</a><details[^>]*>)<summary>'
)
#: docutils marks bibliography entries ``role="doc-biblioentry"``, a deprecated role that is not a
#: valid child of the ``role="list"`` around them (axe: aria-required-children).
BIBLIOENTRY_ROLE = 'role="doc-biblioentry"'


def _name_toggle(match: re.Match) -> str:
    return f'{match.group(1)}<summary aria-label="Show or hide the pages in {match.group(2)}">'


def _rewrite_pages(app: Sphinx, exception) -> None:
    """Lighter, more accessible pages: the rewrites above, on every page the build wrote."""
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        rewritten = UNNEEDED_SCRIPT.sub("", text)
        if page != outdir / "search.html":
            rewritten = UNNEEDED_OUTSIDE_SEARCH.sub("", rewritten)
        rewritten = NAMELESS_TOGGLE.sub(_name_toggle, rewritten)
        rewritten = rewritten.replace(BIBLIOENTRY_ROLE, 'role="listitem"')
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")


def _find_repository(app: Sphinx, config) -> None:
    theme = config.html_theme_options
    try:
        app.backtoback_repository = launch.find_repository(
            theme.get("repository_url", ""), theme.get("repository_branch", ""), Path(app.srcdir)
        )
    except launch.RepositoryError as error:
        raise ConfigError(str(error)) from None
    if app.backtoback_repository is None:
        logger.info("no GitHub repository known: pages get no Binder or Colab buttons")


def _offer_ipynb(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Offer each notebook page as a runnable .ipynb (the executed notebook, with outputs).

    With the repository known, the notebook starts with a set-up cell that fetches the book's code
    and data where they are missing. Runs before the theme builds its download menu, which lists
    ``ipynb_source`` when set.
    """
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if app.builder.format != "html" or not executed.is_file():
        return
    notebook = nbformat.read(executed, as_version=4)
    repository = app.backtoback_repository
    if repository:
        setup = nbformat.v4.new_code_cell(launch.setup_source(repository))
        setup.metadata["tags"] = ["backtoback-setup"]
        notebook.cells.insert(0, setup)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _add_launch_buttons(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Binder and Colab buttons on notebook pages, first in the header (as the theme places its own)."""
    repository = app.backtoback_repository
    if not repository or not context.get("ipynb_source"):
        return
    source = Path(app.env.doc2path(pagename)).relative_to(app.srcdir).as_posix()
    buttons = [
        ("Binder", "_static/images/logo_binder.svg", repository.binder_url(source)),
        ("Colab", "_static/images/logo_colab.png", repository.colab_url(pagename)),
    ]
    context["header_buttons"].insert(
        0,
        {
            "type": "group",
            "tooltip": "Run this chapter live",
            "icon": "fas fa-rocket",
            "label": "launch-buttons",
            "buttons": [
                {
                    "type": "link",
                    "text": text,
                    "tooltip": f"Run on {text}",
                    "icon": icon,
                    "url": url,
                }
                for text, icon, url in buttons
            ],
        },
    )


#: What the notebooks read besides their own text: a change here re-executes every notebook.
INPUTS = ("data", "backtoback")
INPUT_SUFFIXES = {".csv", ".yaml", ".yml", ".xlsx", ".py", ".json"}
#: What every page links to: a change here re-writes every page (Sphinx skips a build in which
#: no page changed, and with it the copy of the stylesheets).
STYLES = ("_static",)
STYLE_SUFFIXES = {".css", ".js"}


def digest_of(root: Path, folders: tuple[str, ...], suffixes: set[str]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in suffixes and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _changed(stamp: Path, digest: str) -> bool:
    """Whether ``digest`` differs from the one recorded in ``stamp`` (recording the new one)."""
    if stamp.is_file() and stamp.read_text() == digest:
        return False
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)
    return True


def _outdated_by_inputs(app: Sphinx, env, added, changed, removed) -> list[str]:
    root = Path(app.srcdir)
    cache_path = Path(
        app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    )
    inputs_changed = _changed(
        cache_path.parent / ".backtoback-inputs", digest_of(root, INPUTS, INPUT_SUFFIXES)
    )
    # The launch links are on every page too.
    repository = app.backtoback_repository
    styles_changed = _changed(
        cache_path.parent / ".backtoback-styles",
        digest_of(root, STYLES, STYLE_SUFFIXES)
        + (repository.url + repository.branch if repository else ""),
    )
    if inputs_changed and cache_path.exists():
        logger.info("data/ or backtoback/ changed: clearing the execution cache")
        get_cache(str(cache_path)).clear_cache()
    return sorted(env.found_docs) if inputs_changed or styles_changed else []


def setup(app: Sphinx) -> dict:
    # After this module's page rewrites: the served Chinese font, lighter pages, the PDF edition.
    app.setup_extension("backtoback.fonts")
    app.setup_extension("backtoback.speed")
    app.setup_extension("backtoback.pdf")
    app.connect("config-inited", _find_repository)
    app.connect("env-get-outdated", _outdated_by_inputs)
    app.connect("doctree-read", _drop_widget_state)
    app.connect("doctree-resolved", _check_widgets)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _offer_ipynb, priority=400)
    app.connect("html-page-context", _add_launch_buttons, priority=600)
    app.connect("build-finished", _rewrite_pages)
    provenance.setup(app)  # the {badge} role (verification levels)
    glossary_popover.setup(app)  # glossary terms show their definition where they appear
    figure_ids.setup(app)  # a chart shown twice on a page gets its own ids the second time
    return {"parallel_read_safe": True, "parallel_write_safe": True}
