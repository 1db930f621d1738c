"""Sphinx extension: a book that can be cited, dated and found.

- **Dates.** Every page's footer says when its source file last changed, from ``git log``; the
  "How to cite" page gives the book's version (the git tag, else the commit) and that commit's date.
  Where the build runs without git history (a copy of the files, as the tests build), dates come
  from the files' modification times and the version from ``pyproject.toml``, and the pages say so.
  A shallow clone would date every file to its one commit, so it is refused (a warning, an error
  under ``-W``): the Pages workflow checks out the whole history.
- **Citation.** The ``{book-citation}`` directive writes the version, the date and the citation in
  APA and BibTeX, with the title and authors read from ``CITATION.cff`` (the one place they are set).
- **Found and shared.** Open Graph tags and a meta description on every page (sphinxext-opengraph,
  description from the page's first paragraphs); the site URL is the repository's GitHub Pages
  address. The theme's repository, issue and edit buttons point at the repository that
  :func:`backtoback.launch.find_repository` resolves (the same one as the launch buttons), and are
  hidden when none is known. The top bar's search field is dropped: on a desktop it repeated the
  sidebar's; phones keep the search button in the page header, and Ctrl+K / ⌘K opens search anywhere.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .prose import long_date

logger = logging.getLogger(__name__)

CITATION_FILE = "CITATION.cff"
#: The theme buttons that link to the repository (sphinx-book-theme options).
REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button", "use_edit_page_button")


@dataclass(frozen=True)
class History:
    """What the build knows about the book's version and when each source file last changed."""

    version: str
    date: dt.date
    from_git: bool
    #: source path (relative to the book's root, POSIX) -> date of the last commit that changed it
    file_dates: dict[str, dt.date] = field(default_factory=dict)
    #: files with changes not committed yet (their dates come from the files)
    uncommitted: frozenset[str] = frozenset()

    def page_date(self, root: Path, source: str) -> tuple[dt.date, str]:
        """When ``source`` last changed, and a note on where that date comes from ("" for git)."""
        if self.from_git and source in self.file_dates and source not in self.uncommitted:
            return self.file_dates[source], ""
        modified = dt.datetime.fromtimestamp((root / source).stat().st_mtime, dt.UTC).date()
        if self.from_git:
            return modified, "changes not yet committed"
        return modified, "date of the file: this copy of the book has no git history"


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def package_version(root: Path) -> str:
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return "unknown"
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


def read_history(root: Path, today: dt.date | None = None) -> History:
    """The book's version and file dates from git, or from the files where ``root`` has no git."""
    today = today or dt.datetime.now(dt.UTC).date()
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(top.strip()).resolve() != root.resolve():
        # not a clone, or a folder inside some other repository: its history is not the book's
        return History(version=package_version(root), date=today, from_git=False)
    if (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        logger.warning(
            "the book's git clone is shallow, so every page would be dated to its one commit; "
            "clone the whole history (actions/checkout: fetch-depth: 0)",
            type="backtoback",
            subtype="history",
        )
    version = (_git(root, "describe", "--tags", "--always", "--dirty") or "").strip()
    head_date = (_git(root, "log", "-1", "--format=%cs") or "").strip()
    if not version or not head_date:  # a repository without commits
        return History(version=package_version(root), date=today, from_git=False)
    file_dates: dict[str, dt.date] = {}
    log = _git(root, "log", "--format=%x00%cs", "--name-only", "--no-renames") or ""
    for entry in log.split("\0")[1:]:
        day, *paths = entry.strip().splitlines()
        for path in filter(None, paths):
            file_dates.setdefault(path, dt.date.fromisoformat(day))
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--no-renames") or ""
    uncommitted = frozenset(line[3:] for line in status.splitlines() if len(line) > 3)
    return History(
        version=version,
        date=dt.date.fromisoformat(head_date),
        from_git=True,
        file_dates=file_dates,
        uncommitted=uncommitted,
    )


# -- The citation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    title: str
    authors: list[str]
    version: str
    date: dt.date
    url: str  # where the book is read ("" if not known)

    def apa(self) -> str:
        """APA 7 for a dated online work: Author. (Year, Month Day). Title (Version) [Type]. URL"""
        authors = ", ".join(self.authors)
        when = f"{self.date.year}, {self.date:%B} {self.date.day}"
        text = f"{authors}. ({when}). *{self.title}* (Version {self.version}) [Online book]."
        return f"{text} {self.url}" if self.url else text

    def bibtex(self) -> str:
        fields = {
            "author": " and ".join(f"{{{name}}}" for name in self.authors),
            "title": self.title,
            "year": str(self.date.year),
            "date": self.date.isoformat(),
            "version": self.version,
            "note": f"Version {self.version} of {long_date(self.date)}",
        }
        if self.url:
            fields["url"] = self.url
        width = max(map(len, fields))
        body = ",\n".join(f"  {key:<{width}} = {{{value}}}" for key, value in fields.items())
        key = "".join(ch for ch in self.title.lower() if ch.isalnum()) + str(self.date.year)
        return f"@online{{{key},\n{body}\n}}"


def read_citation_file(root: Path) -> dict:
    return yaml.safe_load((root / CITATION_FILE).read_text(encoding="utf-8"))


def cff_author_names(cff: dict) -> list[str]:
    return [
        author.get("name")
        or " ".join(filter(None, [author.get("given-names"), author.get("family-names")]))
        for author in cff["authors"]
    ]


def pages_url(app: Sphinx) -> str:
    """The book's published address: ``html_baseurl`` if set, else the repository's GitHub Pages."""
    if app.config.html_baseurl:
        return app.config.html_baseurl.rstrip("/") + "/"
    repository = getattr(app, "backtoback_repository", None)
    if repository is None:
        return ""
    return f"https://{repository.owner.lower()}.github.io/{repository.name}/"


class BookCitation(SphinxDirective):
    """``{book-citation}``: version, date, APA and BibTeX for this build of the book."""

    def run(self) -> list[nodes.Node]:
        app = self.env.app
        root = Path(app.srcdir)
        self.env.note_dependency(str(root / CITATION_FILE))
        self.env.backtoback_citing = getattr(self.env, "backtoback_citing", set()) | {
            self.env.docname
        }
        history: History = app.backtoback_history
        cff = read_citation_file(root)
        citation = Citation(
            title=cff["title"],
            authors=cff_author_names(cff),
            version=history.version,
            date=history.date,
            url=pages_url(app),
        )
        facts = nodes.bullet_list()
        source = (
            "the git commit this edition was built from, and its date"
            if history.from_git
            else "the package version in pyproject.toml and the date of the build: this copy of the "
            "book was built without its git history, so the exact commit is not known"
        )
        for label, value in (
            ("Version", citation.version),
            ("Date", long_date(citation.date)),
            ("Address", citation.url or "not known to this build (no repository configured)"),
        ):
            item = nodes.paragraph("", "", nodes.strong(text=f"{label}: "))
            item += nodes.literal(text=value) if label == "Version" else nodes.Text(value)
            facts += nodes.list_item("", item)
        container = nodes.container(classes=["btb-citation"])
        container += facts
        container += nodes.paragraph(text=f"Version and date are {source}.")
        container += nodes.rubric(text="APA")
        apa = nodes.paragraph(classes=["btb-citation-apa"])
        before, title, after = citation.apa().split("*", 2)
        apa += [nodes.Text(before), nodes.emphasis(text=title), nodes.Text(after)]
        container += apa
        container += nodes.rubric(text="BibTeX")
        bibtex = nodes.literal_block(citation.bibtex(), citation.bibtex(), language="bibtex")
        container += bibtex
        return [container]


# -- Sphinx events -----------------------------------------------------------------------------


def _configure(app: Sphinx, config) -> None:
    """After :mod:`backtoback.sphinx_ext` has resolved the repository (config-inited, priority 500)."""
    app.backtoback_history = read_history(Path(app.srcdir))
    theme = config.html_theme_options
    repository = getattr(app, "backtoback_repository", None)
    if repository is None:
        # never a button to jupyter-book's own repository, which it fills in when none is set
        for option in REPOSITORY_BUTTONS:
            theme[option] = False
        theme.pop("repository_url", None)
    else:
        theme["repository_url"] = repository.url
        theme["repository_branch"] = repository.branch
        for option in REPOSITORY_BUTTONS:
            theme[option] = True
    # The sidebar has the search field; the top bar's copy only repeated it on a desktop.
    theme["navbar_persistent"] = []
    config.ogp_site_url = config.ogp_site_url or pages_url(app)
    config.ogp_site_name = config.ogp_site_name or config.html_title


def _outdated_citation(app: Sphinx, env, added, changed, removed) -> list[str]:
    """The citation depends on git, which Sphinx does not watch: re-read the pages that cite."""
    return sorted(getattr(env, "backtoback_citing", set()) - set(removed))


def _purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "backtoback_citing", set()).discard(docname)


def _merge(app: Sphinx, env, docnames, other) -> None:
    env.backtoback_citing = getattr(env, "backtoback_citing", set()) | (
        getattr(other, "backtoback_citing", set()) & set(docnames)
    )


def _page_dates(app: Sphinx, env) -> list[str]:
    """Pages whose last-changed date differs from the one they were written with: write them again."""
    root = Path(app.srcdir)
    history: History = app.backtoback_history
    dates = {
        docname: history.page_date(root, Path(env.doc2path(docname)).relative_to(root).as_posix())
        for docname in env.found_docs
    }
    previous = getattr(env, "backtoback_page_dates", {})
    env.backtoback_page_dates = dates
    return [docname for docname, date in dates.items() if previous.get(docname) != date]


#: How long a page description may be (search engines show about this much).
DESCRIPTION_LENGTH = 200
#: A citation as the bibliography renders it inline, e.g. "[Eurostat, 2023]".
INLINE_CITATION = re.compile(r"\s*\[[^\[\]]*\]")


def _is_objectives(node: nodes.Node) -> bool:
    """The "Learning objectives." paragraph that opens a chapter (see backtoback.teaching)."""
    return isinstance(node, nodes.paragraph) and node.astext().startswith("Learning objectives")


def page_description(doctree: nodes.document) -> str:
    """The page's opening prose: its first paragraphs, skipping learning objectives, code and notes.

    Only paragraphs directly in the page's sections count (not in lists, admonitions, code cells or
    bibliographies), so that the description says what the page is about.
    """
    words: list[str] = []
    for section in doctree.findall(nodes.section):
        for node in section.children:
            if isinstance(node, nodes.paragraph) and not _is_objectives(node):
                words += INLINE_CITATION.sub("", node.astext()).split()
            if len(" ".join(words)) >= DESCRIPTION_LENGTH:
                break
        if words:
            break
    text = " ".join(words)
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    return text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _describe(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """A meta description and og:description: front matter's ``description``, else the opening prose.

    Runs before sphinxext-opengraph, which then keeps both.
    """
    if doctree is None:
        return
    meta = dict(context.get("meta") or {})
    description = str(meta.get("description") or page_description(doctree))
    if not description:
        return
    meta["og:description"] = description
    context["meta"] = meta
    context["metatags"] += f'<meta name="description" content="{escape(description)}" />\n'


def _drop_relative_og_url(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Open Graph wants an absolute og:url; with no published address known, give none."""
    if not app.config.ogp_site_url and "metatags" in context:
        context["metatags"] = re.sub(r'<meta property="og:url"[^>]*>\n?', "", context["metatags"])


def _last_changed(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The theme's footer shows ``last_updated``: the date the page's source file last changed."""
    dated = getattr(app.env, "backtoback_page_dates", {}).get(pagename)
    if dated is None:
        return
    day, note = dated
    context["last_updated"] = long_date(day) + (f" ({note})" if note else "")
    context["metatags"] += (
        f'<meta property="article:modified_time" content="{day.isoformat()}" />\n'
    )


#: The site's front door: the address without a page name opens the root page. A page of its
#: own (language, title, description, icon) rather than the bare refresh line Sphinx writes, for
#: which the browser asks the server's root for /favicon.ico and logs the 404 as an error.
LANDING_REDIRECT = """<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{title}</title>
<meta name="description" content="{description}" />
{icon}<meta http-equiv="refresh" content="0; url={target}" />
</head>
<body><p><a href="{target}">{title}</a></p></body>
</html>
"""
PAGE_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
PAGE_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')


def _write_landing_redirect(app: Sphinx, exception) -> None:
    """``index.html`` sends readers to the root page (runs before sphinx-external-toc's own)."""
    if exception or app.builder.format != "html" or app.config.root_doc == "index":
        return
    outdir = Path(app.outdir)
    target = f"{app.config.root_doc}.html"
    root_page = (outdir / target).read_text(encoding="utf-8")
    title = PAGE_TITLE.search(root_page)
    description = PAGE_DESCRIPTION.search(root_page)
    (outdir / "index.html").write_text(
        LANDING_REDIRECT.format(
            language=app.config.language or "en",
            title=title.group(1).strip() if title else escape(app.config.project),
            description=description.group(1) if description else "",
            icon=(
                f'<link rel="icon" href="_static/{Path(app.config.html_favicon).name}" />\n'
                if app.config.html_favicon
                else ""
            ),
            target=target,
        ),
        encoding="utf-8",
    )


def setup(app: Sphinx) -> dict:
    app.setup_extension("backtoback.sphinx_ext")
    app.setup_extension("sphinxext.opengraph")
    app.add_directive("book-citation", BookCitation)
    app.connect("config-inited", _configure, priority=600)
    app.connect("env-get-outdated", _outdated_citation)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-updated", _page_dates)
    app.connect("html-page-context", _last_changed)
    app.connect("html-page-context", _describe, priority=400)
    app.connect("html-page-context", _drop_relative_og_url, priority=600)
    app.connect("build-finished", _write_landing_redirect, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
